"""examples/dask_attribute.py on a 2-worker LocalCluster: its parts, put end to end, are `annotator attribute`'s output."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.paths import ROOT, SEEDS_GOLD

pytest.importorskip("distributed")

SPEAKERS = ["Joko Widodo", "Sri Mulyani", "Budi Santoso", "Retno Marsudi"]


def test_the_parts_put_end_to_end_are_what_annotator_attribute_writes(run_cli, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.jsonl").write_bytes(SEEDS_GOLD.read_bytes())
    short = [{"id": f"s{i}", "text": f"“Harga beras turun {i} persen,” kata {name}. Ia menambahkan stok aman."}
             for i, name in enumerate(SPEAKERS * 5)]
    (inputs / "b.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in short),
                                    encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, ROOT / "examples" / "dask_attribute.py", f"{inputs}/*.jsonl", out, "--workers", "2",
         "--blocksize", "1kB"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    parts = sorted(out.glob("part-*.jsonl"))
    assert len(parts) > 3  # blocks of whole lines of each file

    whole = tmp_path / "whole.jsonl"
    whole.write_bytes(b"".join(p.read_bytes() for p in sorted(inputs.iterdir())))
    expected = tmp_path / "expected.jsonl"
    assert run_cli("attribute", whole, expected).exit_code == 0
    assert b"".join(p.read_bytes() for p in parts) == expected.read_bytes()
    assert sum(len(json.loads(line)["quotes"]) for line in expected.read_text(encoding="utf-8").splitlines()) > 20
