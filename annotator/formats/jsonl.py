"""The JSONL interchange format (docs/format.md): one document per line, with its quotes.

Reading checks every span against its text and raises InputError naming the
file and line; writing always includes every ``text`` next to offsets, in a
fixed key order, so an export round-trips byte for byte. A system's prediction
file is read more leniently (``SystemOutput``, docs/format.md "Prediction files").
"""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import IO, Any, BinaryIO

import msgspec
import regex
from msgspec import UNSET, UnsetType

from annotator.formats.errors import InputError
from annotator.formats.guards import (
    UNDECIDED,
    JSONSyntaxError,
    bom_encoding,
    decode,
    fast_json_line,
    id_text,
    nul_sentence,
    parse_json,
    parse_json_at,
    regular_file,
)
from annotator.formats.inputs import excerpt, read_bytes
from annotator.model import (
    QUOTE_TYPES,
    SPEAKER_KINDS,
    AnnotatedDocument,
    Document,
    Quote,
    Span,
    SpanError,
    Speaker,
    document_json,
    guess_type,
)
from annotator.text import OffsetMap, is_normalised, normalise, sha256


class _Offsets:
    """Checks raw spans against the text as given and maps them to the normalised text."""

    def __init__(self, raw: str):
        self.raw = raw
        self.text = normalise(raw)
        self.map = None if self.text == raw else OffsetMap(raw)

    def span(self, obj: Any, what: str) -> Span:
        """The span ``obj`` names, checked against the text as given; SpanError says what is wrong."""
        if not isinstance(obj, dict):
            raise SpanError(f"{what} must be an object with start and end")
        start, end = obj.get("start"), obj.get("end")
        raw = self.raw
        if type(start) is not int or type(end) is not int:
            raise SpanError(f"{what} needs integer start and end, got {start!r} and {end!r}")
        if not 0 <= start <= end <= len(raw):
            raise SpanError(
                f"{what} [{start}, {end}) lies outside the text (length {len(raw)})"
            )
        given = obj.get("text")
        if given is not None and not isinstance(given, str):
            raise SpanError(f"{what} 'text' must be a string, got {type(given).__name__}")
        actual = raw[start:end]
        if given is not None and given != actual:
            raise SpanError(
                f"{what} [{start}, {end}) has text {excerpt(given)} "
                f"but the text there is {excerpt(actual)}"
            )
        if self.map is None:
            return Span(start, end, actual)
        start, end = self.map.start(start), self.map.end(end)
        end = max(start, end)
        return Span(start, end, self.text[start:end])


def _opt_str(obj: dict, key: str, what: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{what} {key!r} must be a string, got {type(value).__name__}")
    return value


@dataclass(frozen=True)
class SystemOutput:
    """How a system's predictions are read (docs/format.md "Prediction files"): a line may leave out
    the document ``text``, which is then the known document's (the gold's, the database's), and every
    span is checked against that; ``type`` and speaker ``kind`` may come in any case; an empty speaker
    (``{}``, a null or empty name without a mention) is no speaker. Gold labels get none of this."""

    document_of: Callable[[str], Document | None]  # a known document by id, None when unknown
    holder: str  # where the known documents are, for messages: "the gold", "the database"
    # Whether a line that gives the known document's text takes the known string and digest rather than its
    # own: worth a lookup per line when the known documents are in memory (the gold of an evaluation, whose
    # predictions bring the same texts again), not when each lookup is a database query.
    shares_texts: bool = False


def document_id(obj: Any) -> str:
    """The id of a decoded JSONL line (an integer is read as its decimal string); ValueError when it has none."""
    if type(obj) is _DocumentLine:
        if obj.id.strip():
            return obj.id
        obj = msgspec.to_builtins(obj)
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    doc_id = id_text(obj.get("id"))
    if doc_id is None:
        raise ValueError("the document has no \"id\" (a non-empty string)")
    return doc_id


def parse_document(obj: Any, system: SystemOutput | None = None) -> AnnotatedDocument:
    """One decoded JSONL line as a document and its quotes; ValueError says what is wrong.

    With ``system``, the line is a system's predictions, read as ``SystemOutput`` says. A line read
    into the common shape (``_DocumentLine``) is built by ``_common_document`` when it can be.
    """
    if type(obj) is _DocumentLine:
        common = _common_document(obj, system)
        if common is not None:
            return common
        obj = msgspec.to_builtins(obj)  # the value the plain reading gives: every key was read (fast_json_line)
    doc_id = document_id(obj)
    raw = obj.get("text")
    if raw is None and system is not None:
        known = system.document_of(doc_id)
        raw = None if known is None else known.text
        if raw is None:
            raise ValueError(f"document {doc_id!r} has no \"text\" and is not in {system.holder}")
    if not isinstance(raw, str):
        raise ValueError(f"document {doc_id!r} has no \"text\" string")
    if not raw.strip():
        raise ValueError(f"document {doc_id!r} has an empty text")
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise ValueError(f"document {doc_id!r}: \"meta\" must be an object")
    lang = _opt_str(obj, "lang", f"document {doc_id!r}:")
    offsets = _Offsets(raw)
    quotes_in = obj.get("quotes") or []
    if not isinstance(quotes_in, list):
        raise ValueError(f"document {doc_id!r}: \"quotes\" must be a list")
    quotes = []
    for n, q in enumerate(quotes_in, 1):
        try:
            quotes.append(_parse_quote(q, offsets, lenient=system is not None))
        except (SpanError, ValueError) as exc:
            raise ValueError(f"document {doc_id!r}, quote {n}: {exc}") from None
    document = Document(
        id=doc_id, text=offsets.text, lang=lang, meta=meta, sha256=sha256(offsets.text)
    )
    return AnnotatedDocument(document, quotes, _opt_str(obj, "status", "document"))


# The quote keys of docs/format.md; any other key a file gives a quote (such as ``speaker_resolved``) is kept in
# ``Quote.extra`` for ``annotator evaluate --by`` (docs/metrics.md §6).
QUOTE_KEYS = frozenset(
    ("start", "end", "text", "type", "cue", "speaker", "role", "role_category", "via", "status", "adjudication", "id")
)


def _word(value: Any, lenient: bool) -> Any:
    """A vocabulary word (a type, a kind) as given, or case-folded for a system's output."""
    return value.lower() if lenient and isinstance(value, str) else value


def _no_speaker(sp: Any) -> bool:
    """Whether a system's speaker says "nobody": ``{}``, ``""``, or a null or empty name without a mention."""
    if isinstance(sp, str):
        return not sp.strip()
    if not isinstance(sp, dict) or sp.get("mention") is not None:
        return False
    name = sp.get("name")
    return name is None or (isinstance(name, str) and not name.strip())


def _parse_quote(q: Any, offsets: _Offsets, lenient: bool = False) -> Quote:
    """One quote object of a line; ValueError says what is wrong.

    Hand-written files stay short: a missing type is guessed from the quotation marks,
    a speaker may be a bare name, and its kind defaults to ``unknown``; everything
    given is checked against the vocabularies of the model. ``lenient``: a system's
    output, read as ``SystemOutput`` says.
    """
    if not isinstance(q, dict):
        raise ValueError("a quote must be an object")
    content = offsets.span(q, "the quote")
    qtype = _word(q.get("type"), lenient) or guess_type(content.text)
    if qtype not in QUOTE_TYPES:
        raise ValueError(f"type {qtype!r} is not one of {', '.join(QUOTE_TYPES)}")
    cue = q.get("cue")
    if cue is not None:
        cue = offsets.span(cue, "the cue")
    sp = q.get("speaker")
    if lenient and _no_speaker(sp):
        sp = None
    return Quote(
        start=content.start,
        end=content.end,
        text=content.text,
        type=qtype,
        cue=cue,
        speaker=None if sp is None else _parse_speaker(sp, offsets, lenient),
        role=_opt_str(q, "role", "the"),
        role_category=_opt_str(q, "role_category", "the"),
        via=_opt_str(q, "via", "the"),
        adjudication=_adjudication(q.get("adjudication")),
        extra={} if q.keys() <= QUOTE_KEYS else {k: v for k, v in q.items() if k not in QUOTE_KEYS},
    )


def _parse_speaker(sp: Any, offsets: _Offsets, lenient: bool) -> Speaker:
    """A quote's speaker: an object, or a bare name; ValueError says what is wrong."""
    if isinstance(sp, str):
        sp = {"name": sp}
    if not isinstance(sp, dict):
        raise ValueError("the speaker must be an object or a name")
    mention = sp.get("mention")
    if mention is not None:
        mention = offsets.span(mention, "the speaker mention")
    name = _opt_str(sp, "name", "the speaker") or (mention.text if mention else None)
    if not name:
        raise ValueError("the speaker has neither a name nor a mention")
    kind = _word(sp.get("kind"), lenient) or "unknown"
    if kind not in SPEAKER_KINDS:
        raise ValueError(f"speaker kind {kind!r} is not one of {', '.join(SPEAKER_KINDS)}")
    aliases = sp.get("aliases") or []
    if not isinstance(aliases, list) or not all(map(isinstance, aliases, repeat(str))):
        raise ValueError("speaker aliases must be a list of strings")
    return Speaker(name=name, kind=kind, mention=mention, aliases=tuple(aliases))


def _adjudication(obj: Any) -> dict[str, Any] | None:
    """An adjudicated label's provenance, kept as exported (docs/format.md); ValueError when malformed."""
    if obj is None:
        return None
    agreed = obj.get("agreed") if isinstance(obj, dict) else None
    taken = obj.get("taken_from") if isinstance(obj, dict) else None
    if (not isinstance(agreed, list) or not all(isinstance(a, str) for a in agreed)
            or not (taken is None or isinstance(taken, str))):
        raise ValueError('"adjudication" must be {"agreed": [names], "taken_from": a name or null}')
    return {"agreed": agreed, "taken_from": taken}


# --- the common shape, read in C ----------------------------------------------
#
# Most lines are in the shape ``export`` writes or a system's output: these keys, of these types. msgspec reads
# such a line straight from its bytes into these structs, checking every type; ``_common_document`` then checks
# what msgspec cannot (spans against the text, the vocabularies) and builds the model. Any other line, and any
# line with something to word a message about, is read the plain way (``parse_document``), so every message
# stays the same. A key the shape does not name (``speaker_resolved``…) stops msgspec at once (a line with one
# is read the plain way, which keeps it in ``Quote.extra``); a key the line does not give stays UNSET, so a
# struct re-encodes to exactly the keys of its line: ``fast_json_line``'s check for a repeated key holds too.


class _SpanLine(msgspec.Struct, gc=False, forbid_unknown_fields=True):
    start: int
    end: int
    text: str | UnsetType | None = UNSET


class _SpeakerLine(msgspec.Struct, gc=False, forbid_unknown_fields=True):
    name: str | UnsetType | None = UNSET
    kind: str | UnsetType | None = UNSET
    mention: _SpanLine | UnsetType | None = UNSET
    aliases: list[str] | UnsetType | None = UNSET


class _QuoteLine(msgspec.Struct, gc=False, forbid_unknown_fields=True):
    start: int
    end: int
    text: str | UnsetType | None = UNSET
    type: str | UnsetType | None = UNSET
    cue: _SpanLine | UnsetType | None = UNSET
    speaker: _SpeakerLine | str | UnsetType | None = UNSET
    role: str | UnsetType | None = UNSET
    role_category: str | UnsetType | None = UNSET
    via: str | UnsetType | None = UNSET


class _DocumentLine(msgspec.Struct, gc=False, forbid_unknown_fields=True):
    id: str
    text: str | UnsetType | None = UNSET
    lang: str | UnsetType | None = UNSET
    meta: dict[str, Any] | UnsetType | None = UNSET
    quotes: list[_QuoteLine] | UnsetType | None = UNSET
    status: str | UnsetType | None = UNSET


_DOCUMENT_LINE = msgspec.json.Decoder(_DocumentLine)


class _NotCommon(Exception):
    """A line ``_common_document`` leaves to ``parse_document``."""


# Each word of the vocabularies to its own string: a quote keeps that one rather than the copy its line decoded.
_QUOTE_TYPE: dict[str, str] = {t: t for t in QUOTE_TYPES}
_SPEAKER_KIND: dict[str, str] = {k: k for k in SPEAKER_KINDS}


def _common_document(line: _DocumentLine, system: SystemOutput | None) -> AnnotatedDocument | None:
    """The document of a line in the common shape, as ``parse_document`` reads it; None when the plain reading
    must read it: a text that normalising would change (its offsets need mapping), a span that does not fit,
    a word outside the vocabularies, anything ``parse_document`` would refuse."""
    doc_id = line.id
    if not doc_id.strip():
        return None
    raw = line.text
    given = raw is not None and raw is not UNSET
    known = system.document_of(doc_id) if system is not None and (not given or system.shares_texts) else None
    if not given:
        if known is None:
            return None
        raw = known.text
    if not raw or raw.isspace() or not is_normalised(raw):
        return None
    if known is not None and raw == known.text:
        # the gold's text: its string and digest serve, and the predictions' copy of it is not kept (100,000
        # quotes bring 60 MB of text twice over)
        raw, digest = known.text, known.sha256 or sha256(known.text)
    else:
        digest = sha256(raw)
    lenient = system is not None
    n = len(raw)
    try:
        quotes = [_common_quote(q, raw, n, lenient) for q in line.quotes or ()]
    except _NotCommon:
        return None
    lang, status = line.lang, line.status
    document = Document(
        id=doc_id, text=raw, lang=None if lang is UNSET else lang, meta=line.meta or {}, sha256=digest
    )
    return AnnotatedDocument(document, quotes, None if status is UNSET else status)


def _common_quote(q: _QuoteLine, raw: str, n: int, lenient: bool) -> Quote:
    """``_parse_quote`` for the common shape, on a text that needs no normalising; _NotCommon otherwise."""
    start, end = q.start, q.end
    text = _checked_text(start, end, q.text, raw, n)
    qtype = q.type
    if qtype and lenient:
        qtype = qtype.lower()
    if not qtype:
        qtype = guess_type(text)
    else:
        qtype = _QUOTE_TYPE.get(qtype)
        if qtype is None:
            raise _NotCommon
    cue, speaker, role, role_category, via = q.cue, q.speaker, q.role, q.role_category, q.via
    return Quote(
        start, end, text, qtype,
        None if cue is None or cue is UNSET else _common_span(cue.start, cue.end, cue.text, raw, n),
        None if speaker is None or speaker is UNSET else _common_speaker(speaker, raw, n, lenient),
        None if role is UNSET else role,
        None if role_category is UNSET else role_category,
        None if via is UNSET else via,
    )  # fmt: skip


def _common_speaker(sp: _SpeakerLine | str, raw: str, n: int, lenient: bool) -> Speaker | None:
    """``_parse_speaker`` (after ``_no_speaker`` for a system) for the common shape; _NotCommon otherwise."""
    if type(sp) is str:
        if lenient and not sp.strip():
            return None
        if not sp:
            raise _NotCommon
        return Speaker(sp)
    mention, name = sp.mention, sp.name
    if mention is None or mention is UNSET:
        if lenient and (not name or not name.strip()):
            return None
        mention = None
    else:
        mention = _common_span(mention.start, mention.end, mention.text, raw, n)
    name = name or (mention.text if mention is not None else None)
    if not name:
        raise _NotCommon
    kind = sp.kind
    if kind and lenient:
        kind = kind.lower()
    if not kind:
        kind = "unknown"
    else:
        kind = _SPEAKER_KIND.get(kind)
        if kind is None:
            raise _NotCommon
    return Speaker(name, kind, mention, tuple(sp.aliases) if sp.aliases else ())


_new = object.__new__
_set_start, _set_end, _set_text = Span.start.__set__, Span.end.__set__, Span.text.__set__  # type: ignore[attr-defined]


def _checked_text(start: int, end: int, text: str | UnsetType | None, raw: str, n: int) -> str:
    """A span's text: the one given when it is what ``raw`` holds there, else the text there when none
    is given; _NotCommon for offsets outside ``raw`` (of length ``n``) or a text that differs."""
    if not 0 <= start <= end <= n:
        raise _NotCommon
    if text is None or text is UNSET:
        return raw[start:end]
    if len(text) != end - start or not raw.startswith(text, start):
        raise _NotCommon
    return text


def _common_span(start: int, end: int, text: str | UnsetType | None, raw: str, n: int) -> Span:
    """``_Offsets.span`` for the common shape, on a text that needs no normalising; _NotCommon otherwise.

    The Span is made without its frozen dataclass's ``__init__``, which sets each field through
    ``object.__setattr__`` (most of the cost of a span): the values are checked already.
    """
    text = _checked_text(start, end, text, raw, n)
    span = _new(Span)
    _set_start(span, start)
    _set_end(span, end)
    _set_text(span, text)
    return span


def read_jsonl(
    path: str | Path, encoding: str = "utf-8", system: SystemOutput | None = None
) -> Iterator[tuple[int, AnnotatedDocument]]:
    """Yield (line number, document) for each non-blank line; InputError on the first bad line
    or when there is none. ``system``: the file holds a system's predictions (``SystemOutput``)."""
    for lineno, obj in json_lines(path, encoding, typed=_DOCUMENT_LINE):
        try:
            yield lineno, parse_document(obj, system)
        except ValueError as exc:
            raise InputError(path, str(exc), lineno) from None


_UTF8_CODECS = frozenset(("utf-8", "utf-8-sig"))


def json_lines(
    path: str | Path, encoding: str = "utf-8", allow_empty: bool = False, typed: msgspec.json.Decoder | None = None
) -> Iterator[tuple[int, Any]]:
    """Yield (line number, decoded JSON value) for each non-blank line; InputError on the first
    line that is not JSON, and on a file without one unless ``allow_empty``. A line that fits
    ``typed``'s shape is read into it (see ``fast_json_line``).

    A byte-order mark decides the encoding (UTF-8, UTF-16, UTF-32), else ``encoding``. The file
    is read line by line rather than whole, so a file of any size is read with flat memory, and
    a bad byte or NUL is reported at its line. A UTF-8 file is read as bytes, which msgspec
    decodes without making the line's text first (``_utf8_json_lines``); another encoding is
    decoded a line at a time (``text_lines``).
    """
    path = Path(path)
    with open_input(path) as raw:
        encoding = input_encoding(raw, path, encoding)
        codec = codecs.lookup(encoding).name
        if codec in _UTF8_CODECS:
            yield from _utf8_json_lines(raw, path, encoding, codec, allow_empty, typed)
            return
        for lineno, line in text_lines(raw, path, encoding, allow_empty):
            try:
                yield lineno, parse_json(line, codec=codec)
            except ValueError as exc:
                raise InputError(path, str(exc), lineno) from None


def _utf8_json_lines(
    raw: BinaryIO, path: Path, encoding: str, codec: str, allow_empty: bool, typed: msgspec.json.Decoder | None
) -> Iterator[tuple[int, Any]]:
    """``json_lines`` of a UTF-8 file: a line is decoded to text only when msgspec leaves it to the
    careful reading, which words what is wrong with it. Lines are numbered as text mode numbers them
    (``_byte_lines``)."""
    lineno = 0
    any_line = False
    for lineno, line in enumerate(_byte_lines(raw, codec == "utf-8-sig"), start=1):
        value = UNDECIDED
        if typed is not None:
            value = fast_json_line(line, typed)
        if value is UNDECIDED:
            value = fast_json_line(line)
        if value is UNDECIDED:
            try:
                text = line.decode("utf-8")  # a BOM past the first line's is text, as in the stream
            except UnicodeDecodeError as exc:
                raise InputError(path, _not_encoded_as(encoding, exc), lineno) from None
            if "\x00" in text:
                raise InputError(path, nul_sentence(text), lineno)
            if text.isspace():
                continue
            try:
                value = parse_json(text, codec=codec)
            except ValueError as exc:
                raise InputError(path, str(exc), lineno) from None
        any_line = True
        yield lineno, value
    if not any_line and not allow_empty:
        raise InputError(path, "is empty")


# A line of a JSONL file of news articles holds several KB: with the default buffer (8 KB), most lines span
# two refills of it and reading a file's lines took three times as long (bench/evaluate.py).
_READ_BUFFER = 1 << 20


def open_input(path: Path) -> BinaryIO:
    """An input file opened for reading bytes; InputError unless it is a regular file that can be read."""
    regular_file(path)
    try:
        return path.open("rb", buffering=_READ_BUFFER)
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None


def input_encoding(raw: BinaryIO, name: str | Path, encoding: str) -> str:
    """The encoding of an open input (a file, standard input): the one its byte-order mark names, else
    ``encoding``; InputError when that is no encoding. Reads nothing that ``text_lines`` will not read."""
    try:
        head = raw.peek(4)[:4] if isinstance(raw, io.BufferedReader) else b""
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror or exc})") from None
    encoding = bom_encoding(head) or encoding
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(name, f"unknown encoding {encoding!r}") from None
    return encoding


def text_lines(raw: BinaryIO, name: str | Path, encoding: str, allow_empty: bool = False) -> Iterator[tuple[int, str]]:
    """(line number, line) for each non-blank line of an open input, read once, front to back, and
    decoded a line at a time: InputError at a byte that is not ``encoding`` or at a NUL, and for an
    input without a line unless ``allow_empty``. ``name`` is what messages call the input."""
    try:
        handle = io.TextIOWrapper(raw, encoding=encoding, newline="")
    except LookupError:  # a codec, but not of text (rot13)
        raise InputError(name, f"unknown encoding {encoding!r}") from None
    lineno = 0
    any_line = False
    try:
        while True:
            lineno += 1
            try:
                line = handle.readline()
            except UnicodeDecodeError as exc:
                raise InputError(name, _not_encoded_as(encoding, exc), lineno) from None
            if not line:
                break
            if lineno == 1 and line.startswith("\ufeff"):
                line = line[1:]
            if "\x00" in line:
                raise InputError(name, nul_sentence(line), lineno)
            if line.isspace():
                continue
            any_line = True
            yield lineno, line
        if not any_line and not allow_empty:
            raise InputError(name, "is empty")
    finally:
        if not raw.closed:  # the stream stays its opener's to close (who may have closed it before this generator)
            handle.detach()


def _not_encoded_as(encoding: str, exc: UnicodeDecodeError) -> str:
    return f"is not valid {encoding} text (byte {exc.object[exc.start]:#04x}); give the right --encoding"


_BOM = codecs.BOM_UTF8
_UNIVERSAL_LINE = regex.compile(rb"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def _byte_lines(handle: IO[bytes], signed: bool) -> Iterator[bytes]:
    """A UTF-8 file's lines as bytes, ending where text mode ends them (``\\n``, ``\\r\\n`` or a lone
    ``\\r``: these bytes are never part of a longer UTF-8 character), without the first line's
    byte-order mark: the codec's when ``signed`` (``utf-8-sig``), then one the text starts with."""
    first = True
    for line in handle:
        if first:
            first = False
            if signed and line.startswith(_BOM):
                line = line[len(_BOM):]
            if line.startswith(_BOM):
                line = line[len(_BOM):]
        cr = line.find(b"\r")
        if cr == -1 or cr == len(line) - 1 or (cr == len(line) - 2 and line.endswith(b"\n")):
            yield line
        else:
            yield from _UNIVERSAL_LINE.findall(line)


@dataclass
class PredictionFile:
    """A system's prediction file read against the gold: the gold documents it predicts on, in file
    order, and the ids of the documents it names that the gold does not hold (not scored)."""

    documents: list[AnnotatedDocument]
    unknown: list[str]
    lines: int  # the lines holding a document: 0 for an empty file, a system that predicted nothing


def read_predictions(path: str | Path, gold: dict[str, Document], encoding: str = "utf-8") -> PredictionFile:
    """A system's predictions (``SystemOutput``) on the ``gold`` documents (by id).

    A document the gold does not hold is counted in ``unknown`` and, when it brings no text, read
    no further; a repeated id, or any bad line, is an InputError naming the file and line.
    """
    system = SystemOutput(gold.get, "the gold", shares_texts=True)
    first_line: dict[str, int] = {}
    documents: list[AnnotatedDocument] = []
    unknown: list[str] = []
    for lineno, obj in json_lines(path, encoding, allow_empty=True, typed=_DOCUMENT_LINE):
        try:
            doc_id = document_id(obj)
            if doc_id in first_line:
                raise ValueError(f"document {doc_id!r} appears again (first on line {first_line[doc_id]})")
            first_line[doc_id] = lineno
            if doc_id in gold:
                documents.append(parse_document(obj, system))
                continue
            unknown.append(doc_id)
            # checked all the same when it brings a text: a bad line is bad wherever its document is
            text = obj.text if type(obj) is _DocumentLine else obj.get("text")
            if text is not None and text is not UNSET:
                parse_document(obj, system)
        except ValueError as exc:
            raise InputError(path, str(exc), lineno) from None
    return PredictionFile(documents, unknown, len(first_line))


def read_json(
    path: Path, encoding: str = "utf-8", system: SystemOutput | None = None, text: str | None = None
) -> Iterator[tuple[int, AnnotatedDocument]]:
    """A ``.json`` file holding one document object, or an array of them, each in the
    interchange format of a JSONL line; yields (line where the document starts, document).
    ``system``: the file holds a system's predictions (``SystemOutput``). ``text``: the file's text,
    when the caller has read it already."""
    if text is None:
        regular_file(path)
        text = decode(path, read_bytes(path), encoding)
    lines = _Lines(text)
    pos = _skip_space(text, 0)
    single = text.startswith("{", pos)
    if not single and not text.startswith("[", pos):
        raise InputError(path, "holds neither a JSON array of documents nor one document object", lines.at(pos))
    if not single:
        pos = _skip_space(text, pos + 1)
    count = 0
    while single or not text.startswith("]", pos):
        if count and not text.startswith(",", pos):
            raise InputError(path, "is not valid JSON (expected ',' or ']' after a document)", lines.at(pos))
        if count:
            pos = _skip_space(text, pos + 1)
        count += 1
        line = lines.at(pos)
        try:
            value, pos = parse_json_at(text, pos, "the document")
            ad = parse_document(value, system)
        except JSONSyntaxError as exc:
            raise InputError(path, str(exc), lines.at(exc.pos)) from None
        except ValueError as exc:
            raise InputError(path, str(exc), line) from None
        yield line, ad
        pos = _skip_space(text, pos)
        if single:
            break
        if pos == len(text):
            raise InputError(path, "is not valid JSON (the array of documents is never closed)", line)
    if not single:
        pos = _skip_space(text, pos + 1)
    if pos != len(text):
        raise InputError(path, "has more after its JSON value", lines.at(pos))
    if not count:
        raise InputError(path, "holds an empty array")


_JSON_SPACE = regex.compile(r"[ \t\n\r]*")


def _skip_space(text: str, pos: int) -> int:
    return _JSON_SPACE.match(text, pos).end()


class _Lines:
    """Line numbers of increasing offsets, counted once over the text."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.line = 1

    def at(self, pos: int) -> int:
        if pos < self.pos:
            return self.text.count("\n", 0, pos) + 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def dumps(ad: AnnotatedDocument) -> str:
    """One document as a JSONL line, without its line break."""
    return json.dumps(document_json(ad), ensure_ascii=False)


class JsonlWriter:
    """Streams documents to an open text handle, one line each."""

    def __init__(self, handle: IO[str]):
        self.handle = handle
        self.quotes = 0

    def write(self, ad: AnnotatedDocument) -> None:
        self.handle.write(dumps(ad))
        self.handle.write("\n")
        self.quotes += len(ad.quotes)

    def close(self) -> None:
        pass
