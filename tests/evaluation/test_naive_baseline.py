"""The naive quote-pairing baseline of tests/support: paired marks, the nearest capitalised name in the sentence."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.naive_baseline import baseline_quotes
from tests.support.paths import ROOT


def test_paired_marks_are_quotes_attributed_to_the_nearest_capitalised_name():
    text = "Lalu Budi Santoso datang. “Kami siap,” kata Menteri Ani. Dia “ragu” sekali.\n“Tanpa nama”"
    quotes = baseline_quotes(text)
    assert [q.text for q in quotes] == ["“Kami siap,”", "“ragu”", "“Tanpa nama”"]
    assert quotes[0].speaker.name == "Menteri Ani"  # after it, nearer than Budi Santoso (another sentence)
    assert quotes[1].speaker.name == "Dia"  # no lexicon: any capitalised word is a name
    assert quotes[2].speaker is None  # alone in its paragraph
    assert all(q.type == "direct" for q in quotes)


def test_an_odd_mark_stays_unpaired():
    assert [q.text for q in baseline_quotes("“Aa bb” cc “dd")] == ["“Aa bb”"]


def test_the_entry_point_writes_predictions_for_a_gold_file(tmp_path):
    text = "“Kami siap,” kata Ani."
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "d", "text": text, "quotes": []}) + "\n", encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    done = subprocess.run([sys.executable, "-m", "tests.support.naive_baseline", str(gold), str(out)],
                          cwd=ROOT, capture_output=True, text=True, check=True)  # fmt: skip
    assert "1 quotes written" in done.stdout
    line = json.loads(out.read_text(encoding="utf-8"))
    assert line["id"] == "d" and line["quotes"][0]["speaker"]["name"] == "Ani"
