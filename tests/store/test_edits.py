"""Label edits in the store: candidates copied once, one event per change, boundaries checked, whose label."""

from __future__ import annotations

import pytest

from annotator.model import Speaker
from annotator.store import edits, history
from annotator.store.edits import LabelError
from annotator.store.rows import quote_state
from tests.support.store import TEXT, actions, events, labels, span


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


def test_speaker_change_links_the_mention(store):
    (qid, *_) = edits.seed_candidates(store, "ann", "doc-1", "builtin")
    mention = span(TEXT, "Carla Diaz")
    q = edits.update_label(store, "ann", qid, "speaker", speaker=Speaker("Carla Diaz", "person", mention))
    assert q.speaker.name == "Carla Diaz" and q.speaker.mention == mention
    history.undo(store, "ann", "doc-1")
    assert store.quote(qid).speaker.name == "Anna Smith"



