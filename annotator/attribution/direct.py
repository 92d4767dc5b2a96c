"""Direct quotes: a quote for each quotation in marks, with the cue event that attributes it.

News puts the cue right after the quotation, in its sentence, or before it; else the sentence's
subject speaks, or a dash signature, or the speaker of the quotation it continues. Transcript
lines belong to their label; a quoted title of a work is no quotation.
"""

from __future__ import annotations

import bisect

from annotator.attribution.candidates import Candidate
from annotator.attribution.constructions import (
    CONSTRUCTIONS,
    DASH_SIGNATURE,
    SENTENCE_SUBJECT,
    TRANSCRIPT_LABEL,
    Event,
)
from annotator.attribution.context import Context
from annotator.attribution.lexicon import WORD
from annotator.attribution.marks import SPEAKER_LABEL, Marked
from annotator.attribution.sentences import count_words
from annotator.model import Span

_MIN_UNATTRIBUTED_WORDS = 5
_MIN_SUBJECT_WORDS = 2  # a fragment shorter than this needs a reporting verb (scare quotes)
_FOLLOW_WINDOW = 1200  # a quote with no cue continues the previous speaker this close


class DirectQuotes:
    """The direct quotes of one text, given its cue events (``events``, in text order;
    ``cue_starts`` their starts, for bisecting)."""

    def __init__(self, ctx: Context, events: list[Event], cue_starts: list[int]):
        self.ctx = ctx
        self.text = ctx.text
        self.lex = ctx.lex
        self.parser = ctx.parser
        self.sentences = ctx.sentences
        self.public_only = ctx.scope == "public"  # only quotes framed by a cue are kept
        self.events = events
        self.cue_starts = cue_starts
        # sentence start -> the event of its subject, read once for all the fragments it holds
        self.subject_events: dict[int, Event | None] = {}

    def quotes(self, marked: list[Marked]) -> list[Candidate]:
        """A quote for each marked quotation, with the cue event that attributes it.

        The event is looked for where news puts it — right after the quote, in its sentence, before
        it, the sentence's subject — else the previous quote's when this one follows it closely (a
        quotation continued), else the nearest before. Transcript lines (PENCE: …) belong to their
        label; a quoted title of a work is no quotation; fragments of one sentence and one speaker
        are joined into one mixed quote. With scope public, only quotes framed by a cue are kept.
        """
        text, events, cue_starts = self.text, self.events, self.cue_starts
        out: list[Candidate] = []
        prev: tuple[Candidate, Event | None] | None = None
        for mk in marked:
            label = None
            if mk.start == 0 or text[mk.start - 1] == "\n":  # a line of its own
                label = SPEAKER_LABEL.match(text, mk.start + 1, mk.end)
            if label is not None:
                # a transcript line: '"PENCE: Well, look, …' is said by the speaker its label names
                q = Candidate(label.end(), mk.end, "direct")
                event = TRANSCRIPT_LABEL.event(label)
                q.event = event
                if count_words(text, 1, label.end(), mk.end):
                    out.append(q)
                    prev = (q, event)
                continue
            content = text[mk.start : mk.end]
            words = count_words(content, _MIN_UNATTRIBUTED_WORDS)
            if words == 0:
                continue
            s_start, s_end = self.sentences.sentence_of(mk.start)
            mid_sentence = bool(text[s_start : mk.start].strip(" \t\n\"“”‘’'«»„‟"))
            if mid_sentence and self._names_a_work(mk, content):
                continue  # bertajuk ”Indonesia 2045”, a title in title case: no quotation
            if mid_sentence:
                # a fragment inside a sentence: its reporting verb, or the sentence's subject;
                # a quotation of whole sentences (after a heading or an initial run into it)
                # is read up to the end of the sentence its closing mark stands in
                tail_end = s_end
                if s_end < mk.end and text[mk.end - 2 : mk.end - 1] not in (".", "!", "?", "…"):
                    tail_end = self.sentences.sentence_of(mk.end)[1]  # ”…,” kata X: the cue ends the sentence
                event = (
                    self._event_after(mk, events, cue_starts, within=min(tail_end, mk.end + 40))
                    or self._event_in_sentence(mk, events, cue_starts)
                    or self._event_before(mk, events, cue_starts)
                    or self._event_after(mk, events, cue_starts, within=tail_end)
                )
                if event is None and words >= _MIN_SUBJECT_WORDS:
                    event = self._subject_event(s_start, mk.start)
            else:
                event = (
                    self._event_after(mk, events, cue_starts)
                    or self._dash_signature(mk)
                    or self._event_before(mk, events, cue_starts)
                )
            # a cue of its own (or a signature) frames the quote; a sentence subject does not
            framed = event is not None and CONSTRUCTIONS[event.kind].frames
            found = event is not None  # else an event found below is an earlier quote's, carried on
            if event is None and prev is not None and prev[1] is not None:
                pq, pe = prev
                gap = text[pq.end : mk.start]
                if mk.start - pq.end <= _FOLLOW_WINDOW and not (
                    len(gap) > 200 and bisect.bisect_left(cue_starts, mk.start) > bisect.bisect_left(cue_starts, pq.end)
                ):
                    event = pe
            if event is None and words < _MIN_UNATTRIBUTED_WORDS:
                continue
            if event is None:
                event = self._nearest_event_before(mk.start, events, cue_starts)
            if not framed and self.public_only:
                continue  # public statements are reported with a cue (PFSA-ID's convention)
            q = Candidate(mk.start, mk.end, "direct")
            if event is not None:
                if event.cue_end > event.cue_start:
                    q.cue = Span(event.cue_start, event.cue_end, text[event.cue_start : event.cue_end])
                q.event = event
                q.carried_on = not found
            if (
                mid_sentence and event is not None and prev is not None and prev[1] is event
                and out and out[-1] is prev[0] and out[-1].start > s_start + 1
                and mk.start - out[-1].end < 80
                and not (out[-1].end <= event.cue_start < mk.start)
                and bool(text[s_start : out[-1].start].strip(" \t\n\"“”‘’'«»„‟"))
            ):
                # “false” or “pants on fire”: fragments of one sentence and one speaker are one quote
                first = out[-1]
                first.end, first.type = mk.end, "mixed"
                prev = (first, event)
                continue
            out.append(q)
            prev = (q, event)
        return out

    def _event_after(
        self, mk: Marked, events: list[Event], cue_starts: list[int], within: int | None = None
    ) -> Event | None:
        """The cue event that follows a quotation and attributes it: ", kata X", "said X", "X mengatakan".

        Looked for up to ``within`` and the end of the paragraph (or in a cue opening the next
        paragraph); another sentence or quotation coming first means the cue is not this quote's.
        A verb without a subject of its own takes the description next to it ("…," the letter reads).
        """
        text = self.text
        inner_last = text[mk.end - 2 : mk.end - 1] if mk.closed else ""
        tail_start = mk.end
        window_end = min(len(text), mk.end + 320, within if within is not None else len(text))
        nl = text.find("\n", mk.end, window_end)
        if nl >= 0:
            if mk.closed and not text[mk.end : nl].strip():
                carried = self._cue_opening_next_paragraph(nl, events, cue_starts)
                if carried is not None:
                    return carried
            window_end = nl
        i = bisect.bisect_left(cue_starts, tail_start)
        while i < len(events) and events[i].cue_start < window_end:
            ev = events[i]
            between = text[tail_start : ev.cue_start]
            stripped = between.strip(" \t,.;:—–-")
            i += 1
            k = bisect.bisect_right(self.sentences.starts, tail_start + 1)
            next_sentence_first = k < len(self.sentences.starts) and self.sentences.starts[k] <= ev.cue_start
            if next_sentence_first or any(ch in between for ch in "“”\"«»"):
                break
            construction = CONSTRUCTIONS[ev.kind]
            if inner_last == "." and stripped and stripped[:1].isupper() and not construction.speaker_before_cue:
                break
            gap_start = tail_start + len(between) - len(between.lstrip(" \t,.;:—–-"))
            if not stripped:
                # cue right after the quote: ", kata X", ", katanya", "said X"
                found = construction.right_after_quote(self.ctx, ev, window_end)
                if found is not None:
                    return found
                continue
            found = construction.after_gap(self.ctx, ev, tail_start, gap_start, stripped)
            if found is not None:
                return found
            break
        return None

    def _cue_opening_next_paragraph(self, nl: int, events: list[Event], cue_starts: list[int]) -> Event | None:
        """”…!”⏎⏎kata Budi dalam video itu: a paragraph that opens in lower case with a cue and its
        speaker finishes the quote above it (a line break slipped in before the cue)."""
        text = self.text
        k = nl
        while k < len(text) and text[k].isspace():
            k += 1
        if k >= len(text) or not text[k].islower():
            return None
        i = bisect.bisect_left(cue_starts, k)
        if i < len(events) and events[i].cue_start == k:
            ev = events[i]
            if ev.mention is not None and (ev.subject_after or CONSTRUCTIONS[ev.kind].speaker_in_cue):
                return ev
        return None

    def _event_in_sentence(self, mk: Marked, events: list[Event], cue_starts: list[int]) -> Event | None:
        """A fragment inside a reported clause: X said that it was “a mistake”."""
        s_start, _ = self.sentences.sentence_of(mk.start)
        head = self.text[s_start : mk.start]
        if not head.strip() or head.rstrip()[-1:] in ",:—–":
            return None
        j = bisect.bisect_left(cue_starts, mk.start) - 1
        while j >= 0 and events[j].cue_start >= s_start:
            ev = events[j]
            j -= 1
            if ev.mention is None or not CONSTRUCTIONS[ev.kind].holds_fragment(ev):
                continue
            return ev
        return None

    def _names_a_work(self, mk: Marked, content: str) -> bool:
        """A title rather than a quotation: after a naming word (bertajuk, titled) or in title case."""
        before = self.text[max(0, mk.start - 30) : mk.start].split()
        if before and before[-1].casefold().strip(",:") in self.lex.title_markers:
            return True
        words = [w for w in WORD.findall(content) if w[:1].isalpha()]
        if len(words) < 2 or any(ch in content[1:-2] for ch in ".!?"):
            return False
        capitalised = sum(1 for w in words if w[:1].isupper())
        return capitalised / len(words) >= 0.6 and capitalised >= 2

    def _subject_event(self, s_start: int, pos: int) -> Event | None:
        """The subject of the sentence holding a quoted fragment: Gingrich dismissed Estonia as “…”."""
        if s_start in self.subject_events:
            return self.subject_events[s_start]
        event = SENTENCE_SUBJECT.find(self.ctx, s_start, pos)
        self.subject_events[s_start] = event
        return event

    def _dash_signature(self, mk: Marked) -> Event | None:
        """“…” ― Sonya Herridge: a name after a dash closing the quote."""
        return DASH_SIGNATURE.find(self.ctx, mk.end)

    def _event_before(self, mk: Marked, events: list[Event], cue_starts: list[int]) -> Event | None:
        text = self.text
        head = mk.start  # the end of the text before the quote, less its trailing white space
        while head > 0 and text[head - 1].isspace():
            head -= 1
        last = text[head - 1] if head else ""
        if not head or last not in ",:—–":
            # a paragraph that ends in a colon introduces the quote below it
            if not (last == ":" and "\n" in text[head : mk.start]):
                return None
        s_start, _ = self.sentences.sentence_of(head - 1)
        j = bisect.bisect_left(cue_starts, mk.start) - 1
        while j >= 0 and events[j].cue_start >= s_start:
            ev = events[j]
            j -= 1
            if ev.mention is None:
                continue
            if any(ch in text[ev.cue_end : head] for ch in "“”\""):
                break
            return ev
        return None

    def _nearest_event_before(self, pos: int, events: list[Event], cue_starts: list[int]) -> Event | None:
        p_start, _ = self.sentences.paragraph_of(pos)
        prev_para_start, _ = self.sentences.paragraph_of(max(0, p_start - 2))
        j = bisect.bisect_left(cue_starts, pos) - 1
        while j >= 0 and events[j].cue_start >= prev_para_start:
            ev = events[j]
            j -= 1
            if ev.mention is not None and CONSTRUCTIONS[ev.kind].carries_on:
                return ev
        return None
