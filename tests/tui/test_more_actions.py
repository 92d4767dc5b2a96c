"""More keys of docs/keys.md: skip a document and set it back in progress, edit via, set the speaker's
kind. Each pressed through Pilot, checked on disk, undone and redone from the event log after a restart."""

from __future__ import annotations

from textual.widgets import Input

from annotator.store import Store
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.documents import DocumentsScreen
from annotator.tui.screens.help import HelpScreen
from annotator.tui.screens.pickers import KindPicker
from annotator.tui.screens.prompts import ViaInput
from tests.support.store import (
    actions,
    candidates,
    document,
    labels,
    make_store,
    on_disk,
    set_statuses,
    statuses,
)
from tests.support.tui import SIZE, built, check, current, run_from_palette, running, settle, wait_until


def status_line(app) -> str:
    return str(app.screen.query_one("#status").render())


# --- skipping a document, and back to in progress ---------------------------------------------


async def test_skip_marks_the_document_and_opens_the_next_to_do(db):
    async with running(db) as (app, pilot):
        await pilot.press("a", "S")
        await settle(pilot)
        assert isinstance(app.screen, AnnotateScreen) and app.screen.doc_id == "doc-2"
    assert statuses(db) == {"doc-1": "skipped", "doc-2": "todo", "doc-3": "todo"}
    with on_disk(db) as store:
        assert actions(store, "ann", "doc-1")[-1] == "doc_status"
    quotes, _ = check(db)
    assert quotes[0].status == "accepted"  # the labels made before skipping stay


async def test_a_skipped_document_is_not_next_to_do_and_opens_still_skipped(db):
    async with running(db) as (app, pilot):
        await pilot.press("S")
        await settle(pilot)
        await pilot.press("d")  # doc-2 done: doc-3 is next, not the skipped doc-1
        await settle(pilot)
        assert app.screen.doc_id == "doc-3"
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)  # nothing left to do
    async with running(db) as (app, pilot):  # opening a skipped document leaves it skipped
        assert "skipped" in str(app.screen.query_one("#topbar").render())
    assert statuses(db) == {"doc-1": "skipped", "doc-2": "done", "doc-3": "done"}


async def test_undo_and_redo_a_skip_after_a_restart(db):
    async with running(db) as (app, pilot):
        await pilot.press("a", "S")
        await settle(pilot)
    async with running(db) as (app, pilot):  # back on doc-1, in a new process
        await pilot.press("u")
        assert "undid the document status: in progress again" in status_line(app)
        assert "in_progress" in str(app.screen.query_one("#topbar").render())
    assert statuses(db)["doc-1"] == "in_progress"
    async with running(db) as (app, pilot):
        await pilot.press("U")
        assert "redid the document status: skipped again" in status_line(app)
    assert statuses(db)["doc-1"] == "skipped"
    with on_disk(db) as store:
        assert actions(store, "ann", "doc-1")[-3:] == ["doc_status", "undo", "redo"]


async def test_undo_of_done_and_of_labels_share_one_history(db):
    async with running(db) as (_, pilot):
        await pilot.press("a", "d")
        await settle(pilot)
    async with running(db) as (_, pilot):
        await pilot.press("u")  # the status first: it came last
        assert statuses(db)["doc-1"] == "in_progress"
        await pilot.press("u")  # then the accept
    quotes, _ = check(db)
    assert quotes[0].status == "pending"


async def test_passing_through_a_document_changes_nothing(db):
    """Opening a document and leaving it (q, N, P) leaves it to do; the first change makes it in progress,
    and the documents screen shows each as it is on disk."""
    async with running(db) as (app, pilot):
        await pilot.press("u")
        assert "nothing to undo" in status_line(app)
        await pilot.press("N")
        await settle(pilot)
        assert app.screen.doc_id == "doc-2"
        assert "todo" in str(app.screen.query_one("#topbar").render())
        await pilot.press("x")
        assert "in_progress" in str(app.screen.query_one("#topbar").render())
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)
        table = app.screen.query_one("DataTable")
        assert [str(table.get_row_at(i)[0]) for i in range(3)] == ["todo", "in_progress", "todo"]
    assert statuses(db) == {"doc-1": "todo", "doc-2": "in_progress", "doc-3": "todo"}


async def test_i_sets_the_open_document_back_in_progress(db):
    set_statuses(db, {"doc-1": "done"})
    async with running(db) as (app, pilot):
        assert "done" in str(app.screen.query_one("#topbar").render())
        await pilot.press("i")
        assert "saved: the document is in progress again" in status_line(app)
        assert "in_progress" in str(app.screen.query_one("#topbar").render())
        await pilot.press("i")
        assert "already in progress" in status_line(app)
        await pilot.press("u")
    assert statuses(db)["doc-1"] == "done"


async def test_documents_screen_skips_and_reopens_the_highlighted_document(db):
    async with running(db, doc=None) as (app, pilot):
        assert isinstance(app.screen, DocumentsScreen)
        await pilot.press("down", "S")  # doc-2
        await settle(pilot)
        assert statuses(db)["doc-2"] == "skipped"
        assert "saved: doc-2 is skipped" in str(app.screen.query_one("#doc-status").render())
        assert "0 done of 3 documents (1 skipped)" in str(app.screen.query_one("#progress-label").render())
        table = app.screen.query_one("#documents")
        assert str(table.get_cell("doc-2", "status")) == "skipped"
        await pilot.press("i")
        await settle(pilot)
        assert statuses(db)["doc-2"] == "in_progress"
        assert str(table.get_cell("doc-2", "status")) == "in_progress"
        await pilot.press("S", "enter")  # skipped again, then opened: u there undoes the skip
        await settle(pilot)
        assert isinstance(app.screen, AnnotateScreen) and app.screen.doc_id == "doc-2"
        await pilot.press("u")
    assert statuses(db) == {"doc-1": "todo", "doc-2": "in_progress", "doc-3": "todo"}


# --- via -----------------------------------------------------------------------------------------


async def test_via_is_prefilled_saved_undone_and_redone_after_restart(db):
    async with running(db) as (app, pilot):
        await pilot.press("V")
        assert isinstance(app.screen, ViaInput)
        assert app.screen.query_one(Input).value == ""
        await pilot.press(*"Reuters", "enter")
        await pilot.pause()
        assert "saved: via Reuters" in status_line(app)
        await pilot.press("V")
        assert app.screen.query_one(Input).value == "Reuters"  # pre-filled with the current one
        app.screen.query_one(Input).value = ""
        await pilot.press(*"  Antara   News ", "enter")
        await pilot.pause()
        await pilot.press("V", "escape")  # cancelled: nothing changes
    quotes, acts = check(db)
    assert quotes[0].via == "Antara News" and acts == ["candidates", "via", "via"]
    async with running(db) as (app, pilot):
        await pilot.press("u")
        assert current(app).via == "Reuters"
        assert "saved: undid the via change · quote 1" in status_line(app)
        await pilot.press("u")
    quotes, _ = check(db)
    assert quotes[0].via is None
    async with running(db) as (app, pilot):
        await pilot.press("U")
    quotes, acts = check(db)
    assert quotes[0].via == "Reuters" and acts[-3:] == ["undo", "undo", "redo"]


async def test_empty_via_clears_it(db):
    async with running(db) as (app, pilot):
        await pilot.press("V", *"AFP", "enter")
        await pilot.pause()
        await pilot.press("V")
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert "via cleared" in status_line(app)
    quotes, _ = check(db)
    assert quotes[0].via is None


# --- the speaker's kind -------------------------------------------------------------------------


async def test_kind_of_the_speaker_entity_changes_for_all_its_quotes(db):
    async with running(db) as (app, pilot):
        await pilot.press("n", "s", *"Anna", "enter")  # quote 2 said by Anna Smith too
        await pilot.pause()
        assert current(app).speaker.name == "Anna Smith"
        await pilot.press("K")
        assert isinstance(app.screen, KindPicker)
        assert app.screen.query_one("#names").highlighted == 0  # person, the current kind
        await pilot.press("2")  # organization
        await pilot.pause()
        assert "Anna Smith is organization (and its 1 other quote)" in status_line(app)
        assert [q.speaker.kind for q in app.screen.session.quotes[:2]] == ["organization"] * 2
    quotes, acts = check(db)
    assert [q.speaker.kind for q in quotes] == ["organization", "organization", "person"]
    assert quotes[1].speaker.name == "Anna Smith" and acts[-1] == "speaker_kind"
    async with running(db) as (app, pilot):
        await pilot.press("u")
        assert current(app).text == "the plan was too expensive" and current(app).speaker.kind == "person"
    quotes, _ = check(db)
    assert [q.speaker.kind for q in quotes] == ["person", "person", "person"]
    assert quotes[1].speaker.name == "Anna Smith"  # only the kind was undone
    async with running(db) as (app, pilot):
        await pilot.press("U")
    quotes, _ = check(db)
    assert [q.speaker.kind for q in quotes] == ["organization", "organization", "person"]


async def test_kind_change_then_undo_of_an_earlier_change_on_another_quote(db):
    async with running(db) as (_, pilot):
        await pilot.press("a")  # quote 1 accepted; now on quote 2
        await pilot.press("p", "K", "3")  # Anna Smith (quote 1) is media
        await pilot.pause()
        await pilot.press("u", "u")
    quotes, acts = check(db)
    assert quotes[0].status == "pending" and quotes[0].speaker.kind == "person"
    assert acts[-2:] == ["undo", "undo"]


async def test_kind_without_a_speaker_says_so(db):
    async with running(db) as (app, pilot):
        await pilot.press("s", *"Someone New", "enter")
        await pilot.pause()
        await pilot.press("u")  # back to Anna Smith; quote 1
        await pilot.press("K", "escape")
        await pilot.pause()
        assert isinstance(app.screen, AnnotateScreen)
        await pilot.press("K", "enter")  # the current kind again: nothing logged
        await pilot.pause()
    _, acts = check(db)
    assert acts == ["candidates", "speaker", "undo"]


async def test_kind_refused_on_a_quote_without_speaker(tmp_path):
    make_store(tmp_path / "e.db", [("plain", "He said “no” twice.")], with_candidates=False).close()
    async with running(tmp_path / "e.db", doc="plain") as (app, pilot):
        await pilot.press("K")
        assert "no quote yet" in status_line(app)
        await pilot.press("v", "w", "enter", "K")
        await pilot.pause()
        assert isinstance(app.screen, AnnotateScreen)
        assert "no speaker to give a kind; press s" in status_line(app)


# --- discoverable and remappable --------------------------------------------------------------


async def test_new_keys_are_on_the_help_screen_and_remappable(db):
    keymap = {"skip": "ctrl+s", "via": "o", "speaker_kind": "k", "reopen": "I"}
    async with running(db, keymap=keymap) as (app, pilot):
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        rows = {d.split("[")[-1].rstrip("]"): k for k, d, _ in app.screen.rows}
        assert rows["skip"] == "^s" and rows["via"] == "o" and rows["speaker_kind"] == "k"
        assert rows["reopen"] == "I"
        await pilot.press("escape", "o", *"AP", "enter")
        await pilot.pause()
        await pilot.press("k", "5")
        await pilot.pause()
        await pilot.press("S", "K")  # the defaults no longer act
        await pilot.pause()
        assert isinstance(app.screen, AnnotateScreen) and app.screen.doc_id == "doc-1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.doc_id == "doc-2"
    quotes, _ = check(db)
    assert quotes[0].via == "AP" and quotes[0].speaker.kind == "unknown"
    assert statuses(db)["doc-1"] == "skipped"


async def test_command_palette_reaches_the_new_actions(db):
    async with running(db) as (app, pilot):
        await run_from_palette(pilot, "mark the document skipped")
        assert app.screen.doc_id == "doc-2"
    assert statuses(db)["doc-1"] == "skipped"


async def test_documents_help_lists_reopen_and_skip(db):
    async with running(db, doc=None) as (app, pilot):
        await pilot.press("question_mark")
        described = " ".join(d for _, d, _ in app.screen.rows)
        assert "[reopen_document]" in described and "[skip_document]" in described


# --- found by using it -------------------------------------------------------------------------


async def test_the_status_line_names_the_next_pending_quote_and_says_when_none_is_left(db):
    async with running(db) as (app, pilot):
        await pilot.press("a")
        assert "saved: accepted · quote 1 → next pending: quote 2" in status_line(app)
        await pilot.press("x", "a")
        assert "saved: accepted · quote 3 · no pending quote left: d marks the document done" in status_line(app)
    quotes, _ = check(db)
    assert [q.status for q in quotes] == ["accepted", "rejected", "accepted"]


async def test_a_60_column_terminal_and_a_one_line_terminal_still_work(db):
    for size in [(60, 20), (60, 1), (20, 3)]:
        async with running(db, size=size) as (_, pilot):
            await pilot.press("n", "V", *"AP", "enter", "K", "1", "s", "escape", "p", "a")
            await settle(pilot)
    quotes, _ = check(db)
    assert quotes[0].status == "accepted" and quotes[1].via == "AP"


async def test_moving_to_another_quote_clears_the_message_about_the_last_one(db):
    async with running(db) as (app, pilot):
        await pilot.press("a")
        assert "next pending: quote 2" in status_line(app)
        await pilot.press("n")
        assert status_line(app).strip() == ""
        await pilot.press("v", "w", "enter")  # “Nobody: a lone mark quotes nothing, so not direct
        assert "saved: new indirect quote (accepted; s gives it a speaker)" in status_line(app)
        await pilot.press("u")
        assert "saved: undid the new quote (the quote is gone)" in status_line(app)
    quotes, acts = check(db)
    assert acts[-2:] == ["create", "undo"] and len(quotes) == 3


async def test_an_attributor_finding_nothing_says_so_and_how_to_make_a_quote(tmp_path):

    class Silent:
        def attribute(self, document):
            return []

    make_store(tmp_path / "s.db", with_candidates=False).close()
    async with running(tmp_path / "s.db", predictor=Silent()) as (app, pilot):
        assert "the attributor found no quotes here; v makes one" in status_line(app)
        await pilot.press("v", "w", "w", "enter")
    quotes, acts = check(tmp_path / "s.db")
    assert [q.text for q in quotes] == ["“We"] and acts == ["create"]


async def test_the_current_quote_stays_in_view_when_the_terminal_is_resized(tmp_path):
    filler = "Filler sentence without any quotation at all. " * 60
    text = filler + "“We will win,” said Anna Smith, the mayor of Springfield. Critics said that the plan was too " \
        "expensive. “Nobody asked us,” Bob Jones told reporters.\nThe council meets on Monday, according to Carla Diaz."
    assert candidates(text)  # the test's three quotes fit this text too
    make_store(tmp_path / "r.db", [("long", text)]).close()
    async with running(tmp_path / "r.db", doc="long") as (app, pilot):
        await pilot.press("n")
        article = app.screen.article
        quote = current(app)

        def visible() -> bool:
            first, last = int(article.scroll_y), int(article.scroll_y) + article.scrollable_content_region.height
            return first <= article.line_of(quote.start) < last

        assert visible()
        for size in [(60, 14), (160, 40), (100, 30)]:
            await pilot.resize_terminal(*size)
            await wait_until(pilot, visible, f"the current quote in view at {size}")


async def test_a_new_speaker_name_may_hold_digits_once_typing_has_begun(db):
    async with running(db) as (app, pilot):
        await pilot.press("s", *"Unit 8200")
        assert app.screen.query_one(Input).value == "Unit 8200"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n", "s", "3")  # a digit first still picks the third line
        await pilot.pause()
        assert isinstance(app.screen, AnnotateScreen)
    quotes, acts = check(db)
    assert quotes[0].speaker.name == "Unit 8200" and acts[-2:] == ["speaker", "speaker"]


async def test_ctrl_k_sets_the_kind_of_a_new_speaker_while_its_name_is_typed(db):
    """The filter input has a ctrl+k of its own (delete to the end of the line): the picker's comes first,
    and the name typed stays as it was."""
    async with running(db) as (app, pilot):
        await pilot.press("s", *"The Agency", "home", "ctrl+k", "ctrl+k")
        assert app.screen.query_one(Input).value == "The Agency" and app.screen.new_kind == "media"
        await pilot.press("enter")
        await pilot.pause()
    quotes, _ = check(db)
    assert (quotes[0].speaker.name, quotes[0].speaker.kind) == ("The Agency", "media")


async def test_via_is_prefilled_with_what_the_text_says(tmp_path):
    text = "“We will win,” said Anna Smith, as reported by Radio Free Asia (RFA). Critics disagreed."
    make_store(tmp_path / "v.db", [("relayed", text)], with_candidates=False).close()
    async with running(tmp_path / "v.db", doc="relayed") as (app, pilot):
        await pilot.press("v", "w", "w", "w", "w", "enter")  # “We will win,”
        assert current(app).text == "“We will win,”"
        await pilot.press("V")
        assert app.screen.query_one(Input).value == "Radio Free Asia (RFA)"
        assert "suggested by the text" in str(app.screen.query_one(".title").render())
        await pilot.press("escape")  # a suggestion is not saved until enter
        await pilot.pause()
        assert current(app).via is None
        await pilot.press("V", "enter")
        await pilot.pause()
    quotes, acts = check(tmp_path / "v.db", doc="relayed")
    assert quotes[0].via == "Radio Free Asia (RFA)" and acts == ["create", "via"]


async def test_a_document_can_be_skipped_while_its_candidates_are_still_being_found(tmp_path):
    import threading

    release = threading.Event()

    class Slow:
        def attribute(self, document):
            release.wait(5)
            return candidates(document.text)

    make_store(tmp_path / "w.db", with_candidates=False).close()
    try:
        with built(tmp_path / "w.db", predictor=Slow()) as app:
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                assert app.screen.session is None  # still finding candidates
                await pilot.press("S")
                await pilot.pause()
                release.set()
                await settle(pilot)
                assert isinstance(app.screen, AnnotateScreen) and app.screen.doc_id == "doc-2"
    finally:
        release.set()
    assert statuses(tmp_path / "w.db")["doc-1"] == "skipped"


async def test_done_on_a_document_already_done_still_moves_on(db):
    set_statuses(db, {"doc-1": "done"})
    async with running(db) as (app, pilot):
        await pilot.press("d")
        await settle(pilot)
        assert app.screen.doc_id == "doc-2"


async def test_reopening_a_long_document_shows_its_first_pending_quote_in_the_article_and_the_list(tmp_path):

    from annotator.model import AnnotatedDocument, Owner, Quote
    from annotator.store import edits

    text = " ".join(f"“Point number {i} is important,” said Anna Smith." for i in range(120))
    starts = [i for i, ch in enumerate(text) if ch == "“"]
    quotes = [Quote(s, text.index("”", s) + 1, text[s:text.index("”", s) + 1], "direct", status="pending")
              for s in starts]
    store = Store.open(tmp_path / "l.db")
    store.import_documents([("t:1", AnnotatedDocument(document("long", text), quotes))], owner=Owner.run("builtin"))
    ids = edits.seed_candidates(store, "ann", "long", "builtin")
    for qid in ids[:100]:
        edits.update_label(store, "ann", qid, "accept", status="accepted")
    store.close()
    async with running(tmp_path / "l.db", doc="long") as (app, pilot):
        await pilot.pause()
        assert app.screen.session.index == 100
        article, listed = app.screen.article, app.screen.query_one("#quotes")
        line = article.line_of(current(app).start)
        assert article.scroll_y <= line < article.scroll_y + article.scrollable_content_region.height
        assert listed.scroll_y <= 100 < listed.scroll_y + listed.scrollable_content_region.height


async def test_a_change_to_what_is_already_there_says_so_and_logs_nothing(db):
    async with running(db) as (app, pilot):
        await pilot.press("n", "r")  # quote 2 has no role and no suggestion
        assert app.screen.query_one(Input).value == ""
        await pilot.press("enter")
        await pilot.pause()
        assert "nothing to change: role cleared already · quote 2" in status_line(app)
        await pilot.press("p", "K", "enter")  # Anna Smith is a person already
        await pilot.pause()
        assert "nothing to change: Anna Smith is person already" in status_line(app)
        await pilot.press("a")
        assert "saved: accepted" in status_line(app)
        await pilot.press("p", "a")
        assert "nothing to change: accepted already · quote 1" in status_line(app)
    _, acts = check(db)
    assert acts == ["candidates", "accept"]


async def test_a_quote_made_on_a_text_another_import_replaced_is_refused_and_said(tmp_path):
    """The text on the screen is no longer the document's: nothing is saved, and the status line says why."""

    from annotator.model import AnnotatedDocument

    db = tmp_path / "s.db"
    make_store(db, with_candidates=False).close()
    async with running(db) as (app, pilot):
        with Store.open(db) as importer:  # another process re-imports doc-1 with a new text
            new = document("doc-1", "A different text. \"New words,\" said Someone.")
            report = importer.import_documents([("other.jsonl, line 1", AnnotatedDocument(new))])
            assert report.updated == ["doc-1"]
        await pilot.press("v", "w", "enter")
        assert "was replaced by another import" in status_line(app)
    with on_disk(db) as store:
        assert labels(store, "ann", "doc-1") == []


# --- the command palette's screenshot ----------------------------------------------------------


async def _screenshot(pilot, app) -> list[str]:
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, **how: (said.append(message), notify(message, **how))[1]
    await run_from_palette(pilot, "Screenshot")
    await wait_until(pilot, lambda: bool(said), "the screenshot's note")
    return said


async def test_a_screenshot_without_a_downloads_folder_goes_to_the_current_one_and_says_where(
        db, tmp_path, monkeypatch):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    async with running(db) as (app, pilot):
        said = await _screenshot(pilot, app)
    (saved,) = work.glob("*.svg")
    assert said == [f"Screenshot saved as {saved}"]
    assert list(home.iterdir()) == []  # no Downloads folder made


async def test_a_screenshot_goes_to_the_downloads_folder_when_there_is_one(db, tmp_path, monkeypatch):
    downloads = tmp_path / "home" / "Downloads"
    downloads.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    async with running(db) as (app, pilot):
        said = await _screenshot(pilot, app)
    (saved,) = downloads.glob("*.svg")
    assert said == [f"Screenshot saved as {saved}"]


async def test_a_screenshot_that_cannot_be_saved_says_why(db, tmp_path, monkeypatch):
    """A downloads folder where no file can be made (/proc/self, even for root): the note says why."""
    config = tmp_path / "xdg"
    config.mkdir()
    (config / "user-dirs.dirs").write_text('XDG_DOWNLOAD_DIR="/proc/self"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    async with running(db) as (app, pilot):
        said = await _screenshot(pilot, app)
    assert said == ["The screenshot could not be saved in /proc/self: No such file or directory"]
