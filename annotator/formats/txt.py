"""Plain-text import: one document per ``.txt`` file, its id the file name without extension."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.formats.inputs import Item, SkipReport, read_normalised, skip_empty, text_document
from annotator.model import AnnotatedDocument


def read_txt(path: Path, encoding: str, on_skip: SkipReport | None = None) -> Iterator[Item]:
    """The document of one text file; an empty file is skipped (``on_skip``) or, without it, an error."""
    text = read_normalised(path, encoding)
    if not text.strip():
        skip_empty(path, on_skip)
        return
    yield str(path), AnnotatedDocument(text_document(path.stem, text, path.name))
