"""What the app's widgets say to its screens: the messages posted when keys are pressed or the mouse is used,
recorded with ``run_test``'s ``message_hook``, and what the screen does with each."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input
from textual.worker import Worker, WorkerState

from annotator.tui.messages import DocumentChanged, OpenDocument
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.documents import PAGE
from annotator.tui.screens.speaker_picker import SpeakerPicker
from annotator.tui.widgets.article import ArticleView
from annotator.tui.widgets.lazy_table import LazyTable
from annotator.tui.widgets.quote_list import QuoteList
from tests.support.store import TEXT, make_store
from tests.support.tui import Messages, check, current, running, settle


def worker_states(seen: Messages, group: str, since: int = 0) -> list[WorkerState]:
    return [m.state for m in seen.of(Worker.StateChanged, since) if m.worker.group == group]


# --- the documents screen ----------------------------------------------------------------------


@pytest.fixture
def long_list(tmp_path):
    """A page and a half of documents."""
    make_store(tmp_path / "l.db", [(f"doc-{i:03d}", f"Document {i}. " + TEXT) for i in range(PAGE + 50)]).close()
    return tmp_path / "l.db"


async def test_the_list_asks_for_more_rows_only_near_its_end(long_list):
    seen = Messages()
    async with running(long_list, doc=None, messages=seen) as (app, pilot):
        assert worker_states(seen, "documents") == [WorkerState.PENDING, WorkerState.RUNNING, WorkerState.SUCCESS]
        mark = len(seen)
        await pilot.press("down", "down", "pagedown")
        await settle(pilot)
        assert seen.of(LazyTable.NearEnd, mark) == [] and worker_states(seen, "documents", mark) == []
        await pilot.press(*["pagedown"] * 3)
        await settle(pilot)
        assert seen.of(LazyTable.NearEnd, mark)
        assert worker_states(seen, "documents", mark) == [WorkerState.PENDING, WorkerState.RUNNING,
                                                          WorkerState.SUCCESS]
        assert app.screen.query_one(LazyTable).row_count == PAGE + 50


async def test_enter_on_the_list_selects_the_row_and_the_screen_opens_it(long_list):
    seen = Messages()
    async with running(long_list, doc=None, messages=seen) as (app, pilot):
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert [m.row_key.value for m in seen.of(DataTable.RowSelected)] == ["doc-002"]
        assert isinstance(app.screen, AnnotateScreen) and app.screen.doc_id == "doc-002"


async def test_a_search_is_submitted_from_its_field_and_reloads_the_list(long_list):
    seen = Messages()
    async with running(long_list, doc=None, messages=seen) as (app, pilot):
        mark = len(seen)
        await pilot.press("slash", *"doc-14", "enter")
        await settle(pilot)
        assert [(m.input.id, m.value) for m in seen.of(Input.Submitted)] == [("doc-search", "doc-14")]
        assert worker_states(seen, "documents", mark) == [WorkerState.PENDING, WorkerState.RUNNING,
                                                          WorkerState.SUCCESS]
        assert app.screen.query_one(LazyTable).row_count == 10  # doc-140 … doc-149


# --- the annotate screen -----------------------------------------------------------------------


def cell_of(article: ArticleView, offset: int) -> tuple[int, int]:
    """Where a code-point offset of the text is drawn in the article view (its padding included)."""
    column, line = article.column_of(offset)
    return column + article.styles.padding.left, line - int(article.scroll_y)


async def test_a_click_on_a_quote_in_the_article_makes_it_current(db):
    seen = Messages()
    async with running(db, messages=seen) as (app, pilot):
        article = app.screen.article
        plan = TEXT.index("plan was too")
        await pilot.click(ArticleView, offset=cell_of(article, plan))
        assert [m.offset for m in seen.of(ArticleView.Pressed)] == [plan]
        assert current(app).text == "the plan was too expensive"
        council = TEXT.index("council")
        await pilot.click(ArticleView, offset=cell_of(article, council))  # outside every quote: the cursor
        assert [m.offset for m in seen.of(ArticleView.Pressed)] == [plan, council]
        assert app.screen.cursor == council and current(app).text == "the plan was too expensive"


async def test_a_drag_in_the_article_selects_and_enter_creates_the_quote(db):
    seen = Messages()
    async with running(db, messages=seen) as (app, pilot):
        article = app.screen.article
        start, last = TEXT.index("council"), TEXT.index("Monday") + len("Monday") - 1
        await pilot.mouse_down(ArticleView, offset=cell_of(article, start))
        await pilot.hover(ArticleView, offset=cell_of(article, start + 4))
        await pilot.mouse_up(ArticleView, offset=cell_of(article, last))
        dragged = [(m.start, m.end, m.done) for m in seen.of(ArticleView.Dragged)]
        # the pointer moves to where the button is released, then the release ends the selection
        assert dragged == [(start, start + 5, False), (start, last + 1, False), (start, last + 1, True)]
        assert (app.screen.anchor, app.screen.cursor) == (start, last + 1)
        await pilot.press("enter")
    quotes, acts = check(db)
    assert "council meets on Monday" in [q.text for q in quotes] and acts[-1] == "create"


async def test_a_click_in_the_quote_list_selects_that_quote(db):
    seen = Messages()
    async with running(db, messages=seen) as (app, pilot):
        listed = app.screen.query_one(QuoteList)
        await pilot.click(QuoteList, offset=(2, 2))
        (selected,) = seen.of(QuoteList.Selected)
        assert selected.quote_id == listed.quotes[2].id == current(app).id
        assert app.screen.session.index == 2
        await pilot.press("a")  # the keys act on the quote picked with the mouse
    quotes, _ = check(db)
    assert [q.status for q in quotes] == ["pending", "pending", "accepted"]


async def test_the_search_field_submits_its_text_and_the_cursor_goes_to_the_match(db):
    seen = Messages()
    async with running(db, messages=seen) as (app, pilot):
        await pilot.press("slash", *"Bob", "enter")
        assert [(m.input.id, m.value) for m in seen.of(Input.Submitted)] == [("search", "Bob")]
        assert app.screen.cursor == TEXT.index("Bob")


async def test_keys_that_only_move_post_no_message_of_the_app(db):
    """Moving between quotes and the cursor is the screen's own business: no widget message, no worker."""
    seen = Messages()
    async with running(db, messages=seen) as (_, pilot):
        mark = len(seen)
        await pilot.press("n", "p", "right", "w", "down", "escape")
        await settle(pilot)
        ours = (ArticleView.Pressed, ArticleView.Dragged, QuoteList.Selected, LazyTable.NearEnd, Worker.StateChanged)
        assert [m for m in seen[mark:] if isinstance(m, ours)] == []


async def test_the_attributor_runs_in_a_worker_whose_end_loads_the_candidates(tmp_path):
    from tests.support.store import candidates

    class Attributor:
        def attribute(self, document):
            return candidates(document.text)

    make_store(tmp_path / "p.db", with_candidates=False).close()
    seen = Messages()
    async with running(tmp_path / "p.db", predictor=Attributor(), messages=seen) as (app, _):
        assert worker_states(seen, "candidates") == [WorkerState.PENDING, WorkerState.RUNNING, WorkerState.SUCCESS]
        assert len(app.screen.session.quotes) == 3


# --- the app's own messages -----------------------------------------------------------------------


async def test_the_next_document_replaces_the_annotate_screen_and_marks_its_row(db):
    seen = Messages()
    async with running(db, messages=seen) as (app, pilot):
        first = app.screen
        await pilot.press("N")
        await settle(pilot)
        (opened,) = seen.of(OpenDocument)
        assert opened.doc_id == "doc-2" and opened.replacing is first
        assert isinstance(app.screen, AnnotateScreen) and app.screen.doc_id == "doc-2"
        assert first not in app.screen_stack and len(app.screen_stack) == 3  # default, documents, annotate
        assert [m.doc_id for m in seen.of(DocumentChanged)] == ["doc-1", "doc-2"]


async def test_a_document_asked_for_while_a_dialog_is_open_closes_the_dialog_with_the_old_screen(db):
    async with running(db) as (app, pilot):
        first = app.screen
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SpeakerPicker)
        first.post_message(OpenDocument("doc-3", replacing=first))
        await settle(pilot)
        assert isinstance(app.screen, AnnotateScreen) and app.screen.doc_id == "doc-3"
        assert first not in app.screen_stack and len(app.screen_stack) == 3
