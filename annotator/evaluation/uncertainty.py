"""Uncertainty by resampling documents: bootstrap intervals and the paired comparison of two systems
(docs/metrics.md §6a).

Every figure is a ratio of counts summed over documents, so a resample of the documents is a weighted
sum of per-document counts: each document is scored once, its counts become a row of a matrix, and R
replicates are one product of an R × D weight matrix with it. Nothing is aligned again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.evaluation.metrics import COMPONENTS, ComponentCounts, Counts, EvaluationResult, Tally, marginal

SLOTS = Counts.__slots__

# Every P, R and accuracy figure as (numerator, denominator), by its path in the JSON block (docs/metrics.md §8).
RATIOS: dict[str, tuple[str, str]] = {
    "quotes.exact.p": ("exact", "pred"),
    "quotes.exact.r": ("exact", "gold"),
    "quotes.overlap@0.3.p": ("over03", "pred"),
    "quotes.overlap@0.3.r": ("over03", "gold"),
    "quotes.overlap@0.8.p": ("over08", "pred"),
    "quotes.overlap@0.8.r": ("over08", "gold"),
    "quotes.lenient.p": ("aligned", "pred"),
    "quotes.lenient.r": ("aligned", "gold"),
    "quotes.token.p": ("pred_tokens_in_gold", "pred_tokens"),
    "quotes.token.r": ("gold_tokens_predicted", "gold_tokens"),
    "speaker_accuracy": ("speaker_correct", "speaker_pairs"),
    "attribution.p": ("attribution_tp", "attribution_pred"),
    "attribution.r": ("attribution_tp", "attribution_gold"),
    "cue_accuracy": ("cue_correct", "cue_pairs"),
    "role_exact": ("role_exact", "role_pairs"),
    "role_token_f1": ("role_f1_sum", "role_pairs"),
}
F1S = ("quotes.exact", "quotes.overlap@0.3", "quotes.overlap@0.8", "quotes.lenient", "quotes.token", "attribution")
FIGURES: tuple[str, ...] = (
    *(f"{group}.{part}" for group in F1S[:5] for part in ("p", "r", "f1")),
    "speaker_accuracy",
    *(f"attribution.{part}" for part in ("p", "r", "f1")),
    "cue_accuracy", "role_exact", "role_token_f1",
)  # fmt: skip

# The same for each component of docs/metrics.md §5a, by its path in the component's JSON block.
COMPONENT_RATIOS: dict[str, tuple[str, str]] = {
    "exact.p": ("exact", "pred"),
    "exact.r": ("exact", "gold"),
    "token.p": ("pred_tokens_in_gold", "pred_tokens"),
    "token.r": ("gold_tokens_predicted", "gold_tokens"),
}
COMPONENT_FIGURES = tuple(f"{group}.{part}" for group in ("exact", "token") for part in ("p", "r", "f1"))

# The headline figures `annotator compare` tests, with their labels.
HEADLINE: tuple[tuple[str, str], ...] = (
    ("quotes.exact.f1", "span F1 exact"),
    ("quotes.overlap@0.3.f1", "span F1 overlap@0.3"),
    ("quotes.overlap@0.8.f1", "span F1 overlap@0.8"),
    ("quotes.lenient.f1", "span F1 lenient"),
    ("quotes.token.f1", "span F1 token"),
    ("attribution.f1", "attribution F1"),
    ("speaker_accuracy", "speaker accuracy"),
    ("cue_accuracy", "cue accuracy"),
    ("role_exact", "role exact"),
    ("role_token_f1", "role token F1"),
)
LEVEL = 95  # the intervals' coverage in per cent
# Two differences this close count as equal (a tie) in the randomisation test: the same figure summed in
# another order may differ in its last bits.
TIE = 1e-9

Interval = list[float] | None


def counts_matrix(counts: Sequence[Tally], slots: Sequence[str] = SLOTS) -> np.ndarray:
    """One row of counts per document (D × the fields ``slots``), in float64: sums of integers stay exact."""
    m = np.zeros((len(counts), len(slots)))
    for d, c in enumerate(counts):
        m[d] = [getattr(c, name) for name in slots]
    return m


def figure_arrays(sums: np.ndarray) -> dict[str, np.ndarray]:
    """Every figure of summed counts (the last axis is the Counts fields), NaN where undefined; the
    same conventions as metrics.ratio and metrics.f1 (F1 is 0 when P or R is 0)."""
    return _ratio_arrays(sums, SLOTS, RATIOS, F1S)


def component_arrays(sums: np.ndarray) -> dict[str, np.ndarray]:
    """``figure_arrays`` for summed ComponentCounts (the last axis is their fields)."""
    return _ratio_arrays(sums, ComponentCounts.__slots__, COMPONENT_RATIOS, ("exact", "token"))


def _ratio_arrays(
    sums: np.ndarray, slots: Sequence[str], ratios: dict[str, tuple[str, str]], f1s: Sequence[str]
) -> dict[str, np.ndarray]:
    at = {name: k for k, name in enumerate(slots)}
    out: dict[str, np.ndarray] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for path, (num, den) in ratios.items():
            n, d = sums[..., at[num]], sums[..., at[den]]
            out[path] = np.where(d > 0, n / np.where(d > 0, d, 1), np.nan)
        for group in f1s:
            p, r = out[f"{group}.p"], out[f"{group}.r"]
            harmonic = 2 * p * r / (p + r)
            out[f"{group}.f1"] = np.where((p == 0) | (r == 0), 0.0, harmonic)
    return out


def resample_weights(documents: int, replicates: int, rng: np.random.Generator) -> np.ndarray:
    """R × D: how often each document is drawn in each replicate (D draws with replacement)."""
    if not documents:
        return np.zeros((replicates, 0))
    return rng.multinomial(documents, np.full(documents, 1 / documents), size=replicates).astype(float)


def percentile_interval(replicates: np.ndarray, point: float | None) -> Interval:
    """The 2.5th and 97.5th percentiles of the replicates where the figure is defined, widened to the point
    estimate when it lies outside (docs/metrics.md §6a); None when the point or every replicate is undefined."""
    defined = replicates[~np.isnan(replicates)]
    if point is None or not defined.size:
        return None
    tail = (100 - LEVEL) / 2
    lo, hi = np.percentile(defined, [tail, 100 - tail])
    return [float(min(lo, point)), float(max(hi, point))]


def _intervals(matrix: np.ndarray, weights: np.ndarray, point: dict[str, Any]) -> dict[str, Interval]:
    """Intervals of the figures of summed counts; ``point`` is the JSON block of the figures themselves."""
    reps = figure_arrays(weights @ matrix)
    return {path: percentile_interval(reps[path], figure(point, path)) for path in FIGURES}


def _macro_intervals(matrix: np.ndarray, weights: np.ndarray, point: dict[str, Any]) -> dict[str, Interval]:
    """Intervals of the macro average: each replicate averages each figure over its drawn documents where
    it is defined, a document drawn twice counting twice."""
    per_doc = figure_arrays(matrix)
    out: dict[str, Interval] = {}
    for path in FIGURES:
        values = per_doc[path]
        defined = ~np.isnan(values)
        with np.errstate(divide="ignore", invalid="ignore"):
            reps = (weights @ np.where(defined, values, 0.0)) / (weights @ defined)
        out[path] = percentile_interval(reps, figure(point, path))
    return out


@dataclass
class Intervals:
    """Bootstrap intervals of an evaluation's figures by their JSON paths: overall, macro, by type, by field,
    and of the components."""

    replicates: int
    seed: int
    overall: dict[str, Interval]
    macro: dict[str, Interval]
    by_type: dict[str, dict[str, Interval]]
    breakdowns: dict[str, dict[str, dict[str, Interval]]]
    components: dict[str, dict[str, Interval]]

    def add_to(self, data: dict[str, Any]) -> dict[str, Any]:
        """The evaluation's JSON with ``<figure>_ci`` beside each figure and a ``bootstrap`` object saying how."""
        attach(data["overall"], self.overall)
        attach(data["macro"], self.macro)
        for t, intervals in self.by_type.items():
            attach(data["by_type"][t], intervals)
        for name, values in self.breakdowns.items():
            for v, intervals in values.items():
                attach(data["breakdowns"][name][v], intervals)
        for name, intervals in self.components.items():
            attach(data["components"][name], intervals)
        data["bootstrap"] = {"replicates": self.replicates, "seed": self.seed, "level": LEVEL / 100,
                             "resampled": "documents"}  # fmt: skip
        return data


def attach(block: dict[str, Any], intervals: dict[str, Interval]) -> None:
    """Put each interval beside its figure: ``{"p": 0.8, "p_ci": [lo, hi]}``, ``"speaker_accuracy_ci"``."""
    for path, interval in intervals.items():
        *parents, leaf = path_parts(path)
        node = block
        for p in parents:
            node = node[p]
        node[f"{leaf}_ci"] = interval


def path_parts(path: str) -> list[str]:
    """``quotes.overlap@0.3.f1`` → ``["quotes", "overlap@0.3", "f1"]`` (the dot of ``0.3`` is no separator)."""
    parts: list[str] = []
    for piece in path.split("."):
        if parts and piece[:1].isdigit():
            parts[-1] = f"{parts[-1]}.{piece}"
        else:
            parts.append(piece)
    return parts


def figure(block: dict[str, Any], path: str) -> Any:
    """A figure of a JSON block by its path."""
    node: Any = block
    for p in path_parts(path):
        node = node[p]
    return node


def bootstrap(result: EvaluationResult, replicates: int, seed: int) -> Intervals:
    """95 % percentile intervals of every figure, resampling the scored documents with replacement."""
    rng = np.random.default_rng(seed)
    doc_ids = list(result.by_document)
    weights = resample_weights(len(doc_ids), replicates, rng)
    overall = counts_matrix([result.by_document[d] for d in doc_ids])

    def by_value(n: int, totals: dict[str, Counts]) -> dict[str, dict[str, Interval]]:
        parts = [marginal(result.document_buckets[d], n) for d in doc_ids]
        return {
            v: _intervals(counts_matrix([p.get(v, Counts()) for p in parts]), weights, c.as_json())
            for v, c in totals.items()
        }

    def component(name: str) -> dict[str, Interval]:
        matrix = counts_matrix([result.document_components[d][name] for d in doc_ids], ComponentCounts.__slots__)
        reps = component_arrays(weights @ matrix)
        point = result.components[name].as_json()
        return {path: percentile_interval(reps[path], figure(point, path)) for path in COMPONENT_FIGURES}

    return Intervals(
        replicates=replicates,
        seed=seed,
        overall=_intervals(overall, weights, result.overall.as_json()),
        macro=_macro_intervals(overall, weights, result.macro()),
        by_type=by_value(0, result.by_type),
        breakdowns={f: by_value(n, result.breakdowns[f]) for n, f in enumerate(result.fields[1:], 1)},
        components={name: component(name) for name in COMPONENTS},
    )


# --- comparing two systems ----------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One headline figure of systems A and B over the same documents, and the paired test of B − A."""

    path: str
    label: str
    a: float | None
    b: float | None
    difference: float | None  # B − A
    interval: Interval  # paired bootstrap
    p_value: float | None  # approximate randomisation, two-sided

    def as_json(self) -> dict[str, Any]:
        return {"figure": self.path, "label": self.label, "a": self.a, "b": self.b, "difference": self.difference,
                "ci": self.interval, "p_value": self.p_value}  # fmt: skip


def _value(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def paired_test(
    a: Sequence[Counts], b: Sequence[Counts], replicates: int, permutations: int, seed: int
) -> list[Difference]:
    """Each headline figure of A and B, the difference B − A, its paired bootstrap interval (the same documents
    drawn for both) and an approximate randomisation p-value (A's and B's counts swapped in each document with
    probability ½; p = (1 + shuffles at least as far from 0 as observed) / (1 + shuffles), ties counted, so a
    system compared with itself has p = 1). ``a[d]`` and ``b[d]`` are the counts of the same document."""
    rng = np.random.default_rng(seed)
    ma, mb = counts_matrix(a), counts_matrix(b)
    documents = len(ma)
    fa, fb = figure_arrays(ma.sum(axis=0)), figure_arrays(mb.sum(axis=0))
    weights = resample_weights(documents, replicates, rng)
    boot_a, boot_b = figure_arrays(weights @ ma), figure_arrays(weights @ mb)
    swaps = rng.integers(0, 2, size=(permutations, documents)).astype(float)
    moved = swaps @ (mb - ma)  # what each shuffle moves from B's sums to A's
    shuffled_a, shuffled_b = figure_arrays(ma.sum(axis=0) + moved), figure_arrays(mb.sum(axis=0) - moved)
    out = []
    for path, label in HEADLINE:
        observed = float(fb[path] - fa[path])
        interval, p_value = None, None
        if not np.isnan(observed):
            interval = percentile_interval(boot_b[path] - boot_a[path], observed)
            shuffled = shuffled_b[path] - shuffled_a[path]
            shuffled = shuffled[~np.isnan(shuffled)]
            as_far = int(np.count_nonzero(np.abs(shuffled) >= abs(observed) - TIE))
            p_value = (1 + as_far) / (1 + shuffled.size)
        out.append(Difference(path, label, _value(float(fa[path])), _value(float(fb[path])),
                              _value(observed), interval, p_value))  # fmt: skip
    return out


@dataclass
class Comparison:
    """Two systems (as named) scored on the same gold, and the paired test of each headline figure (B − A)."""

    a: str
    b: str
    documents: list[str]
    differences: list[Difference]
    replicates: int
    permutations: int
    seed: int

    def as_json(self) -> dict[str, Any]:
        """The ``compare --json`` object of docs/metrics.md §8."""
        return {
            "a": self.a, "b": self.b, "documents": len(self.documents), "difference": "b - a",
            "test": {"interval": "paired bootstrap over documents, percentile", "replicates": self.replicates,
                     "p_value": "approximate randomisation over documents, two-sided",
                     "permutations": self.permutations, "seed": self.seed, "level": LEVEL / 100},
            "figures": [d.as_json() for d in self.differences],
        }  # fmt: skip


def paired_counts(
    a: EvaluationResult, b: EvaluationResult, doc_ids: Sequence[str]
) -> tuple[list[Counts], list[Counts], list[str]]:
    """The two systems' counts, document by document, over the documents (in ``doc_ids`` order) that the gold
    or either system has quotes in; a document one system has no entry for counts zero for it."""
    ids = [d for d in doc_ids if d in a.by_document or d in b.by_document]
    empty = Counts()
    return [a.by_document.get(d, empty) for d in ids], [b.by_document.get(d, empty) for d in ids], ids
