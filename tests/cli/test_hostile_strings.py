"""Untrusted strings on the command line: annotator names, run names, document ids, titles, speaker
names, roles and paths that look like Rich markup or carry terminal escapes print as written, made
visible, through every command — never parsed as markup, never a control byte on the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.store import Store
from annotator.terminal import json_text, shown
from tests.support.documents import plain_document, write_jsonl

MARKUP = ["[/]", "[bold red]X[/]", "[link=http://x]y[/link]"]
ESCAPES = ["\x1b[31mRED", "bell\x07", "cr\rX", "csi\x9b31m", "bidi\u202eevil", "two\nlines"]
# What each escape looks like once made visible.
VISIBLE = {"\x1b[31mRED": "␛[31mRED", "bell\x07": "bell␇", "cr\rX": "cr␍X", "csi\x9b31m": "csi�31m",
           "bidi\u202eevil": "bidi�evil", "two\nlines": "two␊lines"}
FORBIDDEN = ["\x1b", "\x07", "\r", "\x9b", "\u202e"]

GOLD = "[bold red]X[/]"  # annotators
OTHER = "[/]"
RUN = "\x1b[31mRED"  # runs
PREDICTED = "bidi\u202eevil"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The database path itself is hostile: it is printed by check and in error messages."""
    return tmp_path / "db[bold]\x1b[31m\u202e.db"


def hostile_document(n: int, doc_id: str) -> dict:
    doc = plain_document(doc_id, n)
    name = (MARKUP + ESCAPES)[n % (len(MARKUP) + len(ESCAPES))]
    doc["meta"] = {"title": f"title {name}"}
    for q in doc["quotes"]:
        q["speaker"]["name"] = f"speaker {name}"
        q["role"] = f"role {name}"
    return doc


@pytest.fixture
def hostile(tmp_path, db_path, run_cli):
    """A database where every annotator, run, id, title, speaker and role is hostile."""
    ids = MARKUP + ESCAPES
    docs = [hostile_document(n, doc_id) for n, doc_id in enumerate(ids)]
    path = write_jsonl(tmp_path / "docs.jsonl", docs)
    for who in (GOLD, OTHER):
        result = run_cli("import", "--as", who, path)
        assert result.exit_code == 0, result.output
    for doc in docs:  # predictions that differ from the gold: misses and wrong speakers to report
        doc["quotes"] = doc["quotes"][:1]
        doc["quotes"][0]["speaker"]["name"] = f"other {doc['id']}"
    assert run_cli("import", "--run", RUN, write_jsonl(tmp_path / "pred.jsonl", docs)).exit_code == 0
    with Store(db_path) as store:
        for doc_id in ids:
            store.set_status(doc_id, GOLD, "done")
            store.set_status(doc_id, OTHER, "done")
    return ids


def assert_safe(text: str) -> None:
    for ch in FORBIDDEN:
        assert ch not in text, f"{ch!r} reached the terminal: {text!r}"


def assert_visible(text: str, *values: str) -> None:
    """Each value shows as written: made visible by shown(), or escaped by repr() in a quoted name."""
    for value in values:
        assert VISIBLE.get(value, value) in text or repr(value)[1:-1] in text, f"{value!r} is not visible in {text!r}"


def commands(tmp_path: Path) -> list[tuple[tuple[str, ...], int, tuple[str, ...]]]:
    """(arguments, exit status, values that must show literally) for every command."""
    out = tmp_path / "out[bold]\x1b[31m"  # a file name cannot hold "/"
    out.mkdir()
    return [
        (("stats",), 0, (GOLD, OTHER, RUN)),
        (("check",), 0, ()),
        (("export", "--annotator", GOLD, out / "gold.jsonl"), 0, (GOLD,)),
        (("export", "--annotator", "bell\x07", out / "none.jsonl"), 0, ("bell\x07", GOLD, OTHER)),
        (("export", "--annotator", GOLD, "--format", "brat", out / "brat"), 0, ()),
        (("export", "--run", RUN, "--format", "csv", "--split", "50,25,25", out / "split"), 0, (RUN,)),
        (("export", "--run", "[/]nope\x1b", out / "x.jsonl"), 1, ("[/]nope", RUN)),
        (("predict", "--run", PREDICTED), 0, (PREDICTED,)),
        (("predict", "--doc", "\x1b[31mRED-missing"), 2, ("\x1b[31mRED-missing",)),
        (("evaluate", "--gold", GOLD, "--pred", RUN, "--errors", "--by", "doc"), 0,
         (GOLD, RUN, *MARKUP, *ESCAPES, "speaker [link=http://x]y[/link]")),
        (("evaluate", "--gold", "[link=http://x]y[/link]", "--pred", RUN), 1, ("[link=http://x]y[/link]", GOLD)),
        (("evaluate", "--gold", GOLD, "--pred", "cr\rX"), 1, ("cr\rX", RUN)),
        (("agreement", GOLD, OTHER, "--by", "doc"), 0, (GOLD, OTHER, *MARKUP, *ESCAPES)),
        (("agreement", GOLD, "bidi\u202eevil"), 1, ("bidi\u202eevil", GOLD)),
        (("annotate", "--doc", "[/]missing\x07"), 1, ("[/]missing\x07",)),
    ]


def test_every_command_prints_hostile_strings_as_written(tmp_path, db_path, run_cli, hostile, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # no wrapping inside the values looked for
    for args, status, visible in commands(tmp_path):
        result = run_cli(*args, annotator="ana")
        shown_output = result.stdout + result.stderr
        assert result.exit_code == status, (args, shown_output)
        assert "Traceback" not in shown_output
        assert_safe(shown_output)
        assert_visible(shown_output, *visible)
    with Store(db_path) as store:  # a problem that names a hostile document
        store.conn.execute("UPDATE document_rows SET sha256 = 'x' WHERE id = ?", ("bell\x07",))
        store.conn.commit()
    result = run_cli("check")
    assert result.exit_code == 1
    assert_safe(result.stdout + result.stderr)
    assert_visible(result.stdout, "bell\x07")


def test_import_reports_and_errors_name_hostile_paths(tmp_path, run_cli):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "[link=x]y\x1b[31m.txt").write_text("Judul\x07 [bold]\n\nIsi berita.")
    (folder / "empty[bold]\x1b[2J.txt").write_text("")
    result = run_cli("import", folder)
    assert result.exit_code == 0, result.output
    assert_safe(result.stderr)
    assert_visible(result.stderr, "empty[bold]␛[2J.txt: empty file")
    bad = tmp_path / "bad[bold]\x1b[31m.jsonl"
    bad.write_text('{"id": "x"}\n')
    result = run_cli("import", bad)
    assert result.exit_code == 1
    assert_safe(result.stderr)
    assert_visible(result.stderr, "bad[bold]␛[31m.jsonl")


def test_json_outputs_escape_what_a_terminal_acts_on(run_cli, hostile):
    stats = run_cli("stats", "--json")
    assert stats.exit_code == 0
    assert_safe(stats.stdout)
    data = json.loads(stats.stdout)
    assert set(data["annotators"]) == {GOLD, OTHER} and set(data["runs"]) == {RUN}
    evaluation = run_cli("evaluate", "--gold", GOLD, "--pred", RUN, "--json", "--errors")
    assert evaluation.exit_code == 0
    assert_safe(evaluation.stdout)
    assert {e["document"] for e in json.loads(evaluation.stdout)["errors"]} == set(hostile)
    agreement = run_cli("agreement", "--json")
    assert agreement.exit_code == 0
    assert_safe(agreement.stdout)
    (pair,) = json.loads(agreement.stdout)["pairs"]
    assert {pair["a"], pair["b"]} == {GOLD, OTHER} and set(pair["by_document"]) == set(hostile)


def test_a_real_process_writes_no_control_bytes(tmp_path, db_path, hostile):
    """The installed program with its output on pipes (no terminal), as in a script or a CI log."""
    env = {**os.environ, "COLUMNS": "400"}
    for args, status in (
        (["stats"], 0),
        (["evaluate", "--gold", GOLD, "--pred", RUN, "--errors"], 0),
        (["export", "--run", "nope", str(tmp_path / "o.jsonl")], 1),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "annotator", "--db", str(db_path), *args],
            capture_output=True, env=env, stdin=subprocess.DEVNULL,
        )
        output = proc.stdout + proc.stderr
        assert proc.returncode == status, output
        for raw in FORBIDDEN:
            assert raw.encode() not in output, (args, raw, output)
        assert GOLD.encode() in output or args[0] == "export"
        assert "␛[31mRED".encode() in output


def test_progress_bars_on_a_terminal_print_names_as_written(tmp_path, db_path, hostile):
    """On a terminal the progress bar is drawn; its description holds the run name."""
    pty = pytest.importorskip("pty")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the program on a pseudo-terminal
        args = ["-m", "annotator", "--db", str(db_path), "predict", "--run", "[/]x\x1b[31m"]
        os.execv(sys.executable, [sys.executable, *args])
    output = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child has closed the terminal
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, output
    assert "predicting ([/]x␛[31m)".encode() in output and "run [/]x␛[31m: ".encode() in output
    assert b"[/]x\x1b" not in output


def test_shown_and_json_text():
    assert shown("[bold]x[/]").plain == "[bold]x[/]" and shown("a\nb\x1b").plain == "a␊b␛"
    assert shown("\ud800\u202e").plain == "��"
    text = json_text({"k": "é\x9b\u202e\ud800\x1b"})
    assert json.loads(text) == {"k": "é\x9b\u202e\ud800\x1b"}
    assert "é" in text and not any(ch in text for ch in "\x9b\u202e\ud800\x1b")
    ascii_only = json_text({"k": "a\x7fb", "n": 1})  # DEL, the one unsafe character ASCII holds
    assert json.loads(ascii_only) == {"k": "a\x7fb", "n": 1} and "\x7f" not in ascii_only


def test_json_texts_unsafe_characters_are_the_unicode_properties_they_spell_out():
    import sys

    import regex

    from annotator.terminal import _JSON_UNSAFE

    by_property = regex.compile(r"[\x7f-\x9f\p{Bidi_Control}\p{Cs}\u2028\u2029]")
    differ = [c for c in range(sys.maxunicode + 1) if bool(by_property.match(chr(c))) != bool(_JSON_UNSAFE.match(chr(c)))]
    assert differ == []
