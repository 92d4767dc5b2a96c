"""The attributor on the seed articles, scored against data/seeds.gold.jsonl (docs/metrics.md)."""

from __future__ import annotations

import json

import pytest

from annotator.attribution import predict_document
from annotator.evaluation import evaluate
from annotator.model import AnnotatedDocument
from tests.support.paths import SEEDS, SEEDS_GOLD


@pytest.fixture(scope="module")
def scores(gold):
    pred = [AnnotatedDocument(ad.document, predict_document(ad.document)) for ad in gold]
    return evaluate(gold, pred).as_json()


def test_seed_attribution_f1_reaches_the_target(scores) -> None:
    overall = scores["overall"]
    assert overall["attribution"]["f1"] >= 0.90
    assert overall["quotes"]["lenient"]["f1"] >= 0.90
    assert overall["speaker_accuracy"] >= 0.95
    assert overall["cue_accuracy"] >= 0.95


def test_every_direct_quote_of_the_seeds_with_its_speaker(scores) -> None:
    direct = scores["by_type"]["direct"]
    assert direct["quotes"]["lenient"]["r"] == 1.0
    assert direct["attribution"]["r"] == 1.0 and direct["attribution"]["p"] == 1.0


def test_predict_command_on_the_seed_files(run_cli, db_path, gold) -> None:
    assert run_cli("import", SEEDS).exit_code == 0
    result = run_cli("predict")
    assert result.exit_code == 0, result.output
    assert "run builtin: 2 documents" in result.stderr
    result = run_cli("evaluate", "--gold", SEEDS_GOLD, "--pred", "builtin", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["by_type"]["direct"]["attribution"]["f1"] == 1.0
    assert data["overall"]["attribution"]["f1"] >= 0.90


def test_predict_options(run_cli) -> None:
    assert run_cli("import", SEEDS).exit_code == 0
    result = run_cli("predict", "--run", "pub", "--scope", "public", "--doc", "004_92958af257f0b8f6")
    assert result.exit_code == 0 and "run pub: 1 document," in result.stderr
    assert run_cli("predict", "--lang", "xx").exit_code == 2
    missing = run_cli("predict", "--doc", "nope")
    assert missing.exit_code == 2 and "no document 'nope'" in missing.stderr
    assert "pub:" in run_cli("stats").stdout
    direct = run_cli("predict", "--run", "direct", "--type", "direct")
    assert direct.exit_code == 0 and "run direct: 2 documents, 7 quotes (7 direct)" in direct.stderr
