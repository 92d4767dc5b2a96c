"""Import throughput: JSONL through the store against a bare sqlite3.executemany of the same rows.

    python bench/import.py [--n 20000]

Both sides write the same rows into a fresh file with the same pragmas, in
the same run; the ratio is what counts (target ≥ 0.5).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.formats.read import read_paths
from annotator.store import Store
from annotator.store.store import now

WORDS = [
    "pemerintah", "mengatakan", "bahwa", "rencana", "itu", "akan", "dilaksanakan", "pekan", "depan", "menurut",
    "juru", "bicara", "kementerian", "yang", "tidak", "disebutkan", "namanya", "presiden", "menteri", "warga",
    "kota", "jakarta", "said", "the", "official", "on", "tuesday", "that", "the", "plan", "would", "go", "ahead",
    "despite", "protests",
]


def article(rng: random.Random, size: int = 3000) -> str:
    parts, length = [], 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "."
        if rng.random() < 0.3:
            sentence = f"“{sentence[:-1]},” kata {rng.choice(['Budi', 'Ani', 'Joko Widodo'])}."
        parts.append(sentence)
        length += len(sentence) + 1
    return " ".join(parts)


def make_jsonl(path: Path, n: int) -> None:
    rng = random.Random(42)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            doc = {"id": f"doc-{i:06d}", "lang": "id", "text": article(rng),
                   "meta": {"title": f"Artikel {i}", "source": "bench"}}
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")


def through_store(jsonl: Path, db: Path) -> float:
    start = time.perf_counter()
    with Store.open(db) as store:
        store.import_documents(read_paths([jsonl]))
    return time.perf_counter() - start


def bare_executemany(jsonl: Path, db: Path, schema_from: Path) -> float:
    """The same rows (already prepared in memory) inserted with one executemany."""
    with sqlite3.connect(schema_from) as src:
        rows = src.execute(
            "SELECT id, text, lang, title, meta, sha256, length, seq, imported_at FROM documents"
        ).fetchall()
        ddl = src.execute("SELECT sql FROM sqlite_master WHERE name = 'document_rows'").fetchone()[0]
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(ddl)
    conn.execute("CREATE UNIQUE INDEX documents_seq ON document_rows(seq)")
    stamp = now()
    rows = [(*r[:8], stamp, None) for r in rows]
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO document_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="number of synthetic articles")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        jsonl = tmp_path / "articles.jsonl"
        make_jsonl(jsonl, args.n)
        megabytes = jsonl.stat().st_size / 1e6
        ours = through_store(jsonl, tmp_path / "store.db")
        bare = bare_executemany(jsonl, tmp_path / "bare.db", tmp_path / "store.db")
    print(f"articles: {args.n} ({megabytes:.1f} MB of JSONL)")
    print(f"annotator import (parse, normalise, hash, check, insert): {ours:.2f} s, {args.n / ours:,.0f} docs/s")
    print(f"bare sqlite3.executemany of the same rows:                {bare:.2f} s, {args.n / bare:,.0f} docs/s")
    print(f"import_ratio_vs_sqlite3: {bare / ours:.2f}")


if __name__ == "__main__":
    main()
