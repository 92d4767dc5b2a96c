"""Edge normalisation and the exact one-to-one alignment (docs/metrics.md §1–2)."""

from __future__ import annotations

import itertools
import random

import pytest

from annotator.evaluation import agreement, evaluate
from annotator.evaluation.align import align, overlap_edges
from annotator.evaluation.spans import edge_normalise
from tests.support.evaluation import at, doc, figures, quote


def norm(s: str) -> str:
    a, b = edge_normalise(s, 0, len(s))
    return s[a:b]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("“Ya,” ", "Ya"),
        ('"Ya."', "Ya"),
        ("''Ya''", "Ya"),
        ("``Ya''", "Ya"),
        ("«  Oui  »", "Oui"),
        ("„Ja“", "Ja"),
        ("‹Ja›", "Ja"),
        ("‟Ja”", "Ja"),
        ("‘Ya’;", "Ya"),
        ("\n ”Saya minta.”, ", "Saya minta"),
        ("“Wow!”", "Wow!"),  # ! and ? are not stripped
        ("`Ya`", "`Ya`"),  # a single backtick is not a quotation mark, only the doubled one
        ("“a, “b” c”", "a, “b” c"),  # only the edges
        ("“ , . : ; ”", ""),  # nothing left: aligns with nothing
        ("", ""),
    ],
)
def test_edge_normalisation(raw, expected):
    assert norm(raw) == expected


def test_edge_normalisation_works_inside_a_larger_text():
    t = 'He said: "Stop." Then left.'
    s, e = at(t, '"Stop."')
    assert t[slice(*edge_normalise(t, s, e))] == "Stop"
    # Only characters inside the span are looked at.
    assert edge_normalise(t, 3, 7) == (3, 7)


def test_quote_marks_included_or_excluded_score_identically():
    t = "Dia berkata, “Kami siap berangkat besok,” kata Budi. Lalu ”Tidak ada masalah.” ujarnya."
    with_marks = [
        quote(t, at(t, "“Kami siap berangkat besok,”"), speaker="Budi", mention=at(t, "Budi")),
        quote(t, at(t, "”Tidak ada masalah.”"), speaker="Budi"),
    ]
    without = [
        quote(t, at(t, "Kami siap berangkat besok"), speaker="Budi", mention=at(t, "Budi")),
        quote(t, at(t, "Tidak ada masalah"), speaker="Budi"),
    ]
    system = [
        quote(t, at(t, "Kami siap berangkat"), speaker="budi"),
        quote(t, at(t, "”Tidak ada masalah.”"), speaker="Lalu"),
    ]
    a = evaluate([doc("d", t, *with_marks)], [doc("d", t, *system)]).as_json()
    b = evaluate([doc("d", t, *without)], [doc("d", t, *system)]).as_json()
    assert a == b
    # And each against the other is a perfect match.
    c = evaluate([doc("d", t, *with_marks)], [doc("d", t, *without)]).as_json()["overall"]
    assert c["quotes"]["exact"] == {"p": 1.0, "r": 1.0, "f1": 1.0}


def test_a_span_that_normalises_to_nothing_aligns_with_nothing():
    t = 'x "" y'
    empty = quote(t, at(t, '""'))
    r = evaluate([doc("d", t, empty)], [doc("d", t, quote(t, at(t, '""')))]).as_json()["overall"]
    # Both sides still count the quote (|G| = |P| = 1), but nothing aligns: P = R = 0.
    assert (r["counts"]["gold"], r["counts"]["pred"], r["counts"]["aligned"]) == (1, 1, 0)
    assert r["quotes"]["lenient"] == {"p": 0.0, "r": 0.0, "f1": 0.0}


def test_greedy_would_take_the_largest_overlap_and_lose_a_pair():
    # a = [0,10), b = [6,12); x = [2,12), y = [0,4).
    # Greedy takes a–x (overlap 8); b overlaps only x and y overlaps only a: total 8, one pair.
    # Optimal: b–x (6) + a–y (4) = 10, two pairs.
    t = "abcdefghijklmnop"
    gold = [(0, 10), (6, 12)]
    pred = [(2, 12), (0, 4)]
    assert align(gold, pred) == [(0, 1), (1, 0)]
    g = [doc("d", t, *(quote(t, s) for s in gold))]
    p = [doc("d", t, *(quote(t, s) for s in pred))]
    # lenient: 2 of 2 (greedy would give 1/2).
    assert evaluate(g, p).as_json()["overall"]["quotes"]["lenient"] == {"p": 1.0, "r": 1.0, "f1": 1.0}


def test_greedy_would_be_wrong_on_exact_matches():
    # g1 = [0,8), g2 = [8,12); p1 = [2,12), p2 = [0,8) (identical to g1).
    # Overlaps: g1–p1 6, g1–p2 8, g2–p1 4.
    # Greedy in prediction order (each prediction takes its best free gold): p1 takes g1 (6 > 4),
    # then p2's only partner is gone: total 6, one pair, no exact match.
    # The exact alignment: g1–p2 (8) + g2–p1 (4) = 12: two pairs, exact 1 of 2.
    t = "abcdefghijkl"
    assert align([(0, 8), (8, 12)], [(2, 12), (0, 8)]) == [(0, 1), (1, 0)]
    g = [doc("d", t, quote(t, (0, 8)), quote(t, (8, 12)))]
    p = [doc("d", t, quote(t, (2, 12)), quote(t, (0, 8)))]
    q = evaluate(g, p).as_json()["overall"]["quotes"]
    assert q["exact"]["r"] == 0.5 and q["lenient"]["r"] == 1.0


def test_total_overlap_beats_more_pairs_and_symmetric_difference_breaks_ties():
    # One gold [0,10) against p1 = [0,5) and p2 = [0,10): p2 overlaps more.
    assert align([(0, 10)], [(0, 5), (0, 10)]) == [(0, 1)]
    # Equal overlap 5: g = [2,7); p1 = [0,7) (symmetric difference 2), p2 = [2,10) (3): p1 wins.
    assert align([(2, 7)], [(2, 10), (0, 7)]) == [(0, 1)]
    # Ties on totals across a whole component: g1 = [0,4), g2 = [4,8); p = [2,6).
    # Both pairs overlap 2 with symmetric difference 4: one pair, the first.
    assert align([(0, 4), (4, 8)], [(2, 6)]) == [(0, 0)]
    # Touching spans do not overlap and never align.
    assert align([(0, 4)], [(4, 8)]) == []


def test_ties_on_overlap_and_symmetric_difference_go_to_identical_pairs():
    # g1 = [0,1), g2 = [0,2); p1 = [0,2), p2 = [0,3).
    # g1–p1 (overlap 1, sd 1) + g2–p2 (2, 1): overlap 3, sd 2, no identical pair.
    # g1–p2 (1, 2) + g2–p1 (2, 0): overlap 3, sd 2, and g2 = p1 exactly: this one.
    assert align([(0, 1), (0, 2)], [(0, 2), (0, 3)]) == [(0, 1), (1, 0)]
    t = "abc"
    g = [doc("d", t, quote(t, (0, 1)), quote(t, (0, 2)))]
    p = [doc("d", t, quote(t, (0, 2)), quote(t, (0, 3)))]
    assert evaluate(g, p).as_json()["overall"]["quotes"]["exact"]["r"] == 0.5


def _brute_force(gold, pred):
    """The best (total overlap, −total symmetric difference, identical pairs) over every alignment."""
    def ov(i, j):
        return max(0, min(gold[i][1], pred[j][1]) - max(gold[i][0], pred[j][0]))

    best = (0, 0, 0)
    n, m = len(gold), len(pred)
    for k in range(min(n, m) + 1):
        for gs in itertools.combinations(range(n), k):
            for ps in itertools.permutations(range(m), k):
                pairs = list(zip(gs, ps, strict=True))
                if any(ov(i, j) == 0 for i, j in pairs):
                    continue
                total = sum(ov(i, j) for i, j in pairs)
                sd = sum(gold[i][1] - gold[i][0] + pred[j][1] - pred[j][0] - 2 * ov(i, j) for i, j in pairs)
                same = sum(gold[i] == pred[j] for i, j in pairs)
                best = max(best, (total, -sd, same))
    return best


def test_alignment_is_optimal_against_brute_force_on_random_tangles():
    rnd = random.Random(20261123)
    for _ in range(400):
        def span():
            s = rnd.randrange(0, 25)
            return (s, s + rnd.randrange(0, 10))

        gold = [span() for _ in range(rnd.randrange(0, 6))]
        pred = [span() for _ in range(rnd.randrange(0, 6))]
        pairs = align(gold, pred)
        assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
        total = sum(min(gold[i][1], pred[j][1]) - max(gold[i][0], pred[j][0]) for i, j in pairs)
        sd = sum(gold[i][1] - gold[i][0] + pred[j][1] - pred[j][0] for i, j in pairs) - 2 * total
        assert all(min(gold[i][1], pred[j][1]) > max(gold[i][0], pred[j][0]) for i, j in pairs)
        same = sum(gold[i] == pred[j] for i, j in pairs)
        assert (total, -sd, same) == _brute_force(gold, pred), (gold, pred, pairs)


def test_overlap_edges_finds_nested_and_long_spans():
    gold = [(0, 100), (10, 12), (50, 60)]
    pred = [(11, 55), (99, 101), (200, 201)]
    assert sorted(overlap_edges(gold, pred)) == [(0, 0, 44), (0, 1, 1), (1, 0, 1), (2, 0, 5)]


def test_gold_against_itself_is_one_everywhere():
    t = "“Satu,” kata A. B bilang bahwa dua. “Tiga” dan empat, ujar C."
    gold = [
        quote(t, at(t, "“Satu,”"), "direct", speaker="A", mention=at(t, "A"), cue=at(t, "kata"), role="ketua"),
        quote(t, at(t, "dua"), "indirect", speaker="B", cue=at(t, "bilang")),
        quote(t, at(t, "“Tiga” dan empat"), "mixed", speaker="C", mention=at(t, "C"), role="x"),
        quote(t, at(t, "empat"), "indirect"),  # nested in the mixed quote, no speaker
    ]
    result = evaluate([doc("d", t, *gold)], [doc("d", t, *gold)]).as_json()
    for path, value in figures(result):
        undefined_here = path[-1] in ("role_exact", "role_token_f1", "cue_accuracy", "speaker_accuracy") or (
            path[-2] == "attribution"
        )
        assert value == 1.0 or (value is None and undefined_here), path
    assert result["overall"]["role_exact"] == 1.0


def test_same_span_different_speakers_pair_with_their_own_speakers():
    # "Zed and Adam said ...": two gold quotes on one span, one per speaker. Both alignments of the
    # two predictions tie on overlap and symmetric difference; the one crediting speakers is taken.
    # Sorted by name, gold is [Zed, adam] and predictions [Adam, zed]: pairing them in order would
    # swap the speakers.
    t = "Zed dan Adam berkata, “Kami siap.”"
    span = at(t, "“Kami siap.”")
    gold = [doc("d", t, quote(t, span, speaker="Zed"), quote(t, span, speaker="adam"))]
    pred = [doc("d", t, quote(t, span, speaker="Adam"), quote(t, span, speaker="zed"))]
    o = evaluate(gold, pred).as_json()["overall"]
    assert o["speaker_accuracy"] == 1.0 and o["attribution"]["f1"] == 1.0
    # The same holds for gold against itself and for agreement.
    assert evaluate(gold, gold).as_json()["overall"]["speaker_accuracy"] == 1.0
    assert agreement(gold, pred).as_json()["overall"]["speaker_agreement"] == 1.0
    assert agreement(pred, gold).as_json()["overall"]["speaker_agreement"] == 1.0


def test_the_speaker_criterion_never_overrides_overlap():
    # p1 has the right speaker but overlaps less than p2: the span criterion decides first.
    assert align([(0, 10)], [(0, 5), (0, 10)], lambda i, j: j == 0) == [(0, 1)]
    # Equal overlap and symmetric difference: the bonus decides.
    assert align([(0, 4), (4, 8)], [(2, 6)], lambda i, j: i == 1) == [(1, 0)]
