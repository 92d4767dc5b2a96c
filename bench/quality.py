"""Benchmark: quality of the built-in attributor, scored as docs/metrics.md defines on four gold sets.

For each set present, predicts every document with the built-in attributor,
keeps the predictions of the quote types that set annotates, scores them with
``annotator.evaluation.evaluate`` and prints the evaluation table:

- ``../shared/data/pfsa-id-dev.jsonl`` (Kompas, Indonesian): direct quotes of
  public figures only, so predictions are restricted to direct quotes and the
  attributor runs with ``scope="public"`` (statements of people named with a
  public role); the figure for every quotation (``scope="all"``) is printed too;
- ``../shared/data/polnear-dev-speech.jsonl`` (US news, English): quotes whose
  content carries quotation marks, so direct and mixed predictions are kept;
- ``../shared/data/polnear-dev.jsonl``: the same articles with every attribution,
  reported speech included (two thirds of them), so every type is kept;
- ``data/seeds.gold.jsonl``: every type.

Absent sets are skipped. ``--halves`` also scores each set split in two by a
hash of the document ids (half A: even first byte of the SHA-256 of the id):
look at the errors of one half (``--errors N --half A``), change the rules,
and check that the other half moves the same way, an honest guess of the
figures on articles nobody here has seen. Ends with
``pfsa_dev_attribution_f1: <value>``.

Usage: python bench/quality.py [--json] [--errors N] [--halves] [--half A|B]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console

from annotator.attribution import RuleAttributor
from annotator.evaluation import evaluate
from annotator.evaluation.report import errors_report, evaluation_report
from annotator.formats.jsonl import read_jsonl
from annotator.model import AnnotatedDocument

SHARED = ROOT.parent / "shared" / "data"
SETS = [
    # name, path, quote types the set annotates, attributor scope
    ("pfsa-id-dev", SHARED / "pfsa-id-dev.jsonl", ("direct",), "public"),
    ("polnear-dev-speech", SHARED / "polnear-dev-speech.jsonl", ("direct", "mixed"), "all"),
    ("polnear-dev", SHARED / "polnear-dev.jsonl", ("direct", "indirect", "mixed"), "all"),
    ("seeds", ROOT / "data" / "seeds.gold.jsonl", ("direct", "indirect", "mixed"), "all"),
]


def half_of(doc_id: str) -> str:
    """A or B, fixed by the document id: a reproducible split for held-out estimates."""
    return "A" if hashlib.sha256(doc_id.encode("utf-8")).digest()[0] % 2 == 0 else "B"


def run_set(path: Path, types: tuple[str, ...], scope: str, half: str | None = None):
    attributor = RuleAttributor(scope=scope)
    gold = [ad for _, ad in read_jsonl(path) if half is None or half_of(ad.document.id) == half]
    start = time.perf_counter()
    pred = [
        AnnotatedDocument(ad.document, [q for q in attributor.attribute(ad.document) if q.type in types])
        for ad in gold
    ]
    seconds = time.perf_counter() - start
    return evaluate(gold, pred), seconds, sum(len(ad.document.text) for ad in gold)


def headline(result) -> dict:
    c = result.as_json()["overall"]
    return {
        "quote_lenient_f1": c["quotes"]["lenient"]["f1"],
        "attribution": c["attribution"],
        "speaker_accuracy": c["speaker_accuracy"],
    }


def fmt(x) -> str:
    return "—" if x is None else f"{x:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the evaluation JSON of each set")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="list the first N errors of each set")
    parser.add_argument("--halves", action="store_true", help="also score each half of each set (by document id)")
    parser.add_argument("--half", choices=("A", "B"), help="score (and list errors of) one half only")
    args = parser.parse_args()
    console = Console(highlight=False)
    pfsa_f1 = None
    for name, path, types, scope in SETS:
        if not path.exists():
            console.print(f"[dim]{name}: {path} is absent, skipped[/dim]")
            continue
        result, seconds, chars = run_set(path, types, scope, args.half)
        console.rule(f"{name}  ({', '.join(types)}; scope {scope}; {chars / seconds / 1e6:.2f} M chars/s)")
        if args.json:
            print(json.dumps(result.as_json(), indent=1))
        else:
            console.print(evaluation_report(result, str(path.relative_to(ROOT.parent)), f"builtin ({scope})"))
        if args.errors:
            console.print(errors_report(result.errors()[: args.errors]))
        h = headline(result)
        a = h["attribution"]
        print(
            f"{name}: quote lenient F1 {fmt(h['quote_lenient_f1'])} · attribution "
            f"P {fmt(a['p'])} R {fmt(a['r'])} F1 {fmt(a['f1'])} · speaker accuracy {fmt(h['speaker_accuracy'])}"
        )
        if args.halves:
            for half in ("A", "B"):
                part = headline(run_set(path, types, scope, half)[0])["attribution"]
                print(f"{name} half {half}: attribution P {fmt(part['p'])} R {fmt(part['r'])} F1 {fmt(part['f1'])}")
        if name == "pfsa-id-dev":
            pfsa_f1 = a["f1"]
            every, _, _ = run_set(path, types, "all", args.half)
            e = headline(every)
            print(
                f"{name} with scope all (every quotation): quote lenient F1 {fmt(e['quote_lenient_f1'])} · "
                f"attribution F1 {fmt(e['attribution']['f1'])}"
            )
            if args.halves:
                for half in ("A", "B"):
                    part = headline(run_set(path, types, "all", half)[0])["attribution"]
                    print(f"{name} with scope all, half {half}: attribution F1 {fmt(part['f1'])}")
    print(f"pfsa_dev_attribution_f1: {fmt(pfsa_f1) if pfsa_f1 is not None else 'null'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
