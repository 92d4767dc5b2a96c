"""Exporting a layer of labels: choosing the documents from the store, streaming them to a
format, splits and their manifest.

The formats (``annotator.formats.write``) know how to write documents; this module decides
which documents an export takes and where they go. Every export streams document by
document (memory stays flat however many documents there are) and is all-or-nothing and
never destroys: see ``annotator.formats.outputs`` for the target checks, records and swaps.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator import __version__
from annotator.formats.brat import FileNameError
from annotator.formats.card import CARD, DatasetCard
from annotator.formats.docbin import require_spacy
from annotator.formats.outputs import (
    WRITTEN_BY,
    ExportError,
    Guard,
    atomic_file,
    atomic_folder,
    check_file_target,
    check_folder_target,
    repair,
)
from annotator.formats.split import METHOD, PARTS, SplitSpec
from annotator.formats.write import (
    EXTENSIONS,
    FORMATS,
    STREAM_FORMATS,
    part_name,
    part_writers,
    stream_writer,
    write_all,
    write_file,
    write_folder,
)
from annotator.model import AnnotatedDocument, Owner
from annotator.store import Store

MANIFEST = "split.json"
_UNGUARDED = Guard()  # nothing protected, no --force: for callers that name their own target

# --- choosing documents ---------------------------------------------------------


@dataclass
class Selection:
    """Which documents of a layer to export, how many, and what to tell the user about it."""

    owner: Owner
    status: str | None  # "done": only documents this annotator marked done; None: all
    total: int
    note: str | None = None
    description: str = ""


def select(store: Store, owner: Owner, done_only: bool = False, all_docs: bool = False) -> Selection:
    """The documents an export takes (see ``annotator export --help``).

    An annotator's export defaults to the documents they marked done, because those are
    the finished labels; when there are none it takes every document rather than
    nothing, and says so. A run's predictions cover every document.
    """
    total = store.count_documents()
    if owner.kind == "run":
        return Selection(owner, None, total, description="all documents")
    if all_docs:
        return Selection(owner, None, total, description="all documents")
    stats = store.stats()["annotators"]
    mine = stats.get(owner.name)
    done = mine["documents_by_status"].get("done", 0) if mine else 0
    if done_only:
        if not done:
            raise ExportError(
                f"no document is marked done by {owner.name!r}, so there is nothing to export with "
                "--done-only/--gold (use --all for every document)"
            )
        return Selection(owner, "done", done, description="documents marked done")
    if done:
        note = None
        if done < total:
            note = (
                f"note: exporting the {done} documents marked done by {owner.name}; "
                f"{total - done} others are not done (--all exports every document)"
            )
        return Selection(owner, "done", done, note, "documents marked done")
    if mine is None and stats:
        note = (
            f"note: annotator {owner.name!r} has no labels (annotators: {', '.join(stats)}; "
            f"choose with --annotator); exporting all {total} documents without quotes"
        )
    else:
        note = f"note: no document is marked done by {owner.name}; exporting all {total} documents"
    return Selection(owner, None, total, note, "all documents (none marked done)")


def selected_ids(store: Store, selection: Selection) -> list[str]:
    """The ids of the selected documents, in the order the store yields them (a split is made over them)."""
    ids = store.document_ids()
    if selection.status is None:
        return ids
    return [i for i in ids if store.status(i, selection.owner.name) == selection.status]


# --- the export ----------------------------------------------------------------------


def export_layer(
    store: Store,
    owner: Owner,
    fmt: str,
    out: Path | None,
    *,
    done_only: bool = False,
    all_docs: bool = False,
    excel: bool = False,
    split: SplitSpec | None = None,
    guard: Guard = _UNGUARDED,
    on_selection: Callable[[Selection], object] | None = None,
    on_document: Callable[[], object] | None = None,
) -> ExportResult:
    """``annotator export``: refuse an impossible export before any work, choose the layer's
    documents (``select``) and write them (``export``).

    Everything is read from one snapshot of the store, so the count, the ids a split is made
    over and the documents written agree whatever other processes write meanwhile.
    ``on_selection`` hears which documents were chosen (its note, its total) before the first
    is written; ``on_document`` hears each document written.
    """
    validate(fmt, out, split is not None, excel, guard)
    with store.snapshot():
        selection = select(store, owner, done_only, all_docs)
        if on_selection is not None:
            on_selection(selection)
        ids = selected_ids(store, selection) if split else None
        return export(
            store.annotated(owner, status=selection.status), fmt, out, owner,
            excel=excel, split=split, split_ids=ids, selection=selection.description,
            on_document=on_document, guard=guard,
        )


@dataclass
class ExportResult:
    documents: int = 0
    quotes: int = 0
    parts: dict[str, int] = field(default_factory=dict)
    manifest: Path | None = None
    notes: list[str] = field(default_factory=list)  # repairs of an earlier, interrupted export


def export(
    docs: Iterable[AnnotatedDocument],
    fmt: str,
    out: Path | None,
    owner: Owner,
    *,
    excel: bool = False,
    split: SplitSpec | None = None,
    split_ids: list[str] | None = None,
    selection: str = "",
    on_document: Callable[[], object] | None = None,
    guard: Guard = _UNGUARDED,
) -> ExportResult:
    """Stream ``docs`` to ``out`` (None: standard output) in ``fmt``.

    With ``split``, ``out`` is a folder receiving one part per split
    (``train.jsonl`` … or ``train/`` … for brat) and ``split.json``; the split
    is computed over ``split_ids`` (the ids ``docs`` will yield). ``guard``
    says what must never be replaced and whether --force was given; the
    target is checked again just before it is replaced.

    Documents are counted as they stream past, so the result and the caller's
    progress (``on_document``) need no second pass over the store; the output is
    built beside its target and swapped in at the end, so an export that fails
    half-way leaves the old output as it was.
    """
    validate(fmt, out, split is not None, excel)
    result = ExportResult()

    def counted(items: Iterable[AnnotatedDocument]) -> Iterator[AnnotatedDocument]:
        for ad in items:
            result.documents += 1
            result.quotes += len(ad.quotes)
            if on_document is not None:
                on_document()
            yield ad

    if out is None:
        write_all(stream_writer(fmt, sys.stdout, owner, excel), counted(docs))
        return result
    try:
        result.notes = repair(out)
        if split is not None:
            _export_split(counted(docs), fmt, out, owner, excel, split, split_ids or [], selection, result, guard)
        elif fmt == "brat":
            with atomic_folder(out, guard) as tmp:
                write_folder(tmp, counted(docs))
        else:
            with atomic_file(out, guard) as tmp:
                write_file(tmp, fmt, owner, counted(docs), excel)
    except FileNameError as exc:
        raise ExportError(f"{exc}; nothing was written") from None
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}; nothing was written") from None
    return result


def _export_split(
    docs: Iterable[AnnotatedDocument], fmt: str, out: Path, owner: Owner, excel: bool,
    split: SplitSpec, split_ids: list[str], selection: str, result: ExportResult, guard: Guard,
) -> None:
    """Each document into its part, then the manifest that lets anyone check or redo the split, and
    for jsonl the dataset card that Hugging Face users read.

    Nothing in them depends on the clock or the machine: the same documents and seed give the
    same bytes in every file, so a split can be checked by its hashes.
    """
    assignment = split.assign(split_ids)
    card = DatasetCard() if fmt == "jsonl" else None
    with atomic_folder(out, guard) as tmp, part_writers(tmp, fmt, owner, excel) as writers:
        members: dict[str, list[str]] = {part: [] for part in PARTS}
        for ad in docs:
            part = assignment.get(ad.document.id)
            if part is None:
                raise ExportError(f"document {ad.document.id!r} was not in the list the split was made from")
            writers[part].write(ad)
            members[part].append(ad.document.id)
            if card is not None:
                card.add(part, ad)
        result.parts = {part: len(ids) for part, ids in members.items()}
        files = {part: part_name(fmt, part) for part in PARTS}
        manifest = {
            "written_by": WRITTEN_BY,
            "version": __version__,
            "format": fmt,
            "labels": {"kind": owner.kind, "name": owner.name},
            "selection": selection,
            "split": split.as_json(),
            "seed": split.seed,
            "method": METHOD,
            "parts": files,
            "counts": result.parts,
            "quotes": {part: w.quotes for part, w in writers.items()},
            "ids": members,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if card is not None:
            (tmp / CARD).write_text(card.text(files, owner, selection, split), encoding="utf-8")
    result.manifest = out / MANIFEST


def validate(fmt: str, out: Path | None, split: bool, excel: bool, guard: Guard | None = None) -> None:
    """Refuse an impossible export before any work is done; with ``guard``, also a target it must not replace."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if excel and fmt != "csv":
        raise ExportError("--excel applies to the csv format only")
    if out is None:
        if split or fmt not in STREAM_FORMATS:
            raise ExportError(
                f"standard output ('-') takes {', '.join(STREAM_FORMATS)}: not brat folders, spaCy files or splits"
            )
        return
    if fmt == "spacy":
        require_spacy()
    if split and out.suffix.lower() in {*EXTENSIONS.values(), ".txt"}:
        raise ExportError(
            f"with --split, OUT is a folder that receives train, dev and test parts; "
            f"{out.name!r} looks like a file name (try {out.with_suffix('')})"
        )
    if not (split or fmt == "brat") and out.is_dir():
        raise ExportError(f"{out} is a folder; give a file name for the {fmt} format")
    if guard is None:
        return
    if split or fmt == "brat":
        check_folder_target(out, guard)
    else:
        check_file_target(out, guard)
