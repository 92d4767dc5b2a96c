"""The store: schema versions, integrity checks, stats, concurrency and the layering rule."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from annotator.model import AnnotatedDocument, Document, Owner, Quote
from annotator.store import SCHEMA_VERSION, ConflictError, SchemaError, Store
from annotator.text import sha256
from tests.support.paths import ROOT, SEEDS


def test_new_file_gets_current_schema_and_wal(db_path):
    with Store.open(db_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_newer_schema_is_refused(db_path):
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaError, match="newer than this annotator"):
        Store.open(db_path)


def test_speakers_pool_into_one_entity_per_layer(budi_db):
    with Store.open(budi_db) as store:
        quotes = store.quotes("d1", Owner.annotator("ann"))
        assert quotes[0].speaker.id == quotes[1].speaker.id
        assert quotes[1].speaker.mention.text == "Ia"
        assert quotes[0].speaker.aliases == ("Presiden Budi",)
        assert store.quotes("d1", Owner.annotator("other")) == []


def test_event_log_is_append_only(budi_db):
    with Store.open(budi_db) as store:
        assert store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 2
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            store.conn.execute("DELETE FROM events")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            store.conn.execute("UPDATE events SET action = 'x'")


def test_a_failed_import_leaves_nothing(budi_db):
    with Store.open(budi_db) as store:
        bad = Document(id="d2", text="abc", sha256=sha256("abc"))
        with pytest.raises(ConflictError, match="outside the text"):
            store.import_documents(
                [("ok", AnnotatedDocument(Document(id="d3", text="x", sha256=sha256("x")))),
                 ("bad", AnnotatedDocument(bad, [Quote(0, 9, "abcdefghi")]))],
                owner=Owner.annotator("ann"),
            )
        assert store.document("d3") is None and store.document("d2") is None


def run_check(db_path):
    from click.testing import CliRunner

    from annotator.cli import cli

    return CliRunner().invoke(cli, ["--db", str(db_path), "check"])


def test_check_passes_on_a_sound_database(budi_db):
    result = run_check(budi_db)
    assert result.exit_code == 0 and "passed every check" in result.stdout


@pytest.mark.parametrize(
    "corruption, expected",
    [
        ('UPDATE quote_rows SET "end" = 500 WHERE id = 1', "outside the text"),
        ("UPDATE quote_rows SET text = 'bogus' WHERE id = 1", "has text 'bogus'"),
        ("UPDATE quote_rows SET cue_text = 'ujar' WHERE id = 1", "cue span"),
        ("UPDATE mentions SET start = 0 WHERE id = 1", "mention"),
        ("UPDATE document_rows SET text = text || ' tambahan'", "no longer matches its SHA-256"),
        ("INSERT INTO quote_rows (doc_id, annotator, start, \"end\", text, type, updated_at) "
         "VALUES ('ghost', 'ann', 0, 0, '', 'direct', 'now')", "orphan"),
    ],
)
def test_check_finds_deliberate_corruption(budi_db, corruption, expected):
    with sqlite3.connect(budi_db) as conn:  # foreign keys are off in a bare connection
        conn.execute(corruption)
    result = run_check(budi_db)
    assert result.exit_code == 1
    assert expected in result.stdout


def test_stats_counts(run_cli, budi_db, tmp_path):
    result = run_cli("stats", "--json")
    data = json.loads(result.stdout)
    assert data["documents"] == 1
    assert data["annotators"]["ann"]["labels"] == 2
    assert data["annotators"]["ann"]["documents_by_status"] == {"todo": 1}
    assert run_cli("import", SEEDS).exit_code == 0
    result = run_cli("stats")
    assert "documents: 3" in result.stdout and "ann" in result.stdout


def test_two_processes_write_at_once_without_lock_errors(budi_db):
    """Two annotators on one file: WAL plus busy timeout, no "database is locked"."""
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from annotator.store import Store
        store = Store.open({str(budi_db)!r})
        for i in range(150):
            store.set_status("d1", sys.argv[1], "in_progress" if i % 2 else "done")
        print("ok")
        """
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, name], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for name in ("alice", "bob")]
    outputs = [p.communicate(timeout=120) for p in procs]
    for (stdout, stderr), proc in zip(outputs, procs, strict=True):
        assert proc.returncode == 0, stderr
        assert stdout.strip() == "ok"
    with Store.open(budi_db) as store:
        assert store.conn.execute("SELECT count(*) FROM events WHERE action = 'status'").fetchone()[0] == 300
