"""Export targets that are never destroyed: target checks, records of what was written, atomic swaps.

An export writes one file or one folder, and replaces an existing one only when
that is safe:

- never the database or its ``-wal``/``-shm`` files (nor a folder holding
  them), whatever the flags;
- otherwise only a target that an earlier export wrote and nobody changed
  since, as its record says; ``force`` (``--force``) replaces any other file or
  folder.

**Records.** A folder export keeps ``.annotator-export.json`` inside the folder:
every file it wrote (path relative to the folder) with its SHA-256. A
single-file export keeps the same record in a sidecar beside the file,
``.<name>.annotator-export.json``. A sidecar per file rather than one record
per output folder: each record is written and renamed together with its own
output, so two exports into one folder never update a shared file (no lost
update, no lock), and a record says nothing about any file but its own. The
record lives beside the output, not in the database, because it describes
what is on disk whichever database wrote it.

**Swaps.** A new version is built beside the target as
``.<name>.annotator-new-<token>``, under an advisory lock held for the whole
export; a folder's record is written last, so a new folder with a record is
complete. A folder replaces the old one in two renames: the old folder (locked
too) to ``.<name>.annotator-old-<token>``, then the new one into place, then
the old one is removed. A file's sidecar is renamed first, naming both the new
hash and the one it replaces, then the file. Every export first repairs what a
crashed export left for the same target (leftovers whose lock nobody holds):
an interrupted folder swap is completed when the new folder is complete and
rolled back otherwise; an unfinished new version is removed. So a crash loses
neither the old version nor a complete new one.

Files and folders are created with the user's umask (modes 0666/0777 before
the umask), so a brat server running as another user can read an export.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from annotator import __version__

try:
    import fcntl
except ImportError:  # no advisory locks (Windows): every leftover is taken as abandoned
    fcntl = None  # type: ignore[assignment]

RECORD = ".annotator-export.json"
WRITTEN_BY = "annotator export"
NAMES_SHOWN = 5
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.annotator-(?P<kind>new|old)-(?P<token>[0-9a-f]{16})")


class ExportError(Exception):
    """An export that cannot be done as asked (one sentence, for the user)."""


@dataclass(frozen=True)
class Guard:
    """What an export must never replace (the database and its -wal/-shm files) and whether --force was given."""

    protected: tuple[Path, ...] = ()
    force: bool = False


def database_files(db: str | Path) -> tuple[Path, ...]:
    return (Path(db), Path(f"{db}-wal"), Path(f"{db}-shm"))


def sidecar(path: Path) -> Path:
    """The record of a single-file export."""
    return path.with_name(f".{path.name}.annotator-export.json")


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()


# --- checking a target ----------------------------------------------------------------


def _listing(names: list[str]) -> str:
    first = ", ".join(names[:NAMES_SHOWN])
    return first + (f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else "")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist
        return a.resolve() == b.resolve()


def _check_parent(path: Path) -> None:
    """The folder OUT goes in must exist: an export creates no folders but its own."""
    if path.parent.is_dir():
        return
    if os.path.lexists(path.parent):
        raise ExportError(f"{path.parent} is not a folder, so {path.name} cannot be written in it")
    raise ExportError(f"the folder {path.parent} does not exist; create it first (nothing was written)")


def _read_record(path: Path) -> dict[str, set[str]] | None:
    """What an earlier export recorded (file name → the SHA-256s it may have), or None without a record.

    A file's sidecar also names the hash of the file it replaced: when a crash
    came between the two renames, that file is still in place and still ours.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("written_by") != WRITTEN_BY or not isinstance(data.get("files"), dict):
        return None
    accepted = {name: {sha} for name, sha in data["files"].items()}
    for name, sha in (data.get("previous") or {}).items():
        accepted.setdefault(name, set()).add(sha)
    return accepted


def check_file_target(path: Path, guard: Guard) -> str | None:
    """Refuse a file target that must not be replaced; returns the SHA-256 of the file it replaces
    when an earlier export wrote that file (None for a new file or one replaced with ``force``)."""
    for written in (path, sidecar(path)):
        for db in guard.protected:
            if _same_file(written, db):
                raise ExportError(
                    f"{path} is the database file {db}; an export never writes over it (give another name)"
                )
    _check_parent(path)
    if not os.path.lexists(path):
        return None
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name for this format")
    if not path.is_file():
        raise ExportError(f"{path} is not a regular file; give the name of a new file")
    current = digest(path)
    record = _read_record(sidecar(path))
    if record is not None and current in record.get(path.name, ()):
        return current
    if guard.force:
        return None
    if record is None:
        raise ExportError(
            f"{path} already exists and no earlier export wrote it; nothing was written (--force replaces it)"
        )
    raise ExportError(
        f"{path} was changed since the export that wrote it; nothing was written (--force replaces it)"
    )


def check_folder_target(path: Path, guard: Guard) -> None:
    """Refuse a folder target that must not be replaced: one holding the database, or (without
    ``force``) one holding files no earlier export wrote or files changed since."""
    _check_parent(path)
    if not os.path.lexists(path):
        return
    if not path.is_dir() or path.is_symlink():
        raise ExportError(f"{path} is not a folder; this export writes a folder there (give another name)")
    entries = _survey(path)
    _refuse_database_inside(path, entries, guard)
    if guard.force or not entries:
        return
    record = _read_record(path / RECORD)
    if record is None:
        raise ExportError(
            f"{path} holds files no earlier export wrote ({_listing(sorted(entries))}); "
            "nothing was written (--force replaces the folder)"
        )
    recorded_dirs = {parent.as_posix() for name in record for parent in Path(name).parents}
    foreign, changed = [], []
    for name, (kind, _) in sorted(entries.items()):
        if name == RECORD:
            continue
        if kind == "file" and name in record:
            if digest(path / name) not in record[name]:
                changed.append(name)
        elif not (kind == "dir" and name in recorded_dirs):
            foreign.append(name)
    if foreign:
        raise ExportError(
            f"{path} holds files the earlier export did not write ({_listing(foreign)}); "
            "nothing was written (--force replaces the folder)"
        )
    if changed:
        raise ExportError(
            f"{path} has files changed since the export that wrote them ({_listing(changed)}); "
            "nothing was written (--force replaces the folder)"
        )


def _survey(folder: Path) -> dict[str, tuple[str, os.stat_result]]:
    """Every entry under ``folder`` (relative POSIX path → kind and lstat), symbolic links not followed."""
    entries: dict[str, tuple[str, os.stat_result]] = {}
    for root, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            full = Path(root, name)
            st = full.lstat()
            kind = "dir" if stat.S_ISDIR(st.st_mode) else "file" if stat.S_ISREG(st.st_mode) else "other"
            entries[full.relative_to(folder).as_posix()] = (kind, st)
    return entries


def _refuse_database_inside(folder: Path, entries: dict[str, tuple[str, os.stat_result]], guard: Guard) -> None:
    for db in guard.protected:
        try:
            db_stat = db.stat()
        except OSError:
            continue
        for name, (_, st) in entries.items():
            if (st.st_dev, st.st_ino) == (db_stat.st_dev, db_stat.st_ino):
                raise ExportError(
                    f"{folder} holds the database file {db} (as {name}); an export never replaces it "
                    "(give another folder name)"
                )


# --- locks and leftovers ------------------------------------------------------------


def _token() -> str:
    return secrets.token_hex(8)


def _leftover_name(path: Path, kind: str, token: str) -> Path:
    return path.with_name(f".{path.name}.annotator-{kind}-{token}")


def _lock(path: Path, stack: ExitStack) -> bool:
    """Take the advisory lock on ``path`` for as long as ``stack`` is open; False when another process holds it."""
    if fcntl is None:
        return True
    fd = os.open(path, os.O_RDONLY)
    stack.callback(os.close, fd)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def repair(path: Path) -> list[str]:
    """Finish or undo what a crashed export to ``path`` (or its sidecar) left beside it; a note per repair."""
    return _repair(path) + _repair(sidecar(path))


def _repair(path: Path) -> list[str]:
    found: dict[str, dict[str, Path]] = {}
    try:
        siblings = list(path.parent.iterdir())
    except OSError:
        return []
    for entry in siblings:
        m = _LEFTOVER.fullmatch(entry.name)
        if m and m["name"] == path.name:
            found.setdefault(m["token"], {})[m["kind"]] = entry
    notes = []
    for pair in found.values():
        with ExitStack() as stack:
            if not all(_lock(p, stack) for p in pair.values()):
                continue  # a running export owns these
            new, old = pair.get("new"), pair.get("old")
            if old is not None and not os.path.lexists(path):
                if new is not None and _read_record(new / RECORD) is not None:
                    os.replace(new, path)
                    shutil.rmtree(old, ignore_errors=True)
                    notes.append(f"note: completed an interrupted export to {path}")
                else:
                    os.replace(old, path)
                    if new is not None:
                        _remove(new)
                    notes.append(f"note: restored {path} after an interrupted export")
            elif old is not None and new is None:  # the swap was done; only the old copy was left
                shutil.rmtree(old, ignore_errors=True)
            elif old is None and new is not None:  # an export that never reached its swap
                _remove(new)
    return notes


# --- atomic outputs ---------------------------------------------------------------------


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _record(files: dict[str, str], previous: dict[str, str] | None = None) -> dict[str, object]:
    data: dict[str, object] = {"written_by": WRITTEN_BY, "version": __version__, "files": files}
    if previous:
        data["previous"] = previous
    return data


@contextmanager
def _new_file(path: Path) -> Iterator[Path]:
    """A new locked sibling file of ``path`` (mode 0666 less the umask), removed unless renamed."""
    tmp = _leftover_name(path, "new", _token())
    with ExitStack() as stack:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError as exc:
            raise ExportError(f"cannot write in {path.parent}: {exc.strerror}; nothing was written") from None
        stack.callback(os.close, fd)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield tmp
        finally:
            tmp.unlink(missing_ok=True)


def _replace_file(tmp: Path, path: Path, guard: Guard) -> None:
    """Rename ``tmp`` onto ``path`` after the last check, the sidecar record first."""
    replaced = check_file_target(path, guard)
    record = _record({path.name: digest(tmp)}, {path.name: replaced} if replaced else None)
    with _new_file(sidecar(path)) as tmp_record:
        _write_json(tmp_record, record)
        os.replace(tmp_record, sidecar(path))
    os.replace(tmp, path)


@contextmanager
def atomic_file(path: Path, guard: Guard = Guard()) -> Iterator[Path]:
    """A temporary sibling of ``path``, renamed onto it (with its record) when the block succeeds."""
    with _new_file(path) as tmp:
        yield tmp
        _replace_file(tmp, path, guard)


@contextmanager
def atomic_folder(path: Path, guard: Guard = Guard()) -> Iterator[Path]:
    """A temporary sibling folder, swapped in for ``path`` when the block succeeds."""
    token = _token()
    tmp = _leftover_name(path, "new", token)
    try:
        os.mkdir(tmp, 0o777)
    except OSError as exc:
        raise ExportError(f"cannot write in {path.parent}: {exc.strerror}; nothing was written") from None
    with ExitStack() as stack:
        try:
            _lock(tmp, stack)
            yield tmp
            _write_json(tmp / RECORD, _record(_hashes(tmp)))
            check_folder_target(path, guard)
            if os.path.lexists(path):
                if not _lock(path, stack):
                    raise ExportError(f"another export is replacing {path} right now; nothing was written")
                old = _leftover_name(path, "old", token)
                os.replace(path, old)
                try:
                    os.replace(tmp, path)
                except OSError:
                    os.replace(old, path)
                    raise
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(tmp, path)
        finally:
            if os.path.lexists(tmp):
                shutil.rmtree(tmp, ignore_errors=True)


def _hashes(folder: Path) -> dict[str, str]:
    return {
        name: digest(folder / name)
        for name, (kind, _) in sorted(_survey(folder).items())
        if kind == "file" and name != RECORD
    }
