"""The command-line tests' database: ana's labels on five documents, two of them marked done."""

from __future__ import annotations

import pytest

from annotator.store import Store
from tests.support.documents import load, plain_document


@pytest.fixture
def corpus(db_path):
    """Five documents labelled by ana, two of them marked done."""
    with Store(db_path) as store:
        load(store, [plain_document(f"d{i}", i) for i in range(5)], "ana", done=("d1", "d3"))
    return db_path
