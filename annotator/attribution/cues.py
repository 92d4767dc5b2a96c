"""Cue events: every reporting word of a text with the mention it attributes to.

The cue scanner of the lexicon finds the reporting words; here each becomes an ``Event`` with its
speaker mention, read where the construction puts it: after a short cue (*kata X*), *menurut X* /
*according to X* and a passive frame (*diucapkan X*); before a reporting verb (*X mengatakan*,
*X said*), or after it when inverted (*"…," said X*); a clitic (*katanya*) is its own mention.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from annotator.attribution.context import Context
from annotator.attribution.cue_scanner import ACLITIC
from annotator.attribution.entities import Entity
from annotator.attribution.kinds import CueKind
from annotator.attribution.mentions import Mention

_RELAY = regex.compile(r"[ \t]*,?[ \t]*([\p{L}]+)[ \t]+")
_BY = regex.compile(r"\s+(?:oleh|by)\b")


@dataclass(slots=True)
class Event:
    """A reporting word and the mention it attributes to."""

    cue_start: int
    cue_end: int
    kind: CueKind
    mention: Mention | None
    entity: Entity | None = None
    subject_after: bool = False  # the mention follows the cue (kata X, said X)
    via: str | None = None  # the outlet relaying it: "KCNA … melaporkan, mengutip Komisi …"
    clause_start: int | None = None  # where the reported clause may start, past a relayed source


def find_events(ctx: Context) -> list[Event]:
    """Every reporting cue of the text with the mention it attributes to, in text order.

    The speaker is read after short cues (*kata X*), *menurut X* and passive frames, and before a
    reporting verb (after it when inverted: "…," said X; or shared with the previous verb of
    the sentence). Cues that report nothing are dropped here, once for all quotes: a
    capitalised word inside a sentence (a name), a noun after a preposition, a negated verb.
    """
    text, parser, lex = ctx.text, ctx.parser, ctx.lex
    events: list[Event] = []
    for m in lex.cues.finditer(text):
        s_start, s_end = ctx.sentences.sentence_of(m.start())
        if m.group()[:1].isupper() and text[s_start : m.start()].strip(" \t\"“”‘’'(—–-"):
            continue  # a capitalised word inside a sentence is a name (United States)
        groups = m.groupdict()
        if groups.get(CueKind.SHORT):
            if groups.get(CueKind.CLITIC):
                c = m.start(CueKind.CLITIC)
                events.append(Event(m.start(), c, CueKind.CLITIC, Mention(c, m.end(), "clitic")))
                continue
            before = parser.word_before(m.start(), s_start)
            if before is not None and (before.fold in lex.prepositions or before.fold in lex.determiners):
                continue  # "dari pesan Whatsapp", "sang kata": a noun, not a reporting word
            mention = parser.forward(m.end(), s_end)
            if mention is None:
                continue
            events.append(Event(m.start(), m.end(), CueKind.SHORT, mention, subject_after=True))
        elif groups.get(CueKind.ACCORDING):
            if groups.get(ACLITIC):
                c = m.start(ACLITIC)
                events.append(Event(m.start(), c, CueKind.ACCORDING, Mention(c, m.end(), "clitic"), subject_after=True))
                continue
            mention = parser.forward(m.end(), s_end)
            if mention is not None:
                events.append(Event(m.start(), m.end(), CueKind.ACCORDING, mention, subject_after=True))
        elif groups.get(CueKind.PASSIVE):
            pos = m.end()
            by = _BY.match(text[pos : pos + 6])
            if by:
                pos += by.end()
            mention = parser.forward(pos, s_end)
            if mention is not None:
                events.append(Event(m.start(), m.end(), CueKind.PASSIVE, mention, subject_after=True))
        else:
            before = text[s_start : m.start()].rstrip()
            inverted = bool(before) and (
                before[-1] in "”\"’'»" or (lex.verb_inversion and before[-1] == ",")
            )
            mention = None
            after = False
            if inverted:
                mention = parser.forward(m.end(), s_end)
                after = mention is not None
            if mention is None and before.endswith(",") and events:
                # "X mengonfirmasi …, mengakui …": a second verb shares the subject
                prev = events[-1]
                if (
                    prev.kind == CueKind.VERB
                    and prev.cue_start >= s_start
                    and prev.mention is not None
                    and not prev.subject_after
                ):
                    mention = prev.mention
            if mention is None:
                mention = parser.backward(m.start(), s_start)
            if mention is None and not inverted:
                mention = _sentence_subject_before(ctx, s_start, m.start())
            if _negated(ctx, m.start(), s_start):
                continue
            ev = Event(m.start(), m.end(), CueKind.VERB, mention, subject_after=after)
            _relayed(ctx, ev, s_start, s_end)
            events.append(ev)
    return events


def _negated(ctx: Context, cue: int, s_start: int) -> bool:
    """Whether a negation stands right before the verb (belum mengonfirmasi, did not say)."""
    before = ctx.text[max(s_start, cue - 20) : cue].casefold().split()
    return bool(before) and before[-1] in ctx.lex.negations


def _relayed(ctx: Context, ev: Event, s_start: int, s_end: int) -> None:
    """Who is really quoted when the subject only relays: X melaporkan, mengutip Y / X, citing Y, said."""
    text, lex = ctx.text, ctx.lex
    if ev.mention is None or not lex.cue_report_object:
        return
    after = _RELAY.match(text, ev.cue_end, s_end)
    if after and after.group(1).casefold() in lex.cue_report_object:
        source = ctx.parser.forward(after.end(), s_end)
        if source is not None and source.kind != "pronoun":
            ev.via = text[ev.mention.start : ev.mention.end]
            ev.mention = source
            ev.clause_start = _end_of_phrase(text, source.end, s_end)
        return
    if ev.subject_after or ev.mention.end > ev.cue_start:
        return
    between = text[ev.mention.end : ev.cue_start]
    inner = _RELAY.match(between)
    if inner and inner.group(1).casefold() in lex.cue_report_object:
        source = ctx.parser.forward(ev.mention.end + inner.end(), ev.cue_start)
        if source is not None and source.kind != "pronoun":
            ev.via = text[ev.mention.start : ev.mention.end]
            ev.mention = source


def _end_of_phrase(text: str, pos: int, limit: int) -> int:
    """After a relayed source: past its trailing description up to the next comma."""
    comma = text.find(",", pos, limit)
    return limit if comma < 0 else comma + 1


def _sentence_subject_before(ctx: Context, s_start: int, cue: int) -> Mention | None:
    """The named subject that opens the sentence a little before its verb (X pada Senin mengakui)."""
    lead = ctx.sentences.lead(s_start)
    pos = lead.end() if lead else s_start
    m = ctx.parser.forward(pos, cue)
    if m is None or m.kind == "pronoun" or cue - m.end > 80 or "," in ctx.text[m.end : cue]:
        return None
    return m
