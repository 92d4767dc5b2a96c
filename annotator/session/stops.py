"""Where a quote's boundary may stop when it moves by one word, and where the cursor's word keys land."""

from __future__ import annotations

import bisect

from annotator.model import CLOSING_MARKS, OPENING_MARKS
from annotator.text import tokens

_OPENING = OPENING_MARKS | set("([")
_CLOSING = CLOSING_MARKS | set(")]")


class WordStops:
    """Where a quote may start or end when its boundary moves by one word.

    A start is a token start, pulled left over an attached opening quotation
    mark; an end is a token end, pushed right over attached punctuation up to
    a closing quotation mark (``kemenangan,”``), so direct quotes keep their marks.
    """

    def __init__(self, text: str):
        starts, ends = [], []
        self.token_starts = []
        for s, e in tokens(text):
            self.token_starts.append(s)
            i = s
            while i > 0 and not text[i - 1].isspace() and not text[i - 1].isalnum():
                i -= 1
            run = text[i:s]
            first = next((k for k, ch in enumerate(run) if ch in _OPENING), None)
            starts.append(i + first if first is not None else s)
            j = e
            while j < len(text) and not text[j].isspace() and not text[j].isalnum():
                j += 1
            run = text[e:j]
            last = max((k for k, ch in enumerate(run) if ch in _CLOSING), default=None)
            ends.append(e + last + 1 if last is not None else e)
        self.starts = sorted(set(starts))
        self.ends = sorted(set(ends))

    def start_left(self, start: int) -> int | None:
        i = bisect.bisect_left(self.starts, start)
        return self.starts[i - 1] if i else None

    def start_right(self, start: int, end: int) -> int | None:
        i = bisect.bisect_right(self.starts, start)
        return self.starts[i] if i < len(self.starts) and self.starts[i] < end else None

    def end_left(self, start: int, end: int) -> int | None:
        i = bisect.bisect_left(self.ends, end)
        return self.ends[i - 1] if i and self.ends[i - 1] > start else None

    def end_right(self, end: int) -> int | None:
        i = bisect.bisect_right(self.ends, end)
        return self.ends[i] if i < len(self.ends) else None

    def word_left(self, pos: int) -> int:
        i = bisect.bisect_left(self.token_starts, pos)
        return self.token_starts[i - 1] if i else 0

    def word_right(self, pos: int, length: int) -> int:
        i = bisect.bisect_right(self.token_starts, pos)
        return self.token_starts[i] if i < len(self.token_starts) else length
