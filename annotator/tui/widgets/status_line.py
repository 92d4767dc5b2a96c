"""The one-line status under a screen: what the last key did, or why it did nothing (with the bell)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from annotator.text import display_safe


class StatusLine(Static):
    """Messages name untrusted things (quotes, names, ids): shown as text, control characters made visible."""

    def say(self, message: str, error: bool = False) -> None:
        self.update(Text(display_safe(message), style="bold red" if error else ""), layout=False)
        if error:
            self.app.bell()
