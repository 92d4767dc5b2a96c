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
from annotator.attribution.lexicon import WORD

_TITLE_WORD = 4  # letters of the words a headline capitalises (not: a, of, to, the, and)
_TITLE_SHARE = 0.8  # share of those words a title-case headline capitalises


def find_events(ctx: Context) -> list[Event]:
    """Every reporting cue of the text with the mention it attributes to, in text order.

    Each cue's construction reads its speaker (``Construction.read``). Cues that report nothing
    are dropped, once for all quotes: a capitalised word inside a sentence (a name) here, unless
    its line is a headline in title case (Chris Christie Calls Hillary Clinton ‘A Disgrace’); a
    noun after a preposition, a negated verb by their construction.
    """
    text = ctx.text
    events: list[Event] = []
    headlines: dict[int, bool] = {}
    for m in ctx.lex.cues.finditer(text):
        s_start, s_end = ctx.sentences.sentence_of(m.start())
        capitalised = m.group()[:1].isupper() and text[s_start : m.start()].strip(" \t\"“”‘’'(—–-")
        headline_only = m.group().casefold() in ctx.lex.headline_verbs
        if capitalised or headline_only:
            line_start, line_end = ctx.sentences.paragraph_of(m.start())
            if line_start not in headlines:
                headlines[line_start] = _title_case(text[line_start:line_end])
            if not headlines[line_start]:
                continue  # a capitalised word inside a sentence is a name (United States); Akui reports in a headline
            if capitalised:
                ctx.parser.mark_cue_word(m.start())
        kind = next(iter(m.groupdict()))  # the scanner names a match's first group by its kind
        ev = CONSTRUCTIONS[kind].read(ctx, m, s_start, s_end, events)
        if ev is not None:
            events.append(ev)
    found = COLON_FRAME.find(ctx) + NOMINAL_CUE.find(ctx)
    if found:
        events = sorted(events + found, key=lambda e: e.cue_start)
    return events


def _title_case(line: str) -> bool:
    """Whether a line is a headline in title case: nearly every word of four letters or more
    capitalised, and at least three of them."""
    long = [w for w in WORD.findall(line) if len(w) >= _TITLE_WORD and w[:1].isalpha()]
    capitalised = sum(1 for w in long if w[:1].isupper())
    return len(long) >= 3 and capitalised >= _TITLE_SHARE * len(long)
