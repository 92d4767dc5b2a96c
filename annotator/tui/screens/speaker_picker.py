"""The speaker picker (s): the document's entities and the names in its text, nearest first."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from annotator.model import SPEAKER_KINDS
from annotator.session import SpeakerChoice
from annotator.terminal import clip

SOURCE_LABEL = {"current": "current", "yours": "your entity", "run": "candidate", "text": "in text"}


class FilterInput(Input):
    """The picker's filter: a digit typed first is left to the picker, which uses it to choose a line;
    once a name is being typed, digits are part of it ("G7", "Unit 8200")."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if (character or "").isdigit() and not self.value:
            return False
        return super().check_consume_key(key, character)


class SpeakerPicker(ModalScreen[SpeakerChoice | None]):
    """Pick the speaker: 1–9 choose a listed entity, typing filters (digits too, once typing has begun),
    ↑/↓ and enter take a line (or the new name typed when nothing matches); ctrl+k sets a new name's kind."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so a digit picks before the filter input could take it as text.
        *(Binding(str(n), f"pick({n})", f"pick {n}", show=False, priority=True) for n in range(1, 10)),
        Binding("up", "move(-1)", "up", show=False),
        Binding("down", "move(1)", "down", show=False),
        # Priority too: the filter input's own ctrl+k (delete to the end) would take it first.
        Binding("ctrl+k", "kind", "kind of a new name", show=False, priority=True),
        # And tab, which would move the focus out of the filter.
        Binding("tab", "complete", "take the completion", show=False, priority=True),
        Binding("escape", "dismiss(None)", "cancel", show=False),
    ]

    def __init__(self, choices: list[SpeakerChoice], completions: list[str] | None = None) -> None:
        super().__init__()
        self.choices = choices
        self.completions = completions or []  # names the labels use, this document's first
        self.shown: list[SpeakerChoice] = []
        self.new_kind = "person"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Speaker — 1–9 pick · type to filter or name a new speaker, then ↑↓ and "
                              "enter choose · tab completes · ctrl+k kind · esc cancel"), classes="title")
            suggester = SuggestFromList(self.completions, case_sensitive=False) if self.completions else None
            yield FilterInput(placeholder="filter, or a new name", id="filter", suggester=suggester)
            yield OptionList(id="choices")
            yield Static(id="hint")

    def on_mount(self) -> None:
        self.query_one("#choices", OptionList).can_focus = False
        self.refilter("")
        self.query_one(Input).focus()

    def _prompt(self, n: int | None, choice: SpeakerChoice) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{n} " if n is not None else "  ", style="bold")
        text.append(clip(choice.name, 40), style="bold")
        text.append(f"  {choice.kind}", style="dim")
        if choice.mention is not None:
            text.append(f"  “{clip(choice.mention.text, 30)}” @{choice.mention.start}")
        if choice.role:
            text.append(f"  · {clip(choice.role, 40)}", style="italic")
        text.append(f"  [{SOURCE_LABEL[choice.source]}]", style="dim")
        return text

    def refilter(self, query: str) -> None:
        needle = query.casefold().strip()
        self.shown = [
            c for c in self.choices
            if not needle or needle in c.name.casefold() or any(needle in a.casefold() for a in c.aliases)
        ]
        # numbers only while digits pick, that is before anything is typed
        options = [Option(self._prompt(i + 1 if i < 9 and not query else None, c)) for i, c in enumerate(self.shown)]
        if needle and not any(c.name.casefold() == needle for c in self.shown):
            new = Text(no_wrap=True)
            new.append("+ new speaker ", style="bold")
            new.append(f"“{query.strip()}”  ({self.new_kind})")
            options.append(Option(new, id="new"))
        choices = self.query_one("#choices", OptionList)
        choices.set_options(options)
        choices.highlighted = 0 if options else None
        self.query_one("#hint", Static).update(
            Text(f"{len(self.shown)} of {len(self.choices)} shown" if self.choices else "no names found; type one")
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refilter(event.value)

    def action_move(self, step: int) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.option_count:
            choices.highlighted = ((choices.highlighted or 0) + step) % choices.option_count

    def action_pick(self, n: int) -> None:
        field = self.query_one(FilterInput)
        if field.value:  # typing a name: the digit is part of it
            field.insert_text_at_cursor(str(n))
            return
        if n <= len(self.shown):
            self.dismiss(self.shown[n - 1])

    def action_complete(self) -> None:
        """The name shown after the cursor (one the labels use) becomes the filter."""
        field = self.query_one(FilterInput)
        field.cursor_position = len(field.value)
        field.action_cursor_right()

    def action_kind(self) -> None:
        self.new_kind = SPEAKER_KINDS[(SPEAKER_KINDS.index(self.new_kind) + 1) % len(SPEAKER_KINDS)]
        self.refilter(self.query_one(Input).value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._choose()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, index: int | None = None) -> None:
        choices = self.query_one("#choices", OptionList)
        index = choices.highlighted if index is None else index
        if index is None:
            return
        if index < len(self.shown):
            self.dismiss(self.shown[index])
            return
        name = " ".join(self.query_one(Input).value.split())
        if name:
            self.dismiss(SpeakerChoice(name, self.new_kind, None, "new"))
