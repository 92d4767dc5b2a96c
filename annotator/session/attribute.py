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

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any

from annotator.attribution import attribute_records
from annotator.formats.errors import InputError
from annotator.formats.jsonl import json_lines, parse_document, stream_json_lines
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
    (None: standard output). InputError names a bad line; ExportError says
    why ``target`` cannot be written; neither leaves a half-written ``target``."""
    name: str | Path = STANDARD_INPUT if source == "-" else Path(source)
    if target is None:
        return _write(_lines(source, encoding), name, sys.stdout.buffer, options, jobs, on_document)
    check_file_target(target, guard)  # before the work, not only after it (atomic_file checks again)
    try:
        repair(target)
        with atomic_file(target, guard) as tmp, tmp.open("wb") as handle:
            return _write(_lines(source, encoding), name, handle, options, jobs, on_document)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}; nothing was written") from None


def _lines(source: str, encoding: str) -> Iterator[tuple[int, Any]]:
    if source == "-":
        return stream_json_lines(sys.stdin.buffer, STANDARD_INPUT, encoding)
    return json_lines(source, encoding)


def _write(
    lines: Iterable[tuple[int, Any]],
    name: str | Path,
    handle: IO[bytes],
    options: AttributeOptions,
    jobs: int,
    on_document: Callable[[], object] | None,
) -> Attributed:
    done = Attributed()
    for result in ordered_map(partial(attribute_lines, options), lines, jobs, CHUNK):
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


def attribute_lines(options: AttributeOptions, lines: list[tuple[int, Any]]) -> list[tuple[bytes, int] | BadLine]:
    """Decoded input lines as output lines (UTF-8, with their line break) and their numbers of quotes,
    in order; a line that holds no document ends the list as a ``BadLine``. What a worker runs."""
    records: list[Any] = []
    bad: list[BadLine] = []
    for lineno, record in lines:
        try:
            parse_document(record)
        except ValueError as exc:
            bad.append(BadLine(lineno, str(exc)))
            break
        records.append(record)
    attributed = attribute_records(records, language=options.language, scope=options.scope, types=options.types)
    return [*((_encoded(r), len(r["quotes"])) for r in attributed), *bad]


def _encoded(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
