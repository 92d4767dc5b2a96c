"""`annotator adjudicate --auto`: two annotators' files, the majority of three, the JSON report, provenance in
the export and back through an import, and the errors of the command line."""

from __future__ import annotations

import json

import pytest

from annotator.model import AnnotatedDocument, Owner, document_json
from annotator.store import Store
from tests.support.adjudication import TEAM, versions
from tests.support.paths import SHARED_DATA
from tests.support.store import TEXT, document


@pytest.fixture
def team_files(tmp_path):
    """Each annotator's labels of two documents, as the JSONL files a team member would hand in."""
    files = {}
    for name in TEAM:
        docs = [document_json(AnnotatedDocument(document(d, TEXT), versions(name))) for d in ("doc-1", "doc-2")]
        files[name] = tmp_path / f"{name}.jsonl"
        files[name].write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return files


@pytest.fixture
def team_db(team_files, run_cli, db_path):
    for name, path in team_files.items():
        assert run_cli("import", path, "--as", name, "--status", "done", "--no-predict").exit_code == 0
    return db_path


def test_auto_keeps_only_what_all_agree_on(team_db, run_cli):
    result = run_cli("adjudicate", "ana", "ben", "--into", "gold", "--auto", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["documents"] == [
        {"id": d, "written": 1, "done": False, "left": {"missing": 1, "boundary": 1, "speaker": 1}}
        for d in ("doc-1", "doc-2")]
    with Store(team_db) as store:
        assert [q.text for q in store.quotes("doc-1", _gold())] == ["“We will win,”"]
    again = json.loads(run_cli("adjudicate", "ana", "ben", "--into", "gold", "--auto", "--json").output)
    assert [d["written"] for d in again["documents"]] == [0, 0]  # nothing twice


def test_auto_majority_finishes_the_documents_and_the_export_carries_provenance(team_db, run_cli, tmp_path):
    result = run_cli("adjudicate", *TEAM, "--into", "gold", "--auto", "--majority")
    assert result.exit_code == 0, result.output
    assert "all" in result.output and "2/2" in result.output
    out = tmp_path / "gold.jsonl"
    assert run_cli("export", "--format", "jsonl", "--annotator", "gold", out).exit_code == 0
    docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    quotes = docs[0]["quotes"]
    assert [q["text"] for q in quotes] == ["“We will win,”", "the plan was too expensive", "“Nobody asked us,”"]
    assert [q["adjudication"] for q in quotes] == [
        {"agreed": ["ana", "ben", "cal"], "taken_from": "ana"},
        {"agreed": ["ana", "cal"], "taken_from": "ana"},
        {"agreed": ["ana", "cal"], "taken_from": "ana"}]
    # the provenance comes back through an import, and exports to the same bytes
    assert run_cli("import", out, "--as", "copy", "--status", "done", "--no-predict").exit_code == 0
    again = tmp_path / "copy.jsonl"
    assert run_cli("export", "--format", "jsonl", "--annotator", "copy", again).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_nothing_to_adjudicate_says_so(team_db, run_cli):
    run_cli("adjudicate", *TEAM, "--into", "gold", "--auto", "--majority")
    result = run_cli("adjudicate", *TEAM, "--into", "gold", "--auto")
    assert result.exit_code == 0 and "no document to adjudicate" in result.output


@pytest.mark.parametrize(("args", "says"), [
    (("ana", "--into", "gold", "--auto"), "at least two annotators"),
    (("ana", "zoe", "--into", "gold", "--auto"), "no annotator named 'zoe'"),
    (("ana", "ben", "--into", "ben", "--auto"), "is one of the annotators"),
    (("ana", "ben", "--into", "gold", "--majority"), "--majority and --json go with --auto"),
    (("ana", "ben", "--into", "gold", "--doc", "nope", "--auto"), "nope"),
])
def test_bad_requests_are_one_sentence_and_exit_1(team_db, run_cli, args, says):
    result = run_cli("adjudicate", *args)
    assert result.exit_code != 0 and says in result.output
    assert "Traceback" not in result.output


def test_polnear_annotators_disagree_only_where_they_differ(run_cli, db_path):
    """The PolNeAR dev articles six annotators labelled: --auto writes what two of them share, nothing more."""
    folder = SHARED_DATA / "polnear-dev-by-annotator"
    if not folder.exists():
        pytest.skip("development data is not available")
    for name in ("4b22", "4e07"):
        assert run_cli("import", folder / f"{name}.jsonl", "--as", name, "--status", "done",
                       "--no-predict").exit_code == 0
    report = json.loads(run_cli("adjudicate", "4b22", "4e07", "--into", "gold", "--auto", "--json").output)
    with Store(db_path) as store:
        for entry in report["documents"]:
            gold = store.quotes(entry["id"], _gold())
            assert len(gold) == entry["written"] > 0
            assert all(q.adjudication["agreed"] == ["4b22", "4e07"] for q in gold)
            first = {(q.start, q.end, q.type) for q in store.quotes(entry["id"], Owner.annotator("4b22"))}
            assert {(q.start, q.end, q.type) for q in gold} <= first  # a copy of the first annotator's version
            assert sum(entry["left"].values()) > 0


def _gold() -> Owner:
    return Owner.annotator("gold")


def test_agreement_counts_the_disagreements_by_kind_as_adjudicate_groups_them(team_db, run_cli):
    report = json.loads(run_cli("agreement", *TEAM, "--json").output)
    assert report["disagreements"] == {
        "annotators": list(TEAM), "documents": 2, "groups": 8, "agreed": 2,
        "by_kind": {"missing": 2, "boundary": 2, "type": 0, "speaker": 2, "role": 0, "role_category": 0,
                    "cue": 0, "via": 0}}
    table = run_cli("agreement", *TEAM).output
    assert "disagreements of all 3 annotators" in table and "disagree: boundary" in table
