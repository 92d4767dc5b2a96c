"""Reported clauses: what a cue reports without quotation marks, as an indirect quote, or as a
mixed quote when a quotation stands inside the clause.

Where the clause lies depends on the cue's construction (``Construction.clause``): after the verb
(past *bahwa* / *that*) for a subject and its verb, across the comma for *menurut X* and for a
cue after its clause, the previous sentence for a passive frame.
"""

from __future__ import annotations

import bisect

from annotator.attribution.candidates import Candidate
from annotator.attribution.constructions import CONSTRUCTIONS, Event
from annotator.attribution.context import Context
from annotator.attribution.marks import Marked, quotation_at
from annotator.attribution.sentences import count_words
from annotator.model import Span


class ReportedClauses:
    """The reported clauses of one text's cue events (``events``, in text order; ``cue_starts``
    their starts, for bisecting)."""

    def __init__(self, ctx: Context, events: list[Event], cue_starts: list[int]):
        self.text = ctx.text
        self.lex = ctx.lex
        self.sentences = ctx.sentences
        self.events = events
        self.cue_starts = cue_starts

    def quotes(self, marked: list[Marked], direct: list[Candidate]) -> list[Candidate]:
        """The reported clause of each cue with a speaker, as an indirect quote (mixed when it holds
        a quotation).

        Dropped: clauses under three words, a clause holding a quotation another cue attributes, a
        cue's clause when the cue introduces a direct quote, and a report nested in a reported
        clause. The direct quotes a mixed quote absorbs are removed from ``direct`` (in place), so
        no text is attributed twice.
        """
        used = {id(q.event) for q in direct}
        owner = {(q.start, q.end): q.event for q in direct if q.event is not None}
        mark_starts = [m.start for m in marked]
        out: list[Candidate] = []
        for ev in self.events:
            if ev.mention is None:
                continue
            quotation = quotation_at(marked, mark_starts, ev.cue_start)
            if quotation is not None and ev.mention.start >= quotation.start:
                continue  # "I think …" inside a quotation: the quotation is its speaker's words
            s_start, s_end = self.sentences.sentence_of(ev.cue_start)
            for start, end in CONSTRUCTIONS[ev.kind].clauses(self, ev, s_start, s_end):
                quote = self._clause_quote(ev, start, end, marked, mark_starts, id(ev) in used, owner)
                if quote is not None:
                    out.append(quote)
        out.sort(key=lambda q: (q.start, -q.end))
        nested: list[Candidate] = []
        for q in out:
            if nested and q.start < nested[-1].end and q.end <= nested[-1].end:
                outer = nested[-1]
                if (q.start, q.end) == (outer.start, outer.end) and CONSTRUCTIONS[q.event.kind].restates:
                    nested[-1] = q  # "… mengakui bahwa X. Hal itu diucapkan Y": Y said X
                    continue
                cut = self._coordinated_report(outer, q)
                if cut is None:
                    continue  # a report inside a reported clause ("mengatakan telah meminta …")
                outer.end = cut  # "X said A, and Y warned that B": two reports, side by side
            nested.append(q)
        out = nested
        if out:
            absorbed = {se for q in out for se in q.absorbs}
            kept = [q for q in direct if (q.start, q.end) not in absorbed]
            direct[:] = kept
        return out

    def _clause_quote(
        self, ev: Event, start: int, end: int, marked: list[Marked], mark_starts: list[int], used: bool, owner: dict
    ) -> Candidate | None:
        """The quote of one reported clause ``start``–``end`` of ``ev`` (trimmed), or None when it is
        dropped (see ``quotes``); ``used``: the cue attributes a direct quote; ``owner``: the event
        attributing each direct quote, by its span; a quote whose cue is inside the clause is
        reported with it ("Ditto said she expects the campaign “to continue …”")."""
        text = self.text
        while start < end and text[start] in " \t,:;":
            start += 1
        while end > start and text[end - 1] in " \t\n,.;":
            end -= 1
        if count_words(text, 3, start, end) < 3:
            return None
        first = bisect.bisect_left(mark_starts, start)
        inside = marked[first : bisect.bisect_left(mark_starts, end, first)]  # not every later quotation read
        for m in inside:
            other = owner.get((m.start, m.end), ev)
            if other is ev or not CONSTRUCTIONS[other.kind].frames:
                continue  # its own, or given to the sentence's subject for want of a cue
            if not (start <= other.cue_start < end and ev.cue_end <= other.cue_start):
                return None  # the clause holds a quote attributed to another cue, not one it reports
        if used and not inside:
            return None  # the cue introduces a direct quote, not a reported clause
        if inside and inside[0].start <= start + 1 and inside[-1].end >= end - 1 and len(inside) == 1:
            return None  # the clause is a direct quote, attributed above
        qtype = "mixed" if inside else "indirect"
        cue = Span(ev.cue_start, ev.cue_end, text[ev.cue_start : ev.cue_end])
        return Candidate(start, end, qtype, cue, ev, [(m.start, m.end) for m in inside])

    def _coordinated_report(self, outer: Candidate, inner: Candidate) -> int | None:
        """Where ``outer`` ends when ``inner``, inside it, is a report of its own joined to it (", and
        human rights groups warned that …"), not a report it reports; None when it is embedded."""
        ev = inner.event
        if ev is None or ev.mention is None or ev.subject_after or ev.mention.start <= outer.start:
            return None
        text = self.text
        head = text[outer.start : ev.mention.start].rstrip()
        last = head.rsplit(None, 1)[-1] if head else ""
        if last.casefold() in self.lex.coordinators or (
            last.casefold() in self.lex.clause_openers and last.casefold() not in self.lex.complementisers
        ):
            head = head[: -len(last)].rstrip()  # ", and human rights groups warned", ", though she noted"
        elif not head.endswith((",", ";")):
            return None
        end = outer.start + len(head.rstrip(",; "))
        if count_words(text, 3, outer.start, end) < 3 or outer.absorbs:
            return None
        return end

    def next_coordinated_cue(self, start: int, s_end: int) -> int:
        """The comma or the *and* before a second reporting verb of the same subject ends the first
        clause (X mengonfirmasi …, mengakui …; X attacked … and called for …)."""
        text = self.text
        i = bisect.bisect_left(self.cue_starts, start)
        while i < len(self.events) and self.events[i].cue_start < s_end:
            ev = self.events[i]
            i += 1
            if not CONSTRUCTIONS[ev.kind].coordinates:
                continue
            k = ev.cue_start  # the end of text[start:cue].rstrip(), without copying the clause
            while k > start and text[k - 1].isspace():
                k -= 1
            if k > start and text[k - 1] == ",":
                return k - 1
            j = k
            while j > start and text[j - 1].isalpha():
                j -= 1
            if j > start and text[j:k].casefold() in self.lex.coordinators and text[j - 1].isspace():
                return j
        return s_end

    def cue_between(self, start: int, end: int) -> bool:
        """Whether a reporting cue starts between ``start`` and ``end``."""
        i = bisect.bisect_left(self.cue_starts, start)
        return i < len(self.cue_starts) and self.cue_starts[i] < end

    def complementiser(self, clause: str) -> int | None:
        """Where a clause starts past its complementiser (bahwa, that), or None without one; a
        complementiser ends no clause ("… could change that.")."""
        m = self.lex.complementiser.search(clause)
        return m.end() if m and count_words(clause, 2, m.end()) >= 2 else None
