"""Label editing for the annotation screen, and undo/redo read from the event log.

Every change is one committed transaction holding the change and its event
row (before and after state), so what the screen shows as saved is on disk and
the log alone can replay, audit or reverse it. Undo and redo append events
too; the undo and redo stacks of a document are derived from its log, so they
survive a restart. The annotator's decisions on the document itself (done,
skipped, back in progress) are on the same stacks.
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
    Owner,
    Quote,
    Span,
    SpanError,
    Speaker,
)
from annotator.store.store import _OWNER_WHERE, StaleTextError, Store, _owner_columns, now, quote_state

# Event actions that change one label; undo and redo walk these.
LABEL_ACTIONS = (
    "accept", "reject", "type", "start", "end", "speaker", "role", "role_category", "cue", "create", "via",
    "speaker_kind",
)
# A document status the annotator chose (done, skipped, back in progress); undone like a label change.
# Statuses set on their own (opening a document to do, an import) are logged as plain ``status``.
DOC_STATUS = "doc_status"
UNDO, REDO = "undo", "redo"
CANDIDATES = "candidates"


class LabelError(Exception):
    """A label change that cannot be made; the message says why in one sentence."""


@dataclass(frozen=True)
class Event:
    id: int
    action: str
    quote_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class Entity:
    """A speaker entity of one layer of a document, with its mentions and the roles given to it."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    mentions: list[Span] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


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
        status=state.get("status") or "accepted",
    )


def _comparable(state: dict[str, Any] | None) -> str | None:
    """A state for equality checks: speaker aliases and kind left out (they belong to the entity, which
    other quotes share: a change of kind through one quote must not make the others look changed)."""
    if state is None:
        return None
    state = json.loads(json.dumps(state))
    if state.get("speaker"):
        state["speaker"].pop("aliases", None)
        state["speaker"].pop("kind", None)
    return json.dumps(state, sort_keys=True, ensure_ascii=False)


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
            """SELECT start, "end", text, type, cue_start, cue_end, cue_text, speaker_id, mention_id,
                      role, role_category, via
               FROM quotes WHERE doc_id = ? AND annotator IS NULL AND run = ?
               ORDER BY start, "end", id""",
            (doc_id, run),
        ).fetchall()
        if not rows:
            return []
        text = _document(store, doc_id, text_sha256).text
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
        for (start, end, qtext, qtype, cs, ce, ct, sid, mid, role, category, via) in rows:
            Span(start, end, qtext).check(text)
            if cs is not None:
                Span(cs, ce, ct).check(text)
            ids.append(conn.execute(
                """INSERT INTO quote_rows (doc_id, annotator, run, start, "end", text, type, cue_start, cue_end,
                       cue_text, speaker_id, mention_id, role, role_category, via, status, origin, updated_at)
                   VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)""",
                (doc_id, annotator, start, end, qtext, qtype, cs, ce, ct,
                 speakers.get(sid), mentions.get(mid), role, category, via, f"run:{run}", stamp),
            ).lastrowid)
        store.log_event(annotator, doc_id, CANDIDATES, None, None, {"run": run, "quotes": ids})
    return ids


def run_has_document(store: Store, run: str, doc_id: str) -> bool:
    return store.conn.execute(
        "SELECT 1 FROM quotes WHERE run = ? AND doc_id = ? LIMIT 1", (run, doc_id)
    ).fetchone() is not None


# --- changes -------------------------------------------------------------------------


def _document(store: Store, doc_id: str, sha256: str | None = None) -> Document:
    """The document read inside the change's transaction; a LabelError when its text is not ``sha256``
    (another import replaced it since the caller read it), so no label is written against the wrong text."""
    try:
        return store.current_document(doc_id, sha256)
    except KeyError:
        raise LabelError(f"no document {doc_id!r} in the database") from None
    except StaleTextError as exc:
        raise LabelError(str(exc)) from None


def _owned(store: Store, annotator: str, quote_id: int) -> tuple[str, Quote]:
    row = store.conn.execute("SELECT doc_id, annotator FROM quotes WHERE id = ?", (quote_id,)).fetchone()
    if row is None or row[1] != annotator:
        raise LabelError(f"quote {quote_id} is not one of {annotator}'s labels")
    return row[0], store.quote(quote_id)


def _write_state(
    store: Store, doc: Document, annotator: str, quote_id: int, quote: Quote | None, kind: bool = False
) -> None:
    """Make the stored quote ``quote_id`` equal ``quote`` (None deletes it; a missing row is re-created).

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
        new_id = store._insert_quote(doc, owner, quote, origin="manual")
        store.conn.execute("UPDATE quote_rows SET id = ? WHERE id = ?", (quote_id, new_id))
        return
    speaker_id, mention_id = store._link_speaker(doc.id, owner, quote.speaker)
    if kind and quote.speaker is not None:
        store.conn.execute("UPDATE speaker_rows SET kind = ? WHERE id = ?", (quote.speaker.kind, speaker_id))
    cue = quote.cue
    store.conn.execute(
        """UPDATE quote_rows SET start = ?, "end" = ?, text = ?, type = ?, cue_start = ?, cue_end = ?,
               cue_text = ?, speaker_id = ?, mention_id = ?, role = ?, role_category = ?, via = ?,
               status = ?, updated_at = ? WHERE id = ?""",
        (quote.start, quote.end, quote.text, quote.type,
         cue.start if cue else None, cue.end if cue else None, cue.text if cue else None,
         speaker_id, mention_id, quote.role, quote.role_category, quote.via, quote.status, now(),
         quote_id),
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
        doc = _document(store, doc_id, text_sha256)
        if "type" in changes and changes["type"] not in QUOTE_TYPES:
            raise LabelError(f"type {changes['type']!r} is not one of {', '.join(QUOTE_TYPES)}")
        after = before.with_changes(**changes)
        if "start" in changes or "end" in changes:
            if not 0 <= after.start < after.end <= len(doc.text):
                raise LabelError(f"a quote cannot span [{after.start}, {after.end})")
            after.text = doc.text[after.start : after.end]
        if _comparable(quote_state(after)) == _comparable(quote_state(before)):
            return before
        _write_state(store, doc, annotator, quote_id, after)
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
        _write_state(store, _document(store, doc_id, text_sha256), annotator, quote_id, after, kind=True)
        stored = store.quote(quote_id)
        store.log_event(annotator, doc_id, "speaker_kind", quote_id, quote_state(before), quote_state(stored))
    return stored


def set_document_status(store: Store, annotator: str, doc_id: str, status: str) -> bool:
    """The annotator's decision on a document (done, skipped, in_progress), logged as ``doc_status`` so undo
    and redo reach it; False when it already had that status."""
    if status not in DOC_STATUSES:
        raise LabelError(f"status {status!r} is not one of {', '.join(DOC_STATUSES)}")
    with store.write():
        _document(store, doc_id)
        before = store.status(doc_id, annotator)
        if before == status:
            return False
        store._write_status(doc_id, annotator, status)
        store.log_event(annotator, doc_id, DOC_STATUS, None, {"status": before}, {"status": status})
    return True


def create_label(
    store: Store, annotator: str, doc_id: str, quote: Quote, text_sha256: str | None = None
) -> Quote:
    """A new label made by hand, logged as ``create``."""
    with store.write():
        _document(store, doc_id, text_sha256)
        try:
            (qid,) = store.add_labels(annotator, doc_id, [quote], origin="manual", action="create")
        except SpanError as exc:
            raise LabelError(str(exc)) from None
    return store.quote(qid)


# --- undo and redo ---------------------------------------------------------------------


def history(store: Store, annotator: str, doc_id: str) -> tuple[list[Event], list[Event]]:
    """The undo and redo stacks of one annotator's document, replayed from its event log.

    A label change pushes onto the undo stack and clears the redo stack; an
    ``undo`` event moves the top of the undo stack to the redo stack, ``redo``
    moves it back.
    """
    actions = (*LABEL_ACTIONS, DOC_STATUS, UNDO, REDO)
    rows = store.conn.execute(
        f"SELECT id, action, quote_id, before, after FROM events "
        f"WHERE annotator = ? AND doc_id = ? AND action IN ({','.join('?' * len(actions))}) ORDER BY id",
        (annotator, doc_id, *actions),
    ).fetchall()
    undo: list[Event] = []
    redo: list[Event] = []
    for eid, action, qid, before, after in rows:
        if action == UNDO:
            if undo:
                redo.append(undo.pop())
        elif action == REDO:
            if redo:
                undo.append(redo.pop())
        else:
            undo.append(Event(eid, action, qid, json.loads(before) if before else None,
                              json.loads(after) if after else None))
            redo.clear()
    return undo, redo


def _reverse(store: Store, annotator: str, doc_id: str, which: str, text_sha256: str | None) -> Event | None:
    with store.write():
        undo, redo = history(store, annotator, doc_id)
        stack = undo if which == UNDO else redo
        if not stack:
            return None
        event = stack[-1]
        expected, target = (event.after, event.before) if which == UNDO else (event.before, event.after)
        if event.action == DOC_STATUS:
            current_status = store.status(doc_id, annotator)
            if current_status != expected["status"]:
                raise LabelError(f"the document is {current_status} now, not {expected['status']}; "
                                 f"nothing to {which} there")
            store._write_status(doc_id, annotator, target["status"])
            store.log_event(annotator, doc_id, which, None, {"status": current_status}, target)
            return event
        row = store.conn.execute(
            "SELECT doc_id, annotator FROM quotes WHERE id = ?", (event.quote_id,)
        ).fetchone()
        if row is not None and tuple(row) != (doc_id, annotator):
            raise LabelError(
                f"quote id {event.quote_id} now belongs to another label; nothing to {which} there"
            )
        current_state = quote_state(store.quote(event.quote_id)) if row else None
        if _comparable(current_state) != _comparable(expected):
            raise LabelError(
                f"quote {event.quote_id} was changed elsewhere since; nothing to {which} there"
            )
        doc = _document(store, doc_id, text_sha256)
        _write_state(store, doc, annotator, event.quote_id, quote_from_state(target) if target else None,
                     kind=event.action == "speaker_kind")
        stored = quote_state(store.quote(event.quote_id)) if target else None
        store.log_event(annotator, doc_id, which, event.quote_id, current_state, stored)
    return event


def undo(store: Store, annotator: str, doc_id: str, text_sha256: str | None = None) -> Event | None:
    """Reverse the last label change on this document; the reversed event, or None when there is none."""
    return _reverse(store, annotator, doc_id, UNDO, text_sha256)


def redo(store: Store, annotator: str, doc_id: str, text_sha256: str | None = None) -> Event | None:
    """Make again the last undone change on this document; that event, or None."""
    return _reverse(store, annotator, doc_id, REDO, text_sha256)


# --- speaker entities -------------------------------------------------------------------


def entities(store: Store, doc_id: str, owner: Owner) -> list[Entity]:
    """The speaker entities of one layer of a document, with their mentions and roles, by name."""
    annotator, run = _owner_columns(owner)
    found: dict[int, Entity] = {}
    for sid, name, kind, aliases in store.conn.execute(
        f"SELECT id, name, kind, aliases FROM speakers WHERE doc_id = ? AND {_OWNER_WHERE} ORDER BY id",
        (doc_id, annotator, run),
    ):
        found[sid] = Entity(name, kind, tuple(json.loads(aliases)))
    if not found:
        return []
    # Joined through the layer's speakers rather than listed by id: one read per table, however
    # many entities (a list of ids would also hit SQLite's limit on parameters).
    for sid, start, end, text in store.conn.execute(
        'SELECT m.speaker_id, m.start, m."end", m.text FROM mentions m JOIN speakers s ON s.id = m.speaker_id '
        f"WHERE s.doc_id = ? AND s.{_OWNER_WHERE} ORDER BY m.start",
        (doc_id, annotator, run),
    ):
        found[sid].mentions.append(Span(start, end, text))
    roles: dict[int, dict[str, None]] = {}  # ordered sets: a role given many times is looked up once
    for sid, role in store.conn.execute(
        f"SELECT speaker_id, role FROM quotes WHERE doc_id = ? AND {_OWNER_WHERE} AND speaker_id IS NOT NULL "
        "AND role IS NOT NULL AND role <> '' ORDER BY start",
        (doc_id, annotator, run),
    ):
        roles.setdefault(sid, {})[role] = None
    for sid, given in roles.items():
        found[sid].roles = list(given)
    return list(found.values())
