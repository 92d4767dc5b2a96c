"""Queries behind the documents screen: pages of rows, progress, and the next document to open.

The list shows the annotator's assigned documents first (``annotator assign``), then the rest,
each part in import order. Pages are keyset queries on that order (the assigned part is a range
of the ``assignments`` index, the rest a range of ``seq``) that never read document texts unless
a search asks for it, so the screen stays quick over 100,000 documents and memory stays flat.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.model import DocumentStatus
from annotator.store.store import Store

ASSIGNED, REST = 0, 1
# (part of the list, seq): the assigned documents come first, then the rest, each in import order.
Position = tuple[int, int]
START: Position = (ASSIGNED, 0)
END: Position = (REST, 2**63 - 1)  # after every document: the page before it is the last page


@dataclass(frozen=True)
class DocumentRow:
    seq: int
    id: str
    title: str
    length: int
    status: DocumentStatus
    pending: int
    accepted: int
    rejected: int
    predicted: int  # the candidates run's quotes, shown before the annotator has any
    assigned: bool = False  # assigned to this annotator: listed first

    @property
    def key(self) -> Position:
        """Where the row stands in the list: the page after it starts there."""
        return (ASSIGNED if self.assigned else REST, self.seq)

    @property
    def candidates(self) -> int:
        labelled = self.pending + self.accepted + self.rejected
        return self.pending if labelled else self.predicted


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def documents_page(
    store: Store, annotator: str, run: str, *, status: DocumentStatus | None = None, search: str = "",
    after: Position = START, limit: int = 100, ids: list[str] | None = None, before: Position | None = None,
) -> list[DocumentRow]:
    """Up to ``limit`` documents after ``after`` (or, given ``before``, the ones just before it), with this
    annotator's status and counts: first the documents assigned to them, then the others, each in import order.

    ``search`` matches the id, the title or the text (case-insensitive for ASCII); ``ids``
    restricts the page to those documents.
    """
    where = []
    params: dict[str, object] = {"who": annotator, "run": run}
    if ids is not None:
        where.append(f"d.id IN ({','.join(f':id{i}' for i in range(len(ids)))})")
        params.update({f"id{i}": doc_id for i, doc_id in enumerate(ids)})
    if status is not None:
        where.append("coalesce(s.status, 'todo') = :status")
        params["status"] = status
    if search:
        where.append("(d.id LIKE :term ESCAPE '\\' OR d.title LIKE :term ESCAPE '\\' "
                     "OR d.text LIKE :term ESCAPE '\\')")
        params["term"] = _like(search)
    assigned = ("FROM assignments a JOIN documents d ON d.id = a.doc_id", "a.seq", 1, ["a.annotator = :who"])
    mine = "SELECT 1 FROM assignments a WHERE a.doc_id = d.id AND a.annotator = :who"
    rest = ("FROM documents d", "d.seq", 0, [f"NOT EXISTS ({mine})"])
    if before is not None:  # backwards: the rest down to its start, then the assigned part from its end
        part, seq = before
        parts = [(assigned, seq if part == ASSIGNED else END[1])] + ([(rest, seq)] if part == REST else [])
        parts.reverse()
        sign, direction = "<", "DESC"
    else:
        part, seq = after
        parts = ([(assigned, seq)] if part == ASSIGNED else []) + [(rest, seq if part == REST else 0)]
        sign, direction = ">", ""
    rows: list[DocumentRow] = []
    for (source, order, flag, own), bound in parts:
        if len(rows) >= limit:
            break
        rows += _page(store, source, [*own, f"{order} {sign} :bound", *where], f"{order} {direction}", flag,
                      {**params, "bound": bound, "limit": limit - len(rows)})
    return rows[::-1] if before is not None else rows


def _page(store: Store, source: str, where: list[str], order: str, assigned: int,
          params: dict[str, object]) -> list[DocumentRow]:
    """One keyset page of one part of the list (``source`` names the documents ``d``)."""
    counts = "SELECT count(*) FROM quotes q WHERE q.doc_id = d.id AND q.annotator = :who AND q.status = "
    rows = store.conn.execute(
        f"""SELECT d.seq, d.id, d.title, d.length, coalesce(s.status, 'todo'),
                   ({counts} 'pending'), ({counts} 'accepted'), ({counts} 'rejected'),
                   (SELECT count(*) FROM quotes q WHERE q.doc_id = d.id AND q.annotator IS NULL
                        AND q.run = :run), {assigned}
            {source}
            LEFT JOIN doc_status s ON s.doc_id = d.id AND s.annotator = :who
            WHERE {' AND '.join(where)}
            ORDER BY {order} LIMIT :limit""",
        params,
    ).fetchall()
    return [DocumentRow(*row[:-1], assigned=bool(row[-1])) for row in rows]


def documents_version(store: Store) -> tuple[int, int]:
    """(how many documents, the last one's seq): a cheap sign that another process imported or removed some."""
    return store.conn.execute("SELECT count(*), coalesce(max(seq), 0) FROM documents").fetchone()


def progress(store: Store, annotator: str) -> tuple[int, int, int]:
    """(documents this annotator marked done, those skipped, all documents)."""
    counts = dict(store.conn.execute(
        "SELECT status, count(*) FROM doc_status WHERE annotator = ? AND status IN ('done', 'skipped') "
        "GROUP BY status", (annotator,)
    ).fetchall())
    return counts.get("done", 0), counts.get("skipped", 0), store.count_documents()


def _seq(store: Store, doc_id: str) -> int:
    row = store.conn.execute("SELECT seq FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise KeyError(doc_id)
    return row[0]


def neighbour(store: Store, doc_id: str, step: int) -> str | None:
    """The document after (step 1) or before (step -1) this one in import order."""
    seq = _seq(store, doc_id)
    sql = (
        "SELECT id FROM documents WHERE seq > ? ORDER BY seq LIMIT 1" if step > 0
        else "SELECT id FROM documents WHERE seq < ? ORDER BY seq DESC LIMIT 1"
    )
    row = store.conn.execute(sql, (seq,)).fetchone()
    return row[0] if row else None


def next_to_do(store: Store, annotator: str, doc_id: str | None, assigned: bool = False) -> str | None:
    """The next document still to do for this annotator after ``doc_id`` in import order, wrapping round;
    None when all are done. ``assigned``: only among the documents assigned to them."""
    seq = _seq(store, doc_id) if doc_id is not None else 0
    source, order = "documents d", "d.seq"
    if assigned:
        source, order = "assignments a JOIN documents d ON d.id = a.doc_id AND a.annotator = :who", "a.seq"
    for clause in (f"{order} > :seq", f"{order} < :seq"):
        row = store.conn.execute(
            f"""SELECT d.id FROM {source}
                LEFT JOIN doc_status s ON s.doc_id = d.id AND s.annotator = :who
                WHERE {clause} AND coalesce(s.status, 'todo') IN ('todo', 'in_progress')
                ORDER BY {order} LIMIT 1""",
            {"who": annotator, "seq": seq},
        ).fetchone()
        if row:
            return row[0]
    return None


def done_by_all(store: Store, annotators: list[str] | tuple[str, ...], unless_done_by: str) -> list[str]:
    """In import order, the documents every one of ``annotators`` marked done and ``unless_done_by`` has not:
    what an adjudication into ``unless_done_by`` has left to do."""
    marks = ",".join("?" * len(annotators))
    rows = store.conn.execute(
        f"""SELECT d.id FROM documents d
            WHERE (SELECT count(DISTINCT s.annotator) FROM doc_status s
                   WHERE s.doc_id = d.id AND s.status = 'done' AND s.annotator IN ({marks})) = ?
              AND NOT EXISTS (SELECT 1 FROM doc_status s WHERE s.doc_id = d.id AND s.annotator = ?
                              AND s.status = 'done')
            ORDER BY d.seq""",
        (*annotators, len(annotators), unless_done_by),
    ).fetchall()
    return [r[0] for r in rows]


def assigned_progress(store: Store, annotator: str) -> tuple[int, int, int]:
    """(documents assigned to this annotator, those they marked done, those they skipped)."""
    return store.conn.execute(
        "SELECT count(*), coalesce(sum(s.status = 'done'), 0), coalesce(sum(s.status = 'skipped'), 0) "
        "FROM assignments a LEFT JOIN doc_status s ON s.doc_id = a.doc_id AND s.annotator = a.annotator "
        "WHERE a.annotator = ?", (annotator,)
    ).fetchone()
