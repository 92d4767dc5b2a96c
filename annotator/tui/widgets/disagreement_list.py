"""The list of a document's disagreements under the versions: state, kinds and text, one line each.

Drawn line by line like the quote list (only the visible lines, from a cache), so a document with
hundreds of disagreements costs no more per key than one with three. Lines are ``rich.text.Text``
built from plain strings.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.session.adjudication import DocumentAdjudication
from annotator.terminal import clip
from annotator.tui.widgets.strips import StripCache, text_strip

STATE_MARKS = {"open": ("○", Style(bold=True)), "taken": ("✓", Style(color="green")),
               "left out": ("✗", Style(dim=True)), "agreed": ("=", Style(dim=True))}


class DisagreementList(ScrollView, can_focus=False):
    """Every disagreement of the document in text order; a click makes one current."""

    DEFAULT_CSS = """
    DisagreementList { scrollbar-gutter: stable; }
    """
    CURRENT = Style(reverse=True)

    class Selected(Message):
        def __init__(self, index: int) -> None:
            self.index = index  # the item's index in the document's items
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines: list[tuple[int, str, tuple[str, ...], str]] = []  # item index, state, kinds, text
        self.current = -1
        self._cache = StripCache()

    def show(self, session: DocumentAdjudication) -> None:
        lines = []
        for k in session.disagreements:
            item = session.items[k]
            version = next(session.version(item, a) for a, i in enumerate(item.group.members) if i is not None)
            lines.append((k, item.state, item.group.kinds, version.text))
        old, self.lines = self.lines, lines
        previous, self.current = self.current, next((n for n, line in enumerate(lines) if line[0] == session.index), -1)
        if [line[0] for line in old] != [line[0] for line in lines]:
            self.virtual_size = Size(self.scrollable_content_region.width, len(lines))
            self.refresh()
        else:
            for n, (before, after) in enumerate(zip(old, lines, strict=True)):
                if before != after or n in (previous, self.current):
                    self.refresh_lines(n)
        if self.current >= 0:
            self._bring_into_view(self.current)

    def _bring_into_view(self, line: int, retry: bool = True) -> None:
        if retry and not self.allow_vertical_scroll and len(self.lines) > self.scrollable_content_region.height:
            self.call_after_refresh(self._bring_into_view, line, False)
            return
        self.scroll_to_region(Region(0, line, 1, 1), animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        n = self.scroll_offset.y + y
        if n >= len(self.lines) or width <= 0:
            return Strip.blank(width, base)
        key = (self.lines[n], n == self.current, width, n, len(self.lines))
        strip = self._cache.get(key)
        if strip is None:
            _, state, kinds, quote_text = self.lines[n]
            mark, style = STATE_MARKS[state]
            text = Text(no_wrap=True, overflow="ellipsis")
            text.append(f"{n + 1:>{len(str(len(self.lines)))}} ", style="dim")
            text.append(f"{mark} ", style=style)
            text.append(", ".join(k.replace("_", " ") for k in kinds) or "agreed, label undone", style="bold")
            text.append(" · " + clip(quote_text, 80))
            text.truncate(width, overflow="ellipsis", pad=True)
            if n == self.current:
                text.stylize(self.CURRENT)
            strip = self._cache.keep(key, text_strip(text, self.app.console, base, width))
        return strip

    def on_click(self, event: events.Click) -> None:
        n = self.scroll_offset.y + event.y
        if 0 <= n < len(self.lines):
            self.post_message(self.Selected(self.lines[n][0]))

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.lines))
