"""The one error type for bad input files: it always names the file and, where it can, the line."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input, described in one sentence that names the file (and line)."""

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        where = f"{path}, line {line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")
