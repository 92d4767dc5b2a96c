"""Importing files into the store: the readers' documents written in one import, skips collected."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from annotator.formats.jsonl import SystemOutput
from annotator.formats.label_studio import LabelNames, LabelStudioReading, is_label_studio_file
from annotator.formats.read import check_path, read_label_studio_by_annotator, read_paths
from annotator.model import Owner
from annotator.store import ImportReport, Store


def check_paths(paths: Iterable[str]) -> None:
    """Refuse a path that cannot be imported (InputError naming it), before any database is opened."""
    for path in paths:
        check_path(Path(path))


def import_paths(
    store: Store, paths: Iterable[str], *, owner: Owner | None = None, status: str | None = None,
    keep_old: bool = False, encoding: str = "utf-8", on_document: Callable[[], object] | None = None,
    on_wait: Callable[[str], object] | None = None, label_names: LabelNames | None = None,
) -> ImportReport:
    """Import every document the paths hold in one import; the report lists the readers' skips first.

    ``on_document`` is called after each document is read (for a progress display), ``on_wait`` with
    a sentence when another import holds the database. A run's file is a system's output: its lines
    may leave out the text of a document the database holds (docs/format.md "Prediction files").
    A Label Studio export (``label_names``: the project's label names) brings its annotators' labels
    (``import_label_studio``) unless ``owner`` says whose they are.
    """
    paths = list(paths)
    names = label_names or LabelNames()
    studio = [] if owner is not None else [
        p for p in paths if not Path(p).is_dir() and is_label_studio_file(Path(p), encoding)
    ]
    if studio:
        return import_label_studio(store, paths, studio, names, keep_old=keep_old, encoding=encoding,
                                   on_document=on_document, on_wait=on_wait)
    skipped: list[tuple[str, str]] = []
    system = None
    if owner is not None and owner.kind == "run":
        system = SystemOutput(store.document, "the database")

    def skip(what: str, why: str) -> None:
        skipped.append((what, why))

    def items() -> Iterator:
        reading = LabelStudioReading(names, predictions=owner is not None and owner.kind == "run")
        yield from _counted(read_paths([Path(p) for p in paths], encoding, skip, system, reading), on_document)

    report = store.import_documents(items(), owner=owner, status=status, keep_old=keep_old, on_wait=on_wait)
    report.skipped[:0] = skipped
    return report


def import_label_studio(
    store: Store, paths: Iterable[str], studio: list[str], names: LabelNames, *, keep_old: bool = False,
    encoding: str = "utf-8", on_document: Callable[[], object] | None = None,
    on_wait: Callable[[str], object] | None = None,
) -> ImportReport:
    """Paths among which are Label Studio exports (``studio``, as ``is_label_studio_file`` found them), imported
    without an owner: the documents of every path in one import, then each annotator's labels (by
    ``completed_by``, docs/label-studio.md) in one import per annotator. Every file is read, and checked,
    before anything is written."""
    others = [p for p in paths if p not in studio]
    skipped: list[tuple[str, str]] = []
    documents = list(read_paths([Path(p) for p in others], encoding, lambda what, why: skipped.append((what, why))))
    layers: dict[str, list] = {}
    for path in studio:
        docs, by_annotator = read_label_studio_by_annotator(Path(path), encoding, names)
        documents.extend(docs)
        for annotator, items in by_annotator.items():
            layers.setdefault(annotator, []).extend(items)

    report = store.import_documents(_counted(documents, on_document), keep_old=keep_old, on_wait=on_wait)
    report.skipped[:0] = skipped
    for annotator, items in layers.items():
        layer = store.import_documents(items, owner=Owner.annotator(annotator), keep_old=keep_old,
                                       on_wait=on_wait)
        report.quotes += layer.quotes
        report.skipped.extend(layer.skipped)
    return report


def _counted(items: Iterable, on_document: Callable[[], object] | None) -> Iterator:
    """The items, ``on_document`` called as each is taken (for a progress display)."""
    for item in items:
        if on_document is not None:
            on_document()
        yield item
