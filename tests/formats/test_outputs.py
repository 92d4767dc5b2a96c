"""`annotator export` never destroys: refusals, records of what was written, --force, umask,
full disks and read-only folders, and crashes in the middle of a folder swap."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotator.formats import outputs
from annotator.formats.outputs import RECORD, sidecar
from annotator.store import Store
from tests.support.documents import jsonl_labels, load, plain_document
from tests.support.files import snapshot


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".annotator-new-" in p.name or ".annotator-old-" in p.name)


def export(run_cli, *args):
    return run_cli("export", *map(str, args), annotator="ana")


# --- refusals: one table ---------------------------------------------------------------------
# Each setup returns (target to watch, export arguments); the target must be unchanged afterwards.


def _the_database(tmp, run_cli, db):
    return db, [db]


def _the_database_forced(tmp, run_cli, db):
    return db, ["--force", "--all", db]


def _the_wal_file(tmp, run_cli, db):
    return Path(f"{db}-wal"), ["--force", f"{db}-wal"]


def _the_shm_file_as_csv(tmp, run_cli, db):
    return Path(f"{db}-shm"), ["--force", "--format", "csv", f"{db}-shm"]


def _a_hard_link_to_the_database(tmp, run_cli, db):
    os.link(db, tmp / "gold.jsonl")
    return db, ["--force", tmp / "gold.jsonl"]


def _a_symlink_to_the_database(tmp, run_cli, db):
    (tmp / "gold.jsonl").symlink_to(db)
    return db, ["--force", tmp / "gold.jsonl"]


def _a_folder_holding_the_database(tmp, run_cli, db):
    return tmp, ["--force", "--format", "brat", tmp]


def _a_split_folder_holding_a_link_to_the_database(tmp, run_cli, db):
    (tmp / "data").mkdir()
    os.link(db, tmp / "data" / "moved.db")
    return tmp / "data", ["--force", "--split", "80,10,10", tmp / "data"]


def _an_unrelated_file(tmp, run_cli, db):
    (tmp / "notes.txt").write_text("my notes\n")
    return tmp / "notes.txt", ["--all", tmp / "notes.txt"]


def _an_exported_file_edited_since(tmp, run_cli, db):
    assert export(run_cli, tmp / "gold.jsonl").exit_code == 0
    with (tmp / "gold.jsonl").open("a") as handle:
        handle.write('{"my": "edit"}\n')
    return tmp / "gold.jsonl", [tmp / "gold.jsonl"]


def _an_exported_file_with_its_record_removed(tmp, run_cli, db):
    assert export(run_cli, tmp / "gold.csv").exit_code == 0
    sidecar(tmp / "gold.csv").unlink()
    return tmp / "gold.csv", [tmp / "gold.csv"]


def _a_folder_of_other_files(tmp, run_cli, db):
    (tmp / "mine").mkdir()
    (tmp / "mine" / "notes.txt").write_text("keep me")
    return tmp / "mine", ["--format", "brat", tmp / "mine"]


def _a_brat_export_with_notes_added(tmp, run_cli, db):
    assert export(run_cli, "--format", "brat", tmp / "brat").exit_code == 0
    (tmp / "brat" / "notes.txt").write_text("keep me")
    return tmp / "brat", ["--format", "brat", tmp / "brat"]


def _a_brat_export_edited_in_brat(tmp, run_cli, db):
    assert export(run_cli, "--format", "brat", tmp / "brat").exit_code == 0
    with (tmp / "brat" / "d1.ann").open("a") as handle:
        handle.write("#99\tAnnotatorNotes T1\tchecked by hand\n")
    return tmp / "brat", ["--format", "brat", tmp / "brat"]


def _a_split_export_with_a_subfolder_added(tmp, run_cli, db):
    assert export(run_cli, "--split", "80,10,10", tmp / "data").exit_code == 0
    (tmp / "data" / "extra").mkdir()
    return tmp / "data", ["--split", "80,10,10", tmp / "data"]


def _a_folder_whose_record_is_foreign(tmp, run_cli, db):
    (tmp / "brat").mkdir()
    (tmp / "brat" / RECORD).write_text('{"written_by": "someone else", "files": {}}')
    return tmp / "brat", ["--format", "brat", tmp / "brat"]


def _a_missing_parent_folder(tmp, run_cli, db):
    return tmp / "nowhere", ["--all", tmp / "nowhere" / "gold.jsonl"]


def _a_missing_parent_of_a_folder(tmp, run_cli, db):
    return tmp / "nowhere", ["--format", "brat", tmp / "nowhere" / "brat"]


def _a_file_as_the_parent_folder(tmp, run_cli, db):
    (tmp / "notes.txt").write_text("my notes\n")
    return tmp / "notes.txt", [tmp / "notes.txt" / "gold.jsonl"]


def _a_file_where_a_folder_goes(tmp, run_cli, db):
    (tmp / "brat").write_text("a file")
    return tmp / "brat", ["--force", "--format", "brat", tmp / "brat"]


def _a_folder_where_a_file_goes(tmp, run_cli, db):
    (tmp / "gold.jsonl").mkdir()
    return tmp / "gold.jsonl", ["--force", tmp / "gold.jsonl"]


def _a_fifo(tmp, run_cli, db):
    os.mkfifo(tmp / "pipe.jsonl")
    return tmp / "pipe.jsonl", ["--force", tmp / "pipe.jsonl"]


REFUSALS = [
    ("the database", _the_database, "an export never writes over it"),
    ("the database, with --force", _the_database_forced, "is the database file"),
    ("its -wal file", _the_wal_file, "is the database file"),
    ("its -shm file", _the_shm_file_as_csv, "is the database file"),
    ("a hard link to it", _a_hard_link_to_the_database, "is the database file"),
    ("a symbolic link to it", _a_symlink_to_the_database, "is the database file"),
    ("a folder holding it", _a_folder_holding_the_database, "holds the database file"),
    ("a split folder holding a link to it", _a_split_folder_holding_a_link_to_the_database,
     "holds the database file"),
    ("an unrelated file", _an_unrelated_file, "already exists and no earlier export wrote it"),
    ("an exported file edited since", _an_exported_file_edited_since, "was changed since the export"),
    ("an exported file without its record", _an_exported_file_with_its_record_removed,
     "no earlier export wrote it"),
    ("a folder of other files", _a_folder_of_other_files, "holds files no earlier export wrote (notes.txt)"),
    ("a brat export with notes added", _a_brat_export_with_notes_added,
     "holds files the earlier export did not write (notes.txt)"),
    ("a brat export edited in brat", _a_brat_export_edited_in_brat,
     "changed since the export that wrote them (d1.ann)"),
    ("a split export with a subfolder added", _a_split_export_with_a_subfolder_added,
     "did not write (extra)"),
    ("a folder whose record is not ours", _a_folder_whose_record_is_foreign, "no earlier export wrote"),
    ("a missing parent folder", _a_missing_parent_folder, "does not exist; create it first"),
    ("a missing parent of a folder", _a_missing_parent_of_a_folder, "does not exist; create it first"),
    ("a file as the parent folder", _a_file_as_the_parent_folder, "notes.txt is not a folder, so gold.jsonl"),
    ("a file where a folder goes", _a_file_where_a_folder_goes, "is not a folder; this export writes a folder"),
    ("a folder where a file goes", _a_folder_where_a_file_goes, "is a folder; give a file name"),
    ("a FIFO", _a_fifo, "is not a regular file"),
]


@pytest.mark.parametrize("setup, fragment", [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_export_refuses_to_destroy(tmp_path, run_cli, corpus, setup, fragment):
    target, args = setup(tmp_path, run_cli, corpus)
    before, siblings = snapshot(target), sorted(p.name for p in tmp_path.iterdir())
    result = export(run_cli, *args)
    assert result.exit_code == 1, result.output
    assert fragment in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output  # one sentence
    assert snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings  # nothing written, nothing left behind
    with Store(corpus) as store:
        assert store.count_documents() == 3


# --- what an export may replace --------------------------------------------------------------


@pytest.mark.parametrize("args, name", [((), "gold.jsonl"), (("--format", "conll"), "gold.conll"),
                                        (("--format", "brat"), "brat"), (("--split", "50,25,25"), "data")])
def test_re_export_replaces_its_own_output_without_force(tmp_path, run_cli, corpus, args, name):
    out = tmp_path / name
    assert export(run_cli, *args, out).exit_code == 0
    first = snapshot(out)
    with Store(corpus) as store:
        load(store, [plain_document("d3", 3)], "ana", done=("d3",))
    result = export(run_cli, *args, out)
    assert result.exit_code == 0, result.output
    assert snapshot(out) != first
    assert leftovers(tmp_path) == []


def test_the_record_lists_every_written_file_with_its_hash(tmp_path, run_cli, corpus):
    assert export(run_cli, "--format", "brat", tmp_path / "brat").exit_code == 0
    record = json.loads((tmp_path / "brat" / RECORD).read_text())
    files = sorted(p.relative_to(tmp_path / "brat").as_posix() for p in (tmp_path / "brat").rglob("*"))
    assert sorted(record["files"]) == [f for f in files if f != RECORD]
    assert record["files"]["d1.ann"] == outputs.digest(tmp_path / "brat" / "d1.ann")
    assert export(run_cli, tmp_path / "gold.jsonl").exit_code == 0
    single = json.loads(sidecar(tmp_path / "gold.jsonl").read_text())
    assert single["files"] == {"gold.jsonl": outputs.digest(tmp_path / "gold.jsonl")}


def test_force_replaces_a_foreign_target(tmp_path, run_cli, corpus):
    (tmp_path / "notes.txt").write_text("my notes\n")
    assert export(run_cli, "--force", "--format", "jsonl", tmp_path / "notes.txt").exit_code == 0
    assert list(jsonl_labels(tmp_path / "notes.txt")) == ["d0", "d1", "d2"]
    (tmp_path / "notes.txt").write_text("my notes\n")  # the user's file back: never taken for an export's
    assert export(run_cli, "--format", "jsonl", tmp_path / "notes.txt").exit_code == 1
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    assert export(run_cli, "--force", "--format", "brat", tmp_path / "mine").exit_code == 0
    assert not (tmp_path / "mine" / "notes.txt").exists() and (tmp_path / "mine" / "d0.ann").exists()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("umask", [0o022, 0o027], ids=["022", "027"])
def test_outputs_get_the_users_umask(tmp_path, run_cli, corpus, umask):
    previous = os.umask(umask)
    try:
        assert export(run_cli, tmp_path / "gold.jsonl").exit_code == 0
        assert export(run_cli, "--format", "brat", "--split", "50,25,25", tmp_path / "data").exit_code == 0
    finally:
        os.umask(previous)
    assert (tmp_path / "gold.jsonl").stat().st_mode & 0o777 == 0o666 & ~umask
    assert sidecar(tmp_path / "gold.jsonl").stat().st_mode & 0o777 == 0o666 & ~umask
    for path in [tmp_path / "data", *(tmp_path / "data").rglob("*")]:
        expected = (0o777 if path.is_dir() else 0o666) & ~umask
        assert path.stat().st_mode & 0o777 == expected, path


# --- full disks and read-only folders -------------------------------------------------------


def _no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FillingHandle:
    """A text handle whose device fills up after the first line."""

    def __init__(self, handle):
        self.handle = handle
        self.writes = 0

    def write(self, text):
        self.writes += 1
        if self.writes > 2:
            _no_space()
        return self.handle.write(text)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()


@pytest.mark.parametrize("fmt", ["jsonl", "brat"])
def test_a_full_disk_leaves_the_old_output_and_no_temporary_files(tmp_path, run_cli, corpus, monkeypatch, fmt):
    out = tmp_path / ("gold.jsonl" if fmt == "jsonl" else "brat")
    assert export(run_cli, "--format", fmt, out).exit_code == 0
    before = snapshot(out)
    if fmt == "jsonl":
        from annotator.formats import write

        real_open = write.open_output
        monkeypatch.setattr(write, "open_output", lambda path, f: _FillingHandle(real_open(path, f)))
    else:
        real_write_text = Path.write_text
        calls = []

        def write_text(self, *args, **kwargs):
            calls.append(self)
            if len(calls) > 2:
                _no_space()
            return real_write_text(self, *args, **kwargs)

        monkeypatch.setattr(Path, "write_text", write_text)
    result = export(run_cli, "--format", fmt, out)
    assert result.exit_code == 1
    assert f"cannot write {out}: No space left on device; nothing was written" in result.stderr
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("args", [("--all",), ("--format", "brat")])
def test_a_folder_without_write_permission_is_named(tmp_path, run_cli, corpus, monkeypatch, args):
    """Simulated (the tests may run as root, who may write anywhere): creating in the folder fails."""
    shut = tmp_path / "shut"
    shut.mkdir()
    real_open, real_mkdir = os.open, os.mkdir

    def refuse(real):
        def call(path, *rest, **kwargs):
            if Path(path).parent == shut:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return real(path, *rest, **kwargs)

        return call

    monkeypatch.setattr(os, "open", refuse(real_open))
    monkeypatch.setattr(os, "mkdir", refuse(real_mkdir))
    result = export(run_cli, *args, shut / "out")
    assert result.exit_code == 1
    assert f"cannot write in {shut}: Permission denied; nothing was written" in result.stderr
    assert list(shut.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in a read-only folder")
def test_a_read_only_folder_is_named(tmp_path, run_cli, corpus):
    shut = tmp_path / "shut"
    shut.mkdir(mode=0o555)
    result = export(run_cli, shut / "gold.jsonl")
    assert result.exit_code == 1 and f"cannot write in {shut}" in result.stderr


# --- crashes ----------------------------------------------------------------------------------

CRASH = textwrap.dedent("""
    import os, shutil, sys
    from annotator.cli import cli
    from annotator.formats import brat, outputs
    where, after = sys.argv[1], int(sys.argv[2])
    calls = []

    def crash_on(real):
        def call(*args, **kwargs):
            calls.append(args)
            if len(calls) == after:
                os._exit(9)  # killed: no cleanup runs
            return real(*args, **kwargs)
        return call

    if where == "replace":
        outputs.os.replace = crash_on(os.replace)
    elif where == "rmtree":
        outputs.shutil.rmtree = crash_on(shutil.rmtree)
    else:
        brat.BratWriter.write = crash_on(brat.BratWriter.write)
    cli(sys.argv[3:], prog_name="annotator")
""")


def crashed_export(db, where: str, after: int, *args) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CRASH, where, str(after),
         "--db", str(db), "--annotator", "ana", "export", *map(str, args)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 9, proc.stderr


def _second_export(run_cli, db, out, args=("--format", "brat")):
    """The first export, then a database with one more document (so the versions differ)."""
    assert export(run_cli, *args, out).exit_code == 0
    old = snapshot(out)
    with Store(db) as store:
        load(store, [plain_document("d3", 3)], "ana", done=("d3",))
    return old


def test_a_crash_between_the_two_renames_is_completed_by_the_next_export(tmp_path, run_cli, corpus):
    out = tmp_path / "brat"
    old = _second_export(run_cli, corpus, out)
    crashed_export(corpus, "replace", 2, "--format", "brat", out)  # the old folder moved away, the new not in
    assert not out.exists()
    found = {name.split(".annotator-")[1].split("-")[0]: tmp_path / name for name in leftovers(tmp_path)}
    assert sorted(found) == ["new", "old"]
    assert snapshot(found["old"]) == old  # neither version is lost
    assert (found["new"] / "d3.ann").exists() and (found["new"] / RECORD).exists()
    new = snapshot(found["new"])
    result = run_cli("stats")  # other commands do not care
    assert result.exit_code == 0
    result = export(run_cli, "--format", "brat", out)
    assert result.exit_code == 0, result.output
    assert f"note: completed an interrupted export to {out}" in result.stderr
    assert snapshot(out) == new and leftovers(tmp_path) == []


def test_a_crash_with_an_incomplete_new_folder_is_rolled_back(tmp_path, run_cli, corpus):
    out = tmp_path / "brat"
    old = _second_export(run_cli, corpus, out)
    crashed_export(corpus, "replace", 2, "--format", "brat", out)
    (new,) = (tmp_path / n for n in leftovers(tmp_path) if ".annotator-new-" in n)
    (new / RECORD).unlink()  # as if the crash had come before the new folder was complete
    assert outputs.repair(out) == [f"note: restored {out} after an interrupted export"]
    assert snapshot(out) == old and leftovers(tmp_path) == []


def test_a_crash_while_writing_or_cleaning_up_leaves_nothing_for_long(tmp_path, run_cli, corpus):
    out = tmp_path / "brat"
    _second_export(run_cli, corpus, out)
    crashed_export(corpus, "rmtree", 1, "--format", "brat", out)  # swapped, the old copy not yet removed
    assert (out / "d3.ann").exists() and [n.split("-")[-2] for n in leftovers(tmp_path)] == ["old"]
    new = snapshot(out)
    crashed_export(corpus, "write", 2, "--format", "brat", out)  # mid-export (after cleaning the old copy)
    assert snapshot(out) == new and [n.split("-")[-2] for n in leftovers(tmp_path)] == ["new"]
    assert export(run_cli, "--format", "brat", out).exit_code == 0
    assert snapshot(out) == new and leftovers(tmp_path) == []


def test_a_crash_between_a_files_record_and_the_file_needs_no_force(tmp_path, run_cli, corpus):
    out = tmp_path / "gold.jsonl"
    old = _second_export(run_cli, corpus, out, ())
    crashed_export(corpus, "replace", 2, out)  # the new record is in place, the new file is not
    assert snapshot(out) == old
    result = export(run_cli, out)
    assert result.exit_code == 0, result.output
    assert list(jsonl_labels(out)) == ["d0", "d1", "d2", "d3"] and leftovers(tmp_path) == []


def test_a_running_exports_files_are_left_alone(tmp_path):
    out = tmp_path / "brat"
    busy = tmp_path / ".brat.annotator-new-0123456789abcdef"
    busy.mkdir()
    fd = os.open(busy, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert outputs.repair(out) == [] and busy.exists()
    finally:
        os.close(fd)
    assert outputs.repair(out) == [] and not busy.exists()
