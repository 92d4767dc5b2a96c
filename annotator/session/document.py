"""One annotator on one document: the label changes of the annotate screen, without Textual.

Screens call these methods and redraw from the result. Each method that
changes a label makes exactly one store call (one committed transaction plus
one event) and only then updates the in-memory state, so the screen never
shows a change that is not on disk.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import regex

from annotator.attribution import RuleAttributor, load_lexicon
from annotator.attribution.lexicon import Lexicon
from annotator.attribution.roles import description_role
from annotator.model import (
    CLOSING_MARKS,
    OPENING_MARKS,
    QUOTE_CHARACTERS,
    QUOTE_TYPES,
    Document,
    Owner,
    Quote,
    QuoteType,
    Span,
    Speaker,
)
from annotator.session.speakers import (
    SpeakerChoice,
    role_suggestion,
    speaker_choices,
    via_suggestion,
)
from annotator.session.stops import WordStops
from annotator.store import Store, edits, history
from annotator.store.edits import KnownSpeaker, LabelError
from annotator.store.history import HistoryEntry
from annotator.store.rows import quote_state

DEFAULT_RUN = "builtin"


_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:[-'’][\p{L}\p{M}\p{N}]+)*")


def _word_at(text: str, offset: int) -> tuple[int, int] | None:
    """The word (letters, digits, inner hyphens and apostrophes) holding ``offset``, as (start, end)."""
    if not 0 <= offset < len(text):
        return None
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    for m in _WORD.finditer(text, line_start, len(text) if line_end < 0 else line_end):
        if m.start() <= offset < m.end():
            return m.start(), m.end()
        if m.start() > offset:
            break
    return None


_CLUSTER = regex.compile(r"\X")


def _cluster_start(text: str, pos: int) -> int:
    """``pos``, or the start of the grapheme cluster it falls inside."""
    for m in _CLUSTER.finditer(text, max(0, pos - 32), min(len(text), pos + 32)):
        if m.start() <= pos < m.end():
            return m.start()
    return pos


def _cluster_end(text: str, pos: int) -> int:
    """``pos``, or the end of the grapheme cluster it falls inside."""
    inside = _cluster_start(text, pos)
    if inside == pos:
        return pos
    return _CLUSTER.match(text, inside).end()


def selected_type(text: str) -> QuoteType:
    """A new quote's type from its quotation marks: ``direct`` when they balance and enclose it all (up to
    the punctuation after the last), ``mixed`` when balanced marks enclose a part, else ``indirect`` (a
    lone mark quotes nothing)."""
    marks = [(i, ch) for i, ch in enumerate(text) if ch in QUOTE_CHARACTERS]
    if not marks:
        return "indirect"
    opening = sum(ch in OPENING_MARKS and ch not in CLOSING_MARKS for _, ch in marks)
    closing = sum(ch in CLOSING_MARKS and ch not in OPENING_MARKS for _, ch in marks)
    either = len(marks) - opening - closing
    if opening != closing or either % 2:
        return "indirect"
    body = text.rstrip(",.;:!?… ")
    if body and body[0] in QUOTE_CHARACTERS and body[-1] in QUOTE_CHARACTERS:
        return "direct"
    return "mixed"


# How the status line names an undone or redone change.
CHANGE_NAMES = {
    "accept": "the accept", "reject": "the reject", "type": "the type change", "start": "the start move",
    "end": "the end move", "speaker": "the speaker change", "role": "the role change",
    "role_category": "the role category change", "cue": "the cue change", "create": "the new quote",
    "via": "the via change", "speaker_kind": "the speaker kind change", "adjudicate": "the adjudicated version",
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
    run: str | None = DEFAULT_RUN  # whose predictions become candidates; None: no candidates
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

    def move_to_clause(self, edge: str, step: int) -> Change:
        """Move an edge of the current quote by a clause: widening (the end to the end of the clause or
        sentence after it, the start to the start of the one before it) or narrowing (the end back to the end
        of a clause inside the quote, the start on to the start of one)."""
        quote = self._current()
        stops = self.stops
        widen = (edge == "end") == (step > 0)
        if edge == "end":
            pos = stops.clause_end_right(quote.end) if widen else stops.clause_end_left(quote.start, quote.end)
        else:
            pos = stops.clause_start_left(quote.start) if widen else stops.clause_start_right(quote.start, quote.end)
        if pos is None:
            where = "outside the quote" if widen else "inside the quote"
            raise LabelError(f"no clause {edge} {where} to move the {edge} to")
        return self._update(edge, f"{edge} moved to the clause {edge}", **{edge: pos})

    def set_speaker(self, choice: SpeakerChoice) -> Change:
        return self._update("speaker", f"speaker {choice.name}", speaker=choice.speaker())

    def set_role(self, role: str | None) -> Change:
        """The role, and with it the category the lexicon's ``role_categories`` give it, unless the annotator
        chose the quote's category with ``R``."""
        role = (role or "").strip() or None
        quote = self._current()
        changes: dict = {"role": role}
        chosen = quote.role_category
        if chosen is None or not edits.has_label_event(self.store, self.annotator, quote.id, "role_category"):
            suggested = self._category_of(role)
            if suggested is not None:
                changes["role_category"] = suggested
        message = f"role {role}" if role else "role cleared"
        if changes.get("role_category", chosen) != chosen:
            message += f", category {changes['role_category']}"
        return self._update("role", message, **changes)

    def _category_of(self, role: str | None) -> str | None:
        return self.lexicon.role_category(role) if role else None

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

    def mention_at(self, selection: tuple[int, int] | None, cursor: int | None) -> Span:
        """What ``m`` makes a mention: the selection (trimmed of white space), else the name under the
        cursor — its run of capitalised words (*Vladimir Putin*), or the word there (*ia*, *Mereka*)."""
        text = self.document.text
        if selection is not None:
            return Span.of(text, *self.trim(*selection))
        if cursor is None:
            raise LabelError("select the mention first (v, move, then m), or put the cursor on a name")
        word = _word_at(text, cursor)
        if word is None:
            raise LabelError("no word under the cursor; select the mention (v, move, then m)")
        start, end = word
        if text[start].isupper():  # a name runs over the capitalised words around it
            while (before := _word_at(text, start - 2)) and text[before[0]].isupper() and text[before[1]] == " ":
                start = before[0]
            while (after := _word_at(text, end + 1)) and text[after[0]].isupper() and text[end] == " ":
                end = after[1]
        return Span.of(text, start, end)

    def entities(self, mention: Span | None = None) -> list[KnownSpeaker]:
        """The annotator's speaker entities of this document, each with its mentions: what ``m`` links to.

        For a mention, the likeliest first, so that its digit is small: the current quote's speaker (a
        second name of the same entity is the common case), then entities sharing a word with the
        mention (*KCNA* and *Kantor Berita Pusat Korea (KCNA)*), then the nearest to it."""
        found = edits.known_speakers(self.store, self.doc_id, self.owner)
        if mention is None:
            return found
        current = self.current.speaker.name if self.current is not None and self.current.speaker else None
        words = set(_WORD.findall(mention.text.casefold()))

        def rank(entity: KnownSpeaker) -> tuple[bool, bool, int]:
            names = " ".join((entity.name, *entity.aliases, *(m.text for m in entity.mentions))).casefold()
            distance = min((abs(m.start - mention.start) for m in entity.mentions), default=len(self.document.text))
            return (entity.name != current, not words & set(_WORD.findall(names)), distance)

        return sorted(found, key=rank)

    def set_mention(self, mention: Span, entity: KnownSpeaker | None) -> Change:
        """The current quote's speaker is ``entity`` (a new one named as written when None), named here by
        ``mention``: a pronoun, a clitic, a description or a second name of an entity becomes its mention."""
        mention.check(self.document.text)
        if entity is None:  # a description (pejabat di Korea Selatan) names nobody: an anonymous source
            kind = "anonymous" if mention.text[:1].islower() else "unknown"
            speaker = Speaker(" ".join(mention.text.split()), kind, mention)
        else:
            speaker = Speaker(entity.name, entity.kind, mention, entity.aliases)
        return self._update("speaker", f"speaker {speaker.name}, mentioned as “{mention.text}”", speaker=speaker)

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """A selection without the white space at its edges, nor a quotation mark that belongs to the word
        beyond it (the next word's opening mark, the previous word's closing one), and never cutting a
        grapheme cluster (an emoji with its joiners, a letter with its accents): it widens to whole ones."""
        start, end = min(start, end), max(start, end)
        text = self.document.text
        start, end = _cluster_start(text, start), _cluster_end(text, end)
        changed = True
        while changed:
            changed = False
            while start < end and text[start].isspace():
                start, changed = start + 1, True
            while end > start and text[end - 1].isspace():
                end, changed = end - 1, True
            if end - start > 1 and text[end - 1] in OPENING_MARKS and text[end - 2].isspace() \
                    and end < len(text) and not text[end].isspace():
                end, changed = end - 1, True  # "… Budi. \"Tes" selected up to the mark: the mark is the next word's
            if end - start > 1 and text[start] in CLOSING_MARKS and text[start] not in OPENING_MARKS \
                    and start > 0 and not text[start - 1].isspace() and text[start + 1].isspace():
                start, changed = start + 1, True
        if start == end:
            raise LabelError("the selection is empty")
        return start, end

    def create(self, start: int, end: int) -> Change:
        """A new accepted quote over a selection (trimmed, see ``trim``); its type read from its marks."""
        start, end = self.trim(start, end)
        text = self.document.text[start:end]
        quote = edits.create_label(
            self.store, self.annotator, self.doc_id,
            Quote(start=start, end=end, text=text, type=selected_type(text), status="accepted"),
            self.document.sha256,
        )
        self._replace(quote)
        return Change(quote, f"new {quote.type} quote (accepted; s gives it a speaker)")

    def undo(self) -> Change:
        return self._reverse(history.undo, "undid")

    def redo(self) -> Change:
        return self._reverse(history.redo, "redid")

    def _reverse(self, fn: Callable[[Store, str, str, str | None], HistoryEntry | None], verb: str) -> Change:
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
        what = CHANGE_NAMES.get(event.action, event.action.replace("_", " "))
        gone = " (the quote is gone)" if quote is None else ""
        return Change(quote, f"{verb} {what}{gone}")

    def find(self, query: str) -> list[tuple[int, int]]:
        """Where the text holds ``query`` (taken literally, any case): (start, end) of each match in order."""
        pattern = regex.compile(regex.escape(query), regex.IGNORECASE | regex.V1)
        return [(m.start(), m.end()) for m in pattern.finditer(self.document.text)]

    # picker data

    @cached_property
    def lexicon(self) -> Lexicon:
        """The attributor lexicon of the document's language (its ``lang``, else detected), whose words
        the picker's suggestions read."""
        return load_lexicon(RuleAttributor().language_of(self.document))

    def speaker_choices(self) -> list[SpeakerChoice]:
        quote = self.current
        if quote is None:
            return []
        mine = edits.known_speakers(self.store, self.doc_id, self.owner)
        run = edits.known_speakers(self.store, self.doc_id, Owner.run(self.run)) if self.store.has_run(self.run) else []
        return speaker_choices(self.lexicon, self.document.text, quote, mine, run)

    def via_prefill(self) -> tuple[str, bool]:
        """The via input's starting value and whether it is a suggestion from the text (not yet saved)."""
        quote = self.current
        if quote is None:
            return "", False
        if quote.via:
            return quote.via, False
        suggestion = via_suggestion(self.lexicon, self.document.text, quote)
        return (suggestion, True) if suggestion else ("", False)

    def completions(self, field: str) -> list[str]:
        """What the role, via or speaker-name input completes from: the values the document's labels use,
        then the database's (any annotator's), most used first; for via, then the document's outlets and
        organisations (an outlet quoted is often one that relays)."""
        values = edits.used_values(self.store, field, self.doc_id)
        if field == "via":
            values += [e.name for e in self.entities() if e.kind in ("media", "organization")]
        return list(dict.fromkeys(values))

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
            if quote.speaker.kind == "anonymous":
                return description_role(self.lexicon, quote.speaker.name) or ""
            return role_suggestion(self.lexicon, self.document.text, quote.speaker.mention) or ""
        return ""
