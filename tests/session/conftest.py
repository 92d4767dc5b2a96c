"""The session tests' database: three documents, each with the run ``builtin``'s three candidates."""

from __future__ import annotations

import pytest

from tests.support.store import make_store


@pytest.fixture
def store(tmp_path):
    s = make_store(tmp_path / "t.db")
    yield s
    s.close()
