"""The annotation session without Textual: one annotator on one document.

Screens call these methods and redraw from the result. Each method that
changes a label makes exactly one store call (one committed transaction plus
one event) and only then updates the in-memory state, so the screen never
shows a change that is not on disk.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import regex

from annotator.model import CLOSING_MARKS, OPENING_MARKS, QUOTE_TYPES, Document, Owner, Quote, Span, Speaker, guess_type
from annotator.store import Store, edits, history
from annotator.store.edits import KnownSpeaker, LabelError
from annotator.store.history import HistoryEntry
from annotator.store.rows import quote_state
from annotator.text import tokens

DEFAULT_RUN = "builtin"

_OPENING = OPENING_MARKS | set("([")
_CLOSING = CLOSING_MARKS | set(")]")


class WordStops:
    """Where a quote may start or end when its boundary moves by one word.

    A start is a token start, pulled left over an attached opening quotation
    mark; an end is a token end, pushed right over attached punctuation up to
    a closing quotation mark (``kemenangan,”``), so direct quotes keep their marks.
    """

    def __init__(self, text: str):
        starts, ends = [], []
        self.token_starts = []
        for s, e in tokens(text):
            self.token_starts.append(s)
            i = s
            while i > 0 and not text[i - 1].isspace() and not text[i - 1].isalnum():
                i -= 1
            run = text[i:s]
            first = next((k for k, ch in enumerate(run) if ch in _OPENING), None)
            starts.append(i + first if first is not None else s)
            j = e
            while j < len(text) and not text[j].isspace() and not text[j].isalnum():
                j += 1
            run = text[e:j]
            last = max((k for k, ch in enumerate(run) if ch in _CLOSING), default=None)
            ends.append(e + last + 1 if last is not None else e)
        self.starts = sorted(set(starts))
        self.ends = sorted(set(ends))

    def start_left(self, start: int) -> int | None:
        i = bisect.bisect_left(self.starts, start)
        return self.starts[i - 1] if i else None

    def start_right(self, start: int, end: int) -> int | None:
        i = bisect.bisect_right(self.starts, start)
        return self.starts[i] if i < len(self.starts) and self.starts[i] < end else None

    def end_left(self, start: int, end: int) -> int | None:
        i = bisect.bisect_left(self.ends, end)
        return self.ends[i - 1] if i and self.ends[i - 1] > start else None

    def end_right(self, end: int) -> int | None:
        i = bisect.bisect_right(self.ends, end)
        return self.ends[i] if i < len(self.ends) else None

    def word_left(self, pos: int) -> int:
        i = bisect.bisect_left(self.token_starts, pos)
        return self.token_starts[i - 1] if i else 0

    def word_right(self, pos: int, length: int) -> int:
        i = bisect.bisect_right(self.token_starts, pos)
        return self.token_starts[i] if i < len(self.token_starts) else length


# --- speaker candidates -----------------------------------------------------------------

# Runs of capitalised words ("Vladimir Putin", "Departemen Luar Negeri AS", "KCNA").
_NAME = regex.compile(r"\b\p{Lu}[\p{L}\p{M}'’.-]*\p{L}(?:[ \t]+\p{Lu}[\p{L}\p{M}'’.-]*\p{L})*|\b\p{Lu}{2,}\b")
_SENTENCE_START = regex.compile(r"(?:^|[.!?…]\s+|\n\s*|[“\"(]\s*)$")


@dataclass
class SpeakerChoice:
    """One line of the speaker picker: an entity or a name found in the text, and the mention it links."""

    name: str
    kind: str
    mention: Span | None
    source: str  # "yours", "run" or "text"
    role: str | None = None
    aliases: tuple[str, ...] = ()

    def speaker(self) -> Speaker:
        return Speaker(name=self.name, kind=self.kind, mention=self.mention, aliases=self.aliases)


def _distance(span: Span, quote: Quote) -> tuple[int, int]:
    """How far a mention lies from a quote: mentions outside the quote first, then the nearest."""
    if quote.start <= span.start and span.end <= quote.end:
        return (1, 0)
    if span.end <= quote.start:
        return (0, quote.start - span.end)
    return (0, max(0, span.start - quote.end))


# Capitalised words that are dates, not speakers (Indonesian and English).
_NOT_NAMES = frozenset("""
Senin Selasa Rabu Kamis Jumat Sabtu Minggu Ahad Januari Februari Maret April Mei Juni Juli Agustus
September Oktober November Desember Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
February March May June July August October December
""".split())


def text_names(text: str) -> dict[str, list[Span]]:
    """Capitalised name sequences of a text with their occurrences; a lone capitalised word opening a
    sentence counts only if it also occurs inside one."""
    found: dict[str, list[Span]] = {}
    inside: set[str] = set()
    for m in _NAME.finditer(text):
        name, start = m.group(), m.start()
        opening = start == 0 or bool(_SENTENCE_START.search(text, max(0, start - 3), start))
        if opening and " " in name:
            # "Menurut Valery Gerasimov": the first word may be capitalised only as the sentence opener.
            rest = name.split(None, 1)[1]
            found.setdefault(rest, []).append(Span(m.end() - len(rest), m.end(), rest))
            inside.add(rest)
        found.setdefault(name, []).append(Span(start, m.end(), name))
        if " " in name or name.isupper() or not opening:
            inside.add(name)
    return {name: spans for name, spans in found.items() if name in inside and name not in _NOT_NAMES}


_APPOSITIVE = regex.compile(r",\s+(\p{Ll}[^,.;:\n“”\"\d]{2,100}?)\s*(?:[,;]|\.(?=\s|$))")
_CLAUSE_END = regex.compile(r"[.!?…;:]\s|\n")
_TITLE_WORDS = regex.compile(r"(?:(\p{Ll}[\p{L}-]{3,})[ \t]+)?((?:\p{Lu}[\p{L}\p{M}.-]*[ \t]+)+)$")
# Lower-case words before a name that are not part of a title: cue verbs and prepositions.
_NOT_TITLE = regex.compile(r"^(?:me|di|ber|ter)\p{L}+|^(?:kata|ujar|tambah|imbuh|cuit|oleh|dari|dengan|"
                           r"untuk|pada|kepada|said|says|told|according|from|with|and|dan|the)$")


def role_suggestion(text: str, mention: Span | None) -> str | None:
    """The role the article states next to a mention: an appositive after it (", kepala Staf …,") or
    the title before it ("Presiden Rusia", "pemimpin Korea Utara")."""
    if mention is None:
        return None
    after = _APPOSITIVE.match(text, mention.end, min(len(text), mention.end + 120))
    if after:
        return after.group(1).strip()
    window = max(0, mention.start - 120)
    boundary = None
    for boundary in _CLAUSE_END.finditer(text, window, mention.start):
        pass
    title = _TITLE_WORDS.search(text, boundary.end() if boundary else window, mention.start)
    if title is None:
        return None
    words = title.group(2).split()
    if title.group(1) and not _NOT_TITLE.match(title.group(1)):
        words.insert(0, title.group(1))
    return " ".join(words)


# Phrases that name the outlet relaying a quote: "dikutip dari Radio Free Asia (RFA)", "seperti dilansir
# Reuters", "as reported by the BBC".
_VIA = regex.compile(
    r"(?:dikutip(?:\s+dari)?|dilansir(?:\s+dari)?|melansir|seperti\s+dilaporkan|as\s+reported\s+by|reported\s+by|"
    r"according\s+to\s+a\s+report\s+(?:by|in)|via)\s+"
    r"((?:the\s+)?(?:\p{Lu}(?:[\p{L}\p{M}\d&'’-]|\.(?=\p{L}))*|situs(?:\s+resmi)?)"
    r"(?:\s+\p{Lu}(?:[\p{L}\p{M}\d&'’-]|\.(?=\p{L}))*)*"
    r"(?:\s+\(\p{Lu}[\p{Lu}\d]+\))?)"
)


def via_suggestion(text: str, quote: Quote) -> str | None:
    """The outlet a phrase next to the quote says relayed it, in the quote's paragraph, after it first."""
    line_start = text.rfind("\n", 0, quote.start) + 1
    line_end = text.find("\n", quote.end)
    line_end = len(text) if line_end < 0 else line_end
    after = _VIA.search(text, quote.end, min(line_end, quote.end + 200))
    if after is None:
        after = _VIA.search(text, max(line_start, quote.start - 200), quote.start)
    return " ".join(after.group(1).split()) if after else None


def speaker_choices(
    text: str, quote: Quote, mine: list[KnownSpeaker], run: list[KnownSpeaker]
) -> list[SpeakerChoice]:
    """The picker's list for one quote: its current speaker first, then this annotator's entities, the
    run's and the names found in the text, nearest to the quote first, each with its nearest mention."""
    name_index = text_names(text)
    taken: set[str] = set()
    first: list[SpeakerChoice] = []
    current = quote.speaker
    if current is not None:
        first.append(SpeakerChoice(current.name, current.kind, current.mention, "current",
                                   quote.role, current.aliases))
        taken.update(n.casefold() for n in (current.name, *current.aliases))
        if current.mention is not None:
            taken.add(current.mention.text.casefold())

    ranked: list[tuple[tuple[int, int], int, SpeakerChoice]] = []
    entity_names: list[str] = []
    layers = [*((e, "yours") for e in mine), *((e, "run") for e in run)]
    # A name found in the text that ends with an entity's name ("Presiden Rusia Vladimir Putin") is that
    # entity with its title: its occurrences count as the entity's mentions, not as a line of their own.
    inner: dict[str, list[Span]] = {}
    titled: set[str] = set()
    known = {n for entity, _ in layers for n in (entity.name, *entity.aliases) if n}
    for name, spans in name_index.items():
        for n in known:
            at = len(name) - len(n)
            if at > 0 and name.endswith(n) and not name[at - 1].isalnum():
                titled.add(name)
                inner.setdefault(n, []).extend(Span(s.start + at, s.start + at + len(n), n) for s in spans)
    for order, (entity, source) in enumerate(layers):
        names = {entity.name, *entity.aliases, *(m.text for m in entity.mentions)}
        entity_names.append(entity.name)
        if entity.name.casefold() in taken:
            continue
        taken.update(n.casefold() for n in names)
        spans = [*entity.mentions, *(s for n in names for s in (*name_index.get(n, ()), *inner.get(n, ())))]
        mention = min(spans, key=lambda s: _distance(s, quote), default=None)
        role = entity.roles[0] if entity.roles else (
            role_suggestion(text, mention) if entity.kind not in ("organization", "media") else None)
        choice = SpeakerChoice(entity.name, entity.kind, mention, source, role, entity.aliases)
        ranked.append((_distance(mention, quote) if mention else (2, 0), order, choice))
    for name, spans in name_index.items():
        if name.casefold() in taken or name in titled or any(name in other for other in entity_names):
            continue
        mention = min(spans, key=lambda s: _distance(s, quote))
        choice = SpeakerChoice(name, "unknown", mention, "text", role_suggestion(text, mention))
        ranked.append((_distance(mention, quote), len(ranked) + 10_000, choice))
    return first + [choice for _, _, choice in sorted(ranked, key=lambda r: (r[0], r[1]))]


# --- the session ------------------------------------------------------------------------------


# How the status line names an undone or redone change.
_CHANGE_NAMES = {
    "accept": "the accept", "reject": "the reject", "type": "the type change", "start": "the start move",
    "end": "the end move", "speaker": "the speaker change", "role": "the role change",
    "role_category": "the role category change", "cue": "the cue change", "create": "the new quote",
    "via": "the via change", "speaker_kind": "the speaker kind change",
}


@dataclass
class Change:
    """What a label action did, for the status line."""

    quote: Quote | None
    message: str
    changed: bool = True  # False when the label already was so: nothing was written or logged


@dataclass
class DocumentSession:
    store: Store
    annotator: str
    doc_id: str
    run: str = DEFAULT_RUN
    document: Document = field(init=False)
    quotes: list[Quote] = field(init=False)
    index: int = field(init=False, default=0)
    seeded: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        doc = self.store.document(self.doc_id)
        if doc is None:
            raise KeyError(self.doc_id)
        self.document = doc
        self.seeded = len(edits.seed_candidates(self.store, self.annotator, self.doc_id, self.run, doc.sha256))
        if self.status == "todo":  # opened: the work has started (its own transaction and event)
            self.store.set_status(self.doc_id, self.annotator, "in_progress")
        self.reload()
        self.index = next((i for i, q in enumerate(self.quotes) if q.status == "pending"), 0)
        self._stops: WordStops | None = None

    @property
    def owner(self) -> Owner:
        return Owner.annotator(self.annotator)

    @property
    def stops(self) -> WordStops:
        if self._stops is None:
            self._stops = WordStops(self.document.text)
        return self._stops

    def reload(self) -> None:
        self.quotes = self.store.quotes(self.doc_id, self.owner)

    @property
    def status(self) -> str:
        return self.store.status(self.doc_id, self.annotator)

    @property
    def current(self) -> Quote | None:
        if not self.quotes:
            return None
        self.index = max(0, min(self.index, len(self.quotes) - 1))
        return self.quotes[self.index]

    def _current(self) -> Quote:
        """The current quote, for a change to it; refused when the document has none."""
        quote = self.current
        if quote is None:
            raise LabelError("this document has no quotes yet; press v to make one")
        return quote

    def counts(self) -> dict[str, int]:
        counts = {"pending": 0, "accepted": 0, "rejected": 0}
        for q in self.quotes:
            counts[q.status] += 1
        return counts

    # navigation

    def move(self, step: int) -> Quote | None:
        if self.quotes:
            self.index = (self.index + step) % len(self.quotes)
        return self.current

    def advance_to_pending(self) -> Quote | None:
        """The next quote still pending (text order, wrapping around); stay put when none is left.

        Called after accept and reject, so a correct candidate costs one key.
        """
        count = len(self.quotes)
        for step in range(1, count):
            i = (self.index + step) % count
            if self.quotes[i].status == "pending":
                self.index = i
                break
        return self.current

    def select_quote(self, quote_id: int) -> Quote | None:
        for i, q in enumerate(self.quotes):
            if q.id == quote_id:
                self.index = i
        return self.current

    # label changes: one store call each

    def _replace(self, quote: Quote) -> None:
        """Put a stored quote in place, keeping the list in text order and the index on it."""
        self.quotes = [q for q in self.quotes if q.id != quote.id]
        keys = [(q.start, q.end, q.id) for q in self.quotes]
        i = bisect.bisect_left(keys, (quote.start, quote.end, quote.id))
        self.quotes.insert(i, quote)
        self.index = i

    def _update(self, action: str, message: str, **changes) -> Change:
        quote = self._current()
        stored = edits.update_label(self.store, self.annotator, quote.id, action, self.document.sha256, **changes)
        self._replace(stored)
        return Change(stored, message, changed=quote_state(stored) != quote_state(quote))

    def accept(self) -> Change:
        return self._update("accept", "accepted", status="accepted")

    def reject(self) -> Change:
        return self._update("reject", "rejected", status="rejected")

    def cycle_type(self) -> Change:
        quote = self._current()
        new = QUOTE_TYPES[(QUOTE_TYPES.index(quote.type) + 1) % len(QUOTE_TYPES)]
        return self._update("type", f"type {new}", type=new)

    def move_boundary(self, edge: str, step: int) -> Change:
        """Move the start or end of the current quote one word left (-1) or right (+1)."""
        quote = self._current()
        stops = self.stops
        if edge == "start":
            pos = stops.start_left(quote.start) if step < 0 else stops.start_right(quote.start, quote.end)
        else:
            pos = stops.end_left(quote.start, quote.end) if step < 0 else stops.end_right(quote.end)
        if pos is None:
            raise LabelError(f"the {edge} cannot move further {'left' if step < 0 else 'right'}")
        return self._update(edge, f"{edge} moved", **{edge: pos})

    def set_speaker(self, choice: SpeakerChoice) -> Change:
        return self._update("speaker", f"speaker {choice.name}", speaker=choice.speaker())

    def set_role(self, role: str | None) -> Change:
        role = (role or "").strip() or None
        return self._update("role", f"role {role}" if role else "role cleared", role=role)

    def set_via(self, via: str | None) -> Change:
        via = " ".join((via or "").split()) or None
        return self._update("via", f"via {via}" if via else "via cleared", via=via)

    def set_speaker_kind(self, kind: str) -> Change:
        quote = self._current()
        stored = edits.set_speaker_kind(self.store, self.annotator, quote.id, kind, self.document.sha256)
        if stored.speaker.kind == quote.speaker.kind:
            return Change(stored, f"{stored.speaker.name} is {kind}", changed=False)
        # Every quote of the entity changed kind: read them again.
        self.reload()
        self.select_quote(stored.id)
        shared = sum(1 for q in self.quotes if q.speaker is not None and q.speaker.id == stored.speaker.id)
        others = f" (and its {shared - 1} other quote{'s' * (shared > 2)})" if shared > 1 else ""
        return Change(stored, f"{stored.speaker.name} is {kind}{others}")

    def set_role_category(self, category: str | None) -> Change:
        return self._update("role_category", f"role category {category or 'cleared'}", role_category=category)

    def set_cue(self, start: int, end: int) -> Change:
        start, end = self.trim(start, end)
        cue = Span.of(self.document.text, start, end)
        return self._update("cue", f"cue {cue.text}", cue=cue)

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """A selection without the white space at its edges."""
        start, end = min(start, end), max(start, end)
        text = self.document.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            raise LabelError("the selection is empty")
        return start, end

    def create(self, start: int, end: int) -> Change:
        """A new accepted quote over a selection (trimmed of white space); type guessed from its marks."""
        start, end = self.trim(start, end)
        text = self.document.text[start:end]
        quote = edits.create_label(
            self.store, self.annotator, self.doc_id,
            Quote(start=start, end=end, text=text, type=guess_type(text), status="accepted"),
            self.document.sha256,
        )
        self._replace(quote)
        return Change(quote, f"new {quote.type} quote (accepted; s gives it a speaker)")

    def undo(self) -> Change:
        return self._reverse(history.undo, "undid")

    def redo(self) -> Change:
        return self._reverse(history.redo, "redid")

    def _reverse(self, fn, verb: str) -> Change:
        event: HistoryEntry | None = fn(self.store, self.annotator, self.doc_id, self.document.sha256)
        if event is None:
            raise LabelError("nothing to undo" if fn is history.undo else "nothing to redo")
        self.reload()
        if event.action == edits.DOC_STATUS:
            status = (event.before if fn is history.undo else event.after)["status"]
            return Change(None, f"{verb} the document status: {status.replace('_', ' ')} again")
        quote = self.store.quote(event.quote_id)
        if quote is not None and quote.id is not None:
            self.select_quote(quote.id)
        what = _CHANGE_NAMES.get(event.action, event.action.replace("_", " "))
        gone = " (the quote is gone)" if quote is None else ""
        return Change(quote, f"{verb} {what}{gone}")

    # picker data

    def speaker_choices(self) -> list[SpeakerChoice]:
        quote = self.current
        if quote is None:
            return []
        mine = edits.known_speakers(self.store, self.doc_id, self.owner)
        run = edits.known_speakers(self.store, self.doc_id, Owner.run(self.run)) if self.store.has_run(self.run) else []
        return speaker_choices(self.document.text, quote, mine, run)

    def via_prefill(self) -> tuple[str, bool]:
        """The via input's starting value and whether it is a suggestion from the text (not yet saved)."""
        quote = self.current
        if quote is None:
            return "", False
        if quote.via:
            return quote.via, False
        suggestion = via_suggestion(self.document.text, quote)
        return (suggestion, True) if suggestion else ("", False)

    def role_prefill(self) -> str:
        """The role input's starting value: the quote's role, else the suggestion for its speaker."""
        quote = self.current
        if quote is None:
            return ""
        if quote.role:
            return quote.role
        if quote.speaker is not None:
            for entity in edits.known_speakers(self.store, self.doc_id, self.owner):
                if entity.name == quote.speaker.name and entity.roles:
                    return entity.roles[0]
            return role_suggestion(self.document.text, quote.speaker.mention) or ""
        return ""
