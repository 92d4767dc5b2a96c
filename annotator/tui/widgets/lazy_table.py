"""A table of the documents screen that asks for its next page when the cursor or the scroll nears its end."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import DataTable


class LazyTable(DataTable):
    """A table that asks for more rows when its cursor or its scroll comes near the last loaded row."""

    class NearEnd(Message):
        pass

    @property
    def near_end(self) -> bool:
        return max(self.cursor_row, self.scroll_y + self.size.height) >= self.row_count - 20

    def _check_end(self) -> None:
        if self.row_count and self.near_end:
            self.post_message(self.NearEnd())

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._check_end()

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        self._check_end()
