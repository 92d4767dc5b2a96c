"""Shared fixtures: a temporary database, the CLI runner, and the development data (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


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


def shared_file(name: str) -> Path:
    """A development data file, or skip the test when ../shared is not beside the repo."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"development data {path} is not available")
    return path
