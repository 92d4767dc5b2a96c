"""Awkward documents for export tests: tabs, line breaks inside quotes, `"`, commas, formulas,
emoji, nested quotes, shared cues, speakers without mentions, ids that are not file names."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import strategies as st

from annotator.formats.jsonl import parse_document
from annotator.model import AnnotatedDocument, Owner, document_json
from annotator.store import Store
from tests.support.store import span

TRICKY_TEXT = (
    'Judul, dengan "tanda kutip"\n'
    "\n"
    "Ia berkata: “Baris pertama,\tmasih\nbaris kedua, dengan \"x\", koma” — kata Budi.\n"
    "Menurutnya, harga naik. 🎉 Lalu “=SUM(A1)” ujar @ani.\n"
    "Seorang pejabat menyebut bahwa rencana itu batal.\n"
    "“\n"
    "Dimulai dengan baris baru”"
)


def _span(text: str, needle: str, nth: int = 0) -> dict:
    """The offsets of ``needle`` as the interchange format writes a span, without its text."""
    found = span(text, needle, nth)
    return {"start": found.start, "end": found.end}


def tricky_document(doc_id: str = 'doc/1: "aneh" id') -> dict:
    t = TRICKY_TEXT
    first = _span(t, "“Baris pertama,\tmasih\nbaris kedua, dengan \"x\", koma”")
    return {
        "id": doc_id,
        "text": t,
        "lang": "id",
        "meta": {"title": "Judul, dengan \"tanda kutip\""},
        "quotes": [
            {**first, "type": "direct",
             "cue": _span(t, "kata"),
             "speaker": {"name": "Budi Santoso", "kind": "person", "mention": _span(t, "Budi"),
                         "aliases": ["Budi", "Pak; Budi | B"]},
             "role": "juru bicara; kepala | unit\tx", "role_category": "civil society",
             "via": 'Radio, "X"'},
            {**_span(t, "masih\nbaris kedua"), "type": "indirect", "cue": _span(t, "kata"),
             "speaker": {"name": "Budi Santoso", "kind": "person", "mention": _span(t, "Budi")},
             "role": ""},
            {**_span(t, "harga naik"), "type": "indirect", "cue": _span(t, "Menurut"),
             "speaker": {"name": "Budi Santoso", "kind": "person", "mention": _span(t, "nya")}},
            {**_span(t, "“=SUM(A1)”"), "type": "direct", "cue": _span(t, "ujar"),
             "speaker": {"name": "@ani", "kind": "unknown", "mention": _span(t, "@ani")},
             "role_category": "kategori_khusus: x"},
            {**_span(t, "rencana itu batal"), "type": "indirect", "cue": _span(t, "menyebut"),
             "speaker": {"name": "seorang pejabat", "kind": "anonymous"},
             "role_category": "government"},
            {**_span(t, "\nDimulai dengan baris baru”"), "type": "mixed"},
        ],
    }


def plain_document(doc_id: str, n: int = 0) -> dict:
    text = f"Berita {n}. “Kami siap {n},” kata Ani. Ia menambahkan bahwa semua baik."
    return {
        "id": doc_id,
        "text": text,
        "quotes": [
            {**_span(text, f"“Kami siap {n},”"), "type": "direct", "cue": _span(text, "kata"),
             "speaker": {"name": "Ani", "kind": "person", "mention": _span(text, "Ani")}},
            {**_span(text, "semua baik"), "type": "indirect", "cue": _span(text, "menambahkan"),
             "speaker": {"name": "Ani", "kind": "person", "mention": _span(text, "Ia")}},
        ],
    }


def write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def load(store: Store, docs: list[dict], annotator: str = "ana", done: tuple[str, ...] = ()) -> None:
    store.import_documents(
        ((f"doc {d['id']}", parse_document(d)) for d in docs), owner=Owner.annotator(annotator)
    )
    for doc_id in done:
        store.set_status(doc_id, annotator, "done")


def labels(ads) -> dict[str, list[dict]]:
    """Document id → its quotes as written to JSONL: the comparison of every round trip."""
    return {ad.document.id: document_json(ad)["quotes"] for ad in ads}


def jsonl_labels(path: Path) -> dict[str, list[dict]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        out[obj["id"]] = obj["quotes"]
    return out


def parsed(doc: dict) -> AnnotatedDocument:
    return parse_document(doc)


# --- a hypothesis strategy: any document with any spans --------------------------------------------

_ALPHABET = st.sampled_from([*"ab é\n\t\"',;|:\\#", "🎉", "\u2028", "\x85", "“", "”"])
_FREE = st.text(_ALPHABET, max_size=12)


@st.composite
def documents(draw):
    text = draw(st.text(_ALPHABET, min_size=1, max_size=40).filter(str.strip))  # a document has a text
    n = len(text)

    def span():
        start = draw(st.integers(0, n))
        end = draw(st.integers(start, n))
        return {"start": start, "end": end}

    quotes = []
    for _ in range(draw(st.integers(0, 4))):
        quote = {**span(), "type": draw(st.sampled_from(["direct", "indirect", "mixed"]))}
        if draw(st.booleans()):
            quote["cue"] = span()
        if draw(st.booleans()):
            speaker = {"name": draw(st.text(_ALPHABET, min_size=1, max_size=10)),
                       "kind": draw(st.sampled_from(["person", "organization", "unknown"])),
                       "aliases": draw(st.lists(st.text(_ALPHABET, min_size=1, max_size=6), max_size=2))}
            if draw(st.booleans()):
                speaker["mention"] = span()
            quote["speaker"] = speaker
        for key in ("role", "role_category", "via"):
            if draw(st.booleans()):
                quote[key] = draw(_FREE)
        quotes.append(quote)
    return {"id": draw(st.text(min_size=1, max_size=10).filter(str.strip)), "text": text, "quotes": quotes}
