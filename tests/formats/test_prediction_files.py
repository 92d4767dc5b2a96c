"""Reading a system's prediction file (docs/format.md "Prediction files"): ``SystemOutput`` on a line,
``read_predictions`` against the gold's texts, and ``import_paths`` of a run against the database's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.formats.errors import InputError
from annotator.formats.jsonl import SystemOutput, parse_document, read_predictions
from annotator.model import AnnotatedDocument, Document, Owner
from annotator.session.imports import import_paths
from annotator.store import Store
from annotator.text import sha256

TEXT = "“Siap,” kata Budi. Ani bilang aman."
GOLD = {"d1": Document("d1", TEXT, sha256=sha256(TEXT))}
SYSTEM = SystemOutput(GOLD.get, "the gold")


def lines(path: Path, *objects: dict) -> Path:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8")
    return path


def test_a_line_without_text_takes_the_known_text_and_checks_spans_against_it():
    ad = parse_document({"id": "d1", "quotes": [{"start": 0, "end": 7, "text": "“Siap,”"}]}, SYSTEM)
    assert ad.document.text == TEXT and ad.quotes[0].text == "“Siap,”"
    with pytest.raises(ValueError, match=r"quote 1: the quote \[0, 7\) has text 'Siap' but the text there is '“Siap,”'"):
        parse_document({"id": "d1", "quotes": [{"start": 0, "end": 7, "text": "Siap"}]}, SYSTEM)
    with pytest.raises(ValueError, match=r"lies outside the text \(length 35\)"):
        parse_document({"id": "d1", "quotes": [{"start": 30, "end": 99}]}, SYSTEM)
    with pytest.raises(ValueError, match="document 'd9' has no \"text\" and is not in the gold"):
        parse_document({"id": "d9", "quotes": []}, SYSTEM)


def test_type_and_kind_are_case_insensitive_only_for_system_output():
    line = {"id": "d1", "text": TEXT,
            "quotes": [{"start": 0, "end": 7, "type": "Direct", "speaker": {"name": "Budi", "kind": "PERSON"}}]}
    quote = parse_document(line, SYSTEM).quotes[0]
    assert (quote.type, quote.speaker.kind) == ("direct", "person")
    with pytest.raises(ValueError, match="type 'Direct' is not one of direct, indirect, mixed"):
        parse_document(line)


@pytest.mark.parametrize("nobody", [{}, {"name": None}, {"name": ""}, {"name": " ", "kind": "Person"}, ""])
def test_an_empty_speaker_is_no_speaker_only_for_system_output(nobody):
    line = {"id": "d1", "quotes": [{"start": 0, "end": 7, "speaker": nobody}]}
    assert parse_document(line, SYSTEM).quotes[0].speaker is None
    with pytest.raises(ValueError):
        parse_document({**line, "text": TEXT})


def test_a_speaker_with_only_a_mention_or_a_bad_name_is_still_read_or_refused():
    mention = {"id": "d1", "quotes": [{"start": 0, "end": 7, "speaker": {"mention": {"start": 13, "end": 17}}}]}
    assert parse_document(mention, SYSTEM).quotes[0].speaker.name == "Budi"
    with pytest.raises(ValueError, match="the speaker 'name' must be a string"):
        parse_document({"id": "d1", "quotes": [{"start": 0, "end": 7, "speaker": {"name": 5}}]}, SYSTEM)


def test_read_predictions_scores_gold_documents_and_counts_the_others(tmp_path):
    path = lines(tmp_path / "p.jsonl", {"id": "x", "quotes": [{"start": 0, "end": 99}]},  # not read further
                 {"id": "d1", "quotes": [{"start": 0, "end": 7}]}, {"id": 7, "text": "Lain.", "quotes": []})
    read = read_predictions(path, GOLD)
    assert [ad.document.id for ad in read.documents] == ["d1"] and read.unknown == ["x", "7"] and read.lines == 3


def test_read_predictions_still_checks_a_document_outside_the_gold_that_brings_its_text(tmp_path):
    path = lines(tmp_path / "p.jsonl", {"id": "x", "text": "Lain.", "quotes": [{"start": 0, "end": 99}]})
    with pytest.raises(InputError, match=r"p\.jsonl, line 1: document 'x', quote 1: .* outside the text"):
        read_predictions(path, GOLD)


def test_read_predictions_of_an_empty_file_is_nothing_and_a_repeated_id_names_both_lines(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    read = read_predictions(empty, GOLD)
    assert (read.documents, read.unknown, read.lines) == ([], [], 0)
    twice = lines(tmp_path / "twice.jsonl", {"id": "d1"}, {"id": "d1"})
    with pytest.raises(InputError, match=r"twice\.jsonl, line 2: document 'd1' appears again \(first on line 1\)"):
        read_predictions(twice, GOLD)


def test_import_of_a_run_takes_the_stored_text_and_an_annotators_import_does_not(tmp_path):
    path = lines(tmp_path / "p.jsonl", {"id": "d1", "quotes": [{"start": 0, "end": 7, "type": "DIRECT", "speaker": {}}]})
    with Store.open(tmp_path / "s.db") as store:
        store.import_documents([("seed", AnnotatedDocument(Document("d1", TEXT, sha256=sha256(TEXT))))])
        report = import_paths(store, [str(path)], owner=Owner.run("sys"))
        assert (report.unchanged, report.quotes) == (["d1"], 1)
        ((quote,),) = [ad.quotes for ad in store.annotated(Owner.run("sys"), ids=["d1"])]
        assert (quote.text, quote.type, quote.speaker) == ("“Siap,”", "direct", None)
        with pytest.raises(InputError, match="has no \"text\" string"):
            import_paths(store, [str(path)], owner=Owner.annotator("ana"))
        lines(path, {"id": "d2", "quotes": []})
        with pytest.raises(InputError, match="document 'd2' has no \"text\" and is not in the database"):
            import_paths(store, [str(path)], owner=Owner.run("sys"))
