"""Where the documents to score come from: an annotator or a run in the database, or a JSONL file.

``annotator evaluate`` compares gold labels with predictions and ``annotator agreement`` annotators
with each other; each side is named on the command line, and resolved here into annotated documents.
The database is opened only when a side names something in it: comparing two files creates no
database file.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from annotator.evaluation import (
    AgreementResult,
    AlphaResult,
    EvaluationError,
    EvaluationResult,
    agreement,
    evaluate,
    krippendorff_alpha,
)
from annotator.evaluation.adjudication import Disagreements, disagreements
from annotator.evaluation.metrics import NO_VALUE
from annotator.evaluation.uncertainty import Comparison, paired_counts, paired_test
from annotator.formats.errors import InputError
from annotator.formats.jsonl import read_jsonl, read_predictions
from annotator.model import AnnotatedDocument, Owner
from annotator.store import Store
from annotator.terminal import counted


class SourceError(Exception):
    """A side of a comparison that names nothing usable; the message says what there is instead."""


def read_layer(path: Path) -> list[AnnotatedDocument]:
    """A JSONL file's documents; a repeated id is an input error naming both lines."""
    first_line: dict[str, int] = {}
    docs = []
    for lineno, ad in read_jsonl(path):
        doc_id = ad.document.id
        if doc_id in first_line:
            raise InputError(path, f"document {doc_id!r} appears again (first on line {first_line[doc_id]})", lineno)
        first_line[doc_id] = lineno
        docs.append(ad)
    return docs


def is_file_source(value: str) -> bool:
    return value.endswith(".jsonl") or Path(value).is_file()


class Database:
    """The database a comparison may read, opened on first use (``open_store``); ``name`` is for messages."""

    def __init__(self, open_store: Callable[[], Store], name: str) -> None:
        self._open_store = open_store
        self.name = name

    @property
    def store(self) -> Store:
        return self._open_store()


@dataclass
class Evaluation:
    """A scored comparison, and how many gold documents with quotes had no predictions at all."""

    result: EvaluationResult
    gold_documents: int
    unmatched: int


def gold_documents(gold: str, database: Database, all_documents: bool) -> list[AnnotatedDocument]:
    """Gold labels: a JSONL file, or an annotator's documents (those they marked done, unless all)."""
    if is_file_source(gold):
        return read_layer(Path(gold))
    store = database.store
    if gold not in store.annotators():
        raise SourceError(
            f"no annotator named {gold!r} in {database.name} "
            f"(annotators: {', '.join(store.annotators()) or 'none'}); give a JSONL file for gold from elsewhere"
        )
    docs = list(store.annotated(Owner.annotator(gold), status=None if all_documents else "done"))
    if not docs:
        raise SourceError(
            f"annotator {gold!r} has marked no document done (--all-documents scores unfinished ones too)"
        )
    return docs


UNKNOWN_SHOWN = 5  # ids named in the warning about predicted documents the gold does not hold


def prediction_documents(
    pred: str, database: Database, gold: list[AnnotatedDocument], on_note: Callable[[str], object] | None = None,
) -> tuple[Iterable[AnnotatedDocument], set[str]]:
    """Predictions: a system's JSONL file (docs/format.md "Prediction files"), or a run (else an annotator's
    labels) on the gold documents; with the ids of every document they could cover (none for an empty
    file). ``on_note`` hears of an empty file and of predicted documents the gold does not hold."""
    if is_file_source(pred):
        read = read_predictions(Path(pred), {ad.document.id: ad.document for ad in gold})
        if on_note is not None:
            if not read.lines:
                on_note(f"note: {pred} holds no predictions: scored as a system that found no quote, "
                        "every gold quote a miss")
            if read.unknown:
                first = ", ".join(repr(i) for i in read.unknown[:UNKNOWN_SHOWN])
                more = ", …" if len(read.unknown) > UNKNOWN_SHOWN else ""
                on_note(f"warning: {pred} predicts on {counted(len(read.unknown), 'document')} the gold does not hold "
                        f"({first}{more}): left out of the scores")
        return read.documents, {ad.document.id for ad in read.documents}.union(read.unknown)
    store = database.store
    if store.has_run(pred):
        owner = Owner.run(pred)
    elif pred in store.annotators():
        owner = Owner.annotator(pred)
    else:
        raise SourceError(
            f"no run or annotator named {pred!r} in {database.name} (runs: {', '.join(store.runs()) or 'none'})"
        )
    ids = set(store.document_ids())
    return store.annotated(owner, ids=[ad.document.id for ad in gold if ad.document.id in ids]), ids


def evaluate_sources(
    gold: str, pred: str, database: Database, all_documents: bool = False,
    on_note: Callable[[str], object] | None = None, by: Sequence[str] = (),
    gold_docs: list[AnnotatedDocument] | None = None,
) -> Evaluation:
    """Score the predictions named by ``pred`` against the gold labels named by ``gold`` (already read when
    ``gold_docs`` is given), with breakdowns ``by`` these fields besides type and document.

    ``on_note`` hears, before the scoring, one sentence for each thing a user should know about the
    inputs (an empty prediction file, predicted documents the gold does not hold, gold documents with
    quotes that have no predictions at all): read first, also when the scoring then fails; after it, a
    breakdown field that no quote has.
    """
    with collector_paused():
        if gold_docs is None:
            gold_docs = gold_documents(gold, database, all_documents)
        pred_docs, pred_ids = prediction_documents(pred, database, gold_docs, on_note)
        unmatched = sum(1 for ad in gold_docs if ad.quotes and ad.document.id not in pred_ids)
        if unmatched and pred_ids and on_note is not None:  # no ids at all: an empty file, noted already
            on_note(f"note: {unmatched} of {len(gold_docs)} gold documents have no predictions in {pred}; "
                    "their quotes count as misses")
        try:
            result = evaluate(gold_docs, pred_docs, by)
        except EvaluationError as exc:
            raise SourceError(f"cannot compare {gold} with {pred}: {exc}") from None
    for name, values in result.breakdowns.items():
        if set(values) == {NO_VALUE} and on_note is not None:
            on_note(f"note: no quote or document meta has a {name!r}; every quote counts under {NO_VALUE}")
    return Evaluation(result, len(gold_docs), unmatched)


def compare_sources(
    gold: str, pred_a: str, pred_b: str, database: Database, replicates: int, permutations: int, seed: int,
    all_documents: bool = False, on_note: Callable[[str], object] | None = None,
) -> Comparison:
    """Score both predictions against the gold and test B − A over the documents, paired (docs/metrics.md §6a).
    ``on_note`` hears ``evaluate_sources``'s notes, for either system."""
    with collector_paused():
        gold_docs = gold_documents(gold, database, all_documents)
        scored = [
            evaluate_sources(gold, pred, database, all_documents, gold_docs=gold_docs, on_note=on_note)
            for pred in (pred_a, pred_b)
        ]  # fmt: skip
    a, b, ids = paired_counts(scored[0].result, scored[1].result, [ad.document.id for ad in gold_docs])
    differences = paired_test(a, b, replicates, permutations, seed)
    return Comparison(pred_a, pred_b, ids, differences, replicates, permutations, seed)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the block, as it was after it.

    Reading and scoring a large evaluation build millions of small objects (documents, quotes, spans,
    speakers) and no reference cycle, so there is nothing for the collector to find in them; left running,
    it scans them again and again as they pile up: about 40 % of reading 100,000 quotes, and as much again
    while they are scored (issue 14, item 7). Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def agreement_layers(names: list[str], files: bool, database: Database) -> dict[str, list[AnnotatedDocument]]:
    """Each annotator's documents by name: JSONL files (named by file stem, else by path) or annotators
    in the database (the documents they marked done; every annotator when none is named)."""
    if files:
        stems = [Path(n).stem for n in names]
        labels = stems if len(set(stems)) == len(stems) else list(names)
        return {label: read_layer(Path(n)) for label, n in zip(labels, names, strict=True)}
    store = database.store
    known = store.annotators()
    for n in names:
        if n not in known:
            raise SourceError(f"no annotator named {n!r} in {database.name} (annotators: {', '.join(known) or 'none'})")
    chosen = list(names) or known
    if len(chosen) < 2:
        raise SourceError(f"agreement needs two annotators; {database.name} has {', '.join(known) or 'none'}")
    return {n: list(store.annotated(Owner.annotator(n), status="done")) for n in chosen}


def pairwise_agreement(layers: dict[str, list[AnnotatedDocument]]) -> list[AgreementResult]:
    """Agreement of every pair of layers, in the order they were named."""
    try:
        return [agreement(layers[a], layers[b], a, b) for a, b in combinations(layers, 2)]
    except EvaluationError as exc:
        raise SourceError(f"cannot compare: {exc}") from None


def disagreement_kinds(layers: dict[str, list[AnnotatedDocument]]) -> Disagreements:
    """The disagreements by kind of all the layers together (after ``alpha_agreement`` checked them)."""
    return disagreements(layers)


def alpha_agreement(layers: dict[str, list[AnnotatedDocument]]) -> AlphaResult:
    """Krippendorff's α of all the layers together, over the documents at least two of them hold."""
    try:
        return krippendorff_alpha(layers)
    except EvaluationError as exc:
        raise SourceError(f"cannot compare: {exc}") from None
