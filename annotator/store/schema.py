"""The versioned schema: sqlite-utils migrations, each a step that moves a database file up one version.

Each file records the steps it has by name in sqlite-utils' ``_sqlite_migrations``
table, and how many in ``PRAGMA user_version``: the count is what annotators
before the migrations table read to refuse a newer file, and reading it makes
opening a current file cost one pragma. An older file is migrated on open, all
its missing steps in one transaction; a file from a newer annotator is refused.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # sqlite-utils loads when a database is opened (Store), not with the package
    import sqlite_utils
    from sqlite_utils import Migrations


class SchemaError(Exception):
    """The database file cannot be used by this version of annotator."""


def _statements(script: str) -> list[str]:
    """Split a script into statements, so they run inside our transaction.

    (``executescript`` would commit first and break the migration's atomicity.)
    """
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements


def _run_script(db: sqlite_utils.Database, script: str) -> None:
    for statement in _statements(script):
        db.execute(statement)


def documents_labels_and_event_log(db: sqlite_utils.Database) -> None:
    """Version 1: documents, runs, speaker entities and their mentions, quotes, statuses, the event log.

    Every table at once, as the first release wrote them: files made since then
    were made by this step, so it never changes.
    """
    _run_script(
        db,
        """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            text TEXT NOT NULL,
            lang TEXT,
            title TEXT NOT NULL DEFAULT '',
            meta TEXT NOT NULL DEFAULT '{}',
            sha256 TEXT NOT NULL,
            length INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            imported_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX documents_seq ON documents(seq);

        CREATE TABLE runs (
            name TEXT PRIMARY KEY,
            system TEXT NOT NULL,
            created_at TEXT NOT NULL
        );

        -- A speaker entity belongs to one document and one layer: an annotator's
        -- labels (annotator set) or a run's predictions (run set), never both.
        CREATE TABLE speakers (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT,
            run TEXT REFERENCES runs(name),
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            aliases TEXT NOT NULL DEFAULT '[]',
            CHECK ((annotator IS NULL) <> (run IS NULL))
        );
        CREATE INDEX speakers_doc ON speakers(doc_id, annotator, run);

        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            speaker_id INTEGER NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            CHECK (0 <= start AND start <= "end")
        );
        CREATE INDEX mentions_speaker ON mentions(speaker_id);

        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT,
            run TEXT REFERENCES runs(name),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('direct', 'indirect', 'mixed')),
            cue_start INTEGER,
            cue_end INTEGER,
            cue_text TEXT,
            speaker_id INTEGER REFERENCES speakers(id),
            mention_id INTEGER REFERENCES mentions(id),
            role TEXT,
            role_category TEXT,
            via TEXT,
            status TEXT NOT NULL DEFAULT 'accepted'
                CHECK (status IN ('pending', 'accepted', 'rejected')),
            origin TEXT NOT NULL DEFAULT 'manual',
            updated_at TEXT NOT NULL,
            CHECK ((annotator IS NULL) <> (run IS NULL)),
            CHECK (0 <= start AND start <= "end")
        );
        CREATE INDEX quotes_doc ON quotes(doc_id, annotator, run);

        CREATE TABLE doc_status (
            doc_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('todo', 'in_progress', 'done', 'skipped')),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (doc_id, annotator)
        );

        -- Append-only: every change to a label, with the state before and after.
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            ts TEXT NOT NULL,
            annotator TEXT NOT NULL,
            doc_id TEXT,
            action TEXT NOT NULL,
            quote_id INTEGER,
            before TEXT,
            after TEXT
        );
        CREATE INDEX events_doc ON events(annotator, doc_id);
        CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        """
    )


_PUBLISHED = "SELECT id FROM imports WHERE state = 'published'"
# A row that readers see as far as its own import goes: none, or one that is published.
IMPORT_PUBLISHED = f"(import_id IS NULL OR import_id IN ({_PUBLISHED}))"
# A quote or speaker row that readers see: its import published, its replacement not.
_VISIBLE_ROW = f"{IMPORT_PUBLISHED} AND (superseded_by IS NULL OR superseded_by NOT IN ({_PUBLISHED}))"
# The columns of the quotes view as version 2 made it (a released step never changes; the store's
# own column lists are in annotator.store.rows).
_V2_QUOTE_COLUMNS = (
    'id, doc_id, annotator, run, start, "end", text, type, cue_start, cue_end, cue_text, speaker_id, '
    "mention_id, role, role_category, via, status, origin, updated_at"
)


def staged_imports(db: sqlite_utils.Database) -> None:
    """Version 2: imports publish at once however long they run.

    An import writes in short transactions, marking every row it adds
    (documents, quotes, speakers, statuses, events) with its row in ``imports``, and
    every quote and speaker it replaces (a run's earlier predictions) as
    superseded by it. The views ``documents``, ``quotes``, ``speakers`` and ``doc_status`` over
    the tables ``*_rows`` show a row once its import is published and hide it
    once its replacement is: publishing is one row update, so a long import
    never holds the write lock for long and is still seen whole or not at all.
    Every read goes through the views; writes go to the tables. A run that an
    import creates is hidden the same way. The event log stays append-only,
    except for the events of an import abandoned before it was published.
    """
    _run_script(
        db,
        f"""
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            state TEXT NOT NULL CHECK (state IN ('staging', 'published', 'discarding')),
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            started_at TEXT NOT NULL,
            heartbeat TEXT NOT NULL
        );
        ALTER TABLE documents RENAME TO document_rows;
        ALTER TABLE document_rows ADD COLUMN import_id INTEGER REFERENCES imports(id);
        -- Partial, so that the documents view keeps the seq index for its pages.
        CREATE INDEX document_rows_import ON document_rows(import_id) WHERE import_id IS NOT NULL;
        CREATE VIEW documents AS
            SELECT id, text, lang, title, meta, sha256, length, seq, imported_at FROM document_rows
            WHERE {IMPORT_PUBLISHED};

        ALTER TABLE runs ADD COLUMN import_id INTEGER REFERENCES imports(id);

        ALTER TABLE quotes RENAME TO quote_rows;
        ALTER TABLE quote_rows ADD COLUMN import_id INTEGER REFERENCES imports(id);
        ALTER TABLE quote_rows ADD COLUMN superseded_by INTEGER REFERENCES imports(id);
        CREATE INDEX quote_rows_import ON quote_rows(import_id) WHERE import_id IS NOT NULL;
        CREATE INDEX quote_rows_superseded ON quote_rows(superseded_by) WHERE superseded_by IS NOT NULL;
        CREATE VIEW quotes AS SELECT {_V2_QUOTE_COLUMNS} FROM quote_rows WHERE {_VISIBLE_ROW};

        ALTER TABLE speakers RENAME TO speaker_rows;
        ALTER TABLE speaker_rows ADD COLUMN import_id INTEGER REFERENCES imports(id);
        ALTER TABLE speaker_rows ADD COLUMN superseded_by INTEGER REFERENCES imports(id);
        CREATE INDEX speaker_rows_import ON speaker_rows(import_id) WHERE import_id IS NOT NULL;
        CREATE INDEX speaker_rows_superseded ON speaker_rows(superseded_by) WHERE superseded_by IS NOT NULL;
        CREATE VIEW speakers AS
            SELECT id, doc_id, annotator, run, name, kind, aliases FROM speaker_rows WHERE {_VISIBLE_ROW};

        ALTER TABLE doc_status RENAME TO status_rows;
        ALTER TABLE status_rows ADD COLUMN import_id INTEGER REFERENCES imports(id);
        CREATE INDEX status_rows_import ON status_rows(import_id) WHERE import_id IS NOT NULL;
        CREATE VIEW doc_status AS
            SELECT doc_id, annotator, status, updated_at FROM status_rows
            WHERE {IMPORT_PUBLISHED};

        ALTER TABLE events ADD COLUMN import_id INTEGER REFERENCES imports(id);
        CREATE INDEX events_import ON events(import_id) WHERE import_id IS NOT NULL;
        DROP TRIGGER events_append_only_delete;
        CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
            WHEN OLD.import_id IS NULL
              OR OLD.import_id NOT IN (SELECT id FROM imports WHERE state IN ('staging', 'discarding'))
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        """
    )


def adjudication_provenance(db: sqlite_utils.Database) -> None:
    """Version 3: a label reconciled from several annotators records where it came from.

    ``quote_rows.adjudication`` holds, as JSON, which annotators agreed on the
    label and whose version was taken (docs/format.md); NULL for every other
    label. The quotes view is made again to show it.
    """
    _run_script(
        db,
        f"""
        ALTER TABLE quote_rows ADD COLUMN adjudication TEXT;
        DROP VIEW quotes;
        CREATE VIEW quotes AS SELECT {_V2_QUOTE_COLUMNS}, adjudication FROM quote_rows WHERE {_VISIBLE_ROW};
        """
    )


def work_assignments(db: sqlite_utils.Database) -> None:
    """Version 4: which annotator is to do which document (``annotator assign``, README "Team workflow").

    A row per document and annotator; a document two annotators share (for agreement) has two.
    ``seq`` copies the document's import order, which never changes, so that a page of one
    annotator's assigned documents is a range of the index. ``dealing`` is the ``assign`` event
    that made the row, whose state records the seed, overlap and annotators of that dealing.
    """
    _run_script(
        db,
        """
        CREATE TABLE assignments (
            doc_id TEXT NOT NULL REFERENCES document_rows(id),
            annotator TEXT NOT NULL,
            seq INTEGER NOT NULL,
            dealing INTEGER NOT NULL REFERENCES events(id),
            assigned_at TEXT NOT NULL,
            PRIMARY KEY (doc_id, annotator)
        );
        CREATE INDEX assignments_annotator ON assignments(annotator, seq);
        """
    )


Step = Callable[["sqlite_utils.Database"], None]


def migration_set(steps: Sequence[Step]) -> Migrations:
    """The sqlite-utils migration set of these steps, in order, each named as its function."""
    from sqlite_utils import Migrations

    migrations = Migrations("annotator")
    for step in steps:
        migrations()(step)
    return migrations


# In the order they run. A step's name is recorded in every file it migrated: once released,
# a step is never renamed, changed or removed; a change to the schema is a new step at the end.
STEPS: tuple[Step, ...] = (
    documents_labels_and_event_log, staged_imports, adjudication_provenance, work_assignments,
)
SCHEMA_VERSION = len(STEPS)


def _migrations() -> Migrations:
    """``MIGRATIONS``, the migration set of STEPS: made on first use, so that importing the store does not load
    sqlite-utils (a fifth of a second) for commands that never open a database."""
    found = globals().get("MIGRATIONS")
    if found is None:
        found = globals()["MIGRATIONS"] = migration_set(STEPS)
    return found


def __getattr__(name: str) -> Any:
    if name == "MIGRATIONS":
        return _migrations()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_path(path: str) -> None:
    """Refuse, before SQLite opens it, a path that is not a database file nor a place for a new one.

    A folder, named pipe or device is never opened (a FIFO would block, ``/dev/zero`` read
    forever); a missing folder is not created.
    """
    if not path:
        raise SchemaError("no database file given (--db or $ANNOTATOR_DB is empty)")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        folder = Path(path).parent
        if not folder.is_dir():
            raise SchemaError(f"cannot create the database {path}: the folder {folder} does not exist") from None
        if not os.access(folder, os.W_OK):
            raise SchemaError(f"cannot create the database {path}: the folder {folder} is read-only") from None
        return
    except OSError as exc:
        raise SchemaError(f"{path} cannot be opened as a database ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise SchemaError(f"{path} is a folder, not a database file")
    if not stat.S_ISREG(mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device or socket"
        raise SchemaError(f"{path} is {kind}, not a database file")
    if not os.access(path, os.R_OK | os.W_OK):
        raise SchemaError(f"{path} is read-only (annotator writes to its database); make it writable or work on a copy")
    folder = Path(path).parent
    beside = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    if not os.access(folder, os.W_OK) and not all(os.access(f, os.W_OK) for f in beside):
        raise SchemaError(
            f"the folder {folder} of the database {path} is read-only, and SQLite keeps its "
            f"{beside[0].name} and {beside[1].name} files beside the database"
        )


def check_version(db: sqlite_utils.Database, path: str) -> int:
    """The file's schema version, read without writing; SchemaError for a foreign or newer file.

    The version and the tables are read in one statement, so both come from one
    snapshot: read apart, a new file that another process migrates in between
    would seem to have tables and no version, as another program's file has.
    """
    version, tables, ours = db.execute(
        "SELECT (SELECT user_version FROM pragma_user_version), "
        "(SELECT count(*) FROM sqlite_master WHERE type = 'table'), "
        "(SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'runs'))"
    ).fetchone()
    if version > SCHEMA_VERSION:
        raise _newer(path, version)
    # Another program's file may carry a version of its own: an annotator file of a version this one
    # knows has these two tables.
    if (version == 0 and tables) or (version > 0 and ours < 2):
        raise SchemaError(f"{path} is an SQLite database but not an annotator database")
    return version


def _newer(path: str, version: int | str) -> SchemaError:
    return SchemaError(
        f"{path} has schema version {version}, newer than this annotator "
        f"understands ({SCHEMA_VERSION}); upgrade annotator to open it"
    )


def migrate(db: sqlite_utils.Database, path: str) -> None:
    """Bring the file up to SCHEMA_VERSION, or refuse a file made by a newer version or another program.

    A file from before the steps were recorded gets its record on first open,
    even when it has every step: from then on its migrations table says what it has.
    Several processes may open a new file at once: the first to take the write
    lock (BEGIN IMMEDIATE) migrates it, the others wait, then find it current.
    Every missing step runs in that one transaction, each in a savepoint of
    sqlite-utils, so a file is never left between two versions.
    """
    if check_version(db, path) == SCHEMA_VERSION and db[_migrations().migrations_table].exists():
        _refuse_unknown_steps(db, path, SCHEMA_VERSION)
        return
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = check_version(db, path)  # again, now that no other process can be migrating it
        _record_steps_made_before_the_table(db, version)
        _refuse_unknown_steps(db, path, version)
        _migrations().apply(db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back already (a full disk): keep the real error
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _refuse_unknown_steps(db: sqlite_utils.Database, path: str, version: int) -> None:
    """A file that records a step this annotator does not know was made by a newer (or other) build."""
    unknown = {m.name for m in _migrations().applied(db)} - {step.__name__ for step in STEPS}
    if unknown:
        raise _newer(path, f"{version} with the step {', '.join(sorted(unknown))}")


def _record_steps_made_before_the_table(db: sqlite_utils.Database, version: int) -> None:
    """Record as applied the first ``version`` steps of a file migrated before the steps were recorded.

    Such a file (version 1 or 2, from before sqlite-utils' migrations) has its
    version in ``PRAGMA user_version`` and no ``_sqlite_migrations`` rows: its
    steps are recorded, not run again, so that the migration set applies the rest.
    """
    migrations = _migrations()
    migrations.ensure_migrations_table(db)
    if version == 0 or migrations.applied(db):
        return
    recorded_at = str(datetime.now(UTC))
    db[migrations.migrations_table].insert_all(  # the row sqlite-utils writes for a step it applied
        {"migration_set": migrations.name, "name": step.__name__, "applied_at": recorded_at}
        for step in STEPS[:version]
    )
