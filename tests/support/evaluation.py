"""Small builders for evaluation tests: documents and quotes from offsets or substrings."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.model import AnnotatedDocument, Document, Quote, Span, Speaker


def at(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of ``sub`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def quote(
    text: str,
    span: tuple[int, int],
    type: str = "direct",
    speaker: str | None = None,
    aliases: tuple[str, ...] = (),
    mention: tuple[int, int] | None = None,
    cue: tuple[int, int] | None = None,
    role: str | None = None,
) -> Quote:
    sp = None
    if speaker is not None:
        sp = Speaker(
            name=speaker,
            aliases=tuple(aliases),
            mention=Span.of(text, *mention) if mention else None,
        )
    s, e = span
    return Quote(
        start=s, end=e, text=text[s:e], type=type, speaker=sp,
        cue=Span.of(text, *cue) if cue else None, role=role,
    )  # fmt: skip


def doc(doc_id: str, text: str, *quotes: Quote) -> AnnotatedDocument:
    return AnnotatedDocument(Document(id=doc_id, text=text), list(quotes))


def figures(obj):
    """Every figure (float or None) in a result object, with its path, skipping raw counts and names."""
    if isinstance(obj, str):
        return
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == "counts":
                continue
            for path, fig in figures(value):
                yield (key, *path), fig
    else:
        yield (), obj


def quote_dict(text: str, sub: str, speaker: str | None = None, type: str | None = None,
               cue: str | None = None) -> dict:
    """A quote in the interchange format, at the first ``sub`` of ``text`` (for JSONL files)."""
    s, e = at(text, sub)
    out: dict = {"start": s, "end": e}
    if speaker:
        out["speaker"] = {"name": speaker}
    if type:
        out["type"] = type
    if cue:
        cs, ce = at(text, cue)
        out["cue"] = {"start": cs, "end": ce}
    return out


def one_document_file(path: Path, text: str, quotes: list[dict], doc_id: str = "berita-1") -> Path:
    """A JSONL file of one document and its quotes (as ``quote_dict`` writes them), for the CLI tests."""
    line = json.dumps({"id": doc_id, "text": text, "quotes": quotes}, ensure_ascii=False)
    path.write_text(line + "\n", encoding="utf-8")
    return path
