"""The candidate quote that stages pass to each other, turned into a ``Quote`` only at the end.

A stage finds a span and the cue event that attributes it; the speaker, role and via are read
from the event once every mention of the text has been clustered (rules.py). What the stages
need to know of each other's candidates is here, typed, rather than in ``Quote.extra``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.attribution.constructions import Event
from annotator.model import Quote, QuoteType, Span


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    type: QuoteType  # direct, indirect, mixed
    cue: Span | None = None
    event: Event | None = None  # the cue event that attributes it, if any
    absorbs: list[tuple[int, int]] = field(default_factory=list)  # quotations a mixed quote takes in

    def to_quote(self, text: str) -> Quote:
        """The pending quote of this candidate, still without speaker, role and via."""
        text_of = text[self.start : self.end]
        return Quote(start=self.start, end=self.end, text=text_of, type=self.type, cue=self.cue, status="pending")
