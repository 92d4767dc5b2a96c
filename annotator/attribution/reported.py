"""Reported clauses: what a cue reports without quotation marks, as an indirect quote, or as a
mixed quote when a quotation stands inside the clause.

Where the clause lies depends on the cue: after the verb (past *bahwa* / *that*) for a subject
and its verb, across the comma for *menurut X* and for a cue after its clause, the previous
sentence for a passive frame.
"""

from __future__ import annotations

import bisect

from annotator.attribution.candidates import Candidate
from annotator.attribution.constructions import Event
from annotator.attribution.context import Context
from annotator.attribution.kinds import CueKind
from annotator.attribution.marks import Marked
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
        text = self.text
        used = {id(q.event) for q in direct}
        owner = {(q.start, q.end): id(q.event) for q in direct if q.event is not None}
        mark_starts = [m.start for m in marked]
        out: list[Candidate] = []
        for ev in self.events:
            if ev.mention is None:
                continue
            s_start, s_end = self.sentences.sentence_of(ev.cue_start)
            span = self._reported_clause(ev, s_start, s_end)
            if span is None:
                continue
            start, end = span
            while start < end and text[start] in " \t,:;":
                start += 1
            while end > start and text[end - 1] in " \t\n,.;":
                end -= 1
            if count_words(text, 3, start, end) < 3:
                continue
            inside = [m for m in marked[bisect.bisect_left(mark_starts, start) :] if m.start < end]
            if any(owner.get((m.start, m.end), id(ev)) != id(ev) for m in inside):
                continue  # the clause holds a quote attributed to another cue
            if id(ev) in used and not inside:
                continue  # the cue introduces a direct quote, not a reported clause
            if inside and inside[0].start <= start + 1 and inside[-1].end >= end - 1 and len(inside) == 1:
                continue  # the clause is a direct quote, attributed above
            qtype = "mixed" if inside else "indirect"
            cue = Span(ev.cue_start, ev.cue_end, text[ev.cue_start : ev.cue_end])
            out.append(Candidate(start, end, qtype, cue, ev, [(m.start, m.end) for m in inside]))
        out.sort(key=lambda q: (q.start, -q.end))
        nested: list[Candidate] = []
        for q in out:
            if nested and q.start < nested[-1].end and q.end <= nested[-1].end:
                if (q.start, q.end) == (nested[-1].start, nested[-1].end) and q.event.kind == CueKind.PASSIVE:
                    nested[-1] = q  # "… mengakui bahwa X. Hal itu diucapkan Y": Y said X
                continue  # a report inside a reported clause ("mengatakan telah meminta …")
            nested.append(q)
        out = nested
        if out:
            absorbed = {se for q in out for se in q.absorbs}
            kept = [q for q in direct if (q.start, q.end) not in absorbed]
            direct[:] = kept
        return out

    def _reported_clause(self, ev: Event, s_start: int, s_end: int) -> tuple[int, int] | None:
        """Where the clause a cue reports lies in its sentence, by the kind of cue: the previous
        sentence for a passive frame (*Hal itu diucapkan X*), the part across the comma for *menurut
        X,* and for a cue after its clause (*…, kata X*), what follows the verb (after *bahwa*/*that*)
        for *X mengatakan*. None when the sentence has no such clause.
        """
        text = self.text
        m = ev.mention
        if ev.kind == CueKind.PASSIVE:
            # "Hal itu diucapkan X": the previous sentence is what was said
            if ev.cue_start - s_start > 40:
                return None
            p_start, _ = self.sentences.sentence_of(max(0, s_start - 2))
            if p_start >= s_start:
                return None
            clause = text[p_start:s_start]
            comp = self._complementiser(clause)
            return (p_start + comp if comp is not None else p_start, s_start)
        if ev.kind == CueKind.ACCORDING and m is not None:
            after = text[m.end : s_end]
            if after.lstrip().startswith(","):
                return (m.end + after.index(",") + 1, s_end)
            before = text[s_start : ev.cue_start].rstrip()
            if before.endswith(","):
                return (s_start, s_start + len(before) - 1)
            return None
        if (ev.kind in (CueKind.SHORT, CueKind.VERB) and ev.subject_after) or ev.kind == CueKind.CLITIC:
            # "…, kata X." / "…, X said." after a clause
            before = text[s_start : ev.cue_start].rstrip()
            after = text[m.end : s_end] if m is not None else ""
            if after.startswith(",") and len(before) <= 30 and (not before or before.endswith(",")):
                return (m.end + 1, s_end)  # "Terutama, kata Trump, untuk …"
            if ev.kind == CueKind.VERB and m is not None and m.end <= ev.cue_start:
                before = text[s_start : m.start].rstrip()
            if before.endswith(",") and len(before) > 15:
                return (s_start, s_start + len(before) - 1)
            return None
        if ev.kind == CueKind.VERB and m is not None and (m.end <= ev.cue_start or ev.via):
            after_start = ev.clause_start if ev.clause_start is not None else ev.cue_end
            s_end = self._next_coordinated_cue(after_start, s_end)
            rest = text[after_start:s_end]
            comp = self._complementiser(rest[:120])
            if comp is not None:
                return (after_start + comp, s_end)
            stripped = rest.lstrip()
            if stripped.startswith(","):
                return (after_start + rest.index(",") + 1, s_end)
            if stripped and not stripped.startswith(("—", "–", "-", "(")):
                return (after_start, s_end)  # the subject came first, so whatever follows is what was said
            if not stripped:
                before = text[s_start : m.start].rstrip()
                if before.endswith(",") and len(before) > 15:
                    return (s_start, s_start + len(before) - 1)
        return None

    def _next_coordinated_cue(self, start: int, s_end: int) -> int:
        """The comma before a second reporting verb of the same subject ends the first clause."""
        text = self.text
        i = bisect.bisect_left(self.cue_starts, start)
        while i < len(self.events) and self.events[i].cue_start < s_end:
            ev = self.events[i]
            i += 1
            if ev.kind != CueKind.VERB:
                continue
            k = ev.cue_start  # the end of text[start:cue].rstrip(), without copying the clause
            while k > start and text[k - 1].isspace():
                k -= 1
            if k > start and text[k - 1] == ",":
                return k - 1
        return s_end

    def _complementiser(self, clause: str) -> int | None:
        m = self.lex.complementiser.search(clause)
        return m.end() if m else None
