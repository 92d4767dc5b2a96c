"""Krippendorff's α over characters: by hand, and against the `krippendorff` package's per-character computation."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.evaluation import EvaluationError, krippendorff_alpha
from annotator.formats.jsonl import read_jsonl
from annotator.model import AnnotatedDocument
from tests.support.alpha import reference_alpha
from tests.support.evaluation import doc, quote
from tests.support.paths import SHARED_DATA


def test_hand_computed_alpha_with_a_missing_annotator():
    t = "abcd"
    layers = {
        "A": [doc("d", t, quote(t, (0, 2))), doc("only-A", "xyz", quote("xyz", (0, 3)))],
        "B": [doc("d", t, quote(t, (0, 3)))],
        "C": [doc("d", t), doc("e", "zz")],
    }
    r = krippendorff_alpha(layers)
    # Units: the 4 characters of d (held by all three) and the 2 of e (held by C alone: unpairable,
    # left out); only-A likewise. Quote labels per character of d: a 2, b 2, c 1, d 0 (m = 3 each).
    #   n = 12 values, n_q = 5, n_n = 7; o_qn = Σ j(m − j)/(m − 1) = 1 + 1 + 1 + 0 = 3
    #   α = 1 − (n − 1) · o_qn / (n_q · n_n) = 1 − 11 · 3 / 35 = 2/35
    assert r.value() == pytest.approx(2 / 35)
    assert r.as_json() == {
        "value": pytest.approx(2 / 35),
        "annotators": ["A", "B", "C"],
        "documents": 1,
        "characters": 4,
    }
    assert r.value() == pytest.approx(reference_alpha(layers))


def test_alpha_is_undefined_without_variation_and_one_with_full_agreement():
    t = "“Ya,” kata Ani."
    nobody = {name: [doc("d", t)] for name in "ABC"}
    assert krippendorff_alpha(nobody).value() is None
    everything = {name: [doc("d", "abc", quote("abc", (0, 3)))] for name in "AB"}
    assert krippendorff_alpha(everything).value() is None
    # With and without the quotation marks: the same characters after edge normalisation.
    same = {"A": [doc("d", t, quote(t, (0, 5)))], "B": [doc("d", t, quote(t, (1, 3)))]}
    assert krippendorff_alpha(same).value() == 1.0
    nothing_shared = krippendorff_alpha({"A": [doc("d", t)], "B": [doc("e", t)]})
    assert (nothing_shared.documents, nothing_shared.characters, nothing_shared.value()) == (0, 0, None)


def test_alpha_refuses_a_repeated_id_or_two_texts_for_one_id():
    with pytest.raises(EvaluationError, match="holds document 'd' twice"):
        krippendorff_alpha({"A": [doc("d", "x"), doc("d", "x")], "B": []})
    with pytest.raises(EvaluationError, match="different texts"):
        krippendorff_alpha({"A": [doc("d", "x")], "B": [doc("d", "y")]})
    with pytest.raises(EvaluationError, match="outside its text"):
        krippendorff_alpha({"A": [doc("d", "xy", quote("xyz", (0, 3)))], "B": [doc("d", "xy")]})


TEXTS = ["“Kami siap,” kata Budi.", "abcdefghij", "x", "Dia bilang semua aman. Lalu pergi."]


@st.composite
def random_layers(draw) -> dict[str, list[AnnotatedDocument]]:
    names = [f"a{i}" for i in range(draw(st.integers(2, 5)))]
    layers: dict[str, list[AnnotatedDocument]] = {n: [] for n in names}
    for d, t in enumerate(TEXTS[: draw(st.integers(1, len(TEXTS)))]):
        for n in names:
            if draw(st.booleans()) or draw(st.booleans()):
                spans = draw(st.lists(st.tuples(st.integers(0, len(t)), st.integers(0, len(t))), max_size=4))
                layers[n].append(doc(f"d{d}", t, *(quote(t, (min(s, e), max(s, e))) for s, e in spans)))
    return layers


@settings(max_examples=300, deadline=None)
@given(random_layers())
def test_alpha_matches_the_krippendorff_package(layers):
    expected = reference_alpha(layers)
    value = krippendorff_alpha(layers).value()
    if expected is None:
        assert value is None
    else:
        assert value == pytest.approx(expected, abs=1e-9)


def test_alpha_matches_the_package_on_fifty_long_documents_by_six_annotators():
    # The size the command must stay fast on: 50 documents × 5,000 characters × 6 annotators, each
    # holding most documents, with jittered and missing quotes.
    rnd = random.Random(12)
    names = [f"ann{i}" for i in range(6)]
    layers: dict[str, list[AnnotatedDocument]] = {n: [] for n in names}
    for d in range(50):
        t = "".join(rnd.choice("abcde “”,.") for _ in range(5000))
        spans = [(s, s + rnd.randrange(20, 300)) for s in sorted(rnd.sample(range(4600), 12))]
        for n in names:
            if rnd.random() < 0.9:
                kept = [
                    (max(0, s + rnd.randint(-8, 8)), e + rnd.randint(-8, 8)) for s, e in spans if rnd.random() < 0.85
                ]
                layers[n].append(doc(f"d{d}", t, *(quote(t, span) for span in kept)))
    r = krippendorff_alpha(layers)
    assert r.documents == 50 and r.characters == 250_000
    # Characters are counted by (annotators holding them, annotators labelling them quote): at most
    # 2 + 3 + … + 7 classes, however long the documents.
    assert len(r.by_labels) <= sum(m + 1 for m in range(2, 7))
    assert r.value() == pytest.approx(reference_alpha(layers), abs=1e-9)


def test_alpha_matches_the_package_on_the_polnear_annotators():
    folder = SHARED_DATA / "polnear-dev-by-annotator"
    if not folder.exists():
        pytest.skip(f"development data {folder} is not available")
    layers = {p.stem: [ad for _, ad in read_jsonl(p)] for p in sorted(Path(folder).glob("*.jsonl"))}
    r = krippendorff_alpha(layers)
    assert len(r.annotators) == 6 and r.documents == 2
    # Six trained annotators of the same articles: high, not perfect.
    assert 0.8 < r.value() < 1.0
    assert r.value() == pytest.approx(reference_alpha(layers), abs=1e-12)
