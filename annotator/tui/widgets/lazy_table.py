"""The documents screen's table: a window of the list that asks for the pages next to it as the cursor or the
scroll comes near either edge, and for the first or the last page on Home and End."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import DataTable

NEAR = 20  # rows from an edge of the window at which the next page is asked for


class LazyTable(DataTable):
    """A table holding a window of a longer list; the screen fills it and says whether more lies either side.

    A key that moves the cursor past the rows loaded so far (a burst of PgDn faster than the pages come)
    is not lost: the row it aims at is kept as ``target`` and reached when its page has come.
    """

    class NearEnd(Message):
        pass

    class NearStart(Message):
        pass

    class Jump(Message):
        """Home or End: to the first or the last row of the whole list."""

        def __init__(self, to_end: bool) -> None:
            super().__init__()
            self.to_end = to_end

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.more_above = False  # rows of the list before the window (the screen keeps these two up to date)
        self.more_below = False
        self.target: int | None = None  # a row asked for beyond the window, as an index of the window
        self.placing = False  # rows were replaced and the view is not back in place yet: ask for nothing

    @property
    def near_end(self) -> bool:
        return max(self.cursor_row, self.scroll_y + self.size.height) >= self.row_count - NEAR

    @property
    def near_start(self) -> bool:
        return min(self.cursor_row, self.scroll_y) < NEAR

    def check_edges(self) -> None:
        if not self.row_count or self.placing:
            return
        if self.more_below and self.near_end:
            self.post_message(self.NearEnd())
        if self.more_above and self.near_start:
            self.post_message(self.NearStart())

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.check_edges()

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        self.check_edges()

    def place(self, row: int, scroll: float) -> None:
        """After the rows were replaced: the cursor on ``row`` and the view at ``scroll`` (once the table has
        measured its new rows), asking for no page until both are in place."""
        self.placing = True
        self.move_cursor(row=row, scroll=False)

        def placed() -> None:
            self.scroll_to(y=scroll, animate=False, immediate=True)
            self.placing = False
            self.check_edges()

        self.call_after_refresh(placed)

    def _rows_per_page(self) -> int:
        return max(1, self.scrollable_content_region.height - (self.header_height if self.show_header else 0))

    def _step(self, rows: int) -> bool:
        """Move the cursor ``rows`` on from where the last key aimed; False when the table's own move will do."""
        goal = (self.cursor_row if self.target is None else self.target) + rows
        if (goal >= self.row_count and self.more_below) or (goal < 0 and self.more_above):
            self.target = goal
            self.move_cursor(row=max(0, min(goal, self.row_count - 1)))
            self.post_message(self.NearEnd() if rows > 0 else self.NearStart())
            return True
        if self.target is not None:
            self.target = None
            self.move_cursor(row=max(0, min(goal, self.row_count - 1)))
            return True
        return False

    def action_page_down(self) -> None:
        if not self._step(self._rows_per_page()):
            super().action_page_down()

    def action_page_up(self) -> None:
        if not self._step(-self._rows_per_page()):
            super().action_page_up()

    def action_cursor_down(self) -> None:
        if not self._step(1):
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if not self._step(-1):
            super().action_cursor_up()

    def action_scroll_top(self) -> None:
        self.target = None
        self.post_message(self.Jump(to_end=False))

    def action_scroll_bottom(self) -> None:
        self.target = None
        self.post_message(self.Jump(to_end=True))

    action_scroll_home = action_scroll_top  # Home and End: the first and last document, not a column
    action_scroll_end = action_scroll_bottom
