"""Each annotator's version of the current quote side by side, with the adjudicator's label beside them.

One column per annotator, in the annotator's style (the article marks their
versions the same way), then the adjudicator's; one row per field, and a ``≠``
before the fields the versions differ on. Every value is built as
``rich.text.Text`` from plain strings: quote text and names never pass through
a markup parser.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from annotator.model import Quote, Span
from annotator.session.adjudication import DocumentAdjudication, Item
from annotator.terminal import clip
from annotator.tui.widgets.styles import ANNOTATOR_STYLES, STATUS_MARK, STYLES

STATE_MARK = {"open": "○ open", "taken": "✓ taken", "left out": "✗ left out", "agreed": "= agreed"}
# The rows of the table: (label, the aspect it shows, how to read it from a quote).
FIELDS = (
    ("text", "boundary", lambda q: q.text),
    ("span", "boundary", lambda q: f"{q.start}–{q.end}"),
    ("type", "type", lambda q: q.type),
    ("speaker", "speaker", lambda q: f"{q.speaker.name} ({q.speaker.kind})" if q.speaker else "—"),
    ("mention", "speaker", lambda q: _span(q.speaker.mention) if q.speaker else "—"),
    ("role", "role", lambda q: q.role or "—"),
    ("category", "role_category", lambda q: q.role_category or "—"),
    ("cue", "cue", lambda q: _span(q.cue)),
    ("via", "via", lambda q: q.via or "—"),
)


def _span(span: Span | None) -> str:
    return f"“{span.text}” {span.start}–{span.end}" if span else "—"


def annotator_label(number: int, name: str) -> Text:
    return Text(f"{number} {clip(name, 14)}", style=ANNOTATOR_STYLES[(number - 1) % len(ANNOTATOR_STYLES)])


class VersionsPanel(Static):
    """The current disagreement: its kinds and state, and every version of it side by side."""

    def show(self, session: DocumentAdjudication) -> None:
        item = session.current
        head = Text(no_wrap=True, overflow="ellipsis")
        if item is None:
            head.append("No quotes: the annotators marked none in this document.", style="bold")
            self.update(head, layout=False)
            return
        order = session.disagreements
        if session.index in order:
            head.append(f"Disagreement {order.index(session.index) + 1} of {len(order)}  ", style="bold")
        else:
            head.append("Agreed quote  ", style="bold")
        head.append(STATE_MARK[item.state], style="bold" if item.state == "open" else "")
        kinds = Text("on: " + (", ".join(k.replace("_", " ") for k in item.group.kinds) or "nothing"),
                     style="dim")
        self.update(Group(head, kinds, self._table(session, item)), layout=False)

    @staticmethod
    def _table(session: DocumentAdjudication, item: Item) -> Table:
        table = Table(box=None, padding=(0, 1), expand=True, show_edge=False)
        table.add_column("", style="dim", no_wrap=True)
        versions: list[Quote | None] = []
        for a, name in enumerate(session.annotators):
            table.add_column(annotator_label(a + 1, name), ratio=1, overflow="fold")
            versions.append(session.version(item, a))
        merged = item.merged
        mark = f" {STATUS_MARK[merged.status]}" if merged is not None else ""
        table.add_column(Text(f"→ {clip(session.into, 14)}{mark}", style="bold"), ratio=1, overflow="fold")
        differ = set(item.group.kinds)
        for label, aspect, read in FIELDS:
            cells = [Text(clip(read(q), 160)) if q is not None else Text("(no quote)", style="dim italic")
                     for q in versions]
            if merged is None:
                cells.append(Text("—", style="dim"))
            else:
                cells.append(Text(clip(read(merged), 160), style=STYLES[merged.status]))
            first = Text("≠ " if aspect in differ else "  ", style="bold")
            first.append(label)
            table.add_row(first, *cells)
        return table
