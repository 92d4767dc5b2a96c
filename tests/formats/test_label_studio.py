"""Label Studio: exports read as labels, layers written as tasks, and the round trip between them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotator.formats.errors import InputError
from annotator.formats.jsonl import parse_document, read_jsonl
from annotator.formats.label_studio import (
    LABEL_CONFIG,
    LabelNames,
    LabelStudioReading,
    looks_like_tasks,
    read_label_studio,
    read_tasks,
    task_json,
)
from annotator.formats.read import read_paths
from annotator.model import Owner, quote_json, quote_order
from tests.support.documents import tricky_document
from tests.support.paths import ROOT, SEEDS_GOLD, shared_file

TEXT = "Ani 😀 said “we won”, according to KCNA.\nBudi: prices rose."


def region(rid: str, start: int, end: int, text: str, labels: list[str], **extra) -> dict:
    """A region as Label Studio exports it (from_name/to_name as in its NER template)."""
    return {"value": {"start": start, "end": end, "text": text, "labels": labels}, "id": rid,
            "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual", **extra}


def relation(a: str, b: str, *labels: str) -> dict:
    return {"from_id": a, "to_id": b, "type": "relation", "direction": "right", "labels": list(labels)}


def annotation(result: list[dict], user: int | dict | None = 1, **extra) -> dict:
    """An annotation with the fields of a Label Studio 1.x export around its result."""
    return {"id": 11, "completed_by": user, "result": result, "was_cancelled": False, "ground_truth": False,
            "created_at": "2024-05-02T10:00:00.000000Z", "updated_at": "2024-05-02T10:00:00.000000Z",
            "draft_created_at": None, "lead_time": 12.5, "prediction": {}, "result_count": 0, "unique_id": "u",
            "import_id": None, "last_action": None, "task": 7, "project": 3, "updated_by": 1,
            "parent_prediction": None, "parent_annotation": None, "last_created_by": None, **extra}


def exported_task(annotations: list[dict], data: dict | None = None, task_id: int = 7) -> dict:
    """A task as Label Studio's JSON export writes it."""
    return {"id": task_id, "annotations": annotations, "file_upload": "a.json", "drafts": [], "predictions": [],
            "data": data or {"text": TEXT}, "meta": {}, "created_at": "2024-05-02T09:00:00.000000Z",
            "updated_at": "2024-05-02T10:00:00.000000Z", "inner_id": 1, "total_annotations": len(annotations),
            "cancelled_annotations": 0, "total_predictions": 0, "comment_count": 0, "unresolved_comment_count": 0,
            "last_comment_updated_at": None, "project": 3, "updated_by": 1, "comment_authors": []}


def utf16(text: str, start: int) -> int:
    """A code-point offset as a JavaScript string index (UTF-16 code units)."""
    return len(text[:start].encode("utf-16-le")) // 2


def span(text: str, part: str, units: bool = True) -> tuple[int, int, str]:
    start = text.index(part)
    if units:
        return utf16(text, start), utf16(text, start + len(part)), part
    return start, start + len(part), part


def write(path: Path, tasks: list) -> Path:
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def read(path: Path, reading: LabelStudioReading | None = None) -> list:
    return [ad for _, ad in read_paths([path], label_studio=reading)]


# --- reading ------------------------------------------------------------------------------------


def test_an_export_with_utf16_offsets_after_an_emoji_reads_as_code_points(tmp_path):
    """Label Studio counts JavaScript string indices: after 😀 (two UTF-16 units) every offset is one more
    than Python's. The region's text decides, and spans come out as code points."""
    result = [
        region("KdPq1", *span(TEXT, "“we won”"), ["Quote"]),
        region("a8Xz2", *span(TEXT, "said"), ["Cue"]),
        region("b7Yw3", *span(TEXT, "Ani"), ["Speaker"]),
        relation("KdPq1", "b7Yw3", "said by"),
        relation("a8Xz2", "KdPq1"),
        region("c1", *span(TEXT, "prices rose"), ["Quote"]),
        region("c2", *span(TEXT, "Budi"), ["Speaker"]),
        relation("c2", "c1"),  # either direction
        {"id": "c1", "from_name": "type", "to_name": "text", "type": "choices",
         "value": {**dict(zip(("start", "end", "text"), span(TEXT, "prices rose"), strict=True)),
                   "choices": ["Indirect"]}},
    ]
    (ad,) = read(write(tmp_path / "tasks.json", [exported_task([annotation(result)])]))
    assert ad.document.id == "7" and ad.document.text == TEXT
    first, second = ad.quotes
    assert (first.text, first.type, first.cue.text, first.speaker.name) == ("“we won”", "direct", "said", "Ani")
    assert TEXT[first.start:first.end] == "“we won”" and TEXT[first.cue.start:first.cue.end] == "said"
    assert (second.text, second.type, second.speaker.mention.text, second.cue) == ("prices rose", "indirect",
                                                                                    "Budi", None)


def test_code_point_offsets_are_read_as_such_when_the_region_text_says_so(tmp_path):
    result = [region("q", *span(TEXT, "“we won”", units=False), ["Quote"])]
    (ad,) = read(write(tmp_path / "tasks.json", [exported_task([annotation(result)])]))
    assert [q.text for q in ad.quotes] == ["“we won”"]


def test_a_region_holding_the_emoji_is_counted_in_utf16_units_too(tmp_path):
    result = [region("q", *span(TEXT, "😀 said “we won”"), ["Quote"])]
    assert result[0]["value"]["end"] - result[0]["value"]["start"] == len("😀 said “we won”") + 1
    (ad,) = read(write(tmp_path / "tasks.json", [exported_task([annotation(result)])]))
    assert [(q.start, q.text) for q in ad.quotes] == [(4, "😀 said “we won”")]


def test_other_label_names_a_type_label_a_text_key_and_a_speaker_through_the_cue(tmp_path):
    text = "Laut Ministerin sinken die Preise."
    result = [
        region("1", *span(text, "sinken die Preise"), ["Indirekt"]),
        region("2", *span(text, "Laut"), ["Ausloeser"]),
        region("3", *span(text, "Ministerin"), ["Sprecher"]),
        relation("2", "1"),
        relation("2", "3"),  # the speaker linked to the cue only
    ]
    task = exported_task([annotation(result)], data={"body": text, "url": "http://x"})
    names = LabelNames.parse("quote=Zitat, Indirect=Indirekt,Cue=Ausloeser,SPEAKER=Sprecher,Text=body")
    (ad,) = read(write(tmp_path / "t.json", [task]), LabelStudioReading(names))
    (quote,) = ad.quotes
    assert (quote.type, quote.cue.text, quote.speaker.name) == ("indirect", "Laut", "Ministerin")
    assert ad.document.meta == {"url": "http://x"}  # the other data keys


def test_label_names_refuse_an_unknown_name():
    with pytest.raises(ValueError, match="'Zitat=Quote' is not NAME=LABEL"):
        LabelNames.parse("Zitat=Quote")


def test_the_first_annotation_not_cancelled_and_the_first_prediction(tmp_path):
    quote = region("q", *span(TEXT, "prices rose"), ["Quote"])
    cue = region("c", *span(TEXT, "said"), ["Quote"])
    task = exported_task([annotation([cue], was_cancelled=True), annotation([quote]), annotation([cue])])
    task["predictions"] = [{"model_version": "m1", "score": 0.5, "result": [cue]}]
    path = write(tmp_path / "t.json", [task])
    assert [q.text for q in read(path)[0].quotes] == ["prices rose"]
    assert [q.text for q in read(path, LabelStudioReading(predictions=True))[0].quotes] == ["said"]


def test_crlf_text_is_normalised_and_offsets_follow(tmp_path):
    raw = "Ani said:\r\n“we won”"
    result = [region("q", *span(raw, "“we won”"), ["Quote"])]
    (ad,) = read(write(tmp_path / "t.json", [exported_task([annotation(result)], data={"text": raw})]))
    assert ad.document.text == "Ani said:\n“we won”"
    assert [(q.start, q.text) for q in ad.quotes] == [(10, "“we won”")]


@pytest.mark.parametrize(
    ("tasks", "words"),
    [
        ([exported_task([annotation([region("q", 0, 3, "Budi", ["Quote"])])])],
         "task 1 (id 7): annotation 1, region 'q' [0, 3) has text 'Budi' but the text there is 'Ani'"),
        ([exported_task([]), exported_task([annotation([region("q", 500, 503, "x", ["Quote"])])], task_id=9)],
         "task 2 (id 9): annotation 1, region 'q' [500, 503) has text 'x' but the text there is nothing"),
        ([exported_task([annotation([region("q", "0", 3, "Ani", ["Quote"])])])], "needs integer start and end"),
        ([exported_task([], data={"a": "x", "b": "y"})], "has no text in data.text"),
        ([exported_task([], data={"text": "  "})], "data.text is empty"),
        ([{"id": 1, "data": {"text": "x"}, "annotations": {"result": []}}], '"annotations" must be a list'),
        ([exported_task([annotation([region("r", 0, 3, "Ani", ["Speaker"]), region("r", *span(TEXT, "we won"), ["Quote"])])])],
         "annotation 1, region 'r' is given twice, at 0–3 and"),
        ([exported_task([annotation([{**region("x", 0, 3, "Ani", ["Quote"]), "id": None}])])],
         "task 1 (id 7): annotation 1, result 1 has no region id"),
    ],
)
def test_bad_exports_name_the_file_and_the_task(tmp_path, tasks, words):
    path = write(tmp_path / "bad.json", tasks)
    with pytest.raises(InputError) as caught:
        read(path)
    assert str(caught.value).startswith(f"{path}: ") and words in str(caught.value)


def test_an_interchange_json_file_is_not_taken_for_an_export(tmp_path):
    doc = {"id": "d", "text": "x", "quotes": []}
    assert not looks_like_tasks(json.dumps([doc])) and not looks_like_tasks(json.dumps(doc))
    assert looks_like_tasks(json.dumps([exported_task([])]))
    (ad,) = read(write(tmp_path / "docs.json", [doc]))
    assert ad.document.id == "d"


# --- writing and the round trip -----------------------------------------------------------------------


def documents() -> list:
    return [ad for _, ad in read_jsonl(SEEDS_GOLD)] + [parse_document(tricky_document())]


@pytest.mark.parametrize("owner", [Owner.annotator("ana"), Owner.run("builtin")])
def test_export_then_import_gives_the_same_labels(tmp_path, owner):
    docs = documents()
    path = write(tmp_path / "out.json", [task_json(ad, owner) for ad in docs])
    back = read(path, LabelStudioReading(predictions=owner.kind == "run"))
    for ad, again in zip(docs, back, strict=True):
        assert (again.document.id, again.document.text, again.document.lang, again.document.meta) == (
            ad.document.id, ad.document.text, ad.document.lang, ad.document.meta)
        assert [quote_json(q) for q in again.quotes] == [quote_json(q) for q in sorted(ad.quotes, key=quote_order)]


@pytest.mark.parametrize("name", ["pfsa-id-dev.jsonl", "polnear-dev.jsonl"])
def test_the_development_sets_come_back_the_same(tmp_path, name):
    docs = [ad for _, ad in read_jsonl(shared_file(name))]
    back = read(write(tmp_path / "out.json", [task_json(ad, Owner.annotator("a")) for ad in docs]))
    assert [[quote_json(q) for q in ad.quotes] for ad in back] == [
        [quote_json(q) for q in sorted(ad.quotes, key=quote_order)] for ad in docs]


def test_tasks_have_the_shape_label_studio_imports():
    """Each task: data.text; an annotator's labels as ``annotations``, a run's as ``predictions`` with its name
    as model_version and no score; every region and relation as in Label Studio's own exports."""
    ad = parse_document(tricky_document())
    labels, predictions = task_json(ad, Owner.annotator("ana")), task_json(ad, Owner.run("builtin"))
    assert set(labels) == {"data", "annotations"} and set(predictions) == {"data", "predictions"}
    assert labels["data"]["text"] == ad.document.text
    (prediction,) = predictions["predictions"]
    assert prediction["model_version"] == "builtin" and "score" not in prediction
    (result,) = [a["result"] for a in labels["annotations"]]
    regions = {r["id"] for r in result if r["type"] == "labels"}
    for item in result:
        if item["type"] == "relation":
            assert set(item) == {"from_id", "to_id", "type", "direction", "labels"}
            assert {item["from_id"], item["to_id"]} <= regions
            continue
        assert set(item) == {"id", "from_name", "to_name", "type", "value"} and item["id"] in regions
        value = item["value"]
        assert ad.document.text[value["start"]:value["end"]] == value["text"] or item["type"] == "textarea"


def test_the_labelling_configuration_declares_every_name_the_export_uses_and_is_in_the_docs():
    config = ET.fromstring(LABEL_CONFIG)
    controls = {el.get("name"): el for el in config.iter() if el.get("toName") == "text"}
    values = {el.get("value") for el in config.iter() if el.tag in ("Label", "Choice", "Relation")}
    ad = parse_document(tricky_document())
    for item in task_json(ad, Owner.annotator("ana"))["annotations"][0]["result"]:
        labels = item["labels"] if item["type"] == "relation" else item["value"].get("labels", [])
        assert all(label in values for label in labels)
        if item["type"] != "relation":
            control = controls[item["from_name"]]
            assert control.tag == {"labels": "Labels", "choices": "Choices", "textarea": "TextArea"}[item["type"]]
            assert control.tag == "Labels" or control.get("perRegion") == "true"
            assert all(c in values for c in item["value"].get("choices", []))
    assert LABEL_CONFIG in (ROOT / "docs" / "label-studio.md").read_text(encoding="utf-8")


def test_read_label_studio_reads_an_export_alone(tmp_path):
    path = write(tmp_path / "t.json", [task_json(parse_document(tricky_document()), Owner.annotator("ana"))])
    (where, ad), = read_label_studio(path, "utf-8", LabelStudioReading())
    assert where == f"{path}, task 1" and len(ad.quotes) == 6
    assert len(list(read_tasks(path, path.read_text(encoding="utf-8"), LabelNames()))) == 1
