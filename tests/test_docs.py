"""docs/reliability.md names the test behind each promise: every test it names must exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = re.compile(r"`(?P<file>(?:\w+/)*test_\w+\.py)?(?:::(?P<test>\w+))?`")


def named_tests() -> list[tuple[str, str | None]]:
    """(test file, test name or None) for every reference; ``::name`` alone is in the file named before it."""
    found = []
    for line in (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8").splitlines():
        current = None
        for match in REFERENCE.finditer(line):
            if match["file"]:
                current = match["file"]
            if match["file"] or match["test"]:
                assert current, f"{match.group()} names no test file before it: {line}"
                found.append((current, match["test"]))
    return found


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_every_test_the_reliability_page_names_exists():
    references = named_tests()
    assert len(references) > 40
    missing = []
    for file, test in references:
        path = ROOT / "tests" / file
        if not path.exists():
            missing.append(file)
        elif test is not None and test not in defined_tests(path):
            missing.append(f"{file}::{test}")
    assert not missing, f"docs/reliability.md names tests that do not exist: {missing}"
