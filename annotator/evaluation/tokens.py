"""Token coverage of spans for the token metric, tokenising only the stretches of text that spans touch.

Tokens are the ``\\w+`` runs of the whole document text (annotator.text.tokens);
a token belongs to a span when it overlaps the span. Tokenising a 5,000-character
article to score three quotes wastes most of the time, so the spans are merged into
stretches (spans less than ``SLACK`` characters apart join one stretch: a quote, its
cue and its speaker's mention are one), each stretch is widened to the word
boundaries around it, and only those stretches are tokenised. The tokens found are
the document's tokens that overlap some span, plus the few between spans of one
stretch, which no span overlaps and so change no count.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

import regex

# One match over a stretch records every token as a capture: their offsets come out as two lists in one call.
_TOKENS = regex.compile(r"(?:\W*+(\w++))*+")
_WORD_BEFORE = regex.compile(r"\w*", flags=regex.REVERSE)
_WORD_AFTER = regex.compile(r"\w*")
SLACK = 64  # characters: tokenising a short gap costs less than a stretch of its own


class TokenIndex:
    """Document tokens overlapping a set of spans (and a few between them), as sorted start and end offsets."""

    __slots__ = ("ends", "starts")

    def __init__(self, text: str, spans: Sequence[tuple[int, int]]):
        starts: list[int] = []
        ends: list[int] = []
        stretch: list[int] | None = None  # [start, end] of the stretch being gathered
        for s, e in sorted(spans):
            if e <= s:
                continue
            if stretch is None or s > stretch[1] + SLACK:
                if stretch is not None:
                    self._tokenise(text, *stretch, starts, ends)
                stretch = [s, e]
            elif e > stretch[1]:
                stretch[1] = e
        if stretch is not None:
            self._tokenise(text, *stretch, starts, ends)
        self.starts = starts
        self.ends = ends

    @staticmethod
    def _tokenise(text: str, s: int, e: int, starts: list[int], ends: list[int]) -> None:
        """Appends the tokens of the stretch [s, e) widened to the word boundaries around it (but for a token
        already appended: a word longer than SLACK can reach back into the stretch before)."""
        s = _WORD_BEFORE.match(text, 0, s).start()
        if ends and ends[-1] > s:
            s = ends[-1]
        e = _WORD_AFTER.match(text, e).end()
        m = _TOKENS.match(text, s, e)
        starts += m.starts(1)
        ends += m.ends(1)

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
