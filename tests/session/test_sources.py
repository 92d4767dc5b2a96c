"""Where the documents to score come from: an annotator or a run in the database, or a JSONL file."""

from __future__ import annotations

import pytest

from annotator.formats.errors import InputError
from annotator.session.sources import Database, SourceError, agreement_layers, alpha_agreement, evaluate_sources
from annotator.store import Store
from tests.support.documents import load, plain_document, write_jsonl
from tests.support.evaluation import doc


def never_opened() -> Store:
    raise AssertionError("two files need no database")


def test_two_files_are_compared_without_opening_the_database(tmp_path):
    gold = write_jsonl(tmp_path / "gold.jsonl", [plain_document("a"), plain_document("b")])
    pred = write_jsonl(tmp_path / "pred.jsonl", [plain_document("a")])
    scored = evaluate_sources(str(gold), str(pred), Database(never_opened, "x.db"))
    assert (scored.gold_documents, scored.unmatched) == (2, 1)
    layers = agreement_layers([str(gold), str(pred)], True, Database(never_opened, "x.db"))
    assert list(layers) == ["gold", "pred"]


def test_names_in_the_database_are_resolved_or_refused_with_what_there_is(tmp_path):
    store = Store.open(tmp_path / "s.db")
    load(store, [plain_document("a"), plain_document("b")], annotator="ana", done=("a",))
    load(store, [plain_document("a"), plain_document("b")], annotator="bo", done=("a", "b"))
    database = Database(lambda: store, "s.db")
    scored = evaluate_sources("ana", "bo", database)
    assert scored.gold_documents == 1 and scored.unmatched == 0
    assert evaluate_sources("ana", "bo", database, all_documents=True).gold_documents == 2
    with pytest.raises(SourceError, match=r"no annotator named 'cy' in s.db \(annotators: ana, bo\)"):
        evaluate_sources("cy", "bo", database)
    with pytest.raises(SourceError, match="no run or annotator named 'run1'"):
        evaluate_sources("ana", "run1", database)
    assert list(agreement_layers([], False, database)) == ["ana", "bo"]
    store.close()
    with Store.open(tmp_path / "empty.db") as empty, pytest.raises(SourceError, match=r"empty\.db has none"):
        agreement_layers([], False, Database(lambda: empty, "empty.db"))


def test_alpha_of_layers_that_disagree_on_a_text_is_refused_as_a_source_error():
    layers = {"ana": [doc("a", "one text")], "bo": [doc("a", "another text")]}
    with pytest.raises(SourceError, match="cannot compare: document 'a' has different texts for ana, bo"):
        alpha_agreement(layers)


def test_notes_tell_of_an_empty_prediction_file_and_of_documents_the_gold_does_not_hold(tmp_path):
    gold = write_jsonl(tmp_path / "gold.jsonl", [plain_document("a"), plain_document("b")])
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    notes: list[str] = []
    scored = evaluate_sources(str(gold), str(empty), Database(never_opened, "x.db"), on_note=notes.append)
    assert (scored.result.overall.gold, scored.result.overall.pred) == (4, 0)
    assert len(notes) == 1 and "holds no predictions" in notes[0]  # not also "2 of 2 have no predictions"
    pred = write_jsonl(tmp_path / "pred.jsonl", [plain_document("a"), plain_document("x"), plain_document("y")])
    notes.clear()
    evaluate_sources(str(gold), str(pred), Database(never_opened, "x.db"), on_note=notes.append)
    assert notes[0].startswith("warning:") and "2 documents the gold does not hold ('x', 'y')" in notes[0]
    assert notes[1].startswith("note: 1 of 2 gold documents have no predictions")


def test_the_garbage_collector_is_left_as_it_was_after_scoring_or_failing(tmp_path):
    import gc

    gold = write_jsonl(tmp_path / "gold.jsonl", [plain_document("a")])
    other = write_jsonl(tmp_path / "other.jsonl", [{**plain_document("a"), "text": plain_document("a")["text"] + " Lagi."}])
    assert gc.isenabled() and gc.get_freeze_count() == 0
    evaluate_sources(str(gold), str(gold), Database(never_opened, "x.db"))
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with pytest.raises(SourceError, match="different text"):
        evaluate_sources(str(gold), str(other), Database(never_opened, "x.db"))
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with pytest.raises(InputError):
        evaluate_sources(str(tmp_path / "absent.jsonl"), str(gold), Database(never_opened, "x.db"))
    assert gc.isenabled() and gc.get_freeze_count() == 0
