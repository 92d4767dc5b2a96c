"""Bad input, as a table: each is refused with one sentence naming the file (and line),
a non-zero exit, no traceback, and nothing written anywhere (the database untouched)."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.formats.brat import file_stem, id_from_stem
from annotator.formats.conll import ConllWriter
from annotator.formats.jsonl import dumps
from annotator.model import AnnotatedDocument, Document, Owner
from annotator.store import Store
from annotator.text import sha256
from tests.support.files import snapshot, write

TEXT = "Budi berkata, “Kami siap.”"


def line(**fields) -> str:
    """A JSONL line; ``\\ud800`` and ``\\u0000`` survive as escapes (ensure_ascii)."""
    return json.dumps({"id": "d1", "text": TEXT, **fields})


def brat(folder: Path, ann: str, text: str = "hello world", stem: str = "d") -> Path:
    write(folder / f"{stem}.txt", text)
    write(folder / f"{stem}.ann", ann)
    return folder


def seeded(path: Path) -> Path:
    """An annotator database holding one document."""
    with Store.open(path) as store:
        doc = Document(id="seed", text="Seed text.", sha256=sha256("Seed text."))
        store.import_documents([("seed", AnnotatedDocument(doc))])
    return path


def corrupted(path: Path, offset: int) -> Path:
    seeded(path)
    data = bytearray(path.read_bytes())
    data[offset : offset + 3000] = b"\xde\xad" * 1500
    path.write_bytes(bytes(data))
    return path


def foreign(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    return path


def newer(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    return path


@dataclass
class Case:
    name: str
    # Builds the input under the folder given; returns the command's arguments and the
    # fragments the message must hold (the file, and the line where there is one).
    setup: Callable[[Path], tuple[list, list[str]]]
    root_only_skip: bool = False  # permissions cannot be tested as root (root may write anything)

    def __repr__(self) -> str:
        return self.name


def jsonl(name: str, *lines: str, flags: tuple = (), fragment: str, at: int = 1):
    def setup(tmp: Path):
        path = write(tmp / name, "\n".join(lines) + "\n")
        return ["import", *flags, path], [f"{path}, line {at}", fragment]
    return setup


def one_file(name: str, content: str | bytes, fragment: str, at: int | None = None, flags: tuple = ()):
    def setup(tmp: Path):
        path = write(tmp / name, content)
        return ["import", *flags, path], [f"{path}, line {at}" if at else f"{path}:", fragment]
    return setup


def brat_case(ann: str, fragment: str, at: int | None = 1, text: str = "hello world", stem: str = "d"):
    def setup(tmp: Path):
        folder = brat(tmp / "b", ann, text, stem)
        where = folder / f"{stem}.ann"
        return ["import", "--as", "ana", folder], [f"{where}, line {at}" if at else f"{where}:", fragment]
    return setup


def db_case(make: Callable[[Path], Path], fragment: str, command: str = "stats"):
    def setup(tmp: Path):
        target = make(tmp)
        return [command, "--db", target], [str(target), fragment]
    return setup


def fifo(tmp: Path, name: str) -> Path:
    path = tmp / name
    os.mkfifo(path)
    return path


def read_only(tmp: Path) -> Path:
    path = seeded(tmp / "ro.db")
    path.chmod(0o444)
    return path


def read_only_folder(tmp: Path) -> Path:
    folder = tmp / "locked"
    folder.mkdir()
    path = seeded(folder / "a.db")
    folder.chmod(0o555)
    return path


SURROGATE = "\ud800"
DEEP = "[" * 100_000
CASES = [
    # -- strings SQLite and UTF-8 cannot hold, wherever they come from --
    Case("surrogate-in-id", jsonl("s.jsonl", line(), line(id=SURROGATE), fragment="lone surrogate", at=2)),
    Case("surrogate-in-meta-value", jsonl("s.jsonl", line(meta={"source": "a" + SURROGATE}), fragment="meta.source")),
    Case("surrogate-in-meta-key", jsonl("s.jsonl", line(meta={SURROGATE: "x"}), fragment="lone surrogate")),
    Case("surrogate-in-speaker-name", jsonl(
        "s.jsonl", line(quotes=[{"start": 0, "end": 4, "speaker": {"name": "\udfff"}}]),
        flags=("--as", "ana"), fragment="quotes[0].speaker.name")),
    Case("surrogate-in-role", jsonl(
        "s.jsonl", line(quotes=[{"start": 0, "end": 4, "role": SURROGATE}]), flags=("--run", "r"),
        fragment="quotes[0].role")),
    Case("surrogate-in-text", jsonl("s.jsonl", line(text="ab" + SURROGATE), fragment="lone surrogate")),
    Case("surrogate-in-ignored-field", jsonl("s.jsonl", line(extra=[SURROGATE]), fragment="lone surrogate")),
    Case("surrogate-in-json-array", one_file(
        "docs.json", "[\n" + line() + ",\n" + line(id="d2", lang=SURROGATE) + "\n]", "lone surrogate", at=3)),
    Case("surrogate-decoded-from-utf-7", one_file(
        "u.txt", b"abc +2AA- def", "lone surrogate", at=1, flags=("--encoding", "utf-7"))),
    Case("surrogate-in-brat-note", brat_case(
        "T1\tQuote 0 5\thello\n#1\tAnnotatorNotes T1\trole: \\ud800\n", "lone surrogate", at=2)),
    Case("nul-escaped-in-json-text", jsonl("n.jsonl", line(text="a\u0000b"), fragment="NUL")),
    Case("nul-escaped-in-json-id", jsonl("n.jsonl", line(id="a\u0000"), fragment="NUL")),
    Case("nul-raw-in-jsonl", one_file("n.jsonl", b'{"id": "a", "text": "x\x00"}\n', "NUL", at=1)),
    Case("nul-raw-in-txt", one_file("n.txt", b"abc\x00def", "NUL", at=1)),
    Case("nul-raw-in-csv", one_file("n.csv", b"id,text\na,x\nb,y\x00\n", "NUL", at=3)),
    Case("nul-escaped-in-brat-note", brat_case(
        "T1\tQuote 0 5\thello\n#1\tAnnotatorNotes T1\tvia: a\\u0000b\n", "NUL", at=2)),
    Case("nul-in-brat-file-name", brat_case("T1\tQuote 0 5\thello\n", "NUL", at=None, stem="a%00b")),
    Case("surrogate-in-annotator-argument", lambda tmp: (
        ["import", "--as", "ana\udcff", write(tmp / "a.jsonl", line(quotes=[{"start": 0, "end": 4}]) + "\n")],
        ["'ana\\udcff' contains a lone surrogate"])),
    Case("file-name-not-utf8", lambda tmp: (
        ["import", write(Path(os.fsdecode(bytes(tmp) + b"/caf\xe9.txt")), "Some text.")],
        ["the document id contains a lone surrogate (U+DCE9)"])),
    # -- JSON beyond what can be read safely --
    Case("deep-nesting", jsonl("d.jsonl", line(), DEEP, fragment="too deeply", at=2)),
    Case("deep-nesting-in-meta", jsonl("d.jsonl", '{"id": "a", "text": "x", "meta": {"x": ' + "[" * 200 + "]" * 200 + "}}",
                                       fragment="deep")),
    Case("deep-nesting-in-json-file", one_file("d.json", DEEP, "too deeply", at=1)),
    Case("huge-offset", jsonl("h.jsonl", line().replace('"text"', '"quotes": [{"start": 0, "end": ' + "9" * 5000
                                                          + '}], "text"'), flags=("--as", "a"), fragment="more than 4,300 digits")),
    Case("long-offset", jsonl("h.jsonl", line().replace('"text"', '"quotes": [{"start": 0, "end": ' + "9" * 400
                                                           + '}], "text"'), flags=("--as", "a"), fragment="outside the text")),
    Case("huge-meta-integer", jsonl("h.jsonl", line().replace('"text"', '"meta": {"n": -' + "1" * 5000 + '}, "text"'),
                                    fragment="more than 4,300 digits")),
    Case("infinite-number", jsonl("h.jsonl", line().replace('"text"', '"meta": {"n": 1e400}, "text"'),
                                  fragment="metadata at n is inf")),
    Case("nan", jsonl("h.jsonl", line().replace('"text"', '"meta": {"n": NaN}, "text"'), fragment="NaN")),
    Case("repeated-json-key", jsonl("k.jsonl", '{"id": "a", "id": "b", "text": "x"}', fragment="repeats the key 'id'")),
    # -- brat offsets are ASCII digits --
    Case("brat-superscript-offset", brat_case("T1\tQuote 0 \u00b2\the\n", "ASCII digits")),
    Case("brat-arabic-indic-offset", brat_case("T1\tQuote 0 \u0663\thel\n", "ASCII digits")),
    Case("brat-fullwidth-offset", brat_case("T1\tQuote \uff10 3\thel\n", "ASCII digits")),
    Case("brat-huge-offset", brat_case("T1\tQuote 0 " + "9" * 5000 + "\thello\n", "ASCII digits")),
    # -- CSV, strictly --
    Case("csv-unclosed-quote", one_file("u.csv", 'id,text\na,"one\nb,two\nc,three\n', "never closed", at=2)),
    Case("csv-unclosed-quote-later-field", one_file(
        "u.csv", 'id,text,title\na,x,y\nb,"multi\nline",z\nc,x,"open\nd,e,f\n', "never closed", at=5)),
    Case("csv-stray-text-after-quote", one_file("u.csv", 'id,text\na,"one"two\n', "does not end", at=2)),
    Case("csv-quote-swallowing-lines", one_file("u.csv", 'id,text\na,"one\nb,t"wo\n', "does not end", at=2)),
    Case("csv-duplicate-header", one_file("d.csv", "id,text,id\na,x,b\n", "two columns named 'id'", at=1)),
    Case("csv-empty-header-name", one_file("d.csv", "id,text,\na,x,y\n", "column 3 has no name", at=1)),
    Case("csv-blank-header-name", one_file("d.csv", "id, ,text\na,x,y\n", "column 2 has no name", at=1)),
    Case("csv-missing-text-column", one_file("d.csv", "id,body\na,x\n", "no text column", at=1)),
    Case("csv-semicolons", one_file("d.csv", "id;text\na;x\n", "separated by ';'", at=1)),
    Case("csv-row-too-short", one_file("r.csv", "id,text,title\na,x,t\nb,y\n", "fewer than the 3 columns", at=3)),
    Case("csv-row-too-long", one_file("r.csv", "id,text\na,x\nb,y,z\n", "more than the 2 columns", at=3)),
    # -- file types the import does not read --
    Case("json-array-of-strings", one_file("docs.json", '[\n"first",\n"second"\n]', "expected a JSON object", at=2)),
    Case("json-scalar", one_file("docs.json", "42", "neither a JSON array", at=1)),
    Case("lone-ann-file", one_file("x.ann", "T1\tQuote 0 1\tx\n", "brat annotation file")),
    Case("unknown-extension", one_file("notes.md", "# Notes\n\nSome text.", "a plain-text article needs the extension .txt")),
    Case("no-extension", one_file("README", "Some text.", "not a file type the import reads")),
    Case("not-in-an-odd-encoding", one_file("e.txt", b"h\xffllo", "not valid idna text", at=1, flags=("--encoding", "idna"))),
    Case("not-a-text-encoding", one_file("e.jsonl", line() + "\n", "unknown encoding 'rot13'", flags=("--encoding", "rot13"))),
    Case("utf16-without-bom", one_file("le.txt", "hello".encode("utf-16-le"), "--encoding utf-16-le", at=1)),
    Case("utf16-be-jsonl-without-bom", one_file("be.jsonl", (line() + "\n").encode("utf-16-be"), "--encoding utf-16-be",
                                                at=1)),
    # -- paths that are not files --
    Case("device-as-input", lambda tmp: (["import", "/dev/zero"], ["/dev/zero", "is a device"])),
    Case("fifo-as-input", lambda tmp: (["import", fifo(tmp, "in.jsonl")], [str(tmp / "in.jsonl"), "named pipe"])),
    Case("fifo-as-txt-input", lambda tmp: (["import", fifo(tmp, "in.txt")], [str(tmp / "in.txt"), "named pipe"])),
    Case("missing-input", lambda tmp: (["import", tmp / "nope.txt"], [str(tmp / "nope.txt"), "does not exist"])),
    Case("fifo-as-evaluate-gold", lambda tmp: (
        ["evaluate", "--gold", fifo(tmp, "g.jsonl"), "--pred", "builtin"], [str(tmp / "g.jsonl"), "named pipe"])),
    # -- databases --
    Case("folder-as-db", db_case(lambda tmp: tmp, "is a folder")),
    Case("fifo-as-db", db_case(lambda tmp: fifo(tmp, "pipe.db"), "named pipe")),
    Case("device-as-db", db_case(lambda tmp: Path("/dev/zero"), "device")),
    Case("missing-db-folder", db_case(lambda tmp: tmp / "no" / "such" / "a.db", "does not exist")),
    Case("text-file-as-db", db_case(lambda tmp: write(tmp / "notes.db", "plain notes\n" * 100), "not a database")),
    Case("foreign-sqlite-db", db_case(lambda tmp: foreign(tmp / "other.db"), "not an annotator database")),
    Case("newer-schema-db", db_case(lambda tmp: newer(tmp / "new.db"), "newer than this annotator")),
    Case("corrupted-db-schema", db_case(lambda tmp: corrupted(tmp / "c.db", 100), "malformed")),
    Case("corrupted-db-check", db_case(lambda tmp: corrupted(tmp / "c.db", 100), "problem: ", command="check")),
    Case("corrupted-db-data-check", db_case(lambda tmp: corrupted(tmp / "c.db", 20000), "problem: ", command="check")),
    Case("empty-db-path", lambda tmp: (["stats", "--db", ""], ["no database file given"])),
    Case("read-only-db", db_case(read_only, "read-only"), root_only_skip=True),
    Case("read-only-db-folder", db_case(read_only_folder, "read-only"), root_only_skip=True),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_refused_with_one_sentence_and_nothing_written(case, run_cli, db_path, tmp_path):
    if case.root_only_skip and os.geteuid() == 0:
        pytest.skip("root may write to read-only files and folders")
    seeded(db_path)
    work = tmp_path / "work"
    work.mkdir()
    args, fragments = case.setup(work)
    before = snapshot(tmp_path)
    result = run_cli(*args)
    output = result.stdout + result.stderr
    assert result.exit_code != 0, output
    for fragment in fragments:
        assert fragment in output, output
    assert "Traceback" not in output
    assert len(result.stderr.strip().splitlines()) <= 2, output  # one sentence (check adds a count line)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name", ["in.ann", "notes.md", "missing.txt", "pipe.jsonl", "/dev/zero"])
def test_an_input_no_reader_takes_does_not_create_the_database(run_cli, db_path, tmp_path, name):
    path = tmp_path / name
    if name.endswith((".ann", ".md")):
        write(path, "text")
    elif name == "pipe.jsonl":
        os.mkfifo(path)
    result = run_cli("import", path)
    assert result.exit_code == 1 and str(path) in result.stderr
    assert not db_path.exists()


def test_every_case_names_a_distinct_input():
    assert len({c.name for c in CASES}) == len(CASES)


# -- the generic handlers: any OSError, any SQLite error ---------------------------


def test_a_full_disk_is_one_sentence_naming_the_file_and_debug_shows_the_traceback(
    run_cli, db_path, tmp_path, monkeypatch
):
    seeded(db_path)
    out = tmp_path / "out.jsonl"

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out))

    monkeypatch.setattr("annotator.session.export.export", disk_full)
    result = run_cli("export", "--all", out)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {out}: {os.strerror(errno.ENOSPC)}"
    with pytest.raises(OSError):
        run_cli("--debug", "export", "--all", out)


def test_an_sqlite_error_names_the_database(run_cli, db_path, tmp_path, monkeypatch):
    seeded(db_path)

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "import_documents", disk_full)
    path = write(tmp_path / "a.txt", "Some text.")
    result = run_cli("import", path)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {db_path}: database or disk is full"


def test_a_foreign_database_is_refused_before_anything_in_it_changes(tmp_path):
    path = foreign(tmp_path / "other.db")
    before = path.read_bytes()
    with pytest.raises(Exception, match="not an annotator database"):
        Store.open(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no -shm


# -- what is read rather than refused --------------------------------------------


@pytest.mark.parametrize("codec, bom", [
    ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-8", b"\xef\xbb\xbf"), ("utf-32-le", b"\xff\xfe\x00\x00"),
])
@pytest.mark.parametrize("kind", ["txt", "csv", "jsonl", "json", "brat"])
def test_files_with_a_byte_order_mark_are_decoded_by_it(run_cli, db_path, tmp_path, codec, bom, kind):
    text = "Kata dia, “Déjà vu.”\nBaris dua."
    content = {
        "txt": text,
        "csv": "id,text\r\nd,\"" + text + "\"\r\n",
        "jsonl": json.dumps({"id": "d", "text": text}, ensure_ascii=False) + "\n",
        "json": json.dumps([{"id": "d", "text": text}], ensure_ascii=False, indent=1),
        "brat": text,
    }[kind]
    data = bom + content.encode(codec)
    if kind == "brat":
        path = tmp_path / "folder"
        write(path / "d.txt", data)
        write(path / "d.ann", bom + "T1\tQuote 10 20\t“Déjà vu.”\n".encode(codec))
    else:
        path = write(tmp_path / f"d.{kind}", data)
    result = run_cli("import", "--no-predict", "--as", "ana", path)
    assert result.exit_code == 0, result.output
    with Store.open(db_path) as store:
        assert store.document("d").text == text
        if kind == "brat":
            assert [q.text for q in store.quotes("d", Owner.annotator("ana"))] == ["“Déjà vu.”"]


def test_utf16_without_a_byte_order_mark_is_read_with_encoding(run_cli, db_path, tmp_path):
    path = write(tmp_path / "le.txt", "Kata dia.".encode("utf-16-le"))
    assert run_cli("import", "--no-predict", "--encoding", "utf-16-le", path).exit_code == 0
    with Store.open(db_path) as store:
        assert store.document("le").text == "Kata dia."


def test_a_json_array_is_read_as_the_documents_it_holds(run_cli, db_path, tmp_path):
    docs = [{"id": "a", "text": TEXT, "quotes": [{"start": 14, "end": 26, "speaker": "Budi"}]}, {"id": "b", "text": "Dua."}]
    path = write(tmp_path / "docs.json", json.dumps(docs, ensure_ascii=False, indent=2))
    result = run_cli("import", "--no-predict", "--as", "ana", path)
    assert result.exit_code == 0, result.output
    with Store.open(db_path) as store:
        assert store.document_ids() == ["a", "b"]
        [quote] = store.quotes("a", Owner.annotator("ana"))
        assert (quote.text, quote.speaker.name) == ("“Kami siap.”", "Budi")
    bad = write(tmp_path / "bad.json", json.dumps(docs[:1], indent=2)[:-1] + ',\n  {"id": "c", "text": ""}\n]')
    result = run_cli("import", bad)
    assert result.exit_code == 1 and f"{bad}, line 14: document 'c' has an empty text" in result.stderr


# -- names and comments that other programs read -------------------------------------


@pytest.mark.parametrize("doc_id", ["CON", "con", "Nul", "aux.txt", "COM1", "lpt9.tar.gz", "PRN.", "com0"])
def test_windows_reserved_names_are_escaped_and_read_back(doc_id, tmp_path):
    stem = file_stem(doc_id)
    base = stem.split(".")[0].upper()
    assert base not in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
    assert id_from_stem(stem) == doc_id


@pytest.mark.parametrize("doc_id", ["CONSOLE", "CONX", "com10", "LPT"])
def test_names_that_only_begin_like_a_device_are_kept(doc_id):
    assert file_stem(doc_id) == doc_id


def test_a_brat_export_of_reserved_names_imports_back_to_the_same_ids(run_cli, db_path, tmp_path):
    lines = [dumps(AnnotatedDocument(Document(id=i, text="Teks.", sha256=sha256("Teks.")))) for i in ("CON", "nul.txt")]
    write(tmp_path / "in.jsonl", "\n".join(lines) + "\n")
    assert run_cli("import", "--no-predict", tmp_path / "in.jsonl").exit_code == 0
    assert run_cli("export", "--all", "--format", "brat", tmp_path / "out").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").glob("*.txt")) == ["%43ON.txt", "%6Eul.txt.txt"]
    other = tmp_path / "other.db"
    assert run_cli("import", "--db", other, "--no-predict", tmp_path / "out").exit_code == 0
    with Store.open(other) as store:
        assert sorted(store.document_ids()) == ["CON", "nul.txt"]


def test_conll_header_comments_keep_line_breaks_inside_their_line():
    import io

    doc = Document(id="a\nb\r\u2028c\\d", text="Kata dia.", meta={"title": "T\u0085x\x0b"}, sha256="")
    handle = io.StringIO()
    ConllWriter(handle, Owner.annotator("ana")).write(AnnotatedDocument(doc))
    lines = handle.getvalue().split("\n")
    assert lines[1] == "# doc_id = a\\u000ab\\u000d\\u2028c\\u005cd"
    assert lines[2] == "# title = T\\u0085x\\u000b"
    assert all(len(part.splitlines()) <= 1 for part in lines)


def test_escaped_surrogate_pairs_and_other_escapes_are_text(run_cli, db_path, tmp_path):
    path = write(tmp_path / "e.jsonl", json.dumps({"id": "e\u00e9", "text": "Kata \U0001f600 dia.", "meta": {"k": "\U0001f600"}}) + "\n")
    assert "\\ud83d\\ude00" in path.read_text(encoding="utf-8")
    assert run_cli("import", "--no-predict", path).exit_code == 0
    with Store.open(db_path) as store:
        assert store.document("e\u00e9").text == "Kata \U0001f600 dia."


@pytest.mark.parametrize("denied, fragment", [
    ("ro.db", "ro.db is read-only"),
    ("folder", "is read-only, and SQLite keeps its ro.db-wal and ro.db-shm files beside the database"),
])
def test_a_read_only_database_or_folder_is_refused_by_name(tmp_path, monkeypatch, denied, fragment):
    """As root every file is writable; the refusal is checked through what os.access answers."""
    path = seeded(tmp_path / "ro.db")
    real_access = os.access

    refused = path if denied == "ro.db" else tmp_path

    def access(target, mode):
        return Path(target) != refused and real_access(target, mode)

    monkeypatch.setattr("annotator.store.schema.os.access", access)
    before = path.read_bytes()
    with pytest.raises(Exception, match=fragment):
        Store.open(path)
    assert path.read_bytes() == before
