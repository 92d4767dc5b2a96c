"""The TUI tests' database: three documents, each with the run ``builtin``'s three candidates."""

from __future__ import annotations

import pytest

from tests.support.store import make_store


@pytest.fixture
def db(tmp_path):
    make_store(tmp_path / "t.db").close()
    return tmp_path / "t.db"
