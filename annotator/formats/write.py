"""Writing a layer of labels in one of the export formats: the writer of each format and the
files it writes.

A writer takes documents one at a time, so memory stays flat however many there are, and
counts the quotes it wrote; ``close`` finishes the output (brat's configuration files, spaCy's
``DocBin``). jsonl, csv and conll write a stream (a file, or standard output); brat writes a
folder; spacy writes one binary file.
Where the output goes, and how it replaces an older one, is ``outputs``' concern.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Protocol

from annotator.formats.outputs import ExportError
from annotator.formats.split import PARTS
from annotator.model import AnnotatedDocument, Owner

FORMATS = ("jsonl", "csv", "brat", "conll", "label-studio", "spacy")
EXTENSIONS = {"jsonl": ".jsonl", "csv": ".csv", "conll": ".conll", "label-studio": ".json", "spacy": ".spacy"}
STREAM_FORMATS = ("jsonl", "csv", "conll", "label-studio")  # the formats standard output can take


class Writer(Protocol):
    quotes: int

    def write(self, ad: AnnotatedDocument) -> None: ...

    def close(self) -> None: ...


def stream_writer(fmt: str, handle: IO[str], owner: Owner, excel: bool = False) -> Writer:
    """The writer of a format that writes one stream (``STREAM_FORMATS``). Each format's module is imported
    when it is written (they compile their patterns as they load), so a command that writes none, and every
    command's start, does without them."""
    if fmt == "jsonl":
        from annotator.formats.jsonl import JsonlWriter

        return JsonlWriter(handle)
    if fmt == "csv":
        from annotator.formats.csv import CsvWriter

        return CsvWriter(handle, owner, excel)
    if fmt == "conll":
        from annotator.formats.conll import ConllWriter

        return ConllWriter(handle, owner)
    if fmt == "label-studio":
        from annotator.formats.label_studio import LabelStudioWriter

        return LabelStudioWriter(handle, owner)
    raise ExportError(f"the {fmt} format cannot be written to a stream")


def open_output(path: Path, fmt: str) -> IO[str]:
    """A new file for a stream format, in UTF-8 with the format's line endings."""
    # csv: newline="" so the csv module's own line endings (CRLF) are written as is.
    return path.open("w", encoding="utf-8", newline="" if fmt == "csv" else "\n")


def write_all(writer: Writer, docs: Iterable[AnnotatedDocument]) -> None:
    """Every document through ``writer``, then close it."""
    for ad in docs:
        writer.write(ad)
    writer.close()


def write_file(path: Path, fmt: str, owner: Owner, docs: Iterable[AnnotatedDocument], excel: bool = False) -> None:
    """Every document into a new file of a stream format, or a spaCy file."""
    if fmt == "spacy":
        from annotator.formats.docbin import DocBinWriter

        write_all(DocBinWriter(path, owner), docs)
        return
    with open_output(path, fmt) as handle:
        write_all(stream_writer(fmt, handle, owner, excel), docs)


def write_folder(folder: Path, docs: Iterable[AnnotatedDocument]) -> None:
    """Every document into a brat folder."""
    from annotator.formats.brat import BratWriter

    write_all(BratWriter(folder), docs)


def part_name(fmt: str, part: str) -> str:
    """The file (or, for brat, the folder) of one part of a split: ``train.jsonl``, ``train/``."""
    return f"{part}/" if fmt == "brat" else f"{part}{EXTENSIONS[fmt]}"


@contextmanager
def part_writers(folder: Path, fmt: str, owner: Owner, excel: bool = False) -> Iterator[dict[str, Writer]]:
    """A writer for each part of a split inside ``folder``; closed when the block ends without error,
    their files closed whatever happens."""
    from annotator.formats.brat import BratWriter
    from annotator.formats.docbin import DocBinWriter

    handles: list[IO[str]] = []
    writers: dict[str, Writer] = {}
    try:
        for part in PARTS:
            if fmt == "brat":
                writers[part] = BratWriter(folder / part)
            elif fmt == "spacy":
                writers[part] = DocBinWriter(folder / part_name(fmt, part), owner)
            else:
                handle = open_output(folder / part_name(fmt, part), fmt)
                handles.append(handle)
                writers[part] = stream_writer(fmt, handle, owner, excel)
        yield writers
        for writer in writers.values():
            writer.close()
    finally:
        for handle in handles:
            handle.close()
