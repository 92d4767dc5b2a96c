"""Automatic quote attribution: an attributor takes a document and returns candidate quotes.

Every quote it returns has status ``pending`` (a suggestion for the annotator),
spans that lie inside the document text, and, when found, a cue, a speaker
(name, kind, mention, aliases) and a role.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from annotator.attribution.lexicon import available_languages, detect_language, load_lexicon
from annotator.attribution.records import attribute_records
from annotator.attribution.rules import SCOPES, RuleAttributor
from annotator.model import Document, Quote

__all__ = [
    "SCOPES",
    "Attributor",
    "RuleAttributor",
    "attribute_records",
    "available_languages",
    "detect_language",
    "get_attributor",
    "load_lexicon",
    "predict_document",
]


@runtime_checkable
class Attributor(Protocol):
    name: str

    def attribute(self, document: Document) -> list[Quote]:
        """Candidate quotes of ``document`` (status ``pending``), in text order."""
        ...


def get_attributor(name: str = "builtin", language: str | None = None) -> Attributor:
    """The attributor called ``name``; ``language`` forces a lexicon instead of the document's."""
    if name != "builtin":
        raise KeyError(f"unknown attributor {name!r} (available: builtin)")
    if language is not None:
        load_lexicon(language)  # a clear KeyError now rather than on the first document
    return RuleAttributor(language)


_DEFAULT = RuleAttributor()


def predict_document(document: Document, language: str | None = None) -> list[Quote]:
    """The built-in attributor's quotes for one document."""
    if language is None:
        return _DEFAULT.attribute(document)
    return RuleAttributor(language).attribute(document)
