"""The adjudication screen: several annotators' versions of each quote side by side, one key to settle it.

The article marks each annotator's quotes in their own style (colour and a text attribute, so they
differ without colour), the side panel shows the current disagreement's versions field by field and
the list of the document's disagreements. Every key that settles a quote goes through the
DocumentAdjudication (one committed transaction with its event row) before the screen moves.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import cached_property
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from annotator.model import Quote
from annotator.session import Change, LabelError
from annotator.session.adjudication import Adjudication, DocumentAdjudication
from annotator.terminal import clip, counted
from annotator.tui.messages import EditAdjudicated, HelpRequested
from annotator.tui.widgets.article import ArticleView, Marks
from annotator.tui.widgets.disagreement_list import DisagreementList
from annotator.tui.widgets.status_line import StatusLine
from annotator.tui.widgets.styles import annotator_style
from annotator.tui.widgets.versions import VersionsPanel, annotator_label


def _take(number: int) -> Binding:
    return Binding(str(number), f"take({number - 1})", f"Take {number}",
                   id=f"take_{number}", show=number == 1,
                   tooltip=f"take annotator {number}'s version (none: leave the quote out), then on to the "
                           "next open disagreement")


class AdjudicateScreen(Screen[None], inherit_bindings=False):
    """One document of an adjudication: settle each disagreement, then mark the document done."""

    AUTO_FOCUS = ""  # nothing focused: every key goes to the screen's bindings

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,tab", "move(1)", "Next", id="next_disagreement", tooltip="next disagreement"),
        Binding("p,shift+tab", "move(-1)", "Prev", id="previous_disagreement", show=False,
                tooltip="previous disagreement"),
        *(_take(n) for n in range(1, 10)),
        Binding("x", "leave_out", "Leave out", id="leave_out",
                tooltip="leave the quote out of the adjudicated labels, then on to the next open disagreement"),
        Binding("e", "edit", "Edit", id="edit_adjudicated",
                tooltip="edit the adjudicated label with the annotate screen's keys (q comes back)"),
        Binding("u", "undo", "Undo", id="undo", tooltip="undo the last change (also after a restart)"),
        Binding("U", "redo", "Redo", id="redo", show=False, tooltip="redo the last undone change"),
        Binding("d", "done", "Done", id="done",
                tooltip="mark the adjudicated document done and open the next one to adjudicate"),
        Binding("pageup", "page(-1)", "PgUp", id="page_up", show=False, tooltip="scroll the article up"),
        Binding("pagedown,space", "page(1)", "PgDn", id="page_down", show=False,
                tooltip="scroll the article down"),
        Binding("question_mark,f1", "help", "Help", id="help", tooltip="this help"),
        Binding("q", "back", "Back", id="back", tooltip="leave the adjudication (every change is saved)"),
    ]

    def __init__(self, adjudication: Adjudication, doc_id: str) -> None:
        super().__init__()
        self.adjudication = adjudication
        self.doc_id = doc_id
        self.session: DocumentAdjudication | None = None
        self.confirm_done = False  # d was pressed once with disagreements open

    def compose(self) -> ComposeResult:
        doc = self.adjudication.store.document(self.doc_id)
        yield Static(id="topbar")
        with Horizontal(id="main"):
            with Vertical(id="article-side"):
                yield ArticleView(doc.text, id="article")
                yield Static(id="legend")
            with Vertical(id="side"):
                yield VersionsPanel(id="versions")
                yield DisagreementList(id="disagreements")
        yield StatusLine(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        try:
            self.session = self.adjudication.open(self.doc_id)
        except (LabelError, sqlite3.Error) as exc:
            self.say(f"could not open the document: {exc}", error=True)
            return
        self.show_legend()
        self.refresh_all(scroll=True)
        open_ = sum(item.state == "open" for item in self.session.items)
        written = (f"{counted(self.session.written, 'agreed quote')} written to {self.adjudication.into}; "
                   if self.session.written else "")
        self.say(f"{written}{counted(open_, 'disagreement')} to settle" if open_ else
                 f"{written}nothing left to settle: d marks the document done")

    def on_screen_resume(self) -> None:
        """Back from editing the adjudicated label: read the labels again."""
        if self.session is not None:
            self.session.reload()
            self.refresh_all(scroll=True)

    # --- drawing ------------------------------------------------------------------------------

    @property
    def article(self) -> ArticleView:
        return self.query_one(ArticleView)

    @cached_property
    def styled(self) -> tuple[tuple[int, int, Style], ...]:
        """Every annotator's quotes in their style: the same for as long as the document is open."""
        session = self.session
        return tuple((q.start, q.end, annotator_style(a + 1, self.app.no_color))
                     for a, layer in enumerate(session.groups.layers) for q in layer.quotes)

    def refresh_all(self, scroll: bool = False) -> None:
        session = self.session
        if session is None:
            return
        item = session.current
        current = None
        if item is not None:
            start, end = item.group.span
            current = Quote(start, end, "")
        self.article.set_marks(Marks([], current, styled=self.styled), current if scroll else None)
        self.query_one(VersionsPanel).show(session)
        self.query_one(DisagreementList).show(session)
        self.update_topbar()

    def update_topbar(self) -> None:
        session = self.session
        counts = session.counts()
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {clip(self.doc_id, 30)} ", style="bold reverse")
        text.append(f" → {clip(self.adjudication.into, 16)} ", style="bold")
        text.append(f"({self.adjudication.store.status(self.doc_id, self.adjudication.into).replace('_', ' ')})  ")
        text.append(f"○ {counts['open']} open  ✓ {counts['taken']} taken  ✗ {counts['left out']} left out  "
                    f"= {counts['agreed']} agreed  ")
        if session.extra:  # the adjudicator's own quotes, made with e, that no annotator has
            text.append(f"+ {len(session.extra)} of its own  ")
        text.append(clip(session.document.title, 60), style="italic")
        self.query_one("#topbar", Static).update(text, layout=False)

    def show_legend(self) -> None:
        legend = Text(no_wrap=True, overflow="ellipsis")
        for a, name in enumerate(self.session.annotators):
            legend.append_text(annotator_label(a + 1, name, self.app.no_color))
            legend.append("  ")
        legend.append("current", style="reverse")
        self.query_one("#legend", Static).update(legend, layout=False)

    def say(self, message: str, error: bool = False) -> None:
        self.query_one(StatusLine).say(message, error)

    def apply(self, change: Callable[[], Change]) -> None:
        """Run one change; the screen moves only after it is committed."""
        if self.session is None:
            return
        self.confirm_done = False
        try:
            result = change()
        except LabelError as exc:
            self.say(str(exc), error=True)
            return
        except sqlite3.Error as exc:  # e.g. another process held the file past the busy timeout
            self.say(f"not saved, nothing changed: the database said {exc}", error=True)
            return
        self.refresh_all(scroll=True)
        left = sum(item.state == "open" for item in self.session.items)
        after = f" · {left} open" if left else " · none open: d marks the document done"
        self.say(f"saved: {result.message}{after}" if result.changed else f"nothing to change: {result.message}{after}")

    # --- actions ------------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if self.session is not None:
            self.session.move(step)
            self.refresh_all(scroll=True)
            self.say("")

    def on_disagreement_list_selected(self, event: DisagreementList.Selected) -> None:
        if self.session is not None:
            self.session.index = event.index
            self.refresh_all(scroll=True)

    def action_take(self, annotator: int) -> None:
        if self.session is not None:
            self.apply(lambda: self.session.take(annotator))

    def action_leave_out(self) -> None:
        if self.session is not None:
            self.apply(self.session.leave_out)

    def action_undo(self) -> None:
        if self.session is not None:
            self.apply(self.session.undo)

    def action_redo(self) -> None:
        if self.session is not None:
            self.apply(self.session.redo)

    def action_edit(self) -> None:
        item = self.session.current if self.session is not None else None
        if item is None or item.merged is None:
            self.say("no adjudicated label here yet: take a version (1–9) first, then e edits it", error=True)
            return
        self.post_message(EditAdjudicated(self.doc_id, item.merged.id))

    def action_done(self) -> None:
        if self.session is None:
            return
        left = sum(item.state == "open" for item in self.session.items)
        if left and not self.confirm_done:
            self.confirm_done = True
            self.say(f"{counted(left, 'disagreement')} {'is' if left == 1 else 'are'} still open "
                     "(they stay out of the labels); d again marks the "
                     "document done anyway", error=True)
            return
        try:
            self.session.done()
        except (LabelError, sqlite3.Error) as exc:
            self.say(f"not saved, nothing changed: {exc}", error=True)
            return
        following = self.adjudication.next_document(self.doc_id)
        if following is None:
            self.app.notify("Every document is adjudicated.", title="All done")
            self.app.exit()
            return
        self.app.notify(f"{self.doc_id} done; next: {following}", markup=False)  # ids are data
        self.app.switch_screen(AdjudicateScreen(self.adjudication, following))

    def action_page(self, step: int) -> None:
        self.article.page(step)

    def action_back(self) -> None:
        self.app.exit()

    def action_help(self) -> None:
        self.post_message(HelpRequested(self))
