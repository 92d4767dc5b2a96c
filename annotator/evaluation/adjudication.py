"""Several annotators' quotes of one document, grouped across annotators and compared (docs/metrics.md §10).

The groups extend the agreement command's alignment to n annotators: every
pair of annotators is aligned as ``annotator agreement`` aligns them, and the
aligned pairs are joined, largest overlap first, into groups that hold at most
one quote of each annotator. With two annotators the groups are exactly the
agreement's aligned pairs plus the quotes only one of them has.

A group's versions are compared on what makes a gold label: the span after
edge normalisation, type, speaker entity, role, role category, cue and via.
What they differ on is the group's disagreement kinds; a group where some
annotator has no quote is ``missing`` for them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from annotator.evaluation.agreement import align_annotators, entities_match
from annotator.evaluation.metrics import Entities, quote_key
from annotator.evaluation.spans import edge_normalise, name_key, overlap, role_key
from annotator.model import AnnotatedDocument, Quote

# What two versions of one quote can differ on, in the order a screen lists them.
ASPECTS = ("boundary", "type", "speaker", "role", "role_category", "cue", "via")
KINDS = ("missing", *ASPECTS)


@dataclass(frozen=True)
class Layer:
    """One annotator's quotes of the document, sorted by ``quote_key``, with what comparing them needs."""

    quotes: list[Quote]
    spans: list[tuple[int, int]]
    entities: Entities

    @classmethod
    def of(cls, text: str, quotes: Sequence[Quote]) -> Layer:
        ordered = sorted(quotes, key=quote_key)
        return cls(ordered, [edge_normalise(text, q.start, q.end) for q in ordered], Entities(ordered))


@dataclass(frozen=True)
class Group:
    """One quote as each annotator has it: ``members[a]`` is the index of annotator a's version in its
    layer, None when a has no such quote; ``kinds`` is what the versions disagree on (empty: all agree)."""

    members: tuple[int | None, ...]
    kinds: tuple[str, ...]
    span: tuple[int, int]  # from the first start to the last end of the versions' normalised spans

    @property
    def agreed(self) -> bool:
        return not self.kinds


class DocumentGroups:
    """The groups of one document, in text order, and the comparisons of versions they were made with."""

    def __init__(self, text: str, layers: Sequence[Sequence[Quote]]) -> None:
        self.text = text
        self.layers = [Layer.of(text, quotes) for quotes in layers]
        self.groups = [self._group(members) for members in self._members()]
        self.groups.sort(key=lambda g: (g.span, tuple(-1 if i is None else i for i in g.members)))

    def version(self, group: Group, annotator: int) -> Quote | None:
        i = group.members[annotator]
        return None if i is None else self.layers[annotator].quotes[i]

    def _members(self) -> list[tuple[int | None, ...]]:
        """Joins the pairwise alignments largest overlap first, never two quotes of one annotator in a group."""
        n = len(self.layers)
        edges = []
        for a, b in combinations(range(n), 2):
            la, lb = self.layers[a], self.layers[b]
            for i, j in align_annotators(la.spans, la.quotes, la.entities, lb.spans, lb.quotes, lb.entities):
                edges.append((-overlap(*la.spans[i], *lb.spans[j]), a, i, b, j))
        edges.sort()
        parent: dict[tuple[int, int], tuple[int, int]] = {}
        holds: dict[tuple[int, int], dict[int, int]] = {}  # a group's root -> annotator -> quote index
        for a, layer in enumerate(self.layers):
            for i in range(len(layer.quotes)):
                parent[a, i] = (a, i)
                holds[a, i] = {a: i}

        def root(node: tuple[int, int]) -> tuple[int, int]:
            while parent[node] != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        for _, a, i, b, j in edges:
            x, y = root((a, i)), root((b, j))
            if x != y and not holds[x].keys() & holds[y].keys():
                parent[y] = x
                holds[x].update(holds.pop(y))
        return [tuple(held.get(a) for a in range(n)) for held in holds.values()]

    def _group(self, members: tuple[int | None, ...]) -> Group:
        present = [(a, i) for a, i in enumerate(members) if i is not None]
        spans = [self.layers[a].spans[i] for a, i in present]
        kinds = ["missing"] if len(present) < len(members) else []
        kinds += [aspect for aspect in ASPECTS
                  if any(not self._same(aspect, x, y) for x, y in combinations(present, 2))]
        return Group(members, tuple(kinds), (min(s for s, _ in spans), max(e for _, e in spans)))

    def same_version(self, x: tuple[int, int | None], y: tuple[int, int | None]) -> bool:
        """Whether two annotators' versions (annotator, index or None for none) agree on every aspect."""
        if x[1] is None or y[1] is None:
            return x[1] is None and y[1] is None
        return all(self._same(aspect, x, y) for aspect in ASPECTS)  # type: ignore[arg-type]

    def _same(self, aspect: str, x: tuple[int, int], y: tuple[int, int]) -> bool:
        (a, i), (b, j) = x, y
        la, lb = self.layers[a], self.layers[b]
        p, q = la.quotes[i], lb.quotes[j]
        if aspect == "boundary":
            return la.spans[i] == lb.spans[j]
        if aspect == "type":
            return p.type == q.type
        if aspect == "speaker":
            if p.speaker is None or q.speaker is None:
                return p.speaker is None and q.speaker is None
            return entities_match(la.entities, i, lb.entities, j)
        if aspect == "role":
            return role_key(p.role) == role_key(q.role)
        if aspect == "role_category":
            return name_key(p.role_category or "") == name_key(q.role_category or "")
        if aspect == "cue":
            return self._cue(p) == self._cue(q)
        if aspect == "via":
            return name_key(p.via or "") == name_key(q.via or "")
        raise ValueError(f"unknown aspect {aspect!r}")

    def _cue(self, quote: Quote) -> tuple[int, int] | None:
        return None if quote.cue is None else edge_normalise(self.text, quote.cue.start, quote.cue.end)

    def majority(self, group: Group) -> list[int] | None:
        """The annotators (more than half of them) whose versions are the same, or None when no version
        has a majority; a majority may agree that there is no quote."""
        n = len(group.members)
        classes: list[list[int]] = []
        for a, i in enumerate(group.members):
            for members in classes:
                first = members[0]
                if self.same_version((first, group.members[first]), (a, i)):
                    members.append(a)
                    break
            else:
                classes.append([a])
        best = max(classes, key=len)
        return best if 2 * len(best) > n else None


@dataclass
class Disagreements:
    """How the annotators' quotes group over the documents all of them hold, and what the groups disagree on."""

    annotators: list[str]
    documents: int = 0
    groups: int = 0
    agreed: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)  # a group may count under several kinds

    def as_json(self) -> dict:
        return {"annotators": self.annotators, "documents": self.documents, "groups": self.groups,
                "agreed": self.agreed, "by_kind": {kind: self.by_kind[kind] for kind in KINDS}}


def disagreements(layers: Mapping[str, Sequence[AnnotatedDocument]]) -> Disagreements:
    """The disagreements by kind of all the layers together, over the documents every one of them holds (the
    caller has checked ids and texts, as the agreement does)."""
    names = list(layers)
    by_id = [{ad.document.id: ad for ad in docs} for docs in layers.values()]
    result = Disagreements(names)
    if not by_id:
        return result
    for doc_id, first in by_id[0].items():
        if not all(doc_id in held for held in by_id[1:]):
            continue
        grouped = DocumentGroups(first.document.text, [held[doc_id].quotes for held in by_id])
        result.documents += 1
        result.groups += len(grouped.groups)
        result.agreed += sum(g.agreed for g in grouped.groups)
        result.by_kind.update(kind for g in grouped.groups for kind in g.kinds)
    return result
