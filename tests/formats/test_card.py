"""The Hugging Face dataset card of a jsonl split: a header the Hub and ``load_dataset`` read, the
licence from the documents, counts that match the files, and the export's rules for existing files."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.formats.card import code
from annotator.store import Store
from tests.support.documents import jsonl_labels, load, plain_document, tricky_document


def header(card: str) -> list[str]:
    """The lines of the YAML header (between the two ``---``)."""
    lines = card.splitlines()
    assert lines[0] == "---"
    return lines[1 : lines.index("---", 1)]


def data_files(lines: list[str]) -> dict[str, str]:
    """split → path of the ``configs`` entry: the one YAML structure the header nests."""
    files: dict[str, str] = {}
    start = lines.index("configs:")
    assert lines[start + 1 : start + 3] == ["- config_name: default", "  data_files:"]
    entries = lines[start + 3 :]
    assert len(entries) % 2 == 0
    for split, path in zip(entries[::2], entries[1::2], strict=True):
        assert split.startswith("  - split: ") and path.startswith("    path: ")
        files[split.removeprefix("  - split: ")] = path.removeprefix("    path: ")
    return files


def export_split(run_cli, out: Path, *more: str):
    result = run_cli("export", "--split", "50,25,25", "--seed", "4", *more, out, annotator="ana")
    assert result.exit_code == 0, result.output
    return (out / "README.md").read_text(encoding="utf-8")


def test_the_card_names_each_part_and_counts_what_it_holds(tmp_path, run_cli, db_path):
    docs = [{**plain_document(f"d{i}", i), "lang": "id", "meta": {"license": "cc-by-4.0"}} for i in range(6)]
    docs.append({**tricky_document("t"), "meta": {"licence": "cc-by-4.0"}})
    with Store(db_path) as store:
        load(store, docs, "ana")
    card = export_split(run_cli, tmp_path / "hf")
    lines = header(card)
    assert lines[:3] == ['license: "cc-by-4.0"', "language:", '- "id"']
    files = data_files(lines)
    assert files == {"train": "train.jsonl", "dev": "dev.jsonl", "test": "test.jsonl"}
    manifest = json.loads((tmp_path / "hf" / "split.json").read_text())
    types = {"direct": 0, "indirect": 0, "mixed": 0}
    for part, name in files.items():
        labels = jsonl_labels(tmp_path / "hf" / name)
        assert list(labels) == manifest["ids"][part]
        counts = {t: sum(q["type"] == t for qs in labels.values() for q in qs) for t in types}
        row = f"| {part} | `{name}` | {len(labels)} | {sum(map(len, labels.values()))} | " + " | ".join(
            str(counts[t]) for t in types) + " |"
        assert row in card.splitlines()
        types = {t: types[t] + counts[t] for t in types}
    assert f"| all |  | 7 | 18 | {types['direct']} | {types['indirect']} | {types['mixed']} |" in card
    assert 'load_dataset("json", data_files={"train": "train.jsonl", "dev": "dev.jsonl", "test": "test.jsonl"})' in card
    assert "Every document's `meta` gives the licence `\"cc-by-4.0\"`." in card
    assert "## Languages\n\n- `\"id\"`: 7 documents\n\n" in card


def test_licences_that_differ_or_are_not_identifiers_are_other_and_listed(tmp_path, run_cli, db_path):
    docs = [
        {**plain_document("a", 1), "meta": {"license": "CC BY 4.0"}},
        {**plain_document("b", 2), "meta": {"license": "cc-by-sa-4.0"}},
        {**plain_document("c", 3), "meta": {"license": "x`\n# heading [link](http://e.vil)"}},
        plain_document("d", 4),
    ]
    with Store(db_path) as store:
        load(store, docs, "ana")
    card = export_split(run_cli, tmp_path / "hf")
    assert header(card)[0] == 'license: "other"'
    assert "language:" not in header(card)  # no document gives one
    listed = card[card.index("## Licence") :].split("\n\n")[2].splitlines()
    assert listed == [
        '- `"CC BY 4.0"`: 1 document',
        '- `"cc-by-sa-4.0"`: 1 document',
        '- `"x\\u0060\\n# heading [link](http://e.vil)"`: 1 document',
        "- none given: 1 document",
    ]
    assert all(not line.startswith("# heading") for line in card.splitlines())


def test_no_licence_is_unknown_and_an_empty_part_is_left_out(tmp_path, run_cli, db_path):
    with Store(db_path) as store:
        load(store, [plain_document(f"d{i}", i) for i in range(3)], "ana")
    result = run_cli("export", "--split", "1,1,0", tmp_path / "hf", annotator="ana")
    assert result.exit_code == 0, result.output
    card = (tmp_path / "hf" / "README.md").read_text(encoding="utf-8")
    assert header(card)[0] == 'license: "unknown"'
    assert data_files(header(card)) == {"train": "train.jsonl", "dev": "dev.jsonl"}  # test.jsonl is empty
    assert "| test | `test.jsonl` | 0 | 0 | 0 | 0 | 0 |" in card


def test_the_card_obeys_the_rules_for_existing_files(tmp_path, run_cli, db_path):
    with Store(db_path) as store:
        load(store, [plain_document(f"d{i}", i) for i in range(4)], "ana")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "README.md").write_text("my own card")
    result = run_cli("export", "--split", "50,25,25", mine, annotator="ana")
    assert result.exit_code == 1 and "README.md" in result.output
    assert (mine / "README.md").read_text() == "my own card"
    out = tmp_path / "hf"
    card = export_split(run_cli, out)
    assert export_split(run_cli, out) == card  # the card an export wrote is replaced, the same
    (out / "README.md").write_text(card + "\nmy notes\n")
    result = run_cli("export", "--split", "50,25,25", "--seed", "4", out, annotator="ana")
    assert result.exit_code == 1 and "changed since" in result.output and "README.md" in result.output
    assert (out / "README.md").read_text().endswith("my notes\n")
    assert run_cli("export", "--split", "50,25,25", "--seed", "4", "--force", out, annotator="ana").exit_code == 0
    assert (out / "README.md").read_text() == card


def test_only_a_jsonl_split_has_a_card(tmp_path, run_cli, db_path):
    with Store(db_path) as store:
        load(store, [plain_document(f"d{i}", i) for i in range(4)], "ana")
    assert run_cli("export", "--format", "csv", "--split", "50,25,25", tmp_path / "c", annotator="ana").exit_code == 0
    assert not (tmp_path / "c" / "README.md").exists()


def test_yaml_words_stay_strings(tmp_path, run_cli, db_path):
    docs = [{**plain_document(f"d{i}", i), "lang": "no", "meta": {"license": "null"}} for i in range(3)]
    with Store(db_path) as store:
        load(store, docs, "ana")
    lines = header(export_split(run_cli, tmp_path / "hf"))
    assert lines[:3] == ['license: "null"', "language:", '- "no"']  # not YAML's null and false


def test_untrusted_text_is_one_json_string_in_code():
    assert code("a`b\n[x](y)") == '`"a\\u0060b\\n[x](y)"`'
