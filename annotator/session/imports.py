"""Importing files into the store: the readers' documents written in one import, skips collected."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from annotator.formats.jsonl import SystemOutput
from annotator.formats.read import check_path, read_paths
from annotator.model import Owner
from annotator.store import ImportReport, Store


def check_paths(paths: Iterable[str]) -> None:
    """Refuse a path that cannot be imported (InputError naming it), before any database is opened."""
    for path in paths:
        check_path(Path(path))


def import_paths(
    store: Store, paths: Iterable[str], *, owner: Owner | None = None, status: str | None = None,
    keep_old: bool = False, encoding: str = "utf-8", on_document: Callable[[], object] | None = None,
    on_wait: Callable[[str], object] | None = None,
) -> ImportReport:
    """Import every document the paths hold in one import; the report lists the readers' skips first.

    ``on_document`` is called after each document is read (for a progress display), ``on_wait`` with
    a sentence when another import holds the database. A run's file is a system's output: its lines
    may leave out the text of a document the database holds (docs/format.md "Prediction files").
    """
    skipped: list[tuple[str, str]] = []
    system = None
    if owner is not None and owner.kind == "run":
        system = SystemOutput(store.document, "the database")

    def skip(what: str, why: str) -> None:
        skipped.append((what, why))

    def items() -> Iterator:
        for item in read_paths([Path(p) for p in paths], encoding, skip, system):
            if on_document is not None:
                on_document()
            yield item

    report = store.import_documents(items(), owner=owner, status=status, keep_old=keep_old, on_wait=on_wait)
    report.skipped[:0] = skipped
    return report

