"""Pre-annotation: an attributor's quotes stored as a run, document by document.

One routine for every front end: ``annotator import`` and ``annotator annotate PATH`` fill the run of
new documents, ``annotator predict`` replaces a run, and the annotate screen finds the candidates of
the document it opens. Each shows the progress its own way (a rich bar, a status line) through the
``on_progress`` callback; none of them stops on a document the attributor fails on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from annotator.attribution import Attributor
from annotator.model import SpanError
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
) -> Preannotation:
    """Replace ``run``'s predictions of the documents (every document when ``doc_ids`` is None).

    ``types`` keeps only quotes of those types. A document the attributor raises on, or whose quotes
    cannot be stored (a span outside its text, its text replaced meanwhile), becomes a ``Failure``
    and the others still get theirs; a database error ends the run as it would any write.
    """
    ids = None if doc_ids is None else list(dict.fromkeys(doc_ids))
    keep = frozenset(types)
    report = Preannotation(run, len(ids) if ids is not None else store.count_documents())
    if on_progress is not None:
        on_progress(0, report.total)
    for done, doc in enumerate(store.iter_documents(ids), start=1):
        try:
            quotes = attributor.attribute(doc)
        except Exception as exc:  # the attributor failing on one document is reported, never fatal
            report.failures.append(Failure(doc.id, exc, "attribute"))
        else:
            quotes = [q for q in quotes if not keep or q.type in keep]
            try:
                store.save_predictions(run, doc.id, quotes, sha256=doc.sha256)
            except (SpanError, ConflictError) as exc:
                report.failures.append(Failure(doc.id, exc, "store"))
            else:
                report.documents += 1
                report.by_type.update(q.type for q in quotes)
        if on_progress is not None:
            on_progress(done, report.total)
    return report
