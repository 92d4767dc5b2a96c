"""What every stage of one document's analysis reads: the text, its lexicon, the mention parser
and the sentences, passed explicitly rather than inherited."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.attribution.lexicon import Lexicon
from annotator.attribution.mentions import MentionParser
from annotator.attribution.sentences import Sentences


@dataclass(frozen=True, slots=True)
class Context:
    text: str
    lex: Lexicon
    parser: MentionParser
    sentences: Sentences
    scope: str = "all"  # see rules.SCOPES
