"""The formats tests' database: ana's labels on three documents, all marked done, ready to export."""

from __future__ import annotations

import pytest

from annotator.store import Store
from tests.support.documents import load, plain_document


@pytest.fixture
def corpus(db_path):
    """Three documents labelled by ana, all marked done."""
    with Store(db_path) as store:
        load(store, [plain_document(f"d{i}", i) for i in range(3)], "ana", done=("d0", "d1", "d2"))
    return db_path
