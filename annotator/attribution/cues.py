"""Cue events: every reporting word of a text with the mention it attributes to.

The cue scanner of the lexicon finds the reporting words; here each becomes an ``Event`` with its
speaker mention, read where its construction (constructions.py) puts it: after a short cue
(*kata X*), *menurut X* / *according to X* and a passive frame (*diucapkan X*); before a
reporting verb (*X mengatakan*, *X said*), or after it when inverted (*"…," said X*); a clitic
(*katanya*) is its own mention.
"""

from __future__ import annotations

from annotator.attribution.constructions import COLON_FRAME, CONSTRUCTIONS, NOMINAL_CUE, Event
from annotator.attribution.context import Context


def find_events(ctx: Context) -> list[Event]:
    """Every reporting cue of the text with the mention it attributes to, in text order.

    Each cue's construction reads its speaker (``Construction.read``). Cues that report nothing
    are dropped, once for all quotes: a capitalised word inside a sentence (a name) here; a noun
    after a preposition, a negated verb by their construction.
    """
    text = ctx.text
    events: list[Event] = []
    for m in ctx.lex.cues.finditer(text):
        s_start, s_end = ctx.sentences.sentence_of(m.start())
        if m.group()[:1].isupper() and text[s_start : m.start()].strip(" \t\"“”‘’'(—–-"):
            continue  # a capitalised word inside a sentence is a name (United States)
        kind = next(iter(m.groupdict()))  # the scanner names a match's first group by its kind
        ev = CONSTRUCTIONS[kind].read(ctx, m, s_start, s_end, events)
        if ev is not None:
            events.append(ev)
    found = COLON_FRAME.find(ctx) + NOMINAL_CUE.find(ctx)
    if found:
        events = sorted(events + found, key=lambda e: e.cue_start)
    return events
