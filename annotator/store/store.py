"""Documents, labels, predictions, statuses and the event log in one SQLite file.

Every write runs in one ``BEGIN IMMEDIATE`` transaction that is committed
before the call returns, so what a caller shows as saved is on disk. WAL mode
and a busy timeout let two annotators (two processes) work on one file.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from annotator.model import (
    AnnotatedDocument,
    Document,
    DocumentStatus,
    Owner,
    Quote,
    QuoteStatus,
    Span,
    SpanError,
    Speaker,
    SpeakerEntities,
    quote_json,
)
from annotator.store.rows import (
    DOCUMENT_COLUMNS,
    OWNER_WHERE,
    QUOTE_VALUE_COLUMNS,
    document_from_row,
    owner_columns,
    quote_from_row,
    quote_query,
    quote_state,
    quote_values,
)
from annotator.store.schema import IMPORT_PUBLISHED, check_path, check_version, migrate
from annotator.text import sha256

BUSY_TIMEOUT_MS = 10_000
# New documents an import writes per transaction (at most so many, or so many characters of text):
# short enough that a label save never waits long.
STAGE_BATCH = 200
STAGE_BATCH_CHARS = 2_000_000
# A staging import whose heartbeat is older than this is abandoned, even on another host.
ABANDONED_AFTER = timedelta(hours=1)
IMPORT_POLL_SECONDS = 0.1
WRITE_POLL_SECONDS = 0.001
# After each batch an import leaves the lock free this long, so that a waiting save takes it.
IMPORT_YIELD_SECONDS = 0.002


def default_db_path() -> str:
    return os.environ.get("ANNOTATOR_DB") or "annotations.db"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class ConflictError(Exception):
    """An import would put labels out of step with their text."""


class StaleTextError(ConflictError):
    """A change was made on a text that another process has replaced since."""


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # same id, new text, no labels lost
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    quotes: int = 0


class _LayerEntities:
    """The speaker entities of one layer of one document (``SpeakerEntities``), within one write.

    Read once, then kept up to date by the writes made through it; it lives no
    longer than one loop of inserts inside one transaction, in which nothing
    else writes this layer's speakers.
    """

    def __init__(self, conn: sqlite3.Connection, doc_id: str, owner: Owner, import_id: int | None = None):
        self.conn = conn
        self.doc_id = doc_id
        self.owner_columns = owner_columns(owner)
        self.import_id = import_id
        self.entities = SpeakerEntities()
        self.mentions: dict[tuple[int, int, int], int] | None = None  # read on first use
        if import_id is None:
            rows = conn.execute(
                f"SELECT id, name, kind, aliases FROM speakers WHERE doc_id = ? AND {OWNER_WHERE} ORDER BY id",
                (doc_id, *self.owner_columns),
            )
        else:  # an import links only to entities it staged: it never changes rows others can see
            rows = conn.execute(
                f"SELECT id, name, kind, aliases FROM speaker_rows WHERE doc_id = ? AND {OWNER_WHERE} "
                "AND import_id = ? ORDER BY id",
                (doc_id, *self.owner_columns, import_id),
            )
        for sid, name, kind, aliases in rows:
            self.entities.index(sid, name, kind, json.loads(aliases))

    def speaker_id(self, speaker: Speaker) -> int:
        """The entity this speaker names (``SpeakerEntities.join``), written as it changes or is made."""
        sid, changed = self.entities.join(speaker, lambda: self._insert(speaker))
        if changed:
            _, kind, aliases = self.entities.rows[sid]
            self.conn.execute(
                "UPDATE speaker_rows SET aliases = ?, kind = ? WHERE id = ?",
                (json.dumps(aliases, ensure_ascii=False), kind, sid),
            )
        return sid

    def _insert(self, speaker: Speaker) -> int:
        annotator, run = self.owner_columns
        return self.conn.execute(
            "INSERT INTO speaker_rows (doc_id, annotator, run, name, kind, aliases, import_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (self.doc_id, annotator, run, speaker.name, speaker.kind,
             json.dumps(list(speaker.aliases), ensure_ascii=False), self.import_id),
        ).lastrowid

    def mention_id(self, speaker_id: int, mention: Span) -> int:
        if self.mentions is None:
            self.mentions = {
                (sid, start, end): mid
                for mid, sid, start, end in self.conn.execute(
                    'SELECT m.id, m.speaker_id, m.start, m."end" FROM mentions m '
                    f"JOIN speakers s ON s.id = m.speaker_id WHERE s.doc_id = ? AND s.{OWNER_WHERE} "
                    "ORDER BY m.id DESC",  # the oldest of duplicates wins, as a look-up by index would
                    (self.doc_id, *self.owner_columns),
                )
            }
        key = (speaker_id, mention.start, mention.end)
        if key not in self.mentions:
            self.mentions[key] = self.conn.execute(
                'INSERT INTO mentions (speaker_id, start, "end", text) VALUES (?, ?, ?, ?)',
                (speaker_id, mention.start, mention.end, mention.text),
            ).lastrowid
        return self.mentions[key]


class Store:
    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            check_path(self.path)
        try:
            conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise sqlite3.DatabaseError(f"{self.path} cannot be opened as a database ({exc})") from None
        self.conn = conn
        import sqlite_utils  # loaded when a database is opened: `annotator evaluate` of two files never opens one

        self.db = sqlite_utils.Database(conn)
        self._staging: int | None = None  # the import whose batch is being written: its rows stay hidden
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            check_version(self.db, self.path)  # before WAL: a foreign file is refused unchanged
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(self.db, self.path)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise sqlite3.DatabaseError(f"{self.path} cannot be opened as a database ({exc})") from None
        except BaseException:
            conn.close()
            raise

    @classmethod
    def open(cls, path: str | Path) -> Store:
        return cls(path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[None]:
        """One committed transaction; nested calls become savepoints.

        IMMEDIATE takes the write lock up front, so a second process waits for
        the busy timeout instead of failing with "database is locked".
        """
        if self.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self._begin_immediate()
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _begin_immediate(self) -> None:
        """Take the write lock, trying again every millisecond for up to the busy timeout.

        SQLite's own busy handler sleeps up to 100 ms between tries, so a writer
        that keeps the lock but for short moments (an import between its
        batches) could make a label save wait for seconds; polling this often
        takes the first moment the lock is free.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                        raise
                time.sleep(WRITE_POLL_SECONDS)
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read inside sees the file as it was at the first one (a WAL read transaction).

        A long read such as an export sees one consistent state while other
        processes go on writing; it writes nothing.
        """
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    # --- documents -------------------------------------------------------

    def document(self, doc_id: str) -> Document | None:
        row = self.conn.execute(f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return document_from_row(row) if row else None

    def iter_documents(self, ids: Iterable[str] | None = None) -> Iterator[Document]:
        """Documents in import order (or the given ids, in that order), one at a time."""
        if ids is None:
            last = -1
            while True:  # keyset pages: memory stays flat however many documents there are
                rows = self.conn.execute(
                    f"SELECT seq, {DOCUMENT_COLUMNS} FROM documents "
                    "WHERE seq > ? ORDER BY seq LIMIT 500",
                    (last,),
                ).fetchall()
                if not rows:
                    return
                for row in rows:
                    yield document_from_row(row[1:])
                last = rows[-1][0]
        for doc_id in ids:
            doc = self.document(doc_id)
            if doc is None:
                raise KeyError(doc_id)
            yield doc

    def count_documents(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def document_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents ORDER BY seq")]

    # --- owners ------------------------------------------------------------

    def annotators(self) -> list[str]:
        rows = self.conn.execute(
            "SELECT annotator FROM quotes WHERE annotator IS NOT NULL "
            "UNION SELECT annotator FROM doc_status ORDER BY 1"
        )
        return [r[0] for r in rows]

    def runs(self) -> list[str]:
        rows = self.conn.execute(f"SELECT name FROM runs WHERE {IMPORT_PUBLISHED} ORDER BY created_at, name")
        return [r[0] for r in rows]

    def has_run(self, name: str) -> bool:
        row = self.conn.execute(f"SELECT 1 FROM runs WHERE name = ? AND {IMPORT_PUBLISHED}", (name,)).fetchone()
        return row is not None

    def _ensure_run(self, name: str, system: str, import_id: int | None = None) -> None:
        """Create the run unless it exists; one an import creates is hidden until it is published.

        Any other writer (``predict``) makes the run visible and its own, so that an import failing
        later never removes a run that holds other predictions.
        """
        if import_id is not None:
            self.conn.execute(
                "INSERT OR IGNORE INTO runs (name, system, created_at, import_id) VALUES (?, ?, ?, ?)",
                (name, system, now(), import_id),
            )
            return
        self.conn.execute(
            "INSERT INTO runs (name, system, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET import_id = NULL",
            (name, system, now()),
        )

    # --- quotes ------------------------------------------------------------

    def quotes(
        self, doc_id: str, owner: Owner, statuses: Iterable[QuoteStatus] | None = ("pending", "accepted", "rejected")
    ) -> list[Quote]:
        annotator, run = owner_columns(owner)
        wanted = tuple(statuses or ())
        rows = self.conn.execute(
            f"""{quote_query()}
                WHERE q.doc_id = ? AND q.annotator IS ? AND q.run IS ?
                  AND q.status IN ({','.join('?' * len(wanted))})
                ORDER BY q.start, q."end", q.id""",
            (doc_id, annotator, run, *wanted),
        ).fetchall()
        return [quote_from_row(row) for row in rows]

    def annotated(
        self,
        owner: Owner,
        ids: Iterable[str] | None = None,
        status: DocumentStatus | None = None,
        statuses: Iterable[QuoteStatus] = ("accepted",),
    ) -> Iterator[AnnotatedDocument]:
        """Each document with this owner's quotes, streamed.

        For an annotator, ``status="done"`` keeps only the documents they marked
        done; by default only accepted labels count as theirs (pending
        candidates and rejected ones are work in progress).
        """
        wanted = tuple(statuses) if owner.kind == "annotator" else ("pending", "accepted", "rejected")
        if ids is None and status not in (None, "todo") and owner.kind == "annotator":
            # Only those documents' texts are read, not every text in the file.
            ids = [r[0] for r in self.conn.execute(
                "SELECT d.id FROM documents d JOIN doc_status s ON s.doc_id = d.id "
                "WHERE s.annotator = ? AND s.status = ? ORDER BY d.seq",
                (owner.name, status),
            )]
        for doc in self.iter_documents(ids):
            doc_status = self.status(doc.id, owner.name) if owner.kind == "annotator" else None
            if status is not None and doc_status != status:
                continue
            yield AnnotatedDocument(doc, self.quotes(doc.id, owner, wanted), doc_status)

    def link_speaker(
        self, doc_id: str, owner: Owner, speaker: Speaker | None, layer: _LayerEntities | None = None
    ) -> tuple[int | None, int | None]:
        """The (entity id, mention id) a quote with this speaker points at, created as needed inside the
        caller's write transaction.

        A caller writing many quotes of one layer passes one ``layer`` for all of
        them, so each quote costs a look-up instead of a read of the whole layer.
        """
        if speaker is None:
            return None, None
        layer = layer or _LayerEntities(self.conn, doc_id, owner, self._staging)
        speaker_id = layer.speaker_id(speaker)
        mention_id = layer.mention_id(speaker_id, speaker.mention) if speaker.mention is not None else None
        return speaker_id, mention_id

    def insert_quote(
        self, doc: Document, owner: Owner, quote: Quote, origin: str, layer: _LayerEntities | None = None
    ) -> int:
        """Write one quote of ``owner``'s layer inside the caller's write transaction, without an event
        (the caller logs its own); its id. SpanError when it does not fit the text."""
        quote.check(doc.text)
        annotator, run = owner_columns(owner)
        speaker_id, mention_id = self.link_speaker(doc.id, owner, quote.speaker, layer)
        return self.conn.execute(
            f"""INSERT INTO quote_rows (doc_id, annotator, run, {QUOTE_VALUE_COLUMNS}, origin, updated_at, import_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (doc.id, annotator, run, *quote_values(quote, speaker_id, mention_id), origin, now(), self._staging),
        ).lastrowid

    def _delete_layer(self, doc_id: str, owner: Owner) -> None:
        """Remove one layer of a document as readers see it; an import marks it replaced instead,
        so that it disappears only when the import is published."""
        annotator, run = owner_columns(owner)
        params = (doc_id, annotator, run)
        for table, view in (("quote_rows", "quotes"), ("speaker_rows", "speakers")):
            visible = f"SELECT id FROM {view} WHERE doc_id = ? AND {OWNER_WHERE}"
            if self._staging is None:
                self.conn.execute(f"DELETE FROM {table} WHERE id IN ({visible})", params)
            else:
                self.conn.execute(f"UPDATE {table} SET superseded_by = ? WHERE id IN ({visible})",
                                  (self._staging, *params))

    def save_predictions(
        self, run: str, doc_id: str, quotes: list[Quote], system: str = "builtin", sha256: str | None = None
    ) -> None:
        """Replace one run's predictions for one document, in one transaction.

        ``sha256``: the text the predictions were made on; StaleTextError if it was replaced meanwhile.
        """
        owner = Owner.run(run)
        with self.write():
            doc = self.current_document(doc_id, sha256)
            self._ensure_run(run, system)
            self._delete_layer(doc_id, owner)
            layer = _LayerEntities(self.conn, doc_id, owner, self._staging)
            for quote in quotes:
                self.insert_quote(doc, owner, quote, origin=f"run:{run}", layer=layer)

    def add_labels(
        self, annotator: str, doc_id: str, quotes: Iterable[Quote], origin: str, action: str,
        sha256: str | None = None,
    ) -> list[int]:
        """Add quotes to an annotator's labels, each with an event-log row.

        ``sha256``: the text the quotes were made on; StaleTextError if it was replaced meanwhile.
        """
        owner = Owner.annotator(annotator)
        ids = []
        with self.write():
            doc = self.current_document(doc_id, sha256)
            layer = _LayerEntities(self.conn, doc_id, owner, self._staging)
            for quote in quotes:
                qid = self.insert_quote(doc, owner, quote, origin, layer)
                stored = self.quote(qid)
                self.log_event(annotator, doc_id, action, qid, None, quote_state(stored))
                ids.append(qid)
        return ids

    def current_document(self, doc_id: str, sha256: str | None = None) -> Document:
        """The document as it is now, read inside the caller's write transaction.

        A change made on a text (labels, predictions) is written only while the
        text is still the one it was made on: KeyError when the document is
        gone, StaleTextError when its text hash is no longer ``sha256``.
        """
        doc = self.document(doc_id)
        if doc is None:
            raise KeyError(doc_id)
        if sha256 is not None and doc.sha256 != sha256:
            raise StaleTextError(
                f"the text of document {doc_id!r} was replaced by another import since it was read; "
                "nothing was saved (open it again)"
            )
        return doc

    def quote(self, quote_id: int) -> Quote | None:
        """One quote by id, as stored: also one an import is staging (it logs what it wrote)."""
        row = self.conn.execute(
            f"{quote_query('quote_rows', 'speaker_rows')} WHERE q.id = ?", (quote_id,)
        ).fetchone()
        return quote_from_row(row) if row else None

    def has_labels(self, doc_id: str) -> bool:
        """Whether any annotator has labels on this document (predictions do not count)."""
        return self.conn.execute(
            "SELECT 1 FROM quotes WHERE doc_id = ? AND annotator IS NOT NULL LIMIT 1", (doc_id,)
        ).fetchone() is not None

    def _same_layer(self, doc_id: str, owner: Owner, quotes: list[Quote]) -> bool:
        """Same quotes, ignoring speaker aliases (they are pooled per entity on the way in)."""

        def key(q: Quote) -> str:
            state = quote_json(q)
            if state["speaker"]:
                state["speaker"]["aliases"] = None
            return json.dumps(state, sort_keys=True, ensure_ascii=False)

        stored = self.quotes(doc_id, owner)
        return sorted(map(key, stored)) == sorted(map(key, quotes))

    def layer_size(self, doc_id: str, owner: Owner) -> int:
        annotator, run = owner_columns(owner)
        return self.conn.execute(
            f"SELECT count(*) FROM quotes WHERE doc_id = ? AND {OWNER_WHERE}",
            (doc_id, annotator, run),
        ).fetchone()[0]

    # --- statuses and events ---------------------------------------------------

    def status(self, doc_id: str, annotator: str) -> DocumentStatus:
        row = self.conn.execute(
            "SELECT status FROM doc_status WHERE doc_id = ? AND annotator = ?", (doc_id, annotator)
        ).fetchone()
        return row[0] if row else "todo"

    def set_status(self, doc_id: str, annotator: str, status: DocumentStatus) -> None:
        with self.write():
            before = self.status(doc_id, annotator)
            if before == status:
                return
            self.write_status(doc_id, annotator, status)
            self.log_event(annotator, doc_id, "status", None, {"status": before}, {"status": status})

    def write_status(self, doc_id: str, annotator: str, status: DocumentStatus) -> None:
        """Set a status inside the caller's transaction, without an event (the caller logs its own)."""
        self.conn.execute(
            "INSERT INTO status_rows (doc_id, annotator, status, updated_at, import_id) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (doc_id, annotator) DO UPDATE SET status = excluded.status, "
            "updated_at = excluded.updated_at, import_id = excluded.import_id",  # the last writer owns it
            (doc_id, annotator, status, now(), self._staging),
        )

    def log_event(
        self, annotator: str, doc_id: str | None, action: str, quote_id: int | None,
        before: Any, after: Any,
    ) -> int:
        """Append one row to the event log; call inside the change's own transaction."""
        return self.conn.execute(
            "INSERT INTO events (ts, annotator, doc_id, action, quote_id, before, after, import_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (now(), annotator, doc_id, action, quote_id,
             None if before is None else json.dumps(before, ensure_ascii=False),
             None if after is None else json.dumps(after, ensure_ascii=False), self._staging),
        ).lastrowid

    # --- import ------------------------------------------------------------------

    def import_documents(
        self,
        items: Iterable[tuple[str, AnnotatedDocument]],
        owner: Owner | None = None,
        status: DocumentStatus | None = None,
        keep_old: bool = False,
        actor: str = "import",
        on_wait: Callable[[str], object] | None = None,
    ) -> ImportReport:
        """Import (where, document) pairs as one unit: all of them or none.

        ``where`` names the file and line for messages. Quotes are stored as
        ``owner``'s layer (an annotator's accepted labels or a run's
        predictions); without an owner they are ignored. A known id with the same
        text is a no-op; with different text it is refused while annotators
        have labels on it (ConflictError), unless ``keep_old`` keeps the old
        version and skips the new one.

        The items are read (files, normalising, hashing) between short write
        transactions of ``STAGE_BATCH`` documents each, whose rows (documents,
        labels, predictions, events; a run's predictions they replace) stay
        hidden from every reader until one last transaction publishes the
        import; so other processes keep saving labels while a long import runs.
        Only what cannot be hidden waits for that last transaction: a new text
        for a known document, and a change to a status the annotator already has.
        On any error, or an interrupt, the staged rows are removed; rows left by
        a killed process are removed by the next import. Imports take turns: one
        started while another is staging waits for it (``on_wait`` is told
        once), so none fails and none blocks a save.
        """
        report = ImportReport()
        seen: dict[str, str] = {}
        deferred = _Deferred()
        import_id = None  # claimed when the first batch is read: bad input early on writes nothing at all
        try:
            batch: list[tuple[str, AnnotatedDocument]] = []
            chars = 0
            for where, ad in items:
                doc_id = ad.document.id
                if doc_id in seen:
                    raise ConflictError(
                        f"{where}: document id {doc_id!r} appears twice in this import "
                        f"(first at {seen[doc_id]})"
                    )
                seen[doc_id] = where
                batch.append((where, ad))
                chars += len(ad.document.text)
                if len(batch) >= STAGE_BATCH or chars >= STAGE_BATCH_CHARS:
                    import_id = import_id or self._start_import(on_wait)
                    self._stage(import_id, batch, owner, status, actor, report, deferred)
                    batch, chars = [], 0
                    time.sleep(IMPORT_YIELD_SECONDS)
            import_id = import_id or self._start_import(on_wait)
            self._stage(import_id, batch, owner, status, actor, report, deferred)  # the last, partial batch
            self._publish(import_id, deferred, owner, status, keep_old, actor, report)
        except BaseException:
            if import_id is not None:
                self._discard_import(import_id)
            raise
        with suppress(sqlite3.Error):  # published already; what it replaced is hidden, and the next import removes it
            self._drop_superseded(import_id)
        return report

    def _start_import(self, on_wait: Callable[[str], object] | None) -> int:
        """This import's row, once no other import is staging (checked and claimed in one transaction)."""
        told = False
        while True:
            self.discard_abandoned_imports()
            with self.write():
                other = self.conn.execute(
                    "SELECT pid, host FROM imports WHERE state = 'staging' ORDER BY id LIMIT 1"
                ).fetchone()
                if other is None:
                    stamp = now()
                    return self.conn.execute(
                        "INSERT INTO imports (state, host, pid, started_at, heartbeat) "
                        "VALUES ('staging', ?, ?, ?, ?)",
                        (socket.gethostname(), os.getpid(), stamp, stamp),
                    ).lastrowid
            if on_wait is not None and not told:
                on_wait(f"waiting for another import to finish (process {other[0]} on {other[1]})")
                told = True
            time.sleep(IMPORT_POLL_SECONDS)

    @contextmanager
    def _staging_as(self, import_id: int) -> Iterator[None]:
        """One write transaction whose new rows belong to the import ``import_id`` (hidden until it is
        published) and whose replaced rows are marked superseded by it rather than deleted."""
        with self.write():
            self._staging = import_id
            try:
                yield
            finally:
                self._staging = None

    def _stage(
        self, import_id: int, batch: list[tuple[str, AnnotatedDocument]], owner: Owner | None,
        status: DocumentStatus | None, actor: str, report: ImportReport, deferred: _Deferred,
    ) -> None:
        """Write a batch as the import's hidden rows, in one short transaction."""
        if not batch:
            return
        with self._staging_as(import_id):
            self.conn.execute("UPDATE imports SET heartbeat = ? WHERE id = ?", (now(), import_id))
            if owner is not None and owner.kind == "run":
                self._ensure_run(owner.name, "imported", import_id)
            seq = self._last_seq()
            for where, ad in batch:
                doc = ad.document
                row = self.conn.execute("SELECT sha256 FROM documents WHERE id = ?", (doc.id,)).fetchone()
                if row is None:
                    seq += 1
                    self._insert_document(doc, seq, import_id)
                    report.imported.append(doc.id)
                elif row[0] != doc.sha256:
                    deferred.texts.append((where, ad))
                    continue
                else:
                    report.unchanged.append(doc.id)
                self._import_quotes(where, doc, owner, ad.quotes, status, actor, report, deferred)

    def _publish(
        self, import_id: int, deferred: _Deferred, owner: Owner | None,
        status: DocumentStatus | None, keep_old: bool, actor: str, report: ImportReport,
    ) -> None:
        """Write what could not be hidden and make the whole import visible at once."""
        with self.write():
            for where, ad in deferred.texts:
                doc = ad.document
                if self.has_labels(doc.id):
                    if keep_old:
                        report.skipped.append((
                            f"{where} ({doc.id})",
                            "its text changed and the old version has labels; kept the old version",
                        ))
                        continue
                    raise ConflictError(
                        f"{where}: document {doc.id!r} is already in the database with a "
                        "different text and has labels whose offsets would no longer match; "
                        "use --keep-old to keep the old version, or give the new one another id"
                    )
                self._replace_text(doc)
                report.updated.append(doc.id)
                self._import_quotes(where, doc, owner, ad.quotes, status, actor, report)
            for doc_id in deferred.statuses:
                self.set_status(doc_id, owner.name, status)
            if owner is not None:
                self._reconcile(import_id, owner, report)
            published = self.conn.execute(
                "UPDATE imports SET state = 'published', heartbeat = ? WHERE id = ? AND state = 'staging'",
                (now(), import_id),
            ).rowcount
            if not published:
                raise ConflictError(
                    "this import was taken for abandoned (its process seemed gone) and removed by another "
                    "process; nothing of it was written: run it again"
                )

    def _reconcile(self, import_id: int, owner: Owner, report: ImportReport) -> None:
        """Settle, when publishing, the layers others wrote on the import's documents while it ran.

        A run's predictions written meanwhile (``predict``) are replaced like the
        ones before them. An annotator who labelled a document meanwhile keeps
        those labels, and the import's for that document are dropped, as an
        import never adds to labels an annotator already has.
        """
        annotator, run = owner_columns(owner)
        if owner.kind == "run":
            ours = f"SELECT doc_id FROM quote_rows WHERE import_id = ? AND {OWNER_WHERE}"
            for table in ("quote_rows", "speaker_rows"):
                self.conn.execute(
                    f"UPDATE {table} SET superseded_by = ? WHERE {OWNER_WHERE} AND import_id IS NOT ? "
                    f"AND superseded_by IS NULL AND doc_id IN ({ours})",
                    (import_id, annotator, run, import_id, import_id, annotator, run),
                )
            return
        taken = [r[0] for r in self.conn.execute(
            "SELECT DISTINCT doc_id FROM quote_rows s WHERE s.import_id = ? AND s.annotator = ? "
            "AND EXISTS (SELECT 1 FROM quotes v WHERE v.doc_id = s.doc_id AND v.annotator = ?)",
            (import_id, annotator, annotator),
        )]
        for doc_id in taken:
            dropped = self.conn.execute(
                "DELETE FROM quote_rows WHERE import_id = ? AND doc_id = ? AND annotator = ?",
                (import_id, doc_id, annotator),
            ).rowcount
            self.conn.execute("DELETE FROM speaker_rows WHERE import_id = ? AND doc_id = ? AND annotator = ?",
                              (import_id, doc_id, annotator))
            self.conn.execute("DELETE FROM events WHERE import_id = ? AND doc_id = ? AND annotator = ? "
                              "AND action <> 'status'", (import_id, doc_id, annotator))
            report.quotes -= dropped
            report.skipped.append(
                (doc_id, f"{owner} labelled it while the import ran; its {dropped} quotes were not imported")
            )

    def _import_quotes(
        self, where: str, doc: Document, owner: Owner | None, quotes: list[Quote], status: DocumentStatus | None,
        actor: str, report: ImportReport, deferred: _Deferred | None = None,
    ) -> None:
        """A document's layer and status; while staging (``deferred`` given), a status the annotator
        already has is left to the publishing transaction: it cannot be changed out of sight."""
        if owner is not None and quotes:
            report.quotes += self._import_layer(where, doc, owner, quotes, actor, report)
        if status is None or owner is None or owner.kind != "annotator":
            return
        if deferred is not None and self.conn.execute(
            "SELECT 1 FROM status_rows WHERE doc_id = ? AND annotator = ?", (doc.id, owner.name)
        ).fetchone():
            deferred.statuses.append(doc.id)
        else:
            self.set_status(doc.id, owner.name, status)

    def _last_seq(self) -> int:
        """The highest sequence number, read inside the write transaction that allocates the next ones."""
        return self.conn.execute("SELECT coalesce(max(seq), 0) FROM document_rows").fetchone()[0]

    def discard_abandoned_imports(self) -> int:
        """Remove the rows of imports whose process died before publishing, and the rows that published
        imports replaced but did not get to remove; how many imports were abandoned."""
        host = socket.gethostname()
        cutoff = (datetime.now(UTC) - ABANDONED_AFTER).isoformat(timespec="milliseconds")
        abandoned = [
            import_id
            for import_id, state, its_host, pid, heartbeat in self.conn.execute(
                "SELECT id, state, host, pid, heartbeat FROM imports WHERE state IN ('staging', 'discarding')"
            ).fetchall()
            if state == "discarding"  # a discard that was itself interrupted
            or (its_host == host and not _process_alive(pid))
            or (its_host != host and heartbeat < cutoff)  # another machine's process cannot be asked
        ]
        for import_id in abandoned:
            self._discard_import(import_id)
        for (import_id,) in self.conn.execute(
            "SELECT DISTINCT superseded_by FROM quote_rows WHERE superseded_by IS NOT NULL "
            "UNION SELECT DISTINCT superseded_by FROM speaker_rows WHERE superseded_by IS NOT NULL"
        ).fetchall():
            if import_id not in abandoned:
                self._drop_superseded(import_id)
        return len(abandoned)

    def _drop_superseded(self, import_id: int) -> None:
        """Delete the rows a published import replaced (hidden since it was published), a batch at a time."""
        if self.conn.execute("SELECT state FROM imports WHERE id = ?", (import_id,)).fetchone() != ("published",):
            return
        for table in ("quote_rows", "speaker_rows"):  # quotes first: they point at the speakers
            self._delete_in_batches(f"SELECT id FROM {table} WHERE superseded_by = ?", table, (import_id,))

    def _delete_in_batches(self, select_ids: str, table: str, params: tuple) -> None:
        """Delete the rows of ``table`` that ``select_ids`` finds, STAGE_BATCH per short transaction."""
        while True:
            with self.write():
                deleted = self.conn.execute(
                    f"DELETE FROM {table} WHERE id IN ({select_ids} LIMIT {STAGE_BATCH})", params
                ).rowcount
            if not deleted:
                return
            time.sleep(IMPORT_YIELD_SECONDS)

    def _discard_import(self, import_id: int) -> None:
        """Delete an unpublished import's rows and bring back what it replaced, a batch per transaction
        so that others can write in between. The import is claimed first (state ``discarding``, in one
        transaction): one that got published meanwhile is left alone, and it can no longer publish."""
        with self.write():
            claimed = self.conn.execute(
                "UPDATE imports SET state = 'discarding' WHERE id = ? AND state IN ('staging', 'discarding')",
                (import_id,),
            ).rowcount
        if not claimed:
            return
        staged = (import_id,)
        self._delete_in_batches("SELECT id FROM quote_rows WHERE import_id = ?", "quote_rows", staged)
        self._delete_in_batches("SELECT id FROM speaker_rows WHERE import_id = ?", "speaker_rows", staged)
        self._delete_in_batches("SELECT id FROM events WHERE import_id = ?", "events", staged)
        with self.write():
            self.conn.execute("DELETE FROM status_rows WHERE import_id = ?", staged)
        while True:
            with self.write():
                ids = [r[0] for r in self.conn.execute(
                    "SELECT id FROM document_rows WHERE import_id = ? LIMIT ?", (import_id, STAGE_BATCH)
                )]
                marks = ",".join("?" * len(ids))
                for table in ("quote_rows", "speaker_rows", "status_rows"):  # whoever wrote them: the text goes
                    self.conn.execute(f"DELETE FROM {table} WHERE doc_id IN ({marks})", ids)
                self.conn.execute(f"DELETE FROM document_rows WHERE id IN ({marks})", ids)
            if not ids:
                break
        with self.write():
            for table in ("quote_rows", "speaker_rows"):
                self.conn.execute(f"UPDATE {table} SET superseded_by = NULL WHERE superseded_by = ?", staged)
            self.conn.execute(
                "DELETE FROM runs WHERE import_id = ? "
                "AND NOT EXISTS (SELECT 1 FROM quote_rows q WHERE q.run = runs.name) "
                "AND NOT EXISTS (SELECT 1 FROM speaker_rows s WHERE s.run = runs.name)", staged)
            self.conn.execute("UPDATE runs SET import_id = NULL WHERE import_id = ?", staged)
            self.conn.execute("DELETE FROM imports WHERE id = ? AND state = 'discarding'", staged)

    def _insert_document(self, doc: Document, seq: int, import_id: int | None = None) -> None:
        self.conn.execute(
            "INSERT INTO document_rows (id, text, lang, title, meta, sha256, length, seq, imported_at, import_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.id, doc.text, doc.lang, doc.title, json.dumps(doc.meta, ensure_ascii=False),
             doc.sha256, len(doc.text), seq, now(), import_id),
        )

    def _replace_text(self, doc: Document) -> None:
        """New text for a document nobody has labelled: stale predictions go with the old text."""
        for (run,) in self.conn.execute(
            "SELECT DISTINCT run FROM quotes WHERE doc_id = ? AND run IS NOT NULL", (doc.id,)
        ).fetchall():
            self._delete_layer(doc.id, Owner.run(run))
        self.conn.execute(
            "UPDATE document_rows SET text = ?, lang = ?, title = ?, meta = ?, sha256 = ?, length = ? "
            "WHERE id = ?",
            (doc.text, doc.lang, doc.title, json.dumps(doc.meta, ensure_ascii=False),
             doc.sha256, len(doc.text), doc.id),
        )

    def _import_layer(
        self, where: str, doc: Document, owner: Owner, quotes: list[Quote], actor: str,
        report: ImportReport,
    ) -> int:
        existing = self.layer_size(doc.id, owner)
        if existing and self._same_layer(doc.id, owner, quotes):
            return 0
        if existing and owner.kind == "annotator":
            report.skipped.append(
                (f"{where} ({doc.id})", f"{owner} already has {existing} labels on it; its quotes were not imported")
            )
            return 0
        if existing:
            self._delete_layer(doc.id, owner)
        layer = _LayerEntities(self.conn, doc.id, owner, self._staging)
        for quote in quotes:
            try:
                qid = self.insert_quote(doc, owner, quote, origin=actor, layer=layer)
            except SpanError as exc:
                raise ConflictError(f"{where}: {exc}") from None
            if owner.kind == "annotator":
                self.log_event(owner.name, doc.id, actor, qid, None, quote_state(self.quote(qid)))
        return len(quotes)

    # --- reports -------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        q = self.conn.execute
        annotators = {}
        for name in self.annotators():
            counts = dict(
                q("SELECT status, count(*) FROM quotes WHERE annotator = ? GROUP BY status", (name,)).fetchall()
            )
            statuses = dict(
                q("SELECT status, count(*) FROM doc_status WHERE annotator = ? GROUP BY status", (name,)).fetchall()
            )
            total = self.count_documents()
            statuses["todo"] = statuses.get("todo", 0) + total - sum(statuses.values())
            annotators[name] = {"labels": counts.get("accepted", 0), "quotes_by_status": counts,
                                "documents_by_status": statuses}
        runs = {
            name: q("SELECT count(*) FROM quotes WHERE run = ?", (name,)).fetchone()[0]
            for name in self.runs()
        }
        return {
            "documents": self.count_documents(),
            "characters": q("SELECT coalesce(sum(length), 0) FROM documents").fetchone()[0],
            "annotators": annotators,
            "runs": runs,
            "events": q(f"SELECT count(*) FROM events WHERE {IMPORT_PUBLISHED}").fetchone()[0],
        }

    def check(self) -> list[str]:
        """Every integrity problem found, one sentence each; an empty list means all is well.

        SQLite's own checks see pages and foreign keys, not what a label means: a
        span whose offsets or text no longer match its document (a file edited by
        hand, a bug) would misplace a label without a word, so every quote, cue and
        mention is checked against its text, and every text against its hash.
        """
        problems = []
        q = self.conn.execute
        for (msg,) in q("PRAGMA integrity_check").fetchall():
            if msg != "ok":
                problems.append(f"SQLite integrity check: {msg}")
        for table, rowid, parent, _ in q("PRAGMA foreign_key_check").fetchall():
            problems.append(f"{table} row {rowid} points at a missing {parent} row (orphan)")
        texts: dict[str, str] = {}
        for doc_id, text, digest, length in q("SELECT id, text, sha256, length FROM documents"):
            if sha256(text) != digest:
                problems.append(f"document {doc_id!r}: its text no longer matches its SHA-256")
            if len(text) != length:
                problems.append(f"document {doc_id!r}: stored length {length} but text has {len(text)}")
        spans = q(
            'SELECT q.id, q.doc_id, q.start, q."end", q.text, q.cue_start, q.cue_end, q.cue_text, '
            'm.start, m."end", m.text FROM quotes q LEFT JOIN mentions m ON m.id = q.mention_id'
        )
        for qid, doc_id, *offs in spans:
            if doc_id not in texts:
                row = q("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
                if row is None:
                    continue  # reported by the foreign key check
                texts[doc_id] = row[0]
            text = texts[doc_id]
            parts = (offs[0:3], offs[3:6], offs[6:9])
            for what, (s, e, t) in zip(("quote", "cue", "speaker mention"), parts, strict=True):
                if s is None:
                    continue
                try:
                    Span(s, e, t).check(text)
                except SpanError as exc:
                    problems.append(f"quote {qid} in document {doc_id!r}: {what} {exc}")
        for (mid, sid, s, e, t) in q(
            'SELECT m.id, m.speaker_id, m.start, m."end", m.text FROM mentions m'
        ).fetchall():
            row = q("SELECT d.text, d.id FROM speakers s JOIN documents d ON d.id = s.doc_id WHERE s.id = ?",
                    (sid,)).fetchone()
            if row is None:
                continue
            try:
                Span(s, e, t).check(row[0])
            except SpanError as exc:
                problems.append(f"mention {mid} in document {row[1]!r}: {exc}")
        for (sid, qdoc, sdoc) in q(
            "SELECT q.id, q.doc_id, s.doc_id FROM quotes q JOIN speakers s ON s.id = q.speaker_id "
            "WHERE q.doc_id <> s.doc_id"
        ).fetchall():
            problems.append(f"quote {sid} in document {qdoc!r} names a speaker of document {sdoc!r}")
        return problems


@dataclass
class _Deferred:
    """What an import leaves to its publishing transaction, because it cannot be hidden until then."""

    texts: list[tuple[str, AnnotatedDocument]] = field(default_factory=list)  # known ids with a new text
    statuses: list[str] = field(default_factory=list)  # known documents whose status the import changes


def _process_alive(pid: int) -> bool:
    if pid <= 0:  # os.kill would address a whole process group
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or we cannot tell: assume it is still importing
    return True
