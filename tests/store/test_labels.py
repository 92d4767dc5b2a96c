"""Label edits, candidates and undo/redo in the store."""

from __future__ import annotations

import pytest

from annotator.model import Quote, Speaker
from annotator.store import Store, edits, history
from annotator.store.edits import LabelError
from annotator.store.rows import quote_state
from tests.support.store import TEXT, actions, events, labels, make_store, span


def test_candidates_are_copied_once_as_pending_with_one_event(store):
    ids = edits.seed_candidates(store, "ann", "doc-1", "builtin")
    assert len(ids) == 3
    quotes = labels(store, "ann", "doc-1")
    assert [q.status for q in quotes] == ["pending"] * 3
    assert quotes[0].speaker.name == "Anna Smith" and quotes[0].speaker.mention.text == "Anna Smith"
    assert actions(store, "ann") == ["candidates"]
    assert edits.seed_candidates(store, "ann", "doc-1", "builtin") == []
    assert len(labels(store, "ann", "doc-1")) == 3
    # another annotator gets their own copy; the run is untouched
    assert len(edits.seed_candidates(store, "bob", "doc-1", "builtin")) == 3
    assert len(labels(store, "ann", "doc-1")) == 3


def test_no_candidates_without_the_run(store):
    assert edits.seed_candidates(store, "ann", "doc-1", "nosuchrun") == []
    assert actions(store, "ann") == []


def test_each_update_is_one_event_with_before_and_after(store):
    (qid, *_) = edits.seed_candidates(store, "ann", "doc-1", "builtin")
    q = edits.update_label(store, "ann", qid, "accept", status="accepted")
    assert q.status == "accepted"
    action, before, after = events(store, "ann")[-1]
    assert action == "accept" and before["status"] == "pending" and after["status"] == "accepted"
    assert after == quote_state(store.quote(qid))
    # the same state again logs nothing
    edits.update_label(store, "ann", qid, "accept", status="accepted")
    assert actions(store, "ann").count("accept") == 1


def test_boundaries_recompute_text_and_are_checked(store):
    (qid, *_) = edits.seed_candidates(store, "ann", "doc-1", "builtin")
    q = edits.update_label(store, "ann", qid, "end", end=store.quote(qid).end + 5)
    assert q.text == TEXT[q.start:q.end]
    with pytest.raises(LabelError):
        edits.update_label(store, "ann", qid, "start", start=q.end)
    with pytest.raises(LabelError):
        edits.update_label(store, "ann", qid, "end", end=len(TEXT) + 1)
    with pytest.raises(LabelError):
        edits.update_label(store, "ann", qid, "type", type="sarcastic")


def test_another_annotators_label_cannot_be_changed(store):
    (qid, *_) = edits.seed_candidates(store, "ann", "doc-1", "builtin")
    with pytest.raises(LabelError):
        edits.update_label(store, "bob", qid, "accept", status="accepted")


def test_undo_redo_walk_the_log_and_survive_reopening(tmp_path):
    path = tmp_path / "t.db"
    store = make_store(path)
    a, b, _ = edits.seed_candidates(store, "ann", "doc-1", "builtin")
    edits.update_label(store, "ann", a, "accept", status="accepted")
    edits.update_label(store, "ann", b, "reject", status="rejected")
    edits.update_label(store, "ann", a, "role", role="mayor")
    store.close()

    store = Store.open(path)
    assert history.undo(store, "ann", "doc-1").action == "role"
    assert store.quote(a).role == "the mayor of Springfield"
    assert history.undo(store, "ann", "doc-1").action == "reject"
    assert store.quote(b).status == "pending"
    assert history.redo(store, "ann", "doc-1").action == "reject"
    assert store.quote(b).status == "rejected"
    store.close()

    store = Store.open(path)
    assert history.redo(store, "ann", "doc-1").action == "role"
    assert store.quote(a).role == "mayor"
    assert history.redo(store, "ann", "doc-1") is None
    # a new change clears the redo stack
    history.undo(store, "ann", "doc-1")
    edits.update_label(store, "ann", a, "type", type="mixed")
    assert history.redo(store, "ann", "doc-1") is None
    assert actions(store, "ann", "doc-1")[-2:] == ["undo", "type"]
    for _ in range(3):
        assert history.undo(store, "ann", "doc-1") is not None
    assert history.undo(store, "ann", "doc-1") is None  # the candidates themselves are not undone
    assert [q.status for q in labels(store, "ann", "doc-1")] == ["pending"] * 3
    store.close()


def test_undo_and_redo_of_a_new_quote(store):
    q = edits.create_label(store, "ann", "doc-1", Quote(0, 5, TEXT[0:5], "direct"))
    assert store.quote(q.id) is not None
    history.undo(store, "ann", "doc-1")
    assert store.quote(q.id) is None
    history.redo(store, "ann", "doc-1")
    again = store.quote(q.id)
    assert again is not None and again.text == TEXT[0:5] and again.status == "accepted"
    assert actions(store, "ann") == ["create", "undo", "redo"]


def test_undo_is_refused_when_the_quote_changed_elsewhere(store):
    (qid, *_) = edits.seed_candidates(store, "ann", "doc-1", "builtin")
    edits.update_label(store, "ann", qid, "accept", status="accepted")
    store.conn.execute("UPDATE quote_rows SET role = 'changed behind our back' WHERE id = ?", (qid,))
    with pytest.raises(LabelError):
        history.undo(store, "ann", "doc-1")
    assert store.quote(qid).status == "accepted"


def test_undo_is_per_document(store):
    edits.seed_candidates(store, "ann", "doc-1", "builtin")
    (qid, *_) = edits.seed_candidates(store, "ann", "doc-2", "builtin")
    edits.update_label(store, "ann", qid, "accept", status="accepted")
    assert history.undo(store, "ann", "doc-1") is None
    assert history.undo(store, "ann", "doc-2").quote_id == qid


def test_speaker_change_links_the_mention(store):
    (qid, *_) = edits.seed_candidates(store, "ann", "doc-1", "builtin")
    mention = span(TEXT, "Carla Diaz")
    q = edits.update_label(store, "ann", qid, "speaker", speaker=Speaker("Carla Diaz", "person", mention))
    assert q.speaker.name == "Carla Diaz" and q.speaker.mention == mention
    history.undo(store, "ann", "doc-1")
    assert store.quote(qid).speaker.name == "Anna Smith"





# --- undo and redo as a property: any sequence of changes unwinds to the start and replays to the end ---

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CHANGES = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from(["accept", "reject", "type", "start", "end", "role", "role_category", "speaker", "via",
                         "speaker_kind"]),
        st.integers(0, 5),
    ),
    min_size=1, max_size=8,
)


def _state(store, doc="doc-1"):
    return [quote_state(q) for q in labels(store, "ann", doc)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=_CHANGES)
def test_undo_everything_then_redo_everything(tmp_path_factory, changes):
    store = make_store(tmp_path_factory.mktemp("prop") / "p.db")
    ids = edits.seed_candidates(store, "ann", "doc-1", "builtin")
    start = _state(store)
    made = 0
    for which, action, n in changes:
        q = store.quote(ids[which])
        values = {
            "accept": {"status": "accepted"}, "reject": {"status": "rejected"},
            "type": {"type": ("direct", "indirect", "mixed")[n % 3]},
            "start": {"start": max(0, q.start - n)}, "end": {"end": min(len(TEXT), q.end + n)},
            "role": {"role": f"role {n}" if n else None},
            "role_category": {"role_category": "expert" if n % 2 else None},
            "speaker": {"speaker": Speaker(f"Name {n}", "person", span(TEXT, "Carla Diaz") if n % 2 else None)},
            "via": {"via": f"outlet {n}" if n else None},
            "speaker_kind": {},
        }[action]
        before = _state(store)
        if action == "speaker_kind":
            edits.set_speaker_kind(store, "ann", ids[which], ("person", "organization", "media")[n % 3])
        else:
            edits.update_label(store, "ann", ids[which], action, **values)
        made += _state(store) != before
    end = _state(store)
    for _ in range(made):
        assert history.undo(store, "ann", "doc-1") is not None
    assert history.undo(store, "ann", "doc-1") is None
    assert _speakerless(_state(store)) == _speakerless(start)
    for _ in range(made):
        assert history.redo(store, "ann", "doc-1") is not None
    assert _speakerless(_state(store)) == _speakerless(end)
    store.close()


def _speakerless(states):
    """States without speaker aliases, which pool per entity as names are reused (kinds are compared)."""
    out = []
    for s in states:
        s = dict(s)
        if s.get("speaker"):
            s["speaker"] = {k: v for k, v in s["speaker"].items() if k != "aliases"}
        out.append(s)
    return out


def test_document_decisions_undo_and_redo_and_are_refused_after_a_change_elsewhere(store):
    assert edits.set_document_status(store, "ann", "doc-1", "skipped") is True
    assert edits.set_document_status(store, "ann", "doc-1", "skipped") is False  # nothing logged twice
    assert history.undo(store, "ann", "doc-1").action == "doc_status"
    assert store.status("doc-1", "ann") == "todo"
    assert history.redo(store, "ann", "doc-1") is not None and store.status("doc-1", "ann") == "skipped"
    store.set_status("doc-1", "ann", "done")  # e.g. an import: not on the undo stack
    with pytest.raises(LabelError, match="the document is done now, not skipped"):
        history.undo(store, "ann", "doc-1")
    assert store.status("doc-1", "ann") == "done"
    with pytest.raises(LabelError, match="status 'finished'"):
        edits.set_document_status(store, "ann", "doc-1", "finished")
    assert actions(store, "ann", "doc-1") == ["doc_status", "undo", "redo", "status"]
