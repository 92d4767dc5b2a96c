"""The current quote's fields beside the article: type, status, speaker, mention, role, category, cue, via.

Everything shown is built as ``rich.text.Text`` from plain strings: article text and names never pass
through a markup parser.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from annotator.model import Quote, Span
from annotator.terminal import clip, counted
from annotator.tui.widgets.styles import LEGEND, STATUS_MARK, highlights


def _span(span: Span | None) -> str:
    return f"“{clip(span.text, 40)}”  {span.start}–{span.end}" if span else "—"


class QuoteDetails(Static):
    """Type, status, speaker, mention, role, category, cue and via of the current quote."""

    def show(self, quote: Quote | None, position: int, total: int) -> None:
        styles = highlights(self.app.no_color)
        head = Text()
        rows = Table.grid(padding=(0, 1))
        rows.add_column(style="dim", no_wrap=True)
        rows.add_column(ratio=1)  # long values wrap under themselves, not under the labels
        if quote is None:
            head.append("No quotes in this document yet.\n", style="bold")
            head.append("Press v, move with the arrow or word keys, then enter to make one.")
        else:
            head.append(f"Quote {position} of {total}  ", style="bold")
            head.append(f"{STATUS_MARK[quote.status]} {quote.status}", style=styles[quote.status])
            for label, value in [
                ("type", quote.type),
                ("speaker", f"{quote.speaker.name} ({quote.speaker.kind})" if quote.speaker else "—"),
                ("mention", _span(quote.speaker.mention) if quote.speaker else "—"),
                ("role", quote.role or "—"),
                ("category", quote.role_category or "—"),
                ("cue", _span(quote.cue)),
                ("via", quote.via or "—"),
                ("span", f"{quote.start}–{quote.end} ({counted(quote.end - quote.start, 'char')})"),
            ]:
                rows.add_row(label, Text(clip(value, 100)))  # a long role cannot push the rest out
        self.update(Group(head, rows), layout=False)  # a fixed height: no layout pass


def legend(no_color: bool) -> Text:
    """A word for each highlight in its own style, under the details: drawn apart from them, so that long
    fields cannot push it out of sight."""
    styles = highlights(no_color)
    text = Text()
    for i, name in enumerate(LEGEND):
        text.append(name, style=styles[name])
        if i < len(LEGEND) - 1:
            text.append(" ")
    return text
