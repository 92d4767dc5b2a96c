"""Only annotator/tui imports Textual: the core runs (and is tested) without it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import annotator


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(annotator.__path__, "annotator."):
        if info.name.startswith("annotator.tui") or info.name == "annotator.__main__":
            continue
        names.append(info.name)
    return names


def test_core_modules_do_not_import_textual():
    modules = core_modules()
    assert "annotator.store.store" in modules and "annotator.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print('textual' in sys.modules, sorted(m for m in sys.modules if m.startswith('textual'))[:3])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("False"), out
