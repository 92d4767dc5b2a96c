"""brat standoff: export to a folder brat opens, and import of brat folders.

Export writes, per document, ``<id>.txt`` (the normalised text, UTF-8, exactly)
and ``<id>.ann``; once per folder ``annotation.conf`` and ``visual.conf``.
Offsets are code points of the ``.txt`` (as brat's server counts them; brat's
browser view misplaces highlights after characters outside the Basic
Multilingual Plane, such as emoji — a brat limitation, the files are right).

Per quote:

    T1  Quote 812 1010      “Tentara …”       (a span holding a line break is
                                                written as fragments "s e;s e")
    A1  QuoteType T1 direct                   direct | indirect | mixed
    A2  RoleCategory T1 military              spaces in a category become _
    #1  AnnotatorNotes T1   role: Kepala Staf … | via: situs resmi Kremlin
    T2  Cue 1012 1016       kata
    R1  Cue-of Arg1:T2 Arg2:T1
    T3  Speaker 1017 1025   Gerasimov         one T per mention, shared by quotes
    A3  SpeakerKind T3 person
    #2  AnnotatorNotes T3   name: Valery Gerasimov | aliases: Gerasimov
    R2  Attribution Arg1:T1 Arg2:T3

Notes are ``key: value`` pairs separated by `` | ``; in values, ``\\``, ``|``,
tab and line-breaking characters are written as ``\\uXXXX``; alias lists are
joined by ``; `` (a ``;`` inside an alias is ``\\u003b``). A speaker without a
mention is noted on its quote (``speaker``, ``speaker_kind``,
``speaker_aliases``). When a span's fragments cannot say its exact offsets (it
starts or ends with a line break) its note carries ``span: START END``.

Import reads that layout and plain brat: text-bound types ``Quote`` (or
``Quotation``, ``Content``), ``Cue``, ``Speaker`` (or ``Source``), case
insensitive; a relation of any name between a quote and a speaker (or a cue)
links them, in either direction; an event links its quote and speaker
arguments and its trigger is the cue (or is its cue argument, when both cover the
same text, as in PolNeAR); a speaker linked only to a quote's cue
is that quote's speaker. A discontinuous span is read as the span from its
first to its last fragment. Other annotation types are ignored; a quote linked
to several speakers (or cues) keeps the first, and the import reports it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import regex

from annotator.formats.errors import InputError
from annotator.formats.guards import check_string, decode
from annotator.formats.inputs import Item, SkipReport, excerpt, read_bytes, skip_empty, text_document
from annotator.model import (
    DEFAULT_ROLE_CATEGORIES,
    QUOTE_TYPES,
    SPEAKER_KINDS,
    AnnotatedDocument,
    Quote,
    Span,
    Speaker,
    guess_type,
    quote_order,
)
from annotator.text import OffsetMap, normalise

CONF_SIGNATURE = "# annotation.conf written by annotator export"
# Characters that end a line for some reader (str.splitlines and friends): never inside a T line.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_FRAGMENT_BREAK = regex.compile(f"[{_LINE_BREAKS}]+")
_NOTE_ESCAPE = regex.compile(f"[\\\\|\t{_LINE_BREAKS}\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_NOTE_UNESCAPE = regex.compile(r"\\u([0-9a-fA-F]{4})")
# Keep letters, digits and ._- in file names; everything else is %-encoded (reversibly).
_UNSAFE_NAME = regex.compile(r"[^A-Za-z0-9._-]")
# Names Windows reserves for devices, whatever the case and extension (CON, con.txt, Com1.tar.gz).
_RESERVED_NAME = regex.compile(r"(?i)(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\.|$)")
MAX_NAME_BYTES = 200


# --- names -----------------------------------------------------------------


class FileNameError(ValueError):
    """A document id that cannot become a brat file name."""


def file_stem(doc_id: str) -> str:
    """A safe, reversible file name stem for a document id (``id_from_stem`` undoes it)."""
    stem = _UNSAFE_NAME.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), doc_id)
    if stem.startswith("."):  # no hidden files
        stem = "%2E" + stem[1:]
    elif _RESERVED_NAME.match(stem):  # CON.txt is a device on Windows: escape its first letter
        stem = f"%{ord(stem[0]):02X}" + stem[1:]
    if len(stem.encode()) > MAX_NAME_BYTES:
        raise FileNameError(
            f"document id {doc_id[:40]!r}… is too long for a brat file name "
            f"({len(stem.encode())} bytes encoded, at most {MAX_NAME_BYTES})"
        )
    return stem


def id_from_stem(stem: str) -> str:
    return unquote(stem)


# --- notes -----------------------------------------------------------------


def _escape(value: str, list_item: bool = False) -> str:
    value = _NOTE_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
    return value.replace(";", "\\u003b") if list_item else value


def _unescape(value: str) -> str:
    return _NOTE_UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


NOTE_KEYS = frozenset(
    {"role", "role_category", "via", "name", "aliases", "speaker", "speaker_kind", "speaker_aliases", "span"}
)


def format_note(fields: dict[str, str | list[str]]) -> str:
    """Our ``key: value | …`` note; a list value joined by ``; ``."""
    parts = []
    for key, value in fields.items():
        written = "; ".join(_escape(v, list_item=True) for v in value) if isinstance(value, list) else _escape(value)
        parts.append(f"{key}: {written}")
    return " | ".join(parts)


def parse_note(note: str) -> dict[str, str] | None:
    """Our ``key: value | …`` note as a dict (values still list-joined), or None for a free comment."""
    fields: dict[str, str] = {}
    for piece in note.split(" | "):
        key, sep, value = piece.partition(": ")
        if not sep and piece.endswith(":"):
            key, value = piece[:-1], ""
        elif not sep:
            return None
        if key not in NOTE_KEYS:
            return None
        fields[key] = value
    return fields or None


def _note_value(fields: dict[str, str], key: str) -> str | None:
    return _unescape(fields[key]) if key in fields else None


def _note_list(fields: dict[str, str], key: str) -> tuple[str, ...]:
    raw = fields.get(key)
    if not raw:
        return ()
    return tuple(_unescape(v) for v in raw.split("; "))


# --- export ----------------------------------------------------------------


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at line breaks, which brat spans cannot hold."""
    pieces = []
    pos = start
    for m in _FRAGMENT_BREAK.finditer(text, start, end):
        if m.start() > pos:
            pieces.append((pos, m.start()))
        pos = m.end()
    if end > pos:
        pieces.append((pos, end))
    return pieces or [(start, start)]


def category_attribute(category: str) -> str | None:
    """The brat attribute value for a role category (spaces as ``_``), when it maps back exactly."""
    if not category or category != " ".join(category.split()) or regex.search(r"[_|,:]", category):
        return None
    return category.replace(" ", "_")


@dataclass
class _Ann:
    text: str
    textbounds: list[str] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def textbound(self, kind: str, start: int, end: int, note: dict) -> str:
        tid = f"T{len(self.textbounds) + 1}"
        frags = fragments(self.text, start, end)
        if frags[0][0] != start or frags[-1][1] != end:
            note["span"] = f"{start} {end}"
        offsets = ";".join(f"{s} {e}" for s, e in frags)
        covered = " ".join(self.text[s:e] for s, e in frags)
        self.textbounds.append(f"{tid}\t{kind} {offsets}\t{covered}")
        return tid

    def attribute(self, name: str, target: str, value: str) -> None:
        self.attributes.append(f"A{len(self.attributes) + 1}\t{name} {target} {value}")

    def relation(self, kind: str, arg1: str, arg2: str) -> None:
        self.relations.append(f"R{len(self.relations) + 1}\t{kind} Arg1:{arg1} Arg2:{arg2}")

    def note(self, target: str, fields: dict) -> None:
        if fields:
            self.notes.append(f"#{len(self.notes) + 1}\tAnnotatorNotes {target}\t{format_note(fields)}")

    def lines(self) -> list[str]:
        return self.textbounds + self.attributes + self.relations + self.notes


def ann_text(ad: AnnotatedDocument, categories: set[str] | None = None) -> str:
    """The ``.ann`` content for one document; role categories written as attributes are added to ``categories``.

    A cue or speaker mention shared by several quotes is written once and linked to each,
    so brat draws one box with an arrow to each quote. Notes are gathered and written after
    every text-bound, in id order: a note is complete only once its text-bound has been cut
    into fragments (which may add ``span``) and the quote's other fields have been read.
    """
    ann = _Ann(ad.document.text)
    cues: dict[tuple[int, int], str] = {}
    speakers: dict[tuple, str] = {}
    pending_notes: list[tuple[str, dict]] = []
    for q in sorted(ad.quotes, key=quote_order):
        qnote: dict[str, str | list[str]] = {}
        qid = ann.textbound("Quote", q.start, q.end, qnote)
        ann.attribute("QuoteType", qid, q.type)
        if q.role_category is not None:
            value = category_attribute(q.role_category)
            if value is None:
                qnote["role_category"] = q.role_category
            else:
                ann.attribute("RoleCategory", qid, value)
                if categories is not None:
                    categories.add(value)
        if q.role is not None:
            qnote["role"] = q.role
        if q.via is not None:
            qnote["via"] = q.via
        if q.cue is not None:
            key = (q.cue.start, q.cue.end)
            if key not in cues:
                cnote: dict = {}
                cues[key] = ann.textbound("Cue", q.cue.start, q.cue.end, cnote)
                pending_notes.append((cues[key], cnote))
            ann.relation("Cue-of", cues[key], qid)
        sp = q.speaker
        if sp is not None and sp.mention is not None:
            m = sp.mention
            key = (m.start, m.end, sp.name, sp.kind, sp.aliases)
            if key not in speakers:
                snote: dict = {}
                speakers[key] = sid = ann.textbound("Speaker", m.start, m.end, snote)
                ann.attribute("SpeakerKind", sid, sp.kind)
                if sp.name != m.text:
                    snote["name"] = sp.name
                if sp.aliases:
                    snote["aliases"] = list(sp.aliases)
                pending_notes.append((sid, snote))
            ann.relation("Attribution", qid, speakers[key])
        elif sp is not None:
            qnote["speaker"] = sp.name
            qnote["speaker_kind"] = sp.kind
            if sp.aliases:
                qnote["speaker_aliases"] = list(sp.aliases)
        pending_notes.append((qid, qnote))
    for target, fields in sorted(pending_notes, key=lambda item: int(item[0][1:])):
        ann.note(target, fields)
    lines = ann.lines()
    return "\n".join(lines) + "\n" if lines else ""


def annotation_conf(categories: set[str]) -> str:
    values = list(dict.fromkeys([c.replace(" ", "_") for c in DEFAULT_ROLE_CATEGORIES] + sorted(categories)))
    return f"""{CONF_SIGNATURE} (quote attribution labels).

[entities]
Quote
Cue
Speaker

[relations]
Attribution\tArg1:Quote, Arg2:Speaker
Cue-of\tArg1:Cue, Arg2:Quote
# Quotes nest and overlap (a quote inside a quote; a speaker mention inside a quote).
<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

[events]

[attributes]
QuoteType\tArg:Quote, Value:{'|'.join(QUOTE_TYPES)}
RoleCategory\tArg:Quote, Value:{'|'.join(values)}
SpeakerKind\tArg:Speaker, Value:{'|'.join(SPEAKER_KINDS)}
"""


VISUAL_CONF = """[labels]
Quote | Quote | Q
Cue | Cue | C
Speaker | Speaker | Spk
Attribution | Attribution | said by
Cue-of | Cue of | cue
QuoteType | Quote type
SpeakerKind | Speaker kind
RoleCategory | Role category

[drawing]
Quote\tbgColor:#ffe38a
Cue\tbgColor:#9fd3ff
Speaker\tbgColor:#b4ecaa
Attribution\tcolor:#2a6f2a, dashArray:-
Cue-of\tcolor:#2a5d8f, dashArray:3-3
"""


class BratWriter:
    """Writes a brat folder document by document; ``close`` adds the configuration files."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.categories: set[str] = set()
        self.quotes = 0
        self._stems: dict[str, str] = {}

    def write(self, ad: AnnotatedDocument) -> None:
        stem = file_stem(ad.document.id)
        folded = stem.casefold()  # two ids differing only in case collide on macOS and Windows
        if folded in self._stems:
            raise FileNameError(
                f"documents {self._stems[folded]!r} and {ad.document.id!r} would share the brat file "
                f"name {stem}.txt on a case-insensitive file system"
            )
        self._stems[folded] = ad.document.id
        (self.folder / f"{stem}.txt").write_text(ad.document.text, encoding="utf-8", newline="")
        (self.folder / f"{stem}.ann").write_text(
            ann_text(ad, self.categories), encoding="utf-8", newline=""
        )
        self.quotes += len(ad.quotes)

    def close(self) -> None:
        (self.folder / "annotation.conf").write_text(annotation_conf(self.categories), encoding="utf-8")
        (self.folder / "visual.conf").write_text(VISUAL_CONF, encoding="utf-8")


# --- import ----------------------------------------------------------------

# The part of a quotation each text-bound type marks (type names compared case-insensitively).
_PARTS = {
    "quote": "quote", "quotation": "quote", "content": "quote",
    "cue": "cue",
    "speaker": "speaker", "source": "speaker",
}
_ID = regex.compile(r"[TRAMNE#*]")
# Offsets are ASCII digits: int() would also read "٣" (Arabic-Indic three) and str.isdigit accepts "²".
_OFFSET = regex.compile(r"[0-9]+")
MAX_OFFSET_DIGITS = 19


def _offset_pair(piece: str) -> tuple[int, int] | None:
    """``"start end"`` as two integers, None unless both are ASCII digits (of at most 19)."""
    numbers = piece.split()
    if len(numbers) != 2 or not all(_OFFSET.fullmatch(n) and len(n) <= MAX_OFFSET_DIGITS for n in numbers):
        return None
    return int(numbers[0]), int(numbers[1])


@dataclass
class _TB:
    id: str
    type: str
    part: str | None  # quote, cue or speaker (see _PARTS); None for other types
    frags: list[tuple[int, int]]
    line: int
    attrs: dict[str, str] = field(default_factory=dict)
    note: dict[str, str] | None = None


class _AnnReader:
    def __init__(self, path: Path, raw: str):
        self.path = path
        self.raw = raw
        self.tbs: dict[str, _TB] = {}
        self.links: list[tuple[str, str, int]] = []  # (id, id, line) pairs from relations and events
        self.event_cues: list[tuple[str, list[str], int]] = []
        self.warnings: list[str] = []
        self.ids: dict[str, int] = {}

    def error(self, line: int, message: str) -> InputError:
        return InputError(self.path, message, line)

    def read(self, content: str) -> None:
        pending: list[tuple[int, str, str]] = []
        for lineno, line in enumerate(content.split("\n"), 1):
            line = line.rstrip("\r")
            if not line.strip():
                continue
            ann_id, sep, rest = line.partition("\t")
            if not sep or not _ID.match(ann_id):
                raise self.error(
                    lineno,
                    "is not a brat annotation line (expected an id such as T1, R1, E1, A1 or #1, then a tab)",
                )
            if ann_id != "*" and ann_id in self.ids:
                raise self.error(lineno, f"repeats the id {ann_id} (first on line {self.ids[ann_id]})")
            self.ids[ann_id] = lineno
            if ann_id[0] == "T":
                self._textbound(lineno, ann_id, rest)
            else:
                pending.append((lineno, ann_id, rest))
        for lineno, ann_id, rest in pending:  # after every T: lines may refer forward
            kind = ann_id[0]
            if kind in "AM":
                self._attribute(lineno, rest)
            elif kind == "R":
                self._relation(lineno, rest)
            elif kind == "E":
                self._event(lineno, ann_id, rest)
            elif kind == "#":
                self._note(lineno, rest)
            # N (normalisation) and * (equivalence) lines carry nothing of ours

    def _textbound(self, lineno: int, tid: str, rest: str) -> None:
        head, sep, given = rest.partition("\t")
        if not sep:
            raise self.error(lineno, f"{tid} has no text after its offsets (type, offsets, tab, text)")
        ttype, _, offsets = head.partition(" ")
        frags = []
        for piece in offsets.split(";"):
            pair = _offset_pair(piece)
            if pair is None:
                raise self.error(
                    lineno,
                    f"{tid} has offsets {excerpt(offsets)}; "
                    "expected 'start end' pairs of ASCII digits separated by ';'",
                )
            start, end = pair
            if start > end:
                raise self.error(lineno, f"{tid} has offsets {start} {end}: the end comes before the start")
            if end > len(self.raw):
                raise self.error(
                    lineno,
                    f"{tid} has offsets {start} {end} outside the text of {self.path.with_suffix('.txt').name} "
                    f"({len(self.raw)} characters)",
                )
            frags.append((start, end))
        actual = " ".join(self.raw[s:e] for s, e in frags)
        if given != actual:
            raise self.error(
                lineno,
                f"{tid} gives the text {excerpt(given)} but {self.path.with_suffix('.txt').name} has "
                f"{excerpt(actual)} at {offsets}",
            )
        self.tbs[tid] = _TB(tid, ttype, _PARTS.get(ttype.casefold()), sorted(frags), lineno)

    def _target(self, lineno: int, ref: str) -> _TB | None:
        if ref in self.tbs:
            return self.tbs[ref]
        if ref not in self.ids:
            raise self.error(lineno, f"refers to {ref}, which is not in the file")
        return None  # an event or relation: not a span

    def _attribute(self, lineno: int, rest: str) -> None:
        parts = rest.split(" ")
        if len(parts) < 2:
            raise self.error(lineno, "is an attribute without a target (expected 'Name T1 [value]')")
        tb = self._target(lineno, parts[1])
        if tb is not None:
            tb.attrs[parts[0].casefold()] = parts[2] if len(parts) > 2 else "true"

    def _relation(self, lineno: int, rest: str) -> None:
        parts = rest.split(" ")
        args = [p.partition(":")[2] for p in parts[1:] if ":" in p]
        if len(args) != 2:
            raise self.error(lineno, "is a relation without two arguments (expected 'Type Arg1:T1 Arg2:T2')")
        self.links.append((args[0], args[1], lineno))
        for ref in args:
            self._target(lineno, ref)

    def _event(self, lineno: int, eid: str, rest: str) -> None:
        parts = rest.split(" ")
        if not parts or ":" not in parts[0]:
            raise self.error(lineno, f"{eid} has no trigger (expected 'Type:T1 Role:T2 …')")
        trigger = parts[0].partition(":")[2]
        args = [p.partition(":")[2] for p in parts[1:] if ":" in p]
        for ref in [trigger, *args]:
            self._target(lineno, ref)
        self.event_cues.append((trigger, args, lineno))

    def _note(self, lineno: int, rest: str) -> None:
        head, _, text = rest.partition("\t")
        parts = head.split(" ")
        if len(parts) < 2:
            return  # a free-standing comment
        tb = self._target(lineno, parts[1])
        if tb is not None:
            tb.note = parse_note(text)
            for key, value in (tb.note or {}).items():
                try:  # \uXXXX escapes can spell a NUL or a lone surrogate
                    check_string(_unescape(value), f"the note {key!r} of {parts[1]}")
                except ValueError as exc:
                    raise self.error(lineno, str(exc)) from None

    # -- building quotes --

    def quotes(self, text: str, offsets: OffsetMap | None) -> list[Quote]:
        """Every quote annotation with its cue and speaker, offsets mapped into the normalised ``text``.

        A quote's links may come from relations, from events, or only through its
        cue (a speaker linked to the cue); each is gathered first, then the quote
        keeps its first cue and first speaker and a warning names the others.
        """
        links = self._links()
        result = []
        for tb in self.tbs.values():
            if tb.part != "quote":
                continue
            note = tb.note or {}
            qspan = self._span(tb, text, offsets)
            cues = list(dict.fromkeys(links.cues_of.get(tb.id, [])))
            speakers = list(dict.fromkeys(links.speakers_of.get(tb.id, [])))
            if not speakers:
                for c in cues:
                    speakers.extend(s for s in links.cue_speakers.get(c, []) if s not in speakers)
            if len(cues) > 1:
                self.warnings.append(f"{tb.id} (line {tb.line}) has {len(cues)} cues; kept {cues[0]}")
            if len(speakers) > 1:
                self.warnings.append(f"{tb.id} (line {tb.line}) has {len(speakers)} speakers; kept {speakers[0]}")
            speaker = self._speaker(tb, speakers[0] if speakers else None, text, offsets)
            qtype = _choice(tb.attrs, ("quotetype", "type"), QUOTE_TYPES)
            if qtype is None:
                flags = [t for t in QUOTE_TYPES if tb.attrs.get(t) == "true"]
                qtype = flags[0] if flags else guess_type(qspan.text)
            category = _note_value(note, "role_category")
            if category is None and "rolecategory" in tb.attrs:
                category = tb.attrs["rolecategory"].replace("_", " ")
            result.append(
                Quote(
                    start=qspan.start,
                    end=qspan.end,
                    text=qspan.text,
                    type=qtype,
                    cue=self._span(self.tbs[cues[0]], text, offsets) if cues else None,
                    speaker=speaker,
                    role=_note_value(note, "role"),
                    role_category=category,
                    via=_note_value(note, "via"),
                )
            )
        return result

    def _part(self, ref: str) -> str | None:
        tb = self.tbs.get(ref)
        return tb.part if tb else None

    def _links(self) -> _Links:
        """The links of relations (in either direction) and of events, by the parts they join."""
        links = _Links()
        for a, b, _ in self.links:
            pa, pb = self._part(a), self._part(b)
            if {pa, pb} == {"quote", "speaker"}:
                q, s = (a, b) if pa == "quote" else (b, a)
                links.speakers_of.setdefault(q, []).append(s)
            elif {pa, pb} == {"quote", "cue"}:
                q, c = (a, b) if pa == "quote" else (b, a)
                links.cues_of.setdefault(q, []).append(c)
            elif {pa, pb} == {"cue", "speaker"}:
                c, s = (a, b) if pa == "cue" else (b, a)
                links.cue_speakers.setdefault(c, []).append(s)
        for trigger, args, _ in self.event_cues:
            refs = [r for r in [trigger, *args] if r in self.tbs]
            quotes = [r for r in refs if self._part(r) == "quote"]
            speakers = [r for r in refs if self._part(r) == "speaker"]
            cues = [r for r in refs if self._part(r) == "cue"]
            if trigger in self.tbs and self._part(trigger) is None and not self._same_span(trigger, cues):
                cues.insert(0, trigger)  # a trigger typed by its event (e.g. "Attribution") is the cue
            for q in quotes:
                links.speakers_of.setdefault(q, []).extend(speakers)
                links.cues_of.setdefault(q, []).extend(cues)
            for c in cues:
                links.cue_speakers.setdefault(c, []).extend(speakers)
        return links

    def _same_span(self, ref: str, others: list[str]) -> bool:
        """Whether one of ``others`` covers exactly the text of ``ref``: PolNeAR copies each event's cue
        into its trigger, one cue that must not count twice."""
        return any(self.tbs[other].frags == self.tbs[ref].frags for other in others)

    def _span(self, tb: _TB, text: str, offsets: OffsetMap | None) -> Span:
        """A text-bound's span (first to last fragment, or the exact span its note gives) in ``text``."""
        start, end = tb.frags[0][0], tb.frags[-1][1]
        if tb.note and "span" in tb.note:
            pair = _offset_pair(tb.note["span"])
            if pair is not None:
                start, end = pair
                if not start <= end <= len(self.raw):
                    raise self.error(tb.line, f"{tb.id} notes a span {start} {end} outside the text")
        if offsets is not None:
            start, end = offsets.start(start), offsets.end(end)
            end = max(start, end)
        return Span(start, end, text[start:end])

    def _speaker(self, quote: _TB, linked: str | None, text: str, offsets: OffsetMap | None) -> Speaker | None:
        """The speaker of a quote: the linked mention, else the one its note names, else None."""
        if linked is not None:
            stb = self.tbs[linked]
            mention = self._span(stb, text, offsets)
            snote = stb.note or {}
            return Speaker(
                name=_note_value(snote, "name") or mention.text,
                kind=_choice(stb.attrs, ("speakerkind", "kind"), SPEAKER_KINDS) or "unknown",
                mention=mention,
                aliases=_note_list(snote, "aliases"),
            )
        note = quote.note or {}
        if "speaker" not in note:
            return None
        kind = _note_value(note, "speaker_kind") or "unknown"
        if kind not in SPEAKER_KINDS:
            raise self.error(
                quote.line, f"{quote.id} notes a speaker kind {kind!r}, not one of {', '.join(SPEAKER_KINDS)}"
            )
        name = _note_value(note, "speaker")
        if not name:
            raise self.error(quote.line, f"{quote.id} notes a speaker without a name")
        return Speaker(name=name, kind=kind, aliases=_note_list(note, "speaker_aliases"))


@dataclass
class _Links:
    """Which annotations are linked, by id, in the order the file gives them."""

    speakers_of: dict[str, list[str]] = field(default_factory=dict)  # quote -> speakers
    cues_of: dict[str, list[str]] = field(default_factory=dict)  # quote -> cues
    cue_speakers: dict[str, list[str]] = field(default_factory=dict)  # cue -> speakers


def _choice(attrs: dict[str, str], names: tuple[str, ...], allowed: tuple[str, ...]) -> str | None:
    for name in names:
        value = attrs.get(name)
        if value is not None and value.casefold() in allowed:
            return value.casefold()
    return None


def is_brat_folder(folder: Path) -> bool:
    return any(p.suffix == ".ann" and p.is_file() for p in folder.iterdir())


def read_brat_folder(
    folder: Path, encoding: str = "utf-8", on_skip: SkipReport | None = None
) -> Iterator[Item]:
    """Every document of a brat folder (``<id>.txt`` with its ``<id>.ann``), in file-name order.

    Text files get the same checks as plain-text import (binary files, wrong
    encodings). A ``.txt`` without ``.ann`` is a document without labels; an
    ``.ann`` without ``.txt`` is an error.
    """
    stems: dict[str, dict[str, Path]] = {}
    for path in folder.iterdir():
        if path.is_file() and not path.name.startswith(".") and path.suffix in (".txt", ".ann"):
            stems.setdefault(path.stem, {})[path.suffix] = path
    for stem in sorted(stems):
        files = stems[stem]
        txt, ann = files.get(".txt"), files.get(".ann")
        if txt is None:
            raise InputError(ann, f"has no text file {stem}.txt next to it")
        raw = decode(txt, read_bytes(txt), encoding)
        text = normalise(raw)
        quotes: list[Quote] = []
        if ann is not None:
            content = decode(ann, read_bytes(ann), "utf-8", hint="brat annotation files are UTF-8")
            reader = _AnnReader(ann, raw)
            reader.read(content)
            quotes = reader.quotes(text, OffsetMap(raw) if text != raw else None)
            if on_skip is not None:
                for warning in reader.warnings:
                    on_skip(str(ann), warning)
        if not text.strip():
            if quotes:
                raise InputError(txt, "is empty but its .ann file has quotes")
            skip_empty(txt, on_skip)
            continue
        yield str(ann or txt), AnnotatedDocument(text_document(id_from_stem(stem), text, txt.name), quotes)
