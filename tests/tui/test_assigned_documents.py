"""The documents screen of an annotator with assigned documents (``annotator assign``): theirs first and marked,
the rest after them, paged; ``o`` and ``d`` open the next assigned document to do, and say when none is left."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from annotator.store import Store, assignments
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.documents import ASSIGNED_MARK, PAGE, DocumentsScreen
from tests.support.store import TEXT, make_store
from tests.support.tui import SIZE, built, running, settle

N = 250
MINE = [f"doc-{i:03d}" for i in range(5, N, 3)]  # 82 documents assigned to ann, from doc-005 on


@pytest.fixture
def db(tmp_path):
    store = make_store(tmp_path / "a.db", [(f"doc-{i:03d}", f"Document {i}. " + TEXT) for i in range(N)])
    assignments.store_dealing(store, "lead", {d: ("ann",) for d in MINE} | {"doc-000": ("ben",)}, [], {})
    store.set_status("doc-005", "ann", "done")
    store.close()
    return tmp_path / "a.db"


def ids(app) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[2]) for i in range(table.row_count)]


async def test_assigned_documents_come_first_marked_then_the_rest_page_by_page(db):
    async with running(db, doc=None) as (app, pilot):
        table = app.screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()][:3] == ["assigned", "status", "id"]
        assert table.row_count == PAGE
        await pilot.press("end")  # the last page, then back up through the rest and the assigned ones
        await settle(pilot)
        for _ in range(4):
            await pilot.press(*["pageup"] * 4)
            await settle(pilot)
        rest = [f"doc-{i:03d}" for i in range(N) if f"doc-{i:03d}" not in MINE]
        assert ids(app) == MINE + rest
        marks = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert marks == [ASSIGNED_MARK] * len(MINE) + [""] * len(rest)
        progress = str(app.screen.query_one("#progress-label").render())
        assert "1 done of 250 documents; assigned to you: 1 done of 82" in progress


async def test_o_opens_the_next_assigned_document_to_do_and_d_the_one_after(db):
    async with running(db, doc=None) as (app, pilot):
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, AnnotateScreen) and app.screen.doc_id == "doc-008"  # doc-005 is done
        await pilot.press("d")
        await settle(pilot)
        assert app.screen.doc_id == "doc-011"
    with Store.open(db) as store:
        assert store.status("doc-008", "ann") == "done" and store.status("doc-011", "ann") == "todo"
        assert store.status("doc-000", "ann") == "todo"  # the first document, not ann's, was never opened


async def test_when_every_assigned_document_is_finished_o_and_d_say_so(db):
    with Store.open(db) as store:
        for doc_id in MINE[:-1]:
            store.set_status(doc_id, "ann", "done")
    async with running(db, doc=None) as (app, pilot):
        said: list[str] = []
        notify = app.notify
        app.notify = lambda message, **how: (said.append(message), notify(message, **how))[1]
        await pilot.press("o")
        await settle(pilot)
        assert app.screen.doc_id == MINE[-1]
        await pilot.press("d")  # the last one: back to the list, saying why
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)
        nothing_left = ("Every document assigned to you is done or skipped; the others are listed after them "
                        "(enter opens one).")
        assert said[-1] == nothing_left  # after the warning that it had pending candidates
        told = len(said)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen) and said[told:] == [nothing_left]


async def test_another_annotator_without_assignments_sees_the_list_as_before(db):
    async with running(db, doc=None, annotator="cho") as (app, pilot):
        table = app.screen.query_one(DataTable)
        assert "assigned" not in [str(c.label) for c in table.columns.values()]
        assert [str(table.get_row_at(i)[1]) for i in range(3)] == ["doc-000", "doc-001", "doc-002"]
        await pilot.press("o")
        await settle(pilot)
        assert app.screen.doc_id == "doc-000"


async def test_documents_assigned_while_the_list_is_open_come_first_when_it_reloads(db):
    async with running(db, doc=None, annotator="cho") as (app, pilot):
        with Store.open(db) as store:
            assignments.store_dealing(store, "lead", {"doc-100": ("cho",)}, [], {})
        await pilot.press("f")  # the filter reloads the list: todo
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert next(str(c.label) for c in table.columns.values()) == "assigned"
        assert [str(c) for c in table.get_row_at(0)[:3]] == [ASSIGNED_MARK, "todo", "doc-100"]


@pytest.fixture
def small(tmp_path):
    """Twelve documents; ann is assigned four of them, one done, one in progress."""
    store = make_store(tmp_path / "s.db", [(f"article-{i:02d}", f"Article number {i}. " + TEXT) for i in range(12)])
    assignments.store_dealing(store, "lead", {f"article-{i:02d}": ("ann",) for i in (2, 5, 8, 11)}, [], {})
    store.set_status("article-05", "ann", "done")
    store.set_status("article-08", "ann", "in_progress")
    store.set_status("article-01", "ann", "done")
    store.close()
    return tmp_path / "s.db"


def test_documents_screen_with_assigned_documents(snap_compare, small):
    with built(small, doc=None) as app:
        assert snap_compare(app, terminal_size=SIZE, run_before=settle)
