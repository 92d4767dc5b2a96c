"""``annotator evaluate --errors-json FILE``: every error as one JSON object a line (docs/metrics.md §8).

Written as an export writes a file (annotator.formats.outputs): checked before the scoring starts
(``check_file_target``, in the command), built beside FILE and renamed onto it with its record, so FILE
appears complete or not at all, and a file no earlier run wrote, or one changed since, is replaced only
with ``--force``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from annotator.evaluation import ErrorItem
from annotator.formats.outputs import ExportError, Guard, atomic_file, repair


def write_errors(path: Path, errors: Iterable[ErrorItem], width: int, guard: Guard) -> int:
    """Writes the errors with ``width`` characters of context each side; returns how many."""
    n = 0
    try:
        repair(path)
        with atomic_file(path, guard) as tmp, tmp.open("w", encoding="utf-8") as handle:
            for e in errors:
                handle.write(json.dumps(e.as_json(width), ensure_ascii=False) + "\n")
                n += 1
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}; nothing was written") from None
    return n
