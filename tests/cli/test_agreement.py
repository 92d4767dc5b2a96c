"""`annotator agreement`: every pair, named pairs, files, documents both marked done, Krippendorff's α, errors."""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path

import pytest

from annotator.session.sources import read_layer
from tests.support.alpha import reference_alpha
from tests.support.evaluation import quote_dict
from tests.support.paths import SHARED_DATA


def write_layer(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


TEXT = "“Kami siap,” kata Budi. Ani bilang bahwa semua aman. [bold]x[/bold]"


def layer_docs(*quotes: dict, doc_id: str = "doc-1") -> list[dict]:
    return [{"id": doc_id, "text": TEXT, "quotes": list(quotes)}]


def q(sub: str, speaker: str | None = None) -> dict:
    return quote_dict(TEXT, sub, speaker)


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


def test_alpha_of_all_annotators_is_printed_under_the_pairs_and_in_json(run_cli, three_annotators):
    result = run_cli("agreement")
    assert result.exit_code == 0, result.output
    assert result.stdout.index("mean") < result.stdout.index("Krippendorff's α")
    data = json.loads(run_cli("agreement", "--json").stdout)
    # The existing keys are kept; α is a new top-level key.
    assert set(data) == {"pairs", "mean_of_pairs", "krippendorff_alpha", "disagreements"}
    alpha = data["krippendorff_alpha"]
    assert alpha["annotators"] == ["[red]cy", "ana", "ben"]
    assert (alpha["documents"], alpha["characters"]) == (1, len(TEXT))
    layers = {name: read_layer(path) for name, path in three_annotators.items()}
    assert alpha["value"] == pytest.approx(reference_alpha(layers))
    # Two annotators: α beside κ.
    pair = json.loads(run_cli("agreement", "ana", "[red]cy", "--json").stdout)
    assert pair["krippendorff_alpha"]["annotators"] == ["ana", "[red]cy"]
    assert pair["krippendorff_alpha"]["value"] == pytest.approx(
        reference_alpha({"ana": layers["ana"], "[red]cy": layers["[red]cy"]})
    )


def test_a_pair_without_a_shared_done_document_is_named_on_stderr(run_cli, tmp_path, three_annotators):
    # dee marked done only a document nobody else holds, and has doc-1 still in progress.
    run_cli("import", write_layer(tmp_path / "d2.jsonl", layer_docs(doc_id="doc-2")), "--as", "dee", "--status", "done")
    run_cli("import", write_layer(tmp_path / "d1.jsonl", layer_docs()), "--as", "dee", "--status", "in_progress")
    result = run_cli("agreement", "ana", "dee", "ben")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: ana and dee share no document marked done by both; their pair is left out of the mean",
        "warning: dee and ben share no document marked done by both; their pair is left out of the mean",
    ]
    row = next(line for line in result.stdout.splitlines() if line.startswith(" ana") and "dee" in line)
    # The row says "none" rather than counts of 0.
    assert re.findall(r"[\w/]+", row) == ["ana", "dee", "none"]
    data = json.loads(run_cli("agreement", "ana", "dee", "ben", "--json").stdout)
    assert [p["overall"]["counts"]["documents"] for p in data["pairs"]] == [0, 1, 0]
    assert data["krippendorff_alpha"]["documents"] == 1
    # Nothing comparable at all: one sentence, exit 1.
    alone = run_cli("agreement", "ana", "dee")
    assert alone.exit_code == 1
    assert alone.stderr.strip() == "Error: nothing to compare: no two annotators share a document marked done by both"


def test_files_without_a_shared_document_id(run_cli, tmp_path, three_annotators):
    other = write_layer(tmp_path / "other.jsonl", layer_docs(doc_id="doc-9"))
    result = run_cli("agreement", "--files", three_annotators["ana"], three_annotators["ben"], other)
    assert result.exit_code == 0, result.output
    assert "warning: ana and other share no document id" in result.stderr
    alone = run_cli("agreement", "--files", three_annotators["ana"], other)
    assert alone.exit_code == 1 and "no two annotators share a document id" in alone.stderr


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
    alpha = data["krippendorff_alpha"]
    assert alpha["annotators"] == names and alpha["documents"] == 2
    assert alpha["value"] == pytest.approx(reference_alpha({p.stem: read_layer(p) for p in files}))
    # The database and the files give the same figures.
    by_files = json.loads(run_cli("agreement", "--files", *files, "--json").stdout)
    assert [p["overall"] for p in by_files["pairs"]] == [p["overall"] for p in data["pairs"]]
    assert by_files["krippendorff_alpha"] == alpha
