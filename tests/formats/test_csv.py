"""CSV export: parses back with the csv module to the same fields; spreadsheet mode."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given, settings

from annotator.formats.csv import COLUMNS, CsvWriter
from annotator.model import Owner
from annotator.session.export import export
from annotator.store import Store
from tests.support.documents import (
    documents,
    labels,
    load,
    parsed,
    plain_document,
    tricky_document,
)


def expected_rows(doc_labels: dict[str, list[dict]], owner: Owner) -> list[dict[str, str]]:
    """The CSV cells each quote must give, built from its JSONL form."""
    rows = []
    for doc_id, quotes in doc_labels.items():
        for q in quotes:
            cue, sp = q["cue"] or {}, q["speaker"] or {}
            mention = sp.get("mention") or {}

            def cell(value):
                return "" if value is None else str(value)

            rows.append({
                "doc_id": doc_id, "start": str(q["start"]), "end": str(q["end"]), "type": q["type"],
                "text": q["text"], "cue_start": cell(cue.get("start")), "cue_end": cell(cue.get("end")),
                "cue_text": cell(cue.get("text")), "speaker_name": cell(sp.get("name")),
                "speaker_kind": cell(sp.get("kind")),
                "speaker_aliases": json.dumps(sp["aliases"], ensure_ascii=False) if sp.get("aliases") else "",
                "mention_start": cell(mention.get("start")), "mention_end": cell(mention.get("end")),
                "mention_text": cell(mention.get("text")), "role": cell(q["role"]),
                "role_category": cell(q["role_category"]), "via": cell(q["via"]),
                "annotator": owner.name if owner.kind == "annotator" else "",
                "run": owner.name if owner.kind == "run" else "",
            })
    return rows


def test_csv_parses_back_to_the_same_fields(tmp_path):
    owner = Owner.annotator("ana")
    with Store(tmp_path / "a.db") as store:
        load(store, [tricky_document(), plain_document("kosong", 0) | {"quotes": []}, plain_document("p", 3)])
        export(store.annotated(owner), "csv", tmp_path / "out.csv", owner)
        before = labels(store.annotated(owner))
    data = (tmp_path / "out.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    assert tuple(reader.fieldnames) == COLUMNS
    rows = list(reader)
    assert rows == expected_rows(before, owner)
    assert len(rows) == 8  # one row per quote; the document without quotes has none
    tricky = [r for r in rows if r["doc_id"] == 'doc/1: "aneh" id']
    assert "\t" in tricky[0]["text"] and "\n" in tricky[0]["text"] and '"x", koma' in tricky[0]["text"]
    assert tricky[0]["role"] == "juru bicara; kepala | unit\tx"


def test_csv_for_a_run_fills_the_run_column():
    out = io.StringIO()
    writer = CsvWriter(out, Owner.run("builtin"))
    writer.write(parsed(plain_document("p", 1)))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["annotator"], r["run"]) for r in rows] == [("", "builtin")] * 2


def test_excel_mode_adds_a_bom_and_neutralises_formulas():
    out = io.StringIO()
    writer = CsvWriter(out, Owner.annotator("ana"), excel=True)
    writer.write(parsed(tricky_document()))
    text = out.getvalue()
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    formula = next(r for r in rows if "SUM" in r["text"])
    assert formula["text"] == "“=SUM(A1)”"  # starts with a quotation mark: left alone
    assert formula["speaker_name"] == "'@ani" and formula["mention_text"] == "'@ani"
    assert formula["start"].isdigit()  # numbers are never prefixed
    plain = io.StringIO()
    CsvWriter(plain, Owner.annotator("ana")).write(parsed(tricky_document()))
    assert "'@ani" not in plain.getvalue()


@settings(max_examples=80, deadline=None)
@given(documents())
def test_any_document_parses_back_from_csv(doc):
    ad = parsed(doc)
    owner = Owner.annotator("ana")
    out = io.StringIO(newline="")
    CsvWriter(out, owner).write(ad)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert rows == expected_rows(labels([ad]), owner)
