"""Schema migrations: each step tested from a file that the older version made, with that version's DDL.

The DDL below is what annotator wrote at versions 1 and 2, before the steps were
recorded in ``_sqlite_migrations`` (such files have only ``PRAGMA user_version``).
It is frozen here on purpose: the files users have were made by it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.model import Owner
from annotator.store import SCHEMA_VERSION, SchemaError, Store, schema
from annotator.text import sha256
from tests.support.files import snapshot

V1_DDL = """
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

V2_DDL = """
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
    WHERE (import_id IS NULL OR import_id IN (SELECT id FROM imports WHERE state = 'published'));

ALTER TABLE runs ADD COLUMN import_id INTEGER REFERENCES imports(id);

ALTER TABLE quotes RENAME TO quote_rows;
ALTER TABLE quote_rows ADD COLUMN import_id INTEGER REFERENCES imports(id);
ALTER TABLE quote_rows ADD COLUMN superseded_by INTEGER REFERENCES imports(id);
CREATE INDEX quote_rows_import ON quote_rows(import_id) WHERE import_id IS NOT NULL;
CREATE INDEX quote_rows_superseded ON quote_rows(superseded_by) WHERE superseded_by IS NOT NULL;
CREATE VIEW quotes AS
    SELECT id, doc_id, annotator, run, start, "end", text, type, cue_start, cue_end, cue_text, speaker_id,
    mention_id, role, role_category, via, status, origin, updated_at
    FROM quote_rows WHERE (import_id IS NULL OR import_id IN (SELECT id FROM imports WHERE state = 'published'))
    AND (superseded_by IS NULL OR superseded_by NOT IN (SELECT id FROM imports WHERE state = 'published'));

ALTER TABLE speakers RENAME TO speaker_rows;
ALTER TABLE speaker_rows ADD COLUMN import_id INTEGER REFERENCES imports(id);
ALTER TABLE speaker_rows ADD COLUMN superseded_by INTEGER REFERENCES imports(id);
CREATE INDEX speaker_rows_import ON speaker_rows(import_id) WHERE import_id IS NOT NULL;
CREATE INDEX speaker_rows_superseded ON speaker_rows(superseded_by) WHERE superseded_by IS NOT NULL;
CREATE VIEW speakers AS
    SELECT id, doc_id, annotator, run, name, kind, aliases FROM speaker_rows
    WHERE (import_id IS NULL OR import_id IN (SELECT id FROM imports WHERE state = 'published'))
    AND (superseded_by IS NULL OR superseded_by NOT IN (SELECT id FROM imports WHERE state = 'published'));

ALTER TABLE doc_status RENAME TO status_rows;
ALTER TABLE status_rows ADD COLUMN import_id INTEGER REFERENCES imports(id);
CREATE INDEX status_rows_import ON status_rows(import_id) WHERE import_id IS NOT NULL;
CREATE VIEW doc_status AS
    SELECT doc_id, annotator, status, updated_at FROM status_rows
    WHERE (import_id IS NULL OR import_id IN (SELECT id FROM imports WHERE state = 'published'));

ALTER TABLE events ADD COLUMN import_id INTEGER REFERENCES imports(id);
CREATE INDEX events_import ON events(import_id) WHERE import_id IS NOT NULL;
DROP TRIGGER events_append_only_delete;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
    WHEN OLD.import_id IS NULL
      OR OLD.import_id NOT IN (SELECT id FROM imports WHERE state IN ('staging', 'discarding'))
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
"""


def old_file(path: Path, *scripts: str) -> Path:
    """A database file as an older annotator left it: its DDL run, its version in user_version, some labels."""
    conn = sqlite3.connect(path, isolation_level=None)
    for script in scripts:
        conn.executescript(script)
    conn.execute(f"PRAGMA user_version = {len(scripts)}")
    documents, speakers, quotes, statuses = (
        ("documents", "speakers", "quotes", "doc_status") if len(scripts) == 1
        else ("document_rows", "speaker_rows", "quote_rows", "status_rows")
    )
    conn.execute(f"INSERT INTO {documents} (id, text, sha256, length, seq, imported_at) "
                 "VALUES ('a', 'Teks.', ?, 5, 1, 'x')", (sha256("Teks."),))
    conn.execute(f"INSERT INTO {statuses} (doc_id, annotator, status, updated_at) VALUES ('a', 'ana', 'done', 'x')")
    conn.execute(f"INSERT INTO {speakers} (id, doc_id, annotator, name, kind) VALUES (1, 'a', 'ana', 'Budi', 'person')")
    conn.execute("INSERT INTO mentions (id, speaker_id, start, \"end\", text) VALUES (1, 1, 0, 4, 'Teks')")
    conn.execute(f"INSERT INTO {quotes} (doc_id, annotator, start, \"end\", text, type, speaker_id, mention_id, "
                 "updated_at) VALUES ('a', 'ana', 0, 5, 'Teks.', 'direct', 1, 1, 'x')")
    conn.execute("INSERT INTO events (ts, annotator, doc_id, action) VALUES ('x', 'ana', 'a', 'create')")
    conn.close()
    return path


def schema_of(path: Path) -> list[tuple[str, str, str]]:
    """Every table, index, view and trigger of the file with its SQL (spacing aside), migrations table apart."""
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name <> '_sqlite_migrations' ORDER BY type, name"
    ).fetchall()
    conn.close()
    return [(kind, name, " ".join((sql or "").split())) for kind, name, sql in rows]


def recorded(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'annotator' ORDER BY id"
    )]


def every_step() -> list[str]:
    return [step.__name__ for step in schema.STEPS]


@pytest.fixture
def fresh_schema(tmp_path: Path) -> list[tuple[str, str, str]]:
    Store.open(tmp_path / "fresh.db").close()
    return schema_of(tmp_path / "fresh.db")


def test_a_new_file_runs_every_step_and_records_it(db_path):
    with Store.open(db_path) as store:
        assert recorded(store) == every_step()
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


@pytest.mark.parametrize("scripts", [(V1_DDL,), (V1_DDL, V2_DDL)], ids=["version-1", "version-2"])
def test_an_older_file_is_migrated_with_its_labels_in_place(tmp_path, fresh_schema, scripts):
    """A file from version 1 or 2 (no migrations table) records the steps it has, runs the others, and ends
    with the schema of a new file and every document, label, status and event visible."""
    path = old_file(tmp_path / "old.db", *scripts)
    with Store(path) as store:
        assert recorded(store) == every_step()
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.document_ids() == ["a"]
        assert store.status("a", "ana") == "done"
        (label,) = store.quotes("a", Owner.annotator("ana"))
        assert (label.text, label.speaker.name, label.speaker.mention.text) == ("Teks.", "Budi", "Teks")
        assert store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1
        assert not store.check()
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            store.conn.execute("DELETE FROM events")
    assert schema_of(path) == fresh_schema
    with Store(path) as store:  # opened again: nothing left to do
        assert recorded(store) == every_step()


def test_a_step_added_later_runs_once_on_a_current_file(db_path, monkeypatch):
    Store.open(db_path).close()
    calls = []

    def added_later(db):
        calls.append(db)

    steps = (*schema.STEPS, added_later)
    monkeypatch.setattr(schema, "STEPS", steps)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(steps))
    monkeypatch.setattr(schema, "MIGRATIONS", schema.migration_set(steps))
    with Store.open(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(steps)
        assert recorded(store) == every_step() and every_step()[-1] == "added_later"
    Store.open(db_path).close()
    assert len(calls) == 1


def test_a_failing_step_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    """All missing steps run in one transaction: a file is never left between two versions."""
    path = old_file(tmp_path / "old.db", V1_DDL)
    before = schema_of(path)

    def broken(db):
        raise RuntimeError("step failed")

    steps = (*schema.STEPS, broken)
    monkeypatch.setattr(schema, "STEPS", steps)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(steps))
    monkeypatch.setattr(schema, "MIGRATIONS", schema.migration_set(steps))
    with pytest.raises(RuntimeError, match="step failed"):
        Store(path)
    assert schema_of(path) == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = '_sqlite_migrations'").fetchall() == []
    conn.close()


def test_a_file_with_a_step_this_annotator_does_not_know_is_refused(tmp_path):
    path = old_file(tmp_path / "old.db", V1_DDL)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, "
                 "applied_at TEXT)")
    conn.executemany("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('annotator', ?, 'x')",
                     [(schema.STEPS[0].__name__,), ("from_another_branch",)])
    conn.commit()
    conn.close()
    before = schema_of(path)
    with pytest.raises(SchemaError, match="from_another_branch, newer than this annotator understands"):
        Store(path)
    assert schema_of(path) == before


@pytest.mark.parametrize(("version", "refusal"), [(1, "not an annotator database"), (2, "not an annotator database"),
                                                 (99, "newer than this annotator")])
def test_another_programs_file_with_a_version_of_its_own_is_refused_untouched(tmp_path, version, refusal):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('mine')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    before = snapshot(tmp_path)
    with pytest.raises(SchemaError, match=refusal):
        Store(path)
    assert snapshot(tmp_path) == before  # not a byte written, no -wal beside it


def test_a_current_file_that_records_a_step_this_annotator_does_not_know_is_refused(db_path):
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('annotator', 'from_another_branch', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaError, match="from_another_branch, newer than this annotator understands"):
        Store(db_path)


def test_a_version_2_file_keeps_its_labels_and_can_hold_adjudicated_ones(tmp_path):
    """Step 3 (adjudication_provenance): old labels have no provenance; a label written after it keeps one."""
    path = old_file(tmp_path / "old.db", V1_DDL, V2_DDL)
    with Store(path) as store:
        (label,) = store.quotes("a", Owner.annotator("ana"))
        assert label.adjudication is None
        provenance = {"agreed": ["ana", "ben"], "taken_from": "ana"}
        (qid,) = store.add_labels("gold", "a", [replace(label, id=None, adjudication=provenance)],
                                  origin="adjudication", action="adjudicate")
        assert store.quote(qid).adjudication == provenance
