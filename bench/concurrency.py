"""A label save while a large import runs: how long does the annotator wait?

One process runs ``annotator import`` of N synthetic documents, then
``annotator import --as`` of labels (a quote and a status each) for those same
documents; this process, like an annotator in the TUI, saves a label every
50 ms on another document and times each save (call to commit). The same saves
are timed first with no import running, as the baseline of the same run. Ends
with ``max_save_wait_ms_during_import: <value>`` over both imports (target < 1000).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.model import AnnotatedDocument, Document, Owner, Quote
from annotator.store import Store, edits
from annotator.text import sha256

TEXT = 'Menteri itu berkata, "Harga beras akan turun bulan depan." Ia pergi.'
INTERVAL = 0.05


def write_documents(path: Path, n: int, with_labels: bool = False) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = f"Berita {i}. Menteri berkata, \"Angka {i} naik.\" Lalu pergi ke kantor."
            quotes = []
            if with_labels:
                start = text.index('"')
                end = text.index('"', start + 1) + 1
                quotes = [{"start": start, "end": end, "text": text[start:end], "type": "direct",
                           "speaker": {"name": "Menteri", "kind": "person"}}]
            f.write(json.dumps({"id": f"doc{i:07d}", "text": text, "quotes": quotes}) + "\n")


def timed_saves(store: Store, quote_id: int, until) -> list[float]:
    """Save a label every INTERVAL seconds while ``until()`` is false; each save's wall time in ms."""
    waits = []
    status = "accepted"
    while not until():
        status = "rejected" if status == "accepted" else "accepted"
        start = time.perf_counter()
        edits.update_label(store, "bench", quote_id, "accept" if status == "accepted" else "reject",
                            status=status)
        waits.append((time.perf_counter() - start) * 1000)
        time.sleep(INTERVAL)
    return waits


def summary(name: str, waits: list[float]) -> None:
    waits = sorted(waits)
    p95 = waits[int(0.95 * (len(waits) - 1))]
    print(f"{name}: {len(waits)} saves, median {statistics.median(waits):.1f} ms, "
          f"p95 {p95:.1f} ms, max {waits[-1]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400_000, help="documents in the import")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        big = Path(tmp) / "big.jsonl"
        write_documents(big, args.n)
        labelled = Path(tmp) / "labels.jsonl"
        write_documents(labelled, args.n, with_labels=True)
        print(f"import: {args.n:,} documents ({big.stat().st_size / 1e6:.1f} MB of JSONL), then "
              f"import --as of a label on each ({labelled.stat().st_size / 1e6:.1f} MB)")
        with Store(db) as store:
            doc = Document(id="labelled", text=TEXT, sha256=sha256(TEXT))
            start = TEXT.index('"')
            end = TEXT.index('"', start + 1) + 1
            quote = Quote(start=start, end=end, text=TEXT[start:end], type="direct")
            store.import_documents([("bench", AnnotatedDocument(doc, [quote]))], owner=Owner.annotator("bench"))
            (quote_id,) = [q.id for q in store.quotes("labelled", Owner.annotator("bench"))]

            idle_until = time.monotonic() + 2.0
            idle = timed_saves(store, quote_id, lambda: time.monotonic() > idle_until)

            phases = {}
            for name, extra, path in (("import", [], big),
                                      ("import --as", ["--as", "team", "--status", "done"], labelled)):
                command = [sys.executable, "-m", "annotator", "--db", str(db), "import", "--no-predict",
                           *extra, str(path)]
                began = time.perf_counter()
                proc = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[1],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                phases[name] = timed_saves(store, quote_id, lambda proc=proc: proc.poll() is not None)
                print(f"{name} took {time.perf_counter() - began:.1f} s while the saves ran")
                if proc.returncode != 0:
                    sys.exit(f"the {name} failed: {proc.stderr.read().strip()}")
            assert store.count_documents() == args.n + 1
            assert store.stats()["annotators"]["team"]["labels"] == args.n
        summary("saves, no import (baseline)", idle)
        for name, waits in phases.items():
            summary(f"saves during {name}", waits)
        worst = max(max(waits) for waits in phases.values())
        print(f"max during the imports / max without: {worst / max(idle):.1f}x")
        print(f"max_save_wait_ms_during_import: {worst:.0f}")


if __name__ == "__main__":
    main()
