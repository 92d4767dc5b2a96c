"""Each annotator's version of the current quote side by side, with the adjudicator's label beside them.

One column per annotator, in the annotator's style (the article marks their
versions the same way), then the adjudicator's; one row per field, and a ``≠``
before the fields the versions differ on. Every value is built as
``rich.text.Text`` from plain strings: quote text and names never pass through
a markup parser.
"""

from __future__ import annotations

from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from annotator.model import Quote, Span
from annotator.session.adjudication import DocumentAdjudication, Item
from annotator.terminal import clip
from annotator.tui.widgets.strips import StripCache, text_strip
from annotator.tui.widgets.styles import STATUS_MARK, annotator_style, highlights

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


def annotator_label(number: int, name: str, no_color: bool) -> Text:
    return Text(f"{number} {clip(name, 14)}", style=annotator_style(number, no_color))


class VersionsPanel(Widget):
    """The current disagreement: its kinds and state, and every version of it side by side.

    The columns are laid out here, one ``Text`` per line, and drawn line by line, rather than by a Rich
    table in a ``Static``: that would measure and wrap every cell twice on every redraw, and this panel
    is redrawn on every key.
    """

    LABEL = 11  # "≠ category" and a space
    MOST_LINES = 3  # lines a value may take in its column; the rest is cut with …

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session: DocumentAdjudication | None = None
        self.lines: list[Text] = []
        self._cache = StripCache()

    def show(self, session: DocumentAdjudication) -> None:
        self.session = session
        item = session.current
        lines = []
        if item is None:
            lines.append(Text("No quotes: the annotators marked none in this document.", style="bold"))
        else:
            head = Text()
            order = session.disagreements
            if session.index in order:
                head.append(f"Disagreement {order.index(session.index) + 1} of {len(order)}  ", style="bold")
            else:
                head.append("Agreed quote  ", style="bold")
            head.append(STATE_MARK[item.state], style="bold" if item.state == "open" else "")
            kinds = ", ".join(k.replace("_", " ") for k in item.group.kinds) or "nothing"
            lines += [head, Text("on: " + kinds, style="dim"), *self._columns(session, item)]
        self.lines = lines
        self.refresh()  # a fixed height (app.tcss): a key never makes the screen lay itself out again

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        base = self.rich_style
        if y >= len(self.lines):
            return Strip.blank(width, base)
        line = self.lines[y]
        key = (line.plain, tuple(line.spans), width, base)
        strip = self._cache.get(key)
        if strip is None:  # most lines look the same from one disagreement to the next: drawn once
            line = line.copy()
            line.truncate(width, overflow="ellipsis")
            strip = self._cache.keep(key, text_strip(line, self.app.console, base, width))
        return strip

    def on_resize(self) -> None:
        if self.session is not None:
            self.show(self.session)

    def _columns(self, session: DocumentAdjudication, item: Item) -> list[Text]:
        width = max(self.content_region.width, 40)
        count = len(session.annotators) + 1
        column = max(6, (width - self.LABEL - count) // count)
        versions: list[Quote | None] = [session.version(item, a) for a in range(len(session.annotators))]
        merged = item.merged
        head = [annotator_label(a + 1, name, self.app.no_color) for a, name in enumerate(session.annotators)]
        head.append(Text(f"→ {clip(session.into, 14)}" + (f" {STATUS_MARK[merged.status]}" if merged else ""),
                         style="bold"))
        lines = [self._row(Text(""), head, column)]
        differ = set(item.group.kinds)
        styles = highlights(self.app.no_color)
        for label, aspect, read in FIELDS:
            cells = [Text(clip(read(q), 160)) if q is not None else Text("(no quote)", style="dim italic")
                     for q in versions]
            cells.append(Text(clip(read(merged), 160), style=styles[merged.status]) if merged is not None
                         else Text("—", style="dim"))
            first = Text()
            first.append("≠ " if aspect in differ else "  ", style="bold")
            first.append(label, style="bold" if aspect in differ else "dim")
            lines.append(self._row(first, cells, column))
        return [line for row in lines for line in row]

    def _row(self, label: Text, cells: list[Text], column: int) -> list[Text]:
        """One field across the columns: each value wrapped in its column, the row as tall as its tallest."""
        wrapped = []
        for cell in cells:
            lines = list(cell.wrap(self.app.console, column, overflow="fold"))
            if len(lines) > self.MOST_LINES:  # cut, and say so
                lines = lines[: self.MOST_LINES]
                lines[-1].append(" …")
            wrapped.append(lines)
        height = max(len(w) for w in wrapped)
        rows = []
        for n in range(height):
            line = label.copy() if n == 0 else Text("")
            line.truncate(self.LABEL, pad=True)
            for w in wrapped:
                piece = w[n].copy() if n < len(w) else Text("")
                piece.truncate(column, overflow="ellipsis", pad=True)
                line.append_text(piece)
                line.append(" ")
            rows.append(line)
        return rows
