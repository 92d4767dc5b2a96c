"""``annotator assign``: the dealing's summary, a second assign, --replace, bad input, and ``stats`` reporting
progress against the assignment."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.store import Store
from tests.support.documents import load, plain_document
from tests.support.files import snapshot


@pytest.fixture
def team(db_path):
    """Ten documents, ana's labels on all of them (done on d1 and d3)."""
    with Store(db_path) as store:
        load(store, [plain_document(f"d{i}", i) for i in range(10)], "ana", done=("d1", "d3"))
    return db_path


def test_assign_prints_each_annotators_share_and_stats_the_progress(run_cli, team):
    result = run_cli("assign", "--annotators", "ana, ben", "--overlap", "0.2", "--seed", "4")
    assert result.exit_code == 0, result.output
    assert "dealt 10 documents (2 shared by two) with seed 4, overlap 0.2" in result.stderr
    rows = [line.split("│")[1:-1] for line in result.stdout.splitlines() if line.startswith("│")]
    assert [[c.strip() for c in row] for row in rows] == [["ana", "6", "2", "6"], ["ben", "6", "2", "6"]]
    data = json.loads(run_cli("stats", "--json").stdout)
    ana = data["assignments"]["ana"]
    with Store(team) as store:
        mine = [r[0] for r in store.conn.execute("SELECT doc_id FROM assignments WHERE annotator = 'ana'")]
    done = len({"d1", "d3"} & set(mine))
    assert ana == {"assigned": 6, "shared": 2, "done": done, "in_progress": 0, "skipped": 0, "todo": 6 - done}
    assert data["assignments"]["ben"]["todo"] == 6
    text = run_cli("stats").stdout
    assert "assignments" in text and "in_progress" in text


def test_the_same_seed_deals_the_same_in_another_database(run_cli, team, tmp_path):
    first = json.loads(run_cli("assign", "--annotators", "ana,ben,cho", "--seed", "9", "--json").stdout)
    other = tmp_path / "other.db"
    with Store(other) as store:
        load(store, [plain_document(f"d{i}", i) for i in reversed(range(10))], "ana")
    second = CliRunner().invoke(cli, ["--db", str(other), "assign", "--annotators", "cho,ben,ana", "--seed", "9",
                                      "--json"])
    assert json.loads(second.stdout) == {**first, "annotators": ["cho", "ben", "ana"]}

    def dealt(path):
        with Store(path) as store:
            return sorted(store.conn.execute("SELECT doc_id, annotator FROM assignments").fetchall())

    assert dealt(team) == dealt(other)


def test_a_second_assign_deals_only_what_is_new_and_replace_deals_again(run_cli, team):
    run_cli("assign", "--annotators", "ana,ben", "--overlap", "0")
    again = run_cli("assign", "--annotators", "ana,ben")
    assert again.exit_code == 0
    assert "nothing to deal: every document is assigned already (--replace deals them again)" in again.stderr
    replaced = json.loads(run_cli("assign", "--annotators", "ben,cho", "--overlap", "0", "--replace",
                                  "--json").stdout)
    # ana has labels on every document she was given: those stay hers; the rest go to ben and cho
    assert replaced["kept"] == 5 and replaced["released"] == 5 and replaced["dealt"] == 5
    assert replaced["by_annotator"]["ana"] == {"documents": 5, "shared": 0, "new": 0}


@pytest.mark.parametrize(("args", "says"), [
    (("--annotators", "ana,ben", "--overlap", "1.2"), "--overlap must be between 0 and 1"),
    (("--annotators", "ana,ben", "--overlap", "-0.5"), "--overlap must be between 0 and 1"),
    (("--annotators", "ana",), "needs at least two annotators"),
    (("--annotators", "ana,ben,ana"), "'ana' is named twice"),
    (("--annotators", "ana,,ben"), "empty"),
])
def test_bad_input_is_one_sentence_and_writes_nothing(run_cli, team, args, says):
    before = snapshot(team.parent)
    result = run_cli("assign", *args)
    assert result.exit_code == 1
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert snapshot(team.parent) == before


def test_no_documents_is_one_sentence(run_cli):
    result = run_cli("assign", "--annotators", "ana,ben")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: the database has no documents to assign; import some first"


def test_names_are_printed_as_written_never_as_markup(run_cli, team):
    result = run_cli("assign", "--annotators", "[bold]x[/bold],b\x1bc", "--overlap", "0")
    assert result.exit_code == 0
    assert "[bold]x[/bold]" in result.stdout and "\x1b" not in result.stdout and "␛" in result.stdout
    stats = run_cli("stats")
    assert "[bold]x[/bold]" in stats.stdout and "\x1b" not in stats.stdout
