"""One-line prompts of the annotate screen: the role (r) and via (V), pre-filled with a suggestion."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class TextPrompt(ModalScreen[str | None]):
    """Edit one free-text field, pre-filled; enter saves (empty clears), escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "cancel", show=False)]

    def __init__(self, title: str, value: str, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(f"{self.title_text} — enter save (empty clears) · esc cancel"), classes="title")
            yield Input(value=self.value, placeholder=self.placeholder, id="value")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class RoleInput(TextPrompt):
    """The role, pre-filled with the suggestion from the text."""

    def __init__(self, value: str) -> None:
        super().__init__("Role as the article states it", value, "e.g. juru bicara kepresidenan Ukraina")


class ViaInput(TextPrompt):
    """The outlet relaying the quote (``via``), pre-filled with the current one or the text's suggestion."""

    def __init__(self, value: str, suggested: bool = False) -> None:
        title = "Via: the outlet relaying the quote" + (" (suggested by the text, not saved yet)" if suggested else "")
        super().__init__(title, value, "e.g. Reuters, Interfax, KCNA")
