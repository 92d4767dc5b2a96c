"""The annotate screen: the article with its quotes, a side panel, one key per label change.

Every change goes through the DocumentSession (one committed transaction plus
an event row) before anything on screen moves; a refused change rings the bell
and says why on the status line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import ClassVar, TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Static

from annotator.model import Span
from annotator.session import Change, DocumentSession, LabelError, SchemaError, Workspace
from annotator.terminal import clip, counted
from annotator.tui.messages import DocumentChanged, HelpRequested, OpenDocument
from annotator.tui.screens.pickers import CategoryPicker, KindPicker, MentionPicker
from annotator.tui.screens.prompts import RoleInput, ViaInput
from annotator.tui.screens.speaker_picker import SpeakerPicker
from annotator.tui.widgets.article import ArticleView, Marks
from annotator.tui.widgets.quote_details import QuoteDetails, legend
from annotator.tui.widgets.quote_list import QuoteList
from annotator.tui.widgets.status_line import StatusLine

Answer = TypeVar("Answer")


class AnnotateScreen(Screen[None], inherit_bindings=False):
    """One document: review candidates, fix them, add missed quotes."""

    AUTO_FOCUS = ""  # nothing focused: every key goes to the screen's bindings

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,tab", "next_quote", "Next", id="next_quote", tooltip="next quote"),
        Binding("p,shift+tab", "previous_quote", "Prev", id="previous_quote", show=False,
                tooltip="previous quote"),
        Binding("a,enter", "accept", "Accept", id="accept",
                tooltip="accept the current quote as shown, then on to the next pending one "
                        "(with a selection: create it)"),
        Binding("x", "reject", "Reject", id="reject",
                tooltip="reject the current quote, then on to the next pending one"),
        Binding("s", "speaker", "Speaker", id="speaker",
                tooltip="pick the speaker from a numbered list, filter, or name a new one"),
        Binding("r", "role", "Role", id="role", show=False,
                tooltip="edit the role (pre-filled with the suggestion); its category comes with it"),
        Binding("R", "role_category", "Category", id="role_category", show=False,
                tooltip="pick the role category"),
        Binding("t", "cycle_type", "Type", id="cycle_type", show=False, tooltip="cycle type direct → indirect → mixed"),
        Binding("K", "speaker_kind", "Kind", id="speaker_kind", show=False,
                tooltip="set the kind of the speaker (person, organization, media, anonymous, unknown), "
                        "for all its quotes"),
        Binding("V", "via", "Via", id="via", show=False,
                tooltip="edit via: the outlet relaying the quote (pre-filled: the current one, or what the "
                        "text says — dikutip dari …, as reported by …)"),
        Binding("left_square_bracket", "boundary('start', -1)", "Start←", id="start_left", show=False,
                tooltip="move the start one word left"),
        Binding("right_square_bracket", "boundary('start', 1)", "Start→", id="start_right", show=False,
                tooltip="move the start one word right"),
        Binding("left_curly_bracket", "boundary('end', -1)", "End←", id="end_left", show=False,
                tooltip="move the end one word left"),
        Binding("right_curly_bracket", "boundary('end', 1)", "End→", id="end_right", show=False,
                tooltip="move the end one word right"),
        Binding("left_parenthesis", "clause('start', -1)", "Start⇐", id="start_clause_left", show=False,
                tooltip="move the start to the start of the clause or sentence before it"),
        Binding("right_parenthesis", "clause('end', 1)", "End⇒", id="end_clause_right", show=False,
                tooltip="move the end to the end of the clause or sentence after it"),
        Binding("greater_than_sign", "clause('start', 1)", "Start⇒", id="start_clause_right", show=False,
                tooltip="move the start on to the start of the next clause inside the quote"),
        Binding("less_than_sign", "clause('end', -1)", "End⇐", id="end_clause_left", show=False,
                tooltip="move the end back to the end of the last clause inside the quote"),
        Binding("v", "select", "New", id="select",
                tooltip="start a new quote at the cursor; arrows and word keys extend it; enter creates it"),
        Binding("c", "cue", "Cue", id="cue", show=False,
                tooltip="with a selection: make it the cue of the current quote"),
        Binding("m", "mention", "Mention", id="mention", show=False,
                tooltip="make the selection (or the name under the cursor) the speaker's mention, then pick "
                        "the entity it names or make a new one"),
        Binding("u", "undo", "Undo", id="undo", tooltip="undo the last label change (also after a restart)"),
        Binding("U", "redo", "Redo", id="redo", show=False, tooltip="redo the last undone change"),
        Binding("d", "done", "Done", id="done", tooltip="mark the document done and open the next one to do"),
        Binding("S", "skip", "Skip doc", id="skip", show=False,
                tooltip="mark the document skipped and open the next one to do (u on it undoes)"),
        Binding("i", "reopen", "In progress", id="reopen", show=False,
                tooltip="set the document back to in progress (after done or skipped)"),
        Binding("N", "next_document", "Next doc", id="next_document", show=False, tooltip="next document"),
        Binding("P", "previous_document", "Prev doc", id="previous_document", show=False,
                tooltip="previous document"),
        Binding("slash", "search", "Search", id="search", show=False, tooltip="search the text"),
        Binding("question_mark,f1", "help", "Help", id="help", tooltip="this help"),
        Binding("q", "back", "Back", id="back", tooltip="back to the documents screen"),
        Binding("escape", "cancel", "Cancel", id="cancel", show=False,
                tooltip="drop the selection, the cursor and search highlights"),
        Binding("left", "cursor(-1)", "←", id="cursor_left", show=False, tooltip="cursor one character left"),
        Binding("right", "cursor(1)", "→", id="cursor_right", show=False, tooltip="cursor one character right"),
        Binding("up", "cursor_line(-1)", "↑", id="cursor_up", show=False, tooltip="cursor one line up"),
        Binding("down", "cursor_line(1)", "↓", id="cursor_down", show=False, tooltip="cursor one line down"),
        Binding("ctrl+left,b", "cursor_word(-1)", "word←", id="word_left", show=False,
                tooltip="cursor one word left"),
        Binding("ctrl+right,w", "cursor_word(1)", "word→", id="word_right", show=False,
                tooltip="cursor one word right"),
        Binding("pageup", "page(-1)", "PgUp", id="page_up", show=False, tooltip="scroll the article up"),
        Binding("pagedown,space", "page(1)", "PgDn", id="page_down", show=False,
                tooltip="scroll the article down"),
    ]

    def __init__(
        self, workspace: Workspace, doc_id: str, role_categories: tuple[str, ...], quote_id: int | None = None
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.doc_id = doc_id
        self.start_quote = quote_id  # the quote to open on (else the first pending one)
        self.role_categories = role_categories
        self.session: DocumentSession | None = None
        self.cursor: int | None = None
        self.anchor: int | None = None  # where the selection started, while selecting
        self.matches: list[tuple[int, int]] = []
        self.query_text = ""

    # --- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        doc = self.workspace.document(self.doc_id)
        yield Static(id="topbar")
        with Horizontal(id="main"):
            yield ArticleView(doc.text, id="article")
            with Vertical(id="side"):
                yield QuoteDetails(id="details")
                yield Static(id="quote-legend")
                yield QuoteList(id="quotes")
        search = Input(placeholder="search the text — enter finds the next match, esc closes", id="search")
        search.display = False
        yield search
        yield StatusLine(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#quote-legend", Static).update(legend(self.app.no_color))
        self.post_message(DocumentChanged(self.doc_id))  # its row is read again: counts, status
        self.open_session()

    @property
    def article(self) -> ArticleView:
        return self.query_one(ArticleView)

    def open_session(self) -> None:
        """Load the document; when it has no candidates yet and there is an attributor, find them in a
        worker first."""
        if self.workspace.needs_candidates(self.doc_id):
            self.find_candidates()
            return
        self.session = self.workspace.open(self.doc_id)
        if self.start_quote is not None:
            self.session.select_quote(self.start_quote)
        self.refresh_all(scroll=True)
        if self.session.seeded:
            self.say(f"{counted(self.session.seeded, 'candidate quote')} from run {self.workspace.run}")

    @work(thread=True, exclusive=True, group="candidates")
    def find_candidates(self) -> None:
        """The attributor on this document, off the event loop and on a connection of the worker's own;
        the session opens back on the event loop."""

        def progress(done: int, total: int) -> None:
            if done < total:
                self.app.call_from_thread(self.say, "finding candidate quotes…")

        error = None
        try:
            workspace = self.workspace.on_own_connection()
            try:
                report = workspace.find_candidates([self.doc_id], on_progress=progress)
            finally:
                workspace.close()
        except (sqlite3.Error, SchemaError, OSError) as exc:  # the file replaced or made read-only meanwhile
            error = f"the attributor's candidates could not be stored: {exc}"
        else:
            if report.failures:  # one document: at most one failure
                (failure,) = report.failures
                error = (f"the attributor failed: {failure.error}" if failure.stage == "attribute"
                         else f"the attributor's candidates could not be stored: {failure.error}")
        self.app.call_from_thread(self._candidates_found, error)

    def _candidates_found(self, error: str | None) -> None:
        self.session = self.workspace.open(self.doc_id)
        self.refresh_all(scroll=True)
        found = (f"{counted(self.session.seeded, 'candidate quote')} from run {self.workspace.run}"
                 if self.session.seeded else "the attributor found no quotes here; v makes one")
        self.say(error or found, error=bool(error))

    # --- drawing ------------------------------------------------------------------------------

    def refresh_all(self, scroll: bool = False) -> None:
        session = self.session
        if session is None:
            return
        quote = session.current
        self.query_one(QuoteDetails).show(quote, session.index + 1, len(session.quotes))
        self.query_one(QuoteList).show(session.quotes, session.index)
        selection = None
        if self.anchor is not None and self.cursor is not None:
            selection = (min(self.anchor, self.cursor), max(self.anchor, self.cursor))
        marks = Marks(session.quotes, quote, selection, self.cursor, self.matches)
        target = None
        if scroll:
            target = Span(self.cursor, self.cursor + 1, "") if self.cursor is not None else quote
        self.article.set_marks(marks, target)
        self.update_topbar()

    def update_topbar(self) -> None:
        session = self.session
        doc = session.document
        counts = session.counts()
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {clip(doc.id, 30)} ", style="bold reverse")
        text.append(f" {session.status} ", style="bold")
        text.append(f"○ {counts['pending']}  ✓ {counts['accepted']}  ✗ {counts['rejected']}  ")
        text.append(clip(doc.title, 80), style="italic")
        self.query_one("#topbar", Static).update(text, layout=False)

    def say(self, message: str, error: bool = False) -> None:
        self.query_one(StatusLine).say(message, error)

    def apply(self, change, advance: bool = False) -> None:
        """Run one label change; the screen moves only after it is committed.

        ``advance`` then moves on to the next pending quote (after a decision).
        """
        if self.session is None:
            return
        try:
            result: Change = change()
        except LabelError as exc:
            self.say(str(exc), error=True)
            return
        except sqlite3.Error as exc:  # e.g. another process held the file past the busy timeout
            self.say(f"not saved, nothing changed: the database said {exc}", error=True)
            return
        quote = result.quote
        where = f" · quote {self.session.index + 1}" if quote is not None else ""
        if advance:
            before = self.session.index
            following = self.session.advance_to_pending()
            if following is not None and following.status == "pending" and self.session.index != before:
                where += f" → next pending: quote {self.session.index + 1}"
            else:
                where += " · no pending quote left: d marks the document done"
        self.refresh_all(scroll=True)
        if result.changed:
            self.say(f"saved: {result.message}{where}")
        else:
            self.say(f"nothing to change: {result.message} already{where}")

    # --- quote navigation and label actions -----------------------------------------------------

    def _leave_cursor_mode(self) -> None:
        self.cursor = None
        self.anchor = None

    def _step_quote(self, step: int) -> None:
        """One quote on or back; wrapping round the end of the document is said, never silent."""
        if self.session:
            self._leave_cursor_mode()
            before = self.session.index
            self.session.move(step)
            self.refresh_all(scroll=True)
            wrapped = len(self.session.quotes) > 1 and (self.session.index < before if step > 0
                                                         else self.session.index > before)
            # Otherwise nothing: a message about the quote left behind would mislead.
            self.say(("past the last quote: back to the first quote" if step > 0
                      else "before the first quote: on to the last quote") if wrapped else "")

    def action_next_quote(self) -> None:
        self._step_quote(1)

    def action_previous_quote(self) -> None:
        self._step_quote(-1)

    def on_quote_list_selected(self, event: QuoteList.Selected) -> None:
        if self.session:
            self._leave_cursor_mode()
            self.session.select_quote(event.quote_id)
            self.refresh_all(scroll=True)
            self.say("")

    def action_accept(self) -> None:
        if self.anchor is not None:
            self.action_create()
            return
        if self.session:
            self.apply(self.session.accept, advance=True)

    def action_reject(self) -> None:
        if self.session:
            self.apply(self.session.reject, advance=True)

    def action_cycle_type(self) -> None:
        if self.session:
            self.apply(self.session.cycle_type)

    def action_boundary(self, edge: str, step: int) -> None:
        if self.session:
            self.apply(lambda: self.session.move_boundary(edge, step))

    def action_clause(self, edge: str, step: int) -> None:
        if self.session:
            self.apply(lambda: self.session.move_to_clause(edge, step))

    def action_undo(self) -> None:
        if self.session:
            self._leave_cursor_mode()
            self.apply(self.session.undo)

    def action_redo(self) -> None:
        if self.session:
            self._leave_cursor_mode()
            self.apply(self.session.redo)

    def _session_with_quote(self, purpose: str) -> DocumentSession | None:
        """The session when it has a current quote; else None, saying (when loaded) there is no quote for this."""
        session = self.session
        if session is not None and session.current is None:
            self.say(f"no quote {purpose}; press v to make one", error=True)
            return None
        return session

    def _ask(self, dialog: ModalScreen[Answer | None], change: Callable[[Answer], Change]) -> None:
        """Open a dialog; its answer (None: cancelled) becomes one label change."""

        def answered(answer: Answer | None) -> None:
            if answer is not None:
                self.apply(lambda: change(answer))

        self.app.push_screen(dialog, answered)

    def action_speaker(self) -> None:
        session = self._session_with_quote("to give a speaker")
        if session is not None:
            self._ask(SpeakerPicker(session.speaker_choices(), session.completions("speaker")), session.set_speaker)

    def action_role(self) -> None:
        session = self._session_with_quote("to give a role")
        if session is not None:
            self._ask(RoleInput(session.role_prefill(), session.completions("role")), session.set_role)

    def action_role_category(self) -> None:
        session = self._session_with_quote("to categorise")
        if session is not None and session.current is not None:
            self._ask(CategoryPicker(self.role_categories, session.current.role_category),
                      lambda category: session.set_role_category(category or None))

    def action_via(self) -> None:
        session = self._session_with_quote("to give a via")
        if session is not None:
            self._ask(ViaInput(*session.via_prefill(), completions=session.completions("via")), session.set_via)

    def action_speaker_kind(self) -> None:
        session = self.session
        if session is None:
            return
        quote = session.current
        if quote is None or quote.speaker is None:
            self.say("no speaker to give a kind; press s to pick one" if quote else
                     "no quote yet; press v to make one", error=True)
            return
        self._ask(KindPicker(quote.speaker.name, quote.speaker.kind), session.set_speaker_kind)

    # --- cursor, selection, new quotes ---------------------------------------------------------

    def _cursor_start(self) -> int:
        if self.cursor is not None:
            return self.cursor
        quote = self.session.current if self.session else None
        if quote is not None:
            return quote.start
        return self.article.line_start(self.article.scroll_offset.y)

    def _set_cursor(self, offset: int) -> None:
        length = len(self.session.document.text) if self.session else 0
        self.cursor = max(0, min(offset, length))
        self.refresh_all(scroll=True)
        if self.anchor is not None:
            s, e = sorted((self.anchor, self.cursor))
            self.say(f"selecting {counted(e - s, 'character')} — enter creates the quote, c makes it the cue, "
                     "esc cancels")

    # Without a cursor, a motion key starts from the current quote's start (or the top of the view) and
    # moves at once: every key counts.

    def action_cursor(self, step: int) -> None:
        self._set_cursor(self._cursor_start() + step)

    def action_cursor_word(self, step: int) -> None:
        if self.session is None:
            return
        pos = self._cursor_start()
        stops = self.session.stops
        self._set_cursor(stops.word_left(pos) if step < 0 else stops.word_right(pos, len(self.session.document.text)))

    def action_cursor_line(self, step: int) -> None:
        if self.session is None:
            return
        column, line = self.article.column_of(self._cursor_start())
        line = max(0, min(line + step, self.article.line_count - 1))
        self._set_cursor(self.article.offset_at(column, line))

    def action_page(self, step: int) -> None:
        self.article.page(step)

    def action_select(self) -> None:
        if self.session is None:
            return
        self.anchor = self.cursor = self._cursor_start()
        self.refresh_all(scroll=True)
        self.say("new quote: move with the arrow or word keys (ctrl+←/→, b/w), enter creates it, esc cancels")

    def action_create(self) -> None:
        if self.session is None or self.anchor is None or self.cursor is None:
            self.say("press v first, or select text with the mouse", error=True)
            return
        start, end = self.anchor, self.cursor
        self._leave_cursor_mode()
        self.apply(lambda: self.session.create(start, end))

    def action_cue(self) -> None:
        if self.session is None or self.anchor is None or self.cursor is None:
            self.say("select the cue first: v, move, then c", error=True)
            return
        start, end = self.anchor, self.cursor
        self._leave_cursor_mode()
        self.apply(lambda: self.session.set_cue(start, end))

    def action_mention(self) -> None:
        session = self._session_with_quote("to give a speaker mention")
        if session is None:
            return
        selection = (self.anchor, self.cursor) if self.anchor is not None and self.cursor is not None else None
        try:
            mention = session.mention_at(selection, self.cursor)
        except LabelError as exc:
            self.say(str(exc), error=True)
            return
        self._leave_cursor_mode()
        entities = session.entities(mention)
        picker = MentionPicker(mention.text, [(e.name, e.kind, len(e.mentions)) for e in entities])
        self._ask(picker, lambda line: session.set_mention(
            mention, entities[int(line)] if int(line) < len(entities) else None))

    def on_article_view_pressed(self, event: ArticleView.Pressed) -> None:
        """A click on a quote makes it current; elsewhere it puts the cursor there."""
        self.anchor = None
        self.cursor = event.offset
        if self.session is not None:
            inside = [q for q in self.session.quotes if q.start <= event.offset < q.end]
            if inside:
                self.cursor = None
                self.session.select_quote(min(inside, key=lambda q: q.end - q.start).id)
        self.refresh_all()

    def on_article_view_dragged(self, event: ArticleView.Dragged) -> None:
        self.anchor, self.cursor = event.start, event.end
        self.refresh_all()
        if event.done:
            self.say(f"selected {counted(event.end - event.start, 'character')} — enter creates the quote, "
                     "c makes it the cue, esc cancels")

    def action_cancel(self) -> None:
        search = self.query_one("#search", Input)
        if search.display:
            search.display = False
        self._leave_cursor_mode()
        self.matches = []
        self.refresh_all()
        self.say("")

    # --- search ---------------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.value = self.query_text
        search.display = True
        search.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search" or self.session is None:
            return
        event.input.display = False
        self.set_focus(None)
        self.query_text = event.value
        if not event.value:
            self.matches = []
            self.refresh_all()
            return
        self.matches = self.session.find(event.value)
        if not self.matches:
            self.say(f"not found: {event.value}", error=True)
            self.refresh_all()
            return
        here = self._cursor_start() + (1 if self.cursor is not None else 0)
        following = [m for m in self.matches if m[0] >= here] or self.matches
        start = following[0][0]
        self.anchor = None
        self.cursor = start
        self.refresh_all(scroll=True)
        n = self.matches.index(following[0]) + 1
        self.say(f"match {n} of {len(self.matches)} — / and enter for the next, v to start a quote here")

    def on_key(self, event) -> None:
        search = self.query_one("#search", Input)
        if search.display and search.has_focus and event.key == "escape":
            search.display = False
            self.set_focus(None)
            event.stop()

    # --- documents ---------------------------------------------------------------------------

    def _decide(self, status: str) -> None:
        """Mark the document (one committed change, undoable with u on it) and open the next one to do.

        Works while candidates are still being found, so a document too slow to attribute can be skipped.
        """
        if self._set_status(status) is None:
            return
        pending = self.session.counts()["pending"] if self.session else 0
        if status == "done" and pending:
            self.app.notify(f"{self.doc_id} marked done with {counted(pending, 'pending candidate')} "
                            "(they are not labels and are not exported).", severity="warning",
                            markup=False)  # document ids are data
        elif status == "skipped":
            self.app.notify(f"{self.doc_id} skipped; open it again and press u to undo, or i to "
                            "set it back to in progress.", markup=False)
        following = self.workspace.next_to_do(self.doc_id)
        if following is None:
            self.app.pop_screen()
            self.app.notify(self.workspace.nothing_left(), title="All done", markup=False)
            return
        self.post_message(OpenDocument(following, replacing=self))

    def action_done(self) -> None:
        self._decide("done")

    def action_skip(self) -> None:
        self._decide("skipped")

    def _set_status(self, status: str) -> bool | None:
        """This annotator's status of the document; None (and a message) when it could not be saved."""
        try:
            return self.workspace.set_status(self.doc_id, status)
        except (LabelError, sqlite3.Error) as exc:
            self.say(f"not saved, nothing changed: {exc}", error=True)
            return None

    def action_reopen(self) -> None:
        changed = self._set_status("in_progress")
        if changed is None:
            return
        if self.session is not None:
            self.update_topbar()
        self.say("saved: the document is in progress again" if changed else "the document is already in progress")

    def _go(self, step: int) -> None:
        target = self.workspace.neighbour(self.doc_id, step)
        if target is None:
            self.say("this is the " + ("last" if step > 0 else "first") + " document", error=True)
            return
        self.post_message(OpenDocument(target, replacing=self))

    def action_next_document(self) -> None:
        self._go(1)

    def action_previous_document(self) -> None:
        self._go(-1)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        self.post_message(HelpRequested(self))
