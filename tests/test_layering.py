"""Only annotator/tui imports Textual: the core runs (and is tested) without it.

No module uses another's private names, so each can change its insides alone.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

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


def private_names_defined(tree: ast.Module) -> set[str]:
    """The ``_names`` a module defines itself: functions, classes, variables and attributes it assigns."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            names.add(node.id if isinstance(node, ast.Name) else node.attr)
        elif isinstance(node, ast.alias) and node.asname:
            names.add(node.asname)
    return {name for name in names if name.startswith("_")}


def foreign_private_uses(path: Path) -> list[tuple[int, str]]:
    """Where a module uses a ``_name`` that another module defines: imported, or read off an object."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    own = private_names_defined(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found += [(node.lineno, f"imports {a.name}") for a in node.names if is_private(a.name)]
        elif isinstance(node, ast.Attribute) and is_private(node.attr) and node.attr not in own:
            found.append((node.lineno, f"uses .{node.attr}"))
    return found


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")


# Left to other work: none now (the attributor's MentionParser.accept is public since issue 11).
LEFT_TO_OTHER_WORK: set[str] = set()


def test_no_module_uses_another_modules_private_names():
    """A ``_name`` is free to change with its module: no other module of the package may depend on it."""
    package = Path(annotator.__file__).parent
    found = [
        f"{path.relative_to(package).as_posix()}:{line} {what}"
        for path in sorted(package.rglob("*.py"))
        for line, what in foreign_private_uses(path)
        if f"{path.relative_to(package).as_posix()} {what}" not in LEFT_TO_OTHER_WORK
    ]
    assert not found, "\n".join(found)


def test_evaluate_of_two_files_loads_neither_sqlite_utils_nor_the_attributor_nor_scipy(tmp_path):
    """Start-up is part of the 5 s of issue 14 (item 7): scoring two JSONL files without a tangle opens no
    database and runs no attributor, so sqlite-utils, the attribution rules and scipy stay unloaded."""
    line = ('{"id": "a", "text": "“Ya,” kata Budi.", '
            '"quotes": [{"start": 0, "end": 5, "text": "“Ya,”", "speaker": "Budi"}]}\n')  # fmt: skip
    gold = tmp_path / "gold.jsonl"
    gold.write_text(line, encoding="utf-8")
    code = (
        "import sys\n"
        "from annotator.cli import cli\n"
        f"sys.argv = ['annotator', '--db', {str(tmp_path / 'unused.db')!r}, 'evaluate', '--gold', {str(gold)!r}, "
        f"'--pred', {str(gold)!r}, '--json']\n"
        "try:\n"
        "    cli()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('sqlite_utils', 'scipy', 'textual', 'annotator.attribution')\n"
        "print(sorted({m for m in sys.modules for h in heavy if m == h or m.startswith(h + '.')}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]", done.stdout[-500:] + done.stderr
    assert not (tmp_path / "unused.db").exists()
