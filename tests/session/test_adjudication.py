"""Reconciling annotators without the TUI: agreed quotes written once, versions taken and left out with their
provenance, undo and redo, majority, two adjudicators at once, names refused."""

from __future__ import annotations

import threading

import pytest

from annotator.session.adjudication import (
    Adjudication,
    AdjudicationError,
    DocumentAdjudication,
    auto_adjudicate,
    documents_to_adjudicate,
)
from annotator.store import Store
from tests.support.adjudication import team_store
from tests.support.store import events, labels


@pytest.fixture
def team(tmp_path) -> Store:
    store = team_store(tmp_path / "team.db")
    yield store
    store.close()


def opened(store: Store, doc_id: str = "doc-1", team=("ana", "ben")) -> DocumentAdjudication:
    return DocumentAdjudication(store, team, "gold", doc_id)


def test_opening_writes_what_all_agree_on_once_with_its_provenance(team):
    session = opened(team)
    assert session.written == 1
    (agreed,) = labels(team, "gold", "doc-1")
    assert agreed.text == "“We will win,”" and agreed.status == "accepted"
    assert agreed.speaker.name == "Anna Smith" and agreed.role == "the mayor of Springfield"
    assert agreed.adjudication == {"agreed": ["ana", "ben"], "taken_from": "ana"}
    assert [(a, after["adjudication"]) for a, _, after in events(team, "gold", "doc-1") if a == "adjudicate"] == [
        ("adjudicate", {"agreed": ["ana", "ben"], "taken_from": "ana"})]
    assert team.status("doc-1", "gold") == "todo"  # what all agree on is no work of the adjudicator's
    assert opened(team).written == 0 and len(labels(team, "gold", "doc-1")) == 1


def test_the_first_open_disagreement_is_current_and_taking_moves_to_the_next(team):
    session = opened(team)
    assert [session.items[k].group.kinds for k in session.disagreements] == [("boundary",), ("speaker",), ("missing",)]
    assert session.current.group.kinds == ("boundary",)
    change = session.take(1)
    assert change.changed and change.message == "took ben's version"
    taken = [q for q in labels(team, "gold", "doc-1") if q.text.startswith("that")]
    assert taken and taken[0].adjudication == {"agreed": ["ben"], "taken_from": "ben"}
    assert session.current.group.kinds == ("speaker",)
    session.take(0)
    assert session.current.group.kinds == ("missing",)
    assert session.take(0).message == "left out, as ana has it"  # ana has no such quote
    council = [q for q in labels(team, "gold", "doc-1") if q.text.startswith("The council")]
    assert council[0].status == "rejected" and council[0].adjudication == {"agreed": ["ana"], "taken_from": None}
    assert [item.state for item in session.items] == ["agreed", "taken", "taken", "left out"]


def test_taking_another_version_replaces_the_label_and_undo_brings_each_back(team):
    session = opened(team)
    k = session.index
    session.take(0)
    session.index = k
    session.take(1)
    texts = sorted(q.text for q in labels(team, "gold", "doc-1"))
    assert "that the plan was too expensive" in texts and "the plan was too expensive" not in texts
    assert session.undo().message == "undid the adjudicated version"
    assert "the plan was too expensive" in [q.text for q in labels(team, "gold", "doc-1")]
    assert session.index == k
    session.undo()
    assert session.items[k].state == "open" and len(labels(team, "gold", "doc-1")) == 1
    session.redo()
    assert session.items[k].merged.text == "the plan was too expensive"
    # the undo stacks come from the event log: a new session continues them
    assert opened(team).undo().message == "undid the adjudicated version"


def test_leaving_out_a_taken_quote_keeps_it_as_a_rejected_label(team):
    session = opened(team)
    k = session.index
    session.take(1)
    session.index = k
    session.leave_out()
    item = session.items[k]
    assert item.state == "left out" and item.merged.text == "that the plan was too expensive"
    assert item.merged.adjudication == {"agreed": [], "taken_from": None}


def test_moving_wraps_over_the_disagreements_only(team):
    session = opened(team)
    order = session.disagreements
    assert session.index == order[0]
    assert session.move(1) is session.items[order[1]]
    session.move(1)
    assert session.move(1) is session.items[order[0]]
    assert session.move(-1) is session.items[order[-1]]


def test_documents_to_adjudicate_are_those_every_annotator_finished_and_the_adjudicator_has_not(tmp_path):
    store = team_store(tmp_path / "t.db", docs=("doc-1", "doc-2", "doc-3"))
    store.set_status("doc-2", "ben", "in_progress")
    store.set_status("doc-3", "gold", "done")
    assert documents_to_adjudicate(store, ["ana", "ben"], "gold") == ["doc-1"]
    assert documents_to_adjudicate(store, ["ana", "cal"], "gold") == ["doc-1", "doc-2"]
    job = Adjudication(store, ["ana", "ben"], "gold", ["doc-3", "doc-2"])
    assert job.documents() == ["doc-3", "doc-2"] and job.next_document() == "doc-2"
    store.close()


@pytest.mark.parametrize(("names", "into", "says"), [
    (["ana"], "gold", "at least two annotators"),
    (["ana", "ana"], "gold", "'ana' is named twice"),
    (["ana", "ben"], "ben", "one of the annotators"),
    (["ana", "zoe"], "gold", "no annotator named 'zoe'"),
])
def test_bad_names_are_refused_in_one_sentence(team, names, into, says):
    with pytest.raises(AdjudicationError, match=says):
        Adjudication(team, names, into)


def test_auto_writes_only_what_all_agree_on_and_reports_the_rest(team):
    result = auto_adjudicate(team, ["ana", "ben"], "gold", "doc-1")
    assert result.as_json() == {"id": "doc-1", "written": 1, "done": False,
                                "left": {"missing": 1, "boundary": 1, "speaker": 1}}
    assert team.status("doc-1", "gold") == "todo"


def test_auto_majority_settles_everything_and_marks_the_document_done(team):
    result = auto_adjudicate(team, ["ana", "ben", "cal"], "gold", "doc-1", majority=True)
    assert result.as_json() == {"id": "doc-1", "written": 4, "done": True, "left": {}}
    gold = labels(team, "gold", "doc-1")
    assert [(q.text, q.status) for q in gold] == [
        ("“We will win,”", "accepted"), ("the plan was too expensive", "accepted"),
        ("“Nobody asked us,”", "accepted"), ("The council meets on Monday", "rejected")]
    assert gold[1].adjudication == {"agreed": ["ana", "cal"], "taken_from": "ana"}
    assert gold[3].adjudication == {"agreed": ["ana", "cal"], "taken_from": None}
    assert team.status("doc-1", "gold") == "done"


def test_two_adjudicators_opening_at_once_write_each_agreed_quote_once(tmp_path):
    path = tmp_path / "team.db"
    team_store(path).close()
    barrier = threading.Barrier(4)
    errors = []

    def adjudicator():
        store = Store.open(path)
        try:
            barrier.wait()
            opened(store, team=("ana", "ben", "cal"))
        except Exception as exc:  # any failure of a thread fails the test below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=adjudicator) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with Store.open(path) as store:
        assert [q.text for q in labels(store, "gold", "doc-1")] == ["“We will win,”"]
