"""Every figure of docs/metrics.md on small cases computed by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import pytest

from annotator.evaluation import EvaluationError, attribution_outcomes, evaluate
from annotator.model import AnnotatedDocument, Document, Quote
from tests.support.evaluation import at, doc, figures, quote

# Ten 4-letter tokens; token k is [5k, 5k + 4).
TEXT = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj"


def main_case() -> tuple[list[AnnotatedDocument], list[AnnotatedDocument]]:
    """Three gold quotes and three predictions in one document.

    G1 "aaaa bbbb"      [0, 9)   direct,   speaker Alice, cue cccc, role "Menteri Luar Negeri"
    G2 "dddd eeee ffff" [15, 29) indirect, no speaker,    cue hhhh, role "juru bicara presiden"
    G3 "iiii jjjj"      [40, 49) direct,   speaker Bob
    P1 "aaaa bbbb"      [0, 9)   direct,   speaker "alice", cue cccc, role "menteri  luar negeri,"
    P2 "dd eeee"        [17, 24) direct (aligned to the indirect G2), no cue, role "juru bicara"
    P3 "gggg"           [30, 34) mixed, overlaps no gold quote
    """
    t = TEXT
    gold = [
        quote(t, (0, 9), "direct", speaker="Alice", cue=at(t, "cccc"), role="Menteri Luar Negeri"),
        quote(t, (15, 29), "indirect", cue=at(t, "hhhh"), role="juru bicara presiden"),
        quote(t, (40, 49), "direct", speaker="Bob"),
    ]
    pred = [
        quote(t, (0, 9), "direct", speaker="alice", cue=at(t, "cccc"), role="menteri  luar negeri,"),
        quote(t, (17, 24), "direct", speaker="Carol", role="juru bicara"),
        quote(t, (30, 34), "mixed"),
    ]
    return [doc("d1", t, *gold)], [doc("d1", t, *pred)]


def test_main_case_attribution_outcome_of_each_prediction():
    gold, pred = main_case()
    # P1 names Alice (a true positive), P2 is aligned to the speaker-less G2 (left out), P3 is
    # aligned to nothing (against P); given in reverse, the outcomes follow the order given.
    text, g, p = TEXT, gold[0].quotes, pred[0].quotes
    assert attribution_outcomes(text, g, p) == [True, None, False]
    assert attribution_outcomes(text, g, p[::-1]) == [False, None, True]

def test_main_case_overall_every_metric():
    gold, pred = main_case()
    o = evaluate(gold, pred).as_json()["overall"]
    assert o["counts"]["documents"] == 1
    assert (o["counts"]["gold"], o["counts"]["pred"], o["counts"]["aligned"]) == (3, 3, 2)
    q = o["quotes"]
    # exact: only G1–P1 is identical: P = 1/3, R = 1/3, F1 = 1/3.
    assert q["exact"] == pytest.approx({"p": 1 / 3, "r": 1 / 3, "f1": 1 / 3})
    # overlap@0.3: G2–P2 shares [17, 24) = 7 of |G2| = 14 characters, 0.5 ≥ 0.3, so 2 pairs: 2/3, 2/3.
    assert q["overlap@0.3"] == pytest.approx({"p": 2 / 3, "r": 2 / 3, "f1": 2 / 3})
    # overlap@0.8: 0.5 < 0.8, only G1–P1: 1/3, 1/3.
    assert q["overlap@0.8"] == pytest.approx({"p": 1 / 3, "r": 1 / 3, "f1": 1 / 3})
    # lenient: both aligned pairs: 2/3, 2/3.
    assert q["lenient"] == pytest.approx({"p": 2 / 3, "r": 2 / 3, "f1": 2 / 3})
    # token: T_G = {0,1, 3,4,5, 8,9}; P1 covers {0,1}, P2 [17,24) touches tokens 3 and 4, P3 {6}.
    #   P = (2 + 2 + 0) / (2 + 2 + 1) = 4/5; T_P = {0,1,3,4,6}
    #   R = (G1 2 of 2 + G2 2 of 3 + G3 0 of 2) / (2 + 3 + 2) = 4/7
    #   F1 = 2 · 4/5 · 4/7 / (4/5 + 4/7) = (32/35) / (48/35) = 2/3
    assert q["token"] == pytest.approx({"p": 4 / 5, "r": 4 / 7, "f1": 2 / 3})
    # speaker accuracy: aligned pairs whose gold has a speaker: only G1–P1; "alice" = "Alice" case-folded: 1/1.
    assert o["speaker_accuracy"] == 1.0
    # attribution: TP = 1 (G1–P1). P2 is aligned to the speaker-less G2, so it leaves the P side:
    #   P = 1 / (3 − 1) = 1/2; R = 1 / (3 − 1 speaker-less gold) = 1/2; F1 = 1/2.
    assert o["attribution"] == pytest.approx({"p": 0.5, "r": 0.5, "f1": 0.5})
    # cue accuracy: G1 and G2 have cues; P1's cue overlaps, P2 has none (wrong): 1/2.
    assert o["cue_accuracy"] == 0.5
    # role exact: "menteri  luar negeri," normalises to "menteri luar negeri" = G1's; "juru bicara" ≠ G2's: 1/2.
    assert o["role_exact"] == 0.5
    # role token F1: G1 pair 1.0; G2 pair {juru, bicara, presiden} vs {juru, bicara}: 2·2/(3+2) = 0.8.
    #   mean (1.0 + 0.8) / 2 = 0.9
    assert o["role_token_f1"] == pytest.approx(0.9)


def test_main_case_by_type_assigns_predictions_to_the_gold_type():
    gold, pred = main_case()
    by_type = evaluate(gold, pred).as_json()["by_type"]
    assert list(by_type) == ["direct", "indirect", "mixed"]
    d, i, m = by_type["direct"], by_type["indirect"], by_type["mixed"]
    # direct: gold G1, G3; predictions P1 (aligned to G1). P2 is typed direct but aligned to the
    # indirect G2, so it counts as indirect. Exact: P = 1/1, R = 1/2.
    assert (d["counts"]["gold"], d["counts"]["pred"], d["counts"]["aligned"]) == (2, 1, 1)
    assert d["quotes"]["exact"] == pytest.approx({"p": 1.0, "r": 0.5, "f1": 2 / 3})
    # token (T_G, T_P of the whole document): P = P1 2/2 = 1; R = (G1 2/2 + G3 0/2) = 2/4.
    assert d["quotes"]["token"] == pytest.approx({"p": 1.0, "r": 0.5, "f1": 2 / 3})
    # attribution direct: TP 1; P side P1 only: 1/1; R side G1, G3: 1/2.
    assert d["attribution"] == pytest.approx({"p": 1.0, "r": 0.5, "f1": 2 / 3})
    # indirect: G2 and P2, aligned, not exact; lenient 1/1.
    assert (i["counts"]["gold"], i["counts"]["pred"], i["counts"]["aligned"]) == (1, 1, 1)
    assert i["quotes"]["exact"] == {"p": 0.0, "r": 0.0, "f1": 0.0}
    assert i["quotes"]["lenient"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    # attribution indirect: no gold speaker and P2 aligned to speaker-less gold: both sides empty.
    assert i["attribution"] == {"p": None, "r": None, "f1": None}
    assert i["speaker_accuracy"] is None
    # mixed: only the unaligned P3 (its own type). P = 0/1, R has no gold: null; F1 = 0.
    assert (m["counts"]["gold"], m["counts"]["pred"]) == (0, 1)
    assert m["quotes"]["lenient"] == {"p": 0.0, "r": None, "f1": 0.0}
    assert m["quotes"]["token"] == {"p": 0.0, "r": None, "f1": 0.0}
    # attribution mixed: P3 is unaligned, so it stays on the P side: 0/1.
    assert m["attribution"] == {"p": 0.0, "r": None, "f1": 0.0}


def test_types_and_documents_sum_to_overall():
    gold, pred = main_case()
    result = evaluate(gold, pred)
    total = type(result.overall)()
    for c in result.by_type.values():
        total += c
    total.documents = result.overall.documents
    assert total == result.overall
    assert result.by_document["d1"] == result.overall


def test_overlap_threshold_is_relative_to_the_gold_length():
    t = "abcdefghij"
    gold = [doc("d", t, quote(t, (0, 10)))]
    # 3 of 10 gold characters: 0.3 ≥ 0.3 counts (the threshold is inclusive); 0.3 < 0.8.
    r = evaluate(gold, [doc("d", t, quote(t, (7, 10)))]).as_json()["overall"]["quotes"]
    assert r["overlap@0.3"]["r"] == 1.0 and r["overlap@0.8"]["r"] == 0.0
    # 2 of 10: below 0.3, yet still a lenient match.
    r = evaluate(gold, [doc("d", t, quote(t, (8, 10)))]).as_json()["overall"]["quotes"]
    assert r["overlap@0.3"]["r"] == 0.0 and r["lenient"]["r"] == 1.0
    # A prediction containing the whole gold span: |g ∩ p| / |g| = 10/10 even though p is longer.
    t2 = "abcdefghijklmnopqrst"
    r = evaluate([doc("d", t2, quote(t2, (0, 10)))], [doc("d", t2, quote(t2, (0, 20)))])
    q = r.as_json()["overall"]["quotes"]
    assert q["overlap@0.8"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert q["exact"]["f1"] == 0.0


def test_precision_and_recall_are_not_swapped():
    # 1 gold quote, 4 predictions, one of them exact: P = 1/4 (matches / |P|), R = 1/1 (matches / |G|).
    t = "aaaa bbbb cccc dddd eeee"
    gold = [doc("d", t, quote(t, at(t, "aaaa")))]
    pred = [doc("d", t, *(quote(t, at(t, w)) for w in ("aaaa", "bbbb", "cccc", "dddd")))]
    q = evaluate(gold, pred).as_json()["overall"]["quotes"]["exact"]
    assert q["p"] == 0.25 and q["r"] == 1.0
    # F1 = 2 · 0.25 · 1 / 1.25 = 0.4
    assert q["f1"] == pytest.approx(0.4)


def test_token_metric_counts_whole_tokens_touched_by_a_span():
    t = "alpha beta gamma delta"
    # Gold "alpha beta"; prediction "pha beta gam" starts and ends inside words, so it covers
    # alpha, beta and gamma: P = 2 of its 3 tokens in T_G; R = 2 of the 2 gold tokens.
    gold = [doc("d", t, quote(t, (0, 10)))]
    pred = [doc("d", t, quote(t, (2, 14)))]
    tok = evaluate(gold, pred).as_json()["overall"]["quotes"]["token"]
    assert tok["p"] == pytest.approx(2 / 3) and tok["r"] == 1.0


def test_token_metric_uses_tokens_covered_by_any_quote():
    # citron: a predicted token counts as correct when ANY gold quote covers it, even one it is not
    # aligned with. Gold g1 "aa bb", g2 "cc dd"; one prediction "bb cc" aligned to one of them.
    # P = |{bb, cc} ∩ T_G| / 2 = 2/2; R = (g1: bb of aa,bb → 1 + g2: cc of cc,dd → 1) / 4 = 1/2.
    t = "aa bb cc dd"
    gold = [doc("d", t, quote(t, at(t, "aa bb")), quote(t, at(t, "cc dd")))]
    pred = [doc("d", t, quote(t, at(t, "bb cc")))]
    tok = evaluate(gold, pred).as_json()["overall"]["quotes"]["token"]
    assert tok == pytest.approx({"p": 1.0, "r": 0.5, "f1": 2 / 3})


def test_micro_averaging_sums_counts_before_dividing():
    # Doc A: 1 gold, found exactly. Doc B: 3 gold, 1 found exactly.
    # Micro R = (1 + 1) / (1 + 3) = 0.5 (a macro average would give (1 + 1/3) / 2 = 0.667).
    t = "aaaa bbbb cccc"
    gold = [
        doc("A", t, quote(t, at(t, "aaaa"))),
        doc("B", t, *(quote(t, at(t, w)) for w in ("aaaa", "bbbb", "cccc"))),
    ]
    pred = [doc("A", t, quote(t, at(t, "aaaa"))), doc("B", t, quote(t, at(t, "bbbb")))]
    r = evaluate(gold, pred).as_json()
    assert r["overall"]["quotes"]["exact"]["r"] == 0.5
    assert r["by_document"]["A"]["quotes"]["exact"]["r"] == 1.0
    assert r["by_document"]["B"]["quotes"]["exact"]["r"] == pytest.approx(1 / 3)


def test_speaker_entities_pool_names_and_aliases_transitively():
    t = (
        "Presiden Joko Widodo berkata. Jokowi menambahkan. Presiden lagi. "
        "Prabowo juga. Sri Mulyani pula. Q1 Q2 Q3 Q4 Q5"
    )
    q1, q2, q3, q4, q5 = (at(t, f"Q{k}") for k in range(1, 6))
    gold = [
        # Q1: name "Joko Widodo", alias "Jokowi"; Q2's name "Jokowi" is among Q1's aliases.
        quote(t, q1, speaker="Joko Widodo", aliases=("Jokowi",), mention=at(t, "Presiden Joko Widodo")),
        quote(t, q2, speaker="Jokowi", mention=at(t, "Jokowi")),
        # Q3: name "Presiden", alias "Jokowi" = Q2's name: pooled with Q2, hence (transitively) with Q1.
        quote(t, q3, speaker="Presiden", aliases=("Jokowi",), mention=at(t, "Presiden", 1)),
        # Q4 and Q5 share only an alias ("Menteri"): neither name is among the other's aliases: not pooled.
        quote(t, q4, speaker="Prabowo", aliases=("Menteri",), mention=at(t, "Prabowo")),
        quote(t, q5, speaker="Sri Mulyani", aliases=("Menteri",), mention=at(t, "Sri Mulyani")),
    ]
    pred = [
        quote(t, q1, speaker="presiden"),  # a name of the pooled entity (Q3's), case-folded: correct
        quote(t, q2, speaker="someone", mention=at(t, "Presiden Joko")),  # overlaps Q1's mention: correct
        quote(t, q3, speaker="PRESIDEN   joko widodo"),  # Q1's mention text, folded: correct
        quote(t, q4, speaker="Menteri"),  # Q4's own alias: correct
        quote(t, q5, speaker="Prabowo"),  # another entity that merely shares an alias: wrong
    ]
    r = evaluate([doc("d", t, *gold)], [doc("d", t, *pred)])
    o = r.as_json()["overall"]
    # 4 of 5 aligned pairs have a correct speaker.
    assert o["speaker_accuracy"] == pytest.approx(4 / 5)
    assert o["attribution"] == pytest.approx({"p": 0.8, "r": 0.8, "f1": 0.8})
    wrong = [e for e in r.errors() if e.kind == "wrong speaker"]
    assert [(e.gold_speaker, e.pred_speaker) for e in wrong] == [("Sri Mulyani", "Prabowo")]


def test_predicted_speaker_missing_or_mention_elsewhere_is_wrong():
    t = "Alice said Q1. Bob said Q2."
    gold = [
        quote(t, at(t, "Q1"), speaker="Alice", mention=at(t, "Alice")),
        quote(t, at(t, "Q2"), speaker="Bob", mention=at(t, "Bob")),
    ]
    pred = [
        quote(t, at(t, "Q1")),  # no speaker
        quote(t, at(t, "Q2"), speaker="Alice", mention=at(t, "Alice")),  # another entity's mention
    ]
    o = evaluate([doc("d", t, *gold)], [doc("d", t, *pred)]).as_json()["overall"]
    # 0 of 2; attribution P = 0 / 2, R = 0 / 2.
    assert o["speaker_accuracy"] == 0.0
    assert o["attribution"] == {"p": 0.0, "r": 0.0, "f1": 0.0}


def test_role_normalisation_and_token_f1():
    t = "Q1 Q2 Q3"
    gold = [
        quote(t, at(t, "Q1"), role="Kepala Staf Umum"),
        quote(t, at(t, "Q2"), role="(juru bicara)"),
        quote(t, at(t, "Q3"), role="menteri"),
    ]
    pred = [
        quote(t, at(t, "Q1"), role="  kepala\nstaf   umum."),  # exact after folding, collapsing, stripping
        quote(t, at(t, "Q2"), role="juru bicara bicara"),  # not exact; bags {juru,bicara} vs {juru,bicara,bicara}
        quote(t, at(t, "Q3")),  # no role: wrong, token F1 0
    ]
    o = evaluate([doc("d", t, *gold)], [doc("d", t, *pred)]).as_json()["overall"]
    # exact: 1 of 3.
    assert o["role_exact"] == pytest.approx(1 / 3)
    # token F1: 1.0; shared 2 (bags, so the repeated "bicara" counts once) → 2·2/(2+3) = 0.8; 0.
    #   mean (1.0 + 0.8 + 0) / 3 = 0.6
    assert o["role_token_f1"] == pytest.approx(0.6)


def test_cue_needs_an_overlap_with_the_gold_cue():
    t = "Q1 kata dia. Q2 ujar dia. Q3 ucap."
    gold = [
        quote(t, at(t, "Q1"), cue=at(t, "kata")),
        quote(t, at(t, "Q2"), cue=at(t, "ujar")),
        quote(t, at(t, "Q3")),  # no gold cue: left out of cue accuracy
    ]
    pred = [
        quote(t, at(t, "Q1"), cue=at(t, "ata d")),  # overlaps "kata": right
        quote(t, at(t, "Q2"), cue=at(t, "kata")),  # elsewhere: wrong
        quote(t, at(t, "Q3"), cue=at(t, "ucap")),
    ]
    o = evaluate([doc("d", t, *gold)], [doc("d", t, *pred)]).as_json()["overall"]
    assert o["cue_accuracy"] == 0.5  # 1 of the 2 pairs whose gold has a cue


def test_gold_document_missing_from_predictions_counts_as_misses_and_extra_predictions_are_ignored():
    t = "aaaa bbbb"
    gold = [doc("g1", t, quote(t, at(t, "aaaa"))), doc("g2", t, quote(t, at(t, "bbbb")))]
    pred = [doc("g1", t, quote(t, at(t, "aaaa"))), doc("elsewhere", t, quote(t, at(t, "aaaa")))]
    r = evaluate(gold, pred)
    o = r.as_json()["overall"]
    # g2 has no predictions: R = 1/2; "elsewhere" is not in the gold: P = 1/1.
    assert (o["counts"]["gold"], o["counts"]["pred"]) == (2, 1)
    assert o["quotes"]["exact"]["p"] == 1.0 and o["quotes"]["exact"]["r"] == 0.5
    assert set(r.by_document) == {"g1", "g2"}
    assert [(e.kind, e.doc_id) for e in r.errors()] == [("miss", "g2")]


def test_errors_list_every_kind_in_position_order():
    gold, pred = main_case()
    errors = evaluate(gold, pred).errors()
    # G2 [15, 29) and P2 [17, 24) are aligned but not exact; G2's cue hhhh has no predicted cue; its role
    # "juru bicara presiden" is not P2's "juru bicara". G1 and P1 agree on everything (the roles are equal
    # once case-folded and stripped). Kinds of one pair come in alphabetical order.
    assert [(e.kind, e.start, e.end) for e in errors] == [
        ("boundary", 15, 29),
        ("wrong cue", 15, 29),
        ("wrong role", 15, 29),
        ("false positive", 30, 34),
        ("miss", 40, 49),
    ]
    boundary, cue, role, false_positive, _ = errors
    assert (boundary.pred_start, boundary.pred_end) == (17, 24)
    assert cue.gold_cue is not None and cue.gold_cue.text == "hhhh" and cue.pred_cue is None
    assert (role.gold_role, role.pred_role) == ("juru bicara presiden", "juru bicara")
    before, marked, after = false_positive.context(width=10)
    assert (before, marked, after) == ("eeee ffff ", "gggg", " hhhh iiii")
    data = boundary.as_json(width=3)
    assert (data["text"], data["pred_text"], data["pred_start"], data["pred_end"]) == (TEXT[15:29], TEXT[17:24], 17, 24)
    assert data["gold_cue"] == {"start": TEXT.index("hhhh"), "end": TEXT.index("hhhh") + 4, "text": "hhhh"}
    assert false_positive.as_json()["pred_start"] is None  # only the errors of an aligned pair have two spans


def test_wrong_speaker_error_names_the_predicted_speaker_and_its_mention():
    t = "Kata Ani: “aaaa bbbb.” Kata Budi."
    gold = [quote(t, at(t, "aaaa bbbb"), speaker="Ani", mention=at(t, "Ani"))]
    pred = [quote(t, at(t, "aaaa bbbb"), speaker="Budi", mention=at(t, "Budi"))]
    (error,) = evaluate([doc("d", t, *gold)], [doc("d", t, *pred)]).errors()
    assert (error.kind, error.gold_speaker, error.pred_speaker) == ("wrong speaker", "Ani", "Budi")
    s = t.index("Budi")
    assert error.as_json()["pred_mention"] == {"start": s, "end": s + 4, "text": "Budi"}


def test_inputs_that_cannot_be_compared_are_refused():
    t = "aaaa"
    with pytest.raises(EvaluationError, match="different text"):
        evaluate([doc("d", t)], [doc("d", "bbbb")])
    with pytest.raises(EvaluationError, match="twice"):
        evaluate([doc("d", t), doc("d", t)], [])
    with pytest.raises(EvaluationError, match="twice"):
        evaluate([], [doc("d", t), doc("d", t)])
    bad = AnnotatedDocument(Document("d", t), [Quote(start=2, end=9, text="")])
    with pytest.raises(EvaluationError, match="outside its text"):
        evaluate([bad], [])


def test_unknown_quote_types_get_their_own_breakdown_after_the_known_ones():
    t = "aaaa bbbb"
    gold = [doc("d", t, quote(t, at(t, "aaaa"), "indirect"), Quote(5, 9, "bbbb", type="free"))]
    assert list(evaluate(gold, gold).by_type) == ["indirect", "free"]


def test_all_figures_are_plain_floats_or_none():
    gold, pred = main_case()
    for path, value in figures(evaluate(gold, pred).as_json()):
        assert value is None or type(value) is float, path


def test_blank_speaker_names_pool_with_nothing():
    t = "Q1 Q2 Ann"
    gold = [quote(t, at(t, "Q1"), speaker=" "), quote(t, at(t, "Q2"), speaker="", mention=at(t, "Ann"))]
    pred = [quote(t, at(t, "Q1"), speaker="", mention=at(t, "Ann")), quote(t, at(t, "Q2"), speaker="")]
    o = evaluate([doc("d", t, *gold)], [doc("d", t, *pred)]).as_json()["overall"]
    # Q1's blank-named gold speaker has no mention: a blank name matches nothing, and it is not
    # pooled with Q2's entity, so the mention of Ann does not make Q1 right: 0. Q2: a blank name
    # matches nothing and the prediction has no mention: 0.
    assert o["speaker_accuracy"] == 0.0


# --- component scores (docs/metrics.md §5a) --------------------------------------------------


def components_case() -> tuple[list[AnnotatedDocument], list[AnnotatedDocument]]:
    """Two gold quotes and three predictions; every figure below is worked by hand from these spans.

    G1 “aaaa bbbb cccc.”  cue Kata     mention Ani      P1 aaaa bbbb  cue Kata           mention Ani
    G2 dddd eeee          cue berkata  mention Budi     P2 dddd eeee  cue berkata bahwa  speaker without mention
                                                        P3 bahwa      no cue, no speaker
    """
    t = "Kata Ani: “aaaa bbbb cccc.” Budi berkata bahwa dddd eeee."
    gold = [
        quote(t, at(t, "“aaaa bbbb cccc.”"), speaker="Ani", mention=at(t, "Ani"), cue=at(t, "Kata")),
        quote(t, at(t, "dddd eeee"), "indirect", speaker="Budi", mention=at(t, "Budi"), cue=at(t, "berkata")),
    ]
    pred = [
        quote(t, at(t, "aaaa bbbb"), speaker="Ani", mention=at(t, "Ani"), cue=at(t, "Kata")),
        quote(t, at(t, "dddd eeee"), "indirect", speaker="Budi", cue=at(t, "berkata bahwa")),
        quote(t, at(t, "bahwa", 0), "indirect"),
    ]
    return [doc("d", t, *gold)], [doc("d", t, *pred)]


def test_component_scores_worked_by_hand():
    gold, pred = components_case()
    c = evaluate(gold, pred).as_json()["components"]
    assert list(c) == ["content", "cue", "source"]
    # Content: gold {aaaa bbbb cccc (marks stripped), dddd eeee}, predicted {aaaa bbbb, dddd eeee, bahwa}.
    # Exact: 1 shared span. Tokens: gold 3 + 2, of which aaaa bbbb dddd eeee are predicted;
    # predicted 2 + 2 + 1, of which 2 + 2 + 0 lie in gold quotes.
    assert c["content"]["counts"] == {"gold": 2, "pred": 3, "exact": 1, "gold_tokens": 5, "gold_tokens_predicted": 4,
                                      "pred_tokens": 5, "pred_tokens_in_gold": 4}  # fmt: skip
    assert c["content"]["exact"] == pytest.approx({"p": 1 / 3, "r": 1 / 2, "f1": 2 / 5})
    assert c["content"]["token"] == pytest.approx({"p": 4 / 5, "r": 4 / 5, "f1": 4 / 5})
    # Cue: gold {Kata, berkata}, predicted {Kata, berkata bahwa}: 1 exact; both gold tokens are predicted;
    # of the 3 predicted tokens, Kata and berkata are gold.
    assert c["cue"]["exact"] == pytest.approx({"p": 1 / 2, "r": 1 / 2, "f1": 1 / 2})
    assert c["cue"]["token"] == pytest.approx({"p": 2 / 3, "r": 1.0, "f1": 4 / 5})
    # Source: gold {Ani, Budi}, predicted {Ani} (P2's speaker has no mention and adds nothing).
    assert c["source"]["counts"]["pred"] == 1
    assert c["source"]["exact"] == pytest.approx({"p": 1.0, "r": 1 / 2, "f1": 2 / 3})
    assert c["source"]["token"] == pytest.approx({"p": 1.0, "r": 1 / 2, "f1": 2 / 3})


def test_component_spans_are_sets_and_a_document_without_them_adds_nothing():
    t = "“aaaa,” kata Ani, “bbbb.”"
    kata, ani = at(t, "kata"), at(t, "Ani")
    # Two quotes sharing one cue and one mention: one cue span and one source span on each side.
    both = [quote(t, at(t, "“aaaa,”"), speaker="Ani", mention=ani, cue=kata),
            quote(t, at(t, "“bbbb.”"), speaker="Ani", mention=ani, cue=kata)]  # fmt: skip
    c = evaluate([doc("d", t, *both)], [doc("d", t, *both[:1])]).as_json()["components"]
    assert c["cue"]["counts"]["gold"] == c["cue"]["counts"]["pred"] == 1
    assert c["source"]["exact"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert c["content"]["exact"] == pytest.approx({"p": 1.0, "r": 1 / 2, "f1": 2 / 3})
    # Quotes with neither cue nor mention: cue and source have no spans, so every figure is null.
    bare = [quote(t, at(t, "aaaa"))]
    c = evaluate([doc("d", t, *bare)], [doc("d", t, *bare)]).as_json()["components"]
    assert c["cue"]["exact"] == c["source"]["token"] == {"p": None, "r": None, "f1": None}
    assert c["content"]["exact"]["f1"] == 1.0


def test_a_token_two_spans_of_one_side_cover_counts_for_each():
    # Section 5a sums over spans: "berkata" under two predicted cues counts twice on the predicted side.
    t = "Budi berkata bahwa aaaa bbbb."
    first, second = at(t, "aaaa"), at(t, "bbbb")
    berkata, berkata_bahwa = at(t, "berkata"), at(t, "berkata bahwa")
    gold = [quote(t, first, cue=berkata)]
    pred = [quote(t, first, cue=berkata), quote(t, second, cue=berkata_bahwa)]
    counts = evaluate([doc("d", t, *gold)], [doc("d", t, *pred)]).as_json()["components"]["cue"]["counts"]
    assert counts == {"gold": 1, "pred": 2, "exact": 1, "gold_tokens": 1, "gold_tokens_predicted": 1,
                      "pred_tokens": 3, "pred_tokens_in_gold": 2}  # fmt: skip
