"""What produced an evaluation's figures, for its JSON (docs/metrics.md §8 "Provenance"): the scorer and
its version, the settings that change figures, the inputs (a file's SHA-256, or a name in a database)
and the time. Built here, beside the sources, so the scorer in ``annotator.evaluation`` stays a pure
function of its documents."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator import __version__
from annotator.formats.errors import InputError
from annotator.formats.outputs import digest
from annotator.session.sources import Database, is_file_source

# The options of `annotator evaluate` (their click parameter names) that change its figures: recorded
# with their values, so a published figure says how it was computed. A new such option adds its name.
FIGURE_SETTINGS = ("all_documents", "by", "replicates", "seed")


def evaluation_settings(params: Mapping[str, Any]) -> dict[str, Any]:
    """The figure-changing options among a command's parameters (click's ``ctx.params``), by name."""
    return {name: params[name] for name in FIGURE_SETTINGS if name in params}


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as ``sha256sum`` prints it."""
    try:
        return digest(path)
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None


def source_input(value: str, database: Database, gold: bool) -> dict[str, Any]:
    """One side of a comparison as provenance: a file and its SHA-256, or an annotator or run and its
    database (the gold side is always an annotator; the predictions are a run, else an annotator)."""
    if is_file_source(value):
        return {"file": value, "sha256": file_sha256(Path(value))}
    kind = "run" if not gold and database.store.has_run(value) else "annotator"
    return {kind: value, "database": database.name}


def scoring_time() -> str:
    """Now, in UTC to the second; or ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention),
    so a pipeline that archives its figures can make the JSON byte for byte the same on every run."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise InputError(Path("SOURCE_DATE_EPOCH"), f"is {epoch!r}, not a number of seconds since 1970") from None
    else:
        moment = datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def provenance(gold: str, pred: str, database: Database, settings: Mapping[str, Any]) -> dict[str, Any]:
    """The ``provenance`` object of ``annotator evaluate --json``, stamped with :func:`scoring_time`."""
    return {
        "scorer": {"name": "annotator", "version": __version__},
        "settings": dict(settings),
        "inputs": {"gold": source_input(gold, database, gold=True), "pred": source_input(pred, database, gold=False)},
        "time": scoring_time(),
    }
