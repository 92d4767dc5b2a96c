"""Agreement between annotators: hand-computed figures, symmetry, and the `agreement` command."""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path

import pytest

from annotator.evaluation import EvaluationError, agreement
from tests.support.evaluation import at, doc, quote
from tests.support.paths import SHARED_DATA


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


# --- the command --------------------------------------------------------------


def write_layer(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


TEXT = "“Kami siap,” kata Budi. Ani bilang bahwa semua aman. [bold]x[/bold]"


def layer_docs(*quotes: dict, doc_id: str = "doc-1") -> list[dict]:
    return [{"id": doc_id, "text": TEXT, "quotes": list(quotes)}]


def q(sub: str, speaker: str | None = None) -> dict:
    s, e = at(TEXT, sub)
    return {"start": s, "end": e, "speaker": {"name": speaker} if speaker else None}


@pytest.fixture
def three_annotators(tmp_path, run_cli):
    files = {
        "ana": write_layer(tmp_path / "ana.jsonl", layer_docs(q("“Kami siap,”", "Budi"), q("semua aman", "Ani"))),
        "ben": write_layer(tmp_path / "ben.jsonl", layer_docs(q("Kami siap", "budi"), q("semua aman", "Ani"))),
        "[red]cy": write_layer(tmp_path / "cy.jsonl", layer_docs(q("Kami siap", "Ani"))),
    }
    for name, path in files.items():
        result = run_cli("import", path, "--as", name, "--status", "done")
        assert result.exit_code == 0, result.output
    return files


def test_agreement_command_prints_every_pair(run_cli, three_annotators):
    result = run_cli("agreement")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "│" in line]
    pairs = {tuple(cell.strip() for cell in row.split("│")[:2]) for row in rows}
    # Names are data: "[red]cy" is shown as written, not as markup.
    assert {("[red]cy", "ana"), ("[red]cy", "ben"), ("ana", "ben")} <= pairs
    assert "mean" in result.stdout
    # ana and ben agree fully (marks stripped, "budi" = "Budi").
    ana_ben = next(r for r in rows if r.split("│")[0].strip() == "ana" and r.split("│")[1].strip() == "ben")
    assert re.findall(r"\d\.\d{3}", ana_ben) == ["1.000"] * 5


def test_agreement_command_named_pair_json_is_symmetric(run_cli, three_annotators):
    ab = json.loads(run_cli("agreement", "ana", "[red]cy", "--json").stdout)
    ba = json.loads(run_cli("agreement", "[red]cy", "ana", "--json").stdout)
    assert len(ab["pairs"]) == 1
    x, y = ab["pairs"][0]["overall"], ba["pairs"][0]["overall"]
    for key in ("span_f1", "speaker_agreement", "attribution_f1", "kappa"):
        assert x[key] == y[key]
    # ana: 2 quotes, cy: 1 (aligned with ana's first, exact after stripping marks): F1 = 2/3.
    assert x["span_f1"]["exact"] == pytest.approx(2 / 3)
    # Speakers Budi vs Ani: no match. Attribution F1 = 0 / (2 + 1).
    assert x["speaker_agreement"] == 0.0 and x["attribution_f1"] == 0.0


def test_agreement_counts_only_documents_both_marked_done(run_cli, tmp_path, three_annotators):
    path = write_layer(tmp_path / "late.jsonl", layer_docs(q("semua aman", "Ani"), doc_id="doc-2"))
    run_cli("import", path, "--as", "ana", "--status", "in_progress")
    run_cli("import", path, "--as", "ben", "--status", "done")
    data = json.loads(run_cli("agreement", "ana", "ben", "--json").stdout)
    assert list(data["pairs"][0]["by_document"]) == ["doc-1"]


def test_agreement_with_files_and_by_doc(run_cli, tmp_path, three_annotators):
    files = three_annotators
    result = run_cli("agreement", "--files", files["ana"], files["ben"], "--by", "doc")
    assert result.exit_code == 0, result.output
    assert "by document" in result.stdout and "doc-1" in result.stdout


def test_agreement_command_errors(run_cli, three_annotators):
    one = run_cli("agreement", "ana")
    assert one.exit_code != 0
    unknown = run_cli("agreement", "ana", "zed")
    assert unknown.exit_code == 1
    assert "no annotator named 'zed'" in unknown.stderr


def test_agreement_needs_two_annotators(run_cli, tmp_path):
    path = write_layer(tmp_path / "solo.jsonl", layer_docs(q("semua aman", "Ani")))
    run_cli("import", path, "--as", "solo", "--status", "done")
    result = run_cli("agreement")
    assert result.exit_code == 1 and "needs two annotators" in result.stderr


def test_polnear_annotators_agree_on_every_pair(run_cli):
    folder = SHARED_DATA / "polnear-dev-by-annotator"
    if not folder.exists():
        pytest.skip(f"development data {folder} is not available")
    files = sorted(folder.glob("*.jsonl"))
    for path in files:
        assert run_cli("import", path, "--as", path.stem, "--status", "done").exit_code == 0
    data = json.loads(run_cli("agreement", "--json").stdout)
    names = [p.stem for p in files]
    assert [(p["a"], p["b"]) for p in data["pairs"]] == list(combinations(names, 2))
    for pair in data["pairs"]:
        o = pair["overall"]
        assert o["counts"]["documents"] == 2
        # Trained annotators of the same articles agree well, but not perfectly.
        assert 0.7 < o["span_f1"]["lenient"] <= 1.0 and 0.7 < o["kappa"] < 1.0
    # The database and the files give the same figures.
    by_files = json.loads(run_cli("agreement", "--files", *files, "--json").stdout)
    assert [p["overall"] for p in by_files["pairs"]] == [p["overall"] for p in data["pairs"]]
