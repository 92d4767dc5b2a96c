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

import regex

from annotator.attribution.context import Context
from annotator.attribution.cues import Event, find_events
from annotator.attribution.entities import RESOLVE_WINDOW, Entities
from annotator.attribution.lexicon import Lexicon, detect_language, load_lexicon
from annotator.attribution.marks import SPEAKER_LABEL, Marked, find_marked
from annotator.attribution.mentions import WORD, Mention, MentionParser
from annotator.attribution.reported import ReportedClauses
from annotator.attribution.roles import role_category, standing, via_after
from annotator.attribution.sentences import Sentences, count_words
from annotator.model import Document, Quote, Span, Speaker

_DASH = regex.compile(r"[ \t\u00a0]*([―—–])[ \t\u00a0]*")
# "all": every quotation; "public": only statements of speakers named as public figures
# (organisations, titles, roles), the annotation scope of PFSA-ID.
SCOPES = ("all", "public")
_SUBJECT_SENTENCES = 8  # sentences back from a pronoun whose subjects can be its antecedent
_NEXT_WORD = regex.compile(r"[ \t]*,?[ \t]*([\p{L}][\p{L}\p{M}’'\-]*)")
_MIN_UNATTRIBUTED_WORDS = 5
_MIN_SUBJECT_WORDS = 2  # a fragment shorter than this needs a reporting verb (scare quotes)
_FOLLOW_WINDOW = 1200  # a quote with no cue continues the previous speaker this close


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
        self.context = Context(text, lex, self.parser, self.sentences, scope)
        self.entities = Entities(self.context)
        self._subject_events: dict[int, Event | None] = {}

    # ---- pipeline -------------------------------------------------------------
    def run(self) -> list[Quote]:
        events = self.events = find_events(self.context)
        self.cue_starts = [e.cue_start for e in events]
        marked = self.marked = find_marked(self.text)
        self._mark_starts = [m.start for m in marked]
        quotes = self.direct_quotes(marked, events)
        quotes += ReportedClauses(self.context, events, self.cue_starts).quotes(marked, quotes)
        quotes.sort(key=lambda q: (q.start, q.end))
        return self.finish(quotes)

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
            if ent is None and m.role and any(
                w.casefold() in self.lex.titles or w.casefold() in self.lex.org_markers for w in WORD.findall(m.role)
            ):
                ent = self.entities.entity_for(m)  # introduced with a role: "Wali Kota X Y membenarkan …"
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
                        sev.entity = self.entities.entity_for(sev.mention)
                    with_subjects = sorted(named + subjects, key=lambda pe: pe[0])
                ev.entity = self.entities.resolve(m, with_subjects)
            else:
                ev.entity = self.entities.resolve(m, named)
        for ent in {id(ev.entity): ev.entity for q in quotes if (ev := q.extra.get("event")) and ev.entity}.values():
            self.entities.expand(ent)
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
                q.via = ev.via or via_after(self.context, m.end)
                ent = ev.entity
                if ent is not None:
                    kind = ent.kind
                    q.speaker = Speaker(name=ent.name, kind=kind, mention=mention, aliases=ent.aliases)
                    q.role = m.role or self.parser.apposition(m.end, min(len(text), m.end + 200)) or ent.role
                else:
                    q.speaker = Speaker(name=mention.text, kind="unknown", mention=mention)
                q.role_category = role_category(self.lex, q.role)
                if self.scope == "public" and standing(self.lex, ent, m, q.role) == "private":
                    continue
            elif self.scope == "public":
                continue
            result.append(q)
        return result

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

