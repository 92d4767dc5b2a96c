"""Pre-annotation: an attributor's quotes stored as a run, document by document.

One routine for every front end: ``annotator import`` and ``annotator annotate PATH`` fill the run of
new documents, ``annotator predict`` replaces a run, and the annotate screen finds the candidates of
the document it opens. Each shows the progress its own way (a rich bar, a status line) through the
``on_progress`` callback; none of them stops on a document the attributor fails on. With ``jobs`` > 1
worker processes attribute the documents and this process alone writes to the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

from annotator.attribution import Attributor
from annotator.model import Document, Quote, SpanError
from annotator.session.workers import CHUNK, ordered_map
from annotator.store import ConflictError, StaleTextError, Store

# Called with (documents finished, documents to do) before the first document and after each one.
OnProgress = Callable[[int, int], object]


@dataclass(frozen=True)
class Failure:
    """A document left without predictions, and why."""

    doc_id: str
    error: Exception
    stage: Literal["attribute", "store"]  # the attributor raised, or its quotes could not be stored

    @property
    def stale(self) -> bool:
        """Its text was replaced by another import while the attributor read it."""
        return isinstance(self.error, StaleTextError)

    def __str__(self) -> str:
        if self.stale:
            return f"{self.doc_id} (its text was replaced meanwhile)"
        return f"{self.doc_id} ({type(self.error).__name__}: {self.error})"


@dataclass
class Preannotation:
    """What a pre-annotation stored: documents and quotes by type, and the documents it could not do."""

    run: str
    total: int
    documents: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)

    @property
    def quotes(self) -> int:
        return sum(self.by_type.values())


def preannotate(
    store: Store,
    attributor: Attributor,
    run: str,
    doc_ids: Iterable[str] | None = None,
    *,
    types: Iterable[str] = (),
    on_progress: OnProgress | None = None,
    jobs: int = 1,
) -> Preannotation:
    """Replace ``run``'s predictions of the documents (every document when ``doc_ids`` is None).

    ``types`` keeps only quotes of those types. A document the attributor raises on, or whose quotes
    cannot be stored (a span outside its text, its text replaced meanwhile), becomes a ``Failure``
    and the others still get theirs; a database error ends the run as it would any write. ``jobs``
    worker processes attribute chunks of documents (the attributor is pickled to them).
    """
    ids = None if doc_ids is None else list(dict.fromkeys(doc_ids))
    keep = frozenset(types)
    report = Preannotation(run, len(ids) if ids is not None else store.count_documents())
    if on_progress is not None:
        on_progress(0, report.total)
    attributed = ordered_map(partial(_attribute_documents, attributor), store.iter_documents(ids), jobs,
                             CHUNK if jobs > 1 else 1)
    for done, (doc_id, sha256, outcome) in enumerate(attributed, start=1):
        if isinstance(outcome, Exception):
            report.failures.append(Failure(doc_id, outcome, "attribute"))
        else:
            quotes = [q for q in outcome if not keep or q.type in keep]
            try:
                store.save_predictions(run, doc_id, quotes, sha256=sha256)
            except (SpanError, ConflictError) as exc:
                report.failures.append(Failure(doc_id, exc, "store"))
            else:
                report.documents += 1
                report.by_type.update(q.type for q in quotes)
        if on_progress is not None:
            on_progress(done, report.total)
    return report


# A document's id, its text's hash and its quotes, or the exception the attributor raised on it.
Outcome = tuple[str, str, list[Quote] | Exception]


def _attribute_documents(attributor: Attributor, documents: list[Document]) -> list[Outcome]:
    """What a worker runs: each document's ``Outcome``, in order."""
    outcomes: list[Outcome] = []
    for doc in documents:
        try:
            outcomes.append((doc.id, doc.sha256, attributor.attribute(doc)))
        except Exception as exc:  # the attributor failing on one document is reported, never fatal
            outcomes.append((doc.id, doc.sha256, exc))
    return outcomes
