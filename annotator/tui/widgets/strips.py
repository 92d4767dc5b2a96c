"""Lines of rich text drawn as strips, and the bounded caches the line-by-line widgets keep them in."""

from __future__ import annotations

from collections.abc import Hashable

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip


def text_strip(text: Text, console: Console, base: Style, width: int) -> Strip:
    """One line of rich text as a strip exactly ``width`` cells wide, its styles laid over ``base``."""
    segments = [Segment(seg.text, base + seg.style if seg.style else base) for seg in text.render(console)]
    return Strip(segments).crop_extend(0, width, base)


class StripCache(dict[Hashable, Strip]):
    """Drawn lines by what they show; emptied when it grows past ``limit``, so memory stays bounded."""

    def __init__(self, limit: int = 2000) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key: Hashable, strip: Strip) -> Strip:
        if len(self) > self.limit:
            self.clear()
        self[key] = strip
        return strip
