"""Reading input paths: plain-text files and folders, JSONL, CSV and brat folders.

Each reader yields ``(where, AnnotatedDocument)``, ``where`` naming the file
(and line) for messages, and raises InputError on bad input. Empty text files
found inside a folder are reported as skipped rather than failing the import.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from annotator.formats.errors import InputError
from annotator.formats.jsonl import read_jsonl
from annotator.model import AnnotatedDocument, Document
from annotator.text import normalise, sha256

Item = tuple[str, AnnotatedDocument]
SkipReport = Callable[[str, str], None]

TITLE_MAX = 150
_SENTENCE_END = tuple(".!?\"'”’»")


def title_of(text: str) -> str:
    """The title rule for plain text: the first non-blank line when it reads like a
    headline (at most 150 characters, not ending like a sentence); otherwise empty."""
    for line in text.split("\n"):
        line = line.strip()
        if line:
            if len(line) <= TITLE_MAX and not line.endswith(_SENTENCE_END):
                return line
            return ""
    return ""


def decode(path: Path, data: bytes, encoding: str) -> str:
    """File bytes as text, or InputError: binary, or not in the given encoding."""
    if b"\x00" in data:
        raise InputError(path, "looks like a binary file (it contains NUL bytes), not text")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path,
            f"is not valid {encoding} text (byte {data[exc.start]:#04x}); "
            "give its encoding with --encoding, e.g. --encoding cp1252",
            line,
        ) from None
    except LookupError:
        raise InputError(path, f"unknown encoding {encoding!r}") from None


def read_normalised(path: Path, encoding: str) -> str:
    """A whole file as normalised text, or InputError naming it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    return normalise(decode(path, data, encoding))


def read_txt(path: Path, encoding: str, doc_id: str | None = None) -> AnnotatedDocument | None:
    """One document per file, id from the file name; None for an empty file."""
    text = read_normalised(path, encoding)
    if not text.strip():
        return None
    title = title_of(text)
    meta = {"title": title} if title else {}
    meta["source_file"] = path.name
    doc = Document(id=doc_id or path.stem, text=text, meta=meta, sha256=sha256(text))
    return AnnotatedDocument(doc)


def read_csv(path: Path, encoding: str) -> Iterator[Item]:
    """``id,text`` plus optional ``lang`` and metadata columns (title, source, url, date, …)."""
    csv.field_size_limit(sys.maxsize)
    content = read_normalised(path, encoding)
    if not content.strip():
        raise InputError(path, "is empty")
    reader = csv.DictReader(io.StringIO(content, newline=""))
    fields = reader.fieldnames or []
    missing = [c for c in ("id", "text") if c not in fields]
    if missing:
        raise InputError(path, f"has no {' and no '.join(missing)} column (header: {', '.join(fields)})", 1)
    for row in reader:
        where = f"{path}, line {reader.line_num}"
        if None in row:
            raise InputError(path, "has more fields than the header", reader.line_num)
        doc_id = (row.get("id") or "").strip()
        text = row.get("text")
        if not doc_id:
            raise InputError(path, "has a row with an empty id", reader.line_num)
        if text is None or not text.strip():
            raise InputError(path, f"document {doc_id!r} has an empty text", reader.line_num)
        meta = {k: v for k, v in row.items() if k not in ("id", "text", "lang") and v}
        doc = Document(id=doc_id, text=text, lang=row.get("lang") or None, meta=meta, sha256=sha256(text))
        yield where, AnnotatedDocument(doc)


def read_paths(paths: list[Path], encoding: str = "utf-8", on_skip: SkipReport | None = None) -> Iterator[Item]:
    """Every document under the given paths, in order; folders are read for ``*.txt``,
    or as brat standoff (``<id>.txt`` + ``<id>.ann``) when they hold ``.ann`` files, or
    as the brat parts of a split export (subfolders holding ``.ann`` files)."""
    from annotator.formats import brat  # brat reads its text files with this module's decode()

    for path in paths:
        if path.is_dir() and brat.is_brat_folder(path):
            yield from brat.read_brat_folder(path, encoding, on_skip)
        elif path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
            parts = [] if files else sorted(p for p in path.iterdir() if p.is_dir() and brat.is_brat_folder(p))
            for part in parts:  # a split brat export: train/, dev/, test/
                yield from brat.read_brat_folder(part, encoding, on_skip)
            if not files and not parts:
                raise InputError(path, "is a folder with no .txt files")
            for file in files:
                yield from _read_txt_item(file, encoding, on_skip)
        elif not path.exists():
            raise InputError(path, "does not exist")
        else:
            suffix = path.suffix.lower()
            if suffix == ".jsonl":
                for lineno, ad in read_jsonl(path, encoding):
                    yield f"{path}, line {lineno}", ad
            elif suffix == ".csv":
                yield from read_csv(path, encoding)
            else:
                item = _read_txt_item(path, encoding, None)
                yield from item


def _read_txt_item(path: Path, encoding: str, on_skip: SkipReport | None) -> Iterator[Item]:
    ad = read_txt(path, encoding)
    if ad is None:
        if on_skip is None:
            raise InputError(path, "is empty")
        on_skip(str(path), "empty file")
        return
    yield str(path), ad
