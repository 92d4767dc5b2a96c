"""`annotator export`: which documents, splits and their manifest, all-or-nothing outputs."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.formats.split import SplitSpec, SplitSpecError
from annotator.store import Store
from tests.support.documents import (
    jsonl_labels,
    load,
    plain_document,
    tricky_document,
    write_jsonl,
)
from tests.support.paths import SEEDS

HAS_SPACY = importlib.util.find_spec("spacy") is not None
SPACY = pytest.param("spacy", marks=pytest.mark.skipif(not HAS_SPACY, reason="needs the spacy extra"))


def test_right_after_import_export_writes_every_document(tmp_path, run_cli):
    assert run_cli("import", SEEDS).exit_code == 0
    result = run_cli("export", "--format", "jsonl", tmp_path / "out.jsonl")
    assert result.exit_code == 0
    assert len(jsonl_labels(tmp_path / "out.jsonl")) == 2
    assert "note: no document is marked done by tester; exporting all 2 documents" in result.stderr


def test_default_takes_the_done_documents(tmp_path, run_cli, corpus):
    result = run_cli("export", tmp_path / "o.jsonl", annotator="ana")
    assert result.exit_code == 0
    assert list(jsonl_labels(tmp_path / "o.jsonl")) == ["d1", "d3"]
    assert "3 others are not done" in result.stderr
    assert run_cli("export", "--all", tmp_path / "all.jsonl", annotator="ana").exit_code == 0
    assert list(jsonl_labels(tmp_path / "all.jsonl")) == [f"d{i}" for i in range(5)]
    assert run_cli("export", "--gold", tmp_path / "g.jsonl", annotator="ana").exit_code == 0
    assert list(jsonl_labels(tmp_path / "g.jsonl")) == ["d1", "d3"]


def test_done_only_never_falls_back(tmp_path, run_cli, corpus):
    result = run_cli("export", "--done-only", tmp_path / "o.jsonl", annotator="bob")
    assert result.exit_code == 1
    assert "no document is marked done by 'bob'" in result.output
    assert not (tmp_path / "o.jsonl").exists()


def test_unknown_annotator_is_pointed_at_the_known_ones(tmp_path, run_cli, corpus):
    result = run_cli("export", tmp_path / "o.jsonl", annotator="bob")
    assert result.exit_code == 0
    assert "annotator 'bob' has no labels (annotators: ana" in result.stderr


def test_run_export_and_option_conflicts(tmp_path, run_cli, corpus):
    path = write_jsonl(tmp_path / "pred.jsonl", [plain_document(f"d{i}", i) for i in range(5)])
    assert run_cli("import", "--run", "sys", path).exit_code == 0
    assert run_cli("export", "--run", "sys", "--format", "csv", tmp_path / "r.csv").exit_code == 0
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8", newline="")))
    assert len(rows) == 10 and {r["run"] for r in rows} == {"sys"}
    assert run_cli("export", "--run", "sys", "--gold", tmp_path / "x.jsonl").exit_code == 2
    assert run_cli("export", "--all", "--done-only", tmp_path / "x.jsonl").exit_code == 2
    assert run_cli("export", "--seed", "3", tmp_path / "x.jsonl").exit_code == 2
    assert run_cli("export", "--run", "nope", tmp_path / "x.jsonl").exit_code == 1
    bad = run_cli("export", "--split", "80,20", tmp_path / "x")
    assert bad.exit_code == 2 and "three proportions" in bad.output


def test_stdout_and_format_from_extension(tmp_path, run_cli, corpus):
    result = run_cli("export", "--all", "--format", "conll", "-", annotator="ana")
    assert result.exit_code == 0 and result.stdout.count("# doc_id = ") == 5
    assert run_cli("export", "--all", tmp_path / "o.csv", annotator="ana").exit_code == 0
    assert (tmp_path / "o.csv").read_text(encoding="utf-8").startswith("doc_id,start,end,")
    assert run_cli("export", "--format", "brat", "-", annotator="ana").exit_code == 1


def spacy_ids(path: Path) -> list[str]:
    """The document ids of a .spacy file, read with spaCy alone; every document holds its quotes."""
    import spacy
    from spacy.tokens import DocBin

    docs = list(DocBin().from_disk(path).get_docs(spacy.blank("xx").vocab))
    assert all(len(doc.spans["quotes"]) == 2 for doc in docs)  # plain_document's two quotes
    return [doc.user_data["annotator"]["id"] for doc in docs]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "conll", "brat", SPACY])
def test_split_writes_parts_and_a_manifest(tmp_path, run_cli, db_path, fmt):
    with Store(db_path) as store:
        load(store, [plain_document(f"d{i:02}", i) for i in range(20)], "ana")
    out = tmp_path / "split"
    result = run_cli("export", "--format", fmt, "--split", "80,10,10", "--seed", "7", out, annotator="ana")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "split.json").read_text())
    assert manifest["seed"] == 7 and manifest["split"] == {"train": 80, "dev": 10, "test": 10}
    assert manifest["counts"] == {"train": 16, "dev": 2, "test": 2}
    ids = manifest["ids"]
    assert sorted(ids["train"] + ids["dev"] + ids["test"]) == [f"d{i:02}" for i in range(20)]
    assert manifest["labels"] == {"kind": "annotator", "name": "ana"}
    for part in ("train", "dev", "test"):
        if fmt == "brat":
            assert sorted(p.stem for p in (out / part).glob("*.ann")) == sorted(ids[part])
            assert (out / part / "annotation.conf").exists()
        elif fmt == "jsonl":
            assert list(jsonl_labels(out / f"{part}.jsonl")) == ids[part]
        elif fmt == "csv":
            rows = list(csv.DictReader((out / "train.csv").open(encoding="utf-8", newline="")))
            assert {r["doc_id"] for r in rows} == set(ids["train"])
        elif fmt == "spacy":
            assert spacy_ids(out / f"{part}.spacy") == ids[part]
        else:
            assert (out / f"{part}.conll").read_text().count("# doc_id = ") == len(ids[part])
    if fmt == "brat":  # the split folder imports back whole
        assert run_cli("import", "--as", "back", out).exit_code == 0
        assert run_cli("export", tmp_path / "back.jsonl", annotator="back").exit_code == 0
        every_part = manifest["ids"]["train"] + ids["dev"] + ids["test"]
        assert sorted(jsonl_labels(tmp_path / "back.jsonl")) == sorted(every_part)
    # the same seed again gives the same split; another seed another one
    again = tmp_path / "again"
    split = ("export", "--format", fmt, "--split", "80,10,10", "--seed")
    assert run_cli(*split, "7", again, annotator="ana").exit_code == 0
    assert json.loads((again / "split.json").read_text())["ids"] == ids
    other = tmp_path / "other"
    assert run_cli(*split, "8", other, annotator="ana").exit_code == 0
    assert json.loads((other / "split.json").read_text())["ids"] != ids


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "conll", "brat", SPACY])
def test_the_same_documents_and_seed_give_the_same_bytes(tmp_path, run_cli, db_path, fmt):
    with Store(db_path) as store:
        load(store, [plain_document(f"d{i:02}", i) for i in range(12)], "ana")
        load(store, [tricky_document()], "ana")
    split = ("export", "--format", fmt, "--split", "60,20,20", "--seed", "5")
    assert run_cli(*split, tmp_path / "one", annotator="ana").exit_code == 0
    assert run_cli(*split, tmp_path / "two", annotator="ana").exit_code == 0
    one = folder_bytes(tmp_path / "one")
    assert "split.json" in one and ".annotator-export.json" in one
    assert one == folder_bytes(tmp_path / "two")  # every file, split.json, README.md and the record included
    assert "created_at" not in json.loads(one["split.json"])


def test_another_process_gives_the_same_bytes(tmp_path, db_path):
    """Nothing depends on the process either (string hashing, set order): two runs of the program agree."""
    with Store(db_path) as store:
        load(store, [plain_document(f"d{i:02}", i) for i in range(8)], "ana")
        load(store, [tricky_document()], "ana")
    for fmt in ["jsonl", *(["spacy"] if HAS_SPACY else [])]:
        outputs = []
        for seed in ("1", "2"):
            out = tmp_path / f"{fmt}-{seed}"
            proc = subprocess.run(
                [sys.executable, "-m", "annotator", "--db", str(db_path), "--annotator", "ana",
                 "export", "--format", fmt, "--split", "50,25,25", "--seed", "9", str(out)],
                capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed}, stdin=subprocess.DEVNULL,
            )
            assert proc.returncode == 0, proc.stderr
            outputs.append(folder_bytes(out))
        assert outputs[0] == outputs[1], fmt


@pytest.mark.skipif(not HAS_SPACY, reason="needs the spacy extra")
def test_spacy_export_takes_the_same_documents_as_the_others(tmp_path, run_cli, corpus):
    result = run_cli("export", tmp_path / "gold.spacy", annotator="ana")  # the format from the extension
    assert result.exit_code == 0, result.output
    assert "as spacy to" in result.stderr
    assert spacy_ids(tmp_path / "gold.spacy") == ["d1", "d3"]
    assert run_cli("export", "--all", tmp_path / "all.spacy", annotator="ana").exit_code == 0
    assert spacy_ids(tmp_path / "all.spacy") == [f"d{i}" for i in range(5)]
    assert run_cli("export", "--all", tmp_path / "all.spacy", annotator="ana").exit_code == 0  # ours: replaced
    path = write_jsonl(tmp_path / "pred.jsonl", [plain_document(f"d{i}", i) for i in range(5)])
    assert run_cli("import", "--run", "sys", path).exit_code == 0
    assert run_cli("export", "--run", "sys", tmp_path / "run.spacy").exit_code == 0
    assert spacy_ids(tmp_path / "run.spacy") == [f"d{i}" for i in range(5)]
    (tmp_path / "mine.spacy").write_bytes(b"keep")
    result = run_cli("export", tmp_path / "mine.spacy", annotator="ana")
    assert result.exit_code == 1 and "no earlier export wrote it" in result.output
    assert (tmp_path / "mine.spacy").read_bytes() == b"keep"


def test_spacy_needs_its_extra_and_a_file(tmp_path, run_cli, corpus, monkeypatch):
    result = run_cli("export", "--format", "spacy", "-", annotator="ana")
    assert result.exit_code == 1 and "standard output ('-') takes jsonl, csv, conll" in result.output
    monkeypatch.setitem(sys.modules, "spacy", None)  # as if the extra were not installed
    result = run_cli("export", tmp_path / "o.spacy", annotator="ana")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: the spacy format needs spaCy: pip install 'annotator[spacy]'"
    assert list(tmp_path.glob("*.spacy")) == [] and not (tmp_path / ".o.spacy.annotator-export.json").exists()


def test_split_is_deterministic_and_order_free():
    ids = [f"doc-{i}" for i in range(200)]
    one = SplitSpec.parse("80,10,10", 1)
    assert one.assign(ids) == one.assign(list(reversed(ids)))
    assert one.assign(ids) == SplitSpec.parse("0.8, 0.1, 0.1", 1).assign(ids)
    assert one.assign(ids) != SplitSpec.parse("80,10,10", 2).assign(ids)
    parts = list(one.assign(ids).values())
    assert (parts.count("train"), parts.count("dev"), parts.count("test")) == (160, 20, 20)
    assert SplitSpec.parse("1,1,1").sizes(10) == {"train": 4, "dev": 3, "test": 3}
    assert SplitSpec.parse("90,0,10").sizes(3) == {"train": 3, "dev": 0, "test": 0}
    for bad in ("80,10", "a,b,c", "-1,1,1", "0,0,0", "nan,1,1"):
        with pytest.raises(SplitSpecError):
            SplitSpec.parse(bad)


def test_split_wants_a_folder(tmp_path, run_cli, corpus):
    result = run_cli("export", "--split", "80,10,10", tmp_path / "data.jsonl", annotator="ana")
    assert result.exit_code == 1 and "looks like a file name" in result.output
    assert not (tmp_path / "data.jsonl").exists()


def test_folders_are_replaced_whole_or_not_at_all(tmp_path, run_cli, db_path):
    with Store(db_path) as store:
        load(store, [plain_document("a", 1)], "ana")
    out = tmp_path / "brat"
    assert run_cli("export", "--format", "brat", out, annotator="ana").exit_code == 0
    assert run_cli("export", "--format", "brat", out, annotator="ana").exit_code == 0  # our own: replaced
    with Store(db_path) as store:  # a document whose id cannot be a file name fails mid-export
        load(store, [plain_document("x" * 300, 2)], "ana")
    result = run_cli("export", "--format", "brat", out, annotator="ana")
    assert result.exit_code == 1 and "too long" in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        ".annotator-export.json", "a.ann", "a.txt", "annotation.conf", "visual.conf"
    ]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    result = run_cli("export", "--format", "brat", foreign, annotator="ana")
    assert result.exit_code == 1 and "no earlier export wrote" in result.output
    assert (foreign / "notes.txt").read_text() == "keep me"


def test_failed_file_export_leaves_the_old_file(tmp_path, run_cli, db_path):
    with Store(db_path) as store:
        load(store, [tricky_document()], "ana")
    target = tmp_path / "o.jsonl"
    target.write_text("old\n")
    assert run_cli("export", "--excel", target, annotator="ana").exit_code == 1
    assert target.read_text() == "old\n"
    assert run_cli("export", target, annotator="ana").exit_code == 1  # a file no export wrote
    assert target.read_text() == "old\n"
    assert run_cli("export", "--force", target, annotator="ana").exit_code == 0
    assert list(jsonl_labels(target)) == ['doc/1: "aneh" id']
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [".o.jsonl.annotator-export.json"]
