"""Rows of the store's tables and the dataclasses of annotator.model, each way: every column list in one place.

A query that reads quotes or documents selects the columns named here and
hands its rows to the converter beside them, so a column added to a table is
added once. The event log keeps a quote in its JSON form (``quote_state``),
which ``quote_from_state`` turns back into a quote.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from annotator.model import Document, Owner, Quote, Span, Speaker, quote_json

# The condition that picks one owner's layer; its parameters are ``owner_columns(owner)``.
OWNER_WHERE = "annotator IS ? AND run IS ?"


def owner_columns(owner: Owner) -> tuple[str | None, str | None]:
    """The (annotator, run) columns of an owner's rows: one of the two is NULL."""
    if owner.kind == "annotator":
        return owner.name, None
    if owner.kind == "run":
        return None, owner.name
    raise ValueError(f"unknown owner kind {owner.kind!r}")


DOCUMENT_COLUMNS = "id, text, lang, meta, sha256"


def document_from_row(row: sqlite3.Row | tuple) -> Document:
    """A document from the ``DOCUMENT_COLUMNS`` of its row."""
    doc_id, text, lang, meta, digest = row
    return Document(id=doc_id, text=text, lang=lang, meta=json.loads(meta), sha256=digest)


# What a quote row says of its label, in the order of ``quote_values``: every column but its owner,
# document, origin and bookkeeping.
QUOTE_VALUE_COLUMNS = (
    'start, "end", text, type, cue_start, cue_end, cue_text, speaker_id, mention_id, role, role_category, via, status, '
    "adjudication"
)


def quote_values(quote: Quote, speaker_id: int | None, mention_id: int | None) -> tuple:
    """The values of ``QUOTE_VALUE_COLUMNS`` for a quote whose speaker is stored as these ids."""
    cue = quote.cue
    return (
        quote.start, quote.end, quote.text, quote.type,
        cue.start if cue else None, cue.end if cue else None, cue.text if cue else None,
        speaker_id, mention_id, quote.role, quote.role_category, quote.via, quote.status,
        None if quote.adjudication is None else json.dumps(quote.adjudication, ensure_ascii=False, sort_keys=True),
    )


# The columns of a quote_query row, in the order quote_from_row reads them.
_QUOTE_COLUMNS = (
    'q.id, q.start, q."end", q.text, q.type, q.cue_start, q.cue_end, q.cue_text, q.role, q.role_category, q.via, '
    'q.status, q.adjudication, s.id, s.name, s.kind, s.aliases, m.start, m."end", m.text'
)


def quote_query(quotes: str = "quotes", speakers: str = "speakers") -> str:
    """A SELECT of quotes with their speaker and mention, whose rows ``quote_from_row`` reads.

    The quotes are ``q``; the caller adds its WHERE and ORDER BY. Readers pass the views (the
    default); a reader that must also see an import's staged rows passes the tables.
    """
    return (
        f"SELECT {_QUOTE_COLUMNS} FROM {quotes} q LEFT JOIN {speakers} s ON s.id = q.speaker_id "
        "LEFT JOIN mentions m ON m.id = q.mention_id"
    )


def quote_from_row(row: sqlite3.Row | tuple) -> Quote:
    """A quote, with its speaker entity and mention, from a row of ``quote_query``."""
    (qid, start, end, text, qtype, cs, ce, ct, role, role_cat, via, status, adjudication,
     sid, sname, skind, saliases, ms, me, mt) = row
    speaker = None
    if sid is not None:
        speaker = Speaker(
            name=sname,
            kind=skind,
            mention=Span(ms, me, mt) if ms is not None else None,
            aliases=tuple(json.loads(saliases)),
            id=sid,
        )
    return Quote(
        start=start, end=end, text=text, type=qtype,
        cue=Span(cs, ce, ct) if cs is not None else None,
        speaker=speaker, role=role, role_category=role_cat, via=via,
        status=status, id=qid, adjudication=json.loads(adjudication) if adjudication else None,
    )


def quote_state(quote: Quote | None) -> dict[str, Any] | None:
    """A quote as it goes into the event log: enough to restore it exactly."""
    if quote is None:
        return None
    state = quote_json(quote)
    state["status"] = quote.status
    return state


def quote_from_state(state: dict[str, Any]) -> Quote:
    """The inverse of ``quote_state``: a quote from its event-log form."""

    def span(obj: dict | None) -> Span | None:
        return Span(obj["start"], obj["end"], obj["text"]) if obj else None

    sp = state.get("speaker")
    speaker = None
    if sp:
        speaker = Speaker(name=sp["name"], kind=sp.get("kind") or "unknown",
                          mention=span(sp.get("mention")), aliases=tuple(sp.get("aliases") or ()))
    return Quote(
        start=state["start"], end=state["end"], text=state["text"], type=state["type"],
        cue=span(state.get("cue")), speaker=speaker, role=state.get("role"),
        role_category=state.get("role_category"), via=state.get("via"),
        status=state.get("status") or "accepted", adjudication=state.get("adjudication"),
    )


def same_label(state: dict[str, Any] | None, other: dict[str, Any] | None) -> bool:
    """Whether two event-log states are the same label.

    A speaker's aliases and kind are left out: they belong to the entity, which
    other quotes share, so a change of kind through one quote must not make the
    others look changed.
    """
    return _comparable(state) == _comparable(other)


def _comparable(state: dict[str, Any] | None) -> str | None:
    if state is None:
        return None
    state = json.loads(json.dumps(state))
    if state.get("speaker"):
        state["speaker"].pop("aliases", None)
        state["speaker"].pop("kind", None)
    return json.dumps(state, sort_keys=True, ensure_ascii=False)
