"""The kinds of cue event: how a construction attributes a quotation, one name for every stage.

A ``StrEnum`` so that the cue scanner's match groups (named by kind) and a kind compare alike,
and so a misspelt kind is an ``AttributeError`` rather than a comparison that is never true.
"""

from __future__ import annotations

from enum import StrEnum


class CueKind(StrEnum):
    SHORT = "short"  # kata X
    CLITIC = "clitic"  # katanya
    VERB = "verb"  # X mengatakan, X said, "…," said X
    ACCORDING = "according"  # menurut X, according to X
    PASSIVE = "passive"  # diucapkan X, disampaikan oleh X
    LABEL = "label"  # a transcript line's label (X: "…")
    SUBJECT = "subject"  # the sentence's subject speaks, no cue
    DASH = "dash"  # a dash signature ("…" — X)
    COLON = "colon"  # a line opening with a name and a colon (Pence: …)
    NOUN = "noun"  # a possessor and a reporting noun (Trump's claim that …)
