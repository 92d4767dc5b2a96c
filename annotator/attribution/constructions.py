"""The constructions that attribute a quotation, one small class each, in one table.

A construction is a way news says who speaks: a short cue (*kata X*), a reporting verb
(*X mengatakan*, *X said*), *menurut X* / *according to X*, a passive frame (*diucapkan X*), a
clitic (*katanya*), a transcript label, the sentence's subject, a dash signature, a colon frame
(*Pence: …*), a nominal cue (*Trump's claim that …*). Each class holds what the code does per
construction: where its speaker is read (``read`` for the cues the scanner finds, ``find`` for
the colon frame and the nominal cue) and what the direct stage may attach it to (its flags). The
stages look a cue event's construction up in ``CONSTRUCTIONS`` rather than comparing kinds; what
is not per construction stays in the stage. ``label`` is the construction's name in the
linguists' cases (tests/attribution/cases/*.jsonl), where each has an example.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar, Protocol

import regex

from annotator.attribution.context import Context
from annotator.attribution.cue_scanner import ACLITIC
from annotator.attribution.entities import Entity
from annotator.attribution.kinds import CueKind
from annotator.attribution.lexicon import Lexicon
from annotator.attribution.mentions import Mention
from annotator.attribution.sentences import Sentences, count_words

_RELAY = regex.compile(r"[ \t]*,?[ \t]*([\p{L}]+)[ \t]+")
_DASH = regex.compile(r"[ \t\u00a0]*([―—–])[ \t\u00a0]*")
_COMPLEMENTISER_WITHIN = 7  # words from a verb to its clause's complementiser (told reporters on Friday that)
# a line opening with a capitalised phrase (group 1) and a colon, with more on the line
_COLON_LINE = regex.compile(r"^[ \t]*(\p{Lu}[^\n:\"“”‘’'«»]{0,60}?)[ \t]*:[ \t]+(?=\S)", regex.MULTILINE)
_COLON_SOURCE_WORDS = 6  # words of a colon frame's source at most (Elizabeth Warren Hammers Wells Fargo CEO)
_MODIFIERS_BEFORE_SUBJECT = 2  # words between a comma and the subject they do not cut off (the, labor-policy)
_DESCRIBED_WORDS = 9  # a described subject has fewer words: more is a clause, not a subject
_NEXT_WORD = regex.compile(r"[ \t]*,?[ \t]*([\p{L}][\p{L}\p{M}’'\-]*)")


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


class ClauseStage(Protocol):
    """What a construction reads of the reported-clause stage (reported.py) to delimit a clause."""

    text: str
    lex: Lexicon
    sentences: Sentences

    def complementiser(self, clause: str) -> int | None: ...

    def next_coordinated_cue(self, start: int, s_end: int) -> int: ...

    def cue_between(self, start: int, end: int) -> bool: ...


class Construction:
    """One way of attributing a quotation; the subclasses say which and give examples."""

    kind: ClassVar[CueKind]
    label: ClassVar[str]  # its name in the cases files
    frames: ClassVar[bool] = True  # a cue of its own frames the quote (kept with scope public)
    holds_fragments: ClassVar[bool] = False  # a quoted fragment later in its sentence is its speaker's
    carries_on: ClassVar[bool] = False  # a quote with no cue near it may take this one, the nearest before
    speaker_in_cue: ClassVar[bool] = False  # the cue is its own speaker (katanya), so it may follow a quote
    speaker_before_cue: ClassVar[bool] = False  # its speaker stands before it ("…." Budi mengatakan)
    coordinates: ClassVar[bool] = False  # a second cue of it after a comma or "and" ends the first's clause
    restates: ClassVar[bool] = False  # its clause is a sentence already said, which it attributes instead

    def holds_fragment(self, ev: Event) -> bool:
        """Whether a quoted fragment later in the sentence of ``ev`` is its speaker's."""
        return self.holds_fragments

    def read(self, ctx: Context, m, s_start: int, s_end: int, events: list[Event]) -> Event | None:
        """The event of a cue the scanner found (``m``) in the sentence ``s_start``–``s_end``, or
        None when it reports nothing; ``events`` are the text's events before it."""
        raise NotImplementedError(f"{self.label} has no cue word for the scanner to find")

    def right_after_quote(self, ctx: Context, ev: Event, window_end: int) -> Event | None:
        """The event attributing a quote its cue follows right away (", kata X", ", katanya"), or
        None; ``window_end`` bounds where a speaker may be read."""
        if ev.mention is not None and (ev.subject_after or self.speaker_in_cue):
            return ev
        return None

    def after_gap(self, ctx: Context, ev: Event, tail_start: int, gap_start: int, gap: str) -> Event | None:
        """The event attributing a quote ending at ``tail_start`` when words (``gap``, from
        ``gap_start``) stand between it and the cue, or None: only a verb's subject may."""
        return None

    def clause(self, stage: ClauseStage, ev: Event, s_start: int, s_end: int) -> tuple[int, int] | None:
        """Where the clause its cue reports lies in the sentence ``s_start``–``s_end``, or None when
        the sentence has no such clause (the default: no reported clause)."""
        return None

    def clauses(self, stage: ClauseStage, ev: Event, s_start: int, s_end: int) -> list[tuple[int, int]]:
        """Every part of the reported clause: one (``clause``), or two when the cue interrupts it."""
        span = self.clause(stage, ev, s_start, s_end)
        return [] if span is None else [span]


class ShortCue(Construction):
    """A short cue, its speaker after it: *”Airnya keruh sejak kemarau,” kata Gabriel Manek (60)*;
    inside the clause it reports: *Terutama, kata Trump, untuk menyelesaikan*.

    With a clitic (*katanya*) it is a ``Clitic``; after a preposition or a determiner (*dari pesan
    Whatsapp*, *sang kata*) it is a noun, not a cue.
    """

    kind = CueKind.SHORT
    label = "short cue"
    carries_on = True

    def read(self, ctx: Context, m, s_start: int, s_end: int, events: list[Event]) -> Event | None:
        if m.group(CueKind.CLITIC):
            return CONSTRUCTIONS[CueKind.CLITIC].read(ctx, m, s_start, s_end, events)
        before = ctx.parser.words.word_before(m.start(), s_start)
        if before is not None and (before.fold in ctx.lex.prepositions or before.fold in ctx.lex.determiners):
            return None  # "dari pesan Whatsapp", "sang kata": a noun, not a reporting word
        mention = ctx.parser.forward(m.end(), s_end)
        if mention is None:
            return None
        return Event(m.start(), m.end(), CueKind.SHORT, mention, subject_after=True)

    def clause(self, stage: ClauseStage, ev: Event, s_start: int, s_end: int) -> tuple[int, int] | None:
        return _clause_around_cue(stage, ev, s_start, s_end) if ev.subject_after else None


class Clitic(Construction):
    """A short cue whose clitic is its speaker: *”Makanan itu terkontaminasi kuman … katanya*.

    The clitic is a mention of its own, resolved to the speaker last named (rules.py), or to the
    person a sentence has just introduced as its subject, by a role set off by commas or an age:
    after *Abdian Saputra, Koordinator Ekajaya Fast Boat untuk Gili, juga menyampaikan* or *Hasan
    (37), karyawan swasta …, mengaku* a *tuturnya* is theirs, not the last official quoted; so is
    it after a sentence presenting someone (lexicon ``presenting``): *Salah satunya adalah Ketua
    Perkumpulan Ahli Ekonomi Kesehatan Indonesia Hasbullah Thabrany*.
    """

    kind = CueKind.CLITIC
    label = "clitic"
    speaker_in_cue = True

    def read(self, ctx: Context, m, s_start: int, s_end: int, events: list[Event]) -> Event | None:
        c = m.start(CueKind.CLITIC)
        return Event(m.start(), c, CueKind.CLITIC, Mention(c, m.end(), "clitic"))

    def clause(self, stage: ClauseStage, ev: Event, s_start: int, s_end: int) -> tuple[int, int] | None:
        return _clause_around_cue(stage, ev, s_start, s_end)


class According(Construction):
    """*Menurut* / *according to*, its speaker after it: *Menurut Gubernur Ganjar Pranowo, ”*;
    *The plan is "dead on arrival," according to House Speaker Paul Ryan*; a description: *according
    to the poll*, *According to exit polls*. *Menurutnya* takes a clitic for its speaker."""

    kind = CueKind.ACCORDING
    label = "according to"
    holds_fragments = True
    carries_on = True

    def read(self, ctx: Context, m, s_start: int, s_end: int, events: list[Event]) -> Event | None:
        if m.group(ACLITIC):
            c = m.start(ACLITIC)
            return Event(m.start(), c, CueKind.ACCORDING, Mention(c, m.end(), "clitic"), subject_after=True)
        mention = ctx.parser.subject(m.end(), s_end) or _described_after(ctx, m.end(), s_end)
        if mention is None:
            return None
        return Event(m.start(), m.end(), CueKind.ACCORDING, mention, subject_after=True)

    def clause(self, stage: ClauseStage, ev: Event, s_start: int, s_end: int) -> tuple[int, int] | None:
        """Across the comma: *Menurut X, …* or *…, menurut X*."""
        text, m = stage.text, ev.mention
        if m is None:
            return None
        after = text[m.end : s_end]
        if after.lstrip().startswith(","):
            return (m.end + after.index(",") + 1, s_end)
        before = text[s_start : ev.cue_start].rstrip()
        if before.endswith(","):
            return (s_start, s_start + len(before) - 1)
        return None


class Passive(Construction):
    """A passive frame, its speaker after it (past *oleh* / *by*): *mengakui bahwa pasukan Korea
    Utara ikut bertempur di Kursk. Hal itu diucapkan Kepala Staf Umum … Valery Gerasimov*."""

    kind = CueKind.PASSIVE
    label = "passive frame"
    holds_fragments = True
    carries_on = True
    restates = True

    def read(self, ctx: Context, m, s_start: int, s_end: int, events: list[Event]) -> Event | None:
        pos = m.end()
        agent = ctx.lex.agent.match(ctx.text, pos)
        if agent:
            pos = agent.end()
        mention = ctx.parser.forward(pos, s_end)
        if mention is None:
            return None
        return Event(m.start(), m.end(), CueKind.PASSIVE, mention, subject_after=True)

    def clause(self, stage: ClauseStage, ev: Event, s_start: int, s_end: int) -> tuple[int, int] | None:
        """"Hal itu diucapkan X": the previous sentence is what was said."""
        if ev.cue_start - s_start > 40:
            return None
        p_start, _ = stage.sentences.sentence_of(max(0, s_start - 2))
        if p_start >= s_start:
            return None
        comp = stage.complementiser(stage.text[p_start:s_start])
        return (p_start + comp if comp is not None else p_start, s_start)


class ReportingVerb(Construction):
    """A reporting verb, its subject before it: *Kepala Polres Andi Wijaya mengatakan, kasus itu*;
    *Warren called on Congress to*; past auxiliaries, adverbs and negation: *has sharply criticized*,
    *did not say whether*; after it when inverted (*,” said former Prime Minister Jean-Pierre
    Raffarin*); at the end of its clause: *, the finance minister said on Tuesday*, or inside it
    (*seamless, he said, replacing*, two quotes); a subject described rather than named: *Many
    lawmakers say*, *the fund predicted*; a passive's agent: *is backed by*; a relative pronoun:
    *Mr. Kamin, who emphasized*; a second verb shares its subject (*attacked … and called for*,
    *revised his plan, promising to*). When the subject only relays (*Reuters, citing Defence
    Minister Rustem Umerov, said*) the relayed one speaks, via the relay. A name opening the
    sentence with an age or a role in commas is the subject, not a place inside its description:
    *Suharso (47), seorang pedagang nasi goreng di alun-alun Kota Bekasi mengaku*."""

    kind = CueKind.VERB
    label = "reporting verb"
    holds_fragments = True
    carries_on = True
    speaker_before_cue = True
    coordinates = True

    def holds_fragment(self, ev: Event) -> bool:
        """Not when inverted: "…," said X, a “fragment” after it is no longer X's report."""
        return not ev.subject_after

    def right_after_quote(self, ctx: Context, ev: Event, window_end: int) -> Event | None:
        """Its mention ("said X"); else a description after the verb ("…," said the ruling)."""
        if ev.mention is not None:
            return ev
        described = ctx.parser.subject(ev.cue_end, window_end)
        if described is not None:
            return Event(ev.cue_start, ev.cue_end, ev.kind, described, subject_after=True)
        return None

    def after_gap(self, ctx: Context, ev: Event, tail_start: int, gap_start: int, gap: str) -> Event | None:
        """The subject filling the gap: "…," the letter reads; "…." X mengatakan; the relayed
        source when the subject only relays (KCNA melaporkan, mengutip Komisi …)."""
        parser = ctx.parser
        if ev.mention is None or ev.mention.start < tail_start:
            # "…," the letter reads: a description before the verb
            described = parser.subject(gap_start, ev.cue_start)
            if described is not None and len(gap) <= 60:
                return Event(ev.cue_start, ev.cue_end, ev.kind, described)
        # "X mengatakan" / "X said" after the quote: the subject fills the gap
        if ev.mention is not None and not ev.subject_after:
            if ev.via:  # "KCNA melaporkan, mengutip Komisi …": the relayed source speaks
                # the relay read back stopped on a modifier ("KCNA milik pemerintah Korea Utara
                # melaporkan"): the outlet is the phrase opening the gap
                outlet = parser.forward(gap_start, ev.cue_start)
                rest = ctx.text[outlet.end : ev.cue_start] if outlet is not None else ""
                if outlet is not None and outlet.kind not in ("pronoun", "clitic") and ev.via in rest:
                    ev.via = ctx.text[outlet.start : outlet.end]
                return ev
            if ev.mention.start >= tail_start and len(gap) <= 240:
                forward = parser.forward(gap_start, ev.cue_start)
                if forward is not None and ev.mention.start - forward.start > 0 and forward.kind != "pronoun":
                    ev = Event(ev.cue_start, ev.cue_end, ev.kind, forward)
                return ev
            # the subject parsed back stopped on a modifier: read it from the quote's end
            forward = parser.forward(gap_start, ev.cue_start)
            if forward is not None and len(gap) <= 240:
                return Event(ev.cue_start, ev.cue_end, ev.kind, forward)
        return None

    def read(self, ctx: Context, m, s_start: int, s_end: int, events: list[Event]) -> Event | None:
        """The verb's source, sought in this order: a passive's agent (is backed by X); after the
        verb when inverted ("…," said X); the sentence's subject for a verb coordinated with its
        own (…, promising to; … and called for); the subject right before it (X said), else the
        one opening the sentence, else a described one (the fund predicted). A relative pronoun
        keeps the mention it stands for (Mr. Kamin, who emphasized)."""
        text, parser, lex = ctx.text, ctx.parser, ctx.lex
        cue, cue_end = m.start(), m.end()  # read once: a CueMatch answers by a method call
        agent = _passive_agent(ctx, m, s_start, s_end)
        if agent is not None:
            return Event(cue, cue_end, CueKind.VERB, agent, subject_after=True)
        before = text[s_start : cue].rstrip()
        inverted = bool(before) and (before[-1] in "”\"’'»" or (lex.verb_inversion and before[-1] == ","))
        mention = None
        after = False
        if inverted:
            mention = parser.forward(cue_end, s_end)
            if mention is not None and before[-1] == "," and not _ends_inversion(ctx, mention.end, s_end):
                mention = None  # "The chairman, Phil Lovas, said he cannot …": the subject came first
            after = mention is not None
        coordinated = before.endswith(",") or _word_is(before, ctx.lex.coordinators)
        if mention is None and coordinated:
            # "X mengonfirmasi …, mengakui …", "Sanders said, suggesting …": the sentence's first
            # reporting verb lends its subject; else the sentence's subject ("Trump revised his
            # plan, promising to …", "X criticized … and called for …")
            first = None
            for e in reversed(events):  # back to the sentence's start only: linear in the text
                if e.cue_start < s_start:
                    break
                if e.kind == CueKind.VERB:
                    first = e
            if first is not None and first.mention is not None and not first.subject_after:
                mention = first.mention
            elif ctx.lex.described_subjects:
                mention = _main_subject(ctx, s_start, cue)
        if mention is None:
            mention = parser.backward(cue, s_start)
            if not inverted and (mention is None or mention.kind != "pronoun"):
                opening = _apposed_before(ctx, s_start, cue, mention, events)
                if opening is not None:
                    mention = opening  # "Hasan (37), karyawan …, Jakarta Pusat, mengaku": not Jakarta Pusat
        if mention is None and not inverted:
            mention = _sentence_subject_before(ctx, s_start, cue)
        if mention is None and not inverted:
            mention = _described_subject(ctx, s_start, cue)
        if _negated(ctx, cue, s_start):
            return None
        relative = mention is not None and text[mention.start : mention.end].casefold() in lex.relatives
        if relative and mention.kind == "pronoun":
            mention = replace(mention, antecedent=_antecedent(ctx, mention.start, s_start))
        ev = Event(cue, cue_end, CueKind.VERB, mention, subject_after=after)
        _relayed(ctx, ev, s_start, s_end)
        return ev

    def clause(self, stage: ClauseStage, ev: Event, s_start: int, s_end: int) -> tuple[int, int] | None:
        """What follows the verb (past *bahwa* / *that*, up to a coordinated verb) when its subject
        comes first or is relayed; the clause before it when inverted (*…, said X*)."""
        if ev.subject_after:
            return _clause_around_cue(stage, ev, s_start, s_end)
        text, m = stage.text, ev.mention
        if m is None or not (m.end <= ev.cue_start or ev.via):
            return None
        after_start = ev.clause_start if ev.clause_start is not None else ev.cue_end
        s_end = stage.next_coordinated_cue(after_start, s_end)
        rest = text[after_start:s_end]
        comp = stage.complementiser(rest[:120])
        if (
            comp is not None
            and count_words(rest, _COMPLEMENTISER_WITHIN + 1, 0, comp) <= _COMPLEMENTISER_WITHIN
            and not stage.cue_between(after_start, after_start + comp)
        ):
            return (after_start + comp, s_end)  # "told an invited crowd … that", not a later verb's "that"
        stripped = rest.strip(" \t\n.!?;")  # "…, a source said." leaves nothing after the verb
        if stripped.startswith(","):
            return (after_start + rest.index(",") + 1, s_end)
        before = _clause_before(stage, m.start, s_start) if m.end <= ev.cue_start else None
        if before is not None and (not stripped or _only_adjunct(stage, stripped)):
            return before  # "…, the Tax Foundation said." / "…, Mr. Obama said in his interview."
        if stripped and not stripped.startswith(("—", "–", "-", "(")):
            return (after_start, s_end)  # the subject came first, so whatever follows is what was said
        return None

    def clauses(self, stage: ClauseStage, ev: Event, s_start: int, s_end: int) -> list[tuple[int, int]]:
        """Two parts when the subject and verb interrupt the clause ("Though that transition was
        seamless, he said, replacing Clinton would be …"), as an interrupted quotation is two."""
        spans = super().clauses(stage, ev, s_start, s_end)
        m = ev.mention
        if len(spans) == 1 and m is not None and not ev.subject_after and m.end <= ev.cue_start and not ev.via:
            rest = stage.text[ev.cue_end : spans[0][0]]
            if rest.strip() == ",":
                before = _clause_before(stage, m.start, s_start, shortest=2)  # "All of this, he acknowledges, …"
                part = stage.text[before[0] : before[1]] if before is not None else ""
                words = part.split()
                if words and not all(w[:1].isupper() for w in words) and not (m.role and m.role in part):
                    spans.insert(0, before)  # not the subject's role: "Anggota Ombudsman RI, X, mengusulkan, …"
        return spans


class TranscriptLabel(Construction):
    """A transcript line said by the speaker its label names: *"HOST: Let's start with the debate.*
    … *"SMITH: Well, look,* (the direct stage finds the label, in the marks)."""

    kind = CueKind.LABEL
    label = "transcript label"

    def event(self, label) -> Event:
        """The event of a transcript line whose label match (marks.SPEAKER_LABEL) names its speaker."""
        speaker = Mention(label.start(1), label.end(1), "person", label.start(1), label.end(1))
        return Event(label.start(1), label.start(1), CueKind.LABEL, speaker, subject_after=True)


class SentenceSubject(Construction):
    """No cue: the sentence's subject speaks a fragment in it: *PolitiFact rated the claim “mostly
    false”* (asked by the direct stage for a fragment with no cue). It does not frame the quote, so
    scope public drops it."""

    kind = CueKind.SUBJECT
    label = "sentence subject"
    frames = False

    def find(self, ctx: Context, s_start: int, pos: int) -> Event | None:
        """The subject of the sentence at ``s_start`` holding a fragment at ``pos``, when its verb
        (rated, dismissed) stands between them or it is a pronoun or a full name."""
        text = ctx.text
        mention = _opening_subject(ctx, s_start, pos)
        if mention is None:
            return None
        verb = _NEXT_WORD.match(text, mention.end, pos)
        if verb is not None and verb.group(1)[:1].islower():
            return Event(verb.start(1), verb.end(1), CueKind.SUBJECT, mention)
        if mention.kind == "pronoun" or (mention.has_name and " " in text[mention.name_start : mention.name_end]):
            return Event(mention.start, mention.start, CueKind.SUBJECT, mention)  # Clinton "is the only …"
        return None


class DashSignature(Construction):
    """A name after a dash closing the quote: *“Fear is all he sells.” ― Beck Pimentel* (asked by
    the direct stage for a quote with no cue)."""

    kind = CueKind.DASH
    label = "dash signature"

    def find(self, ctx: Context, end: int) -> Event | None:
        """The name after a dash right after a quote ending at ``end``, in its paragraph."""
        m = _DASH.match(ctx.text, end, min(len(ctx.text), end + 6))
        if not m:
            return None
        _, s_end = ctx.sentences.paragraph_of(m.end())
        mention = ctx.parser.forward(m.end(), s_end)
        if mention is None or mention.kind == "pronoun":
            return None
        return Event(m.start(1), m.end(1), CueKind.DASH, mention, subject_after=True)


class ColonFrame(Construction):
    """A line opening with its source and a colon, as headlines and summaries write: *Pence:
    Gennifer Flowers Won’t Be at Debate*; *Poll: Clinton and Trump in dead heat*. The rest of the
    line is what the source said (found by ``find``, once a text)."""

    kind = CueKind.COLON
    label = "colon frame"

    def find(self, ctx: Context) -> list[Event]:
        """The colon frame of every line that opens with a source (a name or a description whose
        mention runs up to the colon) and goes on after the colon."""
        text, parser = ctx.text, ctx.parser
        found: list[Event] = []
        for line_start in _lines_with_colon(text):
            line = _COLON_LINE.match(text, line_start)
            if line is None:
                continue
            colon = line.end(1)
            if len(line.group(1).split()) > _COLON_SOURCE_WORDS:
                continue
            mention = parser.subject(line.start(1), colon)
            if mention is None or mention.kind == "pronoun" or mention.end != colon:
                continue
            found.append(Event(colon, colon + 1, CueKind.COLON, mention))
        return found

    def clause(self, stage: ClauseStage, ev: Event, s_start: int, s_end: int) -> tuple[int, int] | None:
        """The rest of the line."""
        _, line_end = stage.sentences.paragraph_of(ev.cue_end)
        return (ev.cue_end, line_end)


def _lines_with_colon(text: str):
    """Where each line holding a colon starts: only there can ``_COLON_LINE`` match (once a line, at
    its start, up to its first colon), and few lines hold one, so the pattern is tried there alone."""
    colon = text.find(":")
    while colon >= 0:
        yield text.rfind("\n", 0, colon) + 1
        line_end = text.find("\n", colon)
        colon = text.find(":", line_end) if line_end >= 0 else -1


class NominalCue(Construction):
    """A reporting noun after its possessor, with the clause it reports: *Politifact seized on
    Trump’s claim that there have been “thousands of shootings”*; *Her decision to meet with Bill
    Clinton* (found by ``find``, once a text)."""

    kind = CueKind.NOUN
    label = "nominal cue"

    def find(self, ctx: Context) -> list[Event]:
        """Every cue noun whose possessor comes right before it (past one modifier: his earlier
        claim) and whose clause follows it (that …, to …)."""
        text, lex, parser = ctx.text, ctx.lex, ctx.parser
        found: list[Event] = []
        for noun in lex.cue_nouns_in(text):
            s_start, s_end = ctx.sentences.sentence_of(noun.start())
            after = parser.words.word_at(noun.end(), s_end)
            if after is None or text[noun.end() : after.start].strip():
                continue
            if after.fold not in lex.complementisers and after.fold not in lex.infinitive_markers:
                continue
            mention = _possessor(ctx, noun.start(), s_start)
            if mention is not None:
                ev = Event(noun.start(), noun.end(), CueKind.NOUN, mention)
                ev.clause_start = after.end if after.fold in lex.complementisers else after.start
                found.append(ev)
        return found

    def clause(self, stage: ClauseStage, ev: Event, s_start: int, s_end: int) -> tuple[int, int] | None:
        """What follows the noun's complementiser (or its *to*), to the end of the sentence."""
        return (ev.clause_start, stage.next_coordinated_cue(ev.clause_start, s_end))


TRANSCRIPT_LABEL = TranscriptLabel()
SENTENCE_SUBJECT = SentenceSubject()
DASH_SIGNATURE = DashSignature()
COLON_FRAME = ColonFrame()
NOMINAL_CUE = NominalCue()
CONSTRUCTIONS: dict[CueKind, Construction] = {
    c.kind: c
    for c in (
        ShortCue(),
        Clitic(),
        According(),
        Passive(),
        ReportingVerb(),
        TRANSCRIPT_LABEL,
        SENTENCE_SUBJECT,
        DASH_SIGNATURE,
        COLON_FRAME,
        NOMINAL_CUE,
    )
}


def _clause_around_cue(stage: ClauseStage, ev: Event, s_start: int, s_end: int) -> tuple[int, int] | None:
    """A cue after its clause ("…, kata X." / "…, X said."): the clause before it; or the rest of
    the sentence when the cue is parenthetical near its start ("Terutama, kata Trump, untuk …")."""
    text, m = stage.text, ev.mention
    before = text[s_start : ev.cue_start].rstrip()
    after = text[m.end : s_end] if m is not None else ""
    if after.startswith(",") and len(before) <= 30 and (not before or before.endswith(",")):
        return (m.end + 1, s_end)  # "Terutama, kata Trump, untuk …"
    if ev.kind == CueKind.VERB and m is not None and m.end <= ev.cue_start:
        before = text[s_start : m.start].rstrip()
    if before.endswith(",") and len(before) > 15:
        return (s_start, s_start + len(before) - 1)
    return None


def _ends_inversion(ctx: Context, end: int, s_end: int) -> bool:
    """An inverted subject closes its clause ("…, said Smith." / "…, said Smith, a Democrat"); one
    followed by its own verb is the subject of the reported clause ("…, said he cannot comment")."""
    rest = ctx.text[end:s_end].lstrip(" \t")
    if not rest or not rest[0].isalpha():
        return True
    word = _NEXT_WORD.match(rest)
    return word is None or not word.group(1).islower() or word.group(1) in ctx.lex.stop_after_mention


def _clause_before(stage: ClauseStage, subject_start: int, s_start: int, shortest: int = 16) -> tuple[int, int] | None:
    """The clause before a subject and its verb at the end of a sentence ("…, the network said"):
    the sentence up to the comma before the subject, past its determiner or a few modifiers
    ("…, labor-policy experts say"); ``shortest``: the fewest characters it has."""
    before = stage.text[s_start:subject_start].rstrip()
    comma = before.rfind(",")
    if comma >= 0 and len(before[comma + 1 :].split()) <= _MODIFIERS_BEFORE_SUBJECT and not any(
        c in before[comma + 1 :] for c in ".;:!?()“”\""
    ):
        before = before[: comma + 1]
    if before.endswith(",") and len(before) >= shortest:
        return (s_start, s_start + len(before) - 1)
    return None


def _only_adjunct(stage: ClauseStage, rest: str) -> bool:
    """What follows a verb starts by saying where or when (in his interview, on Tuesday), not what
    was said: the clause before the subject is."""
    words = rest.split(",", 1)[0].split()
    return bool(words) and len(words) <= 6 and words[0].casefold() in stage.lex.stop_after_mention


def _described_subject(ctx: Context, s_start: int, cue: int) -> Mention | None:
    """A subject described rather than named, right before its verb: the fund predicted, Many
    lawmakers say, Data from the 2014 American Community Survey show. It starts where its clause
    does (after punctuation or a word such as *that*, *when*), past auxiliaries and adverbs. Only
    in a language whose lexicon sets ``described_subjects``."""
    text, lex, parser = ctx.text, ctx.lex, ctx.parser
    if not lex.described_subjects:
        return None
    words = []
    q = parser.past_adverbs(cue, s_start)
    while len(words) < _DESCRIBED_WORDS:
        tok = parser.words.word_before(q, s_start)
        if tok is None or text[tok.end : q].strip() or tok.fold in lex.clause_openers or tok.fold in lex.cue_verbs:
            break
        words.append(tok)
        q = tok.start
    if not words or len(words) == _DESCRIBED_WORDS:
        return None
    first, head = words[-1], words[0]
    if first.fold in lex.prepositions or any(
        head.fold in group for group in (lex.prepositions, lex.determiners, lex.stop_after_mention)
    ):
        return None
    if any(w.fold in lex.pronouns or w.fold in lex.subject_adverbs or lex.contracted.search(w.fold) for w in words):
        return None  # "He does not answer", "I'm not going to let them claim": a clause, not a subject
    return Mention(first.start, head.end, "unknown")


def _described_after(ctx: Context, pos: int, s_end: int) -> Mention | None:
    """A source described rather than named after its cue, up to the end of its phrase: according
    to exit polls, according to attorneys for the family (where ``_described_subject`` applies)."""
    text, lex, parser = ctx.text, ctx.lex, ctx.parser
    if not lex.described_subjects:
        return None
    words = []
    p = pos
    while len(words) < _DESCRIBED_WORDS:
        tok = parser.words.word_at(p, s_end)
        if tok is None or text[p : tok.start].strip() or tok.fold in lex.clause_openers or tok.fold in lex.cue_verbs:
            break
        words.append(tok)
        p = tok.end
    if not words or len(words) == _DESCRIBED_WORDS or words[-1].fold in lex.prepositions:
        return None
    if any(w.fold in lex.pronouns for w in words):
        return None
    return Mention(words[0].start, words[-1].end, "unknown")


def _passive_agent(ctx: Context, m, s_start: int, s_end: int) -> Mention | None:
    """The agent of a reporting verb in the passive (The bill is backed by Democrats on Capitol
    Hill): it, not the subject, is the source. The word after the verb is read first: it rules out
    nearly every verb at once, before the walk back over adverbs to an auxiliary."""
    lex, parser = ctx.lex, ctx.parser
    if not lex.passive_auxiliaries:
        return None  # the language marks no passive with an auxiliary
    by = parser.words.word_at(m.end(), s_end)
    if by is None or by.fold not in lex.passive_agent or ctx.text[m.end() : by.start].strip():
        return None
    aux = parser.words.word_before(m.start(), s_start)
    while aux is not None and aux.fold in lex.subject_adverbs and aux.fold not in lex.passive_auxiliaries:
        aux = parser.words.word_before(aux.start, s_start)  # "was also strongly backed by"
    if aux is None or aux.fold not in lex.passive_auxiliaries:
        return None
    return parser.subject(by.end, s_end) or _described_after(ctx, by.end, s_end)


def _antecedent(ctx: Context, pos: int, s_start: int) -> Mention | None:
    """What a relative pronoun at ``pos`` stands for: the mention right before it (Mr. Kamin, who
    emphasized; Democrats on Capitol Hill, who have argued)."""
    head = ctx.text[s_start:pos].rstrip()
    end = s_start + len(head.rstrip(","))
    found = ctx.parser.backward(end, s_start) or _described_subject(ctx, s_start, end)
    return found if found is not None and found.kind != "pronoun" else None


def _possessor(ctx: Context, pos: int, s_start: int) -> Mention | None:
    """Whose the noun at ``pos`` is: a name with a possessive ending (Trump's), or a possessive
    pronoun (his), right before it or before one modifier (Trump's earlier claim)."""
    lex, parser, text = ctx.lex, ctx.parser, ctx.text
    tok = parser.words.word_before(pos, s_start)
    if tok is not None and not _owned(lex, tok.fold):
        tok = parser.words.word_before(tok.start, s_start)  # "his earlier claim", "Trump’s own admission"
    if tok is None or not _owned(lex, tok.fold) or any(c in text[tok.end : pos] for c in ",\n"):
        return None
    if tok.fold in lex.possessive_pronouns:
        return Mention(tok.start, tok.end, "pronoun")
    ending = next(e for e in lex.possessives if tok.fold.endswith(e))
    return parser.backward(tok.end - len(ending), s_start)


def _owned(lex: Lexicon, fold: str) -> bool:
    """Whether a word is a possessor: a possessive pronoun, or a word with a possessive ending."""
    return fold in lex.possessive_pronouns or any(fold.endswith(e) and len(fold) > len(e) for e in lex.possessives)


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
    relay = ctx.parser.words.word_before(ev.mention.start, s_start)
    if relay is not None and relay.fold in lex.cue_report_object:  # "KCNA mengutip Kim yang menggambarkan"
        outlet = ctx.parser.backward(relay.start, s_start)
        if outlet is not None and outlet.kind not in ("pronoun", "clitic"):
            ev.via = text[outlet.start : outlet.end]
        return
    between = text[ev.mention.end : ev.cue_start]
    if between.isspace():
        return  # "X said": no word between for the subject to relay
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


def _word_is(before: str, words: frozenset[str]) -> bool:
    """Whether the text ``before`` a cue ends with one of ``words`` (and, or)."""
    last = before.rsplit(None, 1)[-1] if before else ""
    return last.casefold() in words


def _opening_subject(ctx: Context, s_start: int, limit: int) -> Mention | None:
    """The subject opening the sentence at ``s_start``, past an opening phrase when there is one
    ("On Thursday, however, Trump spoke …"), read up to ``limit``."""
    mention = ctx.parser.subject(s_start, limit)
    if mention is None:
        lead = ctx.sentences.lead(s_start)
        mention = ctx.parser.subject(lead.end(), limit) if lead else None
    return mention


def _main_subject(ctx: Context, s_start: int, cue: int) -> Mention | None:
    """The subject opening the sentence, which a verb coordinated with its own shares: "Trump
    revised his plan, promising to …" (only where described subjects are read, see
    ``_described_subject``)."""
    m = _opening_subject(ctx, s_start, cue)
    return m if m is not None and m.end < cue else None


def apposed_subject(ctx: Context, s_start: int, limit: int) -> Mention | None:
    """A person's name opening the sentence at ``s_start``, set off by a comma from what describes
    them: *Abdian Saputra, Koordinator Ekajaya Fast Boat untuk Gili, juga menyampaikan*; *Hasan
    (37), karyawan swasta yang tinggal di Sawah Besar, Jakarta Pusat, mengaku*. The name is the
    subject, not a name inside the description; a description closed by a comma is the role.
    None unless an age or such a role follows the name."""
    text = ctx.text
    while s_start < limit and text[s_start].isspace():
        s_start += 1
    if text.find(",", s_start, limit + 1) < 0:
        return None  # the comma after the name (or its age) ends by ``limit``: no name need be read
    m = ctx.parser.forward(s_start, limit)
    if m is None or m.kind != "person" or not m.has_name or m.role:
        return None
    age = ctx.lex.age_at(text, m.end, limit)
    end = age.end() if age else m.end
    if not text.startswith(",", end):
        return None
    role = ctx.parser.apposition(end, limit)
    if role is not None and text.startswith(",", text.index(role, end) + len(role)):
        return replace(m, role=role)
    return m if age else None


def _apposed_before(
    ctx: Context, s_start: int, cue: int, subject: Mention | None, events: list[Event]
) -> Mention | None:
    """The sentence's ``apposed_subject`` as the subject of the verb at ``cue``: when it ends before
    the ``subject`` read back from the verb and after the previous cue (else that was the name's
    own verb). The comma after it then stands in between, so without one no name is read."""
    text = ctx.text
    first = s_start
    while first < cue and text[first].isspace():
        first += 1
    if subject is not None and subject.start <= first:
        return None  # the subject read back opens the sentence itself
    previous = events[-1].cue_start if events else -1
    if text.find(",", max(first, previous + 1), cue + 1) < 0:
        return None
    opening = apposed_subject(ctx, s_start, cue)
    if opening is None or (subject is not None and opening.end > subject.start) or previous >= opening.end:
        return None
    return opening


def _sentence_subject_before(ctx: Context, s_start: int, cue: int) -> Mention | None:
    """The named subject that opens the sentence a little before its verb (X pada Senin mengakui)."""
    lead = ctx.sentences.lead(s_start)
    pos = lead.end() if lead else s_start
    m = ctx.parser.forward(pos, cue)
    if m is None or m.kind == "pronoun" or cue - m.end > 80 or "," in ctx.text[m.end : cue]:
        return None
    return m
