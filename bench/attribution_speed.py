"""Benchmark: throughput of the built-in attributor on one core (target ≥ 2.5 MB/s, README "Benchmarks").

Runs the attributor over every document of the dev sets (``../shared/data``:
pfsa-id-dev, polnear-dev-speech, polnear-dev; and ``data/seeds.gold.jsonl``),
pinned to one CPU, and reports MB of UTF-8 text per CPU second of this
process (the headline; a shared machine slows the wall clock, not that) and
per wall-clock second, best of ``--repeat`` passes. The baseline, measured in the
same run over the same texts, is the naive attributor the issue describes:
pair quotation marks and take the capitalised words after a cue word. The
ratio says what the full rules cost on top of that.

``--jobs N`` also runs ``annotator attribute``'s work (session/attribute.py: the JSONL files read,
attributed, written) with one worker and with N, unpinned, alternating, best of ``--repeat``, and ends
with ``attribution_jobs_ratio: <wall clock with 1 / wall clock with N>`` instead (target ≥ 1.8 with 2
jobs on 2 cores; other processes on the machine lower it).

Usage: python bench/attribution_speed.py [--repeat N] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.attribution import RuleAttributor
from annotator.formats.jsonl import read_jsonl
from annotator.formats.outputs import Guard
from annotator.session.attribute import AttributeOptions, attribute_file

SHARED = ROOT.parent / "shared" / "data"
FILES = [
    SHARED / "pfsa-id-dev.jsonl",
    SHARED / "polnear-dev-speech.jsonl",
    SHARED / "polnear-dev.jsonl",
    ROOT / "data" / "seeds.gold.jsonl",
]

_NAIVE_QUOTE = regex.compile(r"[“”\"][^“”\"\n]{1,2000}[“”\"]")
_NAIVE_CUE = regex.compile(
    r"(?<!\p{L})(?:kata|ujar|tutur|ucap|said|says|told)(?!\p{L})[ \t]+((?:\p{Lu}\p{L}*[ \t]*){1,4})"
)


def naive(text: str) -> list[tuple[int, int, str | None]]:
    """Quotation-mark pairs, each with the capitalised words after the next cue word."""
    out = []
    for m in _NAIVE_QUOTE.finditer(text):
        cue = _NAIVE_CUE.search(text, m.end(), min(len(text), m.end() + 80))
        out.append((m.start(), m.end(), cue.group(1).strip() if cue else None))
    return out


def best_of(repeat: int, fn) -> tuple[float, float]:
    """The fastest pass in CPU seconds of this process and in wall-clock seconds."""
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes; the fastest counts")
    parser.add_argument("--jobs", type=int, help="also compare annotator attribute with 1 and N worker processes")
    args = parser.parse_args()
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_setaffinity") else None
    if cores is not None:
        os.sched_setaffinity(0, {min(cores)})
    docs = []
    for path in FILES:
        if path.exists():
            docs += [ad.document for _, ad in read_jsonl(path)]
            print(f"read {path.relative_to(ROOT.parent)}")
        else:
            print(f"{path} is absent, skipped")
    if not docs:
        print("attribution_mb_per_s: null")
        return 1
    mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    attributor = RuleAttributor()
    for d in docs[:10]:  # warm up: lexicons and patterns load once
        attributor.attribute(d)
    quotes = sum(len(attributor.attribute(d)) for d in docs)
    rules, rules_wall = best_of(args.repeat, lambda: [attributor.attribute(d) for d in docs])
    base, _ = best_of(args.repeat, lambda: [naive(d.text) for d in docs])
    print(f"{len(docs)} documents, {mb:.2f} MB of text, {quotes} quotes found")
    print(
        f"built-in attributor: {rules:.2f} CPU s -> {mb / rules:.2f} MB/s; "
        f"wall clock {rules_wall:.2f} s -> {mb / rules_wall:.2f} MB/s (one core, best of {args.repeat})"
    )
    print(f"naive baseline (mark pairs + words after a cue): {base:.3f} CPU s -> {mb / base:.1f} MB/s")
    print(f"ratio built-in / baseline throughput: {base / rules:.3f}")
    if args.jobs is None:
        # CPU time of this process: what one core does, whatever else the machine runs meanwhile
        print(f"attribution_mb_per_s: {mb / rules:.2f}")
        return 0
    if cores is not None:
        os.sched_setaffinity(0, cores)
    best = jobs_wall_clock(args.jobs, args.repeat)
    (one, one_cpu), (many, many_cpu) = best[1], best[args.jobs]
    print(f"annotator attribute, wall clock (best of {args.repeat}, alternating): 1 job {one:.2f} s -> "
          f"{mb / one:.2f} MB/s; {args.jobs} jobs {many:.2f} s -> {mb / many:.2f} MB/s "
          f"({len(cores or ())} cores; load average {os.getloadavg()[0]:.1f})")
    # What the workers cost on top of the work, whatever else runs: the ratio an idle machine would give
    print(f"CPU seconds of those passes: 1 job {one_cpu:.2f}, {args.jobs} jobs {many_cpu:.2f} (workers included); "
          f"speed-up they allow on {args.jobs} idle cores: {args.jobs * one_cpu / many_cpu:.2f}")
    print(f"attribution_jobs_ratio: {one / many:.2f}")
    return 0


def jobs_wall_clock(jobs: int, repeat: int) -> dict[int, tuple[float, float]]:
    """For 1 worker and for ``jobs``: the fewest wall-clock seconds and the fewest CPU seconds (this process
    and its workers, forked and so reaped here) of a pass attributing the files as one JSONL file."""
    best = {1: (float("inf"), float("inf")), jobs: (float("inf"), float("inf"))}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "all.jsonl"
        source.write_bytes(b"".join(path.read_bytes() for path in FILES if path.exists()))
        for n in range(repeat):
            for count in (1, jobs):
                wall, cpu = time.perf_counter(), cpu_seconds()
                attribute_file(str(source), Path(tmp) / f"{n}-{count}.jsonl", AttributeOptions(), Guard(), jobs=count)
                wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
                best[count] = (min(best[count][0], wall), min(best[count][1], cpu))
    return best


def cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

if __name__ == "__main__":
    sys.exit(main())
