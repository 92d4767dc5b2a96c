"""Direct quotations from quotation marks: every mark style, nesting, paragraphs, bad input.

Marks are paired per paragraph with a stack, so nested quotes stay inside their
outer quote. Marks that can open or close (``"``, ``'``, and ``”``, which Kompas
uses at both ends) are classed by what touches them: after white space or an
opening bracket and before a non-space they open; otherwise they close. A
quotation left open at the end of a paragraph continues only when the next
paragraph starts with an opening mark (the convention for quotes over several
paragraphs); otherwise it ends with its paragraph, so an unbalanced mark can
never swallow the rest of the article.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

import regex

from annotator.model import QUOTATION_MARKS, MarkDirection

# Every mark of the model's table (mark -> family, direction) but ‛, which the pairing has
# never read: pairing it would change the attributor's predictions.
_UNPAIRED = frozenset({"‛"})
_PAIRED = [m for m in QUOTATION_MARKS if m not in _UNPAIRED]
# The two-character TeX marks (``, '') before the single characters, so '' is not read as two '.
_MARK_RE = regex.compile(
    "|".join(regex.escape(m) for m in _PAIRED if len(m) > 1)
    + "|["
    + "".join(regex.escape(m) for m in _PAIRED if len(m) == 1)
    + "]"
)
# The first character of every mark, one class: ``re`` scans the text for it fast, where _MARK_RE's
# alternation is tried at every character (see _marks).
_MARK_START = re.compile("[" + "".join(sorted({re.escape(m[0]) for m in _PAIRED})) + "]")
_LONG_MARKS = [m for m in _PAIRED if len(m) > 1]
_SHORT_MARKS = frozenset(m for m in _PAIRED if len(m) == 1)
# A line break, or a blank line. ``re``, which scans for the line break fast: its \s less \x1c-\x1f
# is the \s of ``regex`` (White_Space), the pattern's first spelling (a test holds them equal).
_PARAGRAPH_RE = re.compile(r"\n[^\S\x1c-\x1f]*\n|\n")
_OPENERS_BEFORE = set("([{—–-/:") | {"“", "‘", "«", "‹", "„"}
_LONGEST_SINGLE = 600  # a single-quoted span longer than this is an apostrophe mix-up
_LONGEST_UNCLOSED = 1000  # an unclosed quote longer than this stops at its first sentence end
# (quotations in news run up to about 900 characters; a longer unclosed one lost its closing mark)
_LONGEST_CARRIED = 8000  # a quote over paragraphs stops growing here (a run of unclosed marks)
# a transcript's speaker label: "WALLACE: ", "SEN. KAINE: " (capitals, then a colon)
SPEAKER_LABEL = regex.compile(r"(\p{Lu}[\p{Lu}\p{M}.’'\-]+(?:[ \t]+\p{Lu}[\p{Lu}\p{M}.’'\-]+){0,3}):[ \t]+")
_SENTENCE_STOP = regex.compile(r"[.!?…](?=\s)")


@dataclass(slots=True)
class Marked:
    """A span between quotation marks, marks included."""

    start: int
    end: int
    family: str
    closed: bool  # False when it ran to the end of its paragraph without a closing mark


def _direction(text: str, i: int, mark: str, possible: MarkDirection) -> Literal["open", "close"] | None:
    """Whether the mark at ``i`` opens or closes a quotation; None for an apostrophe or a mark alone."""
    if possible != "either":
        return possible
    before = text[i - 1] if i > 0 else " "
    after = text[i + len(mark)] if i + len(mark) < len(text) else " "
    if mark in ("’", "'") and before.isalnum() and after.isalnum():
        return None  # apostrophe: don't, Ma’ruf, Jong'un
    opens = before.isspace() or before in _OPENERS_BEFORE
    if opens and not after.isspace():
        return "open"
    if not before.isspace():
        return "close"
    return None  # a mark standing alone between spaces


def quotation_at(marked: list[Marked], starts: list[int], pos: int) -> Marked | None:
    """The quotation of ``marked`` (in text order; ``starts``: their starts, for bisecting) that
    holds ``pos``, if one does."""
    i = bisect.bisect_right(starts, pos) - 1
    return marked[i] if i >= 0 and pos < marked[i].end else None


def find_marked(text: str) -> list[Marked]:
    """Top-level quoted spans of ``text`` (nested quotes are part of their outer span)."""
    out: list[Marked] = []
    paragraphs = _paragraph_bounds(text)
    marks, unread = _marks(text), 0  # every mark, and the first not read yet
    carry: tuple[int, str] | None = None  # an outer quote continuing into the next paragraph
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        stack: list[tuple[int, str, str]] = []  # (offset, mark, family)
        first_open_done = False
        if carry is not None:
            stack.append((carry[0], "", carry[1]))
            carry = None
        while unread < len(marks) and marks[unread][0] < p_start:
            unread += 1
        while unread < len(marks) and marks[unread][0] < p_end:
            at, mark = marks[unread]
            unread += 1
            family, possible = QUOTATION_MARKS[mark]
            if mark == "“" and stack and stack[-1][1] == "„":
                possible = "either"  # German „…“: the high mark closes
            direction = _direction(text, at, mark, possible)
            if direction is None:
                continue
            if family == "single" and mark == "’" and direction == "close" and not any(
                f == "single" for _, _, f in stack
            ):
                continue  # a possessive (voters’) with nothing open
            if (
                direction == "open"
                and stack
                and stack[0][1] == ""
                and not first_open_done
                and len(stack) == 1
                and text[p_start:at].strip() == ""
            ):
                first_open_done = True  # the repeated opening mark of a continued quote
                continue
            first_open_done = True
            if direction == "open":
                stack.append((at, mark, family))
                continue
            # closing mark: pop to the innermost opener of its family
            depth = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][2] == family), None)
            if depth is None:
                continue  # a stray closing mark
            start = stack[depth][0]
            del stack[depth:]
            if depth == 0:
                end = at + len(mark)
                if family == "single" and end - start > _LONGEST_SINGLE:
                    continue
                out.append(Marked(start, end, family, True))
        if stack:
            start, _, family = stack[0]
            nxt = paragraphs[p_index + 1] if p_index + 1 < len(paragraphs) else None
            if (
                nxt is not None and family != "single" and _starts_with_opener(text, nxt[0], nxt[1])
                and not _opens_with_speaker_label(text, nxt[0], nxt[1])
                and nxt[1] - start <= _LONGEST_CARRIED
            ):
                carry = (start, family)
            elif family != "single":
                end = p_end
                if end - start > _LONGEST_UNCLOSED:
                    # a huge paragraph (or none at all): the unclosed quote ends with its sentence
                    stop = _SENTENCE_STOP.search(text, start + 1, min(p_end, start + _LONGEST_UNCLOSED))
                    end = stop.end() if stop else start
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end - start > 1:
                    out.append(Marked(start, end, family, False))
    return out


def _opens_with_speaker_label(text: str, start: int, end: int) -> bool:
    """A transcript line, '"WALLACE: Let's start …': a new speaker, not a quote carried on."""
    m = _MARK_RE.match(text, start, end)
    return m is not None and SPEAKER_LABEL.match(text, m.end(), end) is not None


def _starts_with_opener(text: str, start: int, end: int) -> bool:
    m = _MARK_RE.match(text, start, end)
    if not m:
        return False
    family, possible = QUOTATION_MARKS[m.group()]
    return family != "single" and _direction(text, m.start(), m.group(), possible) == "open"


def _marks(text: str) -> list[tuple[int, str]]:
    """Every mark of ``text`` in order, with where it stands: what a scan with _MARK_RE finds (a
    two-character mark before its first character alone), for all paragraphs at once."""
    out = []
    after = 0  # where the last mark ends: a mark starts no earlier
    for m in _MARK_START.finditer(text):
        at = m.start()
        if at < after:
            continue
        for mark in _LONG_MARKS:
            if text.startswith(mark, at):
                break
        else:
            mark = text[at]
            if mark not in _SHORT_MARKS:
                continue  # the first character of a long mark alone (`)
        out.append((at, mark))
        after = at + len(mark)
    return out


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    pos = 0
    for m in _PARAGRAPH_RE.finditer(text):
        if m.start() > pos:
            bounds.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        bounds.append((pos, len(text)))
    return bounds
