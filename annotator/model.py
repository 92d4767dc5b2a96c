"""The document model shared by every layer: plain dataclasses, no I/O.

Offsets are code-point offsets into the normalised document text, half-open
``[start, end)`` (docs/format.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

# The closed vocabularies of the model. Each Literal types the fields that hold it; the tuple
# beside it (the same values, in this order) is what code iterates, offers and checks against.
QuoteType = Literal["direct", "indirect", "mixed"]
SpeakerKind = Literal["person", "organization", "media", "anonymous", "unknown"]
QuoteStatus = Literal["pending", "accepted", "rejected"]
DocumentStatus = Literal["todo", "in_progress", "done", "skipped"]  # an annotator's status of a document
OwnerKind = Literal["annotator", "run"]  # a human annotator's labels, or an automatic run's predictions
MarkDirection = Literal["open", "close", "either"]  # what a quotation mark can do
# Which quotations the built-in attributor reports: "all", or "public": only statements of speakers named as
# public figures (organisations, titles, roles), the annotation scope of PFSA-ID.
AttributionScope = Literal["all", "public"]

QUOTE_TYPES: tuple[QuoteType, ...] = get_args(QuoteType)
SPEAKER_KINDS: tuple[SpeakerKind, ...] = get_args(SpeakerKind)
QUOTE_STATUSES: tuple[QuoteStatus, ...] = get_args(QuoteStatus)
DOC_STATUSES: tuple[DocumentStatus, ...] = get_args(DocumentStatus)
SCOPES: tuple[AttributionScope, ...] = get_args(AttributionScope)

# The quotation marks the tool knows, each with its family (marks pair within a family:
# double with double, guillemets with guillemets) and what it can do: open a quotation, close
# one, or either (the straight marks, and ” and ’ which open in some languages and close in
# others). The attributor pairs marks with this table; ``guess_type`` and the editor's word
# stops read the same marks.
QUOTATION_MARKS: dict[str, tuple[str, MarkDirection]] = {
    "“": ("double", "open"),
    "„": ("double", "open"),
    "‟": ("double", "open"),
    "”": ("double", "either"),
    '"': ("double", "either"),
    "``": ("double", "open"),
    "''": ("double", "either"),
    "«": ("angle", "open"),
    "»": ("angle", "close"),
    "‹": ("sangle", "open"),
    "›": ("sangle", "close"),
    "‘": ("single", "open"),
    "‚": ("single", "open"),
    "’": ("single", "either"),
    "‛": ("single", "either"),
    "'": ("single", "either"),
    "「": ("cjk", "open"),
    "」": ("cjk", "close"),
    "『": ("cjk2", "open"),
    "』": ("cjk2", "close"),
}
# Single characters only (the two-character TeX marks are not counted here). Where a span may
# begin or end on a mark: after marks that open (and the straight ones), before marks that close.
QUOTE_CHARACTERS = frozenset(m for m in QUOTATION_MARKS if len(m) == 1)
OPENING_MARKS = frozenset(m for m in QUOTE_CHARACTERS if QUOTATION_MARKS[m][1] == "open") | {'"', "'"}
CLOSING_MARKS = frozenset(m for m in QUOTE_CHARACTERS if QUOTATION_MARKS[m][1] != "open")
DEFAULT_ROLE_CATEGORIES = (
    "government",
    "military",
    "politician",
    "business",
    "expert",
    "civil society",
    "media",
    "international organization",
    "citizen",
    "other",
)


class SpanError(ValueError):
    """A span that does not fit its document text."""


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, doc_text: str, start: int, end: int) -> Span:
        """The span [start, end) of ``doc_text``, checked to lie inside it."""
        check_offsets(doc_text, start, end)
        return cls(start, end, doc_text[start:end])

    def check(self, doc_text: str) -> None:
        """Raise SpanError unless this span lies inside ``doc_text`` with matching text."""
        check_offsets(doc_text, self.start, self.end)
        if doc_text[self.start : self.end] != self.text:
            raise SpanError(
                f"span [{self.start}, {self.end}) has text {self.text!r} "
                f"but the document has {doc_text[self.start:self.end]!r} there"
            )


def check_offsets(doc_text: str, start: int, end: int) -> None:
    if not (isinstance(start, int) and isinstance(end, int)):
        raise SpanError(f"offsets must be integers, got {start!r} and {end!r}")
    if not 0 <= start <= end <= len(doc_text):
        raise SpanError(
            f"span [{start}, {end}) lies outside the text (length {len(doc_text)})"
        )


@dataclass(slots=True)
class Speaker:
    """Who a quote is attributed to: an entity of the document and the mention that names it."""

    name: str
    kind: SpeakerKind = "unknown"
    mention: Span | None = None
    aliases: tuple[str, ...] = ()
    id: int | None = None  # the stored entity, when read from the store



class SpeakerEntities:
    """The speaker entities of one layer of one document, indexed by name and alias: how the store
    clusters a layer's speakers, and how ``attribute_records`` gives the speakers the store would keep.

    A speaker joins the oldest entity with its name or an alias as name, or with its name as an alias,
    bringing its aliases and, to an entity of kind ``unknown``, its kind; else it is a new entity.
    Names match exactly: case-folding would rewrite names written in the source. Entity ids only
    grow, so the smallest is the oldest.
    """

    def __init__(self) -> None:
        self.rows: dict[int, tuple[str, str, list[str]]] = {}  # id -> (name, kind, aliases)
        self.by_name: dict[str, int] = {}  # name -> the oldest entity of that name
        # alias -> the oldest entity that lists it (an alias later dropped because it is the
        # entity's own name may stay: that name finds the entity anyway)
        self.by_alias: dict[str, int] = {}

    def index(self, sid: int, name: str, kind: str, aliases: list[str]) -> None:
        """Add an entity, or replace what one holds."""
        self.rows[sid] = (name, kind, aliases)
        self.by_name.setdefault(name, sid)
        for alias in aliases:
            if self.by_alias.get(alias, sid) >= sid:
                self.by_alias[alias] = sid

    def join(self, speaker: Speaker, new_id: Callable[[], int]) -> tuple[int, bool]:
        """The entity ``speaker`` names (a new one takes its id from ``new_id``) and whether an entity
        it joined changed (new aliases, a kind instead of ``unknown``)."""
        found = [self.by_name[n] for n in (speaker.name, *speaker.aliases) if n in self.by_name]
        if speaker.name in self.by_alias:
            found.append(self.by_alias[speaker.name])
        if not found:
            sid = new_id()
            self.index(sid, speaker.name, speaker.kind, list(speaker.aliases))
            return sid, False
        sid = min(found)
        name, kind, aliases = self.rows[sid]
        merged = [a for a in dict.fromkeys([*aliases, *speaker.aliases]) if a != name]
        if merged == aliases and not (kind == "unknown" and speaker.kind != "unknown"):
            return sid, False
        self.index(sid, name, speaker.kind if kind == "unknown" else kind, merged)
        return sid, True


def as_stored(quotes: list[Quote]) -> list[Quote]:
    """A layer's quotes with each speaker as its entity once every quote is stored (``SpeakerEntities``):
    its entity's name, kind and aliases, its own mention."""
    entities = SpeakerEntities()
    joined = [None if q.speaker is None else entities.join(q.speaker, lambda: len(entities.rows))[0] for q in quotes]
    stored = []
    for q, sid in zip(quotes, joined, strict=True):
        if sid is not None:
            name, kind, aliases = entities.rows[sid]
            q = q.with_changes(speaker=Speaker(name, kind, q.speaker.mention, tuple(aliases)))
        stored.append(q)
    return stored


@dataclass(slots=True)
class Quote:
    start: int
    end: int
    text: str
    type: QuoteType = "direct"
    cue: Span | None = None
    speaker: Speaker | None = None
    role: str | None = None
    role_category: str | None = None
    via: str | None = None
    status: QuoteStatus = "accepted"
    id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Where an adjudicated label came from: ``{"agreed": [...], "taken_from": name or None}`` (docs/format.md).
    adjudication: dict[str, Any] | None = None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.text)

    def check(self, doc_text: str) -> None:
        """Raise SpanError unless every span of this quote fits ``doc_text``."""
        self.span.check(doc_text)
        if self.cue is not None:
            self.cue.check(doc_text)
        if self.speaker is not None and self.speaker.mention is not None:
            self.speaker.mention.check(doc_text)
        if self.type not in QUOTE_TYPES:
            raise SpanError(f"quote type {self.type!r} is not one of {', '.join(QUOTE_TYPES)}")

    def with_changes(self, **changes: Any) -> Quote:
        return replace(self, **changes)


@dataclass(slots=True)
class Document:
    id: str
    text: str
    lang: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or "")


@dataclass(slots=True)
class AnnotatedDocument:
    """A document with one layer of quotes (an annotator's labels or a run's predictions)."""

    document: Document
    quotes: list[Quote] = field(default_factory=list)
    status: DocumentStatus | None = None  # the annotator's status of the document, when read from the store


@dataclass(frozen=True, slots=True)
class Owner:
    """Whose quotes: a human annotator's labels or an automatic run's predictions."""

    kind: OwnerKind
    name: str

    @classmethod
    def annotator(cls, name: str) -> Owner:
        return cls("annotator", name)

    @classmethod
    def run(cls, name: str) -> Owner:
        return cls("run", name)

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


def guess_type(text: str) -> str:
    """``direct`` when the content carries a quotation mark, else ``indirect``: the type of a quote read
    without one. An apostrophe (``'`` or ``’``) counts as a mark (docs/metrics.md §11.2)."""
    return "direct" if any(ch in QUOTE_CHARACTERS for ch in text) else "indirect"


def quote_order(q: Quote) -> tuple[int, int]:
    """Quotes in reading order: by start, then by end."""
    return (q.start, q.end)


def span_json(span: Span | None) -> dict[str, Any] | None:
    """A span in the interchange format (docs/format.md)."""
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "text": span.text}


def quote_json(q: Quote) -> dict[str, Any]:
    """A quote in the interchange format (docs/format.md); the store keeps quote states in this shape too."""
    speaker = None
    if q.speaker is not None:
        speaker = {
            "name": q.speaker.name,
            "kind": q.speaker.kind,
            "mention": span_json(q.speaker.mention),
            "aliases": list(q.speaker.aliases),
        }
    state = {
        "start": q.start,
        "end": q.end,
        "type": q.type,
        "text": q.text,
        "cue": span_json(q.cue),
        "speaker": speaker,
        "role": q.role,
        "role_category": q.role_category,
        "via": q.via,
    }
    if q.adjudication is not None:  # only adjudicated labels carry the key
        state["adjudication"] = q.adjudication
    return state


def document_json(ad: AnnotatedDocument) -> dict[str, Any]:
    """A document with its quotes, in reading order, in the interchange format (docs/format.md)."""
    doc = ad.document
    return {
        "id": doc.id,
        "lang": doc.lang,
        "text": doc.text,
        "meta": doc.meta,
        "quotes": [quote_json(q) for q in sorted(ad.quotes, key=quote_order)],
    }
