"""Reproducible train/dev/test splits by document.

The split depends only on the seed and the *set* of exported document ids,
never on import order: documents are ordered by the SHA-256 of
``"<seed>:<id>"`` and cut, in that order, into parts whose sizes follow the
requested proportions (largest-remainder rounding, so the sizes always add up
to the number of documents and are as close to the proportions as whole
documents allow).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass

PARTS = ("train", "dev", "test")
METHOD = (
    "documents ordered by sha256('<seed>:<id>') and cut in that order into parts "
    "sized by the proportions (largest-remainder rounding)"
)


class SplitSpecError(ValueError):
    """A --split value that cannot be read."""


@dataclass(frozen=True)
class SplitSpec:
    """Proportions for train, dev and test, as given (e.g. 80, 10, 10)."""

    weights: tuple[float, float, float]
    seed: int

    @classmethod
    def parse(cls, spec: str, seed: int = 0) -> SplitSpec:
        """``"80,10,10"`` (or ``"0.8,0.1,0.1"``): three non-negative numbers with a positive sum."""
        pieces = [p.strip() for p in spec.split(",")]
        if len(pieces) != 3:
            raise SplitSpecError(
                f"--split needs three proportions for train, dev and test, like 80,10,10 (got {spec!r})"
            )
        try:
            weights = tuple(float(p) for p in pieces)
        except ValueError:
            raise SplitSpecError(f"--split needs numbers, like 80,10,10 (got {spec!r})") from None
        if any(not math.isfinite(w) or w < 0 for w in weights) or sum(weights) <= 0:
            raise SplitSpecError(
                f"--split proportions must be non-negative with a positive sum (got {spec!r})"
            )
        return cls(weights, seed)  # type: ignore[arg-type]

    def as_json(self) -> dict[str, float | int]:
        return {part: _plain(w) for part, w in zip(PARTS, self.weights, strict=True)}

    def sizes(self, n: int) -> dict[str, int]:
        """How many of ``n`` documents go to each part (largest remainder, ties to the earlier part)."""
        total = sum(self.weights)
        exact = [n * w / total for w in self.weights]
        sizes = [math.floor(x) for x in exact]
        order = sorted(range(3), key=lambda i: (-(exact[i] - sizes[i]), i))
        for i in order[: n - sum(sizes)]:
            sizes[i] += 1
        return dict(zip(PARTS, sizes, strict=True))

    def assign(self, ids: Iterable[str]) -> dict[str, str]:
        """Document id → part name, for every id given."""
        unique = list(dict.fromkeys(ids))
        ranked = sorted(unique, key=lambda doc_id: (self.key(doc_id), doc_id))
        sizes = self.sizes(len(ranked))
        assignment: dict[str, str] = {}
        pos = 0
        for part in PARTS:
            for doc_id in ranked[pos : pos + sizes[part]]:
                assignment[doc_id] = part
            pos += sizes[part]
        return assignment

    def key(self, doc_id: str) -> bytes:
        return hashlib.sha256(f"{self.seed}:{doc_id}".encode()).digest()


def _plain(w: float) -> float | int:
    return int(w) if w.is_integer() else w
