"""Reading input paths: plain-text files and folders, JSONL, JSON (and Label Studio exports), CSV and brat folders.

The one place that chooses a reader for a path. Each reader yields ``(where,
AnnotatedDocument)``, ``where`` naming the file (and line) for messages, and
raises InputError on bad input (the checks shared by every reader are in
``guards``). Empty text files found inside a folder are reported as skipped
rather than failing the import.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.formats.brat import is_brat_folder, read_brat_folder
from annotator.formats.csv import read_csv
from annotator.formats.errors import InputError
from annotator.formats.guards import check_document, decode, regular_file
from annotator.formats.inputs import Item, SkipReport, read_bytes
from annotator.formats.jsonl import SystemOutput, read_json, read_jsonl
from annotator.formats.label_studio import (
    LabelNames,
    LabelStudioReading,
    looks_like_tasks,
    read_by_annotator,
    read_label_studio,
)
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
    paths: list[Path], encoding: str = "utf-8", on_skip: SkipReport | None = None, system: SystemOutput | None = None,
    label_studio: LabelStudioReading | None = None,
) -> Iterator[Item]:
    """Every document under the given paths, in order, each string checked for what the store cannot hold.

    A file is read by its extension (``.txt``, ``.jsonl``/``.ndjson``, ``.json``,
    ``.csv``); any other file is refused. Folders are read for ``*.txt``, or as
    brat standoff (``<id>.txt`` + ``<id>.ann``) when they hold ``.ann`` files, or
    as the brat parts of a split export (subfolders holding ``.ann`` files). ``system``: JSONL and
    JSON files hold a system's predictions, read as ``SystemOutput`` says. A ``.json`` file that is a
    Label Studio export is read as ``label_studio`` says (default: each task's first annotation).
    """
    for path in paths:
        if path.is_dir():
            items = _read_folder(path, encoding, on_skip)
        else:
            items = _read_file(path, encoding, system, label_studio or LabelStudioReading())
        yield from checked(items)


def checked(items: Iterable[Item]) -> Iterator[Item]:
    """The items, each document's strings checked for what the store cannot hold."""
    for where, ad in items:
        try:
            check_document(ad)
        except ValueError as exc:
            raise InputError(where, str(exc)) from None
        yield where, ad


def read_label_studio_by_annotator(
    path: Path, encoding: str, names: LabelNames
) -> tuple[list[Item], dict[str, list[Item]]]:
    """A Label Studio export's documents, and each annotator's labels on them, all checked."""
    documents, layers = read_by_annotator(path, encoding, names)
    return list(checked(documents)), {name: list(checked(items)) for name, items in layers.items()}


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


def _read_file(
    path: Path, encoding: str, system: SystemOutput | None, label_studio: LabelStudioReading
) -> Iterator[Item]:
    """One file named on the command line, by its extension; an empty text file is an error."""
    check_path(path)
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        for lineno, ad in read_jsonl(path, encoding, system):
            yield f"{path}, line {lineno}", ad
    elif suffix == ".json":  # read once: its first object says which reader takes it
        text = decode(path, read_bytes(path), encoding)
        if looks_like_tasks(text):
            yield from read_label_studio(path, encoding, label_studio, text)
        else:
            for lineno, ad in read_json(path, encoding, system, text):
                yield f"{path}, line {lineno}", ad
    elif suffix == ".csv":
        yield from read_csv(path, encoding)
    else:
        yield from read_txt(path, encoding)
