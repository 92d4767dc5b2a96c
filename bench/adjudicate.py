"""Benchmark: the adjudication screen, three annotators × 200 quotes on a 50,000-character article (targets:
open < 100 ms, key → stored → redrawn median < 20 ms).

Builds the annotate benchmark's article (bench/tui.py), and a short one before it, labelled by three
annotators who disagree on purpose:
ben starts every third quote a word later (boundary), gives every third another speaker (speaker), and cal
leaves out every fifth (missing). Drives the real app with Pilot at 100×30, started on the short article:
`d` (twice) marks it done and opens the long one; the open is timed from that key to the first frame
showing the long article, which includes grouping its 600 quotes and writing the agreed ones to the
adjudicator, then presses `1` (take annotator 1's version and move on) on every open
disagreement, and `n` / `p` between them. Each key is timed from the press to the frame that shows its
result. The baseline, measured in the same run, is the bare store call behind `1` (one committed
transaction with its event row) with no screen.

Usage: python bench/adjudicate.py [--actions N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.model import AnnotatedDocument, Document, Owner, Speaker
from annotator.session import Workspace
from annotator.session.adjudication import Adjudication
from annotator.store import Store, edits
from annotator.text import sha256
from annotator.tui.app import AnnotatorApp
from annotator.tui.screens.adjudicate import AdjudicateScreen
from bench.tui import article, percentile, timed_press

TEAM = ("ana", "ben", "cal")


def team_database(path: Path) -> int:
    """The article, each annotator's labels on it marked done; returns the number of quotes per annotator."""
    text, quotes = article()
    quotes = [replace(q, status="accepted") for q in quotes[:200]]
    ben = []
    for n, q in enumerate(quotes):
        if n % 3 == 1:  # a word later: “We are … → are …
            start = text.index(" ", q.start) + 1
            q = replace(q, start=start, text=text[start:q.end])
        elif n % 3 == 2:
            q = replace(q, speaker=Speaker("The Ministry", "organization", None))
        ben.append(q)
    cal = [q for n, q in enumerate(quotes) if n % 5]
    store = Store.open(path)
    short = text[:600]
    store.import_documents([
        ("bench", AnnotatedDocument(Document("first", short, "en", {"title": "Where the app starts"},
                                             sha256(short)), [])),
        ("bench", AnnotatedDocument(Document("long", text, "en", {"title": "A 50,000-character article"},
                                             sha256(text)), [])),
    ])
    for name, labels in zip(TEAM, (quotes, ben, cal), strict=True):
        store.add_labels(name, "first", [q for q in labels if q.end <= len(short)], origin="import", action="import")
        store.add_labels(name, "long", labels, origin="import", action="import")
        for doc_id in ("first", "long"):
            store.set_status(doc_id, name, "done")
    store.close()
    return len(quotes)


async def drive(path: Path, actions: int) -> tuple[float, list[float], list[float], int]:
    store = Store.open(path)
    job = Adjudication(store, TEAM, "gold")
    app = AnnotatorApp(Workspace(store, "gold", run=None), doc_id="first", keymap={}, adjudication=job)
    frames: list[float] = []
    ready: list[float] = []
    display = app._display

    def timed_display(screen, renderable):
        display(screen, renderable)
        if renderable is not None:
            frames.append(time.perf_counter())
            if isinstance(screen, AdjudicateScreen) and screen.doc_id == "long" and screen.session is not None \
                    and not ready:
                ready.append(frames[-1])

    app._display = timed_display

    async def press(key: str) -> float:
        return await timed_press(pilot, frames, key)

    takes: list[float] = []
    moves: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("d")  # disagreements are open on the first document: d twice
        start = time.perf_counter()
        await pilot.press("d")
        while not ready:
            await pilot.pause()
        opened = ready[0] - start
        await pilot.pause()
        session = app.screen.session
        disagreements = len(session.disagreements)
        for _ in range(min(actions, disagreements)):
            moves.append(await press("n"))
            moves.append(await press("p"))
            takes.append(await press("1"))
        taken = sum(item.state == "taken" for item in session.items)
    on_disk = sum(q.adjudication["taken_from"] == "ana" and len(q.adjudication["agreed"]) < 3
                  for q in store.quotes("long", Owner.annotator("gold")))
    store.close()
    assert taken == on_disk == len(takes), f"{taken} taken on screen, {on_disk} on disk, {len(takes)} keys"
    return opened, takes, moves, disagreements


def baseline(path: Path, actions: int) -> list[float]:
    """The store call behind `1`, alone: one transaction and its event, no grouping, no screen."""
    store = Store.open(path)
    quotes = store.quotes("long", Owner.annotator("ana"))[:actions]
    times = []
    for q in quotes:
        t0 = time.perf_counter()
        edits.adjudicate_label(store, "baseline", "long", None,
                               replace(q, id=None, adjudication={"agreed": ["ana"], "taken_from": "ana"}))
        times.append(time.perf_counter() - t0)
    store.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=200, help="disagreements to settle (at most all of them)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        per_annotator = team_database(path)
        opened, takes, moves, disagreements = asyncio.run(drive(path, args.actions))
        base = baseline(path, len(takes))
    ms = 1000
    print(f"three annotators × {per_annotator} quotes on a 50,000-character article, {disagreements} disagreements;"
          " terminal 100x30")
    print(f"open, `d` on the previous document to the first frame showing the article (grouping, agreed "
          f"quotes written): "
          f"{opened * ms:.1f} ms  (target < 100 ms)")
    print(f"take `1`, key -> stored + redrawn: median {statistics.median(takes) * ms:.2f} ms, "
          f"p95 {percentile(takes, 0.95) * ms:.2f} ms over {len(takes)}  (target median < 20 ms)")
    print(f"next and back `n` `p`, key -> redrawn: median {statistics.median(moves) * ms:.2f} ms, "
          f"p95 {percentile(moves, 0.95) * ms:.2f} ms over {len(moves)}")
    print(f"baseline, the bare store call behind `1`: median {statistics.median(base) * ms:.2f} ms; "
          f"ratio take/baseline {statistics.median(takes) / statistics.median(base):.1f}")
    print(f"adjudicate_take_median_ms: {statistics.median(takes) * ms:.2f}")


if __name__ == "__main__":
    main()
