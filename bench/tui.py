"""Benchmark: the annotate screen on a 50,000-character article (targets: open < 100 ms, key median < 20 ms).

Drives the real app with Textual's Pilot at 100×30: opens a document of
50,000 characters carrying 220 candidate quotes (the first open also copies
them into the annotator's layer), then 200 times accepts the current quote
(`a`, which moves on to the next pending one) and steps forward and back
(`n`, `p`: the navigation figure). Each key is timed from the press until the
label is committed and the app is idle again with the screen redrawn. The
baseline, measured in the same run on the same database, is the bare store
call behind `a` (one committed transaction plus its event row) with no UI.

It also times the documents screen's first paint over 100,000 documents
(rows load a page at a time, so this should not grow with the corpus), then
deals them out to three annotators (``annotator assign``, overlap 0.2) and
times the first paint again, with the bench annotator's documents first, and
one page of the list at the start, middle and end of each part (assigned
documents, then the rest): a page should cost the same wherever it starts.

Last, it scrolls the documents screen with PgDn through the first ``--scroll`` rows of the
100,000 and prints the process's resident memory before and after, and how many rows the table
holds at the end: a window of pages, so memory should not grow with the rows scrolled.

Usage: python bench/tui.py [--actions N] [--documents N] [--scroll ROWS]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.widgets import DataTable

from annotator.model import AnnotatedDocument, Document, Owner, Quote, Span, Speaker
from annotator.session import Workspace
from annotator.session.assignment import assign
from annotator.store import Store, edits, worklist
from annotator.text import sha256
from annotator.tui.app import AnnotatorApp
from annotator.tui.messages import OpenDocument
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.documents import DocumentsScreen

LENGTH = 50_000
QUOTES = 220


def article() -> tuple[str, list[Quote]]:
    """About 50,000 characters of paragraphs, each with one direct quote, a cue and a speaker."""
    parts: list[str] = []
    quotes: list[Quote] = []
    pos = 0
    filler = "The ministry published new figures on Tuesday; officials called the situation stable. "
    n = 0
    while pos < LENGTH - 400:
        name = f"Official Number{n}"
        quote = f"“We are working on point {n} and we will report again soon,”"
        para = f"{filler}{quote} said {name}, a spokesperson.\n"
        q_start = pos + len(filler)
        cue_start = q_start + len(quote) + 1
        mention_start = cue_start + len("said ")
        if n < QUOTES:
            quotes.append(Quote(
                q_start, q_start + len(quote), quote, "direct",
                cue=Span(cue_start, cue_start + 4, "said"),
                speaker=Speaker(name, "person", Span(mention_start, mention_start + len(name), name)),
                role="a spokesperson", status="pending"))
        parts.append(para)
        pos += len(para)
        n += 1
    text = "".join(parts)
    text += "x" * (LENGTH - len(text))
    return text, quotes


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def timed_press(pilot, frames: list[float], key: str) -> float:
    """Press ``key``; the time from the press to the last frame it drew (``frames`` records the frames)."""
    before = len(frames)
    t0 = time.perf_counter()
    await pilot.press(key)
    if len(frames) == before:
        raise AssertionError(f"no frame was drawn after {key!r}")
    return frames[-1] - t0


async def drive(path: Path, actions: int) -> tuple[float, float, list[float], list[float]]:
    """Open the document and press the keys; times run from the press to the frame that shows the result.

    The frame time is taken where Textual hands the rendered update to the
    terminal driver (``App._display``), so Pilot's own waiting is not counted.
    """
    store = Store.open(path)
    app = AnnotatorApp(Workspace(store, "bench"), keymap={})
    frames: list[float] = []
    article_frames: list[float] = []  # frames of the annotate screen with its document loaded
    display = app._display

    def timed_display(screen, renderable):
        display(screen, renderable)
        if renderable is not None:
            frames.append(time.perf_counter())
            if isinstance(screen, AnnotateScreen) and screen.session is not None:
                article_frames.append(frames[-1])

    app._display = timed_display
    accepts: list[float] = []
    nexts: list[float] = []

    async def press(key: str) -> float:
        return await timed_press(pilot, frames, key)

    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        start = time.perf_counter()
        app.post_message(OpenDocument("long"))
        while not article_frames:
            await pilot.pause()
        opened = article_frames[0] - start
        await app.workers.wait_for_complete()
        await pilot.pause()
        settled = frames[-1] - start
        screen = app.screen
        for _ in range(actions):
            accepts.append(await press("a"))
            nexts.append(await press("n"))
            nexts.append(await press("p"))
        done = sum(q.status == "accepted" for q in screen.session.quotes)
        assert done == actions, f"only {done} of {actions} quotes were accepted"
    on_disk = sum(q.status == "accepted" for q in store.quotes("long", Owner.annotator("bench")))
    store.close()
    assert on_disk == actions, f"only {on_disk} accepted labels on disk"
    return opened, settled, accepts, nexts


async def first_paint(path: Path) -> tuple[float, int]:
    """From app start to the first frame of the documents screen showing rows."""
    store = Store.open(path)
    app = AnnotatorApp(Workspace(store, "bench"), keymap={})
    painted: list[float] = []
    display = app._display

    def timed_display(screen, renderable):
        display(screen, renderable)
        if renderable is not None and isinstance(screen, DocumentsScreen) and not painted:
            table = screen.query_one(DataTable)
            if table.row_count:
                painted.append(time.perf_counter())

    app._display = timed_display
    start = time.perf_counter()
    async with app.run_test(size=(100, 30)) as pilot:
        while not painted:
            await pilot.pause()
        rows = app.screen.query_one(DataTable).row_count
    store.close()
    return painted[0] - start, rows


def resident_mb() -> float:
    """This process's resident memory (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def scroll_memory(path: Path, rows: int) -> tuple[float, float, int, int]:
    """PgDn on the documents screen until the cursor is ``rows`` documents down; resident memory (MB) before
    and after, the row the cursor reached, and the rows the table holds then."""
    store = Store.open(path)
    app = AnnotatorApp(Workspace(store, "bench"), keymap={})
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        gc.collect()
        before = resident_mb()
        reached = 0
        while reached < rows:
            await pilot.press("pagedown")
            await app.workers.wait_for_complete()
            await pilot.pause()
            reached = int(app.screen.current_id().removeprefix("doc-"))
        gc.collect()
        after = resident_mb()
        held = table.row_count
    store.close()
    return before, after, reached, held


def many_documents(path: Path, n: int) -> None:
    store = Store.open(path)
    body = "A short article. “We will see,” said Someone, a spokesperson. " * 3
    store.import_documents(
        (f"bench:{i}", AnnotatedDocument(Document(f"doc-{i:06d}", body, "en", {"title": f"Article {i}"},
                                                  sha256(body)), []))
        for i in range(n)
    )
    store.close()


def assigned_pages(path: Path) -> tuple[float, dict[str, float]]:
    """Deal the corpus to three annotators; the time that took, and one page's time at each place in the list."""
    store = Store.open(path)
    t0 = time.perf_counter()
    assign(store, "lead", ["bench", "ben", "cho"], 0.2, seed=0)
    dealt = time.perf_counter() - t0
    mine = [r[0] for r in store.conn.execute("SELECT seq FROM assignments WHERE annotator = 'bench' ORDER BY seq")]
    last = store.conn.execute("SELECT max(seq) FROM documents").fetchone()[0]
    places = {"assigned, start": worklist.START, "assigned, middle": (worklist.ASSIGNED, mine[len(mine) // 2]),
              "assigned, last page": (worklist.ASSIGNED, mine[-60]), "rest, start": (worklist.REST, 0),
              "rest, middle": (worklist.REST, last // 2), "rest, last page": (worklist.REST, last - 150)}
    times = {}
    for place, after in places.items():
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            worklist.documents_page(store, "bench", "builtin", after=after, limit=100)
            runs.append(time.perf_counter() - t0)
        times[place] = statistics.median(runs)
    store.close()
    return dealt, times


def baseline(path: Path, actions: int) -> list[float]:
    """The store call behind `a`, alone: one transaction and one event, no screen."""
    store = Store.open(path)
    ids = edits.seed_candidates(store, "baseline", "long", "builtin")
    times = []
    for qid in ids[:actions]:
        t0 = time.perf_counter()
        edits.update_label(store, "baseline", qid, "accept", status="accepted")
        times.append(time.perf_counter() - t0)
    store.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--scroll", type=int, default=16_700, help="rows to scroll the documents screen through")
    args = parser.parse_args()
    text, quotes = article()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        store = Store.open(path)
        doc = Document("long", text, "en", {"title": "A 50,000-character article"}, sha256(text))
        store.import_documents([("bench", AnnotatedDocument(doc, quotes))], owner=Owner.run("builtin"))
        store.close()
        opened, settled, accepts, nexts = asyncio.run(drive(path, args.actions))
        base = baseline(path, args.actions)
        corpus = Path(tmp) / "corpus.db"
        many_documents(corpus, args.documents)
        painted, rows = asyncio.run(first_paint(corpus))
        # Before the corpus is dealt out: a document's number is then its row in the list.
        memory = asyncio.run(scroll_memory(corpus, min(args.scroll, args.documents - 1)))
        dealt, pages = assigned_pages(corpus)
        painted_assigned, rows_assigned = asyncio.run(first_paint(corpus))
    ms = 1000
    every = accepts + nexts
    print(f"document: {len(text):,} characters, {len(quotes)} candidate quotes; terminal 100x30")
    print(f"open (first time, candidates copied), call to the first frame showing the article: "
          f"{opened * ms:.1f} ms  (target < 100 ms); last frame of the opening (footer etc.): {settled * ms:.1f} ms")
    print(f"accept `a`, key -> committed + redrawn: median {statistics.median(accepts) * ms:.2f} ms, "
          f"p95 {percentile(accepts, 0.95) * ms:.2f} ms over {len(accepts)}")
    print(f"next and back `n` `p`, key -> redrawn:   median {statistics.median(nexts) * ms:.2f} ms, "
          f"p95 {percentile(nexts, 0.95) * ms:.2f} ms over {len(nexts)}")
    print(f"all {len(every)} keys: median {statistics.median(every) * ms:.2f} ms, "
          f"p95 {percentile(every, 0.95) * ms:.2f} ms  (target median < 20 ms)")
    print(f"baseline, the bare store call behind `a`: median {statistics.median(base) * ms:.2f} ms; "
          f"ratio accept/baseline {statistics.median(accepts) / statistics.median(base):.1f}")
    print(f"documents screen over {args.documents:,} documents: first paint {painted * ms:.0f} ms "
          f"with {rows} rows loaded (target < 1 s)")
    print(f"assign to three annotators (overlap 0.2): {dealt * ms:.0f} ms; then first paint "
          f"{painted_assigned * ms:.0f} ms with {rows_assigned} rows loaded, the bench annotator's first")
    print("one page of 100 rows: " + ", ".join(f"{place} {t * ms:.1f} ms" for place, t in pages.items()))
    before, after, reached, held = memory
    per_row = (after - before) * 1024 * 1024 / max(reached, 1)
    print(f"documents screen scrolled with PgDn to row {reached:,}: resident memory {before:.0f} MB -> "
          f"{after:.0f} MB ({per_row:,.0f} bytes per row scrolled); the table holds {held:,} rows")
    print(f"tui_action_median_ms: {statistics.median(accepts) * ms:.2f}")


if __name__ == "__main__":
    main()
