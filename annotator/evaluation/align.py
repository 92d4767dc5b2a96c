"""One-to-one alignment of gold and predicted spans that maximises total overlap exactly (DESIGN §4.2).

The objective is lexicographic: first the largest total character overlap, then
the smallest total symmetric difference. Both are folded into one integer weight
per pair, ``overlap × M − symmetric difference`` with ``M`` larger than the
symmetric difference of any whole matching, so a maximum-weight matching is
exactly the lexicographic optimum. A greedy pass (largest overlap first) is not:
taking one long overlap can block two shorter ones whose sum is larger.

Between alignments tied on both, two further criteria decide, folded into the
weight the same way: the most identical pairs (so an exact match is never
passed over for an equally good pairing that has none), then a criterion passed
in by the caller (the evaluation prefers pairs whose predicted speaker is right).

The maximum-weight matching is found with the Hungarian algorithm (Kuhn–Munkres,
shortest augmenting paths with potentials) on integers, which is exact: it
returns a provably optimal assignment, with no floating point involved. Pairs
that do not overlap have weight 0 and are dropped afterwards; every overlapping
pair has a positive weight, so leaving a span unaligned never beats aligning it
when that adds overlap. The problem is split first into connected components of
the overlap graph: spans in different components cannot affect each other, most
components are a single pair, and only the rare tangles go to the cubic solver.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence

Span = tuple[int, int]  # normalised [start, end); empty spans align with nothing


def overlap_edges(gold: Sequence[Span], pred: Sequence[Span]) -> list[tuple[int, int, int]]:
    """Every (gold index, pred index, overlap) with a positive overlap, found by a sweep."""
    order = sorted((s, e, i) for i, (s, e) in enumerate(gold) if e > s)
    if not order:
        return []
    starts = [s for s, _, _ in order]
    reach = []  # reach[k]: the largest end among order[0..k]
    best = -1
    for _, e, _ in order:
        best = e if e > best else best
        reach.append(best)
    edges = []
    for j, (ps, pe) in enumerate(pred):
        if pe <= ps:
            continue
        k = bisect_left(starts, pe) - 1
        while k >= 0 and reach[k] > ps:
            gs, ge, i = order[k]
            if ge > ps:
                edges.append((i, j, min(ge, pe) - max(gs, ps)))
            k -= 1
    return edges


def align(
    gold: Sequence[Span], pred: Sequence[Span], bonus: Callable[[int, int], bool] | None = None
) -> list[tuple[int, int]]:
    """The optimal one-to-one alignment as (gold index, pred index) pairs, sorted by gold index.

    Ties on overlap and symmetric difference go to the most identical pairs;
    ``bonus(i, j)`` (optional) is a fourth criterion, used only between
    alignments tied on those three: the most pairs for which it is true. The evaluation passes "the predicted speaker is right", so
    that two quotes with the same span and different speakers are paired with
    their own speakers. Deterministic: among alignments equal on every criterion
    the result depends only on the order of the inputs.
    """
    edges = overlap_edges(gold, pred)
    if not edges:
        return []
    # Connected components of the bipartite overlap graph (gold i is node i, pred j is n + j).
    n = len(gold)
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for i, j, _ in edges:
        a, b = find(i), find(n + j)
        if a != b:
            parent[b] = a
    components: dict[int, list[tuple[int, int, int]]] = {}
    for edge in edges:
        components.setdefault(find(edge[0]), []).append(edge)

    pairs: list[tuple[int, int]] = []
    for comp in components.values():
        if len(comp) == 1:
            pairs.append((comp[0][0], comp[0][1]))
            continue
        weighted = _weights(comp, gold, pred, bonus)
        golds = {i for i, _, _ in comp}
        preds = {j for _, j, _ in comp}
        if len(golds) == 1 or len(preds) == 1:
            # A star: exactly one pair can be aligned, the heaviest (first on ties).
            best = max(weighted, key=lambda e: (e[2], -e[0], -e[1]))
            pairs.append((best[0], best[1]))
        else:
            pairs.extend(_hungarian(weighted, sorted(golds), sorted(preds)))
    pairs.sort()
    return pairs


def _weights(
    comp: list[tuple[int, int, int]],
    gold: Sequence[Span],
    pred: Sequence[Span],
    bonus: Callable[[int, int], bool] | None,
) -> list[tuple[int, int, int]]:
    """Each edge weighted (overlap × M − symmetric difference) × B + identical × E + bonus.

    M exceeds the total symmetric difference of any matching of the component;
    E exceeds its total bonus and B its total of the two last terms (a matching
    has at most k pairs), so the weights order matchings lexicographically:
    overlap, then symmetric difference, then identical pairs, then bonus.
    """
    golds = {i for i, _, _ in comp}
    preds = {j for _, j, _ in comp}
    m = 1 + sum(gold[i][1] - gold[i][0] for i in golds) + sum(pred[j][1] - pred[j][0] for j in preds)
    k = min(len(golds), len(preds))
    e = k + 1
    b = k * (e + 1) + 1
    out = []
    for i, j, ov in comp:
        symdiff = (gold[i][1] - gold[i][0]) + (pred[j][1] - pred[j][0]) - 2 * ov
        extra = (e if symdiff == 0 else 0) + (1 if bonus is not None and bonus(i, j) else 0)
        out.append((i, j, (ov * m - symdiff) * b + extra))
    return out


def _hungarian(
    weighted: list[tuple[int, int, int]], golds: list[int], preds: list[int]
) -> list[tuple[int, int]]:
    """Maximum-weight matching of one component by the Hungarian algorithm (O(n²m), integers only)."""
    transpose = len(golds) > len(preds)
    rows, cols = (preds, golds) if transpose else (golds, preds)
    row_at = {x: r for r, x in enumerate(rows)}
    col_at = {x: c for c, x in enumerate(cols)}
    nr, nc = len(rows), len(cols)
    # Minimise cost = −weight; absent pairs cost 0 (aligning them means "unaligned").
    cost = [[0] * nc for _ in range(nr)]
    for i, j, w in weighted:
        r, c = (row_at[j], col_at[i]) if transpose else (row_at[i], col_at[j])
        cost[r][c] = -w
    inf = float("inf")
    u = [0] * (nr + 1)  # row potentials (1-based; index 0 is the virtual start)
    v = [0] * (nc + 1)  # column potentials
    match = [0] * (nc + 1)  # match[c] = row matched to column c (1-based), 0 = free
    way = [0] * (nc + 1)
    for r in range(1, nr + 1):
        match[0] = r
        c0 = 0
        minv = [inf] * (nc + 1)
        used = [False] * (nc + 1)
        while True:
            used[c0] = True
            r0 = match[c0]
            row = cost[r0 - 1]
            ur0 = u[r0]
            delta = inf
            c1 = 0
            for c in range(1, nc + 1):
                if not used[c]:
                    cur = row[c - 1] - ur0 - v[c]
                    if cur < minv[c]:
                        minv[c] = cur
                        way[c] = c0
                    if minv[c] < delta:
                        delta = minv[c]
                        c1 = c
            for c in range(nc + 1):
                if used[c]:
                    u[match[c]] += delta
                    v[c] -= delta
                else:
                    minv[c] -= delta
            c0 = c1
            if match[c0] == 0:
                break
        while c0:
            c1 = way[c0]
            match[c0] = match[c1]
            c0 = c1
    pairs = []
    for c in range(1, nc + 1):
        r = match[c]
        if r and cost[r - 1][c - 1] < 0:
            a, b = rows[r - 1], cols[c - 1]
            pairs.append((b, a) if transpose else (a, b))
    return pairs
