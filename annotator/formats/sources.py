"""Reading input paths: plain-text files and folders, JSONL, JSON, CSV and brat folders.

Each reader yields ``(where, AnnotatedDocument)``, ``where`` naming the file
(and line) for messages, and raises InputError on bad input (the checks shared
by every reader are in ``guards``). Empty text files found inside a folder are
reported as skipped rather than failing the import.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from annotator.formats.errors import InputError
from annotator.formats.guards import check_document, decode, regular_file
from annotator.formats.jsonl import read_json, read_jsonl
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


def read_normalised(path: Path, encoding: str) -> str:
    """A whole regular file as normalised text, or InputError naming it."""
    regular_file(path)
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
    """``id,text`` plus optional ``lang`` and metadata columns (title, source, url, date, …).

    Strict RFC 4180: every header cell named, no name twice, every row as many
    cells as the header, and every quoted cell closed where a cell may end — an
    unclosed quotation mark would otherwise swallow the rest of the file into one cell.
    """
    csv.field_size_limit(sys.maxsize)
    content = read_normalised(path, encoding)
    if not content.strip():
        raise InputError(path, "is empty")
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    header = _csv_record(path, content, reader) or []
    columns: dict[str, int] = {}
    for n, name in enumerate(header, 1):
        if not name.strip():
            raise InputError(path, f"has a header whose column {n} has no name", 1)
        if name in columns:
            raise InputError(path, f"has two columns named {name!r} (columns {columns[name]} and {n})", 1)
        columns[name] = n
    missing = [c for c in ("id", "text") if c not in columns]
    if missing:
        separator = "; are its cells separated by ';' or tabs? commas are read" if len(header) == 1 else ""
        raise InputError(path, f"has no {' and no '.join(missing)} column (header: {', '.join(header)}){separator}", 1)
    while True:
        line = reader.line_num + 1  # where the next record starts
        row = _csv_record(path, content, reader)
        if row is None:
            return
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line
        if len(row) != len(header):
            more = "more" if len(row) > len(header) else "fewer"
            raise InputError(
                path, f"has a row of {len(row)} cells, {more} than the {len(header)} columns of the header", line
            )
        cells = dict(zip(header, row, strict=True))
        doc_id = cells["id"].strip()
        text = cells["text"]
        if not doc_id:
            raise InputError(path, "has a row with an empty id", line)
        if not text.strip():
            raise InputError(path, f"document {doc_id!r} has an empty text", line)
        meta = {k: v for k, v in cells.items() if k not in ("id", "text", "lang") and v}
        doc = Document(id=doc_id, text=text, lang=cells.get("lang") or None, meta=meta, sha256=sha256(text))
        yield f"{path}, line {line}", AnnotatedDocument(doc)


def _csv_record(path: Path, content: str, reader) -> list[str] | None:
    """The next record, None at the end, or InputError naming the line where a bad quotation mark opened."""
    line = reader.line_num + 1
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        opened = _open_quote_line(content, line)
        if str(exc) == "unexpected end of data":
            raise InputError(path, "has a quotation mark that is never closed (the rest of the file would be one cell)",
                             opened) from None
        raise InputError(
            path, f"has a quoted cell that does not end where a cell may end ({exc}, line {reader.line_num}); "
            'a quotation mark is missing, or one inside a cell is not doubled ("")', opened,
        ) from None


def _open_quote_line(content: str, line: int) -> int:
    """The line of the quotation mark that opened the cell in trouble, scanning from the record starting at ``line``."""
    pos = 0
    for _ in range(line - 1):
        pos = content.index("\n", pos) + 1
    opened = pos
    while (quote := content.find('"', pos)) != -1:
        if quote == pos or content[quote - 1] in ",\n":  # a cell starting with a quotation mark
            opened = quote
            close = quote + 1
            while (close := content.find('"', close)) != -1 and content.startswith('""', close):
                close += 2
            if close == -1 or content[close + 1 : close + 2] not in ("", ",", "\n"):
                break  # never closed, or closed in the middle of a cell
            pos = close + 1
        else:
            pos = quote + 1
    return content.count("\n", 0, opened) + 1


FILE_TYPES = frozenset({".txt", ".jsonl", ".ndjson", ".json", ".csv"})


def check_path(path: Path) -> None:
    """Refuse a path no reader takes (missing, not a regular file, an unknown type) before
    anything is read, or a database opened for it."""
    if path.is_dir():
        return
    regular_file(path)
    suffix = path.suffix.lower()
    if suffix == ".ann":
        raise InputError(path, "is a brat annotation file; import the folder that holds it with its .txt files")
    if suffix not in FILE_TYPES:
        raise InputError(
            path, "is not a file type the import reads (.txt for plain text, .jsonl, .json, .csv, or a folder); "
            "a plain-text article needs the extension .txt"
        )


def read_paths(paths: list[Path], encoding: str = "utf-8", on_skip: SkipReport | None = None) -> Iterator[Item]:
    """Every document under the given paths, in order, each string checked for what the store cannot hold.

    A file is read by its extension (``.txt``, ``.jsonl``/``.ndjson``, ``.json``,
    ``.csv``); any other file is refused. Folders are read for ``*.txt``, or as
    brat standoff (``<id>.txt`` + ``<id>.ann``) when they hold ``.ann`` files, or
    as the brat parts of a split export (subfolders holding ``.ann`` files).
    """
    for where, ad in _read_paths(paths, encoding, on_skip):
        try:
            check_document(ad)
        except ValueError as exc:
            raise InputError(where, str(exc)) from None
        yield where, ad


def _read_paths(paths: list[Path], encoding: str, on_skip: SkipReport | None) -> Iterator[Item]:
    from annotator.formats import brat  # brat reads its text files with this module's helpers

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
        else:
            check_path(path)
            suffix = path.suffix.lower()
            if suffix in (".jsonl", ".ndjson"):
                for lineno, ad in read_jsonl(path, encoding):
                    yield f"{path}, line {lineno}", ad
            elif suffix == ".json":
                for lineno, ad in read_json(path, encoding):
                    yield f"{path}, line {lineno}", ad
            elif suffix == ".csv":
                yield from read_csv(path, encoding)
            else:
                yield from _read_txt_item(path, encoding, None)


def _read_txt_item(path: Path, encoding: str, on_skip: SkipReport | None) -> Iterator[Item]:
    ad = read_txt(path, encoding)
    if ad is None:
        if on_skip is None:
            raise InputError(path, "is empty")
        on_skip(str(path), "empty file")
        return
    yield str(path), ad
