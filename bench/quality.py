"""Benchmark: quality of the built-in attributor, scored as docs/metrics.md defines on four gold sets.

For each set present, predicts every document with the built-in attributor,
keeps the predictions of the quote types that set annotates, scores them with
``annotator.evaluation.evaluate`` and prints the evaluation table, then a table by
construction: for each way the attributor found a speaker (its cue's construction,
annotator/attribution/constructions.py, or "continuation" for a quote carrying an
earlier quote's speaker on, "no cue"), how many quotes it proposed, how many the
attribution figure counts right (``annotator.evaluation.attribution_outcomes``), how
many it leaves out (aligned to a gold quote without a speaker) and its precision; the
rows add up to the set's attribution P. The sets:

- ``../shared/data/pfsa-id-dev.jsonl`` (Kompas, Indonesian): direct quotes of
  public figures only, so predictions are restricted to direct quotes and the
  attributor runs with ``scope="public"`` (statements of people named with a
  public role); the figure for every quotation (``scope="all"``) is printed too;
- ``../shared/data/polnear-dev-speech.jsonl`` (US news, English): quotes whose
  content carries quotation marks, so direct and mixed predictions are kept;
- ``../shared/data/polnear-dev.jsonl``: the same articles with every attribution,
  reported speech included (two thirds of them), so every type is kept;
- ``data/seeds.gold.jsonl``: every type.

Absent sets are skipped. ``--json`` prints each set's evaluation JSON with its
counts by construction under ``constructions`` (and ``constructions_by_half`` with
``--halves``). ``--halves`` also scores each set split in two by a hash of the
document ids (half A: even first byte of the SHA-256 of the id), each construction's
precision included: look at the errors of one half (``--errors N --half A``), change the rules,
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
from rich.table import Table

from annotator.attribution import RuleAttributor
from annotator.evaluation import attribution_outcomes, evaluate
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


def predict_set(path: Path, types: tuple[str, ...], scope: str, half: str | None = None):
    """The gold documents of one set (or half), each with its predictions of the set's types and
    what proposed each (``attribute_explained``), the seconds the predictions took and the
    characters they read. The halves are scored from these, not predicted again."""
    attributor = RuleAttributor(scope=scope)
    gold = [ad for _, ad in read_jsonl(path) if half is None or half_of(ad.document.id) == half]
    start = time.perf_counter()
    explained = [
        [(q, name) for q, name in attributor.attribute_explained(ad.document) if q.type in types] for ad in gold
    ]
    seconds = time.perf_counter() - start
    return list(zip(gold, explained, strict=True)), seconds, sum(len(ad.document.text) for ad in gold)


def score(items: list[tuple[AnnotatedDocument, list[tuple]]]):
    """The evaluation of predicted documents (from ``predict_set``) and their counts by construction."""
    gold = [ad for ad, _ in items]
    pred = [AnnotatedDocument(ad.document, [q for q, _ in quotes]) for ad, quotes in items]
    return evaluate(gold, pred), by_construction(items)


def halves_of(items: list[tuple[AnnotatedDocument, list[tuple]]]) -> dict[str, tuple]:
    """``score`` of each half of a set's predicted documents."""
    return {half: score([item for item in items if half_of(item[0].document.id) == half]) for half in ("A", "B")}


def by_construction(items: list[tuple[AnnotatedDocument, list[tuple]]]) -> dict[str, dict]:
    """For each construction, most proposals first: the quotes it proposed, those right (true
    positives of the attribution figure), those left out of it (aligned to a gold quote without a
    speaker) and its precision, right / (proposed − left out), so that the rows add up to the
    attribution P of the whole set."""
    counts: dict[str, dict] = {}
    for ad, quotes in items:
        outcomes = attribution_outcomes(ad.document.text, ad.quotes, [q for q, _ in quotes])
        for (_, name), outcome in zip(quotes, outcomes, strict=True):
            c = counts.setdefault(name, {"proposed": 0, "right": 0, "left_out": 0})
            c["proposed"] += 1
            c["right"] += outcome is True
            c["left_out"] += outcome is None
    for c in counts.values():
        scored = c["proposed"] - c["left_out"]
        c["precision"] = c["right"] / scored if scored else None
    return dict(sorted(counts.items(), key=lambda item: (-item[1]["proposed"], item[0])))


def construction_table(counts: dict[str, dict], halves: dict[str, dict[str, dict]]) -> Table:
    """Proposed, right, left out and precision by construction; with halves, each half's precision."""
    table = Table(
        title="by construction: attribution precision of the quotes each proposed (left out: aligned to a "
        "gold quote without a speaker)",
        title_justify="left", show_edge=False,
    )  # fmt: skip
    table.add_column("construction", no_wrap=True)
    for name in ("proposed", "right", "left out", "P", *(f"P half {h}" for h in halves)):
        table.add_column(name, justify="right")
    for name, c in counts.items():
        cells = [str(c["proposed"]), str(c["right"]), str(c["left_out"]), fmt(c["precision"])]
        cells += [fmt(part[name]["precision"]) if name in part else "—" for part in halves.values()]
        table.add_row(name, *cells)
    return table


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
        items, seconds, chars = predict_set(path, types, scope, args.half)
        result, counts = score(items)
        whole = items if args.half is None else predict_set(path, types, scope)[0]
        halves = halves_of(whole) if args.halves else {}
        console.rule(f"{name}  ({', '.join(types)}; scope {scope}; {chars / seconds / 1e6:.2f} M chars/s)")
        if args.json:
            data = {**result.as_json(), "constructions": counts}
            if halves:
                data["constructions_by_half"] = {half: run[1] for half, run in halves.items()}
            print(json.dumps(data, indent=1))
        else:
            console.print(evaluation_report(result, str(path.relative_to(ROOT.parent)), f"builtin ({scope})"))
            console.print(construction_table(counts, {half: run[1] for half, run in halves.items()}))
        if args.errors:
            console.print(errors_report(result.errors()[: args.errors]))
        h = headline(result)
        a = h["attribution"]
        print(
            f"{name}: quote lenient F1 {fmt(h['quote_lenient_f1'])} · attribution "
            f"P {fmt(a['p'])} R {fmt(a['r'])} F1 {fmt(a['f1'])} · speaker accuracy {fmt(h['speaker_accuracy'])}"
        )
        for half, run in halves.items():
            part = headline(run[0])["attribution"]
            print(f"{name} half {half}: attribution P {fmt(part['p'])} R {fmt(part['r'])} F1 {fmt(part['f1'])}")
        if name == "pfsa-id-dev":
            pfsa_f1 = a["f1"]
            every = predict_set(path, types, "all")[0]
            e = headline(score([item for item in every if args.half in (None, half_of(item[0].document.id))])[0])
            print(
                f"{name} with scope all (every quotation): quote lenient F1 {fmt(e['quote_lenient_f1'])} · "
                f"attribution F1 {fmt(e['attribution']['f1'])}"
            )
            if args.halves:
                for half, run in halves_of(every).items():
                    part = headline(run[0])["attribution"]
                    print(f"{name} with scope all, half {half}: attribution F1 {fmt(part['f1'])}")
    print(f"pfsa_dev_attribution_f1: {fmt(pfsa_f1) if pfsa_f1 is not None else 'null'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
