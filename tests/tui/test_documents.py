"""The documents screen: lazy pages, filter, search, progress, opening a document."""

from __future__ import annotations

import sqlite3

import pytest
from textual.widgets import DataTable

from annotator.model import AnnotatedDocument
from annotator.session import Workspace
from annotator.store import Store, worklist
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.documents import PAGE, WINDOW, DocumentsScreen
from tests.support.store import TEXT, document, make_store, on_disk
from tests.support.tui import run_from_palette, running, settle, wait_until

N = 450


@pytest.fixture
def db(tmp_path):
    docs = [(f"doc-{i:04d}", f"Document {i}. " + TEXT) for i in range(N)]
    docs[7] = ("doc-0007", "Only this one mentions a zeppelin. " + TEXT)
    store = make_store(tmp_path / "d.db", docs)
    for i in (1, 2, 3):
        store.set_status(f"doc-{i:04d}", "ann", "done")
    store.set_status("doc-0004", "ann", "skipped")
    store.close()
    return tmp_path / "d.db"


def table(app) -> DataTable:
    return app.screen.query_one(DataTable)


async def test_rows_load_a_page_at_a_time(db):
    async with running(db, doc=None) as (app, pilot):
        assert isinstance(app.screen, DocumentsScreen)
        assert table(app).row_count == PAGE
        assert "100+ documents shown" in str(app.screen.query_one("#doc-status").render())
        await pilot.press(*["pagedown"] * 3)  # near the end of the first page: the second one comes
        await settle(pilot)
        assert table(app).row_count == 2 * PAGE
        for _ in range(12):
            await pilot.press(*["pagedown"] * 4)
            await settle(pilot)
        assert table(app).row_count == N and app.screen.current_id() == "doc-0449"
        assert "450 documents shown" in str(app.screen.query_one("#doc-status").render())


async def test_reading_a_page_mounts_no_loading_indicator(db):
    """Each page read while scrolling used to set the screen's Widget.loading, mounting a spinner whose
    render cache Textual keeps: memory grew with every row scrolled (bench/tui.py prints it)."""
    async with running(db, doc=None) as (app, pilot):
        covers = []
        original = app.screen._cover

        def spy(widget):
            covers.append(widget)
            return original(widget)

        app.screen._cover = spy  # how Textual shows a widget's loading indicator
        for _ in range(6):
            await pilot.press(*["pagedown"] * 4)
            await settle(pilot)
        assert table(app).row_count > PAGE  # pages were read
        assert not covers and not app.screen.loading


async def test_home_and_end_go_to_the_first_and_the_last_document(db):
    async with running(db, doc=None) as (app, pilot):
        await pilot.press("end")
        await settle(pilot)
        assert app.screen.current_id() == "doc-0449" and table(app).row_count == PAGE  # only the last page read
        await pilot.press("home")
        await settle(pilot)
        assert app.screen.current_id() == "doc-0000"
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert app.screen.current_id() == "doc-0449"
        for _ in range(4):  # back up from the end: the pages before come as the cursor nears them
            await pilot.press(*["pageup"] * 5)
            await settle(pilot)
        assert app.screen.current_id() == "doc-0000"
        assert [str(table(app).get_row_at(i)[1]) for i in range(table(app).row_count)] == [
            f"doc-{i:04d}" for i in range(N)]
        await pilot.press("ctrl+home")
        await settle(pilot)
        assert app.screen.current_id() == "doc-0000"


@pytest.fixture
def long_db(tmp_path):
    make_store(tmp_path / "long.db", [(f"doc-{i:04d}", f"Document {i}. " + TEXT) for i in range(2500)]).close()
    return tmp_path / "long.db"


async def test_every_key_of_a_burst_counts_and_the_table_holds_a_window(long_db):
    """50 PgDn pressed faster than pages load move 50 pages; the table keeps at most WINDOW rows; 50 PgUp
    come back to the same row."""
    async with running(long_db, doc=None) as (app, pilot):
        rows_per_page = table(app)._rows_per_page()
        await pilot.press(*["pagedown"] * 50)
        await settle(pilot)
        assert app.screen.current_id() == f"doc-{50 * rows_per_page:04d}"
        assert table(app).row_count <= WINDOW
        await pilot.press(*["down"] * 30, *["up"] * 30)
        await settle(pilot)
        assert app.screen.current_id() == f"doc-{50 * rows_per_page:04d}"
        await pilot.press(*["pageup"] * 50)
        await settle(pilot)
        assert app.screen.current_id() == "doc-0000" and table(app).row_count <= WINDOW
        assert str(table(app).get_row_at(0)[1]) == "doc-0000"


async def test_back_on_the_list_rows_in_sight_are_read_again(db):
    """Rows in sight show what is on disk on coming back from a document, changes made elsewhere too."""
    async with running(db, doc=None) as (app, pilot):
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AnnotateScreen)
        with on_disk(db) as store:
            store.set_status("doc-0006", "ann", "done")  # another process, meanwhile
        await pilot.press("q")
        await settle(pilot)
        assert str(table(app).get_row_at(6)[0]) == "done"
        assert "4 done of 450 documents" in str(app.screen.query_one("#progress-label").render())


async def test_documents_another_process_imports_appear_without_a_key(db):
    async with running(db, doc=None) as (app, pilot):
        await pilot.press("end")
        await settle(pilot)
        with on_disk(db) as store:
            store.import_documents([("late", AnnotatedDocument(document("doc-late"), []))])
        await wait_until(pilot, lambda: app.screen.current_id() is not None and "doc-late" in table(app).rows,
                         "the new document's row")
        assert "done of 451 documents" in str(app.screen.query_one("#progress-label").render())


async def test_progress_and_status_filter(db):
    async with running(db, doc=None) as (app, pilot):
        assert "3 done of 450 documents" in str(app.screen.query_one("#progress-label").render())
        first = table(app).get_row_at(1)
        assert str(first[0]) == "done" and str(first[2]) == "3"  # candidates from the run
        await pilot.press("f")  # todo
        await settle(pilot)
        assert table(app).row_count == PAGE
        await pilot.press("f", "f")  # in_progress, then done
        await settle(pilot)
        assert app.screen.status_filter == "done"
        assert [str(table(app).get_row_at(i)[1]) for i in range(table(app).row_count)] == [
            "doc-0001", "doc-0002", "doc-0003"]
        await pilot.press("f")
        await settle(pilot)
        assert table(app).row_count == 1


async def test_search_ids_and_texts(db):
    async with running(db, doc=None) as (app, pilot):
        await pilot.press("slash", *"zeppelin", "enter")
        await settle(pilot)
        assert table(app).row_count == 1 and str(table(app).get_row_at(0)[1]) == "doc-0007"
        assert str(app.screen.query_one("#doc-status").render()) == "1 document shown"
        await pilot.press("slash")
        app.screen.query_one("#doc-search").value = ""
        await pilot.press(*"doc-044", "enter")
        await settle(pilot)
        assert table(app).row_count == 10
        await pilot.press("escape")
        await settle(pilot)
        assert table(app).row_count == PAGE


async def test_enter_opens_and_back_refreshes(db):
    async with running(db, doc=None) as (app, pilot):
        await pilot.press("down", "down", "down", "down", "down")  # doc-0005
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AnnotateScreen) and app.screen.doc_id == "doc-0005"
        await pilot.press("a", "q")
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)
        row = table(app).get_row_at(5)
        assert str(row[0]) == "in_progress" and str(row[3]) == "1"
        assert table(app).cursor_row == 5
        await pilot.press("o")  # the next to do: the first todo
        await settle(pilot)
        assert app.screen.doc_id == "doc-0000"
    check = Store.open(db)
    assert check.status("doc-0005", "ann") == "in_progress"
    assert check.status("doc-0000", "ann") == "todo"  # opened, not changed
    check.close()


def test_pages_never_read_texts_unless_searching(db):
    store = Store.open(db)
    traced: list[str] = []
    store.conn.set_trace_callback(traced.append)
    rows = worklist.documents_page(store, "ann", "builtin", limit=50)
    assert len(rows) == 50 and not any("d.text" in sql for sql in traced)
    rows = worklist.documents_page(store, "ann", "builtin", search="50%_", limit=50)
    assert rows == []  # LIKE wildcards in a search are literal
    store.close()


def test_next_to_do_wraps_and_skips_finished(db):
    store = Store.open(db)
    assert worklist.next_to_do(store, "ann", "doc-0000") == "doc-0005"
    assert worklist.next_to_do(store, "ann", "doc-0449") == "doc-0000"
    assert worklist.neighbour(store, "doc-0000", -1) is None
    assert worklist.neighbour(store, "doc-0000", 1) == "doc-0001"
    store.close()


async def test_help_and_palette_on_the_documents_screen(db):
    from annotator.tui.screens.help import HelpScreen

    async with running(db, doc=None) as (app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        described = " ".join(d for _, d, _ in app.screen.rows)
        for action_id in ("open", "search_documents", "filter", "open_next", "quit"):
            assert f"[{action_id}]" in described
        await pilot.press("escape")
        await run_from_palette(pilot, "cycle the status")
        assert app.screen.status_filter == "todo"


async def test_a_list_that_cannot_be_read_is_a_status_line_not_a_crash(db, monkeypatch):
    async with running(db, doc=None) as (app, pilot):

        def damaged(self, **_):
            raise sqlite3.DatabaseError("database disk image is malformed")

        monkeypatch.setattr(Workspace, "documents_page", damaged)
        await pilot.press("f")  # the filter reloads the list
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, DocumentsScreen)
        status = str(app.screen.query_one("#doc-status").render())
        assert "the document list could not be read: database disk image is malformed" in status
