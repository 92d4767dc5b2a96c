"""Empty inputs give the documented nulls; random span sets never crash and stay within [0, 1]."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.evaluation import agreement, attribution_outcomes, evaluate
from annotator.evaluation.spans import edge_normalise
from annotator.evaluation.tokens import TokenIndex, covered_counts
from annotator.model import AnnotatedDocument, Document, Quote, Span, Speaker
from annotator.text import tokens
from tests.support.evaluation import at, doc, figures, quote

SPEC_KEYS = {
    "counts", "quotes", "speaker_accuracy", "attribution", "cue_accuracy", "role_exact", "role_token_f1",
}  # fmt: skip
QUOTE_KEYS = {"exact", "overlap@0.3", "overlap@0.8", "lenient", "token"}


def test_nothing_at_all_gives_nulls_and_no_breakdowns():
    r = evaluate([], []).as_json()
    assert set(r) == {"overall", "macro", "by_type", "by_document", "components"}
    assert r["by_type"] == {} and r["by_document"] == {}
    assert r["macro"]["counts"] == {"documents": 0}
    assert list(r["components"]) == ["content", "cue", "source"]
    o = r["overall"]
    assert set(o) == SPEC_KEYS and set(o["quotes"]) == QUOTE_KEYS
    assert {k: o["counts"][k] for k in ("documents", "gold", "pred", "aligned")} == dict.fromkeys(
        ("documents", "gold", "pred", "aligned"), 0
    )
    assert all(v is None for _, v in figures(r))


def test_documents_without_quotes_add_nothing():
    t = "aaaa bbbb"
    empty = [doc("e1", t), doc("e2", "x")]
    r = evaluate(empty, empty).as_json()
    assert r["overall"]["counts"]["documents"] == 0
    assert r["by_document"] == {}
    assert all(v is None for _, v in figures(r))
    # Adding them next to a scored document changes nothing.
    one = [doc("d", t, quote(t, at(t, "aaaa")))]
    assert evaluate(one + empty, one + empty).as_json() == evaluate(one, one).as_json()


def test_empty_predictions_give_null_precision_and_zero_recall():
    t = "aaaa bbbb"
    gold = [doc("d", t, quote(t, at(t, "aaaa"), speaker="A", cue=at(t, "bbbb"), role="r"))]
    o = evaluate(gold, []).as_json()["overall"]
    for name in QUOTE_KEYS:
        assert o["quotes"][name] == {"p": None, "r": 0.0, "f1": 0.0}, name
    assert o["attribution"] == {"p": None, "r": 0.0, "f1": 0.0}
    # No aligned pairs: the accuracies over aligned pairs have nothing to divide by.
    assert o["speaker_accuracy"] is None and o["cue_accuracy"] is None
    assert o["role_exact"] is None and o["role_token_f1"] is None
    assert o["counts"]["documents"] == 1


def test_empty_gold_gives_zero_precision_and_null_recall():
    t = "aaaa bbbb"
    pred = [doc("d", t, quote(t, at(t, "aaaa"), speaker="A"))]
    o = evaluate([doc("d", t)], pred).as_json()["overall"]
    for name in QUOTE_KEYS:
        assert o["quotes"][name] == {"p": 0.0, "r": None, "f1": 0.0}, name
    assert o["attribution"] == {"p": 0.0, "r": None, "f1": 0.0}


def test_only_speakerless_gold_leaves_attribution_null():
    t = "aaaa bbbb"
    gold = [doc("d", t, quote(t, at(t, "aaaa")))]
    pred = [doc("d", t, quote(t, at(t, "aaaa"), speaker="X"))]
    o = evaluate(gold, pred).as_json()["overall"]
    # |G| − speaker-less gold = 0 and |P| − predictions aligned to speaker-less gold = 0.
    assert o["attribution"] == {"p": None, "r": None, "f1": None}
    assert o["speaker_accuracy"] is None


# --- random span sets ------------------------------------------------------

ALPHABET = "ab “”\"'.,-\n"
NAMES = ["Ann", "ann", "Bo", "Cy", "Bo Cy"]


@st.composite
def layers(draw):
    """A random document text with two random layers of quotes over it."""
    text = draw(st.text(alphabet=ALPHABET, min_size=0, max_size=40))
    n = len(text)

    def span():
        s = draw(st.integers(0, n))
        return s, draw(st.integers(s, n))

    def layer():
        quotes = []
        for _ in range(draw(st.integers(0, 6))):
            s, e = span()
            speaker = None
            if draw(st.booleans()):
                mention = Span.of(text, *span()) if draw(st.booleans()) else None
                aliases = tuple(draw(st.lists(st.sampled_from(NAMES), max_size=2)))
                speaker = Speaker(draw(st.sampled_from(NAMES)), mention=mention, aliases=aliases)
            cue = Span.of(text, *span()) if draw(st.booleans()) else None
            role = draw(st.sampled_from([None, "", "Ketua", "ketua umum", "—"]))
            qtype = draw(st.sampled_from(["direct", "indirect", "mixed"]))
            quotes.append(Quote(s, e, text[s:e], type=qtype, cue=cue, speaker=speaker, role=role))
        return quotes

    d = Document("d", text)
    return AnnotatedDocument(d, layer()), AnnotatedDocument(d, layer())


def normalised_length(text: str, q: Quote) -> int:
    start, end = edge_normalise(text, q.start, q.end)
    return end - start


def in_unit_interval(result) -> None:
    """Every figure within [0, 1]; Cohen's κ within [−1, 1] (worse than chance is negative)."""
    for path, value in figures(result):
        low = -1.0 if path[-1] == "kappa" else 0.0
        assert value is None or low - 1e-12 <= value <= 1.0 + 1e-12, (path, value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layers())
def test_random_span_sets_never_crash_and_stay_in_unit_interval(pair):
    gold, pred = pair
    result = evaluate([gold], [pred])
    data = result.as_json()
    in_unit_interval(data)
    o = data["overall"]["counts"]
    assert o["aligned"] <= min(o["gold"], o["pred"])
    assert o["exact"] <= o["overlap@0.8"] <= o["overlap@0.3"] <= o["aligned"]
    assert len(result.errors()) >= (o["gold"] - o["aligned"]) + (o["pred"] - o["aligned"])
    # Gold against itself: every defined figure is 1, except a quote whose span normalises to
    # nothing (it aligns with nothing, so nothing can match it).
    self_data = evaluate([gold], [gold]).as_json()
    text = gold.document.text
    if all(normalised_length(text, q) for q in gold.quotes):
        for path, value in figures(self_data):
            assert value is None or value == 1.0, (path, value)
    in_unit_interval(agreement([gold], [pred]).as_json())


@settings(max_examples=150, deadline=None)
@given(layers())
def test_attribution_outcomes_add_up_to_the_attribution_counts(pair):
    gold, pred = pair
    outcomes = attribution_outcomes(gold.document.text, gold.quotes, pred.quotes)
    counts = evaluate([gold], [pred]).as_json()["overall"]["counts"]
    assert len(outcomes) == len(pred.quotes)
    assert outcomes.count(True) == counts["attribution_tp"]
    assert len(outcomes) - outcomes.count(None) == counts["attribution_pred"]

@settings(max_examples=150, deadline=None)
@given(layers())
def test_agreement_is_symmetric_on_random_span_sets(pair):
    a, b = pair
    ab = agreement([a], [b]).as_json()
    ba = agreement([b], [a]).as_json()
    assert ab["overall"] == swap_counts(ba["overall"])
    assert ab["by_document"].keys() == ba["by_document"].keys()


def swap_counts(obj: dict) -> dict:
    """The same figures with the a/b counts exchanged: what agreement(b, a) should equal."""
    counts = dict(obj["counts"])
    for x, y in (("a", "b"), ("a_attributed", "b_attributed"), ("a_characters", "b_characters")):
        counts[x], counts[y] = counts[y], counts[x]
    return {**obj, "counts": counts}


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_token_index_finds_exactly_the_tokens_each_span_touches(data):
    # TokenIndex finds tokens by looking characters up in a table: it must agree with matching \w+.
    # The alphabet holds marks, digits of other scripts, a supplementary letter and symbol, a lone surrogate.
    text = data.draw(st.text(alphabet="ab é\u0301_1²-“”\n\u200d٣𝐀😀\ud800", max_size=40))
    n = len(text)
    spans = data.draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)).map(sorted), max_size=5))
    index = TokenIndex(text)
    every = list(tokens(text))
    assert list(zip(index.starts, index.ends, strict=True)) == every
    for s, e in spans:
        i, j = index.range(s, e)
        found = list(zip(index.starts[i:j], index.ends[i:j], strict=True))
        expected = [(a, b) for a, b in every if a < e and s < b] if e > s else []
        assert found == expected


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_covered_counts_are_the_tokens_of_each_range_inside_any_other_range(data):
    # covered_counts merges the other ranges into runs rather than walking tokens: compare it with sets.
    ranges = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)).map(sorted), max_size=8)  # as token_ranges
    ours, others = data.draw(ranges), data.draw(ranges)
    i, j = (np.array([r[k] for r in ours], dtype=np.int64) for k in (0, 1))
    oi, oj = (np.array([r[k] for r in others], dtype=np.int64) for k in (0, 1))
    inside = {t for s, e in others for t in range(s, e)}
    assert covered_counts(i, j, oi, oj).tolist() == [sum(t in inside for t in range(s, e)) for s, e in ours]
