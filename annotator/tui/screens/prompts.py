"""One-line prompts of the annotate screen: the role (r) and via (V), pre-filled with a suggestion and
completing from the values the labels use (tab takes the completion)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static


class TextPrompt(ModalScreen[str | None]):
    """Edit one free-text field, pre-filled; typing shows the first of ``completions`` it begins (any case),
    tab takes it; enter saves (empty clears), escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "cancel", show=False),
        # Priority: tab would otherwise move the focus out of the input.
        Binding("tab", "complete", "take the completion", show=False, priority=True),
    ]

    def __init__(self, title: str, value: str, placeholder: str = "", completions: list[str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.completions = completions or []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(f"{self.title_text} — tab completes · enter save (empty clears) · esc cancel"),
                         classes="title")
            suggester = SuggestFromList(self.completions, case_sensitive=False) if self.completions else None
            yield Input(value=self.value, placeholder=self.placeholder, id="value", suggester=suggester)

    def action_complete(self) -> None:
        """The shown completion becomes the value (the input takes it with the cursor at the end, as → does)."""
        field = self.query_one(Input)
        field.cursor_position = len(field.value)
        field.action_cursor_right()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class RoleInput(TextPrompt):
    """The role, pre-filled with the suggestion from the text."""

    def __init__(self, value: str, completions: list[str] | None = None) -> None:
        super().__init__("Role as the article states it", value, "e.g. juru bicara kepresidenan Ukraina",
                         completions)


class ViaInput(TextPrompt):
    """The outlet relaying the quote (``via``), pre-filled with the current one or the text's suggestion."""

    def __init__(self, value: str, suggested: bool = False, completions: list[str] | None = None) -> None:
        title = "Via: the outlet relaying the quote" + (" (suggested by the text, not saved yet)" if suggested else "")
        super().__init__(title, value, "e.g. Reuters, Interfax, KCNA", completions)
