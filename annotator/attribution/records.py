"""The attributor over records in the interchange shape, for pipelines and clusters (README "Attributing at scale").

A plain function of an iterable, picklable by name, so that it is what a Dask partition, a Spark
``mapPartitions`` or a worker process of ``annotator attribute --jobs`` runs: no database, nothing
held between records but the lexicons, which each process loads once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from annotator.attribution.rules import RuleAttributor
from annotator.model import Document, as_stored, quote_json, quote_order
from annotator.text import normalise


def attribute_records(
    records: Iterable[dict[str, Any]],
    *,
    language: str | None = None,
    scope: str = "all",
    types: Iterable[str] = (),
) -> Iterator[dict[str, Any]]:
    """Each record with ``quotes`` replaced by the built-in attributor's, in the order given.

    A record is a document as a line of the interchange format holds it (docs/format.md): an
    ``id``, a ``text``, optionally ``lang`` and ``meta``; its other keys are kept. ``text`` comes
    back normalised, the text the quotes' offsets count in. ``language`` forces a lexicon,
    ``scope`` is ``all`` or ``public``, ``types`` keeps only quotes of those types: the options of
    ``annotator predict``, whose quotes these are as the database stores them (each speaker as its
    entity: ``as_stored``). ValueError names a record that is not a document.
    """
    attributor = RuleAttributor(language, scope)
    keep = frozenset(types)
    for record in records:
        yield attributed_record(attributor, keep, record_document(record), record)


def attributed_record(attributor: RuleAttributor, keep: frozenset[str], document: Document,
                      record: dict[str, Any]) -> dict[str, Any]:
    """``record`` (holding ``document``) with the attributor's quotes of the types in ``keep`` (all when empty),
    each checked against the text as the store checks what ``predict`` saves (SpanError otherwise)."""
    quotes = as_stored([q for q in attributor.attribute(document) if not keep or q.type in keep])
    for quote in quotes:
        quote.check(document.text)
    quotes.sort(key=quote_order)
    return {**record, "text": document.text, "quotes": [quote_json(q) for q in quotes]}


def record_document(record: Any) -> Document:
    """The document a record holds, its text normalised as an import stores it; ValueError when it holds none."""
    if not isinstance(record, dict):
        raise ValueError(f"a record must be an object, got {type(record).__name__}")
    doc_id = record.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise ValueError('a record has no "id" (a non-empty string)')
    text, lang, meta = record.get("text"), record.get("lang"), record.get("meta") or {}
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f'record {doc_id!r} has no "text" (a non-empty string)')
    if lang is not None and not isinstance(lang, str):
        raise ValueError(f'record {doc_id!r}: "lang" must be a string')
    if not isinstance(meta, dict):
        raise ValueError(f'record {doc_id!r}: "meta" must be an object')
    return Document(id=doc_id, text=normalise(text), lang=lang, meta=meta)
