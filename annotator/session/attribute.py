"""``annotator attribute``: interchange JSONL in, the same lines with the built-in attributor's quotes out.

No database. Each line is read as ``import`` reads it (formats/jsonl.py, quotes it brings included)
and its quotes are replaced by ``attribute_records``'s, the quotes ``predict`` stores for that document.
Lines go out in input order as soon as they and the lines before them are done, so memory stays flat
whatever the input's size; with ``jobs`` > 1, worker processes attribute chunks of lines
(session/workers.py). A file OUT is written as an export writes one (formats/outputs.py): beside itself,
renamed into place when the last line is done, so a bad line leaves nothing half-written, and a file
no earlier run wrote is replaced only with ``force``. Standard output is a stream: the lines before a
bad one have gone out.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any

from annotator.attribution import attribute_records
from annotator.formats.errors import InputError
from annotator.formats.guards import parse_json
from annotator.formats.jsonl import input_encoding, open_input, parse_document, text_lines
from annotator.formats.outputs import ExportError, Guard, atomic_file, check_file_target, repair
from annotator.session.workers import ordered_map

STANDARD_INPUT = "standard input"
CHUNK = 8  # lines a worker takes at a time: few enough that memory stays small with long documents


@dataclass(frozen=True)
class AttributeOptions:
    """The attributor's options, as ``predict`` takes them."""

    language: str | None = None
    scope: str = "all"
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class BadLine:
    """An input line that holds no document, and why: the first one ends the run."""

    line: int
    message: str


# An output line (UTF-8, with its line break) and how many quotes it holds.
Output = tuple[bytes, int]


@dataclass
class Attributed:
    documents: int = 0
    quotes: int = 0


def attribute_file(
    source: str,
    target: Path | None,
    options: AttributeOptions,
    guard: Guard,
    *,
    jobs: int = 1,
    encoding: str = "utf-8",
    on_document: Callable[[], object] | None = None,
) -> Attributed:
    """Attribute the documents of ``source`` (a path, or ``-`` for standard input) into ``target``
    (None: standard output). InputError names a bad line; ExportError says why ``target`` cannot be
    written; neither leaves a half-written ``target``."""
    if target is not None:
        check_file_target(target, guard)  # before the work, not only after it (atomic_file checks again)
    with ExitStack() as stack:
        name: str | Path = STANDARD_INPUT if source == "-" else Path(source)
        raw = sys.stdin.buffer if source == "-" else stack.enter_context(open_input(Path(source)))
        encoding = input_encoding(raw, name, encoding)
        work = partial(attribute_lines, options, codecs.lookup(encoding).name)
        lines = text_lines(raw, name, encoding, allow_empty=True)  # an empty partition of a pipeline: no lines out
        if target is None:
            return _write(work, lines, name, sys.stdout.buffer, jobs, on_document)
        try:
            repair(target)
            with atomic_file(target, guard) as tmp, tmp.open("wb") as handle:
                return _write(work, lines, name, handle, jobs, on_document)
        except OSError as exc:
            raise ExportError(f"cannot write {target}: {exc.strerror or exc}; nothing was written") from None


def _write(
    work: Callable[[list[tuple[int, str]]], list[Output | BadLine]],
    lines: Iterable[tuple[int, str]],
    name: str | Path,
    handle: IO[bytes],
    jobs: int,
    on_document: Callable[[], object] | None,
) -> Attributed:
    """The lines through ``work`` (in ``jobs`` processes) into ``handle``; InputError at the first bad line."""
    done = Attributed()
    for result in ordered_map(work, lines, jobs, CHUNK):
        if isinstance(result, BadLine):
            raise InputError(name, result.message, result.line)
        line, quotes = result
        handle.write(line)
        done.documents += 1
        done.quotes += quotes
        if on_document is not None:
            on_document()
    handle.flush()
    return done


def attribute_lines(options: AttributeOptions, codec: str, lines: list[tuple[int, str]]) -> list[Output | BadLine]:
    """Numbered input lines (decoded with ``codec``) as output lines (UTF-8, with their line break) and
    their numbers of quotes, in order; a line that holds no document, read as ``import`` reads it, ends
    the list as a ``BadLine``. What a worker runs: the JSON is decoded here, not in the process that
    reads the input, for which handing decoded documents to the workers would cost five times more."""
    records: list[Any] = []
    bad: list[BadLine] = []
    for lineno, line in lines:
        try:
            record = parse_json(line, codec=codec)
            parse_document(record)
        except ValueError as exc:
            bad.append(BadLine(lineno, str(exc)))
            break
        records.append(record)
    attributed = attribute_records(records, language=options.language, scope=options.scope, types=options.types)
    return [*((_encoded(r), len(r["quotes"])) for r in attributed), *bad]


def _encoded(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
