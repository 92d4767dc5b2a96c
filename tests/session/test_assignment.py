"""Dealing documents out to a team: balanced shares, the overlap shared by two, every pair sharing some,
reproducible from the seed; and ``assign`` on a database, a second time, and with --replace."""

from __future__ import annotations

import json
from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model import AnnotatedDocument, Quote
from annotator.session.assignment import AssignmentError, assign, deal, pair_schedule, shared_count
from annotator.store import Store, assignments
from tests.support.store import document, make_store


def totals(dealing: dict[str, tuple[str, ...]], team: list[str]) -> list[int]:
    load = Counter(name for names in dealing.values() for name in names)
    return [load[name] for name in team]


def shared_pairs(dealing: dict[str, tuple[str, ...]]) -> Counter[frozenset[str]]:
    return Counter(frozenset(names) for names in dealing.values() if len(names) == 2)


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 9), st.integers(0, 150), st.sampled_from([0, 0.05, 0.2, 1 / 3, 0.5, 0.9, 1]),
       st.integers(0, 2**32))
def test_a_dealing_is_balanced_shares_the_overlap_and_reaches_every_pair(size, documents, overlap, seed):
    team = [f"annotator-{i}" for i in range(size)]
    dealing = deal([f"doc-{i}" for i in range(documents)], team, overlap, seed)
    assert sorted(dealing) == sorted(f"doc-{i}" for i in range(documents))
    assert max(totals(dealing, team)) - min(totals(dealing, team)) <= 1
    assert all(len(set(names)) == len(names) for names in dealing.values())  # never twice to one annotator
    shared = sum(len(names) == 2 for names in dealing.values())
    assert shared == shared_count(overlap, documents) and all(len(n) in (1, 2) for n in dealing.values())
    pairs = shared_pairs(dealing)
    every_pair = size * (size - 1) // 2
    if shared >= every_pair:
        assert len(pairs) == every_pair  # every two annotators share some documents, for agreement
        assert max(pairs.values()) - min(pairs.values()) <= 1


def test_the_overlap_is_rounded_half_up():
    assert [shared_count(0.2, n) for n in (0, 2, 3, 5, 7, 8)] == [0, 0, 1, 1, 1, 2]
    assert shared_count(0.5, 5) == 3 and shared_count(1, 9) == 9


def test_the_same_seed_and_documents_give_the_same_dealing_whatever_their_order():
    docs = [f"doc-{i}" for i in range(40)]
    first = deal(docs, ["ana", "ben", "cho"], 0.2, seed=5)
    assert deal(list(reversed(docs)), ["cho", "ana", "ben"], 0.2, seed=5) == first
    assert deal(docs, ["ana", "ben", "cho"], 0.2, seed=6) != first


@pytest.mark.parametrize("size", range(2, 12))
def test_every_prefix_of_the_pair_schedule_is_balanced(size):
    team = [f"a{i}" for i in range(size)]
    schedule = pair_schedule(team)
    assert sorted(map(frozenset, schedule), key=sorted) == sorted(map(frozenset, combinations(team, 2)), key=sorted)
    load: Counter[str] = Counter()
    for pair in schedule:
        load.update(pair)
        assert max(load[a] for a in team) - min(load[a] for a in team) <= 1


def test_loads_already_held_are_evened_out_first():
    dealing = deal([f"doc-{i}" for i in range(10)], ["ana", "ben", "cho"], 0, seed=1, loads={"ana": 6, "ben": 2})
    assert totals(dealing, ["ana", "ben", "cho"]) == [0, 4, 6]


@pytest.mark.parametrize(("team", "overlap", "says"), [
    ([], 0.2, "at least one annotator"),
    (["ana", "ben", "ana"], 0.2, "'ana' is named twice"),
    (["ana"], 0.2, "needs at least two annotators"),
    (["ana", "ben"], -0.1, "between 0 and 1"),
    (["ana", "ben"], 1.5, "between 0 and 1"),
    (["ana", " "], 0, "empty"),
])
def test_a_team_or_overlap_no_dealing_can_satisfy_is_refused(team, overlap, says):
    with pytest.raises(AssignmentError, match=says):
        deal(["doc-1"], team, overlap, seed=0)


def test_one_annotator_without_overlap_gets_everything():
    assert deal(["b", "a"], ["ana"], 0, seed=0) == {"a": ("ana",), "b": ("ana",)}


# --- on a database ------------------------------------------------------------------------


@pytest.fixture
def team_store(tmp_path):
    store = make_store(tmp_path / "team.db", [(f"doc-{i:02d}", f"Text {i}.") for i in range(20)],
                       with_candidates=False)
    yield store
    store.close()


def test_assign_stores_the_dealing_with_one_event(team_store):
    report = assign(team_store, "lead", ["ana", "ben", "cho"], 0.2, seed=3)
    assert (report.dealt, report.shared, report.kept, report.released) == (20, 4, 0, 0)
    stored = assignments.by_document(team_store)
    assert stored == {d: tuple(sorted(n)) for d, n in deal(team_store.document_ids(), ["ana", "ben", "cho"],
                                                          0.2, seed=3).items()}
    assert {n: p.assigned for n, p in report.by_annotator.items()} == {"ana": 8, "ben": 8, "cho": 8}
    (event,) = team_store.conn.execute("SELECT annotator, doc_id, action, before, after FROM events").fetchall()
    assert event[:4] == ("lead", None, "assign", None)
    after = json.loads(event[4])
    assert (after["seed"], after["overlap"], after["annotators"]) == (3, 0.2, ["ana", "ben", "cho"])
    assert {d: tuple(sorted(n)) for d, n in after["documents"].items()} == stored
    assert {r[0] for r in team_store.conn.execute("SELECT dealing FROM assignments")} == {
        team_store.conn.execute("SELECT id FROM events").fetchone()[0]}


def test_a_second_assign_deals_only_new_documents_and_keeps_totals_balanced(team_store, tmp_path):
    assign(team_store, "lead", ["ana", "ben"], 0, seed=1)
    before = assignments.by_document(team_store)
    again = assign(team_store, "lead", ["ana", "ben", "cho"], 0, seed=1)
    assert again.dealt == 0 and again.kept == 20 and assignments.by_document(team_store) == before
    team_store.import_documents([(f"new:{i}", AnnotatedDocument(document(f"new-{i}", f"New {i}."), []))
                                 for i in range(13)])
    report = assign(team_store, "lead", ["ana", "ben", "cho"], 0, seed=1)
    assert report.dealt == 13 and report.new == {"cho": 11, "ana": 1, "ben": 1}
    assert {n: p.assigned for n, p in report.by_annotator.items()} == {"ana": 11, "ben": 11, "cho": 11}
    assert {d: n for d, n in assignments.by_document(team_store).items() if d in before} == before


def test_replace_deals_again_all_but_the_documents_their_annotators_started(team_store):
    assign(team_store, "lead", ["ana", "ben", "cho"], 0.5, seed=2)
    before = assignments.by_document(team_store)
    ana = [d for d, names in before.items() if "ana" in names]
    cho_labelled = next(d for d, names in before.items() if "cho" in names and "ana" not in names)
    team_store.set_status(ana[0], "ana", "done")
    team_store.set_status(ana[1], "ana", "in_progress")
    team_store.add_labels("cho", cho_labelled, [Quote(0, 4, "Text", "direct")], "manual", "create")
    started = {ana[0], ana[1], cho_labelled}
    report = assign(team_store, "lead", ["ana", "ben"], 0.5, seed=2, replace=True)
    after = assignments.by_document(team_store)
    assert {d: after[d] for d in started} == {d: before[d] for d in started}  # never touched
    assert report.kept == 3 and report.released == 17 and report.dealt == 17
    assert all("cho" not in names for d, names in after.items() if d not in started)
    (_, replaced) = team_store.conn.execute("SELECT before FROM events WHERE action = 'assign' ORDER BY id").fetchall()
    assert set(json.loads(replaced[0])["documents"]) == set(before) - started


def test_no_documents_is_refused(tmp_path):
    with Store.open(tmp_path / "empty.db") as store:
        with pytest.raises(AssignmentError, match="no documents"):
            assign(store, "lead", ["ana", "ben"], 0.2, seed=0)
        assert not store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
