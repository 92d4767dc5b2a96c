"""The built-in rule attributor: quotation marks, reporting words and name phrases.

This module runs the stages in order; each stage is a module of its own, reading a ``Context``
(the text, its language's ``Lexicon``, the mention parser and the sentences):

1. ``cues``: every reporting word (cue) of the lexicon with its speaker mention (after it:
   *kata X*, *said X*, *menurut X*; before it: *X mengatakan*, *X said*; a clitic or pronoun:
   *katanya*, *he said*);
2. ``direct``: the quoted spans, each attached to the cue in its own sentence, right after it
   (``,” kata X``) or right before it (``X mengatakan, ”…”``), else to the speaker of the quote
   it continues;
3. ``reported``: reporting clauses without quotation marks become indirect quotes, one with a
   quoted fragment inside a mixed quote;
4. here, with ``entities`` and ``roles``: the mentions of a document are clustered into entities
   (Zelensky / Zelenskyy / Presiden Ukraina Volodymyr Zelenskyy), pronouns and clitics resolve
   to the latest named speaker before them, and each ``Candidate`` becomes a ``Quote`` with its
   speaker, role (with a default category when the lexicon knows its words) and via.

What differs by construction (short cue, reporting verb, *menurut*, passive frame, clitic,
transcript label, sentence subject, dash signature, colon frame, nominal cue) is its class in
``constructions``, which the stages look up in ``CONSTRUCTIONS`` by the event's ``CueKind``.

With ``scope="public"`` only statements framed by their own cue and made by speakers named as
public figures are kept, the convention of PFSA-ID.
"""

from __future__ import annotations

import bisect

from annotator.attribution.candidates import Candidate
from annotator.attribution.constructions import Event, apposed_subject
from annotator.attribution.context import Context
from annotator.attribution.cues import find_events
from annotator.attribution.direct import DirectQuotes
from annotator.attribution.entities import RESOLVE_WINDOW, Entities, Entity
from annotator.attribution.kinds import CueKind
from annotator.attribution.lexicon import Lexicon, detect_language, load_lexicon
from annotator.attribution.marks import find_marked, quotation_at
from annotator.attribution.mentions import WORD, Mention, MentionParser
from annotator.attribution.reported import ReportedClauses
from annotator.attribution.roles import description_role, role_category, standing, via_after
from annotator.attribution.sentences import Sentences
from annotator.model import SCOPES, Document, Quote, Span, Speaker

_SUBJECT_SENTENCES = 8  # sentences back from a pronoun whose subjects can be its antecedent


class RuleAttributor:
    """Rules on ``regex`` with per-language lexicons; no model, no download."""

    name = "builtin"

    def __init__(self, language: str | None = None, scope: str = "all"):
        if scope not in SCOPES:
            raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
        self.language = language
        self.scope = scope

    def language_of(self, document: Document) -> str:
        if self.language:
            return self.language
        if document.lang:
            code = document.lang.split("-")[0].casefold()
            try:
                load_lexicon(code)
                return code
            except KeyError:
                pass
        return detect_language(document.text)

    def attribute(self, document: Document) -> list[Quote]:
        return self._analysis(document).run()

    def attribute_explained(self, document: Document) -> list[tuple[Quote, str]]:
        """The quotes of ``attribute``, each with the name of what proposed it (``Candidate.construction``),
        so that what each construction gets right can be counted (bench/quality.py)."""
        analysis = self._analysis(document)
        quotes = analysis.run()
        return [(q, c.construction) for q, c in zip(quotes, analysis.kept, strict=True)]

    def _analysis(self, document: Document) -> _Analysis:
        return _Analysis(document.text, load_lexicon(self.language_of(document)), self.scope)


class _Analysis:
    """One document's run through the stages; what they share is built once here."""

    def __init__(self, text: str, lex: Lexicon, scope: str = "all"):
        self.text = text
        self.lex = lex
        self.scope = scope
        self.parser = MentionParser(text, lex)
        self.sentences = Sentences(text, lex)
        self.context = Context(text, lex, self.parser, self.sentences, scope)
        self.entities = Entities(self.context)

    # ---- pipeline -------------------------------------------------------------
    def run(self) -> list[Quote]:
        events = self.events = find_events(self.context)
        self.cue_starts = [e.cue_start for e in events]
        marked = self.marked = find_marked(self.text)
        self._mark_starts = [m.start for m in marked]
        direct = self.direct = DirectQuotes(self.context, events, self.cue_starts)
        candidates = direct.quotes(marked)
        candidates += ReportedClauses(self.context, events, self.cue_starts).quotes(marked, candidates)
        candidates.sort(key=lambda c: (c.start, c.end))
        return self.finish(candidates)

    # ---- speakers ---------------------------------------------------------------
    def finish(self, candidates: list[Candidate]) -> list[Quote]:
        """The quotes of the candidates, with their speakers resolved over the whole text at once.

        Every named mention becomes an entity in text order, so that a later short form
        (*Zelensky*) joins an earlier full name; a pronoun or clitic then goes to the last named
        speaker or a sentence's subject introduced with a role or an age (a pronoun also to any
        sentence's subject). Each quote gets its speaker, mention,
        role, role category and via; with scope public, quotes of private people are dropped.
        """
        text = self.text
        # name every explicit mention, in text order, so later short forms join earlier full names
        events = self.events + [e for e in self.direct.subject_events.values() if e is not None]
        events.sort(key=lambda e: e.cue_start)
        named: list[tuple[int, Event]] = []
        for ev in events:
            m = ev.mention
            if m is None or m.kind in ("pronoun", "clitic"):
                continue
            ev.entity = self.entities.entity_for(m)
            if not self._quoted(m.start):
                named.append((m.start, ev))
        known = len(self.entities.found)  # the speakers named by then: sentence subjects look only at them
        subjects: list[tuple[int, Event]] = []
        anaphors = [
            ev.mention.start for ev in events if ev.mention is not None and ev.mention.kind in ("pronoun", "clitic")
        ]
        for m in self.sentence_subjects(anaphors):
            ent = self.entities.find_entity(m, known)
            if ent is None and self._introduced(m):
                ent = self.entities.entity_for(m)  # introduced with a role: "Wali Kota X Y membenarkan …"
            if ent is not None:
                named.append((m.start, Event(m.start, m.start, CueKind.SUBJECT, m, ent)))
            else:
                subjects.append((m.start, Event(m.start, m.start, CueKind.SUBJECT, m)))
        named.sort(key=lambda pe: pe[0])
        with_subjects = None
        for ev in events:
            m = ev.mention
            if m is None or m.kind not in ("pronoun", "clitic"):
                continue
            if m.antecedent is not None:
                ev.entity = self.entities.entity_for(m.antecedent)  # "Mr. Kamin, who emphasized"
            elif m.kind == "pronoun" and (pair := self.pair_before(m)) is not None:
                ev.entity = pair  # "Keduanya berkomitmen": the two the sentence before names
            elif m.kind == "pronoun":
                # "ia mengatakan": the person the text was just talking about, speaker or not
                if with_subjects is None:
                    for _, sev in subjects:
                        sev.entity = self.entities.entity_for(sev.mention)
                    with_subjects = sorted(named + subjects, key=lambda pe: pe[0])
                ev.entity = self.entities.resolve(m, with_subjects)
            else:
                ev.entity = self.entities.resolve(m, named)
        for ent in {id(ev.entity): ev.entity for c in candidates if (ev := c.event) and ev.entity}.values():
            self.entities.expand(ent)
        result = []
        self.kept: list[Candidate] = []  # the candidate of each quote returned, in the same order
        for c in candidates:
            ev = c.event
            q = c.to_quote(text)
            if ev is not None and ev.mention is not None:
                m = ev.mention
                if m.has_name and m.kind == "person":
                    mention = Span(m.name_start, m.name_end, text[m.name_start : m.name_end])
                else:
                    mention = Span(m.start, m.end, text[m.start : m.end])
                # a relay chain, nearest first: "X melaporkan, mengutip Y, dikutip dari Z" → "X; Z"
                q.via = "; ".join(v for v in (ev.via, via_after(self.context, m.end)) if v) or None
                ent = ev.entity
                if ent is not None:
                    kind = ent.kind
                    q.speaker = Speaker(name=ent.name, kind=kind, mention=mention, aliases=ent.aliases)
                    q.role = m.role or self.parser.apposition(m.end, min(len(text), m.end + 200)) or ent.role
                    if q.role is None and kind == "anonymous":  # "seorang pejabat senior AS …": pejabat senior AS
                        described = description_role(self.lex, ent.name)
                        q.role = described if described and " " in described else None  # not "warga", "RN"
                else:
                    q.speaker = Speaker(name=mention.text, kind="unknown", mention=mention)
                q.role_category = role_category(self.lex, q.role, q.speaker.name)
                if self.scope == "public" and standing(self.lex, ent, m, q.role) == "private":
                    continue
            elif self.scope == "public":
                continue
            result.append(q)
            self.kept.append(c)
        return result

    def pair_before(self, m: Mention) -> Entity | None:
        """The two people a pair pronoun stands for (*Keduanya berkomitmen*): the previous sentence's
        subject when it joins two named people (*Putin dan Presiden Korea Utara, Kim Jong-un,
        menandatangani*), as one speaker named by both names and both roles (*Vladimir Putin dan Kim
        Jong-un*, *Presiden Rusia dan Presiden Korea Utara*)."""
        text, lex = self.text, self.lex
        if lex.pronouns.get(text[m.start : m.end].casefold()) != "pair":
            return None
        i = bisect.bisect_right(self.sentences.starts, m.start) - 1
        if i < 1:
            return None
        start, end = self.sentences.starts[i - 1], self.sentences.starts[i]
        lead = self.sentences.lead(start)
        pos = lead.end() if lead else start
        first = self.parser.forward(pos, end)
        if first is None:
            return None
        gap = text[first.end : end]
        joiner = WORD.match(text, first.end + len(gap) - len(gap.lstrip()), end)
        if joiner is None or joiner.group().casefold() not in lex.conjunctions:
            return None
        people = [first, self.parser.forward(joiner.end(), end)]
        if not all(p is not None and p.kind == "person" and p.has_name for p in people):
            return None
        entities = [self.entities.entity_for(p) for p in people]
        for ent in entities:
            self.entities.expand(ent)
        conjunction = f" {text[joiner.start() : joiner.end()]} "
        roles = [ent.role for ent in entities]
        role = conjunction.join(roles) if all(roles) else None
        return Entity([conjunction.join(ent.name for ent in entities)], "person", role, joint=True)

    def sentence_subjects(self, anaphors: list[int]) -> list[Mention]:
        """Named people that open a sentence ("Sementara itu, Direktur X Y mengatakan …").

        Only sentences within reach of a pronoun or clitic (``anaphors``) are read.
        """
        text = self.text
        out: list[Mention] = []
        wanted: set[int] = set()
        for pos in anaphors:
            hi = bisect.bisect_right(self.sentences.starts, pos)
            lo = max(bisect.bisect_left(self.sentences.starts, pos - RESOLVE_WINDOW), hi - _SUBJECT_SENTENCES)
            wanted.update(range(lo, hi))
        for i in sorted(wanted):
            start = self.sentences.starts[i]
            if self._quoted(start):
                continue  # a sentence inside a quotation (its subject would start there too)
            lead = None
            m = apposed_subject(self.context, start, min(len(text), start + 200))  # not what its commas set off
            shown = self.lex.presenter.match(text, start) if m is None else None
            if shown is not None:  # "Salah satunya adalah Ketua … Hasbullah Thabrany."
                limit = min(len(text), shown.end() + 200)
                m = apposed_subject(self.context, shown.end(), limit) or self.parser.forward(shown.end(), limit)
            if m is None:
                lead = self.sentences.lead(start)
                pos = lead.end() if lead else start
                m = self.parser.forward(pos, min(len(text), pos + 200))
            if m is None and lead is None and text.find(",", start, start + 90) >= 0:
                lead = self.sentences.long_lead(start)
                if lead is not None:
                    m = self.parser.forward(lead.end(), min(len(text), lead.end() + 200))
            if m is not None and m.kind == "person" and m.has_name and not self._quoted(m.start):
                out.append(m)
        return out

    def _introduced(self, m: Mention) -> bool:
        """Whether a sentence's subject is introduced as someone new: with a title or body before
        the name (*Wali Kota X Y membenarkan*), a role set off by commas (*Abdian Saputra,
        Koordinator …, juga menyampaikan*) or an age (*Hasan (37), karyawan swasta, mengaku*)."""
        if self.lex.age_at(self.text, m.end):
            return True
        if not m.role:
            return False
        words = [w.casefold() for w in WORD.findall(m.role)]
        titled = any(w in self.lex.titles or w in self.lex.org_markers for w in words)
        return titled or self.parser.runs.role_like(m.role)

    def _quoted(self, pos: int) -> bool:
        """Whether ``pos`` lies inside a quotation: people named there are what a speaker talks
        about, not whom the narrative's next "katanya" / "he said" refers to."""
        return quotation_at(self.marked, self._mark_starts, pos) is not None

