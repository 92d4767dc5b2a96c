"""The session tests' workspace: annotator ``ann`` on the small labelled store (no attributor)."""

from __future__ import annotations

import pytest

from annotator.session import Workspace


@pytest.fixture
def workspace(store) -> Workspace:
    return Workspace(store, "ann")
