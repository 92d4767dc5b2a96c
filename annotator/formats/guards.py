"""The checks every reader applies to untrusted input before anything reaches the store.

One place for each class of bad input, so no reader can forget one:

- ``regular_file``: only regular files are opened. A folder, named pipe or device
  (``/dev/zero``) is refused before it is opened, so nothing blocks or reads forever.
- ``decode``: bytes to text: a byte-order mark decides the encoding (UTF-8, UTF-16,
  UTF-32), else ``--encoding``; the decoded text must hold no NUL or lone surrogate.
- ``parse_json``: ``json.loads`` within limits (nesting too deep to read, integers of
  more than 4,300 digits, NaN and Infinity, repeated keys refused), every string in the
  value free of NUL and lone surrogates. A JSONL line is decoded by msgspec first, about
  2.5 times faster; whatever msgspec refuses, or may have read differently (a repeated key,
  which it keeps the last of), goes to ``json`` to be read, or refused in its words.
  ``fast_json_line`` reads a UTF-8 line from its bytes, before it is decoded, when msgspec's
  reading is surely that one (into a typed shape too), and leaves every other line to it.
- ``check_document``: every string of a document read by any reader (id, text,
  language, names, roles, metadata keys and values…) is text SQLite and UTF-8 can hold;
  metadata is nested at most MAX_DEPTH deep and holds only finite numbers.

Each raises InputError (or ValueError, for the caller to place at a line) with
one sentence; nothing here writes.
"""

from __future__ import annotations

import json
import math
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import regex

from annotator.formats.errors import InputError
from annotator.model import AnnotatedDocument

MAX_DEPTH = 64  # metadata nested deeper than this is refused (json.dumps recurses)
_BAD_CHAR = regex.compile("[\x00\ud800-\udfff]")
_BOMS = (  # longest first: a UTF-32-LE mark begins like a UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


# --- files -----------------------------------------------------------------


def regular_file(path: Path) -> None:
    """Refuse anything but an existing regular file, without opening it."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(path, "does not exist") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISREG(mode):
        return
    raise InputError(path, f"is {_kind_of(mode)}, not a file that can be imported")


def _kind_of(mode: int) -> str:
    """What a non-regular file is, for messages."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def bom_encoding(head: bytes) -> str | None:
    """The codec named by a leading byte-order mark (the codec drops the mark), or None."""
    for mark, codec in _BOMS:
        if head.startswith(mark):
            return codec
    return None


ENCODING_HINT = "give its encoding with --encoding, e.g. --encoding cp1252"


def decode(path: Path, data: bytes, encoding: str, hint: str = ENCODING_HINT) -> str:
    """File bytes as text (a byte-order mark wins over ``encoding``), or InputError naming the line."""
    codec = bom_encoding(data[:4]) or encoding
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = _line_of_byte(data, exc.start, codec)
        raise InputError(
            path,
            f"is not valid {codec} text (byte {data[exc.start]:#04x}); {hint}",
            line,
        ) from None
    except LookupError:
        raise InputError(path, f"unknown encoding {encoding!r}") from None
    found = _BAD_CHAR.search(text) if holds_bad_char(text) else None
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        if found.group() == "\x00":
            raise InputError(path, nul_sentence(text), line)
        raise InputError(path, f"{bad_char_sentence(found.group())} ({hint})", line)
    return text


def _line_of_byte(data: bytes, pos: int, codec: str) -> int:
    try:
        return data[:pos].decode(codec, errors="replace").count("\n") + 1
    except UnicodeError:  # a codec without the "replace" handler (idna): count newline bytes
        return data[:pos].count(b"\n") + 1


# --- strings ---------------------------------------------------------------


def holds_bad_char(value: str) -> bool:
    """Whether a NUL or a lone surrogate is in the string, at C speed (UTF-8 cannot encode a
    lone surrogate; a regex character class is several times slower on long texts)."""
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def nul_sentence(text: str) -> str:
    """Why text holding NUL characters is refused: binary, or UTF-16 read without its byte-order mark."""
    sample = text[:200]
    for order, zeros in (("le", sample[1::2]), ("be", sample[0::2])):
        if len(zeros) > 1 and not zeros.strip("\x00"):
            return f"looks like UTF-16 without a byte-order mark; give --encoding utf-16-{order}"
    return "looks like a binary file (it contains NUL characters), not text"


def bad_char_sentence(ch: str) -> str:
    if ch == "\x00":
        return "contains a NUL character (U+0000), which text may not hold"
    return f"contains a lone surrogate (U+{ord(ch):04X}), which is not a character"


def check_string(value: str, what: str) -> None:
    """ValueError when ``value`` holds a NUL or a lone surrogate (SQLite and UTF-8 cannot hold them)."""
    found = _BAD_CHAR.search(value)
    if found is not None:
        raise ValueError(f"{what} {bad_char_sentence(found.group())}")


def check_value(value: Any, what: str, whole: str | None = None) -> None:
    """Every string (keys too) of a JSON-like value, walked without recursion: no NUL, no lone
    surrogate, no non-finite number, nothing nested more than MAX_DEPTH deep.

    Messages place the problem by its path (``the value at quotes[0].speaker.name``);
    ``whole`` names the value itself (``the line``), when it differs from ``what``.
    """
    stack: list[tuple[Any, tuple | None, Any, int]] = [(value, None, None, 0)]  # (item, parent, key, depth)
    while stack:
        entry = stack.pop()
        item, _, _, depth = entry
        if isinstance(item, str):
            found = _BAD_CHAR.search(item)
            if found is not None:
                raise ValueError(f"{_where(entry, what, whole)} {bad_char_sentence(found.group())}")
        elif isinstance(item, dict):
            if depth >= MAX_DEPTH:
                raise ValueError(f"{whole or what} nests arrays and objects more than {MAX_DEPTH} deep")
            for key, sub in item.items():
                if not isinstance(key, str):
                    raise ValueError(f"{_where(entry, what, whole)} has a key {key!r} that is not a string")
                found = _BAD_CHAR.search(key)
                if found is not None:
                    raise ValueError(f"a key of {_where(entry, what, whole)} {bad_char_sentence(found.group())}")
                stack.append((sub, entry, key, depth + 1))
        elif isinstance(item, list):
            if depth >= MAX_DEPTH:
                raise ValueError(f"{whole or what} nests arrays and objects more than {MAX_DEPTH} deep")
            stack.extend((sub, entry, n, depth + 1) for n, sub in enumerate(item))
        elif isinstance(item, float) and not math.isfinite(item):
            raise ValueError(f"{_where(entry, what, whole)} is {item}, not a number JSON can hold")


def _where(entry: tuple, what: str, whole: str | None) -> str:
    """``the value at meta.source`` for a walk entry (built only for a message)."""
    steps = []
    while entry[1] is not None:
        _, parent, key, _ = entry
        steps.append(f"[{key}]" if isinstance(key, int) else f".{key}" if key.isidentifier() else f"[{key!r}]")
        entry = parent
    path = "".join(reversed(steps)).removeprefix(".")
    return f"{what} at {path}" if path else whole or what


def check_document(ad: AnnotatedDocument) -> None:
    """ValueError naming the first string of the document that the store cannot hold.

    Quote, cue and mention texts are slices of the document text, so checking the text
    covers them (the store refuses a span whose text is not its slice).
    """
    strings = [item for item in _free_strings(ad) if item[0]]
    if any(holds_bad_char(value) for value, _, _ in strings):  # labels only on a hit
        name = f"document {ad.document.id!r}: "
        for value, quote, label in strings:
            where = label if label == "the document id" else name + (f"quote {quote}: " if quote else "") + label
            check_string(value, where)
    check_value(ad.document.meta, f"document {ad.document.id!r}: the metadata")


def _free_strings(ad: AnnotatedDocument) -> Iterator[tuple[str | None, int, str]]:
    """(value, quote number or 0, what it is) for every string of a document but span texts."""
    doc = ad.document
    yield doc.id, 0, "the document id"
    yield doc.text, 0, "the text"
    yield doc.lang, 0, "the language"
    yield ad.status, 0, "the status"
    for n, q in enumerate(ad.quotes, 1):
        yield q.type, n, "the type"
        yield q.role, n, "the role"
        yield q.role_category, n, "the role category"
        yield q.via, n, "via"
        if q.speaker is not None:
            yield q.speaker.name, n, "the speaker name"
            yield q.speaker.kind, n, "the speaker kind"
            for alias in q.speaker.aliases:
                yield alias, n, "a speaker alias"


# --- JSON ------------------------------------------------------------------

# A decoded JSON string can hold a NUL or a lone surrogate only through one of these
# escapes (or the raw character): a text without them needs no walk over its strings.
# A high surrogate escaped right before a low one is a pair: one character, fine.
_HIGH, _LOW = r"\\u[dD][89abAB][0-9a-fA-F]{2}", r"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
_BAD_ESCAPE = regex.compile(rf"\\u0000|{_HIGH}(?!{_LOW})|(?<!{_HIGH}){_LOW}")


def _constant(name: str) -> Any:
    raise ValueError(f"has {name}, which is not a JSON number")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        repeated = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"repeats the key {repeated!r} in one object")
    return obj


DECODER = json.JSONDecoder(parse_constant=_constant, object_pairs_hook=_object)


# Codecs whose decoders never produce a lone surrogate (they refuse encoded surrogates).
UNICODE_CODECS = frozenset(
    ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")
)


def parse_json(text: str, what: str = "the line", codec: str | None = None) -> Any:
    """A whole text as one JSON value, checked (see ``parse_json_at``); ValueError says what is wrong.

    ``codec``: what the text was decoded with; past a Unicode codec's decoder (and a check
    for NUL, which every reader makes), raw characters need no second look.
    """
    value = _fast_decode(text)
    if value is UNDECIDED:
        value = strict_json(text, what)
    else:
        _check_escapes(value, text, 0, len(text), what)
    if codec not in UNICODE_CODECS and holds_bad_char(text):  # only an unusual --encoding decodes to these
        check_value(value, "the value", whole=what)
    return value


def strict_json(text: str, what: str = "the line") -> Any:
    """A whole text as one JSON value read by ``json`` alone, checked as ``parse_json_at`` says: what
    ``parse_json`` falls back on, and the reading its fast path is tested to agree with."""
    value, _ = _checked(lambda: (DECODER.decode(text), len(text)), text, 0, what)
    return value


def parse_json_at(text: str, start: int, what: str) -> tuple[Any, int]:
    """The JSON value starting at ``start`` in a text from ``decode`` (so free of raw NULs and
    lone surrogates), and the offset after it.

    Checked within limits: nesting depth, integer length, NaN and Infinity, repeated
    keys, and every string free of NUL and lone surrogates.
    """
    return _checked(lambda: DECODER.raw_decode(text, start), text, start, what)


class JSONSyntaxError(ValueError):
    """Not JSON; ``pos`` is the offset in the text where reading failed."""

    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.pos = pos


def _checked(decode_value: Callable[[], tuple[Any, int]], text: str, start: int, what: str) -> tuple[Any, int]:
    try:
        value, end = decode_value()
    except json.JSONDecodeError as exc:
        raise JSONSyntaxError(f"is not valid JSON ({exc.msg}, column {exc.colno})", exc.pos) from None
    except RecursionError:
        raise ValueError("nests arrays and objects too deeply to be read") from None
    except ValueError as exc:
        if "integer string conversion" in str(exc):  # Python reads at most 4,300 digits
            raise ValueError("has an integer of more than 4,300 digits") from None
        raise
    _check_escapes(value, text, start, end, what)
    return value, end


def _check_escapes(value: Any, text: str, start: int, end: int, what: str) -> None:
    """Walk the value for NUL and lone surrogates only when the JSON text escapes one."""
    if text.find("\\u", start, end) != -1 and _BAD_ESCAPE.search(text, start, end):
        check_value(value, "the value", whole=what)


_FAST_DECODER = msgspec.json.Decoder()
_ENCODER = msgspec.json.Encoder()
UNDECIDED = object()  # what the fast readings return for a text they leave to the careful one


def _fast_decode(text: str) -> Any:
    """msgspec's reading of a whole JSON text, or UNDECIDED for ``json`` to read it (or word its refusal).

    Only a colon escaped as ``\\u003a`` could hide a key from ``_every_key_read``'s count: a text with
    such an escape is left to ``json``.
    """
    if "\\u003" in text:
        return UNDECIDED
    return _every_key_read(text, _FAST_DECODER)


def _every_key_read(text: str | bytes, decoder: msgspec.json.Decoder) -> Any:
    """msgspec's reading of a whole JSON text, when it surely holds every key of the text; else UNDECIDED.

    msgspec keeps the last of a repeated key (and a typed ``decoder`` drops a key its shape does not
    name), so the value is checked to hold every key of the text: each colon of the text is a key's,
    or inside a string, so when msgspec's compact re-encoding of the value (whose strings write every
    colon as a colon) holds as many colons as the text, no key was dropped, as long as the text
    escapes no colon (the caller's check).
    """
    try:
        value = decoder.decode(text)
        colons = _colons_written(value)
    except Exception:  # whatever msgspec refuses (bad JSON, an integer too long, nesting too deep, another shape)
        return UNDECIDED
    return value if colons == text.count(b":" if isinstance(text, bytes) else ":") else UNDECIDED


def _colons_written(value: Any) -> int:
    """The colons of msgspec's compact re-encoding of ``value``. A struct's ``text`` string (a document's text,
    most of a line's bytes) is counted where it is rather than re-encoded: a string writes each of its colons
    as one colon, and the struct re-encoded with a null there keeps the key's own."""
    text = getattr(value, "text", None) if isinstance(value, msgspec.Struct) else None
    if type(text) is str:
        return _ENCODER.encode(msgspec.structs.replace(value, text=None)).count(b":") + text.count(":")
    return _ENCODER.encode(value).count(b":")


def fast_json_line(line: bytes, decoder: msgspec.json.Decoder = _FAST_DECODER) -> Any:
    """One line of UTF-8 JSON read from its bytes by msgspec (into ``decoder``'s type), when that is
    surely what ``parse_json`` reads of the decoded line; else UNDECIDED.

    Decoding the bytes skips making the line's text first. msgspec refuses what the UTF-8 codec
    refuses (a bad byte, an encoded surrogate), every raw control character (NUL included) and
    every lone surrogate escaped; a line escaping a NUL (or a colon, see ``_every_key_read``) is
    left undecided, so the careful reading, which names the line's problem in its words, is the
    one that sees any of these. A line without a backslash escapes nothing: one byte search.
    """
    if b"\\" in line and b"\\u00" in line and (b"\\u0000" in line or b"\\u003" in line):
        return UNDECIDED
    return _every_key_read(line, decoder)


def id_text(value: Any) -> str | None:
    """A document id as a reader takes it: a non-blank string, or an integer read as its decimal
    string (a JSON number id); None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return value if isinstance(value, str) and value.strip() else None
