"""Reading JSONL from bytes, the common shape built straight from msgspec's structs (issue 14, item 7), gives
what the plain reading gives: the same documents, or the same message naming the same line. The plain reading
here is written out as it was before: text mode lines, ``json`` alone, ``parse_document`` on the dicts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.formats.errors import InputError
from annotator.formats.guards import nul_sentence, strict_json
from annotator.formats.jsonl import SystemOutput, document_id, parse_document, read_jsonl, read_predictions
from annotator.model import Document
from annotator.text import sha256

TEXTS = [
    "“Kami siap,” kata Budi. Ani: aman.",
    "A\r\n“Kami siap,” kata Budi.",  # normalising maps the offsets
    "cafe\u0301 “Siap,” kata Ani.",  # not NFC
    "\ufeff“Siap,” kata Budi.",
    "   ",
    "",
]
GOLD = {doc_id: Document(doc_id, text, sha256=sha256(text)) for doc_id, text in (("d1", TEXTS[0]), ("d2", TEXTS[2]))}
SYSTEM = SystemOutput(GOLD.get, "the gold")
MISSING = object()  # a key the line leaves out


def obj(pairs: list[tuple[str, object]]) -> str:
    """A JSON object from its pairs, as written: a key may repeat, a value be left out (MISSING)."""
    body = [f"{json.dumps(k)}: {v if isinstance(v, Raw) else json.dumps(v)}" for k, v in pairs if v is not MISSING]
    return "{" + ", ".join(body) + "}"


class Raw(str):
    """JSON text already written (a nested object)."""


def mostly(usual: list, unusual: list) -> st.SearchStrategy:
    """Usual values, and now and then one that the common shape leaves to the plain reading, or that is wrong."""
    return st.sampled_from(usual * 20 + unusual)


@st.composite
def span(draw, text: str) -> list[tuple[str, object]]:
    start, end = sorted(draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=2)))
    if draw(st.integers(0, 9)) == 0:
        start, end = draw(st.sampled_from([(end + 1, end), (-1, end), (start, len(text) + 1)]))
    given = draw(mostly(["slice", MISSING, None], ["wrong", 5]))
    if given == "slice":
        given = text[start:end]
    return [("start", draw(mostly([start], ["3", 1.0, True]))), ("end", end), ("text", given)]


@st.composite
def speaker(draw, text: str) -> object:
    shape = draw(mostly(["object", "name", MISSING, None], [5]))
    if shape != "object":
        return draw(mostly(["Budi"], ["", " "])) if shape == "name" else shape
    pairs = [
        ("name", draw(mostly(["Budi", None, MISSING], ["", " ", 5]))),
        ("kind", draw(mostly(["person", "PERSON", None, MISSING], ["", "robot"]))),
        ("mention", Raw(obj(draw(span(text)))) if draw(st.booleans()) else draw(st.sampled_from([None, MISSING]))),
        ("aliases", draw(mostly([["Bud"], [], None, MISSING], [[5], "Bud"]))),
    ]
    if draw(st.integers(0, 19)) == 0:
        pairs.append(("id", 3))
    return Raw(obj(pairs))


@st.composite
def quote(draw, text: str) -> str:
    pairs = draw(span(text))
    pairs += [
        ("type", draw(mostly(["direct", "Direct", "indirect", None, MISSING], ["", "bogus", 5]))),
        ("cue", Raw(obj(draw(span(text)))) if draw(st.booleans()) else draw(mostly([None, MISSING], [5]))),
        ("speaker", draw(speaker(text))),
        ("role", draw(mostly(["juru bicara", None, MISSING], ["", 5]))),
        ("role_category", draw(st.sampled_from(["government", None, MISSING]))),
        ("via", draw(st.sampled_from(["Kompas", None, MISSING]))),
    ]
    if draw(st.integers(0, 9)) == 0:
        extra = draw(st.sampled_from([("speaker_resolved", "coref"), ("start", 0), ("status", "pending"),
                                      ("adjudication", {"agreed": ["ana"], "taken_from": None}), ("text", "x")]))
        pairs.insert(draw(st.integers(0, len(pairs))), extra)
    return Raw(obj(draw(st.permutations(pairs))))


@st.composite
def line(draw) -> str:
    text = draw(mostly([TEXTS[0]], TEXTS[1:]))
    pairs = [
        ("id", draw(mostly(["d1", "d2", "d9"], ["", " ", 5, None, MISSING]))),
        ("text", draw(mostly([text, MISSING], [None, 5]))),
        ("lang", draw(mostly(["id", None, MISSING], ["", 5]))),
        ("meta", draw(mostly([{"title": "T: x"}, {}, None, MISSING], [[], {"a": {"b": [1, 2.5]}}]))),
        ("quotes", Raw("[" + ", ".join(draw(st.lists(quote(text), max_size=3))) + "]")
         if draw(st.integers(0, 9)) else draw(st.sampled_from([None, MISSING, "x"]))),
        ("status", draw(mostly(["done", None, MISSING], [5]))),
    ]
    if draw(st.integers(0, 9)) == 0:
        pairs.append(draw(st.sampled_from([("id", "d2"), ("model", "x"), ("text", "y")])))
    written = obj(draw(st.permutations(pairs)))
    if draw(st.integers(0, 9)) == 0:
        written = draw(st.sampled_from([written.encode("ascii", "backslashreplace").decode(), written[:-1],
                                        written.replace(": ", ":\r "), written + " \x00", written.replace("d1", "d\\u0000")]))
    return written


FILES = st.tuples(
    st.lists(line(), min_size=0, max_size=4),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(["", "\ufeff", "\n", " \n"]),
    st.booleans(),
)


def plain_lines(path: Path, allow_empty: bool = False) -> Iterator[tuple[int, object]]:
    """The plain reading of a UTF-8 file: (line number, JSON value) of each non-blank line, lines numbered
    as text mode numbers them; a bad byte named at its line."""
    encoding = "utf-8-sig" if path.read_bytes().startswith(b"\xef\xbb\xbf") else "utf-8"
    any_line = False
    with path.open(encoding=encoding, newline="", errors="surrogateescape") as handle:
        for lineno, text in enumerate(handle, 1):
            bad = [c for c in text if "\udc80" <= c <= "\udcff"]
            if bad:
                byte = ord(bad[0]) - 0xDC00
                raise InputError(path, f"is not valid {encoding} text (byte {byte:#04x}); give the right --encoding", lineno)
            if lineno == 1 and text.startswith("\ufeff"):
                text = text[1:]
            if "\x00" in text:
                raise InputError(path, nul_sentence(text), lineno)
            if text.isspace():
                continue
            try:
                value = strict_json(text)
            except ValueError as exc:
                raise InputError(path, str(exc), lineno) from None
            any_line = True
            yield lineno, value
    if not any_line and not allow_empty:
        raise InputError(path, "is empty")


def write(tmp_path: Path, lines: list[str], newline: str, head: str, bad_byte: bool) -> Path:
    path = tmp_path / "f.jsonl"
    data = (head + newline.join(lines) + newline).encode("utf-8")
    if bad_byte and lines:
        data = data.replace(b"\x80", b"\xff", 1)  # inside the first “ or ”, if there is one
    path.write_bytes(data)
    return path


def outcome(read) -> object:
    try:
        return read()
    except InputError as exc:
        return str(exc)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(FILES)
def test_gold_files_read_as_the_plain_reading_reads_them(tmp_path, case):
    path = write(tmp_path, *case)

    def plain():
        docs = []
        for lineno, value in plain_lines(path):
            try:
                docs.append((lineno, parse_document(value)))
            except ValueError as exc:
                raise InputError(path, str(exc), lineno) from None
        return docs

    assert outcome(lambda: list(read_jsonl(path))) == outcome(plain)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(FILES)
def test_prediction_files_read_as_the_plain_reading_reads_them(tmp_path, case):
    path = write(tmp_path, *case)

    def plain():
        first: dict[str, int] = {}
        docs, unknown = [], []
        for lineno, value in plain_lines(path, allow_empty=True):
            try:
                doc_id = document_id(value)
                if doc_id in first:
                    raise ValueError(f"document {doc_id!r} appears again (first on line {first[doc_id]})")
                first[doc_id] = lineno
                if doc_id in GOLD:
                    docs.append(parse_document(value, SYSTEM))
                    continue
                unknown.append(doc_id)
                if value.get("text") is not None:
                    parse_document(value, SYSTEM)
            except ValueError as exc:
                raise InputError(path, str(exc), lineno) from None
        return docs, unknown, len(first)

    def fast():
        read = read_predictions(path, GOLD)
        return read.documents, read.unknown, read.lines

    assert outcome(fast) == outcome(plain)
