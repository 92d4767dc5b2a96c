"""Krippendorff's α over characters labelled quote / not quote, for any number of annotators (docs/metrics.md §9).

The units are the characters of every document that at least two annotators hold; an annotator
who does not hold a document leaves its characters missing. A character's value is quote when it
lies inside one of the annotator's edge-normalised quote spans, as in Cohen's κ.

With two values the nominal coincidence matrix depends only on how many annotators hold a
character (m) and how many of them label it quote (j), so the characters are counted by (m, j)
from each document's span boundaries and α is computed exactly from those few counts: the cost
grows with the number of spans, not with characters × annotators.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from annotator.evaluation.metrics import EvaluationError, check_spans
from annotator.evaluation.spans import edge_normalise, merge
from annotator.model import AnnotatedDocument


class AlphaResult:
    """Characters counted by (annotators holding them, annotators labelling them quote), and α from them."""

    def __init__(self, annotators: list[str]) -> None:
        self.annotators = annotators
        self.documents = 0
        self.characters = 0
        self.by_labels: Counter[tuple[int, int]] = Counter()

    def value(self) -> float | None:
        """Nominal α = 1 − D_o / D_e, which for two values is 1 − (n − 1) · o_qn / (n_q · n_n).

        n is the number of pairable values (Σ m over characters), n_q and n_n those that are quote
        and not quote, and o_qn = Σ j (m − j) / (m − 1) the quote / not-quote entry of the
        coincidence matrix. None when every value is the same (n_q · n_n = 0): α is undefined.
        """
        n = quote = 0
        disagreement = Fraction(0)
        for (m, j), chars in self.by_labels.items():
            n += chars * m
            quote += chars * j
            disagreement += Fraction(chars * j * (m - j), m - 1)
        expected = quote * (n - quote)
        if not expected:
            return None
        return float(1 - (n - 1) * disagreement / expected)

    def as_json(self) -> dict[str, Any]:
        return {
            "value": self.value(),
            "annotators": self.annotators,
            "documents": self.documents,
            "characters": self.characters,
        }


def _label_depths(text: str, holders: list[list[tuple[int, int]]]) -> Counter[int]:
    """Characters of ``text`` by how many holders' merged quote coverage contains them."""
    steps: Counter[int] = Counter()
    for coverage in holders:
        for s, e in coverage:
            steps[s] += 1
            steps[e] -= 1
    depths: Counter[int] = Counter()
    depth = position = 0
    for offset in sorted(steps):
        if depth:
            depths[depth] += offset - position
        depth += steps[offset]
        position = offset
    depths[0] = len(text) - sum(depths.values())
    return depths


def krippendorff_alpha(layers: Mapping[str, Iterable[AnnotatedDocument]]) -> AlphaResult:
    """α of the named annotators' labels over the documents at least two of them hold (matched by id).

    Raises EvaluationError when an id repeats in one layer, when the texts of an id differ, or
    when a span lies outside its text.
    """
    held: dict[str, dict[str, AnnotatedDocument]] = {}
    for name, docs in layers.items():
        for ad in docs:
            doc_id = ad.document.id
            holders = held.setdefault(doc_id, {})
            if name in holders:
                raise EvaluationError(f"{name} holds document {doc_id!r} twice")
            holders[name] = ad
    result = AlphaResult(list(layers))
    for doc_id, holders in held.items():
        if len(holders) < 2:
            continue
        text = next(iter(holders.values())).document.text
        coverages = []
        for name, ad in holders.items():
            if ad.document.text != text:
                raise EvaluationError(f"document {doc_id!r} has different texts for {', '.join(holders)}")
            check_spans(doc_id, text, list(ad.quotes), name)
            coverages.append(merge([edge_normalise(text, q.start, q.end) for q in ad.quotes]))
        result.documents += 1
        result.characters += len(text)
        m = len(holders)
        for j, chars in _label_depths(text, coverages).items():
            if chars:
                result.by_labels[m, j] += chars
    return result
