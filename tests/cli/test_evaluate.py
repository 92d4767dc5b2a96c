"""`annotator evaluate`: sources (files, annotators, runs), the JSON contract, tables, errors in context."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

import annotator
from tests.support.evaluation import figures, one_document_file, quote_dict
from tests.support.paths import shared_file

TEXT = (
    "Menurut laporan, “Kami siap berangkat besok,” kata Menteri Budi di Jakarta. "
    "Ani mengatakan bahwa semua aman. [bold red]Bukan markup[/] \x1b[31m dan “Ini bohong,” ujar Cici."
)


def q(sub: str, speaker: str | None = None, type: str | None = None, cue: str | None = None) -> dict:
    return quote_dict(TEXT, sub, speaker, type, cue)


GOLD = [
    q("“Kami siap berangkat besok,”", "Menteri Budi", "direct", cue="kata"),
    q("semua aman", "Ani", "indirect", cue="mengatakan"),
    q("“Ini bohong,”", "Cici", "direct"),
]
PRED = [
    q("Kami siap berangkat besok", "Budi", "direct", cue="kata"),  # exact after normalisation, wrong speaker
    q("[bold red]Bukan markup[/]", None, "direct"),  # false positive whose text looks like markup
    q("Ini bohong", "Cici", "direct"),
]


def write(path: Path, quotes: list[dict], doc_id: str = "berita-1", text: str = TEXT) -> Path:
    return one_document_file(path, text, quotes, doc_id)


@pytest.fixture
def files(tmp_path):
    return write(tmp_path / "gold.jsonl", GOLD), write(tmp_path / "pred.jsonl", PRED)


def test_json_has_exactly_the_design_keys(run_cli, files):
    gold, pred = files
    result = run_cli("evaluate", "--gold", gold, "--pred", pred, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"overall", "macro", "by_type", "by_document", "components", "provenance"}
    for block in (data["overall"], *data["by_type"].values(), *data["by_document"].values()):
        assert set(block) == {"counts", "quotes", "speaker_accuracy", "attribution", "cue_accuracy",
                              "role_exact", "role_token_f1"}  # fmt: skip
        assert {"documents", "gold", "pred", "aligned"} <= set(block["counts"])
        assert set(block["quotes"]) == {"exact", "overlap@0.3", "overlap@0.8", "lenient", "token"}
        for prf in (*block["quotes"].values(), block["attribution"]):
            assert set(prf) == {"p", "r", "f1"}
    o = data["overall"]
    assert o["counts"] == o["counts"] | {"documents": 1, "gold": 3, "pred": 3, "aligned": 2}
    # 2 exact of 3 and 3: P = R = 2/3. Speakers: Budi ≠ Menteri Budi, Cici right: 1/2.
    assert o["quotes"]["exact"]["p"] == pytest.approx(2 / 3)
    assert o["speaker_accuracy"] == 0.5
    assert o["role_exact"] is None  # no gold roles: null, not 0
    assert list(data["by_type"]) == ["direct", "indirect"]


def test_table_shows_figures_counts_and_dashes_for_null(run_cli, files):
    gold, pred = files
    result = run_cli("evaluate", "--gold", gold, "--pred", pred)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "1 document · 3 gold quotes · 3 predicted · 2 aligned" in out
    exact = next(line for line in out.splitlines() if line.strip().startswith("exact "))
    assert "0.667" in exact and "2/3" in exact
    role = next(line for line in out.splitlines() if "role exact" in line)
    assert "—" in role
    assert "by quote type" in out and "by document" not in out
    assert "by document" in run_cli("evaluate", "--gold", gold, "--pred", pred, "--by", "doc").stdout


def test_errors_are_shown_in_context_with_untrusted_text_kept_as_text(run_cli, files):
    gold, pred = files
    result = run_cli("evaluate", "--gold", gold, "--pred", pred, "--errors")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "errors: 1 false positive, 1 miss, 1 wrong speaker" in out
    # The miss, marked in its context.
    assert "MISS" in out and "bahwa ⟦semua aman⟧." in out
    # The false positive's text looks like Rich markup and is printed as written; ESC is made visible.
    assert "⟦[bold red]Bukan markup[/]⟧" in out
    assert "\x1b[31m" not in out and "␛[31m" in out
    assert "WRONG SPEAKER" in out and "gold speaker: Menteri Budi" in out and "predicted speaker: Budi" in out


def test_errors_context_is_about_sixty_characters_each_side(run_cli, tmp_path):
    text = "x" * 100 + " “Sebuah kutipan,” " + "y" * 100
    gold = write(tmp_path / "g.jsonl", [{"start": 101, "end": 118}], text=text)
    pred = write(tmp_path / "p.jsonl", [], text=text)
    data = json.loads(run_cli("evaluate", "--gold", gold, "--pred", pred, "--json", "--errors").stdout)
    (err,) = data["errors"]
    assert err["kind"] == "miss" and err["text"] == "“Sebuah kutipan,”"
    assert err["before"] == "x" * 59 + " " and err["after"] == " " + "y" * 59


def test_gold_annotator_and_run_from_the_database_match_the_files(run_cli, files):
    gold, pred = files
    assert run_cli("import", gold, "--as", "ana", "--status", "done").exit_code == 0
    assert run_cli("import", pred, "--run", "sys").exit_code == 0
    from_db = json.loads(run_cli("evaluate", "--gold", "ana", "--pred", "sys", "--json").stdout)
    from_files = json.loads(run_cli("evaluate", "--gold", gold, "--pred", pred, "--json").stdout)
    assert from_db.pop("provenance")["inputs"] != from_files.pop("provenance")["inputs"]
    assert from_db == from_files
    # Mixed: a gold file against a stored run.
    mixed = json.loads(run_cli("evaluate", "--gold", gold, "--pred", "sys", "--json").stdout)
    del mixed["provenance"]
    assert mixed == from_files


def test_gold_annotator_counts_only_documents_marked_done(run_cli, files, tmp_path):
    gold, pred = files
    run_cli("import", gold, "--as", "ana", "--status", "in_progress")
    run_cli("import", pred, "--run", "sys")
    result = run_cli("evaluate", "--gold", "ana", "--pred", "sys")
    assert result.exit_code == 1 and "marked no document done" in result.stderr
    data = json.loads(run_cli("evaluate", "--gold", "ana", "--pred", "sys", "--json", "--all-documents").stdout)
    assert data["overall"]["counts"]["gold"] == 3


def test_unknown_sources_and_bad_files_are_one_sentence_errors(run_cli, files, tmp_path):
    gold, pred = files
    result = run_cli("evaluate", "--gold", "nobody", "--pred", pred)
    assert result.exit_code == 1 and "no annotator named 'nobody'" in result.stderr
    result = run_cli("evaluate", "--gold", gold, "--pred", "norun")
    assert result.exit_code == 1 and "no run or annotator named 'norun'" in result.stderr
    missing = run_cli("evaluate", "--gold", tmp_path / "absent.jsonl", "--pred", pred)
    assert missing.exit_code == 1 and "absent.jsonl" in missing.stderr and "Traceback" not in missing.output
    other = write(tmp_path / "other.jsonl", [], text="a different text")
    result = run_cli("evaluate", "--gold", gold, "--pred", other)
    assert result.exit_code == 1 and "different text" in result.stderr
    twice = tmp_path / "twice.jsonl"
    twice.write_text(gold.read_text(encoding="utf-8") * 2, encoding="utf-8")
    result = run_cli("evaluate", "--gold", twice, "--pred", pred)
    assert result.exit_code == 1 and "line 2" in result.stderr and "first on line 1" in result.stderr


def test_pfsa_gold_against_itself_is_one_everywhere(run_cli):
    path = shared_file("pfsa-id-dev.jsonl")
    result = run_cli("evaluate", "--gold", path, "--pred", path, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    del data["provenance"]
    values = [v for _, v in figures(data)]
    assert values and all(v is None or v == 1.0 for v in values)
    o = data["overall"]
    # Every overall figure is defined (the file has speakers, cues and roles) and equal to 1.
    assert all(v == 1.0 for _, v in figures(o))
    assert o["counts"]["gold"] == o["counts"]["aligned"] == 1653


def test_pred_can_be_another_annotator(run_cli, files):
    gold, pred = files
    run_cli("import", gold, "--as", "ana", "--status", "done")
    run_cli("import", pred, "--as", "ben", "--status", "done")
    from_db = json.loads(run_cli("evaluate", "--gold", "ana", "--pred", "ben", "--json").stdout)
    from_files = json.loads(run_cli("evaluate", "--gold", gold, "--pred", pred, "--json").stdout)
    assert from_db["overall"] == from_files["overall"]


def test_gold_documents_without_predictions_are_noted(run_cli, files, tmp_path):
    gold, _ = files
    other = write(tmp_path / "other.jsonl", [], doc_id="another-doc")
    result = run_cli("evaluate", "--gold", gold, "--pred", other, "--json")
    assert result.exit_code == 0
    assert "1 of 1 gold documents have no predictions" in result.stderr
    assert json.loads(result.stdout)["overall"]["quotes"]["exact"] == {"p": None, "r": 0.0, "f1": 0.0}


def test_the_note_on_documents_without_predictions_comes_before_a_failed_comparison(run_cli, tmp_path):
    """Two gold documents: one has no predictions, the other's text differs in the predictions."""
    gold = tmp_path / "gold.jsonl"
    gold.write_text(write(tmp_path / "a.jsonl", GOLD, doc_id="a").read_text(encoding="utf-8")
                    + write(tmp_path / "b.jsonl", GOLD, doc_id="b").read_text(encoding="utf-8"), encoding="utf-8")
    pred = write(tmp_path / "pred.jsonl", [], doc_id="b", text="a different text")
    result = run_cli("evaluate", "--gold", gold, "--pred", pred)
    assert result.exit_code == 1
    note = result.stderr.index("note: 1 of 2 gold documents have no predictions")
    assert note < result.stderr.index("different text")


def test_bootstrap_puts_an_interval_beside_every_figure_and_a_row_under_it(run_cli, files, monkeypatch):
    gold, pred = files
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # so two runs can be compared byte for byte
    plain = json.loads(run_cli("evaluate", "--gold", gold, "--pred", pred, "--json").stdout)
    result = run_cli("evaluate", "--gold", gold, "--pred", pred, "--json", "--bootstrap", "200", "--seed", "5")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["bootstrap"] == {"replicates": 200, "seed": 5, "level": 0.95, "resampled": "documents"}
    o = data["overall"]
    # The figures themselves are unchanged; each has its interval beside it (one document: every draw is it).
    assert o["quotes"]["exact"]["p"] == plain["overall"]["quotes"]["exact"]["p"]
    assert o["quotes"]["exact"]["p_ci"] == [pytest.approx(2 / 3)] * 2
    assert o["speaker_accuracy_ci"] == [0.5, 0.5]
    assert o["role_exact_ci"] is None  # an undefined figure has no interval
    assert set(data["macro"]["attribution"]) == {"p", "r", "f1", "p_ci", "r_ci", "f1_ci"}
    assert "f1_ci" in data["by_type"]["direct"]["attribution"]
    assert "p_ci" not in json.dumps(data["by_document"])  # one document has no interval of its own
    again = run_cli("evaluate", "--gold", gold, "--pred", pred, "--json", "--bootstrap", "200", "--seed", "5")
    assert again.stdout == result.stdout
    table = run_cli("evaluate", "--gold", gold, "--pred", pred, "--bootstrap", "100").stdout
    assert "95% intervals: percentile bootstrap over documents, 100 replicates, seed 0" in table
    lines = table.splitlines()
    exact = next(n for n, line in enumerate(lines) if line.strip().startswith("exact "))
    assert lines[exact + 1].split()[:2] == ["95%", "│"] and ".67" in lines[exact + 1]
    assert max(len(line) for line in lines if "│" in line) <= 80


def test_bootstrap_gives_the_components_intervals_too(run_cli, files):
    gold, pred = files
    data = json.loads(run_cli("evaluate", "--gold", gold, "--pred", pred, "--json", "--bootstrap", "50").stdout)
    for block in data["components"].values():
        for match in ("exact", "token"):
            for leaf in ("p", "r", "f1"):
                value, interval = block[match][leaf], block[match][f"{leaf}_ci"]
                assert interval is None if value is None else interval == [value, value]  # one document
    table = run_cli("evaluate", "--gold", gold, "--pred", pred, "--components", "--bootstrap", "50").stdout
    lines = table.splitlines()
    content = next(n for n, line in enumerate(lines) if line.strip().startswith("content"))
    assert lines[content + 1].split()[0] == "95%"
    assert max(len(line) for line in lines if "│" in line) <= 80


def test_by_any_field_shows_a_table_per_breakdown_with_micro_and_macro_rows(run_cli, tmp_path):
    text = TEXT
    gold = write(tmp_path / "g.jsonl", [
        {**q("“Kami siap berangkat besok,”", "Menteri Budi", "direct"), "speaker_resolved": "coref"},
        q("semua aman", "Ani", "indirect"),
    ])  # fmt: skip
    pred = write(tmp_path / "p.jsonl", [q("Kami siap berangkat besok", "Menteri Budi", "direct")])
    result = run_cli("evaluate", "--gold", gold, "--pred", pred, "--by", "speaker_resolved", "--by", "doc")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "by speaker_resolved" in out and "by document" in out and "by quote type" not in out
    assert "coref" in out and "(none)" in out
    assert out.count("micro") >= 2 and "macro: each figure's mean over 1 document" in out
    data = json.loads(run_cli("evaluate", "--gold", gold, "--pred", pred, "--by", "speaker_resolved",
                              "--json").stdout)  # fmt: skip
    assert data["breakdowns"]["speaker_resolved"]["coref"]["quotes"]["exact"]["f1"] == 1.0
    assert data["macro"]["counts"] == {"documents": 1}
    missing = run_cli("evaluate", "--gold", gold, "--pred", pred, "--by", "nothing_here")
    assert "no quote or document meta has a 'nothing_here'" in missing.stderr
    assert text  # the shared document text


def test_json_provenance_names_the_scorer_settings_inputs_and_time(run_cli, files, db_path):
    gold, pred = files
    data = json.loads(run_cli("evaluate", "--gold", gold, "--pred", pred, "--json").stdout)
    prov = data["provenance"]
    assert prov["scorer"] == {"name": "annotator", "version": annotator.__version__}
    assert prov["settings"] == {"all_documents": False, "by": [], "replicates": None, "seed": 0}
    assert prov["inputs"] == {
        "gold": {"file": str(gold), "sha256": hashlib.sha256(gold.read_bytes()).hexdigest()},
        "pred": {"file": str(pred), "sha256": hashlib.sha256(pred.read_bytes()).hexdigest()},
    }
    stamped = datetime.strptime(prov["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - stamped).total_seconds()) < 60
    # From the database: names, the database, and the settings as given.
    run_cli("import", gold, "--as", "ana", "--status", "in_progress")
    run_cli("import", pred, "--run", "sys")
    run_cli("import", pred, "--as", "ben")
    data = json.loads(run_cli("evaluate", "--gold", "ana", "--pred", "sys", "--all-documents", "--json").stdout)
    assert data["provenance"]["settings"] == {"all_documents": True, "by": [], "replicates": None, "seed": 0}
    assert data["provenance"]["inputs"] == {"gold": {"annotator": "ana", "database": str(db_path)},
                                            "pred": {"run": "sys", "database": str(db_path)}}
    data = json.loads(run_cli("evaluate", "--gold", "ana", "--pred", "ben", "--all-documents", "--json").stdout)
    assert data["provenance"]["inputs"]["pred"] == {"annotator": "ben", "database": str(db_path)}
    assert "sha256" not in run_cli("evaluate", "--gold", gold, "--pred", pred).stdout  # tables: no provenance
