"""`annotator compare`: two systems on one gold, the paired test of B − A for each headline figure."""

from __future__ import annotations

import json

from tests.cli.test_evaluate import GOLD, PRED, write
from tests.support.paths import shared_file


def test_compare_gives_a_b_the_difference_its_interval_and_p(run_cli, tmp_path):
    gold = write(tmp_path / "gold.jsonl", GOLD)
    a = write(tmp_path / "a.jsonl", PRED)
    b = write(tmp_path / "b.jsonl", GOLD)
    result = run_cli("compare", "--gold", gold, "--pred", a, "--pred", b, "--json", "--bootstrap", "50",
                     "--permutations", "50")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["difference"] == "b - a" and data["documents"] == 1
    att = next(f for f in data["figures"] if f["figure"] == "attribution.f1")
    assert att["b"] == 1.0 and att["difference"] == att["b"] - att["a"]
    assert att["ci"][0] <= att["difference"] <= att["ci"][1]
    # One document: the only shuffles swap it or not, and both are as far from 0 as observed.
    assert att["p_value"] == 1.0
    assert set(att) == {"figure", "label", "a", "b", "difference", "ci", "p_value"}
    table = run_cli("compare", "--gold", gold, "--pred", a, "--pred", b).stdout
    assert "B − A" in table and "attribution F1" in table and "approximate randomisation" in table


def test_a_run_compared_with_itself_differs_by_nothing(run_cli, tmp_path):
    gold = write(tmp_path / "gold.jsonl", GOLD)
    a = write(tmp_path / "a.jsonl", PRED)
    data = json.loads(run_cli("compare", "--gold", gold, "--pred", a, "--pred", a, "--json").stdout)
    for f in data["figures"]:
        assert f["difference"] in (0.0, None) and f["p_value"] in (1.0, None)


def test_compare_needs_exactly_two_systems(run_cli, tmp_path):
    gold = write(tmp_path / "gold.jsonl", GOLD)
    result = run_cli("compare", "--gold", gold, "--pred", gold)
    assert result.exit_code != 0 and "--pred A --pred B" in result.output


def test_builtin_run_beats_the_naive_baseline_on_pfsa(run_cli, tmp_path):
    """The comparison the README shows: a run in the database against a file of the naive baseline."""
    from tests.support.naive_baseline import run

    path = shared_file("pfsa-id-dev.jsonl")
    small = tmp_path / "gold.jsonl"
    small.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:40]), encoding="utf-8")
    baseline = tmp_path / "naive.jsonl"
    assert run(small, baseline) > 0
    assert run_cli("import", small, "--as", "gold", "--status", "done", "--no-predict").exit_code == 0
    assert run_cli("predict", "--scope", "public", "--type", "direct").exit_code == 0  # PFSA-ID: direct only
    result = run_cli("compare", "--gold", "gold", "--pred", baseline, "--pred", "builtin", "--json")
    assert result.exit_code == 0, result.output
    figures = {f["figure"]: f for f in json.loads(result.stdout)["figures"]}
    assert figures["attribution.f1"]["difference"] > 0.1 and figures["attribution.f1"]["p_value"] < 0.05
