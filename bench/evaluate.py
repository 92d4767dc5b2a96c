"""Benchmark: `annotator evaluate` of 100,000 synthetic gold quotes over 10,000 documents, end to end
(target < 5 s on one core, README "Benchmarks").

Predictions imitate a real system: most gold quotes found with jittered
boundaries (with or without quotation marks), some with the wrong speaker, some
missed, plus false positives and overlapping tangles that need the assignment
solver (scipy). Four figures, each beside a baseline measured in the same run:

- scoring only (``evaluate`` on documents in memory), against the simplest possible
  scorer (exact span matches by set intersection): what the exact alignment and the
  full metric set cost on top of reading the spans;
- reading the two JSONL files as the command does (every line checked, every span
  against its text), against ``json.loads`` of each line and nothing else;
- the bootstrap (``--bootstrap 1000``: 1,000 resamplings of the documents, an interval for
  every figure), against the scoring it repeats;
- end to end: the command in a subprocess, ``annotator evaluate --gold G --pred P
  --json`` (start-up, reading, scoring, provenance, output), against the two baselines
  added up.

The last line is the end-to-end figure per 100,000 gold quotes.

Usage: python bench/evaluate.py [--docs N] [--quotes-per-doc K]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.evaluation import evaluate
from annotator.evaluation.uncertainty import bootstrap
from annotator.formats.jsonl import JsonlWriter, read_predictions
from annotator.model import AnnotatedDocument, Document, Quote, Span, Speaker
from annotator.session.sources import read_layer

ROOT = Path(__file__).resolve().parent.parent

SENTENCE = (
    "pemerintah akan segera menyalurkan bantuan sosial kepada masyarakat yang terdampak "
    "pandemi dan kami berharap semua pihak mendukung program ini dengan baik agar tepat sasaran"
)
WORDS = SENTENCE.split()
NAMES = [("Joko Widodo", ("Jokowi", "Presiden")), ("Sri Mulyani", ("Menkeu",)), ("Budi", ()),
         ("Ani Yudhoyono", ("Ani",)), ("Kepala Dinas", ())]  # fmt: skip
ROLES = ["Presiden Republik Indonesia", "Menteri Keuangan", "juru bicara", None]


def make_document(rnd: random.Random, doc_id: str, k: int) -> tuple[AnnotatedDocument, AnnotatedDocument]:
    parts: list[str] = []
    gold: list[Quote] = []
    pos = 0

    def add(s: str) -> tuple[int, int]:
        nonlocal pos
        parts.append(s)
        start = pos
        pos += len(s)
        return start, pos

    for _ in range(k):
        add(" ".join(rnd.choices(WORDS, k=rnd.randint(8, 30))) + ". ")
        qs, qe = add("“" + " ".join(rnd.choices(WORDS, k=rnd.randint(6, 30))) + ",”")
        cs, ce = add(" kata ")
        cs, ce = cs + 1, ce - 1
        name, aliases = rnd.choice(NAMES)
        ms, me = add(name)
        add(". ")
        gold.append((qs, qe, (cs, ce), name, aliases, (ms, me), rnd.choice(ROLES)))
    text = "".join(parts)
    gold_quotes = [
        Quote(qs, qe, text[qs:qe], type="direct", cue=Span(cs, ce, text[cs:ce]),
              speaker=Speaker(name, "person", Span(ms, me, text[ms:me]), aliases), role=role)
        for qs, qe, (cs, ce), name, aliases, (ms, me), role in gold
    ]  # fmt: skip
    pred_quotes = []
    for g in gold_quotes:
        roll = rnd.random()
        if roll < 0.1:
            continue  # missed
        s, e = g.start, g.end
        if roll < 0.5:
            s, e = s + 1, e - 2  # without the quotation marks: still exact after normalisation
        elif roll < 0.8:
            s, e = max(0, s + rnd.randint(-15, 15)), min(len(text), e + rnd.randint(-15, 15))
        if e <= s:
            s, e = g.start, g.end
        speaker = g.speaker if rnd.random() < 0.8 else Speaker(rnd.choice(NAMES)[0])
        pred_quotes.append(Quote(s, e, text[s:e], type=rnd.choice(["direct", "indirect"]),
                                 cue=g.cue if rnd.random() < 0.9 else None, speaker=speaker,
                                 role=g.role if rnd.random() < 0.7 else "juru bicara"))  # fmt: skip
        if rnd.random() < 0.1:  # a second, overlapping prediction: a tangle for the solver
            s2 = min(len(text) - 1, s + (e - s) // 2)
            e2 = min(len(text), e + 40)
            pred_quotes.append(Quote(s2, e2, text[s2:e2], type="indirect"))
    for _ in range(rnd.randint(0, 2)):  # false positives anywhere
        s = rnd.randrange(0, len(text) - 20)
        pred_quotes.append(Quote(s, s + 20, text[s : s + 20], type="indirect"))
    doc = Document(doc_id, text)
    return AnnotatedDocument(doc, gold_quotes), AnnotatedDocument(doc, pred_quotes)


def baseline(gold: list[AnnotatedDocument], pred: list[AnnotatedDocument]) -> float:
    """Exact span P/R/F1 by set intersection: the least a scorer can do."""
    by_id = {ad.document.id: ad for ad in pred}
    tp = ng = np = 0
    for ad in gold:
        g = {(q.start, q.end) for q in ad.quotes}
        other = by_id.get(ad.document.id)
        p = {(q.start, q.end) for q in other.quotes} if other else set()
        tp += len(g & p)
        ng += len(g)
        np += len(p)
    return 2 * tp / (ng + np)


def write_jsonl(path: Path, docs: list[AnnotatedDocument]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        writer = JsonlWriter(handle)
        for ad in docs:
            writer.write(ad)


def best_of(runs: int, work) -> tuple[float, object]:
    """The least wall time of ``runs`` calls, and the last call's value."""
    best, value = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        value = work()
        best = min(best, time.perf_counter() - t0)
    return best, value


def read_both(gold_path: Path, pred_path: Path) -> int:
    """The two files read as `annotator evaluate` reads them, the cyclic garbage collector paused as
    ``evaluate_sources`` pauses it; the number of predicted documents."""
    gc.disable()
    try:
        gold = read_layer(gold_path)
        return len(read_predictions(pred_path, {ad.document.id: ad.document for ad in gold}).documents)
    finally:
        gc.enable()


def json_baseline(*paths: Path) -> int:
    """Each line decoded by ``json.loads`` and nothing else: the least a reader can do."""
    n = 0
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            n += sum(1 for line in handle if json.loads(line))
    return n


def end_to_end(gold_path: Path, pred_path: Path, db: Path) -> str:
    """`annotator evaluate --json` in a subprocess, as a user runs it; what it prints."""
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(db), "evaluate", "--gold", str(gold_path),
         "--pred", str(pred_path), "--json"],
        capture_output=True, text=True, check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--quotes-per-doc", type=int, default=10)
    args = parser.parse_args()
    rnd = random.Random(7)
    pairs = [make_document(rnd, f"doc-{i:05d}", args.quotes_per_doc) for i in range(args.docs)]
    gold = [g for g, _ in pairs]
    pred = [p for _, p in pairs]
    n_gold = sum(len(g.quotes) for g in gold)
    n_pred = sum(len(p.quotes) for p in pred)
    chars = sum(len(g.document.text) for g in gold)
    print(f"documents: {len(gold):,}  gold quotes: {n_gold:,}  predicted quotes: {n_pred:,}  "
          f"text: {chars / 1e6:.1f} M characters")  # fmt: skip
    per_100k = 100_000 / n_gold

    base, base_f1 = best_of(1, lambda: baseline(gold, pred))
    score, result = best_of(3, lambda: evaluate(gold, pred))
    o = result.as_json()["overall"]
    print(f"baseline (exact spans by set intersection): {base:.3f} s, exact F1 {base_f1:.3f}")
    print(f"scoring (alignment + every metric of docs/metrics.md), best of 3: {score:.3f} s "
          f"({score / base:.1f} × baseline)")  # fmt: skip
    print(f"  exact F1 {o['quotes']['exact']['f1']:.3f}  lenient F1 {o['quotes']['lenient']['f1']:.3f}  "
          f"token F1 {o['quotes']['token']['f1']:.3f}  attribution F1 {o['attribution']['f1']:.3f}  "
          f"errors listed {len(result.errors()):,}")  # fmt: skip
    resampling, _ = best_of(1, lambda: bootstrap(result, 1000, 0))
    print(f"bootstrap of 1,000 replicates over {len(gold):,} documents: {resampling:.3f} s "
          f"({resampling / score:.1f} × scoring once)")  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        gold_path, pred_path = Path(tmp) / "gold.jsonl", Path(tmp) / "pred.jsonl"
        write_jsonl(gold_path, gold)
        write_jsonl(pred_path, pred)
        size = (gold_path.stat().st_size + pred_path.stat().st_size) / 1e6
        loads, _ = best_of(3, lambda: json_baseline(gold_path, pred_path))
        reading, _ = best_of(3, lambda: read_both(gold_path, pred_path))
        print(f"json.loads of every line ({size:.0f} MB of JSONL), best of 3: {loads:.3f} s")
        print(f"reading as the command does (every line and span checked), best of 3: {reading:.3f} s "
              f"({reading / loads:.1f} × json.loads)")  # fmt: skip
        whole, printed = best_of(3, lambda: end_to_end(gold_path, pred_path, Path(tmp) / "unused.db"))
    assert json.loads(printed)["overall"] == o, "the command scored the files differently from the documents in memory"
    print(f"end to end (annotator evaluate --json in a subprocess), best of 3: {whole:.3f} s "
          f"({whole / (loads + base):.1f} × json.loads + baseline scorer)")  # fmt: skip
    print(f"per 100,000 gold quotes: scoring {score * per_100k:.3f} s, reading {reading * per_100k:.3f} s, "
          f"end to end {whole * per_100k:.3f} s")  # fmt: skip
    print(f"target < 5 s end to end per 100,000 gold quotes: {'met' if whole * per_100k < 5 else 'NOT met'}")
    print(f"evaluate_seconds_100k: {whole * per_100k:.3f}")


if __name__ == "__main__":
    main()
