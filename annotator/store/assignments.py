"""Who is to do which document: the ``assignments`` table that ``annotator assign`` fills.

A document has one assigned annotator, or two when it is shared for agreement. The documents
screen lists an annotator's assigned documents first (``worklist``); ``stats`` reports progress
against the assignment (``progress``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from annotator.store.store import Store, now

ACTION = "assign"


@dataclass(frozen=True)
class AssignedProgress:
    """One annotator's assigned documents by their status."""

    assigned: int
    shared: int
    done: int
    in_progress: int
    skipped: int

    @property
    def todo(self) -> int:
        return self.assigned - self.done - self.in_progress - self.skipped

    def as_json(self) -> dict[str, int]:
        return {"assigned": self.assigned, "shared": self.shared, "done": self.done,
                "in_progress": self.in_progress, "skipped": self.skipped, "todo": self.todo}


def by_document(store: Store) -> dict[str, tuple[str, ...]]:
    """Every assigned document with its annotators, in import order."""
    found: dict[str, tuple[str, ...]] = {}
    for doc_id, annotator in store.conn.execute(
        "SELECT doc_id, annotator FROM assignments ORDER BY seq, annotator"
    ):
        found[doc_id] = (*found.get(doc_id, ()), annotator)
    return found


def started(store: Store) -> set[str]:
    """The assigned documents one of their annotators has started or finished: a status other than todo,
    or labels of theirs."""
    return {r[0] for r in store.conn.execute(
        "SELECT a.doc_id FROM assignments a JOIN doc_status s ON s.doc_id = a.doc_id AND s.annotator = a.annotator "
        "WHERE s.status <> 'todo' "
        "UNION SELECT a.doc_id FROM assignments a WHERE EXISTS "
        "(SELECT 1 FROM quotes q WHERE q.doc_id = a.doc_id AND q.annotator = a.annotator)"
    )}


def store_dealing(
    store: Store, actor: str, dealing: Mapping[str, tuple[str, ...]], released: list[str], settings: dict[str, Any]
) -> int:
    """Take back the assignments of the ``released`` documents and store ``dealing``, with one ``assign``
    event (by ``actor``) recording the settings, what was taken back and what was dealt; its id."""
    with store.write():
        before = None
        if released:
            taken = by_document(store)
            before = {"documents": {d: list(taken[d]) for d in released}}
            marks = ",".join("?" * len(released))
            store.conn.execute(f"DELETE FROM assignments WHERE doc_id IN ({marks})", released)
        after = {**settings, "documents": {d: list(names) for d, names in dealing.items()}}
        event = store.log_event(actor, None, ACTION, None, before, after)
        stamp = now()
        seq = dict(store.conn.execute("SELECT id, seq FROM documents"))
        store.conn.executemany(
            "INSERT INTO assignments (doc_id, annotator, seq, dealing, assigned_at) VALUES (?, ?, ?, ?, ?)",
            ((doc_id, name, seq[doc_id], event, stamp) for doc_id, names in dealing.items() for name in names),
        )
    return event


def progress(store: Store) -> dict[str, AssignedProgress]:
    """Every assigned annotator's assigned documents by their status, by name."""
    found = {}
    for name, assigned, shared, done, in_progress, skipped in store.conn.execute(
        "SELECT a.annotator, count(*), "
        "sum(EXISTS (SELECT 1 FROM assignments o WHERE o.doc_id = a.doc_id AND o.annotator <> a.annotator)), "
        "sum(s.status = 'done'), sum(s.status = 'in_progress'), sum(s.status = 'skipped') "
        "FROM assignments a LEFT JOIN doc_status s ON s.doc_id = a.doc_id AND s.annotator = a.annotator "
        "GROUP BY a.annotator ORDER BY a.annotator"
    ):
        found[name] = AssignedProgress(assigned, shared, done or 0, in_progress or 0, skipped or 0)
    return found


def has_assignments(store: Store, annotator: str) -> bool:
    return store.conn.execute(
        "SELECT 1 FROM assignments WHERE annotator = ? LIMIT 1", (annotator,)
    ).fetchone() is not None
