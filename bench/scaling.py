"""Benchmark: costs that must grow linearly with the input, each timed at n, 2n and 4n (target < 2.5).

(a) storing n predicted quotes with speakers on one document through the Store
(a temporary database); (b) clustering the speakers of a document with n
mentions (n/4 distinct people, each named in full, then by surname, then by a
pronoun); (c) pre-annotating pathological text of n characters: runs of
quotation marks, capitals, dots, cue words (``He said, "``, ``kata X, "``), in
English and Indonesian; (d) aligning n gold quotes against n predicted ones in
one chain of overlaps, and tangles where 10 gold quotes overlap 100 predicted
ones each. The baseline of each line is its own time at n, measured in the same run:
the ratio per doubling is 2 when the cost is linear, 4 when it is quadratic.
Also times one dense tangle of 1,000 gold against 10,000, then 100,000 long predicted quotes.

Usage: python bench/scaling.py [--scale X]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.attribution import RuleAttributor
from annotator.evaluation.align import align
from annotator.model import AnnotatedDocument, Document, Quote, Span, Speaker
from annotator.store import Store

FIRST = ["Joko", "Sri", "Budi", "Ani", "Retno", "Bambang", "Dewi", "Agus", "Siti", "Hendra"]
SYLLABLES = ["ka", "ri", "mo", "tu", "se", "na", "wi", "do", "la", "gu", "pe", "ro"]


def surname(k: int) -> str:
    """A distinct capitalised surname per k (Kamotu, Rinase, ...)."""
    parts = []
    while True:
        parts.append(SYLLABLES[k % len(SYLLABLES)])
        k //= len(SYLLABLES)
        if not k:
            break
    return ("".join(parts) + "wan").capitalize()


def store_quotes(n: int) -> float:
    """Seconds to save n quotes (n/2 distinct speakers, each with aliases and a mention) on one document."""
    unit = "Budi Santoso berkata bahwa harga naik. "
    text = unit * n
    quotes = []
    for i in range(n):
        s = i * len(unit)
        name = f"{FIRST[i % len(FIRST)]} {surname(i // 2)}"
        quotes.append(Quote(s + 21, s + 38, text[s + 21 : s + 38], type="indirect",
                            cue=Span(s + 13, s + 19, text[s + 13 : s + 19]),
                            speaker=Speaker(name, "person", Span(s, s + 12, text[s : s + 12]),
                                            (name.split()[1],))))  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "scaling.db")
        store.import_documents([("bench", AnnotatedDocument(Document("doc", text), []))])
        t0 = time.process_time()
        store.save_predictions("bench", "doc", quotes)
        seconds = time.process_time() - t0
        store.close()
    return seconds


def cluster_speakers(n: int) -> float:
    """Seconds to attribute a text with n mentions of n/4 people (full name, surname, pronoun)."""
    parts = []
    for k in range(max(1, n // 4)):
        full, last = f"{FIRST[k % len(FIRST)]} {surname(k)}", surname(k)
        parts.append(f'"Kami akan bekerja keras," kata {full}. "Harga harus turun," ujar {last}. '
                     f'Ia menambahkan, "Semua siap." "Tidak ada masalah," katanya.\n')  # fmt: skip
    text = "".join(parts)
    return _attribute(text, "id")


def _attribute(text: str, language: str) -> float:
    attributor = RuleAttributor(language)
    t0 = time.process_time()
    attributor.attribute(Document("bench", text))
    return time.process_time() - t0


PATHOLOGICAL = [  # (what, repeated unit, language, n: large enough to time, small enough to be quick)
    ("quotation marks", '"', "id", 100_000),
    ("curly marks", "“”„", "id", 100_000),
    ("capitals", "ABCDEFGH IJKL ", "en", 1_000_000),
    ("capitalised words", "Joko Widodo Sri Mulyani ", "id", 1_000_000),
    ("dots", ".", "en", 500_000),
    ("initials", "A. B. ", "en", 200_000),
    ('He said, "', 'He said, "', "en", 30_000),
    ('kata X, "', 'kata Budi, "', "id", 60_000),
    ("cue words", "said told ", "en", 60_000),
]


def align_chain(n: int) -> float:
    """Seconds to align n gold quotes with n predictions, each overlapping its own and the next
    gold quote: one component n long, with a bonus (the evaluation's "right speaker")."""
    rnd = random.Random(n)
    gold = [(100 * i, 100 * i + 90) for i in range(n)]
    pred = [(s + rnd.randint(-5, 5), e + rnd.randint(15, 40)) for s, e in gold]
    t0 = time.process_time()
    align(gold, pred, lambda i, j: (i + j) % 3 == 0)
    return time.process_time() - t0


def align_tangles(n: int) -> float:
    """Seconds to align n/11 gold and 10n/11 predicted quotes in tangles of 10 × 100."""
    rnd = random.Random(n)
    gold, pred = [], []
    for t in range(max(1, n // 110)):
        base = t * 10_000
        gold += [(base + 500 * g, base + 500 * g + 600) for g in range(10)]
        pred += [(base + rnd.randrange(0, 5000), base + 5000 + rnd.randrange(0, 600)) for _ in range(100)]
    t0 = time.process_time()
    align(gold, pred)
    return time.process_time() - t0


def dense_tangle(n_pred: int) -> float:
    """Seconds to align 1,000 gold against ``n_pred`` long predicted quotes that nearly all overlap,
    with a bonus (the evaluation's "right speaker")."""
    rnd = random.Random(1)
    gold = [(s, s + rnd.randint(300, 600)) for s in (rnd.randrange(0, 1000) for _ in range(1000))]
    pred = [(s, s + rnd.randint(300, 600)) for s in (rnd.randrange(0, 1000) for _ in range(n_pred))]
    t0 = time.process_time()
    align(gold, pred, lambda i, j: (i + j) % 3 == 0)
    return time.process_time() - t0


def timed(fn, n: int) -> float:
    """One run, with the cyclic garbage collector paused as timeit does: its passes over every
    live object would add a cost that depends on the heap, not on the input."""
    gc.collect()
    gc.disable()
    try:
        return fn(n)
    finally:
        gc.enable()


def best_of(fn, sizes: tuple[int, ...]) -> list[float]:
    """The fastest run at each size, the sizes taken in turn (at least three rounds, more until
    0.5 s was spent on each), so a busy spell of a shared machine falls on all of them."""
    runs: list[list[float]] = [[] for _ in sizes]
    while len(runs[0]) < 3 or min(sum(r) for r in runs) < 0.5:
        for k, n in zip(sizes, runs, strict=True):
            n.append(timed(fn, k))
    return [min(r) for r in runs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every n by this")
    args = parser.parse_args()
    cases = [
        ("(a) store quotes with speakers", store_quotes, 4_000),
        ("(b) cluster speakers (mentions)", cluster_speakers, 2_000),
    ]
    for label, unit, language, size in PATHOLOGICAL:
        cases.append((f"(c) pre-annotate {label} ({language}, chars)",
                      lambda n, u=unit, lang=language: _attribute((u * (n // len(u) + 1))[:n], lang),
                      size))
    cases += [
        ("(d) align one chain of overlaps (quotes)", align_chain, 30_000),
        ("(d) align tangles of 10 x 100 (quotes)", align_tangles, 22_000),
    ]
    worst = 0.0
    print(f"{'case':48} {'n':>8} {'t(n) s':>8} {'t(2n) s':>8} {'t(4n) s':>8}  ratios per doubling")
    for label, fn, n in cases:
        n = max(1, int(n * args.scale))
        times = best_of(fn, (n, 2 * n, 4 * n))
        ratios = [times[1] / times[0], times[2] / times[1]]
        worst = max(worst, *ratios)
        print(f"{label:48} {n:>8,} {times[0]:8.3f} {times[1]:8.3f} {times[2]:8.3f}  "
              f"{ratios[0]:.2f} {ratios[1]:.2f}")  # fmt: skip
    for n_pred in (10_000, 100_000):
        print(f"dense tangle, 1,000 gold x {n_pred:,} predicted quotes: {dense_tangle(n_pred):.2f} s")
    print(f"worst_doubling_ratio: {worst:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
