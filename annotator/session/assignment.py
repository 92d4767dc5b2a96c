"""Dealing documents out to a team: ``annotator assign`` (README, "Team workflow: assign").

``deal`` is pure: the same documents, annotators, overlap and seed give the same dealing, whatever
the order the documents were imported or the annotators named in. ``assign`` reads what is already
assigned, deals the rest and stores it, all in one write transaction with its event-log row.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from annotator.store import Store, assignments


class AssignmentError(ValueError):
    """The assignment asked for cannot be made; the message is one sentence for the user."""


# A document's annotators: one, or two for a document shared for agreement.
Dealing = dict[str, tuple[str, ...]]


def shared_count(overlap: float, documents: int) -> int:
    """How many of ``documents`` go to two annotators: overlap × documents, halves rounded up."""
    return math.floor(overlap * documents + 0.5)


def check_team(annotators: Sequence[str], overlap: float) -> None:
    """AssignmentError for a team or overlap no dealing can satisfy."""
    if not annotators:
        raise AssignmentError("name at least one annotator (--annotators ana,ben,cho)")
    repeated = sorted({a for a in annotators if annotators.count(a) > 1})
    if repeated:
        raise AssignmentError(f"the annotator {repeated[0]!r} is named twice in --annotators")
    if any(not a.strip() for a in annotators):
        raise AssignmentError("an annotator name in --annotators is empty")
    if not 0 <= overlap <= 1:
        raise AssignmentError(f"--overlap must be between 0 and 1 (a fraction of the documents), not {overlap:g}")
    if overlap > 0 and len(annotators) < 2:
        raise AssignmentError("a shared fraction (--overlap above 0) needs at least two annotators")


def pair_schedule(team: Sequence[str]) -> list[tuple[str, str]]:
    """Every pair of the team once, in an order whose every prefix leaves each annotator within one
    pair of the others (so a dealing that follows it stays balanced and reaches every pair).

    An even team is the round-robin tournament (each round a perfect matching); an odd one is
    Walecki's decomposition into Hamiltonian cycles, each cycle taken as its alternate edges, its
    closing edge, then the rest.
    """
    size = len(team)
    if size % 2 == 0:
        order = list(range(size))
        rounds = []
        for _ in range(size - 1):
            rounds += [(order[i], order[size - 1 - i]) for i in range(size // 2)]
            order = [order[0], order[-1], *order[1:-1]]
        return [(team[a], team[b]) for a, b in rounds]
    half = (size - 1) // 2
    schedule = []
    for j in range(half):
        cycle = [size - 1, j]  # the last member stands for Walecki's centre; the others sit round a circle
        for step in range(1, half + 1):
            cycle.append((j + step) % (size - 1))
            if len(cycle) < size:
                cycle.append((j - step) % (size - 1))
        edges = [(cycle[i], cycle[(i + 1) % size]) for i in range(size)]
        schedule += [*edges[0:size - 1:2], edges[-1], *edges[1:size - 1:2]]
    return [(team[a], team[b]) for a, b in schedule]


def deal(
    doc_ids: Sequence[str], annotators: Sequence[str], overlap: float, seed: int,
    loads: Mapping[str, int] | None = None, pairs_used: Mapping[frozenset[str], int] | None = None,
) -> Dealing:
    """Each document's annotators: ``shared_count`` of them get two, the others one.

    The documents (sorted by id, so import order does not matter) and the annotators (sorted by
    name) are shuffled with ``random.Random(seed)``. A shared document goes to two of the annotators
    with the fewest documents, ties going to the pair that has shared the fewest so far, then to
    the next in ``pair_schedule``; so every pair shares some once there are as many shared documents
    as pairs. A single document goes to the annotator with the fewest. Every annotator's total stays
    within one of the others', counting the ``loads`` they already have (``pairs_used``: how often
    each pair already shares a document), as far as those loads allow.
    """
    check_team(annotators, overlap)
    rng = random.Random(seed)
    order = sorted(doc_ids)
    rng.shuffle(order)
    team = sorted(annotators)
    rng.shuffle(team)  # who comes first among equals is drawn too, not the alphabet
    load = {a: (loads or {}).get(a, 0) for a in team}
    used = Counter(pairs_used or {})
    schedule = pair_schedule(team)
    shared = shared_count(overlap, len(order))
    dealing: Dealing = {}
    for doc_id in order[:shared]:
        place = min(range(len(schedule)), key=lambda i: (*_pair_key(schedule[i], load, used), i))
        pair = schedule[place]
        for name in pair:
            load[name] += 1
        used[frozenset(pair)] += 1
        dealing[doc_id] = pair
    for doc_id in order[shared:]:
        name = min(team, key=load.__getitem__)  # the first of the fewest, in the drawn order
        load[name] += 1
        dealing[doc_id] = (name,)
    return dealing


def _pair_key(pair: tuple[str, str], load: Mapping[str, int], used: Counter[frozenset[str]]) -> tuple[int, ...]:
    """Lower is dealt first: the pair whose busier member has fewest documents, then fewest together,
    then the pair that has shared least."""
    first, second = load[pair[0]], load[pair[1]]
    return (max(first, second), first + second, used[frozenset(pair)])


@dataclass
class AssignReport:
    """What one ``assign`` did, and the whole assignment after it."""

    annotators: list[str]
    overlap: float
    seed: int
    dealt: int = 0  # documents dealt now
    shared: int = 0  # of them, documents given to two annotators
    kept: int = 0  # documents whose earlier assignment stays
    released: int = 0  # documents whose earlier assignment --replace took back and dealt again
    by_annotator: dict[str, assignments.AssignedProgress] = field(default_factory=dict)
    new: Counter[str] = field(default_factory=Counter)  # documents each annotator got now

    def as_json(self) -> dict:
        return {
            "annotators": self.annotators, "overlap": self.overlap, "seed": self.seed, "dealt": self.dealt,
            "shared": self.shared, "kept": self.kept, "released": self.released,
            "by_annotator": {name: {"documents": share.assigned, "shared": share.shared, "new": self.new[name]}
                             for name, share in self.by_annotator.items()},
        }


def assign(
    store: Store, actor: str, annotators: Sequence[str], overlap: float, seed: int, replace: bool = False
) -> AssignReport:
    """Deal the documents nobody is assigned yet to ``annotators`` and store it, logged as ``actor``'s.

    Assignments made before stay, and count towards each annotator's total. With ``replace``, every
    document is dealt again except those one of its assigned annotators has started or finished
    (labels, or a status other than todo): those keep their annotators.
    """
    check_team(annotators, overlap)
    report = AssignReport(list(annotators), overlap, seed)
    with store.write():
        doc_ids = store.document_ids()
        if not doc_ids:
            raise AssignmentError("the database has no documents to assign; import some first")
        current = assignments.by_document(store)
        released: list[str] = []
        if replace:
            started = assignments.started(store)
            released = [d for d in current if d not in started]
            current = {d: names for d, names in current.items() if d in started}
        loads = Counter(name for names in current.values() for name in names)
        pairs = Counter(frozenset(names) for names in current.values() if len(names) == 2)
        dealing = deal([d for d in doc_ids if d not in current], annotators, overlap, seed, loads, pairs)
        if dealing or released:
            settings = {"annotators": list(annotators), "overlap": overlap, "seed": seed, "replace": replace}
            assignments.store_dealing(store, actor, dealing, released, settings)
        held = assignments.progress(store)
    empty = assignments.AssignedProgress(0, 0, 0, 0, 0)
    report.by_annotator = {name: held.get(name, empty) for name in sorted({*held, *annotators})}
    report.dealt = len(dealing)
    report.shared = sum(len(names) == 2 for names in dealing.values())
    report.kept = len(current)
    report.released = len(released)
    report.new = Counter(name for names in dealing.values() for name in names)
    return report
