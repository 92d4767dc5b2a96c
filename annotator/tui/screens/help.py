"""The help screen: every key of the screen it was opened on, as the user has them, with action ids."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Every key of the screen it was opened from, generated from its bindings and the user's keymap."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark,f1", "dismiss(None)", "close", show=False)]

    def __init__(self, title: str, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", padding=(0, 1), expand=True)
        table.add_column("keys", style="bold", no_wrap=True)
        table.add_column("action", no_wrap=True)
        table.add_column("what it does", style="dim", ratio=1)
        for keys, description, help_text in self.rows:
            table.add_row(Text(keys), Text(description), Text(help_text or ""))
        footer = Text("ctrl+p opens the command palette (every action by name). Keys are remappable "
                      "in keys.toml; the action ids are in brackets (see docs/keys.md).", style="dim")
        with VerticalScroll(id="dialog", classes="help"):
            yield Static(Text(self.title_text, style="bold"), classes="title")
            yield Static(table)
            yield Static(footer)
