"""Prediction files as systems write them (docs/format.md "Prediction files"), through `annotator evaluate`
and `annotator import --run`: no document text, vocabularies in any case, empty speakers, empty files,
documents the gold does not hold. Gold files stay strict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.evaluation import quote_dict

TEXT = "“Kami siap berangkat besok,” kata Menteri Budi di Jakarta. Ani mengatakan bahwa semua aman."


def q(sub: str, speaker: str | None = None, type: str | None = None) -> dict:
    return quote_dict(TEXT, sub, speaker, type)


GOLD = [q("“Kami siap berangkat besok,”", "Menteri Budi", "direct"), q("semua aman", "Ani", "indirect")]


def lines(path: Path, *objects: dict) -> Path:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8")
    return path


@pytest.fixture
def gold(tmp_path):
    return lines(tmp_path / "gold.jsonl", {"id": "berita-1", "text": TEXT, "quotes": GOLD})


def scored(run_cli, gold: Path, pred: Path) -> dict:
    result = run_cli("evaluate", "--gold", gold, "--pred", pred, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["overall"]


def test_a_prediction_line_without_text_is_scored_on_the_gold_text(run_cli, gold, tmp_path):
    bare = lines(tmp_path / "bare.jsonl", {"id": "berita-1", "quotes": GOLD})
    full = lines(tmp_path / "full.jsonl", {"id": "berita-1", "text": TEXT, "quotes": GOLD})
    assert scored(run_cli, gold, bare) == scored(run_cli, gold, full)
    assert scored(run_cli, gold, bare)["quotes"]["exact"]["f1"] == 1.0


def test_a_quote_text_that_differs_from_the_gold_text_is_one_sentence_naming_file_and_line(run_cli, gold, tmp_path):
    wrong = {**GOLD[1], "text": "semua salah"}
    pred = lines(tmp_path / "pred.jsonl", {"id": "other", "quotes": []}, {"id": "berita-1", "quotes": [GOLD[0], wrong]})
    result = run_cli("evaluate", "--gold", gold, "--pred", pred)
    assert result.exit_code == 1
    assert "pred.jsonl, line 2: document 'berita-1', quote 2: the quote" in result.stderr
    assert "'semua salah' but the text there is 'semua aman'" in result.stderr
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1


def test_type_and_speaker_kind_are_read_in_any_case(run_cli, gold, tmp_path):
    shouting = [{**GOLD[0], "type": "Direct", "speaker": {"name": "Menteri Budi", "kind": "PERSON"}},
                {**GOLD[1], "type": "INDIRECT"}]
    pred = lines(tmp_path / "pred.jsonl", {"id": "berita-1", "quotes": shouting})
    assert scored(run_cli, gold, pred) == scored(run_cli, gold, gold)


@pytest.mark.parametrize("nobody", [{}, {"name": None}, {"name": ""}, {"name": "  ", "kind": "person"}, ""])
def test_an_empty_speaker_is_no_speaker(run_cli, gold, tmp_path, nobody):
    pred = lines(tmp_path / "pred.jsonl", {"id": "berita-1", "quotes": [{**GOLD[0], "speaker": nobody}]})
    overall = scored(run_cli, gold, pred)
    assert overall["counts"]["speaker_pairs"] == 1 and overall["speaker_accuracy"] == 0.0


def test_an_empty_prediction_file_is_a_system_that_predicted_nothing(run_cli, gold, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    result = run_cli("evaluate", "--gold", gold, "--pred", empty, "--json")
    assert result.exit_code == 0, result.output
    assert "empty.jsonl holds no predictions" in result.stderr and "every gold quote a miss" in result.stderr
    overall = json.loads(result.stdout)["overall"]
    assert overall["counts"]["gold"] == 2 and overall["counts"]["pred"] == 0
    assert overall["quotes"]["exact"] == {"p": None, "r": 0.0, "f1": 0.0}


def test_predicted_documents_the_gold_does_not_hold_are_counted_and_named(run_cli, gold, tmp_path):
    extra = [{"id": f"lain-{n}", "quotes": [{"start": 0, "end": 3}]} for n in range(7)]
    pred = lines(tmp_path / "pred.jsonl", {"id": "berita-1", "quotes": GOLD}, *extra)
    result = run_cli("evaluate", "--gold", gold, "--pred", pred, "--json")
    assert result.exit_code == 0, result.output
    assert "warning:" in result.stderr and "predicts on 7 documents the gold does not hold" in result.stderr
    assert "'lain-0', 'lain-1', 'lain-2', 'lain-3', 'lain-4', …" in result.stderr and "lain-5" not in result.stderr
    assert json.loads(result.stdout)["overall"]["quotes"]["exact"]["f1"] == 1.0


def test_gold_files_stay_strict(run_cli, gold, tmp_path):
    no_text = lines(tmp_path / "g1.jsonl", {"id": "berita-1", "quotes": GOLD})
    result = run_cli("evaluate", "--gold", no_text, "--pred", gold)
    assert result.exit_code == 1 and "g1.jsonl, line 1: document 'berita-1' has no \"text\" string" in result.stderr
    capital = lines(tmp_path / "g2.jsonl", {"id": "berita-1", "text": TEXT, "quotes": [{**GOLD[0], "type": "Direct"}]})
    result = run_cli("evaluate", "--gold", capital, "--pred", gold)
    assert result.exit_code == 1 and "type 'Direct' is not one of" in result.stderr
    empty = tmp_path / "g3.jsonl"
    empty.write_text("", encoding="utf-8")
    result = run_cli("evaluate", "--gold", empty, "--pred", gold)
    assert result.exit_code == 1 and "g3.jsonl: is empty" in result.stderr


def test_import_run_takes_predictions_without_text_for_documents_in_the_database(run_cli, gold, tmp_path):
    assert run_cli("import", gold, "--as", "ana", "--status", "done").exit_code == 0
    pred = lines(tmp_path / "pred.jsonl",
                 {"id": "berita-1", "quotes": [{**GOLD[0], "type": "DIRECT", "speaker": {}}, GOLD[1]]})
    result = run_cli("import", pred, "--run", "sys")
    assert result.exit_code == 0, result.output
    from_run = json.loads(run_cli("evaluate", "--gold", "ana", "--pred", "sys", "--json").stdout)["overall"]
    from_file = scored(run_cli, gold, pred)
    assert from_run == from_file and from_run["counts"]["pred"] == 2 and from_run["speaker_accuracy"] == 0.5


def test_import_run_refuses_a_document_without_text_that_the_database_does_not_hold(run_cli, gold, tmp_path):
    assert run_cli("import", gold, "--no-predict").exit_code == 0
    pred = lines(tmp_path / "pred.jsonl", {"id": "berita-1", "quotes": GOLD}, {"id": "unknown", "quotes": []})
    result = run_cli("import", pred, "--run", "sys")
    assert result.exit_code == 1
    assert "pred.jsonl, line 2: document 'unknown' has no \"text\" and is not in the database" in result.stderr
    assert "Traceback" not in result.output
    assert "run sys" not in run_cli("status").output  # all or nothing: no run stored
    labels = lines(tmp_path / "labels.jsonl", {"id": "berita-1", "quotes": GOLD})
    result = run_cli("import", labels, "--as", "ana")
    assert result.exit_code == 1 and "has no \"text\" string" in result.stderr  # an annotator's labels stay strict
