"""The attributor's scores on the development data (docs/metrics.md), skipped when ../shared is absent.

The floors are the figures measured when the rules were written, less a small
margin; the issue's targets are pfsa-id-dev attribution F1 ≥ 0.90 and quote
lenient F1 ≥ 0.95, polnear-dev-speech attribution F1 ≥ 0.80 (see
``bench/quality.py`` for the full tables).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from annotator.attribution import RuleAttributor
from annotator.evaluation import evaluate
from annotator.formats.jsonl import read_jsonl
from annotator.model import AnnotatedDocument
from tests.support.paths import ROOT, shared_file


def scores(name: str, types: tuple[str, ...], scope: str) -> dict:
    gold = [ad for _, ad in read_jsonl(shared_file(name))]
    attributor = RuleAttributor(scope=scope)
    pred = [
        AnnotatedDocument(ad.document, [q for q in attributor.attribute(ad.document) if q.type in types])
        for ad in gold
    ]
    return evaluate(gold, pred).as_json()["overall"]


@pytest.fixture(scope="module")
def pfsa() -> dict:
    return scores("pfsa-id-dev.jsonl", ("direct",), "public")


@pytest.fixture(scope="module")
def polnear() -> dict:
    return scores("polnear-dev-speech.jsonl", ("direct", "mixed"), "all")


def test_pfsa_public_statements(pfsa) -> None:
    assert pfsa["attribution"]["f1"] >= 0.91
    assert pfsa["quotes"]["lenient"]["f1"] >= 0.95
    assert pfsa["speaker_accuracy"] >= 0.95
    assert pfsa["cue_accuracy"] >= 0.99


def test_pfsa_every_quotation_is_found() -> None:
    every = scores("pfsa-id-dev.jsonl", ("direct",), "all")
    assert every["quotes"]["lenient"]["r"] >= 0.99  # no statement is missed without the public filter
    assert every["speaker_accuracy"] >= 0.94


def test_polnear_speech(polnear) -> None:
    assert polnear["attribution"]["f1"] >= 0.82
    assert polnear["quotes"]["lenient"]["f1"] >= 0.93
    assert polnear["speaker_accuracy"] >= 0.85


def test_polnear_with_indirect_speech() -> None:
    """Every PolNeAR attribution, reported speech included: a floor, not a target."""
    overall = scores("polnear-dev.jsonl", ("direct", "indirect", "mixed"), "all")
    assert overall["quotes"]["lenient"]["f1"] >= 0.6
    assert overall["attribution"]["f1"] >= 0.5


_PREDICT_SOME = """
import sys
from annotator.attribution import RuleAttributor
from annotator.formats.jsonl import dumps, read_jsonl
from annotator.model import AnnotatedDocument
attributor = RuleAttributor()
for n, (_, ad) in enumerate(read_jsonl(sys.argv[1])):
    if n == 120:
        break
    print(dumps(AnnotatedDocument(ad.document, attributor.attribute(ad.document))))
"""


def test_predictions_do_not_depend_on_the_hash_seed() -> None:
    """Two processes with different string hashing predict the same quotes, speakers and roles."""
    path = shared_file("pfsa-id-dev.jsonl")
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", _PREDICT_SOME, str(path)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )
        outputs.append(run.stdout)
    assert outputs[0] and outputs[0] == outputs[1]
