"""The numbered list of a document's quotes, under the quote details; a click selects one.

Each line is built as ``rich.text.Text`` from plain strings: quote text and names never pass through a
markup parser.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.model import Quote
from annotator.terminal import clip
from annotator.tui.widgets.strips import StripCache, text_strip
from annotator.tui.widgets.styles import STATUS_MARK, highlights


def quote_prompt(quote: Quote, number: int | None = None, digits: int = 1, no_color: bool = False) -> Text:
    """One line of the quote list: its number (as "Quote n of m" counts), status, type, speaker, text."""
    speaker = quote.speaker.name if quote.speaker else "?"
    text = Text(no_wrap=True, overflow="ellipsis")
    if number is not None:
        text.append(f"{number:>{digits}} ", style="dim")
    text.append(f"{STATUS_MARK[quote.status]} ", style=highlights(no_color)[quote.status])
    text.append(f"{quote.type[0]} ", style="dim")
    text.append(clip(speaker, 18), style="bold")
    text.append(" · " + clip(quote.text, 80))
    return text


class QuoteList(ScrollView, can_focus=False):
    """Every quote of the document in text order, one line each; a click makes one current.

    Drawn line by line (only the visible lines), and after a label change only
    the lines that changed are redrawn, so a document with hundreds of quotes
    costs no more per keystroke than one with three.
    """

    DEFAULT_CSS = """
    QuoteList { scrollbar-gutter: stable; }
    """
    CURRENT = Style(reverse=True)

    class Selected(Message):
        def __init__(self, quote_id: int) -> None:
            self.quote_id = quote_id
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.quotes: list[Quote] = []
        self.index = 0
        self._cache = StripCache()

    def show(self, quotes: list[Quote], index: int) -> None:
        old_ids = [q.id for q in self.quotes]
        old_index = self.index
        self.quotes, self.index = quotes, index
        if [q.id for q in quotes] != old_ids:
            self.virtual_size = Size(self.scrollable_content_region.width, len(quotes))
            self.refresh()
        else:  # the same quotes: only the old and the new current line can look different
            for i in {old_index, index}:
                self.refresh_lines(i)
        if quotes:
            self._bring_into_view(index)

    def _bring_into_view(self, index: int, retry: bool = True) -> None:
        if retry and not self.allow_vertical_scroll and len(self.quotes) > self.scrollable_content_region.height:
            # before the first layout switches the scrollbar on a scroll is ignored: do it once it is on
            self.call_after_refresh(self._bring_into_view, index, False)
            return
        self.scroll_to_region(Region(0, index, 1, 1), animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        scroll_y = self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        i = scroll_y + y
        if i >= len(self.quotes) or width <= 0:
            return Strip.blank(width, base)
        quote = self.quotes[i]
        current = i == self.index
        digits = len(str(len(self.quotes)))
        key = (quote.id, quote.status, quote.type, quote.start, quote.end,
               quote.speaker.name if quote.speaker else None, current, width, i, digits)
        strip = self._cache.get(key)
        if strip is None:
            text = quote_prompt(quote, i + 1, digits, self.app.no_color)
            text.truncate(width, overflow="ellipsis", pad=True)
            if current:
                text.stylize(self.CURRENT)
            strip = self._cache.keep(key, text_strip(text, self.app.console, base, width))
        return strip

    def on_click(self, event: events.Click) -> None:
        i = self.scroll_offset.y + event.y
        if 0 <= i < len(self.quotes) and self.quotes[i].id is not None:
            self.post_message(self.Selected(self.quotes[i].id))

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.quotes))
