"""``annotator attribute``: interchange JSONL in, the same lines with the built-in attributor's quotes out.

No database. Each line is read as ``import`` reads it (formats/jsonl.py, quotes it brings included)
and its quotes are replaced by ``attribute_records``'s, the quotes ``predict`` stores for that document.
Lines go out in input order as soon as they and the lines before them are done, so memory stays flat
whatever the input's size; with ``jobs`` > 1, worker processes attribute chunks of lines
(session/workers.py). A file OUT is written as an export writes one (formats/outputs.py): beside itself,
renamed into place when the last line is done, so a bad line leaves nothing half-written, and a file
no earlier run wrote is replaced only with ``force``. Standard output is a stream: the lines before a
bad one have gone out. A document the attributor raises on goes out with no quotes and is reported
(``Attributed.failures``), as ``predict`` reports it: the others still get theirs.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from annotator.attribution.records import attributed_record
from annotator.attribution.rules import RuleAttributor
from annotator.formats.errors import InputError
from annotator.formats.guards import parse_json
from annotator.formats.jsonl import input_encoding, open_input, parse_document, text_lines
from annotator.formats.outputs import ExportError, Guard, atomic_file, check_file_target, repair
from annotator.session.workers import CHUNK, ordered_map

STANDARD_INPUT = "standard input"


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


@dataclass(frozen=True)
class Failed:
    """A document the attributor raised on: it goes out with no quotes, and the run ends in failure."""

    line: int
    doc_id: str
    message: str
    output: bytes

    def __str__(self) -> str:
        return f"{self.doc_id} (line {self.line}; {self.message})"


# An output line (UTF-8, with its line break) and how many quotes it holds.
Output = tuple[bytes, int]
Result = Output | BadLine | Failed


@dataclass
class Attributed:
    documents: int = 0
    quotes: int = 0
    failures: list[Failed] = field(default_factory=list)


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
    work: Callable[[list[tuple[int, str]]], list[Result]],
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
        if isinstance(result, Failed):
            handle.write(result.output)
            done.failures.append(result)
        else:
            line, quotes = result
            handle.write(line)
            done.documents += 1
            done.quotes += quotes
        if on_document is not None:
            on_document()
    handle.flush()
    return done


def attribute_lines(options: AttributeOptions, codec: str, lines: list[tuple[int, str]]) -> list[Result]:
    """Numbered input lines (decoded with ``codec``) as output lines (UTF-8, with their line break) and
    their numbers of quotes, in order; a line that holds no document, read as ``import`` reads it, ends
    the list as a ``BadLine``, and a document the attributor fails on goes out with no quotes, as a
    ``Failed``. What a worker runs: the JSON is decoded here, not in the process that reads the input,
    for which handing decoded documents to the workers would cost five times more."""
    attributor = RuleAttributor(options.language, options.scope)
    keep = frozenset(options.types)
    results: list[Result] = []
    for lineno, line in lines:
        try:
            record = parse_json(line, codec=codec)
            document = parse_document(record).document  # the checks and the text of an import, read once
        except ValueError as exc:
            results.append(BadLine(lineno, str(exc)))
            break
        try:
            attributed = attributed_record(attributor, keep, document, record)
        except Exception as exc:  # one document the attributor fails on is reported, never fatal (as in predict)
            failed = {**record, "text": document.text, "quotes": []}
            results.append(Failed(lineno, document.id, f"{type(exc).__name__}: {exc}", _encoded(failed)))
        else:
            results.append((_encoded(attributed), len(attributed["quotes"])))
    return results


def _encoded(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
