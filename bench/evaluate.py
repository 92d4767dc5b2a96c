"""Benchmark: score 100,000 synthetic gold quotes over 10,000 documents (target < 5 s, README "Benchmarks").

Predictions imitate a real system: most gold quotes found with jittered
boundaries (with or without quotation marks), some with the wrong speaker, some
missed, plus false positives and overlapping tangles that need the assignment
solver (scipy). The baseline, measured in the same run, is the simplest possible scorer
(exact span matches by set intersection), so the ratio says what the exact
alignment and the full metric set cost on top of reading the spans.

Usage: python bench/evaluate.py [--docs N] [--quotes-per-doc K]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.evaluation import evaluate
from annotator.model import AnnotatedDocument, Document, Quote, Span, Speaker

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

    t0 = time.perf_counter()
    base_f1 = baseline(gold, pred)
    base = time.perf_counter() - t0

    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        result = evaluate(gold, pred)
        best = min(best, time.perf_counter() - t0)
    o = result.as_json()["overall"]
    print(f"baseline (exact spans by set intersection): {base:.3f} s, exact F1 {base_f1:.3f}")
    print(f"evaluate (alignment + every metric of docs/metrics.md), best of 3: {best:.3f} s")
    print(f"  exact F1 {o['quotes']['exact']['f1']:.3f}  lenient F1 {o['quotes']['lenient']['f1']:.3f}  "
          f"token F1 {o['quotes']['token']['f1']:.3f}  attribution F1 {o['attribution']['f1']:.3f}  "
          f"errors listed {len(result.errors()):,}")  # fmt: skip
    print(f"ratio evaluate / baseline: {best / base:.1f}")
    seconds_100k = best * 100_000 / n_gold
    print(f"target < 5 s per 100,000 gold quotes: {'met' if seconds_100k < 5 else 'NOT met'}")
    print(f"evaluate_seconds_100k: {seconds_100k:.3f}")


if __name__ == "__main__":
    main()
