"""The documentation is tested against the code, as sqlite-utils tests its docs: the README's tables
(commands, CSV columns, lexicon keys) list exactly what the code has; docs/reliability.md names tests
that exist; every worked example of docs/metrics.md gives the figures it states, and every figure has
one; every long function of the package says why it is written so."""

from __future__ import annotations

import ast
import io
import json
import re
from importlib import resources
from pathlib import Path

from annotator.attribution.lexicon import Lexicon, available_languages
from annotator.cli import cli
from annotator.evaluation import Counts, evaluate
from annotator.evaluation.report import fmt
from annotator.formats.csv import CsvWriter
from annotator.formats.jsonl import parse_document
from annotator.model import AnnotatedDocument, Owner
from tests.support.paths import ROOT

README = ROOT / "README.md"
REFERENCE = re.compile(r"`(?P<file>(?:\w+/)*test_\w+\.py)?(?:::(?P<test>\w+))?`")
CELL_BORDER = re.compile(r"(?<!\\)\|")  # a cell holding `a\|b` keeps its escaped bar
CODE = re.compile(r"`([^`]+)`")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
LONG_FUNCTION = 40  # lines, from ``def`` to the end of the body


# --- the README's tables -------------------------------------------------------------------


def readme_table(heading: str) -> list[list[str]]:
    """The body rows (as lists of cells) of the first table under the README heading ``heading``."""
    lines = README.read_text(encoding="utf-8").splitlines()
    assert heading in lines, f"README.md has no heading {heading!r}"
    rows: list[list[str]] = []
    for line in lines[lines.index(heading) + 1 :]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            rows.append([cell.strip() for cell in CELL_BORDER.split(line.strip())[1:-1]])
        elif rows:
            break
    assert len(rows) > 2 and set(rows[1][0]) <= set("-: "), f"README.md has no table under {heading!r}"
    return rows[2:]  # past the header and its rule


def names_in(cell: str) -> list[str]:
    """The names a cell lists: each piece of code in it (```a`, `b` `` gives a and b)."""
    return [name.replace("\\|", "|") for name in CODE.findall(cell)]


def mismatch(table: str, documented: list[str], actual: list[str], source: str) -> str:
    """An empty string when both lists hold the same names, else which rows are missing, extra or repeated."""
    missing = [n for n in actual if n not in documented]
    extra = [n for n in documented if n not in actual]
    repeated = sorted({n for n in documented if documented.count(n) > 1})
    parts = []
    if missing:
        parts.append(f"no row for {missing} (in {source})")
    if extra:
        parts.append(f"rows for {extra}, not in {source}")
    if repeated:
        parts.append(f"more than one row for {repeated}")
    return f"README.md's {table} table: {'; '.join(parts)}" if parts else ""


def test_readme_commands_table_lists_every_command_and_only_their_options():
    by_command: dict[str, str] = {}
    documented = []
    for row in readme_table("## Commands"):
        usage = names_in(row[0])[0].split()
        assert usage[0] == "annotator" and len(usage) > 1, f"README.md's commands table: {row[0]} is no command"
        documented.append(usage[1])
        by_command[usage[1]] = " ".join(row)
    problem = mismatch("commands", documented, list(cli.commands), "annotator/cli.py")
    assert not problem, problem
    wrong = []
    for name, row in by_command.items():
        command = cli.commands[name]
        known = {opt for param in [*cli.params, *command.params] for opt in (*param.opts, *param.secondary_opts)}
        wrong += [f"{name} {opt}" for opt in OPTION.findall(row) if opt not in known]
    assert not wrong, f"README.md's commands table names options the commands do not have: {wrong}"


def test_readme_csv_columns_table_lists_the_columns_the_csv_export_writes_in_order():
    handle = io.StringIO()
    CsvWriter(handle, Owner.run("r"))
    written = handle.getvalue().splitlines()[0].split(",")
    documented = [name for row in readme_table("#### CSV columns") for name in names_in(row[0])]
    source = "the header the CSV export writes (annotator/formats/csv.py)"
    problem = mismatch("CSV columns", documented, written, source)
    assert not problem, problem
    assert documented == written, f"README.md's CSV columns table is not in the written order: {written}"


class _RecordingDict(dict):
    """A lexicon file's data that notes every key the loader reads."""

    def __init__(self, data: dict):
        super().__init__(data)
        self.read: list[str] = []

    def __getitem__(self, key):
        self.read.append(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.append(key)
        return super().get(key, default)


def test_readme_lexicon_table_lists_the_keys_the_loader_reads_and_every_lexicon_file_has():
    documented = [name for row in readme_table("#### Attributor lexicons") for name in names_in(row[0])]
    folder = resources.files("annotator.attribution") / "lexicons"
    for language in available_languages():
        data = _RecordingDict(json.loads((folder / f"{language}.json").read_text(encoding="utf-8")))
        Lexicon.from_json(data)
        read = list(dict.fromkeys(data.read))
        source = "the keys Lexicon.from_json reads (annotator/attribution/lexicon.py)"
        problem = mismatch("lexicon keys", documented, read, source)
        assert not problem, problem
        problem = mismatch("lexicon keys", documented, list(data), f"lexicons/{language}.json")
        assert not problem, problem


# --- links and citations ------------------------------------------------------------------

LINK = re.compile(r"\]\((?!https?:|#)([^)#\s]+)")
DESIGN_CITATION = re.compile(r"\bDESIGN\b")


def test_every_file_the_readme_and_docs_link_to_exists():
    broken = []
    for page in [README, *sorted((ROOT / "docs").glob("*.md"))]:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken, f"links to files that do not exist: {broken}"


def test_nothing_cites_the_design_file_users_do_not_have():
    """Users have the repository, not the project's design notes: code and docs cite docs/*.md."""
    citing = []
    for folder in ("annotator", "tests", "bench", "docs", "data"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".py", ".md", ".toml", ".tcss") or path == Path(__file__).resolve():
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if DESIGN_CITATION.search(line):
                    citing.append(f"{path.relative_to(ROOT)}:{n}")
    readme = README.read_text(encoding="utf-8").splitlines()
    citing += [f"README.md:{n}" for n, line in enumerate(readme, 1) if DESIGN_CITATION.search(line)]
    assert not citing, f"these lines cite DESIGN; cite the docs/ page instead: {citing}"


# --- docs/reliability.md ---------------------------------------------------------------------


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


# --- docs/metrics.md: the worked examples --------------------------------------------------

METRICS = ROOT / "docs" / "metrics.md"
# ```json metrics-example
# {"text": …, "gold": [quotes], "pred": [quotes], "expected": {part of the --json object}}
# ```
# or {"documents": [{"id", "text", "gold", "pred"}, …], "expected": …} for several documents. Quotes
# are in the interchange format and are read by the JSONL reader, so its defaults apply too.
METRICS_EXAMPLE = re.compile(r"^```json metrics-example\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def metrics_examples() -> list[tuple[int, dict]]:
    """(line, example) for every worked example of docs/metrics.md."""
    page = METRICS.read_text(encoding="utf-8")
    found = []
    for match in METRICS_EXAMPLE.finditer(page):
        line = page.count("\n", 0, match.start()) + 1
        try:
            found.append((line, json.loads(match[1])))
        except json.JSONDecodeError as exc:
            raise AssertionError(f"docs/metrics.md:{line}: the example is not valid JSON ({exc})") from None
    return found


def example_layers(example: dict) -> tuple[list[AnnotatedDocument], list[AnnotatedDocument]]:
    """The gold and predicted documents of an example, each read as a line of a JSONL file."""
    gold, pred = [], []
    for n, doc in enumerate(example.get("documents") or [example], 1):
        doc_id = doc.get("id", f"doc{n}")
        gold.append(parse_document({"id": doc_id, "text": doc["text"], "quotes": doc["gold"]}))
        pred.append(parse_document({"id": doc_id, "text": doc["text"], "quotes": doc["pred"]}))
    return gold, pred


def differences(expected, actual, path: str = "") -> list[str]:
    """Where ``actual`` (the --json object) differs from the part of it an example states. A figure
    is compared as the tables print it (three decimals, `—` for null); a count exactly."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: {actual!r} is no object"]
        out = []
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: no such key")
            else:
                out += differences(value, actual[key], f"{path}.{key}" if path else key)
        return out
    if isinstance(actual, float) or (expected is None) != (actual is None):
        same = isinstance(expected, int | float | None) and fmt(expected) == fmt(actual)
    else:
        same = expected == actual
    return [] if same else [f"{path}: the page says {expected!r}, the code gives {actual!r}"]


def figure_paths(expected: dict, prefix: str = "") -> set[str]:
    """The figures an example states under ``overall`` (``quotes.exact``, ``attribution``, …)."""
    paths = set()
    for key, value in expected.items():
        if key == "counts":
            continue
        path = f"{prefix}.{key}" if prefix else key
        paths.add(path)
        if isinstance(value, dict) and not {"p", "r", "f1"} & set(value):
            paths |= figure_paths(value, path)
    return paths


def test_every_worked_example_of_the_metrics_page_gives_the_figures_it_states():
    examples = metrics_examples()
    assert len(examples) > 10, "docs/metrics.md has lost its worked examples"
    wrong = []
    for line, example in examples:
        gold, pred = example_layers(example)
        actual = evaluate(gold, pred).as_json()
        wrong += [f"docs/metrics.md:{line}: {d}" for d in differences(example["expected"], actual)]
    assert not wrong, "worked examples that the code does not reproduce:\n" + "\n".join(wrong)


def test_every_figure_of_the_evaluation_has_a_worked_example():
    figures = Counts().as_json()
    wanted = {f"quotes.{name}" for name in figures["quotes"]} | {k for k in figures if k not in ("counts", "quotes")}
    stated = set()
    for _, example in metrics_examples():
        stated |= figure_paths(example["expected"].get("overall", {}))
    missing = sorted(wanted - stated)
    assert not missing, f"docs/metrics.md has no worked example stating {missing}"


# --- docstrings ----------------------------------------------------------------------------


def long_functions_without_docstring() -> list[str]:
    """``path:line name (n lines)`` of every function of the package longer than LONG_FUNCTION lines
    that has no docstring, nested functions and methods included."""
    found = []
    for path in sorted((ROOT / "annotator").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = node.end_lineno - node.lineno + 1
            if length > LONG_FUNCTION and ast.get_docstring(node) is None:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_every_long_function_says_why_in_a_docstring():
    missing = long_functions_without_docstring()
    assert not missing, (
        f"functions over {LONG_FUNCTION} lines need a docstring saying why they are written so: {missing}"
    )
