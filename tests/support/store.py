"""Test data for the TUI tests: a small database with candidate quotes made here, not by the attributor."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annotator.model import AnnotatedDocument, Document, Owner, Quote, Span, Speaker
from annotator.store import Store
from annotator.text import sha256
from tests.support.evaluation import at

TEXT = (
    "“We will win,” said Anna Smith, the mayor of Springfield. "
    "Critics said that the plan was too expensive. "
    "“Nobody asked us,” Bob Jones told reporters.\n"
    "The council meets on Monday, according to Carla Diaz."
)


def span(text: str, piece: str, nth: int = 0) -> Span:
    return Span(*at(text, piece, nth), piece)


def candidates(text: str = TEXT) -> list[Quote]:
    """Three predicted quotes: a direct one with speaker and role, an indirect one, a direct one."""
    q1, q2, q3 = span(text, "“We will win,”"), span(text, "the plan was too expensive"), span(
        text, "“Nobody asked us,”")
    return [
        Quote(q1.start, q1.end, q1.text, "direct", cue=span(text, "said"),
              speaker=Speaker("Anna Smith", "person", span(text, "Anna Smith")),
              role="the mayor of Springfield", status="pending"),
        Quote(q2.start, q2.end, q2.text, "indirect", cue=span(text, "said", 1),
              speaker=Speaker("Critics", "unknown", span(text, "Critics")), status="pending"),
        Quote(q3.start, q3.end, q3.text, "direct", cue=span(text, "told"),
              speaker=Speaker("Bob Jones", "person", span(text, "Bob Jones")), status="pending"),
    ]


def document(doc_id: str, text: str = TEXT, title: str = "", lang: str = "en") -> Document:
    return Document(id=doc_id, text=text, lang=lang, meta={"title": title or doc_id}, sha256=sha256(text))


def make_store(
    path: Path, docs: list[tuple[str, str]] | None = None, with_candidates: bool = True, lang: str = "en"
) -> Store:
    """A database with documents (id, text) in language ``lang`` and, for each, the run ``builtin``
    predicting ``candidates``."""
    docs = docs or [("doc-1", TEXT), ("doc-2", TEXT), ("doc-3", TEXT)]
    store = Store.open(path)
    items = [(f"test:{i}", AnnotatedDocument(document(d, t, lang=lang), candidates(t) if with_candidates else []))
             for i, (d, t) in enumerate(docs, 1)]
    store.import_documents(items, owner=Owner.run("builtin") if with_candidates else None)
    return store


@contextmanager
def on_disk(path: Path) -> Iterator[Store]:
    """A connection of its own to the database file (what is on disk, not what an app holds), closed after."""
    store = Store.open(path)
    try:
        yield store
    finally:
        store.close()


def statuses(path: Path, annotator: str = "ann") -> dict[str, str]:
    """The annotator's status of each of make_store's three default documents."""
    with on_disk(path) as store:
        return {d: store.status(d, annotator) for d in ("doc-1", "doc-2", "doc-3")}


def set_statuses(path: Path, wanted: dict[str, str], annotator: str = "ann") -> None:
    with on_disk(path) as store:
        for doc_id, status in wanted.items():
            store.set_status(doc_id, annotator, status)


def labels(store: Store, annotator: str, doc_id: str) -> list[Quote]:
    return store.quotes(doc_id, Owner.annotator(annotator))


def events(store: Store, annotator: str, doc_id: str | None = None) -> list[tuple[str, dict | None, dict | None]]:
    rows = store.conn.execute(
        "SELECT action, before, after FROM events WHERE annotator = ? AND (? IS NULL OR doc_id = ?) ORDER BY id",
        (annotator, doc_id, doc_id),
    ).fetchall()
    return [(a, json.loads(b) if b else None, json.loads(c) if c else None) for a, b, c in rows]


def actions(store: Store, annotator: str, doc_id: str | None = None) -> list[str]:
    return [a for a, _, _ in events(store, annotator, doc_id)]


class CountingAttributor:
    """Stands in for the built-in attributor: the test's three candidates, and which documents it was asked."""

    def __init__(self):
        self.calls: list[str] = []

    def attribute(self, document: Document) -> list[Quote]:
        self.calls.append(document.id)
        return candidates(document.text)
