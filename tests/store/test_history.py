"""The event log: undo and redo walk it per document, survive reopening, and refuse what changed since."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.model import Quote, Speaker
from annotator.store import Store, edits, history
from annotator.store.edits import LabelError
from annotator.store.rows import quote_state
from tests.support.store import TEXT, actions, labels, make_store, span


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
    assert actions(store, "ann") == ["status", "create", "undo", "redo"]  # the first change: in progress


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


# --- undo and redo as a property: any sequence of changes unwinds to the start and replays to the end ---


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

