"""The candidate quote that stages pass to each other, turned into a ``Quote`` only at the end.

A stage finds a span and the cue event that attributes it; the speaker, role and via are read
from the event once every mention of the text has been clustered (rules.py). What the stages
need to know of each other's candidates is here, typed, rather than in ``Quote.extra``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.attribution.constructions import CONSTRUCTIONS, Event
from annotator.model import Quote, QuoteType, Span


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    type: QuoteType  # direct, indirect, mixed
    cue: Span | None = None
    event: Event | None = None  # the cue event that attributes it, if any
    absorbs: list[tuple[int, int]] = field(default_factory=list)  # quotations a mixed quote takes in
    carried_on: bool = False  # its event is an earlier quote's, carried on to a quote with no cue of its own

    @property
    def construction(self) -> str:
        """What proposed it, for counting what each rule gets right (bench/quality.py): its event's
        construction (``Construction.label``), "continuation" when it carries an earlier quote's
        event on, "no cue" without an event."""
        if self.event is None:
            return "no cue"
        if self.carried_on:
            return "continuation"
        return CONSTRUCTIONS[self.event.kind].label

    def to_quote(self, text: str) -> Quote:
        """The pending quote of this candidate, still without speaker, role and via."""
        text_of = text[self.start : self.end]
        return Quote(start=self.start, end=self.end, text=text_of, type=self.type, cue=self.cue, status="pending")
