"""Numbered pickers of the annotate screen: the role category (R), the speaker's kind (K) and the entity a
mention names (m)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from annotator.model import SPEAKER_KINDS
from annotator.terminal import clip


class NumberedPicker(ModalScreen[str | None]):
    """Pick one of a short list: 1–9 and 0 choose, enter the highlighted one, escape cancels.

    With ``none`` a last line ``(none)`` returns the empty string (clears the field).
    """

    NONE = "(none)"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"pick({n})", f"pick {n}", show=False) for n in range(10)),
        Binding("escape", "dismiss(None)", "cancel", show=False),
    ]

    def __init__(self, title: str, names: tuple[str, ...], current: str | None, none: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.names = (*names, self.NONE) if none else tuple(names)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(f"{self.title_text} — number or enter to choose · esc cancel"), classes="title")
            options = []
            for i, name in enumerate(self.names):
                key = str((i + 1) % 10) if i < 10 else " "
                mark = " ●" if name == self.current else ""
                options.append(Option(Text(f"{key} {clip(name, 60)}{mark}")))
            yield OptionList(*options, id="names")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.current in self.names:
            options.highlighted = self.names.index(self.current)

    def action_pick(self, n: int) -> None:
        index = (n - 1) % 10
        if index < len(self.names):
            self._choose(index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, index: int) -> None:
        name = self.names[index]
        self.dismiss("" if name == self.NONE else name)


class CategoryPicker(NumberedPicker):
    """The role category, from the configured list."""

    def __init__(self, categories: tuple[str, ...], current: str | None) -> None:
        super().__init__("Role category", categories, current)


class KindPicker(NumberedPicker):
    """The kind of the speaker entity: person, organization, media, anonymous, unknown."""

    def __init__(self, name: str, current: str) -> None:
        super().__init__(f"Kind of {clip(name, 40)} (all its quotes)", SPEAKER_KINDS, current, none=False)


class MentionPicker(NumberedPicker):
    """The entity a mention names: one of the document's entities (their mentions counted), or a new one
    named as the mention is written. Answers the line's index as text ("0" is the first), so that two
    entities shown alike stay apart."""

    def __init__(self, mention: str, entities: list[tuple[str, str, int]]) -> None:
        lines = [f"{clip(name, 40)} ({kind}) · {count} mention{'s' * (count != 1)}" for name, kind, count in entities]
        lines.append(f"+ new entity “{clip(mention, 40)}”")
        super().__init__(f"“{clip(mention, 40)}” names", tuple(lines), None, none=False)

    def _choose(self, index: int) -> None:
        self.dismiss(str(index))
