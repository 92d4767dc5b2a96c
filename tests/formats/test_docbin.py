"""spaCy export: the DocBin is read back with spaCy alone, and every quote, cue, speaker and attribute
matches the labels it was written from."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from annotator.formats.docbin import DocBinWriter
from annotator.formats.outputs import ExportError
from annotator.model import AnnotatedDocument, Owner, document_json
from tests.support.documents import documents, parsed, plain_document, tricky_document

spacy = pytest.importorskip("spacy")
from spacy.tokens import DocBin  # noqa: E402  (after the skip: spaCy is an extra)

ANA = Owner.annotator("ana")


def write(path, ads: list[AnnotatedDocument], owner: Owner = ANA) -> None:
    writer = DocBinWriter(path, owner)
    for ad in ads:
        writer.write(ad)
    writer.close()


VOCAB = spacy.blank("xx").vocab


def read(path) -> list:
    """The documents of a .spacy file, as any spaCy user loads them."""
    return list(DocBin().from_disk(path).get_docs(VOCAB))


def touched(doc, start: int, end: int) -> tuple[int, int] | None:
    """The token range whose characters ``[start, end)`` touch, or None when they touch none (an empty range)."""
    hit = [t.i for t in doc if t.idx < end and t.idx + len(t.text) > start and start < end]
    return (hit[0], hit[-1] + 1) if hit else None


def exact(doc, span, record, label: str, kb_id: str = "") -> dict:
    """The labelled span a group's ``span`` and its user-data ``record`` describe, checked against each other."""
    start, end = record["start"], record["end"]
    assert (span.label_, span.kb_id_) == (label, kb_id)
    tokens = touched(doc, start, end)
    assert (span.start, span.end) == tokens if tokens else len(span) == 0
    return {"start": start, "end": end, "text": doc.text[start:end]}


def quotes_of(doc) -> list[dict]:
    """A Doc's quotes in the interchange format, rebuilt from its span groups and user data."""
    data = doc.user_data["annotator"]
    groups = {name: list(doc.spans[name]) for name in ("quotes", "cues", "speakers")}
    assert [len(groups[name]) for name in groups] == [len(data[name]) for name in groups]
    used_cues, used_mentions = set(), set()
    quotes = []
    for span, record in zip(groups["quotes"], data["quotes"], strict=True):
        quote = exact(doc, span, record, record["type"])
        cue = None
        if record["cue"] is not None:
            used_cues.add(record["cue"])
            cue = exact(doc, groups["cues"][record["cue"]], data["cues"][record["cue"]], "cue")
        speaker = None
        if record["speaker"] is not None:
            s = record["speaker"]
            mention = None
            if s["mention"] is not None:
                used_mentions.add(s["mention"])
                k = s["mention"]
                mention = exact(doc, groups["speakers"][k], data["speakers"][k], s["kind"], s["name"])
            speaker = {"name": s["name"], "kind": s["kind"], "mention": mention, "aliases": list(s["aliases"])}
        quotes.append({
            "start": quote["start"], "end": quote["end"], "type": record["type"], "text": quote["text"],
            "cue": cue, "speaker": speaker,
            "role": record["role"], "role_category": record["role_category"], "via": record["via"],
        })
    # every cue and mention in the groups belongs to a quote: nothing is written twice or left over
    assert used_cues == set(range(len(groups["cues"])))
    assert used_mentions == set(range(len(groups["speakers"])))
    return quotes


def test_every_label_survives_the_docbin(tmp_path):
    english = {**plain_document("en", 3), "lang": "en-US", "meta": {"license": "cc-by-4.0", "tags": ["a", "b"]}}
    japanese = {**plain_document("ja", 4), "lang": "ja"}  # its tokeniser needs SudachiPy: xx instead
    ads = [parsed(d) for d in (tricky_document(), plain_document("none", 1), english, japanese)]
    write(tmp_path / "out.spacy", ads)
    docs = read(tmp_path / "out.spacy")
    assert len(docs) == len(ads)
    for doc, ad in zip(docs, ads, strict=True):
        data = doc.user_data["annotator"]
        assert doc.text == ad.document.text
        assert (data["id"], data["lang"]) == (ad.document.id, ad.document.lang)
        assert data["labels"] == {"kind": "annotator", "name": "ana"}
        assert quotes_of(doc) == document_json(ad)["quotes"]
    assert [doc.user_data["annotator"]["tokenizer"] for doc in docs] == ["id", "xx", "en", "xx"]
    assert docs[2].user_data["annotator"]["meta"] == {"license": "cc-by-4.0", "tags": ("a", "b")}


def test_shared_cues_and_mentions_are_one_span_each(tmp_path):
    ad = parsed(tricky_document())
    write(tmp_path / "out.spacy", [ad])
    (doc,) = read(tmp_path / "out.spacy")
    data = doc.user_data["annotator"]
    cue_texts = [doc.text[c["start"]:c["end"]] for c in data["cues"]]
    kata = [q["cue"] for q in data["quotes"] if q["cue"] is not None and cue_texts[q["cue"]] == "kata"]
    assert len(kata) == 2 and len(set(kata)) == 1  # two quotes, one cue span
    # that "kata" is the end of "berkata": the span takes the token, the record the exact offsets
    assert doc.spans["cues"][kata[0]].text == "berkata"
    budi = doc.spans["speakers"][data["quotes"][0]["speaker"]["mention"]]
    assert (budi.text, budi.label_, budi.kb_id_) == ("Budi", "person", "Budi Santoso")
    # the mention "nya" is inside the token "Menurutnya", as the cue "Menurut" is
    nya = next(q["speaker"]["mention"] for q in data["quotes"] if doc.text[q["start"]:q["end"]] == "harga naik")
    assert doc.spans["speakers"][nya].text == "Menurutnya"
    assert doc.text[data["speakers"][nya]["start"]:data["speakers"][nya]["end"]] == "nya"


@settings(max_examples=60, deadline=None)
@given(documents())
def test_any_document_survives_the_docbin(tmp_path_factory, doc):
    ad = parsed(doc)
    path = tmp_path_factory.mktemp("spacy") / "out.spacy"
    write(path, [ad], Owner.run("sys"))
    (back,) = read(path)
    assert back.text == ad.document.text and back.user_data["annotator"]["id"] == ad.document.id
    assert quotes_of(back) == document_json(ad)["quotes"]


def test_meta_that_messagepack_cannot_hold_is_one_sentence(tmp_path):
    ad = parsed({**plain_document("big", 1), "meta": {"n": 2**70}})
    with pytest.raises(ExportError, match=r"document 'big' cannot be written in spaCy's format"):
        write(tmp_path / "out.spacy", [ad])
