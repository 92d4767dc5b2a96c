"""One annotator on one document, without the TUI: word stops, opening, changes, search."""

from __future__ import annotations

from annotator.session.document import DocumentSession
from annotator.session.stops import WordStops
from tests.support.store import TEXT, actions, labels


def test_word_stops_keep_quotation_marks():
    text = "ini. “Operasi itu berakhir dengan kemenangan,” kata dia."
    stops = WordStops(text)
    start = text.index("“")
    assert start in stops.starts and text.index("Operasi") not in stops.starts
    end = text.index("”") + 1
    assert end in stops.ends
    assert stops.end_right(text.index("kemenangan")) == end
    assert stops.start_left(text.index("Operasi")) == start
    assert stops.start_right(start, end) == text.index("itu")


def test_opening_copies_the_candidates_once_and_the_first_change_starts_the_work(store):
    session = DocumentSession(store, "ann", "doc-1")
    assert session.seeded == 3 and session.status == "todo"  # opened, nothing changed yet
    assert DocumentSession(store, "ann", "doc-1").seeded == 0
    assert [q.status for q in labels(store, "ann", "doc-1")] == ["pending"] * 3
    session.accept()
    assert session.status == "in_progress"


def test_a_change_is_on_disk_before_the_session_moves(store):
    session = DocumentSession(store, "ann", "doc-1")
    change = session.accept()
    assert change.changed and change.message == "accepted"
    assert labels(store, "ann", "doc-1")[0].status == "accepted"
    assert session.counts() == {"pending": 2, "accepted": 1, "rejected": 0}
    assert not session.accept().changed  # already so: nothing written
    assert actions(store, "ann", "doc-1").count("accept") == 1
    assert session.undo().message == "undid the accept"


def test_find_matches_the_text_literally_in_any_case(store):
    session = DocumentSession(store, "ann", "doc-1")
    said = [i for i in range(len(TEXT)) if TEXT.startswith("said", i)]
    assert session.find("SAID") == [(i, i + 4) for i in said]
    assert session.find("a.b") == []  # not a pattern
