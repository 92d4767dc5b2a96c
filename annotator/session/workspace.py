"""One annotator's work on one database: everything the TUI reads or changes goes through here.

A ``Workspace`` holds the store, whose labels they are (the annotator), which run's predictions
become their candidates, and the attributor that finds candidates for a document that has none.
The TUI never sees the store: it asks the workspace for pages of the work list, the progress, the
next document, a status change, and a ``DocumentSession`` for the document it opens.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annotator.attribution import Attributor
from annotator.formats.guards import check_string
from annotator.model import Document, Owner
from annotator.session.document import DEFAULT_RUN, DocumentSession
from annotator.session.jobs import OnProgress, Preannotation, preannotate
from annotator.store import Store, assignments, edits, worklist
from annotator.store.worklist import START, DocumentRow, Position

PAGE = 100


@dataclass(frozen=True)
class Progress:
    """How far the annotator is: documents marked done, skipped, and all documents; and of the documents
    assigned to them (``annotator assign``), how many, and how many they marked done or skipped."""

    done: int
    skipped: int
    total: int
    assigned: int = 0
    assigned_done: int = 0
    assigned_skipped: int = 0


class Workspace:
    """The TUI's only way to the data: documents, statuses, pages of the work list, candidates."""

    def __init__(
        self, store: Store, annotator: str, *, run: str | None = DEFAULT_RUN, predictor: Attributor | None = None
    ) -> None:
        self.store = store
        self.annotator = annotator
        self.run = run  # the run whose predictions become the annotator's pending candidates (None: none)
        self.predictor = predictor  # finds candidates for a document the run has none for; None: never

    def on_own_connection(self) -> Workspace:
        """The same workspace on a connection of its own, for a worker thread; ``close`` it when done."""
        return Workspace(Store.open(self.store.path), self.annotator, run=self.run, predictor=self.predictor)

    def for_annotator(self, name: str) -> Workspace:
        """The same database and candidates for the annotator a browser visit names (``annotator serve``);
        ValueError saying why ``name`` cannot be one: empty, or not text (as ``--annotator`` is checked)."""
        if not name.strip():
            raise ValueError("a name is needed: your labels are kept under it")
        check_string(name, "the name")
        return Workspace(self.store, name, run=self.run, predictor=self.predictor)

    def close(self) -> None:
        self.store.close()

    # --- documents ---------------------------------------------------------------------------

    def document(self, doc_id: str) -> Document:
        """The document; KeyError when there is none by that id."""
        doc = self.store.document(doc_id)
        if doc is None:
            raise KeyError(doc_id)
        return doc

    def has_document(self, doc_id: str) -> bool:
        return self.store.document(doc_id) is not None

    def count_documents(self) -> int:
        return self.store.count_documents()

    def open(self, doc_id: str) -> DocumentSession:
        """Start work on a document: the run's candidates become the annotator's pending quotes (the first
        time). Opening changes no status: the first label change makes a document to do in progress."""
        return DocumentSession(self.store, self.annotator, doc_id, self.run)

    # --- candidates ----------------------------------------------------------------------------

    def needs_candidates(self, doc_id: str) -> bool:
        """Whether opening the document should find candidates first: there is an attributor, and neither
        the annotator's labels nor the run's predictions are there yet."""
        if self.predictor is None or self.store.layer_size(doc_id, Owner.annotator(self.annotator)):
            return False
        return not edits.run_has_document(self.store, self.run, doc_id)

    def find_candidates(self, doc_ids: Iterable[str], on_progress: OnProgress | None = None) -> Preannotation:
        """The attributor's quotes stored as the run, for those of the documents that need them."""
        if self.predictor is None:
            raise ValueError("this workspace has no attributor to find candidates with")
        todo = [d for d in dict.fromkeys(doc_ids) if self.needs_candidates(d)]
        return preannotate(self.store, self.predictor, self.run, todo, on_progress=on_progress)

    # --- statuses and the work list -------------------------------------------------------------

    def status(self, doc_id: str) -> str:
        return self.store.status(doc_id, self.annotator)

    def set_status(self, doc_id: str, status: str) -> bool:
        """The annotator's decision on a document (done, skipped, in_progress): one undoable change.

        False when it already had that status; LabelError when the status or the document is unknown.
        """
        return edits.set_document_status(self.store, self.annotator, doc_id, status)

    def first_to_do(self, doc_ids: Iterable[str]) -> str | None:
        """The first of these documents still to do (todo or in progress) for the annotator."""
        return next((d for d in doc_ids if self.status(d) in ("todo", "in_progress")), None)

    def has_assignments(self) -> bool:
        """Whether documents are assigned to this annotator (``annotator assign``)."""
        return assignments.has_assignments(self.store, self.annotator)

    def next_to_do(self, after: str | None = None) -> str | None:
        """The next document to do after ``after`` in import order, wrapping round; None when none is left.

        An annotator with assigned documents gets the next of those: the others are someone else's work.
        """
        return worklist.next_to_do(self.store, self.annotator, after, assigned=self.has_assignments())

    def nothing_left(self) -> str:
        """The sentence saying that ``next_to_do`` found nothing."""
        if self.has_assignments():
            return ("Every document assigned to you is done or skipped; the others are listed after them "
                    "(enter opens one).")
        return "No document is left to do (the rest are done or skipped)."

    def neighbour(self, doc_id: str, step: int) -> str | None:
        """The document after (step 1) or before (step -1) this one in import order."""
        return worklist.neighbour(self.store, doc_id, step)

    def documents_page(
        self, *, status: str | None = None, search: str = "", after: Position = START, limit: int = PAGE,
        ids: list[str] | None = None, before: Position | None = None,
    ) -> list[DocumentRow]:
        """A page of the work list after ``after`` (a row's ``key``; or the page just before ``before``, END for
        the last page), with the annotator's status and counts: their assigned documents first, then the rest,
        each in import order (see worklist)."""
        return worklist.documents_page(self.store, self.annotator, self.run, status=status, search=search,
                                       after=after, limit=limit, ids=ids, before=before)

    def documents_version(self) -> tuple[int, int]:
        """(how many documents, the last one's seq): changes when another process imports documents."""
        return worklist.documents_version(self.store)

    def progress(self) -> Progress:
        return Progress(*worklist.progress(self.store, self.annotator),
                        *worklist.assigned_progress(self.store, self.annotator))
