"""bench/keystrokes.py's core on a gold of three quotes: it reaches the gold through the app's keys and counts
the keys as its docstring says (a right candidate costs one key, typed text is counted apart)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from annotator.model import AnnotatedDocument, Document, Quote, Span, Speaker

ROOT = Path(__file__).resolve().parents[2]

TEXT = ('Budi Santoso, juru bicara Kementerian Pertanian, mengatakan bahwa harga beras akan turun pekan depan. '
        '"Kami sudah siap," kata Budi.\nMenurut catatan petani, panen tahun ini lebih baik.')


def load_bench():
    spec = importlib.util.spec_from_file_location("keystrokes", ROOT / "bench" / "keystrokes.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def span(text: str, after: int = 0) -> Span:
    start = TEXT.index(text, after)
    return Span(start, start + len(text), text)


def quote(text: str, type_: str, cue: Span, speaker: Speaker, role: str | None, category: str | None) -> Quote:
    where = span(text)
    return Quote(where.start, where.end, text, type_, cue=cue, speaker=speaker, role=role, role_category=category)


def tiny_gold() -> list[AnnotatedDocument]:
    """The attributor finds the first quote two words too long, the second right, the third not at all."""
    budi = Speaker("Budi Santoso", "person", span("Budi Santoso"), ("Budi",))
    quotes = [
        quote("harga beras akan turun", "indirect", span("mengatakan"), budi,
              "juru bicara Kementerian Pertanian", "government"),
        quote('"Kami sudah siap,"', "direct", span("kata"),
              Speaker("Budi Santoso", "person", span("Budi", 100), ("Budi",)),
              "juru bicara Kementerian Pertanian", "government"),
        quote("panen tahun ini lebih baik", "indirect", span("Menurut"),
              Speaker("catatan petani", "anonymous", span("catatan petani")), None, None),
    ]
    return [AnnotatedDocument(Document("tiny", TEXT, lang="id"), quotes)]


async def test_the_bench_reaches_a_tiny_gold_and_counts_its_keys(tmp_path):
    bench = load_bench()
    gold = tiny_gold()
    workspace = bench.fresh_workspace(tmp_path / "keys.db", gold)
    try:
        counts, document_keys = await bench.drive(workspace, gold)
        labels = bench.stored(workspace, gold)
    finally:
        workspace.close()

    assert bench.differences(gold, labels) == []  # spans, types, speakers, roles all 1.0
    too_long, right, missed = counts
    assert too_long.keys == [("{", False), ("{", False), ("a", False)]  # two words off the end, accept
    assert right.keys == [("a", False)]  # a right candidate: one key
    pressed = [key for key, _ in missed.keys]
    assert pressed[-1] == "a" and "v" in pressed and "enter" in pressed and "c" in pressed
    assert missed.typed == 0  # its speaker, written so in the text, made with m on it rather than typed
    assert "m" in pressed and not missed.unreached
    assert document_keys == ["d"]
    assert bench.other_differences(gold, labels) == []
