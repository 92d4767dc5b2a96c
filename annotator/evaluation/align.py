"""One-to-one alignment of gold and predicted spans that maximises total overlap exactly (docs/metrics.md §2).

The objective is lexicographic: first the largest total character overlap, then
the smallest total symmetric difference, then the most identical pairs (so an
exact match is never passed over for an equally good pairing that has none),
then the most pairs for which a criterion passed in by the caller holds (the
evaluation prefers pairs whose predicted speaker is right). A greedy pass
(largest overlap first) is not enough: one long overlap can block two shorter
ones whose sum is larger.

Only overlapping pairs are candidates. The spans are first split into the
connected components of the overlap graph by a sweep over their starts, without
listing the pairs: spans in different components cannot affect each other, most
components are one pair or a star (one span against several, solved by taking
the best pair) and only tangles go to a solver. A tangle is solved by scipy:
``linear_sum_assignment`` on a weight matrix when it is small, else
``min_weight_full_bipartite_matching`` on its overlapping pairs (one extra
"unaligned" column per gold span makes every matching full). So a long chain of
overlaps costs about its length, not its square; and a large tangle where most
pairs overlap is read in slices that keep only the pairs an optimum can use
(``_best_pairs``), so 1,000 gold quotes against 100,000 overlapping predictions
never hold a hundred million pairs in memory.

Exactness. The four criteria are folded into one integer weight per pair,
``(overlap × M − symmetric difference) × B + identical × E + bonus``, with each
factor computed per component to exceed the largest total the criteria after it
can reach in any matching of that component (sums of the k longest spans, k
the smaller side; counts of the spans that have an identical or a bonus pair at
all). So a maximum-weight matching is exactly the lexicographic optimum. The
solvers work in float64, which holds integers exactly below 2**53; their
potentials and path lengths are sums of at most 2(k + 1) weights, so a
component is solved in one pass when ``4 (k + 1) × largest weight < 2**53``,
which the tight factors keep true well beyond real tangles (1,000 gold against
10,000 predicted quotes of 600 characters, with a bonus, fits). Past that bound
the criteria are solved in stages, each fitting the bound (overlap and symmetric
difference, then identical pairs and bonus; or each in turn): after a stage,
exact integer dual potentials computed from its optimal matching say which pairs
and which columns every optimum of that stage uses, and the next stage is solved
among those only (``_staged``). Either way the result is the exact optimum.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np

Span = tuple[int, int]  # normalised [start, end); empty spans align with nothing

EXACT_FLOAT = 2**53  # float64 holds every integer below this exactly
DENSE_CELLS = 4_000_000  # a tangle this small (gold × pred) is solved as one matrix whatever its density


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


def components(gold: Sequence[Span], pred: Sequence[Span]) -> list[tuple[list[int], list[int]]]:
    """The connected components of the overlap graph with at least one pair, as (gold, pred) index lists,
    each ascending.

    The spans, sorted by start, are first cut into clusters: runs in which each
    span starts before the furthest end so far, whichever side it is on, so no
    pair crosses two clusters. A cluster of one gold and one predicted span is a
    component (the usual case) and a cluster of one side holds none: only the
    others are swept (``_cluster_components``).
    """
    n = len(gold)
    events = sorted(
        [(s, e, i) for i, (s, e) in enumerate(gold) if e > s]
        + [(s, e, n + j) for j, (s, e) in enumerate(pred) if e > s]
    )
    cuts = []
    reach = -1
    for at, (s, e, _) in enumerate(events):
        if s >= reach:
            cuts.append(at)
        if e > reach:
            reach = e
    cuts.append(len(events))
    found: list[tuple[list[int], list[int]]] = []
    for first, last in pairwise(cuts):
        if last - first == 2:
            a, b = events[first][2], events[first + 1][2]
            if (a < n) != (b < n):
                found.append(([min(a, b)], [max(a, b) - n]))
        elif last - first > 2:
            found += _cluster_components(events[first:last], n)
    return found


def _cluster_components(events: list[tuple[int, int, int]], n: int) -> list[tuple[list[int], list[int]]]:
    """The components of one cluster of (start, end, node) spans sorted by start, nodes below ``n`` gold.

    A cluster with one span on a side is a star, found directly. Otherwise a sweep by
    start: a span overlaps every span of the other side that started no later and
    has not ended. Those open spans are kept in groups already known to be
    connected, each represented by its member that ends last; a new span joins
    every open group of the other side, which then merge into one. So the cost is
    a near-constant amount per span, however many pairs overlap.
    """
    gold_events = [event for event in events if event[2] < n]
    pred_events = [event for event in events if event[2] >= n]
    if not gold_events or not pred_events:
        return []
    if len(gold_events) == 1 or len(pred_events) == 1:
        # A star: the lone span of one side and every span of the other it overlaps (at least one, or it
        # would not have joined the cluster).
        lone, others = (gold_events, pred_events) if len(gold_events) == 1 else (pred_events, gold_events)
        s, e, centre = lone[0]
        partners = sorted(node for t, u, node in others if t < e and s < u)
        return [([centre], [j - n for j in partners]) if centre < n else (partners, [centre - n])]
    parent = {node: node for _, _, node in events}

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    open_groups: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])  # (end, node) per side
    linked = set()
    for s, e, node in events:
        side = 0 if node < n else 1
        others = [(end, rep) for end, rep in open_groups[1 - side] if end > s]
        if others:
            root = find(node)
            for _, rep in others:
                r = find(rep)
                if r != root:
                    parent[r] = root
            linked.add(node)
            linked.update(rep for _, rep in others)
            # every open span of the other side is now in one group: keep the one that ends last
            open_groups[1 - side][:] = [max(others)]
        else:
            open_groups[1 - side][:] = []
        open_groups[side].append((e, node))
    found: dict[int, tuple[list[int], list[int]]] = {}
    for node in sorted(linked):
        golds, preds = found.setdefault(find(node), ([], []))
        (golds if node < n else preds).append(node if node < n else node - n)
    return list(found.values())


def align(
    gold: Sequence[Span], pred: Sequence[Span], bonus: Callable[[int, int], bool] | None = None
) -> list[tuple[int, int]]:
    """The optimal one-to-one alignment as (gold index, pred index) pairs, sorted by gold index.

    Ties on overlap and symmetric difference go to the most identical pairs;
    ``bonus(i, j)`` (optional) is a fourth criterion, used only between
    alignments tied on those three: the most pairs for which it is true. The
    evaluation passes "the predicted speaker is right", so that two quotes with
    the same span and different speakers are paired with their own speakers.
    Deterministic: the result depends only on the inputs and their order.
    """
    pairs: list[tuple[int, int]] = []
    for golds, preds in components(gold, pred):
        if len(golds) == 1 and len(preds) == 1:  # the usual component: one pair
            pairs.append((golds[0], preds[0]))
        elif len(golds) == 1 or len(preds) == 1:
            # One pair, or a star: exactly one pair can be aligned, the best (first on ties).
            def rank(ij: tuple[int, int]) -> tuple:
                i, j = ij
                ov = min(gold[i][1], pred[j][1]) - max(gold[i][0], pred[j][0])
                sd = gold[i][1] - gold[i][0] + pred[j][1] - pred[j][0] - 2 * ov
                return (ov, -sd, sd == 0, bonus is not None and bonus(i, j), -i, -j)

            pairs.append(max(((i, j) for i in golds for j in preds), key=rank))
        else:
            pairs.extend(_solve(golds, preds, gold, pred, bonus))
    pairs.sort()
    return pairs


def _pair_arrays(
    golds: list[int], preds: list[int], gold: Sequence[Span], pred: Sequence[Span]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """The overlapping pairs of one component that an optimal alignment can use, as (row, column,
    overlap) arrays, and how to solve them: "matrix", "tangle" or "chain" (see _assign).

    Rows index ``golds``, columns ``preds``. A small component is computed as
    a matrix; a large one where many pairs overlap, in slices of a matrix that
    keep only the pairs an optimum can use (_best_pairs); a sparse one (a chain)
    by the sweep, so its cost is its number of pairs, not gold × pred.
    """
    g = np.array([gold[i] for i in golds], dtype=np.int64)
    p = np.array([pred[j] for j in preds], dtype=np.int64)
    cells = len(golds) * len(preds)
    # pairs per predicted span: golds starting before it ends, less those ended before it starts
    count = int((np.searchsorted(np.sort(g[:, 0]), p[:, 1], "left")
                 - np.searchsorted(np.sort(g[:, 1]), p[:, 0], "right")).sum())  # fmt: skip
    if cells <= DENSE_CELLS:
        ov = np.minimum(g[:, 1, None], p[None, :, 1]) - np.maximum(g[:, 0, None], p[None, :, 0])
        rows, cols = np.nonzero(ov > 0)
        return rows, cols, ov[rows, cols], "matrix"
    if 16 * count >= cells:  # reading every cell costs at most 16 per overlapping pair
        if len(golds) <= len(preds):
            rows, cols, ov = _best_pairs(g, p)
        else:
            cols, rows, ov = _best_pairs(p, g)
        return rows, cols, ov, "tangle"
    edges = overlap_edges([gold[i] for i in golds], [pred[j] for j in preds])
    arr = np.array(edges, dtype=np.int64).reshape(-1, 3)
    return arr[:, 0], arr[:, 1], arr[:, 2], "chain"


def _best_pairs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The overlapping pairs (index in ``a``, index in ``b``, overlap) of a large dense tangle that
    an optimal alignment can use, ``a`` being the smaller side; read in slices of ``a``.

    Each span of ``a`` keeps only its pairs that rank, by overlap then smaller
    symmetric difference, at least as high as its len(a)-th best: in an
    alignment using a lower pair, one of its len(a) best partners is free (the
    other spans of ``a`` hold at most len(a) − 1) and moving to it would be
    strictly better. So 1,000 gold quotes against 100,000 overlapping
    predictions keep about a million pairs, never a matrix of all of them.
    """
    k = len(a)
    la, lb = a[:, 1] - a[:, 0], b[:, 1] - b[:, 0]
    scale = 2 * int(max(la.max(), lb.max())) + 1  # exceeds any symmetric difference
    step = max(1, DENSE_CELLS // len(b))
    found = []
    for at in range(0, k, step):
        part = slice(at, at + step)
        ov = np.minimum(a[part, 1, None], b[None, :, 1]) - np.maximum(a[part, 0, None], b[None, :, 0])
        rank = np.where(ov > 0, ov * scale - (la[part, None] + lb[None, :] - 2 * ov), -1)
        for row in rank:
            ranks = row[row >= 0]
            if len(ranks) > k:
                row[row < np.partition(ranks, len(ranks) - k)[len(ranks) - k]] = -1
        ra, rb = np.nonzero(rank >= 0)
        found.append((ra + at, rb, ov[ra, rb]))
    return tuple(np.concatenate(x) for x in zip(*found, strict=True))


def _top_sum(lengths: np.ndarray, k: int) -> int:
    """The sum of the ``k`` largest lengths, as a Python integer."""
    return int(np.sort(lengths)[-k:].sum()) if k else 0


def _solve(
    golds: list[int],
    preds: list[int],
    gold: Sequence[Span],
    pred: Sequence[Span],
    bonus: Callable[[int, int], bool] | None,
) -> list[tuple[int, int]]:
    """The maximum-weight matching of one tangle (see the module docstring for the weights)."""
    rows, cols, ov, how = _pair_arrays(golds, preds, gold, pred)
    lg = np.array([gold[i][1] - gold[i][0] for i in golds], dtype=np.int64)
    lp = np.array([pred[j][1] - pred[j][0] for j in preds], dtype=np.int64)
    sd = lg[rows] + lp[cols] - 2 * ov
    same = sd == 0
    good = np.zeros(len(rows), dtype=bool)
    if bonus is not None:
        g_ids, p_ids = np.array(golds)[rows], np.array(preds)[cols]
        for at in range(0, len(rows), 1 << 16):  # in slices: no Python list as long as the pairs
            cut = slice(at, at + (1 << 16))
            good[cut] = list(map(bonus, g_ids[cut].tolist(), p_ids[cut].tolist()))
    k = min(len(golds), len(preds))

    def spread(mask: np.ndarray) -> int:
        """At most how many pairs of a matching can have ``mask`` true."""
        return min(len(np.unique(rows[mask])), len(np.unique(cols[mask]))) if mask.any() else 0

    m = 1 + _top_sum(lg, k) + _top_sum(lp, k)  # exceeds any matching's total symmetric difference
    k_good = spread(good)
    e = k_good + 1  # exceeds any matching's bonus count
    b = spread(same) * e + k_good + 1  # exceeds any matching's identical × E + bonus
    max_ov = int(ov.max())
    limit = EXACT_FLOAT // (4 * (len(golds) + len(preds) + 1))
    n_rows, n_cols = len(golds), len(preds)
    if max_ov * m * b + b > limit:  # too large to fold into one exact weight: one criterion group at a time
        stages = [(ov * m - sd, 0), (same * e + good, b)]
        if max_ov * m > limit:
            stages = [(ov, 0), (-sd, m), (same * e + good, b)]
        r, c = _staged(n_rows, n_cols, rows, cols, stages, how)
        return [(golds[i], preds[j]) for i, j in zip(r.tolist(), c.tolist(), strict=True)]
    weight = (ov * m - sd) * b + same * e + good
    if how == "matrix":
        from scipy.optimize import linear_sum_assignment  # loaded by the first tangle: half a second of start-up

        cost = np.zeros((n_rows, n_cols))
        cost[rows, cols] = -weight.astype(np.float64)
        r, c = linear_sum_assignment(cost)
        chosen = cost[r, c] < 0
        r, c = r[chosen], c[chosen]
    else:
        # each gold span may stay unaligned: its own extra column, weight 0
        at = _assign(n_rows, n_cols + n_rows, np.concatenate([rows, np.arange(n_rows)]),
                     np.concatenate([cols, n_cols + np.arange(n_rows)]),
                     np.concatenate([weight, np.zeros(n_rows, dtype=np.int64)]), how)  # fmt: skip
        r = np.flatnonzero(at < n_cols)
        c = at[r]
    return [(golds[i], preds[j]) for i, j in zip(r.tolist(), c.tolist(), strict=True)]


def _assign(n_rows: int, width: int, r: np.ndarray, c: np.ndarray, w: np.ndarray, how: str) -> np.ndarray:
    """The column of each row in a maximum-weight assignment of every row to one of its listed
    columns (pairs ``r``, ``c`` of weight ``w``), each column taken at most once.

    A "matrix" is solved dense. A "tangle" (few rows, many pairs each) goes to
    scipy's sparse solver as it is. A "chain" (a long, thin component) is solved
    as a perfect matching, on which that solver stays fast where the plain form
    takes time quadratic in the chain's length: each column also gets a stand-in row, taking the
    column when no row does, and each row a stand-in column, which the stand-in
    of the row's column takes when the row does (one for every listed pair).
    All costs are the same constant less the pair's weight, and every perfect
    matching has n_rows + width pairs, so the cheapest is the heaviest assignment.
    """
    from scipy.optimize import linear_sum_assignment  # loaded by the first tangle, as in _solve
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    if how == "matrix":
        cost = np.full((n_rows, width), np.inf)
        cost[r, c] = -w.astype(np.float64)
        rows, cols = linear_sum_assignment(cost)
        at = np.empty(n_rows, dtype=np.int64)
        at[rows] = cols
        return at
    top = float(w.max()) + 1  # every cost positive: the sparse solver reads zeros as absent pairs
    if how == "tangle":
        graph = csr_array((top - w.astype(np.float64), (r, c)), shape=(n_rows, width))
        rows, cols = min_weight_full_bipartite_matching(graph)
        at = np.empty(n_rows, dtype=np.int64)
        at[rows] = cols
        return at
    stand_in_row = n_rows + np.arange(width)  # rows n_rows.. are the columns' stand-ins
    stand_in_col = width + np.arange(n_rows)  # columns width.. are the rows' stand-ins
    graph = csr_array(
        (np.concatenate([top - w.astype(np.float64), np.full(width + len(r), top)]),
         (np.concatenate([r, stand_in_row, stand_in_row[c]]),
          np.concatenate([c, np.arange(width), stand_in_col[r]]))),
        shape=(n_rows + width, width + n_rows),
    )  # fmt: skip
    rows, cols = min_weight_full_bipartite_matching(graph)
    at = np.empty(n_rows, dtype=np.int64)
    real = rows < n_rows
    at[rows[real]] = cols[real]
    return at


def _potentials(n_rows: int, width: int, r: np.ndarray, c: np.ndarray, w: np.ndarray, at: np.ndarray):
    """Optimal dual potentials (u per row, v per column, exact integers) of the optimal assignment
    of row i to column ``at[i]``, by Bellman-Ford from the free columns (v = 0): v[at[i]] is the
    least v[j] + w[i, at[i]] − w[i, j], a column that no free one reaches starting high enough to
    stay non-negative. Then u + v ≥ w on every listed pair, with equality on the assigned ones."""
    order = np.argsort(r, kind="stable")
    r, c, w = r[order], c[order], w[order]
    starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])  # every row has a pair: its assigned one
    own = np.empty(n_rows, dtype=np.int64)
    own[r[c == at[r]]] = w[c == at[r]]
    v = np.zeros(width, dtype=np.int64)
    v[at] = (n_rows + 1) * (2 * int(np.abs(w).max()) + 1)
    for _ in range(n_rows + 1):  # no path is longer: the assignment being optimal, no cycle gains
        best = own + np.minimum.reduceat(v[c] - w, starts)
        if (best >= v[at]).all():
            break
        v[at] = np.minimum(v[at], best)
    return own - v[at], v


def _staged(
    n_rows: int, n_cols: int, rows: np.ndarray, cols: np.ndarray, stages: list[tuple[np.ndarray, int]], how: str
) -> tuple[np.ndarray, np.ndarray]:
    """The lexicographic optimum over ``stages`` of (criterion per pair, a bound exceeding the spread
    of its total over matchings), each solved among the optima of the ones before.

    Each row also gets its own "unaligned" column (0 in every criterion). After a stage, the
    optimal dual potentials (_potentials) describe all its optima at once: the matchings that
    use only pairs with u + v = w and cover every column with v > 0. The next stage keeps only
    those pairs and adds its bound to the pairs of those columns, so covering them outweighs
    anything its criterion can gain.
    """
    r_all = np.concatenate([rows, np.arange(n_rows)])
    c_all = np.concatenate([cols, n_cols + np.arange(n_rows)])
    width = n_cols + n_rows
    keep = np.ones(len(r_all), dtype=bool)
    covered = np.zeros(width, dtype=bool)
    for criterion, bound in stages:
        w = np.concatenate([criterion.astype(np.int64), np.zeros(n_rows, dtype=np.int64)]) + bound * covered[c_all]
        r, c, w = r_all[keep], c_all[keep], w[keep]
        at = _assign(n_rows, width, r, c, w, how)
        u, v = _potentials(n_rows, width, r, c, w, at)
        keep[keep] = u[r] + v[c] == w
        covered |= v > 0
    chosen = at < n_cols
    return np.flatnonzero(chosen), at[chosen]
