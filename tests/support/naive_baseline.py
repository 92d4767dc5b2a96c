"""A naive quote-pairing baseline, the floor `annotator compare` sets the built-in attributor against.

Each span between two paired quotation marks of a paragraph (the first mark with the second, the third with the
fourth …) is a direct quote, attributed to the capitalised name nearest to it in its sentence, before or after
it. No lexicon: no speech verb, title or pronoun is known. Run over a gold file to write its predictions:

    python -m tests.support.naive_baseline GOLD.jsonl OUT.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import regex

from annotator.formats.jsonl import read_jsonl
from annotator.model import Document, Quote, Span, Speaker

# Double quotation marks only: a single one is as often an apostrophe.
MARK = regex.compile(r'["“”„‟«»]')
PARAGRAPH = regex.compile(r"[^\n]+")
# A run of capitalised words: "Presiden Joko Widodo", "Hillary Clinton".
NAME = regex.compile(r"\p{Lu}[\p{L}\p{M}'’.-]*(?:[ \t]+\p{Lu}[\p{L}\p{M}'’.-]*)*")
SENTENCE_END = regex.compile(r"[.!?]")


def _strip_dot(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in ".'’-":
        end -= 1
    return start, end


def nearest_name(text: str, start: int, end: int, lo: int, hi: int) -> Span | None:
    """The capitalised name nearest to ``[start, end)`` within its sentence, looked for in ``[lo, hi)`` (the
    paragraph): before the quote back to a sentence end, after it up to one; the one after on a tie."""
    ends_before = [m.end() for m in SENTENCE_END.finditer(text, lo, start)]
    before_lo = ends_before[-1] if ends_before else lo
    end_after = SENTENCE_END.search(text, end, hi)
    after_hi = end_after.start() if end_after else hi
    before = [m.span() for m in NAME.finditer(text, before_lo, start)]
    after = NAME.search(text, end, after_hi)
    options = []
    if before:
        s, e = _strip_dot(text, *before[-1])
        options.append((start - e, 1, s, e))
    if after:
        s, e = _strip_dot(text, *after.span())
        options.append((s - end, 0, s, e))
    if not options:
        return None
    _, _, s, e = min(options)
    return Span.of(text, s, e) if e > s else None


def baseline_quotes(text: str) -> list[Quote]:
    """The baseline's quotes for one document text."""
    quotes = []
    for para in PARAGRAPH.finditer(text):
        marks = [m.start() for m in MARK.finditer(text, para.start(), para.end())]
        for open_at, close_at in zip(marks[::2], marks[1::2], strict=False):
            start, end = open_at, close_at + 1
            if close_at - open_at < 2:  # nothing between the marks
                continue
            mention = nearest_name(text, start, end, para.start(), para.end())
            speaker = Speaker(name=mention.text, mention=mention) if mention else None
            quotes.append(Quote(start=start, end=end, text=text[start:end], type="direct", speaker=speaker))
    return quotes


def predictions_line(doc: Document, quotes: list[Quote]) -> str:
    def span(s: Span | None) -> dict | None:
        return None if s is None else {"start": s.start, "end": s.end, "text": s.text}

    return json.dumps({
        "id": doc.id, "lang": doc.lang, "text": doc.text,
        "quotes": [
            {"start": q.start, "end": q.end, "text": q.text, "type": q.type,
             "speaker": None if q.speaker is None else {"name": q.speaker.name, "mention": span(q.speaker.mention)}}
            for q in quotes
        ],
    }, ensure_ascii=False)  # fmt: skip


def run(gold: Path, out: Path) -> int:
    """Write the baseline's predictions for every document of ``gold``; returns how many quotes."""
    total = 0
    with out.open("w", encoding="utf-8") as handle:
        for _, ad in read_jsonl(gold):
            quotes = baseline_quotes(ad.document.text)
            total += len(quotes)
            handle.write(predictions_line(ad.document, quotes) + "\n")
    return total


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m tests.support.naive_baseline GOLD.jsonl OUT.jsonl")
    print(f"{run(Path(sys.argv[1]), Path(sys.argv[2]))} quotes written to {sys.argv[2]}")
