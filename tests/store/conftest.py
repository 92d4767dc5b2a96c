"""The store tests' database: one document with two of ann's quotes, both said by Budi (one entity)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.model import AnnotatedDocument, Document, Owner, Quote, Span, Speaker
from annotator.store import Store
from annotator.text import sha256

TEXT = "“Kami siap,” kata Presiden Budi. Ia menambahkan, “Besok.”"


@pytest.fixture
def budi_db(db_path: Path) -> Path:
    """The database at ``db_path`` holding the document ``d1``: a quote with cue, speaker and role, and a
    second quote whose mention is the pronoun *Ia* of the same speaker."""
    doc = Document(id="d1", text=TEXT, sha256=sha256(TEXT))
    speaker = Speaker(name="Budi", kind="person", mention=Span.of(TEXT, 27, 31), aliases=("Presiden Budi",))
    quotes = [
        Quote(0, 12, TEXT[0:12], cue=Span.of(TEXT, 13, 17), speaker=speaker, role="Presiden"),
        Quote(49, 57, TEXT[49:57], speaker=Speaker(name="Budi", kind="person", mention=Span.of(TEXT, 33, 35))),
    ]
    with Store.open(db_path) as store:
        store.import_documents([("test", AnnotatedDocument(doc, quotes))], owner=Owner.annotator("ann"))
    return db_path
