"""Span arithmetic of the metrics (docs/metrics.md): edge normalisation, overlap and union of spans,
and the keys that speaker and role comparisons use."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import regex

# Quotation marks stripped besides Unicode categories Pi and Pf; `,.:;` and white
# space too. A single backtick is kept: only the doubled ``` `` ``` is a quote mark.
# This set is part of the metric's definition (docs/metrics.md, "Edge normalisation"), so it
# is not derived from annotator.model.QUOTATION_MARKS: that table also holds ‚ 「 」 『 』
# (categories Ps and Pe), which the metric keeps, and a mark added there for the attributor
# must not change published scores.
_EXTRA_EDGE = frozenset("\"'„‟«»‹›,.:;")


@lru_cache(maxsize=4096)
def _is_edge(ch: str) -> bool:
    return ch.isspace() or ch in _EXTRA_EDGE or unicodedata.category(ch) in ("Pi", "Pf")


def edge_normalise(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` of ``text`` past quotation marks, white space and ``, . : ;`` at both ends.

    Repeated until neither end changes, so ``“Ya,” `` and ``Ya`` give the same
    span. A span that normalises to nothing comes back empty (``start == end``).
    """
    while start < end:
        ch = text[start]
        if _is_edge(ch):
            start += 1
        elif ch == "`" and start + 1 < end and text[start + 1] == "`":
            start += 2
        else:
            break
    while end > start:
        ch = text[end - 1]
        if _is_edge(ch):
            end -= 1
        elif ch == "`" and end - 2 >= start and text[end - 2] == "`":
            end -= 2
        else:
            break
    return start, end


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A speaker name as compared: case-folded, white space collapsed, nothing more (docs/metrics.md §11.5)."""
    return " ".join(name.casefold().split())


_ROLE_EDGE = regex.compile(r"^[\p{P}\s]+|[\p{P}\s]+$")
_WORD = regex.compile(r"\w+")


@lru_cache(maxsize=65536)
def role_key(role: str | None) -> str:
    """A role as compared for exact accuracy: case-folded, white space collapsed, surrounding punctuation
    (Unicode category P) and white space stripped; symbols and inner punctuation kept (docs/metrics.md §11.4).
    Cached: an evaluation compares the same few roles over and over."""
    if not role:
        return ""
    return _ROLE_EDGE.sub("", " ".join(role.casefold().split()))


def role_tokens(role: str | None) -> list[str]:
    """The bag of case-folded ``\\w+`` tokens of a role."""
    return _WORD.findall(role.casefold()) if role else []


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters shared by two half-open spans (0 when they only touch)."""
    n = min(a_end, b_end) - max(a_start, b_start)
    return n if n > 0 else 0


def merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted disjoint union of half-open ranges (character offsets or token indices); touching ranges join."""
    out: list[tuple[int, int]] = []
    for i, j in sorted(r for r in spans if r[1] > r[0]):
        if out and i <= out[-1][1]:
            if j > out[-1][1]:
                out[-1] = (out[-1][0], j)
        else:
            out.append((i, j))
    return out
