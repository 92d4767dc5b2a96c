"""Token coverage of spans for the token metric, tokenising only the stretches of text that quotes touch.

Tokens are the ``\\w+`` runs of the whole document text (annotator.text.tokens);
a token belongs to a span when it overlaps the span. Tokenising a 5,000-character
article to score three quotes wastes most of the time, so each span is widened to
the word boundaries around it, the widened spans are merged, and only those
stretches are tokenised: the tokens found are exactly the document's tokens that
overlap some span.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

import regex

_TOKEN = regex.compile(r"\w+")
_WORD_CHAR = regex.compile(r"\w")


class TokenIndex:
    """The document tokens overlapping a set of spans, as sorted start and end offsets."""

    __slots__ = ("ends", "starts")

    def __init__(self, text: str, spans: Sequence[tuple[int, int]]):
        widened = []
        for s, e in spans:
            if e <= s:
                continue
            while s > 0 and _WORD_CHAR.match(text, s - 1):
                s -= 1
            n = len(text)
            while e < n and _WORD_CHAR.match(text, e):
                e += 1
            widened.append((s, e))
        widened.sort()
        starts: list[int] = []
        ends: list[int] = []
        cur_s = cur_e = -1
        for s, e in [*widened, (1 << 62, 1 << 62)]:
            if s > cur_e:
                if cur_e > cur_s:
                    spans_found = [m.span() for m in _TOKEN.finditer(text, cur_s, cur_e)]
                    starts.extend(a for a, _ in spans_found)
                    ends.extend(b for _, b in spans_found)
                cur_s, cur_e = s, e
            elif e > cur_e:
                cur_e = e
        self.starts = starts
        self.ends = ends

    def range(self, start: int, end: int) -> tuple[int, int]:
        """Indices ``[i, j)`` of the tokens overlapping ``[start, end)``."""
        if end <= start:
            return (0, 0)
        i = bisect_right(self.ends, start)
        j = bisect_left(self.starts, end)
        return (i, j) if j > i else (i, i)


def covered(merged: Sequence[tuple[int, int]], i: int, j: int) -> int:
    """How many of the indices ``[i, j)`` fall inside the merged ranges."""
    n = 0
    for a, b in merged:
        if a >= j:
            break
        lo, hi = max(a, i), min(b, j)
        if hi > lo:
            n += hi - lo
    return n
