"""CoNLL export: one token per line with BIO tags for QUOTE, CUE and SPEAKER.

Layout (tab-separated, UTF-8)::

    # global.columns = TOKEN START END QUOTE CUE SPEAKER
    # doc_id = 000_23ba7202a52b5d15          ← starts each document (in header
                                               values, \\, line breaks and control
                                               characters are written \\uXXXX)
    # title = …                              (when the document has one)
    # lang = id                              (when known)
    # labels = annotator dina                (or: run builtin)
    # quotes = 18
    Kantor	604	610	O	O	B-SPEAKER
    …
                                             ← a blank line ends each sentence

- Tokens are the ``\\w+`` runs of the text (``annotator.text.tokens``), the
  token definition of the evaluation metrics, so punctuation is not a token
  and ``14.000`` is two. START/END are code-point offsets into the document
  text, half-open.
- A token carries a tag when it overlaps the span (the metrics' convention:
  ``Menurutnya`` is a CUE token and a SPEAKER token when the cue is ``Menurut``
  and the mention ``nya``). One column per layer: QUOTE for quote spans, CUE
  for cues, SPEAKER for the mentions that attribute quotes.
- Nested or overlapping spans of one layer: a token belongs to the span that
  starts first (the longer one on a tie); B- marks the first token of each
  span's run, so a quote nested in another is folded into the outer one.
- Sentences: a break falls between two tokens when the gap between them holds
  a line break, or sentence-final punctuation (``. ! ? …``, possibly followed
  by closing quotes or brackets) then white space before a token that starts
  with a capital or a digit (or an opening quote) — except after a single
  letter or a common abbreviation (``Dr.``, ``Jl.``, ``Jend.``, …). No break is
  ever placed inside a quote, cue or speaker span, so a multi-sentence quotation
  stays one sentence and every tag run lies within one sentence.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from importlib import resources
from typing import IO

import regex

from annotator.model import AnnotatedDocument, Owner
from annotator.text import tokens

COLUMNS = ("TOKEN", "START", "END", "QUOTE", "CUE", "SPEAKER")
_FINAL = regex.compile(r"[.!?…][\"'”’»)\]]*\s")
_OPENING = tuple("\"'“‘«([")
# Words whose period ends no sentence: data (abbreviations.txt), read once, so that no language is written here
ABBREVIATIONS = frozenset(
    line.strip().casefold()
    for line in (resources.files("annotator.formats") / "abbreviations.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)


# A backslash, and every character some reader ends a line at (str.splitlines's set) or
# cannot show (C0/C1 controls): written as \uXXXX in header comments, so any id or title
# stays on its one line and reads back exactly.
_HEADER_ESCAPE = regex.compile("[\\\\\x00-\x1f\x7f-\x9f\u2028\u2029]")


def header_value(value: str) -> str:
    """A header comment's value on one line, reversibly (``\\`` is ``\\u005c``)."""
    return _HEADER_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def bio(toks: list[tuple[int, int]], spans: list[tuple[int, int]], label: str) -> list[str]:
    """BIO tags of ``toks`` for ``spans``: overlap rule, the earliest (then longest) span wins."""
    owner = [-1] * len(toks)
    starts = [s for s, _ in toks]
    ends = [e for _, e in toks]
    for k, (s, e) in enumerate(sorted(set(spans), key=lambda se: (se[0], -se[1]))):
        if s >= e:
            continue
        first = bisect_right(ends, s)  # first token ending after s
        last = bisect_left(starts, e)  # tokens before this start before e
        for i in range(first, last):
            if owner[i] == -1:
                owner[i] = k
    tags = []
    for i, k in enumerate(owner):
        if k == -1:
            tags.append("O")
        elif i > 0 and owner[i - 1] == k:
            tags.append(f"I-{label}")
        else:
            tags.append(f"B-{label}")
    return tags


def sentence_breaks(text: str, toks: list[tuple[int, int]], spans: list[tuple[int, int]]) -> set[int]:
    """Indices i such that a sentence ends after token i."""
    protected = bytearray(len(toks))  # 1: no break after this token
    starts = [s for s, _ in toks]
    ends = [e for _, e in toks]
    for s, e in spans:
        first = bisect_right(ends, s)
        last = bisect_left(starts, e) - 1
        for i in range(first, last):
            protected[i] = 1
    breaks = set()
    for i in range(len(toks) - 1):
        if protected[i]:
            continue
        gap_start, gap_end = toks[i][1], toks[i + 1][0]
        gap = text[gap_start:gap_end]
        if "\n" in gap:
            breaks.add(i)
            continue
        m = _FINAL.search(gap)
        if m is None:
            continue
        nxt = text[gap_end]
        if not (nxt.isupper() or nxt.isdigit() or gap.rstrip().endswith(_OPENING)):
            continue
        if gap[m.start()] == "." and m.start() == 0:
            word = text[toks[i][0] : toks[i][1]]
            if len(word) == 1 or word.casefold() in ABBREVIATIONS:
                continue
        breaks.add(i)
    return breaks


def document_lines(ad: AnnotatedDocument, owner: Owner) -> list[str]:
    doc = ad.document
    text = doc.text
    lines = [f"# doc_id = {header_value(doc.id)}"]
    if doc.title:
        lines.append(f"# title = {header_value(doc.title)}")
    if doc.lang:
        lines.append(f"# lang = {header_value(doc.lang)}")
    lines.append(f"# labels = {owner.kind} {header_value(owner.name)}")
    lines.append(f"# quotes = {len(ad.quotes)}")
    toks = list(tokens(text))
    quote_spans = [(q.start, q.end) for q in ad.quotes]
    cue_spans = [(q.cue.start, q.cue.end) for q in ad.quotes if q.cue]
    speaker_spans = [
        (q.speaker.mention.start, q.speaker.mention.end)
        for q in ad.quotes
        if q.speaker and q.speaker.mention
    ]
    q_tags = bio(toks, quote_spans, "QUOTE")
    c_tags = bio(toks, cue_spans, "CUE")
    s_tags = bio(toks, speaker_spans, "SPEAKER")
    breaks = sentence_breaks(text, toks, quote_spans + cue_spans + speaker_spans)
    for i, (s, e) in enumerate(toks):
        lines.append(f"{text[s:e]}\t{s}\t{e}\t{q_tags[i]}\t{c_tags[i]}\t{s_tags[i]}")
        if i in breaks:
            lines.append("")
    lines.append("")
    return lines


class ConllWriter:
    """Streams documents to an open text handle."""

    def __init__(self, handle: IO[str], owner: Owner):
        self.handle = handle
        self.owner = owner
        self.quotes = 0
        handle.write(f"# global.columns = {' '.join(COLUMNS)}\n")

    def write(self, ad: AnnotatedDocument) -> None:
        self.handle.write("\n".join(document_lines(ad, self.owner)))
        self.handle.write("\n")
        self.quotes += len(ad.quotes)

    def close(self) -> None:
        pass
