"""Files for tests: write one (text or bytes, as given), and take everything under a path to compare later."""

from __future__ import annotations

import os
from pathlib import Path


def write(path: Path, content: str | bytes) -> Path:
    """``content`` at ``path`` exactly (no newline translation), its folders made as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def snapshot(path: Path) -> object:
    """Everything at ``path``: a file's bytes, or a folder's relative paths with their bytes."""
    if path.is_symlink():
        return ("link", os.readlink(path))
    if path.is_file():
        return path.read_bytes()
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p.read_bytes() if p.is_file() else None for p in path.rglob("*")}
    return None
