"""The assignments table: made by the fourth schema step on a version-3 file, and the work list it orders
(the annotator's assigned documents first, then the rest, each in import order, paged by key)."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.session.assignment import assign
from annotator.store import SCHEMA_VERSION, Store, assignments, schema, worklist
from annotator.store.worklist import END, START
from tests.store.test_migrations import V1_DDL, V2_DDL, old_file, recorded, schema_of
from tests.support.store import make_store


def test_a_version_3_file_gets_the_assignments_table_with_its_labels_in_place(tmp_path, monkeypatch):
    """A file that annotator made at version 3 (its steps recorded) gains step 4 and nothing else changes."""
    fresh = tmp_path / "fresh.db"
    Store.open(fresh).close()
    path = old_file(tmp_path / "v3.db", V1_DDL, V2_DDL)
    three = schema.STEPS[:3]
    with monkeypatch.context() as m:  # the annotator of version 3 opens it first
        m.setattr(schema, "STEPS", three)
        m.setattr(schema, "SCHEMA_VERSION", 3)
        m.setattr(schema, "MIGRATIONS", schema.migration_set(three))
        with Store(path) as store:
            assert recorded(store) == [s.__name__ for s in three]
            assert not store.db["assignments"].exists()
    with Store(path) as store:
        assert recorded(store)[-1] == "work_assignments" and len(recorded(store)) == SCHEMA_VERSION == 4
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 4
        assert store.status("a", "ana") == "done" and not store.check()
        assign(store, "lead", ["ana"], 0, seed=0)
        assert assignments.by_document(store) == {"a": ("ana",)}
        with pytest.raises(sqlite3.IntegrityError):  # an assignment names a document that exists
            store.conn.execute("INSERT INTO assignments VALUES ('nope', 'ana', 9, 1, 'x')")
    assert schema_of(path) == schema_of(fresh)


@pytest.fixture
def listed(tmp_path):
    """250 documents; ana is assigned every third, from doc-001 on."""
    store = make_store(tmp_path / "w.db", [(f"doc-{i:03d}", f"Text {i}.") for i in range(250)],
                       with_candidates=False)
    mine = [f"doc-{i:03d}" for i in range(1, 250, 3)]
    rest = [d for d in store.document_ids() if d not in mine]
    assignments.store_dealing(store, "lead", {d: ("ana",) for d in mine} | {d: ("ben",) for d in rest}, [], {})
    yield store, mine, rest
    store.close()


def every_page(store: Store, annotator: str, limit: int, **filters) -> list[worklist.DocumentRow]:
    rows, after = [], START
    while True:
        page = worklist.documents_page(store, annotator, "builtin", after=after, limit=limit, **filters)
        rows += page
        if len(page) < limit:
            return rows
        after = page[-1].key


@pytest.mark.parametrize("limit", [1, 7, 83, 84, 100, 500])
def test_pages_list_the_assigned_documents_first_then_the_rest_each_once(listed, limit):
    store, mine, rest = listed
    rows = every_page(store, "ana", limit)
    assert [r.id for r in rows] == mine + rest
    assert [r.assigned for r in rows] == [True] * len(mine) + [False] * len(rest)
    assert [r.id for r in every_page(store, "cho", limit)] == store.document_ids()  # nothing assigned: as before


def test_filters_and_ids_hold_in_both_parts(listed):
    store, _, _ = listed
    store.set_status("doc-004", "ana", "done")
    store.set_status("doc-005", "ana", "done")
    assert [r.id for r in every_page(store, "ana", 1, status="done")] == ["doc-004", "doc-005"]
    assert [r.id for r in every_page(store, "ana", 10, search="Text 24")] == ["doc-241", "doc-244", "doc-247",
                                                                           "doc-024", "doc-240", "doc-242",
                                                                           "doc-243", "doc-245", "doc-246",
                                                                           "doc-248", "doc-249"]
    rows = worklist.documents_page(store, "ana", "builtin", ids=["doc-002", "doc-001"], limit=2)
    assert [(r.id, r.assigned) for r in rows] == [("doc-001", True), ("doc-002", False)]


@pytest.mark.parametrize("limit", [1, 7, 83, 84, 100, 500])
def test_pages_backwards_from_the_end_list_the_same_rows(listed, limit):
    """The documents screen's End and its scrolling back up: pages before a key, in list order, across the
    two parts."""
    store, mine, rest = listed
    rows, before = [], END
    while True:
        page = worklist.documents_page(store, "ana", "builtin", before=before, limit=limit)
        rows[:0] = page
        if len(page) < limit:
            break
        before = page[0].key
    assert [r.id for r in rows] == mine + rest


def test_a_page_of_assigned_documents_is_a_range_of_the_index(listed):
    """The cost of a page does not grow with the list: the assigned part reads the assignments index
    from the key on, never the whole table sorted."""
    store, _, _ = listed
    sql: list[str] = []
    store.conn.set_trace_callback(sql.append)
    worklist.documents_page(store, "ana", "builtin", after=(0, 240), limit=5)  # past ana's last: both parts
    store.conn.set_trace_callback(None)
    assigned_part, rest = (next(s for s in sql if marker in s) for marker in ("FROM assignments a JOIN",
                                                                                "FROM documents d"))

    def plan(query: str) -> list[str]:
        return [r[3].replace(" ", "") for r in store.conn.execute(f"EXPLAIN QUERY PLAN {query}")]

    assert "SEARCHaUSINGINDEXassignments_annotator(annotator=?ANDseq>?)" in plan(assigned_part)
    assert "SEARCHdocument_rowsUSINGINDEXdocuments_seq(seq>?)" in plan(rest)
    assert "SEARCHaUSINGCOVERINGINDEXsqlite_autoindex_assignments_1(doc_id=?ANDannotator=?)" in plan(rest)
    assert not any("TEMPB-TREE" in p for p in plan(assigned_part) + plan(rest))


def test_next_to_do_among_the_assigned_wraps_round_and_ends(listed):
    store, mine, _ = listed
    assert worklist.next_to_do(store, "ana", None, assigned=True) == "doc-001"
    assert worklist.next_to_do(store, "ana", "doc-002", assigned=True) == "doc-004"
    assert worklist.next_to_do(store, "ana", "doc-247", assigned=True) == "doc-001"
    for doc_id in mine:
        store.set_status(doc_id, "ana", "done")
    assert worklist.next_to_do(store, "ana", None, assigned=True) is None
    assert worklist.next_to_do(store, "ana", None) == "doc-000"
    assert worklist.assigned_progress(store, "ana") == (len(mine), len(mine), 0)
