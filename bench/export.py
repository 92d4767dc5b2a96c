"""Export of 100,000 documents: time and peak memory of `annotator export` (jsonl, csv).

    python bench/export.py [--n 100000] [--keep DIR]

Builds a database of N synthetic articles with two labelled quotes each
(generated as JSONL and imported through the store), then runs each export
as a child process and reads its peak resident memory (ru_maxrss from
wait4). Baselines measured in the same run: the peak of a child that only
imports the CLI (interpreter + libraries), the time of a bare sqlite3 loop
writing the same documents as JSON lines, and the same export over a tenth
of the documents (marked done), so "memory flat" shows as a peak that does
not grow with the number of documents.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = [
    "pemerintah", "rencana", "akan", "dilaksanakan", "pekan", "depan", "kementerian", "warga", "kota", "jakarta",
    "harga", "naik", "turun", "pasar", "hari", "ini", "kemarin", "proyek", "jalan", "baru", "sekolah", "rumah",
    "sakit", "the", "plan", "would", "go", "ahead",
]
SPEAKERS = [("Budi Santoso", "person"), ("Kementerian Keuangan", "organization"), ("KCNA", "media")]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def document(rng: random.Random, i: int) -> dict:
    """About 500 characters: a direct quote with cue and speaker, an indirect one with a role."""
    name, kind = rng.choice(SPEAKERS)
    lead = sentence(rng, 20).capitalize() + ". "
    direct = "“" + sentence(rng, 14).capitalize() + ",” "
    text = lead + direct + "kata " + name + ". "
    q1 = (len(lead), len(lead) + len(direct) - 1)
    cue1 = text.index("kata ", q1[1])
    m1 = cue1 + 5
    second = f"{name} mengatakan bahwa " + sentence(rng, 16) + ". " + sentence(rng, 18).capitalize() + "."
    base = len(text)
    text += second
    cue2 = base + len(name) + 1
    q2_start = cue2 + len("mengatakan bahwa ")
    q2_end = text.index(".", q2_start)
    return {
        "id": f"bench-{i:06d}",
        "lang": "id",
        "text": text,
        "meta": {"title": f"Artikel {i}"},
        "quotes": [
            {"start": q1[0], "end": q1[1], "type": "direct",
             "cue": {"start": cue1, "end": cue1 + 4},
             "speaker": {"name": name, "kind": kind, "mention": {"start": m1, "end": m1 + len(name)}}},
            {"start": q2_start, "end": q2_end, "type": "indirect",
             "cue": {"start": cue2, "end": cue2 + 10},
             "speaker": {"name": name, "kind": kind, "mention": {"start": base, "end": base + len(name)}},
             "role": "juru bicara", "role_category": "government"},
        ],
    }


def build(db: Path, jsonl: Path, n: int) -> None:
    """Runs in a child process, so this process stays small: a child's ru_maxrss counts
    the memory it was forked with."""
    sys.path.insert(0, str(ROOT))
    from annotator.formats.read import read_paths
    from annotator.model import Owner
    from annotator.store import Store

    rng = random.Random(6)
    with jsonl.open("w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(json.dumps(document(rng, i), ensure_ascii=False) + "\n")
    start = time.perf_counter()
    with Store.open(db) as store:
        store.import_documents(read_paths([jsonl]), owner=Owner.annotator("bench"))
        with store.write():
            for doc_id in store.document_ids()[: max(1, n // 10)]:
                store.set_status(doc_id, "bench", "done")
    print(f"built {n:,} documents, {2 * n:,} quotes (imported in {time.perf_counter() - start:.1f} s)")


def child(args: list[str]) -> tuple[float, float]:
    """Run a child process; (seconds, peak resident MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {err}")
    return seconds, usage.ru_maxrss / 1024  # KiB on Linux


BARE = """
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for doc_id, text, meta in conn.execute("SELECT id, text, meta FROM documents ORDER BY seq"):
        quotes = conn.execute(
            'SELECT start, "end", text, type FROM quotes WHERE doc_id = ? ORDER BY start', (doc_id,)
        ).fetchall()
        out.write(json.dumps({"id": doc_id, "text": text, "meta": json.loads(meta), "quotes": quotes},
                             ensure_ascii=False) + "\\n")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the database and exports in this folder")
    parser.add_argument("--build", nargs=2, type=Path, metavar=("DB", "JSONL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(*args.build, args.n)
        return
    work = Path(tempfile.mkdtemp(prefix="bench-export-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    db = work / "bench.db"
    if db.exists():
        db.unlink()
    try:
        py = sys.executable
        subprocess.run([py, __file__, "--n", str(args.n), "--build", str(db), str(work / "docs.jsonl")], check=True)
        cli = [py, "-m", "annotator", "--db", str(db), "--annotator", "bench"]
        _, idle_mb = child([py, "-c", "import annotator.cli"])
        bare_s, bare_mb = child([py, "-c", BARE, str(db), str(work / "bare.jsonl")])
        print(f"baseline: interpreter + CLI imports peak {idle_mb:.1f} MB; "
              f"bare sqlite3 → JSON lines {bare_s:.2f} s, peak {bare_mb:.1f} MB")
        peaks = {}
        for fmt in ("jsonl", "csv"):
            out = work / f"out.{fmt}"
            small_s, small_mb = child([*cli, "export", "--format", fmt, str(work / f"small.{fmt}")])
            s, mb = child([*cli, "export", "--all", "--format", fmt, str(out)])
            peaks[fmt] = mb
            size = out.stat().st_size / 1e6
            print(f"{fmt}: {args.n:,} documents in {s:.2f} s ({args.n / s:,.0f} docs/s, {size:.0f} MB written, "
                  f"{s / bare_s:.1f}× the bare loop); peak {mb:.1f} MB "
                  f"(vs {small_mb:.1f} MB for {max(1, args.n // 10):,} documents in {small_s:.2f} s; "
                  f"+{mb - idle_mb:.1f} MB over the idle CLI)")
        peak = max(peaks.values())
        print(f"export_peak_mb_{args.n // 1000}k: {peak:.1f}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
