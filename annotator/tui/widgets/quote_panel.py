"""The side panel of the annotate screen: the current quote's fields and the list of quotes.

Everything shown is built as ``rich.text.Text`` from plain strings: article
text and names never pass through a markup parser.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from annotator.model import Quote, Span
from annotator.text import display_safe
from annotator.tui.widgets.article import LEGEND, STYLES

STATUS_MARK = {"pending": "○", "accepted": "✓", "rejected": "✗"}


def clip(text: str, limit: int) -> str:
    text = display_safe(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _span(span: Span | None) -> str:
    return f"“{clip(span.text, 40)}”  {span.start}–{span.end}" if span else "—"


class QuoteDetails(Static):
    """Type, status, speaker, mention, role, category, cue and via of the current quote."""

    def show(self, quote: Quote | None, position: int, total: int) -> None:
        text = Text()
        if quote is None:
            text.append("No quotes in this document yet.\n", style="bold")
            text.append("Press v, move with the arrow or word keys, then enter to make one.")
        else:
            text.append(f"Quote {position} of {total}  ", style="bold")
            text.append(f"{STATUS_MARK[quote.status]} {quote.status}", style=STYLES[quote.status])
            rows = [
                ("type", quote.type),
                ("speaker", f"{quote.speaker.name} ({quote.speaker.kind})" if quote.speaker else "—"),
                ("mention", _span(quote.speaker.mention) if quote.speaker else "—"),
                ("role", quote.role or "—"),
                ("category", quote.role_category or "—"),
                ("cue", _span(quote.cue)),
                ("via", quote.via or "—"),
                ("span", f"{quote.start}–{quote.end} ({quote.end - quote.start} characters)"),
            ]
            for label, value in rows:
                text.append(f"\n{label:<9}", style="dim")
                text.append(clip(value, 200))
        text.append("\n\n")
        for i, name in enumerate(LEGEND):
            text.append(name, style=STYLES[name])
            if i < len(LEGEND) - 1:
                text.append(" ")
        self.update(text, layout=False)  # a fixed height: no layout pass per keystroke


def quote_prompt(quote: Quote) -> Text:
    speaker = quote.speaker.name if quote.speaker else "?"
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{STATUS_MARK[quote.status]} ", style=STYLES[quote.status])
    text.append(f"{quote.type[0]} ", style="dim")
    text.append(clip(speaker, 18), style="bold")
    text.append(" · " + clip(quote.text, 80))
    return text


class QuoteList(OptionList):
    """Every quote of the document in text order; choosing one makes it current."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.can_focus = False
        self._ids: list[int | None] = []

    def show(self, quotes: list[Quote], index: int) -> None:
        ids = [q.id for q in quotes]
        if ids != self._ids:
            self.set_options(Option(quote_prompt(q), id=str(q.id)) for q in quotes)
            self._ids = ids
        elif quotes:
            self.replace_option_prompt_at_index(index, quote_prompt(quotes[index]))
        if quotes:
            self.highlighted = index
            self.scroll_to_highlight()
