"""spaCy export: a ``DocBin`` (``.spacy`` file) of the documents with their quotes, cues and speakers.

Layout of each ``Doc`` (README.md, "Exporting", spacy):

- tokens: ``spacy.blank(lang)``'s tokeniser (no model to download), ``xx`` when the document
  has no language, spaCy does not know it, or its tokeniser needs packages that are not
  installed; ``doc.text`` is the document text exactly;
- span groups ``quotes`` (label: the quote's type), ``cues`` (label ``cue``, each cue once however
  many quotes share it) and ``speakers`` (the mentions that attribute quotes, label: the speaker's
  kind, ``kb_id_``: the speaker entity's name), each covering the tokens its characters touch;
- ``doc.user_data["annotator"]``: what spans cannot say, in lists in the order of the groups:
  ``quotes[i]`` describes ``doc.spans["quotes"][i]`` — its exact character offsets, type, the
  index of its cue in ``cues`` and of its speaker mention in ``speakers`` (or None), the speaker
  entity (name, kind, aliases), role, role category and via; ``cues[j]`` and ``speakers[k]`` hold the
  exact offsets of their spans. Spans' ``span._`` extensions are not serialised by ``DocBin``, user
  data is (spaCy reads it back with lists as tuples).

spaCy is an extra (``annotator[spacy]``): it is imported when a writer is made, never at start-up.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any

from annotator.formats.card import LANGUAGE_CODE  # what spaCy names its languages by too
from annotator.formats.outputs import ExportError
from annotator.model import AnnotatedDocument, Owner, Span, quote_order

USER_DATA_KEY = "annotator"
FALLBACK_LANG = "xx"  # spaCy's multi-language tokeniser
INSTALL_HINT = "the spacy format needs spaCy: pip install 'annotator[spacy]'"


def require_spacy() -> None:
    """Refuse the format before any work when spaCy is not installed (one sentence saying how to get it)."""
    if importlib.util.find_spec("spacy") is None:
        raise ExportError(INSTALL_HINT)


class DocBinWriter:
    """Collects documents in a ``DocBin`` and writes it to ``path`` on ``close``.

    A ``DocBin`` is one compressed message, so the documents' token arrays stay in memory
    until the end (11 numbers per token, and every distinct string once).
    """

    def __init__(self, path: Path, owner: Owner):
        require_spacy()
        from spacy.tokens import DocBin

        self.path = path
        self.labels = {"kind": owner.kind, "name": owner.name}
        self.doc_bin = DocBin(store_user_data=True)
        self.quotes = 0

    def write(self, ad: AnnotatedDocument) -> None:
        tokeniser_lang, nlp = _tokeniser(ad.document.lang)
        doc = nlp.tokenizer(ad.document.text)
        doc.user_data[USER_DATA_KEY] = _annotate(doc, ad, tokeniser_lang, self.labels)
        try:
            self.doc_bin.add(doc)
        except (OverflowError, TypeError, ValueError) as exc:  # meta that MessagePack cannot hold
            raise ExportError(
                f"document {ad.document.id!r} cannot be written in spaCy's format ({exc}); nothing was written"
            ) from None
        self.quotes += len(ad.quotes)

    def close(self) -> None:
        self.path.write_bytes(self.doc_bin.to_bytes())


@functools.cache
def _tokeniser(lang: str | None) -> tuple[str, Any]:
    """``spacy.blank`` of the language's primary subtag (``en`` for ``en-US``), made once per language,
    and that code; ``xx`` when spaCy has no tokeniser for it that runs here."""
    import spacy

    code = (lang or "").split("-")[0].split("_")[0].lower()
    if LANGUAGE_CODE.fullmatch(code):
        try:
            return code, spacy.blank(code)
        except ImportError:  # an unknown code, or a tokeniser needing another package (ja, ko, th, vi)
            pass
    return FALLBACK_LANG, spacy.blank(FALLBACK_LANG)


def _annotate(doc: Any, ad: AnnotatedDocument, tokeniser_lang: str, labels: dict[str, str]) -> dict[str, Any]:
    """Fill the span groups of ``doc`` and return its user data (the layout in the module docstring)."""
    quote_spans, cue_spans, speaker_spans = [], [], []
    cues: list[dict[str, int]] = []
    speakers: list[dict[str, int]] = []
    cue_index: dict[tuple[int, int], int] = {}
    speaker_index: dict[tuple[int, int, str, str], int] = {}
    quotes = []
    for q in sorted(ad.quotes, key=quote_order):
        quote_spans.append(_token_span(doc, q.start, q.end, q.type))
        cue = None
        if q.cue is not None:
            cue = cue_index.setdefault((q.cue.start, q.cue.end), len(cues))
            if cue == len(cues):
                cues.append(_offsets(q.cue))
                cue_spans.append(_token_span(doc, q.cue.start, q.cue.end, "cue"))
        speaker = None
        if q.speaker is not None:
            s = q.speaker
            mention = None
            if s.mention is not None:
                key = (s.mention.start, s.mention.end, s.name, s.kind)
                mention = speaker_index.setdefault(key, len(speakers))
                if mention == len(speakers):
                    speakers.append(_offsets(s.mention))
                    speaker_spans.append(_token_span(doc, s.mention.start, s.mention.end, s.kind, s.name))
            speaker = {"name": s.name, "kind": s.kind, "aliases": list(s.aliases), "mention": mention}
        record: dict[str, Any] = {
            "start": q.start, "end": q.end, "type": q.type, "cue": cue, "speaker": speaker,
            "role": q.role, "role_category": q.role_category, "via": q.via,
        }
        if q.adjudication is not None:
            record["adjudication"] = q.adjudication
        quotes.append(record)
    doc.spans["quotes"] = quote_spans
    doc.spans["cues"] = cue_spans
    doc.spans["speakers"] = speaker_spans
    return {
        "id": ad.document.id,
        "lang": ad.document.lang,
        "tokenizer": tokeniser_lang,
        "meta": ad.document.meta,
        "labels": labels,
        "quotes": quotes,
        "cues": cues,
        "speakers": speakers,
    }


def _offsets(span: Span) -> dict[str, int]:
    return {"start": span.start, "end": span.end}


def _token_span(doc: Any, start: int, end: int, label: str, kb_id: str = "") -> Any:
    """The tokens the characters ``[start, end)`` touch; an empty span where they touch none
    (an empty range, or white space between tokens), so every label keeps its place in its group."""
    if start < end:
        span = doc.char_span(start, end, label=label, kb_id=kb_id, alignment_mode="expand")
        if span is not None:
            return span
    from spacy.tokens import Span as TokenSpan

    at = next((t.i for t in doc if t.idx >= start), len(doc))
    return TokenSpan(doc, at, at, label=label, kb_id=kb_id)
