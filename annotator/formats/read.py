"""Reading input paths: plain-text files and folders, JSONL, JSON, CSV and brat folders.

The one place that chooses a reader for a path. Each reader yields ``(where,
AnnotatedDocument)``, ``where`` naming the file (and line) for messages, and
raises InputError on bad input (the checks shared by every reader are in
``guards``). Empty text files found inside a folder are reported as skipped
rather than failing the import.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.formats.brat import is_brat_folder, read_brat_folder
from annotator.formats.csv import read_csv
from annotator.formats.errors import InputError
from annotator.formats.guards import check_document, regular_file
from annotator.formats.inputs import Item, SkipReport
from annotator.formats.jsonl import SystemOutput, read_json, read_jsonl
from annotator.formats.txt import read_txt

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


def read_paths(
    paths: list[Path], encoding: str = "utf-8", on_skip: SkipReport | None = None, system: SystemOutput | None = None
) -> Iterator[Item]:
    """Every document under the given paths, in order, each string checked for what the store cannot hold.

    A file is read by its extension (``.txt``, ``.jsonl``/``.ndjson``, ``.json``,
    ``.csv``); any other file is refused. Folders are read for ``*.txt``, or as
    brat standoff (``<id>.txt`` + ``<id>.ann``) when they hold ``.ann`` files, or
    as the brat parts of a split export (subfolders holding ``.ann`` files). ``system``: JSONL and
    JSON files hold a system's predictions, read as ``SystemOutput`` says.
    """
    for path in paths:
        items = _read_folder(path, encoding, on_skip) if path.is_dir() else _read_file(path, encoding, system)
        for where, ad in items:
            try:
                check_document(ad)
            except ValueError as exc:
                raise InputError(where, str(exc)) from None
            yield where, ad


def _read_folder(folder: Path, encoding: str, on_skip: SkipReport | None) -> Iterator[Item]:
    """A brat folder, a split brat export (train/, dev/, test/), or a folder of ``.txt`` files."""
    if is_brat_folder(folder):
        yield from read_brat_folder(folder, encoding, on_skip)
        return
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
    parts = [] if files else sorted(p for p in folder.iterdir() if p.is_dir() and is_brat_folder(p))
    for part in parts:
        yield from read_brat_folder(part, encoding, on_skip)
    if not files and not parts:
        raise InputError(folder, "is a folder with no .txt files")
    for file in files:
        yield from read_txt(file, encoding, on_skip)


def _read_file(path: Path, encoding: str, system: SystemOutput | None) -> Iterator[Item]:
    """One file named on the command line, by its extension; an empty text file is an error."""
    check_path(path)
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        for lineno, ad in read_jsonl(path, encoding, system):
            yield f"{path}, line {lineno}", ad
    elif suffix == ".json":
        for lineno, ad in read_json(path, encoding, system):
            yield f"{path}, line {lineno}", ad
    elif suffix == ".csv":
        yield from read_csv(path, encoding)
    else:
        yield from read_txt(path, encoding)
