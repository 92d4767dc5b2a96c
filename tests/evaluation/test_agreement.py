"""Agreement between annotators: hand-computed figures and symmetry."""

from __future__ import annotations

import pytest

from annotator.evaluation import EvaluationError, agreement
from tests.support.evaluation import at, doc, quote


def test_hand_computed_agreement():
    t = "abcdefghij"
    a = [doc("d", t, quote(t, (0, 5), speaker="X"))]
    b = [doc("d", t, quote(t, (2, 6), speaker="x"))]
    o = agreement(a, b).as_json()["overall"]
    # Spans: one aligned pair, not identical: exact F1 = 2·0/(1+1) = 0; lenient = 2·1/(1+1) = 1.
    assert o["span_f1"] == {"exact": 0.0, "lenient": 1.0}
    # Speakers "X" and "x" match case-folded: 1/1; attribution F1 = 2·1/(1+1) = 1.
    assert o["speaker_agreement"] == 1.0 and o["attribution_f1"] == 1.0
    # κ over N = 10 characters: A marks 5 (a..e), B marks 4 (c..f), both 3 (c..e).
    #   p_o = (10 − 5 − 4 + 2·3) / 10 = 0.7
    #   p_e = 0.5·0.4 + 0.5·0.6 = 0.5
    #   κ = (0.7 − 0.5) / (1 − 0.5) = 0.4
    assert o["kappa"] == pytest.approx(0.4)
    assert o["counts"]["characters"] == 10


def test_speaker_agreement_and_attribution_f1_by_hand():
    t = "Q1 Q2 Q3 Q4 Q5. Ann. Bob."
    a = [doc("d", t,
             quote(t, at(t, "Q1"), speaker="Ann"),
             quote(t, at(t, "Q2"), speaker="Ann"),
             quote(t, at(t, "Q3")),
             quote(t, at(t, "Q4")),
             quote(t, at(t, "Q5"), speaker="Cy"))]  # fmt: skip
    b = [doc("d", t,
             quote(t, at(t, "Q1"), speaker="someone", mention=at(t, "Ann")),
             quote(t, at(t, "Q2"), speaker="Bob"),
             quote(t, at(t, "Q3"), speaker="Bob"),
             quote(t, at(t, "Q4")))]  # fmt: skip
    o = agreement(a, b).as_json()["overall"]
    # Aligned pairs: Q1–Q4 (4). Pairs where at least one gave a speaker: Q1, Q2, Q3 (Q4 has none on
    # either side). Q1: B's entity {"someone", mention text "ann"} shares "ann" with A's {"ann"}: match.
    # Q2: Ann vs Bob: no. Q3: only B named a speaker: no.
    #   speaker agreement = 1 / 3
    assert o["speaker_agreement"] == pytest.approx(1 / 3)
    # Attribution F1 = 2·1 / (A with speaker: Q1, Q2, Q5 = 3 + B with speaker: Q1, Q2, Q3 = 3) = 1/3.
    assert o["attribution_f1"] == pytest.approx(1 / 3)
    # Spans: 4 aligned, all exact, |A| = 5, |B| = 4: F1 = 2·4 / 9.
    assert o["span_f1"] == pytest.approx({"exact": 8 / 9, "lenient": 8 / 9})


def test_identical_annotations_agree_fully_and_no_quotes_leave_kappa_null():
    t = "“Ya,” kata Ani. Lalu pergi."
    layer = [doc("d", t, quote(t, at(t, "“Ya,”"), speaker="Ani", mention=at(t, "Ani")))]
    o = agreement(layer, layer).as_json()["overall"]
    assert o["span_f1"] == {"exact": 1.0, "lenient": 1.0}
    assert o["speaker_agreement"] == o["attribution_f1"] == o["kappa"] == 1.0
    # Neither annotator marked anything: agreement is total but κ is undefined (p_e = 1).
    empty = agreement([doc("d", t)], [doc("d", t)]).as_json()["overall"]
    assert empty["kappa"] is None and empty["span_f1"] == {"exact": None, "lenient": None}
    assert empty["counts"]["documents"] == 1


def test_marks_included_or_excluded_agree():
    t = "Dia bilang, “Kami siap,” kata Budi."
    a = [doc("d", t, quote(t, at(t, "“Kami siap,”")))]
    b = [doc("d", t, quote(t, at(t, "Kami siap")))]
    o = agreement(a, b).as_json()["overall"]
    assert o["span_f1"]["exact"] == 1.0 and o["kappa"] == 1.0


def test_agreement_is_symmetric_on_an_ambiguous_tangle():
    # Three identical spans on each side with different speakers: many alignments tie, yet both
    # orders must align the same pairs.
    t = "aaaa bbbb"
    a = [doc("d", t, *(quote(t, (0, 9), speaker=n) for n in ("P", "Q", "R")))]
    b = [doc("d", t, *(quote(t, (0, 9), speaker=n) for n in ("R", "S", "P")), quote(t, (5, 9)))]
    ab, ba = agreement(a, b).as_json()["overall"], agreement(b, a).as_json()["overall"]
    for key in ("span_f1", "speaker_agreement", "attribution_f1", "kappa"):
        assert ab[key] == ba[key], key


def test_only_documents_both_hold_are_compared():
    t = "aaaa"
    a = [doc("both", t, quote(t, (0, 4))), doc("only-a", t, quote(t, (0, 4)))]
    b = [doc("both", t, quote(t, (0, 4))), doc("only-b", t)]
    r = agreement(a, b)
    assert list(r.by_document) == ["both"]
    assert r.overall.documents == 1


def test_different_texts_under_one_id_are_refused():
    with pytest.raises(EvaluationError, match="different text"):
        agreement([doc("d", "aaaa")], [doc("d", "bbbb")])
