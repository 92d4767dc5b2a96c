"""Where a quote's boundary may stop when it moves by one word or one clause, and where the cursor's word keys
land."""

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
        # A clause ends where punctuation (, ; : . ! ? …) or a line end follows a word; it starts after one.
        self.clause_ends = [e for e in self.ends if _before_clause_mark(text, e)]
        self.clause_starts = [s for s in self.starts if _after_clause_mark(text, s)]

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

    def clause_end_right(self, end: int) -> int | None:
        """The end of the clause or sentence after ``end`` (the punctuation that ends it stays out)."""
        i = bisect.bisect_right(self.clause_ends, end)
        return self.clause_ends[i] if i < len(self.clause_ends) else None

    def clause_start_left(self, start: int) -> int | None:
        """The start of the clause or sentence before ``start``."""
        i = bisect.bisect_left(self.clause_starts, start)
        return self.clause_starts[i - 1] if i else None

    def clause_end_left(self, start: int, end: int) -> int | None:
        """The end of the last clause that ends before ``end`` and after ``start`` (the quote narrows)."""
        i = bisect.bisect_left(self.clause_ends, end)
        return self.clause_ends[i - 1] if i and self.clause_ends[i - 1] > start else None

    def clause_start_right(self, start: int, end: int) -> int | None:
        """The start of the first clause that starts after ``start`` and before ``end`` (the quote narrows)."""
        i = bisect.bisect_right(self.clause_starts, start)
        return self.clause_starts[i] if i < len(self.clause_starts) and self.clause_starts[i] < end else None

    def word_left(self, pos: int) -> int:
        i = bisect.bisect_left(self.token_starts, pos)
        return self.token_starts[i - 1] if i else 0

    def word_right(self, pos: int, length: int) -> int:
        i = bisect.bisect_right(self.token_starts, pos)
        return self.token_starts[i] if i < len(self.token_starts) else length


_CLAUSE_MARKS = set(",;:.!?…")


def _before_clause_mark(text: str, end: int) -> bool:
    """Whether a clause mark, a line end or the end of the text comes right after ``end``."""
    return end >= len(text) or text[end] in _CLAUSE_MARKS or text[end] == "\n"


def _after_clause_mark(text: str, start: int) -> bool:
    """Whether only white space (and opening marks) stands between ``start`` and a clause mark, a line start
    or the start of the text before it."""
    i = start
    while i > 0 and (text[i - 1] in " \t" or text[i - 1] in _OPENING):
        i -= 1
    return i == 0 or text[i - 1] in _CLAUSE_MARKS or text[i - 1] == "\n"
