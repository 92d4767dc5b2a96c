"""The constructions table (annotator/attribution/constructions.py) and the linguists' cases agree:
every construction of the table has a case, and every case names a construction of the table.

Two labels of the cases are no construction of the table, on purpose: "direct quote with marks"
(what a quotation mark does and does not open: marks.py and the direct stage, whatever attributes
the quote) and "colon frame" (X: “…”: a cue before the colon is its own construction, taken by the
direct stage as the cue before the quote; a bare name before a colon has no cue event, and no class).
"""

from __future__ import annotations

import json
from pathlib import Path

import regex

from annotator.attribution.constructions import CONSTRUCTIONS, Construction
from annotator.attribution.kinds import CueKind
from tests.attribution.test_cases import NOT_IN_THE_TABLE

CASES = Path(__file__).parent / "cases"


def case_labels() -> set[str]:
    labels = set()
    for path in sorted(CASES.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                labels.add(json.loads(line)["construction"])
    return labels


def test_every_construction_of_the_table_has_a_case() -> None:
    table = {c.label for c in CONSTRUCTIONS.values()}
    assert table <= case_labels(), sorted(table - case_labels())


def test_every_case_names_a_construction_of_the_table() -> None:
    table = {c.label for c in CONSTRUCTIONS.values()}
    assert not table & NOT_IN_THE_TABLE
    assert case_labels() <= table | NOT_IN_THE_TABLE, sorted(case_labels() - table - NOT_IN_THE_TABLE)


def test_the_table_has_one_construction_per_kind() -> None:
    assert set(CONSTRUCTIONS) == set(CueKind)
    for kind, construction in CONSTRUCTIONS.items():
        assert isinstance(construction, Construction) and construction.kind is kind
        assert construction.__doc__ and construction.__doc__.strip(), f"{kind}: no docstring with examples"


def _case_texts() -> list[str]:
    return [
        " ".join(json.loads(line)["text"].split())
        for path in sorted(CASES.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _holds(text: str, parts: list[str]) -> bool:
    at = 0
    for part in parts:
        at = text.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def test_every_example_of_a_construction_docstring_is_a_case() -> None:
    """The docstrings' examples (in *italics*; ``…`` leaves words out) are in the cases' texts, so
    no example goes untested."""
    texts = _case_texts()
    missing = []
    for construction in CONSTRUCTIONS.values():
        for example in regex.findall(r"(?<![*\w])\*([^*\s][^*]*?)\*(?![*\w])", type(construction).__doc__):
            parts = [" ".join(p.split()) for p in example.split("…") if p.strip()]
            if not any(_holds(text, parts) for text in texts):
                missing.append(f"{construction.label}: {example!r}")
    assert not missing, missing
