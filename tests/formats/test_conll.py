"""CoNLL export: the tokenizer's tokens, well-formed BIO runs inside their spans, sentence breaks."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings

from annotator.formats.conll import (
    COLUMNS,
    ConllWriter,
    bio,
    document_lines,
    sentence_breaks,
)
from annotator.formats.jsonl import parse_document
from annotator.model import AnnotatedDocument, Owner
from annotator.text import tokens
from tests.support.documents import documents, parsed, plain_document, tricky_document
from tests.support.paths import SEEDS_GOLD

GOLD = SEEDS_GOLD


def read_conll(text: str) -> list[dict]:
    """Documents of a CoNLL export: id, sentences of (token, start, end, quote, cue, speaker)."""
    docs: list[dict] = []
    sentence: list[tuple] = []
    for line in text.split("\n"):
        if line.startswith("# doc_id = "):
            docs.append({"id": line.removeprefix("# doc_id = "), "sentences": []})
        elif line.startswith("#"):
            continue
        elif not line:
            if sentence:
                docs[-1]["sentences"].append(sentence)
                sentence = []
        else:
            tok, s, e, *tags = line.split("\t")
            assert len(tags) == 3
            sentence.append((tok, int(s), int(e), *tags))
    assert not sentence
    return docs


def runs(sentence: list[tuple], column: int, label: str) -> list[tuple[int, int]]:
    """Character extents of the tag runs of one column, checking BIO well-formedness."""
    found = []
    for i, row in enumerate(sentence):
        tag = row[column]
        assert tag in ("O", f"B-{label}", f"I-{label}")
        if tag.startswith("I-"):
            assert i > 0 and sentence[i - 1][column] != "O", "I- after O or at a sentence start"
            found[-1] = (found[-1][0], row[2])
        elif tag.startswith("B-"):
            found.append((row[1], row[2]))
    return found


def gold_docs() -> list[AnnotatedDocument]:
    return [parse_document(json.loads(line)) for line in GOLD.read_text(encoding="utf-8").splitlines()]


def export_conll(docs: list[AnnotatedDocument]) -> str:
    out = io.StringIO()
    writer = ConllWriter(out, Owner.annotator("gold"))
    for ad in docs:
        writer.write(ad)
    return out.getvalue()


@pytest.mark.parametrize("source", ["gold", "tricky"])
def test_tokens_and_quote_runs(source):
    docs = gold_docs() if source == "gold" else [parsed(tricky_document()), parsed(plain_document("p", 1))]
    text = export_conll(docs)
    assert text.startswith(f"# global.columns = {' '.join(COLUMNS)}\n")
    exported = read_conll(text)
    assert [d["id"] for d in exported] == [ad.document.id for ad in docs]
    for ad, doc in zip(docs, exported, strict=True):
        body = ad.document.text
        rows = [row for sentence in doc["sentences"] for row in sentence]
        assert len(rows) == len(list(tokens(body)))
        assert [(s, e) for _, s, e, *_ in rows] == list(tokens(body))
        assert all(tok == body[s:e] for tok, s, e, *_ in rows)
        for sentence in doc["sentences"]:
            for start, end in runs(sentence, 3, "QUOTE"):
                inside = [q for q in ad.quotes if q.start <= start and end <= q.end]
                assert inside, f"QUOTE run {body[start:end]!r} lies inside no quote"
            runs(sentence, 4, "CUE")
            runs(sentence, 5, "SPEAKER")
        # every quote token is tagged
        tagged = {row[1] for row in rows if row[3] != "O"}
        for q in ad.quotes:
            for s, e in tokens(body):
                if s < q.end and q.start < e:
                    assert s in tagged


def test_gold_has_quote_cue_and_speaker_tags():
    text = export_conll(gold_docs())
    for tag in ("B-QUOTE", "I-QUOTE", "B-CUE", "B-SPEAKER", "I-SPEAKER"):
        assert f"\t{tag}" in text
    assert "# labels = annotator gold" in text and "# quotes = 18" in text


def test_nested_quotes_fold_into_the_outer_one():
    toks = [(0, 1), (2, 3), (4, 5), (6, 7)]
    assert bio(toks, [(0, 7), (2, 5)], "QUOTE") == ["B-QUOTE", "I-QUOTE", "I-QUOTE", "I-QUOTE"]
    assert bio(toks, [(0, 3), (2, 7)], "QUOTE") == ["B-QUOTE", "I-QUOTE", "B-QUOTE", "I-QUOTE"]
    assert bio(toks, [(1, 1)], "QUOTE") == ["O"] * 4


def test_a_token_overlapping_a_span_is_tagged():
    ad = parsed(tricky_document())
    line = next(x for x in document_lines(ad, Owner.annotator("a")) if x.startswith("Menurutnya\t"))
    assert line.split("\t")[3:] == ["O", "B-CUE", "B-SPEAKER"]


def test_sentences_break_at_ends_but_never_inside_a_span():
    text = "Dr. Budi datang. Ia berkata “Satu. Dua.” Lalu pergi.\nBaris baru"
    toks = list(tokens(text))
    words = [text[s:e] for s, e in toks]
    q = (text.index("“"), text.index("”") + 1)
    breaks = sentence_breaks(text, toks, [q])
    ends = [words[i] for i in sorted(breaks)]
    assert ends == ["datang", "Dua", "pergi"]  # not after Dr; not inside the quote
    assert "Satu" in [words[i] for i in sorted(sentence_breaks(text, toks, []))]


@settings(max_examples=80, deadline=None)
@given(documents())
def test_any_document_gives_the_tokenizer_tokens_and_well_formed_runs(doc):
    ad = parsed(doc)
    (exported,) = read_conll(export_conll([ad]))
    rows = [row for sentence in exported["sentences"] for row in sentence]
    assert [(s, e) for _, s, e, *_ in rows] == list(tokens(ad.document.text))
    for sentence in exported["sentences"]:
        for start, end in runs(sentence, 3, "QUOTE"):
            # each run's tokens all overlap one quote (they lie inside it when its edges are word edges)
            run_tokens = [(s, e) for _, s, e, *_ in sentence if start <= s and e <= end]
            assert any(all(s < q.end and q.start < e for s, e in run_tokens) for q in ad.quotes)
        runs(sentence, 4, "CUE")
        runs(sentence, 5, "SPEAKER")
