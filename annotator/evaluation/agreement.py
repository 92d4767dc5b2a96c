"""Agreement between two annotators (docs/metrics.md §9): the evaluation's alignment, used symmetrically, and Cohen's κ.

Every figure is symmetric in the two annotators:

- span F1 exact / lenient: 2 × (exact / aligned pairs) ÷ (|A| + |B|), the F1 of
  either annotator scored against the other;
- speaker agreement: over aligned pairs where at least one annotator named a
  speaker, the share whose speaker entities match. Each side pools its own
  entities as the evaluation pools gold ones; two entities match when a mention
  of one overlaps a mention of the other or they share a name, alias or mention
  text (case-folded, white space collapsed);
- attribution F1: 2 × (aligned pairs with matching speakers) ÷ (quotes of A with
  a speaker + quotes of B with a speaker);
- Cohen's κ over characters labelled quote / not quote (inside an edge-normalised
  quote span or not), over every character of the documents compared, pooled.

Between alignments tied on overlap and symmetric difference, the one with the
most matching speakers is taken (as in the evaluation). The alignment of a
document is always computed in one canonical orientation
(the two quote lists ordered by content), so ``agreement(a, b)`` and
``agreement(b, a)`` align exactly the same pairs even where several alignments
tie.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from annotator.evaluation.align import align
from annotator.evaluation.metrics import Entities, EvaluationError, Tally, check_spans, quote_key, ratio
from annotator.evaluation.spans import edge_normalise, merge, overlap
from annotator.model import AnnotatedDocument, Quote


class AgreementCounts(Tally):
    """Integer counts behind the agreement figures, reported under ``counts`` in this order."""

    __slots__ = (  # noqa: RUF023 (the order they are reported in)
        "documents", "a", "b", "aligned", "exact",
        "speaker_pairs", "speaker_agree", "a_attributed", "b_attributed", "attribution_agree",
        "characters", "a_characters", "b_characters", "both_characters",
    )  # fmt: skip

    def kappa(self) -> float | None:
        """Cohen's κ = (p_o − p_e) / (1 − p_e), computed on integers as (N·agree − E) / (N² − E).

        With N characters, a and b labelled quote by each annotator and ab by
        both: agree = N − a − b + 2ab and E = a·b + (N − a)(N − b), so that
        p_o = agree / N and p_e = E / N². None when p_e = 1 (both annotators
        gave every character the same single label, or there are no characters).
        """
        n, a, b, ab = self.characters, self.a_characters, self.b_characters, self.both_characters
        agree = n - a - b + 2 * ab
        expected = a * b + (n - a) * (n - b)
        return ratio(n * agree - expected, n * n - expected)

    def as_json(self) -> dict[str, Any]:
        return {
            "counts": self.fields(),
            "span_f1": {
                "exact": ratio(2 * self.exact, self.a + self.b),
                "lenient": ratio(2 * self.aligned, self.a + self.b),
            },
            "speaker_agreement": ratio(self.speaker_agree, self.speaker_pairs),
            "attribution_f1": ratio(2 * self.attribution_agree, self.a_attributed + self.b_attributed),
            "kappa": self.kappa(),
        }


class AgreementResult:
    """Agreement of annotators ``a`` and ``b``: overall and by document (documents in ``a``'s order)."""

    def __init__(self, a: str = "a", b: str = "b") -> None:
        self.a = a
        self.b = b
        self.overall = AgreementCounts()
        self.by_document: dict[str, AgreementCounts] = {}

    def as_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "overall": self.overall.as_json(),
            "by_document": {d: c.as_json() for d, c in self.by_document.items()},
        }


def _intersection(x: list[tuple[int, int]], y: list[tuple[int, int]]) -> int:
    i = j = total = 0
    while i < len(x) and j < len(y):
        total += overlap(x[i][0], x[i][1], y[j][0], y[j][1])
        if x[i][1] < y[j][1]:
            i += 1
        else:
            j += 1
    return total


def entities_match(ea: Entities, k: int, eb: Entities, m: int) -> bool:
    """Whether quote k of one annotator and quote m of another name the same speaker entity."""
    x, y = ea.entity_of[k], eb.entity_of[m]
    if x is None or y is None:
        return False
    if ea.keys[x] & eb.keys[y]:
        return True
    return any(
        overlap(s, e, t, u) for s, e in ea.mentions.get(x, ()) for t, u in eb.mentions.get(y, ())
    )


def align_annotators(
    aspans: list[tuple[int, int]], a: list[Quote], ea: Entities,
    bspans: list[tuple[int, int]], b: list[Quote], eb: Entities,
) -> list[tuple[int, int]]:
    """The agreement alignment of two annotators' quotes (each sorted by ``quote_key``), as (a, b) index
    pairs: computed in one canonical orientation, so that swapping the annotators pairs the same quotes."""
    if [quote_key(q) for q in a] <= [quote_key(q) for q in b]:
        return align(aspans, bspans, lambda i, j: entities_match(ea, i, eb, j))
    return sorted((i, j) for j, i in align(bspans, aspans, lambda j, i: entities_match(ea, i, eb, j)))


def agree_document(text: str, a: list[Quote], b: list[Quote]) -> AgreementCounts:
    """Agreement counts of one document labelled by two annotators."""
    a = sorted(a, key=quote_key)
    b = sorted(b, key=quote_key)
    aspans = [edge_normalise(text, q.start, q.end) for q in a]
    bspans = [edge_normalise(text, q.start, q.end) for q in b]
    ea, eb = Entities(a), Entities(b)
    pairs = align_annotators(aspans, a, ea, bspans, b, eb)
    c = AgreementCounts()
    c.documents = 1
    c.a, c.b, c.aligned = len(a), len(b), len(pairs)
    c.a_attributed = sum(q.speaker is not None for q in a)
    c.b_attributed = sum(q.speaker is not None for q in b)
    for i, j in pairs:
        if aspans[i] == bspans[j]:
            c.exact += 1
        if a[i].speaker is None and b[j].speaker is None:
            continue
        c.speaker_pairs += 1
        if entities_match(ea, i, eb, j):
            c.speaker_agree += 1
            c.attribution_agree += 1
    acov, bcov = merge(aspans), merge(bspans)
    c.characters = len(text)
    c.a_characters = sum(e - s for s, e in acov)
    c.b_characters = sum(e - s for s, e in bcov)
    c.both_characters = _intersection(acov, bcov)
    return c


def agreement(
    a: Iterable[AnnotatedDocument],
    b: Iterable[AnnotatedDocument],
    a_name: str = "a",
    b_name: str = "b",
) -> AgreementResult:
    """Agreement between two annotators' labels over the documents both hold (matched by id).

    The caller chooses the documents (the command line passes those each
    annotator marked done); a document only one side holds is ignored. Raises
    EvaluationError when an id repeats on one side or the two texts of an id differ.
    """
    b_by_id: dict[str, AnnotatedDocument] = {}
    for ad in b:
        if ad.document.id in b_by_id:
            raise EvaluationError(f"{b_name} holds document {ad.document.id!r} twice")
        b_by_id[ad.document.id] = ad
    result = AgreementResult(a_name, b_name)
    for ad in a:
        doc = ad.document
        if doc.id in result.by_document:
            raise EvaluationError(f"{a_name} holds document {doc.id!r} twice")
        other = b_by_id.get(doc.id)
        if other is None:
            continue
        if other.document.text != doc.text:
            raise EvaluationError(
                f"document {doc.id!r} has a different text for {a_name} and for {b_name}"
            )
        check_spans(doc.id, doc.text, ad.quotes, a_name)
        check_spans(doc.id, doc.text, other.quotes, b_name)
        counts = agree_document(doc.text, list(ad.quotes), list(other.quotes))
        result.by_document[doc.id] = counts
        result.overall += counts
    return result
