"""Krippendorff's α of annotators' quote labels computed independently: the `krippendorff` package per character."""

from __future__ import annotations

import krippendorff
import numpy as np

from annotator.evaluation.spans import edge_normalise
from annotator.model import AnnotatedDocument


def reference_alpha(layers: dict[str, list[AnnotatedDocument]]) -> float | None:
    """α from the package, over a character × annotator matrix with a missing value where a document is not held."""
    held: dict[str, dict[str, AnnotatedDocument]] = {}
    for name, docs in layers.items():
        for ad in docs:
            held.setdefault(ad.document.id, {})[name] = ad
    columns = []
    for holders in held.values():
        if len(holders) < 2:
            continue
        text = next(iter(holders.values())).document.text
        matrix = np.full((len(layers), len(text)), np.nan)
        for row, name in enumerate(layers):
            if name in holders:
                matrix[row] = 0
                for q in holders[name].quotes:
                    s, e = edge_normalise(text, q.start, q.end)
                    matrix[row, s:e] = 1
        columns.append(matrix)
    if not columns:
        return None
    data = np.hstack(columns)
    if len(np.unique(data[~np.isnan(data)])) < 2:
        return None  # the package refuses a single value; α is undefined
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
