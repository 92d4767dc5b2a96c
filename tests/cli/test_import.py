"""`annotator import`: every kind of input, and every kind of bad input (docs/reliability.md)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from annotator.model import Owner
from annotator.store import Store
from tests.support.paths import SEEDS


def doc_line(doc_id: str, text: str, quotes: list | None = None, **extra) -> str:
    return json.dumps({"id": doc_id, "text": text, "quotes": quotes or [], **extra}, ensure_ascii=False)


def write_jsonl(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def count_docs(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    with Store.open(db_path) as store:
        return store.count_documents()


def test_seed_folder_imports_two_documents(run_cli, db_path):
    result = run_cli("import", SEEDS)
    assert result.exit_code == 0, result.output
    assert "2 imported" in result.stderr
    with Store.open(db_path) as store:
        doc = store.document("004_92958af257f0b8f6")
        assert doc.title == "Rusia Akhirnya Akui Tentara Korut Ikut Perang Lawan Ukraina"
        assert doc.text == (SEEDS / "004_92958af257f0b8f6.txt").read_text(encoding="utf-8")
        # The first line of the other seed is a paragraph, not a headline: no title.
        assert store.document("000_23ba7202a52b5d15").title == ""


def test_text_is_normalised_and_hashed(run_cli, db_path, tmp_path):
    raw = "\ufeffline one\r\nline two\rcafe\u0301\n"
    (tmp_path / "n.txt").write_bytes(raw.encode("utf-8"))
    assert run_cli("import", tmp_path / "n.txt").exit_code == 0
    with Store.open(db_path) as store:
        doc = store.document("n")
    assert doc.text == "line one\nline two\ncafé\n"
    import hashlib

    assert doc.sha256 == hashlib.sha256(doc.text.encode()).hexdigest()


def test_csv_with_metadata_columns(run_cli, db_path, tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(
        'id,text,title,url\na1,"Line, with comma\nand ""quote""",T1,http://x\na2,Second,,\n', encoding="utf-8"
    )
    assert run_cli("import", path).exit_code == 0
    with Store.open(db_path) as store:
        a1 = store.document("a1")
        assert a1.text == 'Line, with comma\nand "quote"'
        assert a1.meta == {"title": "T1", "url": "http://x"}
        assert store.document("a2").meta == {}


def test_non_utf8_file_is_refused_with_a_hint_and_encoding_option_reads_it(run_cli, db_path, tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Déjà vu, kata dia.".encode("latin-1"))
    result = run_cli("import", path)
    assert result.exit_code == 1
    assert str(path) in result.stderr and "not valid utf-8" in result.stderr and "--encoding" in result.stderr
    assert "Traceback" not in result.output
    assert count_docs(db_path) == 0
    assert run_cli("import", "--encoding", "latin-1", path).exit_code == 0
    with Store.open(db_path) as store:
        assert store.document("latin").text == "Déjà vu, kata dia."


def test_binary_file_is_refused(run_cli, db_path, tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run_cli("import", path)
    assert result.exit_code == 1
    assert str(path) in result.stderr and "binary" in result.stderr
    assert count_docs(db_path) == 0


def test_empty_file_named_is_an_error_but_in_a_folder_is_a_reported_skip(run_cli, db_path, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "real.txt").write_text("Teks berita.", encoding="utf-8")
    result = run_cli("import", folder / "empty.txt")
    assert result.exit_code == 1 and "is empty" in result.stderr
    result = run_cli("import", folder)
    assert result.exit_code == 0
    assert "1 imported" in result.stderr and "1 skipped" in result.stderr and "empty file" in result.stderr
    empty_jsonl = tmp_path / "e.jsonl"
    empty_jsonl.write_text("", encoding="utf-8")
    result = run_cli("import", empty_jsonl)
    assert result.exit_code == 1 and f"{empty_jsonl}: is empty" in result.stderr


def test_malformed_jsonl_line_names_file_and_line_and_imports_nothing(run_cli, db_path, tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", doc_line("d1", "Satu."), doc_line("d2", "Dua."), '{"id": "d3", "text": ')
    result = run_cli("import", path)
    assert result.exit_code == 1
    assert f"{path}, line 3" in result.stderr and "not valid JSON" in result.stderr
    assert count_docs(db_path) == 0


def test_span_outside_text_is_refused(run_cli, db_path, tmp_path):
    path = write_jsonl(tmp_path / "o.jsonl", doc_line("d1", "Pendek.", [{"start": 2, "end": 40}]))
    result = run_cli("import", "--as", "ann", path)
    assert result.exit_code == 1
    assert f"{path}, line 1" in result.stderr and "outside the text" in result.stderr
    assert count_docs(db_path) == 0


def test_span_text_differing_from_its_slice_is_refused(run_cli, db_path, tmp_path):
    text = "“Kami siap,” kata Budi."
    quote = {"start": 0, "end": 12, "text": "“Kami siap,”",
             "speaker": {"name": "Budi", "mention": {"start": 18, "end": 22, "text": "Badu"}}}
    path = write_jsonl(tmp_path / "m.jsonl", doc_line("d0", "Lain."), doc_line("d1", text, [quote]))
    result = run_cli("import", "--as", "ann", path)
    assert result.exit_code == 1
    assert f"{path}, line 2" in result.stderr and "'Badu'" in result.stderr and "'Budi'" in result.stderr
    assert count_docs(db_path) == 0


def test_duplicate_id_within_one_batch_is_refused(run_cli, db_path, tmp_path):
    path = write_jsonl(tmp_path / "dup.jsonl", doc_line("d1", "A."), doc_line("d1", "B."))
    result = run_cli("import", path)
    assert result.exit_code == 1
    assert f"{path}, line 2" in result.stderr and "appears twice" in result.stderr and "line 1" in result.stderr
    assert count_docs(db_path) == 0


def test_reimport_identical_text_is_a_no_op(run_cli, db_path):
    assert run_cli("import", SEEDS).exit_code == 0
    with Store.open(db_path) as store:
        before = store.conn.execute("SELECT id, seq, imported_at FROM documents ORDER BY id").fetchall()
    result = run_cli("import", SEEDS)
    assert result.exit_code == 0 and "0 imported" in result.stderr and "2 unchanged" in result.stderr
    with Store.open(db_path) as store:
        assert store.conn.execute("SELECT id, seq, imported_at FROM documents ORDER BY id").fetchall() == before


def test_reimport_of_labelled_document_with_new_text_is_refused(run_cli, db_path, tmp_path):
    text = "“Kami siap,” kata Budi."
    first = write_jsonl(tmp_path / "a.jsonl", doc_line("d1", text, [{"start": 0, "end": 12}]))
    assert run_cli("import", "--as", "ann", first).exit_code == 0
    changed = write_jsonl(tmp_path / "b.jsonl", doc_line("d1", "Teks lain sama sekali."), doc_line("d2", "Baru."))
    result = run_cli("import", changed)
    assert result.exit_code == 1
    assert "d1" in result.stderr and "different text" in result.stderr and "--keep-old" in result.stderr
    with Store.open(db_path) as store:
        assert store.document("d1").text == text
        assert store.document("d2") is None  # the whole file or nothing
    result = run_cli("import", "--keep-old", changed)
    assert result.exit_code == 0 and "kept the old version" in result.stderr
    with Store.open(db_path) as store:
        assert store.document("d1").text == text
        assert store.document("d2").text == "Baru."


def test_new_text_for_an_unlabelled_document_replaces_it(run_cli, db_path, tmp_path):
    assert run_cli("import", write_jsonl(tmp_path / "a.jsonl", doc_line("d1", "Lama."))).exit_code == 0
    result = run_cli("import", write_jsonl(tmp_path / "b.jsonl", doc_line("d1", "Baru.")))
    assert result.exit_code == 0 and "1 updated" in result.stderr
    with Store.open(db_path) as store:
        assert store.document("d1").text == "Baru."


def test_offsets_given_on_unnormalised_text_are_mapped(run_cli, db_path, tmp_path):
    text = "\ufeffA\r\n“Kami siap,” kata Budi."
    quote = {"start": 4, "end": 16, "text": "“Kami siap,”",
             "speaker": {"name": "Budi", "mention": {"start": 22, "end": 26, "text": "Budi"}}}
    labelled = write_jsonl(tmp_path / "n.jsonl", doc_line("d1", text, [quote]))
    assert run_cli("import", "--as", "ann", labelled).exit_code == 0
    with Store.open(db_path) as store:
        (q,) = store.quotes("d1", __import__("annotator.model").model.Owner.annotator("ann"))
        doc = store.document("d1")
    assert doc.text == "A\n“Kami siap,” kata Budi."
    assert doc.text[q.start:q.end] == "“Kami siap,”" and q.speaker.mention.text == "Budi"


def test_status_done_marks_imported_documents(run_cli, db_path, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", doc_line("d1", "“Ya,” kata Ani.", [{"start": 0, "end": 5}]))
    assert run_cli("import", "--as", "ann", "--status", "done", path).exit_code == 0
    with Store.open(db_path) as store:
        assert store.status("d1", "ann") == "done"
        assert store.status("d1", "other") == "todo"
        events = store.conn.execute("SELECT action FROM events ORDER BY id").fetchall()
    assert [e[0] for e in events] == ["import", "status"]


def test_missing_path_and_usage_errors(run_cli, tmp_path):
    result = run_cli("import", tmp_path / "nope.jsonl")
    assert result.exit_code == 1 and "does not exist" in result.stderr
    result = run_cli("import", "--status", "done", tmp_path)
    assert result.exit_code == 2 and "--status needs --as" in result.output


def test_a_database_that_is_not_ours_is_refused(tmp_path, run_cli):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    from click.testing import CliRunner

    from annotator.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(other), "stats"])
    assert result.exit_code == 1 and "not an annotator database" in result.stderr


def test_db_and_annotator_options_also_work_after_the_command(tmp_path):
    from click.testing import CliRunner

    from annotator.cli import cli

    db = tmp_path / "after.db"
    path = write_jsonl(tmp_path / "a.jsonl", doc_line("d1", "“Ya,” kata Ani.", [{"start": 0, "end": 5}]))
    result = CliRunner().invoke(cli, ["import", "--db", str(db), "--as", "ann", str(path)])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--annotator", "ann", "-"])
    assert json.loads(result.stdout)["quotes"][0]["text"] == "“Ya,”"


def test_import_pre_annotates_new_documents_with_the_builtin_run(run_cli, db_path):
    result = run_cli("import", SEEDS)
    assert result.exit_code == 0 and "2 documents pre-annotated (run builtin)" in result.stderr
    with Store.open(db_path) as store:
        assert store.runs() == ["builtin"]
        assert all(store.layer_size(d, Owner.run("builtin")) > 0 for d in store.document_ids())
    result = run_cli("import", SEEDS)  # nothing new: nothing to pre-annotate
    assert "pre-annotated" not in result.stderr


def test_no_predict_and_own_labels_skip_pre_annotation(run_cli, db_path, tmp_path):
    assert run_cli("import", "--no-predict", SEEDS).exit_code == 0
    path = write_jsonl(tmp_path / "a.jsonl", doc_line("d1", "“Ya,” kata Ani.", [{"start": 0, "end": 5}]))
    assert run_cli("import", "--as", "ann", path).exit_code == 0
    with Store.open(db_path) as store:
        assert store.runs() == []


def test_jsonl_document_with_empty_text_is_refused(run_cli, db_path, tmp_path):
    path = write_jsonl(tmp_path / "e.jsonl", doc_line("d1", "Isi."), doc_line("d2", " \n "))
    result = run_cli("import", path)
    assert result.exit_code == 1 and f"{path}, line 2" in result.stderr and "empty text" in result.stderr
    assert count_docs(db_path) == 0
