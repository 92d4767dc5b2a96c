"""The built-in rule attributor: quotation marks, reporting words and name phrases.

One pass finds every reporting word (cue) of the lexicon and reads its speaker
mention (after it: *kata X*, *said X*, *menurut X*; before it: *X mengatakan*,
*X said*; a clitic or pronoun: *katanya*, *he said*). A second pass finds the
quoted spans and attaches each to the cue in its own sentence, right after it
(``,” kata X``) or right before it (``X mengatakan, ”…”``), else to the speaker
of the quote it continues. Reporting clauses without quotation marks become
indirect quotes; one with a quoted fragment inside becomes a mixed quote.
Pronouns and clitics resolve to the latest named speaker before them; the
mentions of a document are clustered into entities (Zelensky / Zelenskyy /
Presiden Ukraina Volodymyr Zelenskyy), each with a kind and a role (with a
default category when the lexicon knows its words). With ``scope="public"``
only statements framed by their own cue and made by speakers named as public
figures are kept, the convention of PFSA-ID.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from dataclasses import dataclass, field

import regex

from annotator.attribution.lexicon import Lexicon, detect_language, load_lexicon
from annotator.attribution.marks import SPEAKER_LABEL, Marked, find_marked
from annotator.attribution.mentions import WORD, Mention, MentionParser
from annotator.attribution.sentences import Sentences
from annotator.model import Document, Quote, Span, Speaker

_DASH = regex.compile(r"[ \t\u00a0]*([―—–])[ \t\u00a0]*")
_AGE_AFTER = regex.compile(r"[ \t]*\(\d{1,3}(?:\s*tahun)?\)")
_RELAY = regex.compile(r"[ \t]*,?[ \t]*([\p{L}]+)[ \t]+")
_VIA_PHRASE = regex.compile(r"[ \t]*([^,.;:()\n“”\"]{2,60})")
# "all": every quotation; "public": only statements of speakers named as public figures
# (organisations, titles, roles), the annotation scope of PFSA-ID.
SCOPES = ("all", "public")
_BY = regex.compile(r"\s+(?:oleh|by)\b")
_CAP_WORD = regex.compile(r"(?<![\p{L}\p{M}\p{N}])\p{Lu}[\p{L}\p{M}\-’']*")
_CAP_WORD_CHAR = regex.compile(r"[\p{L}\p{M}\-’']")
# Up to this many words are each searched for in the text; past it, one scan indexes them all
_WORDS_SEARCHED = 24
# Up to this many entities, clustering a mention reads them all; past it, an index (see _sharing)
_ENTITIES_READ = 32
_SUBJECT_SENTENCES = 8  # sentences back from a pronoun whose subjects can be its antecedent
_NEXT_WORD = regex.compile(r"[ \t]*,?[ \t]*([\p{L}][\p{L}\p{M}’'\-]*)")
_MIN_UNATTRIBUTED_WORDS = 5
_MIN_SUBJECT_WORDS = 2  # a fragment shorter than this needs a reporting verb (scare quotes)
_RESOLVE_WINDOW = 3000  # characters back to look for a pronoun's antecedent
_FOLLOW_WINDOW = 1200  # a quote with no cue continues the previous speaker this close


@dataclass(slots=True)
class Entity:
    names: list[str]
    kind: str
    role: str | None = None
    tokens: set[str] = field(default_factory=set)
    private: bool = False  # named with an age, "Gabriel Manek (60)": not a public figure
    index: int = -1  # its position among the entities of the text
    independent: set[str] = field(default_factory=set)  # words of its names the text also uses apart
    _name: tuple[tuple[int, int], str] | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        key = (len(self.names), len(self.independent))
        if self._name is None or self._name[0] != key:
            self._name = (key, self._canonical())
        return self._name[1]

    def _canonical(self) -> str:
        longest = max(self.names, key=lambda n: (len(_name_tokens(n)), len(n)))
        words = longest.split()
        # a short form used alone that sits inside the long one starts the name when the
        # words before it are used on their own elsewhere:
        # "Muhammadiyah Haedar Nashir" with "Haedar" -> "Haedar Nashir"
        for short in self.names:
            if " " not in short and short in words[1:-1]:
                k = words.index(short, 1)
                if all(w in self.independent and len(w.rstrip(".")) > 1 for w in words[:k]):  # not an initial
                    return " ".join(words[k:])
        return longest

    @property
    def aliases(self) -> tuple[str, ...]:
        main = self.name
        return tuple(sorted({n for n in self.names if n != main}))


@dataclass(slots=True)
class Event:
    """A reporting word and the mention it attributes to."""

    cue_start: int
    cue_end: int
    kind: str  # short, clitic, verb, according, passive
    mention: Mention | None
    entity: Entity | None = None
    subject_after: bool = False  # the mention follows the cue (kata X, said X)
    via: str | None = None  # the outlet relaying it: "KCNA … melaporkan, mengutip Komisi …"
    clause_start: int | None = None  # where the reported clause may start, past a relayed source


def _count_words(text: str, enough: int, start: int = 0, end: int | None = None) -> int:
    """How many words ``text[start:end]`` holds, counting no further than ``enough``."""
    n = 0
    for _ in WORD.finditer(text, start, len(text) if end is None else end):
        n += 1
        if n >= enough:
            break
    return n


def _name_tokens(name: str) -> list[str]:
    return name.casefold().replace("(", " ").replace(")", " ").replace("-", " ").split()


def _same_token(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) >= 5 and abs(len(a) - len(b)) <= 2:
        return a.startswith(b) or b.startswith(a)
    return False


def _subset(small: list[str], big: set[str]) -> bool:
    """Whether every token of ``small`` is in ``big`` or a variant spelling of one (_same_token)."""
    for s in small:
        if s in big:
            continue
        n = len(s)
        if n < 5:
            return False
        for b in big:
            k = len(b)
            if k >= 5 and -2 <= n - k <= 2 and (s.startswith(b) if n >= k else b.startswith(s)):
                break
        else:
            return False
    return True


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
        lex = load_lexicon(self.language_of(document))
        return _Analysis(document.text, lex, self.scope).run()


class _Analysis:
    def __init__(self, text: str, lex: Lexicon, scope: str = "all"):
        self.text = text
        self.lex = lex
        self.scope = scope
        self.parser = MentionParser(text, lex)
        self.sentences = Sentences(text, lex)
        self.entities: list[Entity] = []
        # past _ENTITIES_READ entities: their positions by each name token and by one key token,
        # each as (by the token, by the token less its last one or two letters); see _sharing
        self._by_token: tuple[dict[str, set[int]], dict[str, set[int]]] | None = None
        self._by_key: tuple[dict[str, set[int]], dict[str, set[int]]] = ({}, {})
        self._tokenless: set[int] = set()
        self._capitalised: dict[str, list[int]] = {}  # capitalised word searched for -> where it stands
        self._all_capitalised: dict[str, list[int]] | None = None  # every one, past _WORDS_SEARCHED
        self._subject_events: dict[int, Event | None] = {}

    # ---- pipeline -------------------------------------------------------------
    def run(self) -> list[Quote]:
        events = self.events = self.find_events()
        self.cue_starts = [e.cue_start for e in events]
        marked = self.marked = find_marked(self.text)
        self._mark_starts = [m.start for m in marked]
        quotes = self.direct_quotes(marked, events)
        quotes += self.indirect_quotes(events, marked, quotes)
        quotes.sort(key=lambda q: (q.start, q.end))
        return self.finish(quotes)

    def find_events(self) -> list[Event]:
        """Every reporting cue of the text with the mention it attributes to, in text order.

        The speaker is read after short cues (*kata X*), *menurut X* and passive frames, and before a
        reporting verb (after it when inverted: "…," said X; or shared with the previous verb of
        the sentence). Cues that report nothing are dropped here, once for all quotes: a
        capitalised word inside a sentence (a name), a noun after a preposition, a negated verb.
        """
        text, parser = self.text, self.parser
        events: list[Event] = []
        for m in self.lex.cues.finditer(text):
            s_start, s_end = self.sentences.sentence_of(m.start())
            if m.group()[:1].isupper() and text[s_start : m.start()].strip(" \t\"“”‘’'(—–-"):
                continue  # a capitalised word inside a sentence is a name (United States)
            groups = m.groupdict()
            if groups.get("short"):
                if groups.get("clitic"):
                    c = m.start("clitic")
                    events.append(Event(m.start(), c, "clitic", Mention(c, m.end(), "clitic")))
                    continue
                before = parser.word_before(m.start(), s_start)
                if before is not None and (before.fold in self.lex.prepositions or before.fold in self.lex.determiners):
                    continue  # "dari pesan Whatsapp", "sang kata": a noun, not a reporting word
                mention = parser.forward(m.end(), s_end)
                if mention is None:
                    continue
                events.append(Event(m.start(), m.end(), "short", mention, subject_after=True))
            elif groups.get("according"):
                if groups.get("aclitic"):
                    c = m.start("aclitic")
                    events.append(Event(m.start(), c, "according", Mention(c, m.end(), "clitic"), subject_after=True))
                    continue
                mention = parser.forward(m.end(), s_end)
                if mention is not None:
                    events.append(Event(m.start(), m.end(), "according", mention, subject_after=True))
            elif groups.get("passive"):
                pos = m.end()
                by = _BY.match(text[pos : pos + 6])
                if by:
                    pos += by.end()
                mention = parser.forward(pos, s_end)
                if mention is not None:
                    events.append(Event(m.start(), m.end(), "passive", mention, subject_after=True))
            else:
                before = text[s_start : m.start()].rstrip()
                inverted = bool(before) and (
                    before[-1] in "”\"’'»" or (self.lex.verb_inversion and before[-1] == ",")
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
                        prev.kind == "verb"
                        and prev.cue_start >= s_start
                        and prev.mention is not None
                        and not prev.subject_after
                    ):
                        mention = prev.mention
                if mention is None:
                    mention = parser.backward(m.start(), s_start)
                if mention is None and not inverted:
                    mention = self._sentence_subject_before(s_start, m.start())
                if self._negated(m.start(), s_start):
                    continue
                ev = Event(m.start(), m.end(), "verb", mention, subject_after=after)
                self._relayed(ev, s_start, s_end)
                events.append(ev)
        return events

    # ---- direct quotes --------------------------------------------------------
    def direct_quotes(self, marked: list[Marked], events: list[Event]) -> list[Quote]:
        """A quote for each marked quotation, with the cue event that attributes it.

        The event is looked for where news puts it — right after the quote, in its sentence, before
        it, the sentence's subject — else the previous quote's when this one follows it closely (a
        quotation continued), else the nearest before. Transcript lines (PENCE: …) belong to their
        label; a quoted title of a work is no quotation; fragments of one sentence and one speaker
        are joined into one mixed quote. With scope public, only quotes framed by a cue are kept.
        """
        text = self.text
        cue_starts = [e.cue_start for e in events]
        out: list[Quote] = []
        prev: tuple[Quote, Event | None] | None = None
        for mk in marked:
            label = None
            if mk.start == 0 or text[mk.start - 1] == "\n":  # a line of its own
                label = SPEAKER_LABEL.match(text, mk.start + 1, mk.end)
            if label is not None:
                # a transcript line: '"PENCE: Well, look, …' is said by the speaker its label names
                speaker = Mention(label.start(1), label.end(1), "person", label.start(1), label.end(1))
                q = Quote(start=label.end(), end=mk.end, text=text[label.end() : mk.end], type="direct",
                          status="pending")
                event = Event(label.start(1), label.start(1), "label", speaker, subject_after=True)
                q.extra["event"] = event
                if _count_words(text, 1, label.end(), mk.end):
                    out.append(q)
                    prev = (q, event)
                continue
            content = text[mk.start : mk.end]
            words = _count_words(content, _MIN_UNATTRIBUTED_WORDS)
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
            framed = event is not None and event.kind != "subject"
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
            if not framed and self.scope == "public":
                continue  # public statements are reported with a cue (PFSA-ID's convention)
            q = Quote(start=mk.start, end=mk.end, text=content, type="direct", status="pending")
            if event is not None:
                if event.cue_end > event.cue_start:
                    q.cue = Span(event.cue_start, event.cue_end, text[event.cue_start : event.cue_end])
                q.extra["event"] = event
            if (
                mid_sentence and event is not None and prev is not None and prev[1] is event
                and out and out[-1] is prev[0] and out[-1].start > s_start + 1
                and mk.start - out[-1].end < 80
                and not (out[-1].end <= event.cue_start < mk.start)
                and bool(text[s_start : out[-1].start].strip(" \t\n\"“”‘’'«»„‟"))
            ):
                # “false” or “pants on fire”: fragments of one sentence and one speaker are one quote
                first = out[-1]
                first.end, first.text, first.type = mk.end, text[first.start : mk.end], "mixed"
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
            if inner_last == "." and stripped and stripped[:1].isupper() and ev.kind != "verb":
                break
            gap_start = tail_start + len(between) - len(between.lstrip(" \t,.;:—–-"))
            if not stripped:
                # cue right after the quote: ", kata X", ", katanya", "said X"
                if ev.mention is not None and (ev.subject_after or ev.kind == "clitic"):
                    return ev
                if ev.mention is not None and ev.kind == "verb":
                    return ev
                if ev.kind == "verb":
                    # "…," said the ruling: a description after the verb
                    described = self.parser.subject(ev.cue_end, window_end)
                    if described is not None:
                        return Event(ev.cue_start, ev.cue_end, ev.kind, described, subject_after=True)
                continue
            if ev.kind == "verb" and (ev.mention is None or ev.mention.start < tail_start):
                # "…," the letter reads: a description before the verb
                described = self.parser.subject(gap_start, ev.cue_start)
                if described is not None and len(stripped) <= 60:
                    return Event(ev.cue_start, ev.cue_end, ev.kind, described)
            # "X mengatakan" / "X said" after the quote: the subject fills the gap
            if ev.kind == "verb" and ev.mention is not None and not ev.subject_after:
                if ev.via:
                    return ev  # "KCNA melaporkan, mengutip Komisi …": the relayed source speaks
                if ev.mention.start >= tail_start and len(stripped) <= 240:
                    forward = self.parser.forward(gap_start, ev.cue_start)
                    if forward is not None and ev.mention.start - forward.start > 0 and forward.kind != "pronoun":
                        ev = Event(ev.cue_start, ev.cue_end, ev.kind, forward)
                    return ev
                # the subject parsed back stopped on a modifier: read it from the quote's end
                forward = self.parser.forward(gap_start, ev.cue_start)
                if forward is not None and len(stripped) <= 240:
                    return Event(ev.cue_start, ev.cue_end, ev.kind, forward)
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
            if ev.mention is not None and (ev.subject_after or ev.kind == "clitic"):
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
            if ev.mention is None or ev.kind not in ("verb", "according", "passive"):
                continue
            if ev.kind == "verb" and ev.subject_after:
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
        if s_start in self._subject_events:
            return self._subject_events[s_start]
        text = self.text
        mention = self.parser.subject(s_start, pos)
        if mention is None:
            lead = self.sentences.lead(s_start)
            if lead:
                mention = self.parser.subject(lead.end(), pos)
        event = None
        if mention is not None:
            # the subject's verb (rated, dismissed) must stand between it and the fragment
            verb = _NEXT_WORD.match(text, mention.end, pos)
            if verb is not None and verb.group(1)[:1].islower():
                event = Event(verb.start(1), verb.end(1), "subject", mention)
            elif mention.kind == "pronoun" or (mention.has_name and " " in text[mention.name_start : mention.name_end]):
                event = Event(mention.start, mention.start, "subject", mention)  # Clinton "is the only …"
        self._subject_events[s_start] = event
        return event

    def _dash_signature(self, mk: Marked) -> Event | None:
        """“…” ― Sonya Herridge: a name after a dash closing the quote."""
        m = _DASH.match(self.text, mk.end, min(len(self.text), mk.end + 6))
        if not m:
            return None
        _, s_end = self.sentences.paragraph_of(m.end())
        mention = self.parser.forward(m.end(), s_end)
        if mention is None or mention.kind == "pronoun":
            return None
        return Event(m.start(1), m.end(1), "dash", mention, subject_after=True)

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
            if ev.mention is not None and ev.kind in ("verb", "according", "short", "passive"):
                return ev
        return None

    # ---- indirect and mixed ---------------------------------------------------
    def indirect_quotes(self, events: list[Event], marked: list[Marked], direct: list[Quote]) -> list[Quote]:
        """The reported clause of each cue with a speaker, as an indirect quote (mixed when it holds
        a quotation).

        Dropped: clauses under three words, a clause holding a quotation another cue attributes, a
        cue's clause when the cue introduces a direct quote, and a report nested in a reported
        clause. The direct quotes a mixed quote absorbs are removed from ``direct`` (in place), so
        no text is attributed twice.
        """
        text = self.text
        used = {id(q.extra.get("event")) for q in direct}
        owner = {(q.start, q.end): id(q.extra.get("event")) for q in direct if q.extra.get("event") is not None}
        mark_starts = [m.start for m in marked]
        out: list[Quote] = []
        for ev in events:
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
            if _count_words(text, 3, start, end) < 3:
                continue
            inside = [m for m in marked[bisect.bisect_left(mark_starts, start) :] if m.start < end]
            if any(owner.get((m.start, m.end), id(ev)) != id(ev) for m in inside):
                continue  # the clause holds a quote attributed to another cue
            if id(ev) in used and not inside:
                continue  # the cue introduces a direct quote, not a reported clause
            if inside and inside[0].start <= start + 1 and inside[-1].end >= end - 1 and len(inside) == 1:
                continue  # the clause is a direct quote, attributed above
            qtype = "mixed" if inside else "indirect"
            q = Quote(start=start, end=end, text=text[start:end], type=qtype, status="pending")
            q.cue = Span(ev.cue_start, ev.cue_end, text[ev.cue_start : ev.cue_end])
            q.extra["event"] = ev
            q.extra["absorbs"] = [(m.start, m.end) for m in inside]
            out.append(q)
        out.sort(key=lambda q: (q.start, -q.end))
        nested: list[Quote] = []
        for q in out:
            if nested and q.start < nested[-1].end and q.end <= nested[-1].end:
                if (q.start, q.end) == (nested[-1].start, nested[-1].end) and q.extra["event"].kind == "passive":
                    nested[-1] = q  # "… mengakui bahwa X. Hal itu diucapkan Y": Y said X
                continue  # a report inside a reported clause ("mengatakan telah meminta …")
            nested.append(q)
        out = nested
        if out:
            absorbed = {se for q in out for se in q.extra["absorbs"]}
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
        if ev.kind == "passive":
            # "Hal itu diucapkan X": the previous sentence is what was said
            if ev.cue_start - s_start > 40:
                return None
            p_start, _ = self.sentences.sentence_of(max(0, s_start - 2))
            if p_start >= s_start:
                return None
            clause = text[p_start:s_start]
            comp = self._complementiser(clause)
            return (p_start + comp if comp is not None else p_start, s_start)
        if ev.kind == "according" and m is not None:
            after = text[m.end : s_end]
            if after.lstrip().startswith(","):
                return (m.end + after.index(",") + 1, s_end)
            before = text[s_start : ev.cue_start].rstrip()
            if before.endswith(","):
                return (s_start, s_start + len(before) - 1)
            return None
        if (ev.kind in ("short", "verb") and ev.subject_after) or ev.kind == "clitic":
            # "…, kata X." / "…, X said." after a clause
            before = text[s_start : ev.cue_start].rstrip()
            after = text[m.end : s_end] if m is not None else ""
            if after.startswith(",") and len(before) <= 30 and (not before or before.endswith(",")):
                return (m.end + 1, s_end)  # "Terutama, kata Trump, untuk …"
            if ev.kind == "verb" and m is not None and m.end <= ev.cue_start:
                before = text[s_start : m.start].rstrip()
            if before.endswith(",") and len(before) > 15:
                return (s_start, s_start + len(before) - 1)
            return None
        if ev.kind == "verb" and m is not None and (m.end <= ev.cue_start or ev.via):
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
            if ev.kind != "verb":
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

    # ---- speakers ---------------------------------------------------------------
    def finish(self, quotes: list[Quote]) -> list[Quote]:
        """Speakers for the quotes, resolved over the whole text at once.

        Every named mention becomes an entity in text order, so that a later short form
        (*Zelensky*) joins an earlier full name; a pronoun or clitic then goes to the last named
        speaker (a pronoun also to a sentence's subject). Each quote gets its speaker, mention,
        role, role category and via; with scope public, quotes of private people are dropped.
        """
        text = self.text
        # name every explicit mention, in text order, so later short forms join earlier full names
        events = self.events + [e for e in self._subject_events.values() if e is not None]
        events.sort(key=lambda e: e.cue_start)
        named: list[tuple[int, Event]] = []
        for ev in events:
            m = ev.mention
            if m is None or m.kind in ("pronoun", "clitic"):
                continue
            ev.entity = self.entity_for(m)
            if not self._quoted(m.start):
                named.append((m.start, ev))
        known = len(self.entities)  # the speakers named by then: sentence subjects look only at them
        subjects: list[tuple[int, Event]] = []
        anaphors = [
            ev.mention.start for ev in events if ev.mention is not None and ev.mention.kind in ("pronoun", "clitic")
        ]
        for m in self.sentence_subjects(anaphors):
            ent = self.find_entity(m, known)
            if ent is None and m.role and any(
                w.casefold() in self.lex.titles or w.casefold() in self.lex.org_markers for w in WORD.findall(m.role)
            ):
                ent = self.entity_for(m)  # introduced with a role: "Wali Kota X Y membenarkan …"
            if ent is not None:
                named.append((m.start, Event(m.start, m.start, "subject", m, ent)))
            else:
                subjects.append((m.start, Event(m.start, m.start, "subject", m)))
        named.sort(key=lambda pe: pe[0])
        with_subjects = None
        for ev in events:
            m = ev.mention
            if m is None or m.kind not in ("pronoun", "clitic"):
                continue
            if m.kind == "pronoun":
                # "ia mengatakan": the person the text was just talking about, speaker or not
                if with_subjects is None:
                    for _, sev in subjects:
                        sev.entity = self.entity_for(sev.mention)
                    with_subjects = sorted(named + subjects, key=lambda pe: pe[0])
                ev.entity = self.resolve(m, with_subjects)
            else:
                ev.entity = self.resolve(m, named)
        for ent in {id(ev.entity): ev.entity for q in quotes if (ev := q.extra.get("event")) and ev.entity}.values():
            self.expand(ent)
        result = []
        for q in quotes:
            ev: Event | None = q.extra.pop("event", None)
            q.extra.pop("absorbs", None)
            q.extra.clear()
            if ev is not None and ev.mention is not None:
                m = ev.mention
                mention = Span(m.start, m.end, text[m.start : m.end])
                if m.has_name and m.kind == "person":
                    mention = Span(m.name_start, m.name_end, text[m.name_start : m.name_end])
                q.via = ev.via or self.via_after(m.end)
                ent = ev.entity
                if ent is not None:
                    kind = ent.kind
                    q.speaker = Speaker(name=ent.name, kind=kind, mention=mention, aliases=ent.aliases)
                    q.role = m.role or self.parser.apposition(m.end, min(len(text), m.end + 200)) or ent.role
                else:
                    q.speaker = Speaker(name=mention.text, kind="unknown", mention=mention)
                q.role_category = self.role_category(q.role)
                if self.scope == "public" and self.standing(ent, m, q.role) == "private":
                    continue
            elif self.scope == "public":
                continue
            result.append(q)
        return result

    def role_category(self, role: str | None) -> str | None:
        """The first role category of the lexicon whose words the role contains, if any."""
        if not role:
            return None
        return self.lex.role_category(role)

    def standing(self, ent: Entity | None, m: Mention, role: str | None) -> str:
        """public, private or unknown: whether the speaker is named as a public figure.

        Public: an organisation or outlet, a title alone (Presiden), or a role
        with a title, rank or organisation word. Private: an anonymous source, a
        person named with an age ("Ratna (47)"), or a role such as warga or
        pedagang. Unknown otherwise (a name with no role anywhere in the text).
        """
        lex = self.lex
        if ent is None:
            return "private"  # an unresolved pronoun: nobody named
        if ent.kind in ("organization", "media"):
            return "public"
        if ent.kind == "anonymous" or ent.private:
            return "private"
        role = role or ent.role
        if not role and m.kind == "person" and not m.has_name:
            return "public"  # kata Presiden
        if not role:
            return "unknown"
        words = [w.casefold() for w in WORD.findall(role)]
        lead = [w for w in words if w not in ("salah", "satu", "seorang", "a", "an", "the", "one", "of")]
        if lead and lead[0] in lex.private_roles:
            return "private"
        if any(w in lex.titles or w in lex.org_markers for w in words) or any(c.isupper() for c in role[1:]):
            return "public"
        return "unknown"

    def _negated(self, cue: int, s_start: int) -> bool:
        """Whether a negation stands right before the verb (belum mengonfirmasi, did not say)."""
        before = self.text[max(s_start, cue - 20) : cue].casefold().split()
        return bool(before) and before[-1] in self.lex.negations

    def _relayed(self, ev: Event, s_start: int, s_end: int) -> None:
        """Who is really quoted when the subject only relays: X melaporkan, mengutip Y / X, citing Y, said."""
        text, lex = self.text, self.lex
        if ev.mention is None or not lex.cue_report_object:
            return
        after = _RELAY.match(text, ev.cue_end, s_end)
        if after and after.group(1).casefold() in lex.cue_report_object:
            source = self.parser.forward(after.end(), s_end)
            if source is not None and source.kind != "pronoun":
                ev.via = text[ev.mention.start : ev.mention.end]
                ev.mention = source
                ev.clause_start = self._end_of_phrase(source.end, s_end)
            return
        if ev.subject_after or ev.mention.end > ev.cue_start:
            return
        between = text[ev.mention.end : ev.cue_start]
        inner = _RELAY.match(between)
        if inner and inner.group(1).casefold() in lex.cue_report_object:
            source = self.parser.forward(ev.mention.end + inner.end(), ev.cue_start)
            if source is not None and source.kind != "pronoun":
                ev.via = text[ev.mention.start : ev.mention.end]
                ev.mention = source

    def _end_of_phrase(self, pos: int, limit: int) -> int:
        """After a relayed source: past its trailing description up to the next comma."""
        comma = self.text.find(",", pos, limit)
        return limit if comma < 0 else comma + 1

    def via_after(self, pos: int) -> str | None:
        """"… kata Gerasimov seperti dikutip situs resmi Kremlin": the relaying outlet."""
        _, s_end = self.sentences.sentence_of(pos)
        window = self.text[pos : min(s_end, pos + 80)]
        low = window.casefold()
        for marker in self.lex.via_markers:
            i = low.find(marker)
            if i >= 0 and (i == 0 or not low[i - 1].isalnum()) and not low[:i].strip(" ,").count(" ") > 2:
                rest = window[i + len(marker) :]
                m = _VIA_PHRASE.match(rest)
                if m and m.group(1).strip():
                    return m.group(1).strip()
        return None

    def _sentence_subject_before(self, s_start: int, cue: int) -> Mention | None:
        """The named subject that opens the sentence a little before its verb (X pada Senin mengakui)."""
        lead = self.sentences.lead(s_start)
        pos = lead.end() if lead else s_start
        m = self.parser.forward(pos, cue)
        if m is None or m.kind == "pronoun" or cue - m.end > 80 or "," in self.text[m.end : cue]:
            return None
        return m

    def sentence_subjects(self, anaphors: list[int]) -> list[Mention]:
        """Named people that open a sentence ("Sementara itu, Direktur X Y mengatakan …").

        Only sentences within reach of a pronoun or clitic (``anaphors``) are read.
        """
        text = self.text
        out: list[Mention] = []
        wanted: set[int] = set()
        for pos in anaphors:
            hi = bisect.bisect_right(self.sentences.starts, pos)
            lo = max(bisect.bisect_left(self.sentences.starts, pos - _RESOLVE_WINDOW), hi - _SUBJECT_SENTENCES)
            wanted.update(range(lo, hi))
        for i in sorted(wanted):
            start = self.sentences.starts[i]
            if self._quoted(start):
                continue  # a sentence inside a quotation (its subject would start there too)
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

    def _quoted(self, pos: int) -> bool:
        """Whether ``pos`` lies inside a quotation: people named there are what a speaker talks
        about, not whom the narrative's next "katanya" / "he said" refers to."""
        marked = self.marked
        i = bisect.bisect_right(self._mark_starts, pos) - 1
        return i >= 0 and pos < marked[i].end

    def _sharing(self, toks: list[str], known: int) -> list[Entity]:
        """The first ``known`` entities that could match a mention with these name tokens, newest
        first, so that clustering reads a few candidates instead of every entity of the text.

        _subset(toks, entity tokens) needs every token of the mention in the entity, as
        itself or a variant spelling (_same_token): such an entity is filed under a variant of
        the mention's rarest token. _subset(entity tokens, toks) needs every token of the
        entity in the mention, so also the one it is filed under as its key. Entities with no
        token pass the second test whatever the mention; with no token, the mention passes the
        first test against any entity.
        """
        if not toks or len(self.entities) <= _ENTITIES_READ:
            return self.entities[:known][::-1]
        if self._by_token is None:
            self._by_token = ({}, {})
            for ent in self.entities:
                self._add_tokens(ent.index, ent.tokens, new=True)
        rarest = min(toks, key=lambda t: self._filed(self._by_token, t, count=True))
        found = self._filed(self._by_token, rarest) | self._tokenless
        for t in toks:
            found |= self._filed(self._by_key, t)
        return [self.entities[k] for k in sorted(found, reverse=True) if k < known]

    @staticmethod
    def _filed(index: tuple[dict[str, set[int]], dict[str, set[int]]], t: str, count: bool = False):
        """The entities filed in ``index`` under ``t`` or a variant spelling of it (or how many
        filings that reads). ``index`` is (by token, by token less its last one or two letters)."""
        exact, extended = index
        sets = [exact.get(t, set())]
        if len(t) >= 5:
            sets.append(extended.get(t, set()))  # filed under t plus one or two letters
            sets += [exact.get(shorter, set()) for shorter in (t[:-1], t[:-2]) if len(shorter) >= 5]
        return sum(map(len, sets)) if count else set().union(*sets)

    @staticmethod
    def _file(index: tuple[dict[str, set[int]], dict[str, set[int]]], k: int, t: str) -> None:
        exact, extended = index
        exact.setdefault(t, set()).add(k)
        for prefix in (t[:-1], t[:-2]):
            if len(prefix) >= 5:
                extended.setdefault(prefix, set()).add(k)

    def _add_tokens(self, k: int, toks, new: bool = False) -> None:
        """File entity ``k`` under its new name tokens; an entity getting its first tokens also
        under its key, the one of them fewest entities had so far (see _sharing)."""
        if self._by_token is None:
            return  # not indexed yet: _sharing files every entity when it starts
        toks = list(toks)
        if not toks:
            if new:
                self._tokenless.add(k)
            return
        if new or k in self._tokenless:  # its first tokens: the key is one of them
            key = min(toks, key=lambda t: (self._filed(self._by_token, t, count=True), -len(t), t))
            self._file(self._by_key, k, key)
            self._tokenless.discard(k)
        for t in toks:
            self._file(self._by_token, k, t)

    def find_entity(self, m: Mention, known: int) -> Entity | None:
        """The newest of the first ``known`` entities that a person's mention names."""
        toks = _name_tokens(self.text[m.name_start : m.name_end])
        for ent in self._sharing(toks, known):
            if ent.kind in ("person", "unknown") and (
                _subset(toks, ent.tokens) or _subset(list(ent.tokens), set(toks))
            ):
                return ent
        return None

    def entity_for(self, m: Mention) -> Entity:
        text = self.text
        name = text[m.name_start : m.name_end] if m.has_name else text[m.start : m.end]
        name = " ".join(name.split())
        kind = m.kind if m.kind in ("person", "organization", "media", "anonymous") else "unknown"
        toks = _name_tokens(name)
        best = None
        if kind != "anonymous":
            for ent in self._sharing(toks, len(self.entities)):
                if ent.kind == "anonymous":
                    continue
                if kind == "person" and ent.kind in ("organization", "media"):
                    continue  # "Trump" is not "Trump's campaign"
                if _subset(toks, ent.tokens) or (kind == ent.kind and _subset(list(ent.tokens), set(toks))):
                    best = ent
                    break
        if best is None:
            best = Entity([name], kind, m.role, set(toks), index=len(self.entities))
            self.entities.append(best)
            self._add_tokens(best.index, best.tokens, new=True)
        else:
            if name not in best.names:
                best.names.append(name)
            best.tokens.update(toks)
            self._add_tokens(best.index, toks)
            if best.role is None and m.role:
                best.role = m.role
        return best

    def resolve(self, m: Mention, named: list[tuple[int, Event]]) -> Entity | None:
        """The latest named speaker before a pronoun or clitic, within reach."""
        pronoun = self.text[m.start : m.end].casefold()
        want = self.lex.pronouns.get(pronoun, "person")
        # named is in text order: only the entries before the pronoun and within reach are read
        lo = bisect.bisect_left(named, m.start - _RESOLVE_WINDOW, key=lambda pe: pe[0])
        hi = bisect.bisect_left(named, m.start, key=lambda pe: pe[0])
        for _, ev in reversed(named[lo:hi]):
            ent = ev.entity
            if ent is None:
                continue
            if want == "person" and ent.kind not in ("person", "unknown"):
                continue
            return ent
        return None

    def expand(self, ent: Entity) -> None:
        """Full name, role and standing of a person from the places the text names them.

        A speaker named by a short form (Zelensky, Parwati) gets the full name of
        its introduction (Presiden Ukraina Volodymyr Zelenskyy); the role is the
        title before the name or the apposition after it at the first place that
        has one; an age in parentheses after the name marks a private person.
        """
        if ent.kind != "person":
            return
        text = self.text
        capitalised = {w for n in ent.names for w in n.split() if len(w) > 1 and w[:1].isupper()}
        keys = sorted(capitalised, key=lambda w: (-len(w), w))
        if not keys:
            return
        wanted = set(keys[:6])
        # in text order, merged lazily: only the first few are read, however often a first name recurs
        positions = heapq.merge(*(self.capitalised_at(k) for k in sorted(wanted)))
        current = _name_tokens(ent.name)
        best: tuple[float, int, str] | None = None
        first_role: dict[str, str] = {}
        seen = 0
        covered = -1  # the end of the run read last: later words of it need no second read
        if len(current) >= 2 and ent.role is not None and self.scope != "public":
            positions = []  # named in full with a role already; only the public scope needs the age
        for occ in positions:
            if occ < covered:
                continue
            seen += 1
            if seen > 24:
                break
            start = self._run_start(occ)
            _, s_end = self.sentences.sentence_of(occ)
            m = self.parser.forward(start, s_end)
            if m is not None:
                covered = m.end
            if m is None or not m.has_name or m.kind != "person" or not (m.name_start <= occ < m.name_end):
                continue
            full = " ".join(text[m.name_start : m.name_end].split())
            toks = _name_tokens(full)
            if not (_subset(current, set(toks)) or _subset(toks, set(current))):
                continue
            if _AGE_AFTER.match(text, m.name_end, min(len(text), m.name_end + 8)):
                ent.private = True
            if ent.role is None and full not in first_role:
                role = m.role or self.role_before(m.start)
                if role is None:
                    # "Analis riset Capital Asset Management, Desmon Silitonga, …"
                    before = text[max(0, m.start - 3) : m.start]
                    if before.rstrip().endswith(","):
                        role = self.role_before(m.start - len(before) + before.rindex(","))
                role = role or self.parser.apposition(m.end, min(len(text), m.end + 200))
                if role:
                    first_role[full] = role
            if len(toks) > len(current):
                # the short form as surname (Donald Trump) beats a form run into another name
                score = 1.0 if any(_same_token(toks[-1], c) for c in current) else 0.5
                if best is None or score > best[0]:
                    best = (score, m.start, full)
            if best is not None and best[0] == 1.0 and (ent.role is not None or best[2] in first_role):
                break
            if best is None and len(current) >= 2 and (ent.role is not None or first_role) and seen >= 3:
                break  # a full name with a role: the introduction has been read
        if best is not None:
            full = best[2]
            ent.names.append(full)
            ent.tokens.update(_name_tokens(full))
            self._add_tokens(ent.index, _name_tokens(full))
            if ent.role is None:
                ent.role = first_role.get(full)
        longest = max(ent.names, key=lambda n: (len(_name_tokens(n)), len(n))).split()
        for word, nxt in itertools.pairwise(longest):
            if any(not text.startswith(nxt, p + len(word) + 1) for p in self.capitalised_at(word)):
                ent.independent.add(word)
        if ent.role is None:
            ent.role = next(iter(first_role.values()), None)

    def capitalised_at(self, word: str) -> list[int]:
        """Where ``word`` stands as a whole capitalised word (a match of _CAP_WORD scanning the
        text from its start), in text order. The first few words wanted are searched for, one
        by one (cheaper for an article, which wants a dozen); past _WORDS_SEARCHED, one scan
        indexes every capitalised word, so a text with thousands of speakers is not read once
        per speaker."""
        if self._all_capitalised is not None:
            return self._all_capitalised.get(word, [])
        found = self._capitalised.get(word)
        if found is None:
            if len(self._capitalised) >= _WORDS_SEARCHED:
                self._all_capitalised = {}
                for m in _CAP_WORD.finditer(self.text):
                    self._all_capitalised.setdefault(m.group(), []).append(m.start())
                return self._all_capitalised.get(word, [])
            text, found = self.text, []
            i = text.find(word) if word else -1
            while i >= 0:
                m = _CAP_WORD.match(text, i)
                if m is not None and m.end() == i + len(word) and not self._inside_cap_word(i):
                    found.append(i)
                i = text.find(word, i + 1)
            self._capitalised[word] = found
        return found

    def _inside_cap_word(self, pos: int) -> bool:
        """Whether a scan for _CAP_WORD would have read ``pos`` as part of an earlier word
        (Pierre in Jean-Pierre): an earlier start in the same run of word characters."""
        text = self.text
        if pos == 0 or text[pos - 1] not in "-’'":
            return False  # the run starts here (or the look-behind already refused it)
        r = pos - 1
        while r > 0 and _CAP_WORD_CHAR.match(text, r - 1):
            r -= 1
        return any(_CAP_WORD.match(text, q) for q in range(r, pos))

    def role_before(self, pos: int) -> str | None:
        """A lower-case title phrase right before a name: pengamat kebijakan publik Trubus R."""
        lex, text = self.lex, self.text
        p = pos
        role_start = None
        for _ in range(16):
            tok = self.parser.word_before(p, max(0, p - 60), parens=True)
            if tok is None or text[tok.end : p].strip(" \t()"):
                break
            f = tok.fold
            stops = f in lex.stop_after_mention and f not in lex.role_connectors
            if stops or f in lex.cue_short or f in lex.cue_verbs:
                break
            if f not in lex.titles and not tok.text[:1].isupper() and any(f.startswith(v) for v in lex.verb_prefixes):
                break
            if f in lex.titles:
                role_start = tok.start
            p = tok.start
        if role_start is None:
            return None
        role = text[role_start:pos].strip(" ,")
        return role or None

    def _run_start(self, pos: int) -> int:
        """Back over the capitalised and title words that lead up to ``pos``."""
        start = pos
        for _ in range(14):
            tok = self.parser.word_before(start, max(0, start - 60), parens=True)
            if tok is None or self.text[tok.end : start].strip(" \t()") or tok.text.isdigit():
                break  # punctuation, or an age in brackets: another name's end
            how = self.parser._accept(tok)
            if how not in ("cap", "title"):
                break  # "Ilham dan Labib": a conjunction joins two people
            start = tok.start
        return start
