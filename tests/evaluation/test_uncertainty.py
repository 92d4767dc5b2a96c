"""Bootstrap intervals and the paired comparison (docs/metrics.md §6a): resampling by summing per-document counts
equals scoring the resampled documents, every interval holds its figure, and a system against itself differs by 0
with p = 1."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.evaluation import evaluate
from annotator.evaluation.uncertainty import (
    COMPONENT_FIGURES,
    FIGURES,
    HEADLINE,
    bootstrap,
    counts_matrix,
    figure,
    figure_arrays,
    paired_counts,
    paired_test,
    path_parts,
    resample_weights,
)
from annotator.model import AnnotatedDocument, Document
from tests.evaluation.test_properties import layers
from tests.support.evaluation import at, doc, quote


@st.composite
def corpora(draw):
    """One to five random documents, each with a gold and two predicted layers (distinct ids)."""
    gold, a, b = [], [], []
    for n in range(draw(st.integers(1, 5))):
        g, p = draw(layers())
        _, q = draw(layers())
        d = Document(f"d{n}", g.document.text)
        gold.append(AnnotatedDocument(d, g.quotes))
        a.append(AnnotatedDocument(d, p.quotes))
        # Another layer drawn over another text only fits when the texts agree: else B repeats A.
        b.append(AnnotatedDocument(d, q.quotes if q.document.text == d.text else list(p.quotes)))
    return gold, a, b


def test_paths_keep_the_dot_of_the_overlap_threshold():
    assert path_parts("quotes.overlap@0.3.f1") == ["quotes", "overlap@0.3", "f1"]
    assert path_parts("speaker_accuracy") == ["speaker_accuracy"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_figures_of_summed_counts_equal_the_scorer_figures(corpus):
    gold, a, _ = corpus
    result = evaluate(gold, a)
    arrays = figure_arrays(counts_matrix(list(result.by_document.values())).sum(axis=0))
    block = result.overall.as_json()
    for path in FIGURES:
        value = figure(block, path)
        got = arrays[path]
        assert (value is None and np.isnan(got)) or value == float(got), path


def test_a_replicate_scores_like_the_resampled_documents_scored_again():
    """Summing counts with resample weights is what scoring the drawn documents (a copy each time) gives."""
    t1, t2, t3 = "“Aa bb,” kata Ani. Cc dd.", "Ee ff “gg hh” ujar Bo.", "Ii jj kk."
    gold = [doc("x", t1, quote(t1, at(t1, "“Aa bb,”"), speaker="Ani")),
            doc("y", t2, quote(t2, at(t2, "“gg hh”"), speaker="Bo")),
            doc("z", t3, quote(t3, at(t3, "Ii jj"), type="indirect"))]
    pred = [doc("x", t1, quote(t1, at(t1, "Aa bb"), speaker="Bo")),
            doc("y", t2, quote(t2, at(t2, "“gg hh”"), speaker="Bo"), quote(t2, at(t2, "Ee ff"))),
            doc("z", t3)]
    result = evaluate(gold, pred)
    matrix = counts_matrix(list(result.by_document.values()))
    weights = resample_weights(3, 20, np.random.default_rng(1))
    for w in weights:
        drawn_gold, drawn_pred = [], []
        for k, times in enumerate(w.astype(int)):
            for copy in range(times):
                g, p = gold[k], pred[k]
                d = Document(f"{g.document.id}-{copy}", g.document.text)
                drawn_gold.append(AnnotatedDocument(d, g.quotes))
                drawn_pred.append(AnnotatedDocument(d, p.quotes))
        again = evaluate(drawn_gold, drawn_pred).overall.as_json()
        summed = figure_arrays(w @ matrix)
        for path in FIGURES:
            value = figure(again, path)
            assert (value is None and np.isnan(summed[path])) or value == pytest.approx(float(summed[path])), path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(), st.integers(0, 2**32 - 1))
def test_every_interval_contains_its_figure(corpus, seed):
    gold, a, _ = corpus
    result = evaluate(gold, a, by=("kind",))
    data = bootstrap(result, 50, seed).add_to(result.as_json())
    blocks = [data["overall"], data["macro"], *data["by_type"].values(), *data["breakdowns"]["kind"].values()]
    for block in blocks:
        for path in FIGURES:
            *parents, leaf = path_parts(path)
            node = block
            for p in parents:
                node = node[p]
            value, interval = node[leaf], node[f"{leaf}_ci"]
            if value is None:
                assert interval is None, path
            else:
                assert interval is not None and interval[0] <= value <= interval[1], (path, value, interval)
    for name, block in data["components"].items():
        for path in COMPONENT_FIGURES:
            group, leaf = path.split(".")
            value, interval = block[group][leaf], block[group][f"{leaf}_ci"]
            if value is None:
                assert interval is None, (name, path)
            else:
                assert interval is not None and interval[0] <= value <= interval[1], (name, path, value, interval)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(), st.integers(0, 2**32 - 1))
def test_a_system_compared_with_itself_differs_by_zero_with_p_one(corpus, seed):
    gold, a, _ = corpus
    result = evaluate(gold, a)
    ca, cb, _ = paired_counts(result, result, [ad.document.id for ad in gold])
    for d in paired_test(ca, cb, 50, 50, seed):
        if d.a is None:
            assert d.difference is None and d.p_value is None and d.interval is None
        else:
            assert d.difference == 0.0 and d.p_value == 1.0 and d.interval == [0.0, 0.0], d


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(), st.integers(0, 2**32 - 1))
def test_differences_are_b_minus_a_and_their_intervals_contain_them(corpus, seed):
    gold, a, b = corpus
    ra, rb = evaluate(gold, a), evaluate(gold, b)
    ca, cb, ids = paired_counts(ra, rb, [ad.document.id for ad in gold])
    assert set(ids) == set(ra.by_document) | set(rb.by_document)
    for d in paired_test(ca, cb, 50, 50, seed):
        if d.difference is None:
            continue
        assert d.difference == pytest.approx(d.b - d.a)
        assert d.interval[0] <= d.difference <= d.interval[1]
        assert 0 < d.p_value <= 1


def test_a_clear_difference_is_significant_and_reproducible():
    t = "“Aa bb,” kata Ani."
    gold = [doc(f"d{n}", t, quote(t, at(t, "“Aa bb,”"), speaker="Ani")) for n in range(30)]
    wrong = [doc(f"d{n}", t, quote(t, at(t, "“Aa bb,”"), speaker="Bo")) for n in range(30)]
    ra, rb = evaluate(gold, wrong), evaluate(gold, gold)
    ca, cb, _ = paired_counts(ra, rb, [f"d{n}" for n in range(30)])
    first = {d.path: d for d in paired_test(ca, cb, 200, 999, 7)}
    att = first["attribution.f1"]
    assert (att.a, att.b, att.difference) == (0.0, 1.0, 1.0)
    # Every shuffle moves some documents: none is as far from 0 as all 30, except the one swapping none or all.
    assert att.p_value < 0.01
    assert first["quotes.exact.f1"].p_value == 1.0  # same spans
    assert {d.path: d for d in paired_test(ca, cb, 200, 999, 7)} == first
    assert [p for p, _ in HEADLINE] == list(first)


def test_bootstrap_is_reproducible_by_seed():
    t = "“Aa bb,” kata Ani. “Cc dd,” ujar Bo."
    gold = [doc(f"d{n}", t, quote(t, at(t, "“Aa bb,”"), speaker="Ani"), quote(t, at(t, "“Cc dd,”"), speaker="Bo"))
            for n in range(8)]
    pred = [doc(f"d{n}", t, *([quote(t, at(t, "“Aa bb,”"), speaker="Ani")] * (1 + n % 2))) for n in range(8)]
    result = evaluate(gold, pred)
    assert bootstrap(result, 100, 3) == bootstrap(result, 100, 3)
    assert bootstrap(result, 100, 3).overall != bootstrap(result, 100, 4).overall
