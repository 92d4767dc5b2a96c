"""Label edits for the annotation screen: candidates seeded from a run, changes, new labels, statuses.

Every change is one committed transaction holding the change and its event
row (before and after state), so what the screen shows as saved is on disk and
the log alone can replay, audit or reverse it (annotator.store.history reads
it for undo and redo). The annotator's decisions on the document itself (done,
skipped, back in progress) are logged the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from annotator.model import (
    DOC_STATUSES,
    QUOTE_STATUSES,
    QUOTE_TYPES,
    SPEAKER_KINDS,
    Document,
    DocumentStatus,
    Owner,
    Quote,
    Span,
    SpanError,
)
from annotator.store.rows import OWNER_WHERE, QUOTE_VALUE_COLUMNS, owner_columns, quote_state, quote_values, same_label
from annotator.store.store import StaleTextError, Store, now

# Event actions that change one label; undo and redo walk these.
LABEL_ACTIONS = (
    "accept", "reject", "type", "start", "end", "speaker", "role", "role_category", "cue", "create", "via",
    "speaker_kind", "adjudicate",
)
# A document status the annotator chose (done, skipped, back in progress); undone like a label change.
# Statuses set on their own (a first change to a document to do, an import) are logged as plain ``status``.
DOC_STATUS = "doc_status"
CANDIDATES = "candidates"


class LabelError(Exception):
    """A label change that cannot be made; the message says why in one sentence."""


@dataclass
class KnownSpeaker:
    """A speaker entity of one layer of a document, with its mentions and the roles given to it."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    mentions: list[Span] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


# --- candidates ------------------------------------------------------------------


def seed_candidates(
    store: Store, annotator: str, doc_id: str, run: str, text_sha256: str | None = None
) -> list[int]:
    """Copy a run's predictions, with its speaker entities and mentions, into the annotator's layer
    as pending candidates.

    Only when the annotator has no quotes on the document yet, so it happens
    once; one transaction and one ``candidates`` event. Returns the new ids.
    Rows are copied table to table (ids mapped), so a document with hundreds
    of candidates opens in a few milliseconds.
    """
    owner = Owner.annotator(annotator)
    conn = store.conn
    with store.write():
        if store.layer_size(doc_id, owner) or not store.has_run(run):
            return []
        rows = conn.execute(
            f"""SELECT {QUOTE_VALUE_COLUMNS} FROM quotes WHERE doc_id = ? AND annotator IS NULL AND run = ?
                ORDER BY start, "end", id""",
            (doc_id, run),
        ).fetchall()
        if not rows:
            return []
        text = document_for_change(store, doc_id, text_sha256).text
        speakers: dict[int, int] = {}
        for sid, name, kind, aliases in conn.execute(
            "SELECT id, name, kind, aliases FROM speakers WHERE doc_id = ? AND annotator IS NULL AND run = ?",
            (doc_id, run),
        ).fetchall():
            speakers[sid] = conn.execute(
                "INSERT INTO speaker_rows (doc_id, annotator, run, name, kind, aliases) VALUES (?, ?, NULL, ?, ?, ?)",
                (doc_id, annotator, name, kind, aliases),
            ).lastrowid
        mentions: dict[int, int] = {}
        for mid, sid, start, end, mtext in conn.execute(
            'SELECT m.id, m.speaker_id, m.start, m."end", m.text FROM mentions m '
            "JOIN speakers s ON s.id = m.speaker_id WHERE s.doc_id = ? AND s.annotator IS NULL AND s.run = ?",
            (doc_id, run),
        ).fetchall():
            Span(start, end, mtext).check(text)
            mentions[mid] = conn.execute(
                'INSERT INTO mentions (speaker_id, start, "end", text) VALUES (?, ?, ?, ?)',
                (speakers[sid], start, end, mtext),
            ).lastrowid
        ids = []
        stamp = now()
        for (start, end, qtext, qtype, cs, ce, ct, sid, mid, role, category, via, _, _) in rows:
            Span(start, end, qtext).check(text)
            if cs is not None:
                Span(cs, ce, ct).check(text)
            ids.append(conn.execute(
                f"""INSERT INTO quote_rows (doc_id, annotator, run, {QUOTE_VALUE_COLUMNS}, origin, updated_at)
                    VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', NULL, ?, ?)""",
                (doc_id, annotator, start, end, qtext, qtype, cs, ce, ct,
                 speakers.get(sid), mentions.get(mid), role, category, via, f"run:{run}", stamp),
            ).lastrowid)
        store.log_event(annotator, doc_id, CANDIDATES, None, None, {"run": run, "quotes": ids})
    return ids


def run_has_document(store: Store, run: str, doc_id: str) -> bool:
    """Whether the run has predictions on this document, so that there are candidates to seed."""
    return store.conn.execute(
        "SELECT 1 FROM quotes WHERE run = ? AND doc_id = ? LIMIT 1", (run, doc_id)
    ).fetchone() is not None


# --- changes -------------------------------------------------------------------------


def document_for_change(store: Store, doc_id: str, sha256: str | None = None) -> Document:
    """The document read inside the change's transaction; a LabelError when its text is not ``sha256``
    (another import replaced it since the caller read it), so no label is written against the wrong text."""
    try:
        return store.current_document(doc_id, sha256)
    except KeyError:
        raise LabelError(f"no document {doc_id!r} in the database") from None
    except StaleTextError as exc:
        raise LabelError(str(exc)) from None


def _owned(store: Store, annotator: str, quote_id: int) -> tuple[str, Quote]:
    """The document of one of the annotator's labels, and the label; a LabelError for anyone else's."""
    row = store.conn.execute("SELECT doc_id, annotator FROM quotes WHERE id = ?", (quote_id,)).fetchone()
    if row is None or row[1] != annotator:
        raise LabelError(f"quote {quote_id} is not one of {annotator}'s labels")
    return row[0], store.quote(quote_id)


def write_label(
    store: Store, doc: Document, annotator: str, quote_id: int, quote: Quote | None, kind: bool = False
) -> None:
    """Make the stored quote ``quote_id`` equal ``quote`` (None deletes it; a missing row is re-created),
    inside the caller's write transaction and without an event (the caller logs its own).

    ``kind`` also sets its speaker entity's kind to the quote's (for every quote of that entity).
    """
    if quote is None:
        store.conn.execute("DELETE FROM quote_rows WHERE id = ?", (quote_id,))
        return
    try:
        quote.check(doc.text)
    except SpanError as exc:
        raise LabelError(f"quote {quote_id}: {exc}") from None
    if quote.status not in QUOTE_STATUSES:
        raise LabelError(f"status {quote.status!r} is not one of {', '.join(QUOTE_STATUSES)}")
    owner = Owner.annotator(annotator)
    exists = store.conn.execute("SELECT 1 FROM quotes WHERE id = ?", (quote_id,)).fetchone()
    if not exists and store.conn.execute("SELECT 1 FROM quote_rows WHERE id = ?", (quote_id,)).fetchone():
        raise LabelError(f"quote id {quote_id} is held by an import still running; try again when it has finished")
    if not exists:
        new_id = store.insert_quote(doc, owner, quote, origin="manual")
        store.conn.execute("UPDATE quote_rows SET id = ? WHERE id = ?", (quote_id, new_id))
        return
    speaker_id, mention_id = store.link_speaker(doc.id, owner, quote.speaker)
    if kind and quote.speaker is not None:
        store.conn.execute("UPDATE speaker_rows SET kind = ? WHERE id = ?", (quote.speaker.kind, speaker_id))
    values = (*quote_values(quote, speaker_id, mention_id), now())
    store.conn.execute(
        f"UPDATE quote_rows SET ({QUOTE_VALUE_COLUMNS}, updated_at) = ({', '.join('?' * len(values))}) WHERE id = ?",
        (*values, quote_id),
    )


def update_label(
    store: Store, annotator: str, quote_id: int, action: str, text_sha256: str | None = None, **changes: Any
) -> Quote:
    """Change fields of one label (``start``/``end`` recompute its text), logged as ``action``.

    Returns the stored quote after the commit; a change to the same state logs nothing.
    ``text_sha256`` (here and below): the text the caller shows; the change is refused if it was replaced.
    """
    if action not in LABEL_ACTIONS:
        raise ValueError(f"unknown label action {action!r}")
    with store.write():
        doc_id, before = _owned(store, annotator, quote_id)
        doc = document_for_change(store, doc_id, text_sha256)
        if "type" in changes and changes["type"] not in QUOTE_TYPES:
            raise LabelError(f"type {changes['type']!r} is not one of {', '.join(QUOTE_TYPES)}")
        after = before.with_changes(**changes)
        if "start" in changes or "end" in changes:
            if not 0 <= after.start < after.end <= len(doc.text):
                raise LabelError(f"a quote cannot span [{after.start}, {after.end})")
            after.text = doc.text[after.start : after.end]
        if same_label(quote_state(after), quote_state(before)):
            return before
        start_work(store, annotator, doc_id)
        write_label(store, doc, annotator, quote_id, after)
        stored = store.quote(quote_id)
        store.log_event(annotator, doc_id, action, quote_id, quote_state(before), quote_state(stored))
    return stored


def set_speaker_kind(
    store: Store, annotator: str, quote_id: int, kind: str, text_sha256: str | None = None
) -> Quote:
    """Change the kind of the current quote's speaker entity (every quote naming it follows), logged as
    ``speaker_kind`` on this quote so it is undone from here."""
    if kind not in SPEAKER_KINDS:
        raise LabelError(f"kind {kind!r} is not one of {', '.join(SPEAKER_KINDS)}")
    with store.write():
        doc_id, before = _owned(store, annotator, quote_id)
        if before.speaker is None:
            raise LabelError("this quote has no speaker yet; press s to give it one")
        if before.speaker.kind == kind:
            return before
        after = before.with_changes(speaker=replace(before.speaker, kind=kind))
        start_work(store, annotator, doc_id)
        write_label(store, document_for_change(store, doc_id, text_sha256), annotator, quote_id, after, kind=True)
        stored = store.quote(quote_id)
        store.log_event(annotator, doc_id, "speaker_kind", quote_id, quote_state(before), quote_state(stored))
    return stored


def start_work(store: Store, annotator: str, doc_id: str) -> None:
    """A document to do becomes in progress with the annotator's first change to it, inside that change's
    transaction (a plain ``status`` event: undo passes over it). Opening a document and leaving changes nothing."""
    if store.status(doc_id, annotator) == "todo":
        store.write_status(doc_id, annotator, "in_progress")
        store.log_event(annotator, doc_id, "status", None, {"status": "todo"}, {"status": "in_progress"})


def set_document_status(store: Store, annotator: str, doc_id: str, status: DocumentStatus) -> bool:
    """The annotator's decision on a document (done, skipped, in_progress), logged as ``doc_status`` so undo
    and redo reach it; False when it already had that status."""
    if status not in DOC_STATUSES:
        raise LabelError(f"status {status!r} is not one of {', '.join(DOC_STATUSES)}")
    with store.write():
        document_for_change(store, doc_id)
        before = store.status(doc_id, annotator)
        if before == status:
            return False
        store.write_status(doc_id, annotator, status)
        store.log_event(annotator, doc_id, DOC_STATUS, None, {"status": before}, {"status": status})
    return True


def create_label(
    store: Store, annotator: str, doc_id: str, quote: Quote, text_sha256: str | None = None
) -> Quote:
    """A new label made by hand, logged as ``create``."""
    with store.write():
        document_for_change(store, doc_id, text_sha256)
        start_work(store, annotator, doc_id)
        try:
            (qid,) = store.add_labels(annotator, doc_id, [quote], origin="manual", action="create")
        except SpanError as exc:
            raise LabelError(str(exc)) from None
    return store.quote(qid)


def adjudicate_label(
    store: Store, into: str, doc_id: str, quote_id: int | None, quote: Quote, text_sha256: str | None = None
) -> Quote:
    """The adjudicator's label for one quote: a new one (``quote_id`` None) or in place of the one they had,
    logged as ``adjudicate`` with the quote's provenance in its state, so undo and redo reach it."""
    with store.write():
        doc = document_for_change(store, doc_id, text_sha256)
        if quote_id is None:
            start_work(store, into, doc_id)
            try:
                (qid,) = store.add_labels(into, doc_id, [quote], origin="adjudication", action="adjudicate")
            except SpanError as exc:
                raise LabelError(str(exc)) from None
            return store.quote(qid)
        _, before = _owned(store, into, quote_id)
        if same_label(quote_state(quote), quote_state(before)):
            return before
        start_work(store, into, doc_id)
        write_label(store, doc, into, quote_id, quote)
        stored = store.quote(quote_id)
        store.log_event(into, doc_id, "adjudicate", quote_id, quote_state(before), quote_state(stored))
    return stored


def has_label_event(store: Store, annotator: str, quote_id: int, action: str) -> bool:
    """Whether the annotator's log holds an ``action`` event on this label (a choice they made themselves)."""
    return store.conn.execute(
        "SELECT 1 FROM events WHERE annotator = ? AND quote_id = ? AND action = ? LIMIT 1",
        (annotator, quote_id, action),
    ).fetchone() is not None


# --- values used, for completion ------------------------------------------------------------


# What each completed input reads: the column, and the rows it is read from.
COMPLETED_FIELDS = {
    "role": ("q.role", "quotes q"),
    "via": ("q.via", "quotes q"),
    "speaker": ("s.name", "quotes q JOIN speakers s ON s.id = q.speaker_id"),
}


def used_values(store: Store, field: str, doc_id: str, limit: int = 500) -> list[str]:
    """The values of a quote field (role, via, or the speaker's name) the labels use: this document's first,
    most used first, then the rest of the database's; what an input completes from."""
    if field not in COMPLETED_FIELDS:
        raise ValueError(f"no completion for {field!r}")
    column, rows = COMPLETED_FIELDS[field]
    return [r[0] for r in store.conn.execute(
        f"""SELECT {column} FROM {rows} WHERE q.annotator IS NOT NULL AND {column} IS NOT NULL AND {column} <> ''
            GROUP BY {column} ORDER BY max(q.doc_id = ?) DESC, count(*) DESC, {column} LIMIT ?""",
        (doc_id, limit),
    )]


# --- speaker entities -------------------------------------------------------------------


def known_speakers(store: Store, doc_id: str, owner: Owner) -> list[KnownSpeaker]:
    """The speaker entities of one layer of a document, with their mentions and roles, by name."""
    annotator, run = owner_columns(owner)
    found: dict[int, KnownSpeaker] = {}
    for sid, name, kind, aliases in store.conn.execute(
        f"SELECT id, name, kind, aliases FROM speakers WHERE doc_id = ? AND {OWNER_WHERE} ORDER BY id",
        (doc_id, annotator, run),
    ):
        found[sid] = KnownSpeaker(name, kind, tuple(json.loads(aliases)))
    if not found:
        return []
    # Joined through the layer's speakers rather than listed by id: one read per table, however
    # many entities (a list of ids would also hit SQLite's limit on parameters).
    for sid, start, end, text in store.conn.execute(
        'SELECT m.speaker_id, m.start, m."end", m.text FROM mentions m JOIN speakers s ON s.id = m.speaker_id '
        f"WHERE s.doc_id = ? AND s.{OWNER_WHERE} ORDER BY m.start",
        (doc_id, annotator, run),
    ):
        found[sid].mentions.append(Span(start, end, text))
    roles: dict[int, dict[str, None]] = {}  # ordered sets: a role given many times is looked up once
    for sid, role in store.conn.execute(
        f"SELECT speaker_id, role FROM quotes WHERE doc_id = ? AND {OWNER_WHERE} AND speaker_id IS NOT NULL "
        "AND role IS NOT NULL AND role <> '' ORDER BY start",
        (doc_id, annotator, run),
    ):
        roles.setdefault(sid, {})[role] = None
    for sid, given in roles.items():
        found[sid].roles = list(given)
    return list(found.values())
