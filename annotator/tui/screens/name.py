"""The first screen of a browser visit (``annotator serve``): whose labels these are, asked before anything is
shown, since one server serves a whole team."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from annotator.session import Workspace


class NameScreen(Screen[Workspace]):
    """Asks the annotator's name; enter gives the workspace for that name, or says in place why it cannot be one.

    The name is untrusted text: it is shown only as a ``Text``, never read as markup.
    """

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Who is annotating?"), classes="title")
            yield Static(Text("Your labels are saved under this name: type the same name next time to find them "
                              "again. Enter starts, ctrl+q quits."))
            yield Input(placeholder="your name", id="name")
            yield Static(id="problem")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            workspace = self.workspace.for_annotator(event.value.strip())
        except ValueError as exc:
            self.query_one("#problem", Static).update(Text(str(exc), style="bold red"))
            return
        self.dismiss(workspace)
