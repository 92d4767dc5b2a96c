"""Breakdowns by any quote field or meta key, and the macro average over documents (docs/metrics.md §6)."""

from __future__ import annotations

import pytest

from annotator.evaluation import evaluate
from annotator.evaluation.metrics import NO_VALUE
from annotator.model import AnnotatedDocument, Document, Quote, Speaker
from tests.support.evaluation import at, doc, quote

TEXT = "“Aa bb,” kata Ani. “Cc dd,” ujar Bo. Ee ff."


def with_fields(q: Quote, kind: str | None = None, **extra) -> Quote:
    if kind is not None:
        q.speaker.kind = kind
    q.extra.update(extra)
    return q


def test_by_kind_and_a_file_field_file_unaligned_predictions_under_their_own_value():
    gold = [doc("d", TEXT,
                with_fields(quote(TEXT, at(TEXT, "“Aa bb,”"), speaker="Ani"), "person", speaker_resolved="coref"),
                with_fields(quote(TEXT, at(TEXT, "“Cc dd,”"), speaker="Bo"), "organisation"))]  # fmt: skip
    pred = [doc("d", TEXT,
                with_fields(quote(TEXT, at(TEXT, "Aa bb"), speaker="Ani"), "organisation"),  # aligned: gold's value
                with_fields(quote(TEXT, at(TEXT, "Ee ff"), speaker="Ee"), "person",
                            speaker_resolved="coref"))]  # unaligned: its own  # fmt: skip
    result = evaluate(gold, pred, by=("kind", "speaker_resolved", "kind"))
    assert result.fields == ("type", "kind", "speaker_resolved")
    kind = result.breakdowns["kind"]
    assert list(kind) == ["organisation", "person"]
    assert (kind["person"].gold, kind["person"].pred, kind["person"].aligned) == (1, 2, 1)
    assert (kind["organisation"].gold, kind["organisation"].pred) == (1, 0)
    resolved = result.breakdowns["speaker_resolved"]
    assert list(resolved) == ["coref", NO_VALUE]  # (none) last
    assert (resolved["coref"].gold, resolved["coref"].pred) == (1, 2)
    # Each breakdown adds up to the overall counts, and a document counts once under each value.
    for values in result.breakdowns.values():
        total = sum(c.gold for c in values.values()), sum(c.pred for c in values.values())
        assert total == (result.overall.gold, result.overall.pred)
        assert all(c.documents == 1 for c in values.values())
    data = result.as_json()
    assert data["breakdowns"]["kind"]["person"]["counts"]["gold"] == 1
    assert "breakdowns" not in evaluate(gold, pred).as_json()


def test_by_a_meta_key_and_quote_fields():
    def meta_doc(doc_id: str, source: str, *quotes: Quote) -> AnnotatedDocument:
        return AnnotatedDocument(Document(doc_id, TEXT, meta={"source": source, "year": 2020}), list(quotes))

    q = quote(TEXT, at(TEXT, "“Aa bb,”"), speaker="Ani", role="Menteri")
    gold = [meta_doc("a", "kompas", q), meta_doc("b", "tempo", q), meta_doc("c", "kompas", q)]
    result = evaluate(gold, gold, by=("source", "year", "role", "via"))
    assert {v: c.documents for v, c in result.breakdowns["source"].items()} == {"kompas": 2, "tempo": 1}
    assert list(result.breakdowns["year"]) == ["2020"]
    assert list(result.breakdowns["role"]) == ["Menteri"]
    assert list(result.breakdowns["via"]) == [NO_VALUE]


def test_the_macro_average_means_each_figure_over_the_documents_that_define_it():
    t = "“Aa bb,” kata Ani."
    g = quote(t, at(t, "“Aa bb,”"), speaker="Ani")
    gold = [doc("right", t, g), doc("wrong", t, g), doc("missed", t, g), doc("empty", t)]
    pred = [doc("right", t, g),
            doc("wrong", t, quote(t, at(t, "“Aa bb,”"), speaker="Bo")),
            doc("missed", t), doc("empty", t)]  # fmt: skip
    result = evaluate(gold, pred)
    macro = result.as_json()["macro"]
    assert macro["counts"] == {"documents": 3}  # "empty" has neither gold nor predictions: no entry
    # Attribution P: right 1, wrong 0, missed undefined (nothing predicted) → (1 + 0) / 2.
    assert macro["attribution"]["p"] == 0.5
    # R and F1: right 1, wrong 0, missed 0 → 1/3; F1 is the mean of the documents' F1s, not F1 of the means.
    assert macro["attribution"]["r"] == pytest.approx(1 / 3)
    assert macro["attribution"]["f1"] == pytest.approx(1 / 3)
    assert macro["speaker_accuracy"] == 0.5  # over the two documents with aligned pairs
    assert macro["role_exact"] is None  # no document defines it
    # The micro average pools the counts instead: TP 1 of 2 predicted, of 3 gold.
    assert result.as_json()["overall"]["attribution"]["p"] == 0.5
    assert result.as_json()["overall"]["attribution"]["r"] == pytest.approx(1 / 3)


def test_a_quote_without_a_speaker_has_no_kind():
    t = "“Aa bb,” kata Ani."
    q = Quote(0, 8, t[:8], speaker=None)
    result = evaluate([doc("d", t, q)], [doc("d", t, Quote(0, 8, t[:8], speaker=Speaker("Ani", "person")))],
                      by=("kind",))
    assert list(result.breakdowns["kind"]) == [NO_VALUE]
