"""The JSONL interchange format (docs/format.md): one document per line, with its quotes.

Reading checks every span against its text and raises InputError naming the
file and line; writing always includes every ``text`` next to offsets, in a
fixed key order, so an export round-trips byte for byte.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import regex

from annotator.formats.errors import InputError
from annotator.formats.guards import (
    JSONSyntaxError,
    bom_encoding,
    decode,
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
from annotator.text import OffsetMap, normalise, sha256


class _Offsets:
    """Checks raw spans against the text as given and maps them to the normalised text."""

    def __init__(self, raw: str):
        self.raw = raw
        self.text = normalise(raw)
        self.map = None if self.text == raw else OffsetMap(raw)

    def span(self, obj: Any, what: str) -> Span:
        if not isinstance(obj, dict):
            raise SpanError(f"{what} must be an object with start and end")
        start, end = obj.get("start"), obj.get("end")
        if type(start) is not int or type(end) is not int:
            raise SpanError(f"{what} needs integer start and end, got {start!r} and {end!r}")
        if not 0 <= start <= end <= len(self.raw):
            raise SpanError(
                f"{what} [{start}, {end}) lies outside the text (length {len(self.raw)})"
            )
        given = obj.get("text")
        actual = self.raw[start:end]
        if given is not None and given != actual:
            raise SpanError(
                f"{what} [{start}, {end}) has text {excerpt(given)} "
                f"but the text there is {excerpt(actual)}"
            )
        if self.map is not None:
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


def parse_document(obj: Any) -> AnnotatedDocument:
    """One decoded JSONL line as a document and its quotes; ValueError says what is wrong."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    doc_id = obj.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise ValueError("the document has no \"id\" (a non-empty string)")
    raw = obj.get("text")
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
            quotes.append(_parse_quote(q, offsets))
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


def _parse_quote(q: Any, offsets: _Offsets) -> Quote:
    """One quote object of a line; ValueError says what is wrong.

    Hand-written files stay short: a missing type is guessed from the quotation marks,
    a speaker may be a bare name, and its kind defaults to ``unknown``; everything
    given is checked against the vocabularies of the model.
    """
    if not isinstance(q, dict):
        raise ValueError("a quote must be an object")
    content = offsets.span(q, "the quote")
    qtype = q.get("type") or guess_type(content.text)
    if qtype not in QUOTE_TYPES:
        raise ValueError(f"type {qtype!r} is not one of {', '.join(QUOTE_TYPES)}")
    cue = offsets.span(q["cue"], "the cue") if q.get("cue") is not None else None
    speaker = None
    sp = q.get("speaker")
    if sp is not None:
        if isinstance(sp, str):
            sp = {"name": sp}
        if not isinstance(sp, dict):
            raise ValueError("the speaker must be an object or a name")
        mention = (
            offsets.span(sp["mention"], "the speaker mention")
            if sp.get("mention") is not None
            else None
        )
        name = _opt_str(sp, "name", "the speaker") or (mention.text if mention else None)
        if not name:
            raise ValueError("the speaker has neither a name nor a mention")
        kind = sp.get("kind") or "unknown"
        if kind not in SPEAKER_KINDS:
            raise ValueError(f"speaker kind {kind!r} is not one of {', '.join(SPEAKER_KINDS)}")
        aliases = sp.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ValueError("speaker aliases must be a list of strings")
        speaker = Speaker(name=name, kind=kind, mention=mention, aliases=tuple(aliases))
    return Quote(
        start=content.start,
        end=content.end,
        text=content.text,
        type=qtype,
        cue=cue,
        speaker=speaker,
        role=_opt_str(q, "role", "the"),
        role_category=_opt_str(q, "role_category", "the"),
        via=_opt_str(q, "via", "the"),
        adjudication=_adjudication(q.get("adjudication")),
        extra={k: v for k, v in q.items() if k not in QUOTE_KEYS},
    )


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


def read_jsonl(
    path: str | Path, encoding: str = "utf-8"
) -> Iterator[tuple[int, AnnotatedDocument]]:
    """Yield (line number, document) for each non-blank line; InputError on the first bad line.

    A byte-order mark decides the encoding (UTF-8, UTF-16, UTF-32), else ``encoding``.
    The file is decoded line by line rather than read whole, so a file of any size is
    imported with flat memory, and a bad byte or NUL is reported at its line.
    """
    path = Path(path)
    regular_file(path)
    try:
        with path.open("rb") as raw:
            encoding = bom_encoding(raw.read(4)) or encoding
        handle = path.open("r", encoding=encoding, newline="")
        codec = codecs.lookup(encoding).name
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    except LookupError:
        raise InputError(path, f"unknown encoding {encoding!r}") from None
    with handle:
        lineno = 0
        any_line = False
        while True:
            lineno += 1
            try:
                line = handle.readline()
            except UnicodeDecodeError as exc:
                raise InputError(
                    path,
                    f"is not valid {encoding} text (byte {exc.object[exc.start]:#04x}); "
                    "give the right --encoding",
                    lineno,
                ) from None
            if not line:
                break
            if lineno == 1 and line.startswith("\ufeff"):
                line = line[1:]
            if "\x00" in line:
                raise InputError(path, nul_sentence(line), lineno)
            if not line.strip():
                continue
            any_line = True
            try:
                yield lineno, parse_document(parse_json(line, codec=codec))
            except ValueError as exc:
                raise InputError(path, str(exc), lineno) from None
        if not any_line:
            raise InputError(path, "is empty")


def read_json(path: Path, encoding: str = "utf-8") -> Iterator[tuple[int, AnnotatedDocument]]:
    """A ``.json`` file holding one document object, or an array of them, each in the
    interchange format of a JSONL line; yields (line where the document starts, document)."""
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
            ad = parse_document(value)
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
