"""Import → export → import → export is byte-identical (docs/format.md), over awkward texts."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import cli
from tests.support.paths import SEEDS

AWKWARD_TEXTS = {
    "cjk": "北京の発表によると、“我们准备好了，”他说。",
    "emoji": "“Kami siap 🎉👍🏽,” kata Budi 🇮🇩 hari ini.",
    "combining": "Cafe\u0301 “de\u0301ja\u0300 vu,” katanya.",  # normalised to NFC on import
    "crlf": "Baris satu.\r\n“Baris dua,” kata Ani.\r\n",
    "bom": "\ufeff“Dengan BOM,” ujar Tono.",
    "ansi": "Teks \x1b[31mmerah\x1b[0m “bahaya,” kata \x1b[1mX\x1b[0m.",
    "markup": "[bold]Tebal[/bold] “[red]bukan markup[/],” kata [i]Y[/i].",
}


def quote_for(text: str) -> list[dict]:
    """One quote spanning the first “…” pair, with the speaker word after `kata`/`ujar` if present."""
    start = text.find("“")
    if start < 0:
        return []
    end = text.find("”", start) + 1
    quote: dict = {"start": start, "end": end, "type": "direct"}
    for cue in ("kata", "ujar"):
        at = text.find(cue, end)
        if at >= 0:
            quote["cue"] = {"start": at, "end": at + len(cue)}
            name_at = at + len(cue) + 1
            name_end = name_at
            while name_end < len(text) and text[name_end].isalnum():
                name_end += 1
            if name_end > name_at:
                quote["speaker"] = {"name": text[name_at:name_end], "kind": "person",
                                    "mention": {"start": name_at, "end": name_end}, "aliases": []}
                quote["role"] = "warga"
            break
    return [quote]


def run(db: Path, *args) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "--annotator", "ann", *map(str, args)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_round_trip_is_byte_identical(tmp_path):
    source = tmp_path / "in.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for path in sorted(SEEDS.glob("*.txt")):
            handle.write(json.dumps({"id": path.stem, "lang": "id", "text": path.read_text(encoding="utf-8"),
                                     "meta": {"title": "seed"}}, ensure_ascii=False) + "\n")
        for doc_id, text in AWKWARD_TEXTS.items():
            handle.write(json.dumps({"id": doc_id, "text": text, "meta": {"note": "ünïcode"},
                                     "quotes": quote_for(text)}, ensure_ascii=False) + "\n")
    run(tmp_path / "a.db", "import", "--as", "ann", source)
    run(tmp_path / "a.db", "export", "--format", "jsonl", tmp_path / "first.jsonl")
    run(tmp_path / "b.db", "import", "--as", "ann", tmp_path / "first.jsonl")
    run(tmp_path / "b.db", "export", "--format", "jsonl", tmp_path / "second.jsonl")
    first = (tmp_path / "first.jsonl").read_bytes()
    assert first == (tmp_path / "second.jsonl").read_bytes()

    docs = {d["id"]: d for d in map(json.loads, first.decode("utf-8").splitlines())}
    assert len(docs) == 2 + len(AWKWARD_TEXTS)
    # Normalised once at import; the quote still names the same characters.
    assert docs["crlf"]["text"] == "Baris satu.\n“Baris dua,” kata Ani.\n"
    assert docs["bom"]["text"].startswith("“Dengan")
    assert docs["combining"]["text"].startswith("Café “déjà vu,”")
    for doc in docs.values():
        for q in doc["quotes"]:
            assert doc["text"][q["start"]:q["end"]] == q["text"]
            assert q["text"].startswith("“") and q["text"].endswith("”")
            if q["speaker"]:
                m = q["speaker"]["mention"]
                assert doc["text"][m["start"]:m["end"]] == m["text"] == q["speaker"]["name"]
    # Untrusted text is stored and exported as is: escapes and markup survive untouched.
    assert "\x1b[31m" in docs["ansi"]["text"] and "[bold]" in docs["markup"]["text"]
    assert docs["emoji"]["quotes"][0]["text"] == "“Kami siap 🎉👍🏽,”"


def test_seed_export_has_the_normalised_seed_text(tmp_path):
    run(tmp_path / "s.db", "import", SEEDS)
    run(tmp_path / "s.db", "export", "--format", "jsonl", tmp_path / "out.jsonl")
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    from annotator.text import normalise

    for line in lines:
        doc = json.loads(line)
        assert doc["text"] == normalise((SEEDS / f"{doc['id']}.txt").read_text(encoding="utf-8"))
