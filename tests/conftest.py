"""Fixtures for every layer: a temporary database, a small labelled store, the CLI runner, and no developer
configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from tests.support.store import make_store


@pytest.fixture(autouse=True)
def isolated_config(monkeypatch, tmp_path):
    """The tests never read the developer's own keys.toml or config.toml."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def store(tmp_path: Path):
    """Three documents, each with the run ``builtin``'s three candidates (tests/support/store.py)."""
    s = make_store(tmp_path / "t.db")
    yield s
    s.close()


@pytest.fixture
def run_cli(db_path: Path):
    """Run ``annotator --db <tmp> ARGS``; returns the click Result (stdout and stderr apart)."""
    runner = CliRunner()

    def run(*args: str, annotator: str = "tester", input: str | None = None):
        return runner.invoke(
            cli, ["--db", str(db_path), "--annotator", annotator, *map(str, args)],
            input=input, catch_exceptions=False,
        )

    return run
