"""The article with its quotes highlighted, drawn line by line.

The text is data, never markup: each visible line is a ``rich.text.Text`` built
from the plain text (control characters made visible by ``display_safe``) with
styles laid on code-point ranges, so ``[bold]`` or an ANSI escape in an article
shows as typed, and wide or combining characters highlight the right cells.
Only the lines on screen are rendered, so a 50,000-character article redraws
in the same time as a short one.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotator.model import Quote, Span
from annotator.text import display_safe
from annotator.tui.widgets.styles import highlights

_WORD = regex.compile(r"\S+\s*|\s+")


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Visual lines of ``text`` at ``width`` cells as code-point ranges (newlines excluded).

    Words wrap whole; a word wider than the line is broken between characters.
    Trailing spaces stay on their line (they are cropped, not wrapped).
    """
    width = max(width, 4)
    lines: list[tuple[int, int]] = []
    pos = 0
    for paragraph in text.split("\n"):
        start = pos
        end_par = pos + len(paragraph)
        line_start, used = start, 0
        for m in _WORD.finditer(paragraph):
            word = m.group()
            stripped = word.rstrip()
            # ASCII is one cell a character (controls are already made visible symbols)
            w = len(stripped) if stripped.isascii() else cell_len(stripped)
            ws = start + m.start()
            if used and used + w > width:
                lines.append((line_start, ws))
                line_start, used = ws, 0
            if w > width:  # break a long word by cells
                for k, ch in enumerate(stripped):
                    cw = cell_len(ch)
                    if used + cw > width and used:
                        lines.append((line_start, ws + k))
                        line_start, used = ws + k, 0
                    used += cw
                used += cell_len(word[len(stripped):])
                continue
            used += len(word) if word.isascii() else cell_len(word)
        lines.append((line_start, end_par))
        pos = end_par + 1
    return lines


@dataclass
class Marks:
    """What to highlight: the quotes, which one is current, a selection, search matches, a cursor, and
    ranges styled on their own (each annotator's quotes on the adjudication screen), drawn first."""

    quotes: list[Quote]
    current: Quote | None = None
    selection: tuple[int, int] | None = None
    cursor: int | None = None
    matches: list[tuple[int, int]] | None = None
    styled: tuple[tuple[int, int, Style], ...] = ()


class ArticleView(ScrollView, can_focus=False):
    """A scrollable, read-only view of the article with highlights and a cursor for making quotes."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    ArticleView { padding: 0 1; scrollbar-gutter: stable; }
    """

    class Pressed(Message):
        """The mouse went down on the text at a code-point offset."""

        def __init__(self, offset: int) -> None:
            self.offset = offset
            super().__init__()

    class Dragged(Message):
        """A mouse selection over [start, end) of the text; ``done`` when the button was released."""

        def __init__(self, start: int, end: int, done: bool) -> None:
            self.start, self.end, self.done = start, end, done
            super().__init__()

    def __init__(self, text: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = text
        # Tabs would move the cursor in a strip; one space each keeps offsets and cells in step.
        self.display_text = display_safe(text).replace("\t", " ")
        self.marks = Marks([])
        self._lines: list[tuple[int, int]] = []
        self._line_starts: list[int] = []
        self._wrapped_width = -1
        self._drag_anchor: int | None = None
        self._cache: dict[tuple, Strip] = {}  # rendered lines by text range and highlights
        self._styled_index: tuple | None = None  # Marks.styled sorted, with its starts (see _styled_between)

    # layout

    def _rewrap(self, width: int) -> None:
        if width == self._wrapped_width or width <= 0:
            return
        self._lines = wrap(self.display_text, width)
        self._line_starts = [s for s, _ in self._lines]
        self._wrapped_width = width
        self.virtual_size = Size(width, len(self._lines))

    def on_resize(self, event: events.Resize) -> None:
        """Re-wrap, keeping in view what was: the cursor, else the current quote, else the top line's text."""
        top = self._line_starts[min(int(self.scroll_y), len(self._line_starts) - 1)] if self._line_starts else 0
        self._rewrap(self.scrollable_content_region.width)
        marks = self.marks
        if marks.cursor is not None:
            keep = (marks.cursor, marks.cursor + 1)
        elif marks.current is not None:
            keep = (marks.current.start, marks.current.end)
        else:
            keep = None
        self.call_after_refresh(self._keep_in_view, top, keep)
        self.refresh()

    def _keep_in_view(self, top: int, keep: tuple[int, int] | None) -> None:
        if not self._lines:
            return
        if keep is not None:
            self.scroll_to_offsets(*keep)
        else:
            self.scroll_to(y=self.line_of(top), animate=False, immediate=True)

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def line_of(self, offset: int) -> int:
        """The visual line holding a code-point offset."""
        return max(0, bisect.bisect_right(self._line_starts, offset) - 1)

    def line_start(self, line: int) -> int:
        """The code-point offset where a visual line starts (past the last line: the last one; 0 before wrapping)."""
        if not self._lines:
            return 0
        return self._lines[max(0, min(line, len(self._lines) - 1))][0]

    def offset_at(self, x: int, y: int) -> int:
        """The code-point offset under cell (x, y) of the scrolled content."""
        if not self._lines:
            return 0
        y = max(0, min(y, len(self._lines) - 1))
        start, end = self._lines[y]
        used = 0
        for i in range(start, end):
            used += cell_len(self.display_text[i])
            if used > x:
                return i
        return end

    def column_of(self, offset: int) -> tuple[int, int]:
        """(cell column, line) of an offset: for moving the cursor up and down."""
        line = self.line_of(offset)
        start, _ = self._lines[line] if self._lines else (0, 0)
        return cell_len(self.display_text[start:offset]), line

    # state

    def set_marks(self, marks: Marks, scroll_to: Span | Quote | None = None, *, animate: bool = False) -> None:
        """New highlights; only the lines whose highlights changed are redrawn."""
        old, self.marks = self.marks, marks
        if scroll_to is not None:
            self.scroll_to_offsets(scroll_to.start, scroll_to.end, animate=animate)
        if not self._lines:
            self.refresh()
            return
        for first, last in self._changed_ranges(old, marks):
            a, b = self.line_of(first), self.line_of(max(first, last - 1))
            self.refresh_lines(a, b - a + 1)

    @staticmethod
    def _changed_ranges(old: Marks, new: Marks) -> list[tuple[int, int]]:
        """Text ranges whose highlighting differs between two sets of marks."""
        ranges: list[tuple[int, int]] = []

        def spans(m: Marks) -> set[tuple]:
            found: set[tuple] = set()
            cur = m.current
            if cur is not None:
                found.add(("current", cur.start, cur.end))
                if cur.cue is not None:
                    found.add(("cue", cur.cue.start, cur.cue.end))
                if cur.speaker is not None and cur.speaker.mention is not None:
                    found.add(("mention", cur.speaker.mention.start, cur.speaker.mention.end))
            if m.selection is not None:
                found.add(("selection", *sorted(m.selection)))
            if m.cursor is not None:
                found.add(("cursor", m.cursor, m.cursor + 1))
            for s, e in m.matches or ():
                found.add(("match", s, e))
            return found

        for _, s, e in spans(old) ^ spans(new):
            ranges.append((s, e))
        if old.styled is not new.styled:  # a new set of styled ranges (a screen passes the same one while it holds)
            ranges.extend((s, e) for s, e, _ in set(old.styled) ^ set(new.styled))
        if old.quotes is not new.quotes or len(old.quotes) != len(new.quotes):
            before = {q.id: (q.start, q.end, q.status) for q in old.quotes}
            after = {q.id: (q.start, q.end, q.status) for q in new.quotes}
            for qid in before.keys() | after.keys():
                if before.get(qid) != after.get(qid):
                    for state in (before.get(qid), after.get(qid)):
                        if state is not None:
                            ranges.append(state[:2])
        return ranges

    def page(self, step: int) -> None:
        """Scroll a page down (1) or up (-1), keeping two lines of the last page in view."""
        self.scroll_to(y=self.scroll_offset.y + step * max(1, self.size.height - 2), animate=False)

    def scroll_to_offsets(self, start: int, end: int, *, animate: bool = False, retry: bool = True) -> None:
        """Bring [start, end) into view, with a little context above when it fits."""
        if not self._lines:
            return
        if retry and not self.allow_vertical_scroll and len(self._lines) > self.scrollable_content_region.height:
            # The first layout has not switched the scrollbar on yet (a document opened on a quote far down):
            # scrolling now would be ignored, so scroll once it is on.
            self.call_after_refresh(self.scroll_to_offsets, start, end, animate=animate, retry=False)
            return
        first, last = self.line_of(start), self.line_of(max(start, end - 1))
        height = self.scrollable_content_region.height or 1
        # two lines of context on each side when they fit, else the start of the span
        top = max(0, first - 2) if last - first + 5 <= height else first
        bottom = min(len(self._lines) - 1, last + 2) if last - first + 5 <= height else first + height - 1
        region = Region(0, top, 1, max(1, bottom - top + 1))
        # A jump to text out of sight puts it in the middle, with what leads up to it; a step to text
        # in or next to the view scrolls no more than needed.
        view_top = int(self.scroll_y)
        far = last < view_top - height or first > view_top + 2 * height
        self.scroll_to_region(region, animate=animate, immediate=not animate, center=far)

    # rendering

    def _styled_between(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        """The styled ranges overlapping [start, end), found by bisection: a line of a long article with
        hundreds of styled quotes looks at the few near it, not at all of them."""
        styled = self.marks.styled
        if not styled:
            return []
        if self._styled_index is None or self._styled_index[0] is not styled:
            ordered = sorted(styled, key=lambda r: (r[0], r[1]))
            longest = max(e - s for s, e, _ in ordered)
            self._styled_index = (styled, ordered, [s for s, _, _ in ordered], longest)
        _, ordered, starts, longest = self._styled_index
        first = bisect.bisect_left(starts, start - longest)
        last = bisect.bisect_left(starts, end)
        return [r for r in ordered[first:last] if r[1] > start]

    def _styles_for(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        marks = self.marks
        styles = highlights(self.app.no_color)
        ranges = self._styled_between(start, end)
        current = marks.current
        for q in marks.quotes:
            if q.start < end and start < q.end:
                ranges.append((q.start, q.end, styles[q.status]))
        if marks.matches:
            for s, e in marks.matches:
                if s < end and start < e:
                    ranges.append((s, e, styles["match"]))
        if current is not None:
            ranges.append((current.start, current.end, styles["current"]))
            if current.cue is not None:
                ranges.append((current.cue.start, current.cue.end, styles["cue"]))
            if current.speaker is not None and current.speaker.mention is not None:
                m = current.speaker.mention
                ranges.append((m.start, m.end, styles["mention"]))
        if marks.selection is not None:
            s, e = sorted(marks.selection)
            ranges.append((s, e, styles["selection"]))
        if marks.cursor is not None:
            inside = any(s <= marks.cursor < e and st.reverse for s, e, st in ranges)
            ranges.append((marks.cursor, marks.cursor + 1, Style(reverse=not inside, bold=True)))
        return ranges

    def render_line(self, y: int) -> Strip:
        self._rewrap(self.scrollable_content_region.width)
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = scroll_y + y
        if index >= len(self._lines):
            return Strip.blank(width, base)
        start, end = self._lines[index]
        ranges = []
        for s, e, style in self._styles_for(start, end):
            s, e = max(s, start) - start, min(e, end) - start
            if s < e:
                ranges.append((s, e, style))
        # a cursor after the last character shows past the end of its line, unless the line only wraps
        cursor_at_end = (self.marks.cursor is not None and self.marks.cursor == end
                         and (end == len(self.display_text) or self.display_text[end] == "\n"))
        key = (start, end, tuple(ranges), cursor_at_end, base)
        strip = self._cache.get(key)
        if strip is None:
            text = Text(self.display_text[start:end], no_wrap=True, end="")
            for s, e, style in ranges:
                text.stylize(style, s, e)
            if cursor_at_end:  # the cursor after the last character of a line
                text.append(" ", Style(reverse=True, bold=True))
            strip = Strip([Segment(seg.text, base + seg.style if seg.style else base, seg.control)
                           for seg in text.render(self.app.console)])
            if len(self._cache) > 4000:
                self._cache.clear()
            self._cache[key] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    # mouse: press, drag and release make a selection

    def _offset_from_mouse(self, event: events.MouseEvent) -> int:
        scroll_x, scroll_y = self.scroll_offset
        region = self.scrollable_content_region
        x = event.x - (region.x - self.region.x) + scroll_x
        y = event.y - (region.y - self.region.y) + scroll_y
        return self.offset_at(max(0, x), max(0, y))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        self._drag_anchor = self._offset_from_mouse(event)
        self.capture_mouse()
        self.post_message(self.Pressed(self._drag_anchor))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_anchor is None:
            return
        here = self._offset_from_mouse(event)
        self.post_message(self.Dragged(*sorted((self._drag_anchor, here + 1)), done=False))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_anchor is None:
            return
        anchor, self._drag_anchor = self._drag_anchor, None
        self.release_mouse()
        here = self._offset_from_mouse(event)
        if here != anchor:
            self.post_message(self.Dragged(*sorted((anchor, here + 1)), done=True))
