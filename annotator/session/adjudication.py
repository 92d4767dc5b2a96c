"""Reconciling several annotators into one gold layer, without Textual (README "Adjudicating").

The adjudicator is an annotator of its own (conventionally ``gold``). Opening a
document writes to it, in one transaction, every quote all the annotators agree
on; each remaining disagreement is then settled by taking one annotator's
version (an accepted label) or leaving the quote out (a rejected one, which is
not exported). Every label it gets carries its provenance — which annotators'
version it is and whose exact copy — in the label and in its event-log row, and
every change is one committed transaction, so undo, redo and a crash behave as
on the annotate screen.

Which of the adjudicator's labels settles which group is read back by aligning
the two (the evaluation's alignment), so that nothing beyond the labels
themselves has to be stored, and a label moved with the annotate screen's keys
still settles its group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from annotator.evaluation.adjudication import KINDS, DocumentGroups, Group
from annotator.evaluation.align import align
from annotator.evaluation.spans import edge_normalise, overlap
from annotator.model import Document, Owner, Quote, Speaker
from annotator.session.document import CHANGE_NAMES, Change
from annotator.session.workspace import Workspace
from annotator.store import Store, edits, history, worklist
from annotator.store.edits import LabelError
from annotator.store.history import HistoryEntry
from annotator.store.rows import quote_state

State = Literal["agreed", "open", "taken", "left out"]


class AdjudicationError(Exception):
    """The adjudication cannot start as asked; the message says why in one sentence."""


def check_names(store: Store, annotators: Sequence[str], into: str) -> None:
    """Refuse fewer than two distinct annotators, an unknown one, or an adjudicator among them."""
    if len(annotators) < 2:
        raise AdjudicationError("name at least two annotators to adjudicate between")
    repeated = [name for name, n in Counter(annotators).items() if n > 1]
    if repeated:
        raise AdjudicationError(f"{repeated[0]!r} is named twice")
    if into in annotators:
        raise AdjudicationError(f"--into {into!r} is one of the annotators; adjudicate into a new name (e.g. gold)")
    known = store.annotators()
    for name in annotators:
        if name not in known:
            raise AdjudicationError(f"no annotator named {name!r} in {store.path} "
                                    f"(annotators: {', '.join(known) or 'none'})")


def documents_to_adjudicate(store: Store, annotators: Sequence[str], into: str) -> list[str]:
    """In import order, the documents every annotator marked done and the adjudicator has not."""
    return worklist.done_by_all(store, tuple(annotators), into)


class Adjudication:
    """Annotators ``annotators`` reconciled into ``into``: the documents to do, each opened in turn."""

    def __init__(self, store: Store, annotators: Sequence[str], into: str, doc_ids: Sequence[str] | None = None):
        check_names(store, annotators, into)
        self.store = store
        self.annotators = tuple(annotators)
        self.into = into
        self.only = list(doc_ids) if doc_ids else None  # --doc: these documents, in this order

    def documents(self) -> list[str]:
        """The documents left to adjudicate (the ``--doc`` ones, when given, whatever their status)."""
        if self.only is not None:
            for doc_id in self.only:
                if self.store.document(doc_id) is None:
                    raise KeyError(doc_id)
            return list(self.only)
        return documents_to_adjudicate(self.store, self.annotators, self.into)

    def next_document(self, after: str | None = None) -> str | None:
        """The next document to adjudicate after ``after`` (the first when None), skipping those done since."""
        order = self.documents()
        if self.only is not None:
            order = [d for d in order if self.store.status(d, self.into) != "done"]
        later = order[order.index(after) + 1:] if after in order else order
        return next(iter(later), None)

    def open(self, doc_id: str) -> DocumentAdjudication:
        return DocumentAdjudication(self.store, self.annotators, self.into, doc_id)

    def editor(self) -> Workspace:
        """The adjudicator's own labels on the annotate screen: no candidates from any run."""
        return Workspace(self.store, self.into, run=None, predictor=None)


@dataclass
class Item:
    """One group of the document and the adjudicator's label that settles it, if any."""

    group: Group
    merged: Quote | None = None

    @property
    def state(self) -> State:
        if self.group.agreed and self.merged is None:
            return "open"  # agreed, but its label was undone: it waits like a disagreement
        if self.group.agreed:
            return "agreed"
        if self.merged is None:
            return "open"
        return "taken" if self.merged.status == "accepted" else "left out"


@dataclass
class DocumentAdjudication:
    """One document reconciled from ``annotators`` into ``into``'s labels."""

    store: Store
    annotators: tuple[str, ...]
    into: str
    doc_id: str
    document: Document = field(init=False)
    groups: DocumentGroups = field(init=False)
    items: list[Item] = field(init=False)
    extra: list[Quote] = field(init=False)  # the adjudicator's labels that settle no group (made by hand)
    written: int = field(init=False, default=0)  # agreed quotes written when the document opened
    index: int = field(init=False, default=0)  # the current item

    def __post_init__(self) -> None:
        doc = self.store.document(self.doc_id)
        if doc is None:
            raise KeyError(self.doc_id)
        self.document = doc
        layers = [self.store.quotes(self.doc_id, Owner.annotator(a), ("accepted",)) for a in self.annotators]
        self.groups = DocumentGroups(doc.text, layers)
        self.written = self._write_agreed()
        self.index = self._next_open(-1) or 0

    # --- reading --------------------------------------------------------------------------------

    def reload(self) -> None:
        """Match the adjudicator's labels (all statuses) to the groups."""
        mine = self.store.quotes(self.doc_id, Owner.annotator(self.into))
        text = self.document.text
        spans = [edge_normalise(text, q.start, q.end) for q in mine]
        pairs = align([g.span for g in self.groups.groups], spans)
        merged = dict(pairs)
        self.items = [Item(g, mine[merged[k]] if k in merged else None) for k, g in enumerate(self.groups.groups)]
        used = {j for _, j in pairs}
        self.extra = [q for j, q in enumerate(mine) if j not in used]

    def _write_agreed(self) -> int:
        """Give the adjudicator, in one transaction, every agreed quote it has no label for yet.

        Read again inside the transaction, so that two adjudicators opening the document at once
        write each quote once.
        """
        with self.store.write():
            self.reload()
            new = [self._copy(item.group, 0, "accepted") for item in self.items
                   if item.group.agreed and item.merged is None]
            if new:
                self.store.add_labels(self.into, self.doc_id, new, origin="adjudication", action="adjudicate",
                                      sha256=self.document.sha256)
        if new:
            self.reload()
        return len(new)

    @property
    def disagreements(self) -> list[int]:
        """Indices of the items that are (or were) disagreements, in text order."""
        return [k for k, item in enumerate(self.items) if not item.group.agreed or item.merged is None]

    @property
    def current(self) -> Item | None:
        if not self.items:
            return None
        self.index = max(0, min(self.index, len(self.items) - 1))
        return self.items[self.index]

    def version(self, item: Item, annotator: int) -> Quote | None:
        return self.groups.version(item.group, annotator)

    def counts(self) -> dict[str, int]:
        """Items by state, and the disagreements by kind (a group may have several kinds)."""
        counts = Counter(item.state for item in self.items)
        kinds = Counter(kind for item in self.items for kind in item.group.kinds)
        return {**{s: counts[s] for s in ("agreed", "open", "taken", "left out")},
                **{k: kinds[k] for k in KINDS}}

    def open_kinds(self) -> Counter[str]:
        """What is left to settle, by kind."""
        return Counter(kind for item in self.items if item.state == "open" for kind in item.group.kinds)

    # --- moving ---------------------------------------------------------------------------------

    def _next_open(self, after: int) -> int | None:
        """The next open item after ``after`` (wrapping round), or None when none is left."""
        n = len(self.items)
        for step in range(1, n + 1):
            k = (after + step) % n
            if self.items[k].state == "open":
                return k
        return None

    def move(self, step: int) -> Item | None:
        """The next (step 1) or previous (-1) disagreement, wrapping round."""
        order = self.disagreements
        if not order:
            return self.current
        if self.index in order:
            self.index = order[(order.index(self.index) + step) % len(order)]
        else:
            later = [k for k in order if (k > self.index if step > 0 else k < self.index)]
            self.index = (later[0] if step > 0 else later[-1]) if later else order[0 if step > 0 else -1]
        return self.current

    # --- settling -------------------------------------------------------------------------------

    def _copy(self, group: Group, annotator: int, status: str) -> Quote:
        """An annotator's version (or, when it has none, the first version there is) as the adjudicator's
        label with ``status``, its provenance naming who has this version."""
        present = [a for a, i in enumerate(group.members) if i is not None]
        source = annotator if group.members[annotator] is not None else present[0]
        quote = self.groups.version(group, source)
        speaker = None
        if quote.speaker is not None:
            sp = quote.speaker
            speaker = Speaker(sp.name, sp.kind, sp.mention, tuple(sp.aliases))
        if status == "accepted":
            agreed = [self.annotators[a] for a in range(len(self.annotators))
                      if self.groups.same_version((annotator, group.members[annotator]), (a, group.members[a]))]
            provenance: dict[str, Any] = {"agreed": agreed, "taken_from": self.annotators[annotator]}
        else:  # left out: those who have no such quote agree
            provenance = {"agreed": [self.annotators[a] for a, i in enumerate(group.members) if i is None],
                          "taken_from": None}
        return replace(quote, speaker=speaker, status=status, id=None, extra={}, adjudication=provenance)

    def _settle(self, quote: Quote, message: str) -> Change:
        item = self._current()
        merged = item.merged
        stored = edits.adjudicate_label(self.store, self.into, self.doc_id, merged.id if merged else None,
                                        quote, self.document.sha256)
        changed = merged is None or quote_state(stored) != quote_state(merged)
        item.merged = stored  # a version of this group: it settles this group (no need to align them all again)
        following = self._next_open(self.index)
        if following is not None:
            self.index = following
        return Change(stored, message, changed=changed)

    def _current(self) -> Item:
        item = self.current
        if item is None:
            raise LabelError("the annotators have no quotes on this document: nothing to settle")
        return item

    def take(self, annotator: int) -> Change:
        """Annotator ``annotator``'s version (0-based) becomes the label; when they have none, the quote is
        left out. Then on to the next open disagreement."""
        if not 0 <= annotator < len(self.annotators):
            raise LabelError(f"there is no annotator {annotator + 1} (1–{len(self.annotators)})")
        item = self._current()
        name = self.annotators[annotator]
        if item.group.members[annotator] is None:
            return self._leave_out(item, f"left out, as {name} has it")
        return self._settle(self._copy(item.group, annotator, "accepted"), f"took {name}'s version")

    def leave_out(self) -> Change:
        """The quote stays out of the gold: a rejected label, so the decision is kept and undoable."""
        return self._leave_out(self._current(), "left out")

    def _leave_out(self, item: Item, message: str) -> Change:
        base = self._copy(item.group, 0, "rejected")
        if item.merged is not None:  # keep what the adjudicator made of it, only rejected
            base = replace(item.merged, status="rejected", id=None, adjudication=base.adjudication)
        return self._settle(base, message)

    def undo(self) -> Change:
        return self._reverse(history.undo, "undid")

    def redo(self) -> Change:
        return self._reverse(history.redo, "redid")

    def _reverse(self, fn: Callable[..., HistoryEntry | None], verb: str) -> Change:
        entry = fn(self.store, self.into, self.doc_id, self.document.sha256)
        if entry is None:
            raise LabelError("nothing to undo" if fn is history.undo else "nothing to redo")
        self.reload()
        if entry.action == edits.DOC_STATUS:
            return Change(None, f"{verb} the document status")
        state = entry.after or entry.before
        # back on the quote that changed, also when the change removed the adjudicator's label
        touched = [k for k, item in enumerate(self.items)
                   if overlap(*item.group.span, state["start"], state["end"])]
        if touched:
            self.index = max(touched, key=lambda k: overlap(*self.items[k].group.span, state["start"], state["end"]))
        quote = self.store.quote(entry.quote_id) if entry.quote_id is not None else None
        return Change(quote, f"{verb} {CHANGE_NAMES.get(entry.action, entry.action.replace('_', ' '))}")

    def done(self) -> bool:
        """The adjudicator's document is done (undoable); False when it already was."""
        return edits.set_document_status(self.store, self.into, self.doc_id, "done")


@dataclass
class AutoResult:
    """What ``adjudicate --auto`` did to one document."""

    doc_id: str
    written: int  # labels written: agreed quotes, and with --majority the majority's versions
    done: bool  # marked done: nothing is left to settle
    left: dict[str, int]  # what is left to settle, by kind

    def as_json(self) -> dict[str, Any]:
        return {"id": self.doc_id, "written": self.written, "done": self.done, "left": self.left}


def auto_adjudicate(
    store: Store, annotators: Sequence[str], into: str, doc_id: str, majority: bool = False
) -> AutoResult:
    """Without a screen: the agreed quotes (and with ``majority``, each version more than half the annotators
    share, or leaving out a quote more than half of them do not have) become the adjudicator's labels; the
    document is marked done when nothing is left to settle."""
    session = DocumentAdjudication(store, tuple(annotators), into, doc_id)
    written = session.written
    if majority:
        for k, item in enumerate(session.items):
            if item.state != "open":
                continue
            winners = session.groups.majority(item.group)
            if winners is None:
                continue
            session.index = k
            change = session.take(winners[0])
            written += change.changed
    left = {kind: n for kind, n in session.open_kinds().items() if n}
    done = not any(item.state == "open" for item in session.items)
    if done:
        session.done()
    return AutoResult(doc_id, written, done, dict(sorted(left.items(), key=lambda kv: KINDS.index(kv[0]))))
