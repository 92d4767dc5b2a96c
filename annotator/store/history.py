"""Undo and redo, read from the event log.

The undo and redo stacks of a document are derived from its log, so they
survive a restart; undo and redo append events too. The annotator's decisions
on the document itself (done, skipped, back in progress) are on the same stacks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from annotator.store.edits import DOC_STATUS, LABEL_ACTIONS, LabelError, document_for_change, write_label
from annotator.store.rows import quote_from_state, quote_state, same_label
from annotator.store.store import Store

UNDO, REDO = "undo", "redo"


@dataclass(frozen=True)
class HistoryEntry:
    """One change on a document's undo or redo stack: its event, with the state before and after."""

    id: int
    action: str
    quote_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def history(store: Store, annotator: str, doc_id: str) -> tuple[list[HistoryEntry], list[HistoryEntry]]:
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
    undo: list[HistoryEntry] = []
    redo: list[HistoryEntry] = []
    for eid, action, qid, before, after in rows:
        if action == UNDO:
            if undo:
                redo.append(undo.pop())
        elif action == REDO:
            if redo:
                undo.append(redo.pop())
        else:
            undo.append(HistoryEntry(eid, action, qid, json.loads(before) if before else None,
                                     json.loads(after) if after else None))
            redo.clear()
    return undo, redo


def _reverse(
    store: Store, annotator: str, doc_id: str, which: str, text_sha256: str | None
) -> HistoryEntry | None:
    """Undo or redo (``which``) the top of that stack, logged as an ``undo`` or ``redo`` event.

    Refused when the label or status is no longer what the entry left it as
    (another process changed it since): reversing it would silently undo
    someone else's change.
    """
    with store.write():
        undo, redo = history(store, annotator, doc_id)
        stack = undo if which == UNDO else redo
        if not stack:
            return None
        entry = stack[-1]
        expected, target = (entry.after, entry.before) if which == UNDO else (entry.before, entry.after)
        if entry.action == DOC_STATUS:
            current_status = store.status(doc_id, annotator)
            if current_status != expected["status"]:
                raise LabelError(f"the document is {current_status} now, not {expected['status']}; "
                                 f"nothing to {which} there")
            store.write_status(doc_id, annotator, target["status"])
            store.log_event(annotator, doc_id, which, None, {"status": current_status}, target)
            return entry
        row = store.conn.execute(
            "SELECT doc_id, annotator FROM quotes WHERE id = ?", (entry.quote_id,)
        ).fetchone()
        if row is not None and tuple(row) != (doc_id, annotator):
            raise LabelError(
                f"quote id {entry.quote_id} now belongs to another label; nothing to {which} there"
            )
        current_state = quote_state(store.quote(entry.quote_id)) if row else None
        if not same_label(current_state, expected):
            raise LabelError(
                f"quote {entry.quote_id} was changed elsewhere since; nothing to {which} there"
            )
        doc = document_for_change(store, doc_id, text_sha256)
        write_label(store, doc, annotator, entry.quote_id, quote_from_state(target) if target else None,
                    kind=entry.action == "speaker_kind")
        stored = quote_state(store.quote(entry.quote_id)) if target else None
        store.log_event(annotator, doc_id, which, entry.quote_id, current_state, stored)
    return entry


def undo(store: Store, annotator: str, doc_id: str, text_sha256: str | None = None) -> HistoryEntry | None:
    """Reverse the last label change on this document; its history entry, or None when there is none."""
    return _reverse(store, annotator, doc_id, UNDO, text_sha256)


def redo(store: Store, annotator: str, doc_id: str, text_sha256: str | None = None) -> HistoryEntry | None:
    """Make again the last undone change on this document; its history entry, or None."""
    return _reverse(store, annotator, doc_id, REDO, text_sha256)
