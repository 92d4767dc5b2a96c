"""Every key of the main table of docs/keys.md, pressed through Pilot, checked in the database afterwards."""

from __future__ import annotations

import pytest

from annotator.store import Store
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.documents import DocumentsScreen
from annotator.tui.screens.help import HelpScreen
from annotator.tui.screens.pickers import CategoryPicker
from annotator.tui.screens.prompts import RoleInput
from annotator.tui.screens.speaker_picker import SpeakerPicker
from tests.support.store import (
    TEXT,
    events,
    make_store,
    on_disk,
    set_statuses,
    span,
    statuses,
)
from tests.support.tui import check, current, run_from_palette, running, settle


async def test_opening_copies_candidates_as_pending(db):
    async with running(db) as (app, _):
        assert isinstance(app.screen, AnnotateScreen)
        assert len(app.screen.session.quotes) == 3
    quotes, acts = check(db)
    assert [q.status for q in quotes] == ["pending"] * 3 and acts == ["candidates"]
    with on_disk(db) as store:
        assert store.status("doc-1", "ann") == "todo" and store.status("doc-2", "ann") == "todo"  # no change yet


@pytest.mark.parametrize("key", ["a", "enter"])
async def test_accept(db, key):
    async with running(db) as (app, pilot):
        await pilot.press(key)
        assert "saved: accepted" in str(app.screen.query_one("#status").render())
    quotes, acts = check(db)
    assert [q.status for q in quotes] == ["accepted", "pending", "pending"]
    assert acts == ["candidates", "accept"]


async def test_reject(db):
    async with running(db) as (_, pilot):
        await pilot.press("x")
    quotes, acts = check(db)
    assert quotes[0].status == "rejected" and acts[-1] == "reject"


@pytest.mark.parametrize("forward,back", [("n", "p"), ("tab", "shift+tab")])
async def test_next_and_previous_quote(db, forward, back):
    async with running(db) as (app, pilot):
        await pilot.press(forward, forward)
        assert current(app).text == "“Nobody asked us,”"
        assert str(app.screen.query_one("#status").render()) == ""
        await pilot.press(forward)  # wraps round, and says so
        assert current(app).text == "“We will win,”"
        assert "past the last quote: back to the first quote" in str(app.screen.query_one("#status").render())
        await pilot.press(back)
        assert current(app).text == "“Nobody asked us,”"
        assert "before the first quote: on to the last quote" in str(app.screen.query_one("#status").render())
        await pilot.press(back, forward)
        assert str(app.screen.query_one("#status").render()) == ""
        await pilot.press("a")
    quotes, acts = check(db)
    assert [q.status for q in quotes] == ["pending", "pending", "accepted"]
    assert acts == ["candidates", "accept"]  # moving changed nothing on disk


async def test_cycle_type(db):
    async with running(db) as (app, pilot):
        await pilot.press("t")
        assert current(app).type == "indirect"
        await pilot.press("t", "t")
    quotes, acts = check(db)
    assert quotes[0].type == "direct" and acts[1:] == ["type", "type", "type"]
    with on_disk(db) as store:
        types = [after["type"] for action, _, after in events(store, "ann") if action == "type"]
    assert types == ["indirect", "mixed", "direct"]


async def test_move_start_and_end_by_words(db):
    async with running(db) as (app, pilot):
        await pilot.press("n")  # the indirect quote "the plan was too expensive"
        await pilot.press("right_square_bracket")
        assert current(app).text == "plan was too expensive"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert current(app).text == "that the plan was too expensive"
        await pilot.press("left_curly_bracket")
        assert current(app).text == "that the plan was too"
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert current(app).text == "that the plan was too expensive. “Nobody"
    quotes, acts = check(db)
    moved = quotes[1]
    assert moved.text == "that the plan was too expensive. “Nobody" == TEXT[moved.start:moved.end]
    assert acts[1:] == ["start", "start", "start", "end", "end", "end"]


async def test_boundaries_keep_quotation_marks(db):
    async with running(db) as (app, pilot):
        await pilot.press("left_curly_bracket")
        assert current(app).text == "“We will"
        await pilot.press("right_curly_bracket")
        assert current(app).text == "“We will win,”"
        await pilot.press("right_square_bracket", "left_square_bracket")
        assert current(app).text == "“We will win,”"
    quotes, _ = check(db)
    assert quotes[0].text == "“We will win,”"


async def test_speaker_pick_by_number_links_the_mention(db):
    async with running(db) as (app, pilot):
        await pilot.press("n", "n")  # “Nobody asked us,” Bob Jones told reporters.
        await pilot.press("s")
        assert isinstance(app.screen, SpeakerPicker)
        picker = app.screen
        carla = next(i for i, c in enumerate(picker.shown) if c.name == "Carla Diaz")
        assert carla < 9
        await pilot.press(str(carla + 1))
        await pilot.pause()
        assert isinstance(app.screen, AnnotateScreen)
    quotes, acts = check(db)
    assert quotes[2].speaker.name == "Carla Diaz"
    assert quotes[2].speaker.mention == span(TEXT, "Carla Diaz")
    assert acts[-1] == "speaker"


async def test_speaker_filter_and_new_name(db):
    async with running(db) as (app, pilot):
        await pilot.press("s")
        await pilot.press(*"jon")
        assert [c.name for c in app.screen.shown] == ["Bob Jones"]
        await pilot.press("enter")
        await pilot.pause()
        assert current(app).speaker.name == "Bob Jones"
        await pilot.press("s", *"The Mayor", "enter")
        await pilot.pause()
    quotes, acts = check(db)
    assert quotes[0].speaker.name == "The Mayor" and quotes[0].speaker.kind == "person"
    assert quotes[0].speaker.mention is None
    assert acts[-2:] == ["speaker", "speaker"]


async def test_speaker_escape_changes_nothing(db):
    async with running(db) as (_, pilot):
        await pilot.press("s", "escape")
        await pilot.pause()
    _, acts = check(db)
    assert acts == ["candidates"]


async def test_role_is_prefilled_and_saved(db):
    async with running(db) as (app, pilot):
        await pilot.press("r")
        assert isinstance(app.screen, RoleInput)
        from textual.widgets import Input
        field = app.screen.query_one(Input)
        assert field.value == "the mayor of Springfield"
        field.value = ""
        await pilot.press(*"mayor", "enter")
        await pilot.pause()
        await pilot.press("n", "r")  # no role yet: suggestion from the text next to the mention
        assert app.screen.query_one(Input).value == ""
        await pilot.press("escape")
        await pilot.press("n", "r")
        await pilot.press("enter")
        await pilot.pause()
    quotes, acts = check(db)
    assert quotes[0].role == "mayor"
    assert acts[1:] == ["role"]  # an unchanged role logs nothing


async def test_role_suggestion_from_the_text(tmp_path):
    text = "“Kami menang,” kata Presiden Rusia Vladimir Putin."
    from annotator.model import Quote, Speaker
    store = make_store(tmp_path / "r.db", [("d", text)], with_candidates=False, lang="id")
    from annotator.store.edits import create_label
    create_label(store, "ann", "d", Quote(0, 14, text[:14], "direct",
                                         speaker=Speaker("Vladimir Putin", "person", span(text, "Vladimir Putin"))))
    store.close()
    async with running(tmp_path / "r.db", doc="d") as (app, pilot):
        await pilot.press("r")
        from textual.widgets import Input
        assert app.screen.query_one(Input).value == "Presiden Rusia"
        await pilot.press("enter")
        await pilot.pause()
    quotes, _ = check(tmp_path / "r.db", doc="d")
    assert quotes[0].role == "Presiden Rusia"


async def test_role_category(db):
    async with running(db) as (app, pilot):
        await pilot.press("R")
        assert isinstance(app.screen, CategoryPicker)
        await pilot.press("1")
        await pilot.pause()
        assert current(app).role_category == "government"
        await pilot.press("R", "0")  # the tenth: "other"
        await pilot.pause()
    quotes, acts = check(db)
    assert quotes[0].role_category == "other" and acts[-2:] == ["role_category", "role_category"]


async def test_new_quote_from_the_keyboard(db):
    async with running(db) as (app, pilot):
        await pilot.press("n", "n", "n")  # back on the first quote; the cursor starts at its start
        await pilot.press("v")
        await pilot.press("ctrl+right", "ctrl+right", "ctrl+right")  # to the start of "win"
        assert app.screen.cursor == TEXT.index("win")
        await pilot.press("left", "enter")  # the space before "win" is trimmed
    quotes, acts = check(db)
    new = [q for q in quotes if q.status == "accepted"]
    assert len(new) == 1 and new[0].text == "“We will"
    assert acts[-1] == "create"


async def test_selection_messages_count_in_the_right_number(db):
    async with running(db) as (app, pilot):
        await pilot.press("v", "right")
        assert "selecting 1 character —" in str(app.screen.query_one("#status").render())
        await pilot.press("right")
        assert "selecting 2 characters —" in str(app.screen.query_one("#status").render())


async def test_new_quote_with_word_keys_and_arrows(db):
    async with running(db) as (app, pilot):
        await pilot.press("down")  # shows the cursor at the current quote
        await pilot.press("w")
        start = app.screen.cursor
        await pilot.press("v", "w", "w", "right")
        await pilot.press("enter")
    quotes, acts = check(db)
    created = [q for q in quotes if q.status == "accepted"]
    assert len(created) == 1 and created[0].start == start and created[0].text == TEXT[start:created[0].end]
    assert acts[-1] == "create"


async def test_new_quote_with_the_mouse(db):
    async with running(db) as (app, pilot):
        article = app.screen.article
        first, y = article.column_of(TEXT.index("Critics"))
        last, y_last = article.column_of(TEXT.index("Critics said") + len("Critics said") - 1)
        assert y == y_last
        await pilot.mouse_down(article, offset=(1 + first, y))  # one column of padding
        await pilot.hover(article, offset=(1 + last, y))
        await pilot.mouse_up(article, offset=(1 + last, y))
        await pilot.pause()
        assert app.screen.anchor is not None
        await pilot.press("enter")
    quotes, acts = check(db)
    created = [q for q in quotes if q.status == "accepted"]
    assert [q.text for q in created] == ["Critics said"] and acts[-1] == "create"


async def test_cue_from_a_selection(db):
    async with running(db) as (app, pilot):
        await pilot.press("n", "n")
        screen = app.screen
        screen.cursor = TEXT.index("reporters")
        await pilot.press("v", *["right"] * len("reporters"))
        await pilot.press("c")
    quotes, acts = check(db)
    assert quotes[2].cue.text == "reporters" and acts[-1] == "cue"


async def test_escape_cancels_a_selection(db):
    async with running(db) as (_, pilot):
        await pilot.press("v", "w", "escape", "enter")
    _, acts = check(db)
    assert acts == ["candidates", "accept"]  # enter accepted instead of creating


async def test_undo_and_redo(db):
    async with running(db) as (app, pilot):
        await pilot.press("a", "x")  # accept moves on to the next pending quote
        await pilot.press("u")
        assert current(app).status == "pending" and current(app).text == "the plan was too expensive"
        await pilot.press("u")
        assert current(app).status == "pending" and current(app).text == "“We will win,”"
        await pilot.press("U")
    quotes, acts = check(db)
    assert [q.status for q in quotes] == ["accepted", "pending", "pending"]
    assert acts == ["candidates", "accept", "reject", "undo", "undo", "redo"]


async def test_undo_after_restart(db):
    async with running(db) as (app, pilot):
        await pilot.press("a", "t")
    async with running(db) as (app, pilot):
        await pilot.press("u")
        assert current(app).type == "indirect"
        await pilot.press("u")
    quotes, acts = check(db)
    assert [q.status for q in quotes] == ["pending"] * 3 and quotes[1].type == "indirect"
    assert acts[-2:] == ["undo", "undo"]
    async with running(db) as (app, pilot):
        await pilot.press("U")
    quotes, _ = check(db)
    assert quotes[0].status == "accepted"


async def test_undo_with_nothing_to_undo_says_so(db):
    async with running(db) as (app, pilot):
        await pilot.press("u")
        assert "nothing to undo" in str(app.screen.query_one("#status").render())
    _, acts = check(db)
    assert acts == ["candidates"]


async def test_done_marks_and_opens_the_next_to_do(db):
    async with running(db) as (app, pilot):
        await pilot.press("a", "d")
        await settle(pilot)
        assert isinstance(app.screen, AnnotateScreen) and app.screen.doc_id == "doc-2"
    with on_disk(db) as store:
        assert store.status("doc-1", "ann") == "done"
        assert store.status("doc-2", "ann") == "todo"  # opened, not changed
        assert store.status("doc-3", "ann") == "todo"


async def test_done_on_the_last_document_goes_back_to_the_list(db):
    set_statuses(db, {"doc-2": "done", "doc-3": "skipped"})
    async with running(db) as (app, pilot):
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)
    assert statuses(db)["doc-1"] == "done"


async def test_next_and_previous_document(db):
    async with running(db) as (app, pilot):
        await pilot.press("N")
        await settle(pilot)
        assert app.screen.doc_id == "doc-2"
        await pilot.press("a", "N")
        await settle(pilot)
        assert app.screen.doc_id == "doc-3"
        await pilot.press("N")  # the last one: stays
        assert app.screen.doc_id == "doc-3"
        await pilot.press("P", "P")
        await settle(pilot)
        assert app.screen.doc_id == "doc-1"
    quotes, _ = check(db, doc="doc-2")
    assert [q.status for q in quotes] == ["accepted", "pending", "pending"]
    assert check(db, doc="doc-1")[0][0].status == "pending"


async def test_search_moves_the_cursor_and_a_quote_can_start_there(db):
    async with running(db) as (app, pilot):
        await pilot.press("slash", *"council", "enter")
        await pilot.pause()
        assert app.screen.cursor == TEXT.index("council")
        assert app.screen.matches == [(TEXT.index("council"), TEXT.index("council") + 7)]
        await pilot.press("v", "w", "w", "w", "enter")
    quotes, acts = check(db)
    created = [q for q in quotes if q.status == "accepted"]
    assert [q.text for q in created] == ["council meets on"] and acts[-1] == "create"


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_lists_the_bindings(db, key):
    async with running(db, keymap={"accept": "y"}) as (app, pilot):
        await pilot.press(key)
        assert isinstance(app.screen, HelpScreen)
        keys = {k for k, _, _ in app.screen.rows}
        assert "y" in keys and "x" in keys and "u" in keys
        described = " ".join(d for _, d, _ in app.screen.rows)
        for action_id in ("accept", "reject", "speaker", "role_category", "start_left", "end_right", "select",
                          "undo", "redo", "done", "next_document", "search", "back"):
            assert f"[{action_id}]" in described
        await pilot.press("escape")
        assert isinstance(app.screen, AnnotateScreen)
    _, acts = check(db)
    assert acts == ["candidates"]


async def test_q_goes_back_then_quits(db):
    async with running(db) as (app, pilot):
        await pilot.press("a", "q")
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    quotes, _ = check(db)
    assert quotes[0].status == "accepted"


async def test_command_palette_reaches_the_actions(db):
    async with running(db) as (_, pilot):
        await run_from_palette(pilot, "reject the current")
    quotes, acts = check(db)
    assert quotes[0].status == "rejected" and acts[-1] == "reject"


async def test_remapped_keys(db):
    async with running(db, keymap={"accept": "y", "next_quote": "j"}) as (_, pilot):
        await pilot.press("a")  # no longer bound
        await pilot.press("j", "y")
    quotes, acts = check(db)
    assert [q.status for q in quotes] == ["pending", "accepted", "pending"]
    assert acts == ["candidates", "accept"]


async def test_a_document_without_quotes(tmp_path):
    make_store(tmp_path / "e.db", [("empty", "Nothing quoted here at all.")], with_candidates=False).close()
    async with running(tmp_path / "e.db", doc="empty") as (app, pilot):
        await pilot.press("a", "x", "s", "t")
        assert isinstance(app.screen, AnnotateScreen)
        assert "no quotes" in str(app.screen.query_one("#status").render())
        await pilot.press("v", "w", "enter")
    quotes, acts = check(tmp_path / "e.db", doc="empty")
    assert [q.text for q in quotes] == ["Nothing"] and acts == ["create"]


async def test_clicking_a_quote_makes_it_current(db):
    async with running(db) as (app, pilot):
        article = app.screen.article
        column, line = article.column_of(TEXT.index("Nobody"))
        await pilot.click(article, offset=(1 + column, line))
        assert current(app).text == "“Nobody asked us,”" and app.screen.cursor is None
        await pilot.press("x")
    quotes, acts = check(db)
    assert quotes[2].status == "rejected" and acts[-1] == "reject"


async def test_markup_in_a_document_id_is_shown_as_text(tmp_path):
    make_store(tmp_path / "m.db", [("[/]odd [bold]id", TEXT), ("plain", TEXT)]).close()
    async with running(tmp_path / "m.db", doc="[/]odd [bold]id") as (app, pilot):
        assert "[/]odd [bold]id" in str(app.screen.query_one("#topbar").render())
        await pilot.press("d")  # warns about pending candidates, naming the document
        await settle(pilot)
        assert app.screen.doc_id == "plain"
    with on_disk(tmp_path / "m.db") as store:
        assert store.status("[/]odd [bold]id", "ann") == "done"


async def test_a_locked_database_is_reported_and_nothing_changes(db):
    async with running(db) as (app, pilot):
        app.workspace.store.conn.execute("PRAGMA busy_timeout = 50")
        blocker = Store.open(db)
        blocker.conn.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("a")
            assert "not saved" in str(app.screen.query_one("#status").render())
            assert current(app).status == "pending"
        finally:
            blocker.conn.execute("ROLLBACK")
            blocker.close()
        await pilot.press("a")
        assert app.screen.session.quotes[0].status == "accepted"
    quotes, acts = check(db)
    assert quotes[0].status == "accepted" and acts == ["candidates", "accept"]


async def test_clicking_the_quote_list_makes_that_quote_current(db):
    from annotator.tui.widgets.quote_list import QuoteList

    async with running(db) as (app, pilot):
        await pilot.click(app.screen.query_one(QuoteList), offset=(3, 2))
        assert current(app).text == "“Nobody asked us,”"
        await pilot.press("a")
    quotes, acts = check(db)
    assert [q.status for q in quotes] == ["pending", "pending", "accepted"] and acts[-1] == "accept"


async def test_accept_and_reject_move_on_to_the_next_pending_quote(db):
    async with running(db) as (app, pilot):
        await pilot.press("a")
        assert current(app).text == "the plan was too expensive"
        await pilot.press("x")
        assert current(app).text == "“Nobody asked us,”"
        await pilot.press("a")  # none left pending: stays put
        assert current(app).text == "“Nobody asked us,”" and current(app).status == "accepted"
        await pilot.press("u", "u")  # the reject and the last accept undone: two pending again
        await pilot.press("p", "p")  # wrap round to the last quote
        assert current(app).text == "“Nobody asked us,”"
        await pilot.press("a")  # the next pending after the last wraps round to the second
        assert current(app).text == "the plan was too expensive" and current(app).status == "pending"
    quotes, acts = check(db)
    assert [q.status for q in quotes] == ["accepted", "pending", "accepted"]
    assert acts == ["candidates", "accept", "reject", "accept", "undo", "undo", "accept"]
