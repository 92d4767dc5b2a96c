"""``parse_json``'s fast path (msgspec) reads exactly what the strict ``json`` reading reads, and refuses
exactly what it refuses, in its words: above all a repeated key, which msgspec alone would let pass."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.formats.guards import UNDECIDED, fast_json_line, parse_json, strict_json
from annotator.formats.jsonl import _DOCUMENT_LINE

# Strings full of what could fool a count of keys: colons, quotes, backslashes, escapes written out.
TRICKY = st.lists(st.sampled_from([*':"\\ u003aé“\n\t{}[],', "\\u003a", '":', '" :']), max_size=8).map("".join)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TRICKY,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TRICKY, inner, max_size=4),
    max_leaves=20,
)


def strict(text: str):
    """``json``'s reading alone, or its refusal as a string."""
    try:
        return strict_json(text)
    except ValueError as exc:
        return f"refused: {exc}"


def fast(text: str):
    """``parse_json``'s reading (msgspec first), or its refusal as a string."""
    try:
        return parse_json(text)
    except ValueError as exc:
        return f"refused: {exc}"


@given(VALUES, st.sampled_from([(", ", ": "), (",", ":"), (" , ", " : "), (",\t", "\t:\r\n")]), st.booleans())
def test_any_value_reads_back_as_the_strict_reader_reads_it(value, separators, ascii_only):
    text = json.dumps(value, separators=separators, ensure_ascii=ascii_only)
    assert fast(text) == strict(text) == value


@given(st.dictionaries(TRICKY, VALUES, min_size=1, max_size=4), VALUES, st.sampled_from([": ", ":", " : ", "\t:"]),
       st.sampled_from([0, 1, 2]))
def test_a_repeated_key_is_refused_wherever_it_is_and_however_it_is_written(obj, other, colon, depth):
    key = next(iter(obj))
    body = json.dumps(obj, ensure_ascii=False)
    text = body[:-1] + ", " + json.dumps(key, ensure_ascii=False) + colon + json.dumps(other, ensure_ascii=False) + "}"
    for _ in range(depth):
        text = '{"outer": [1, ' + text + "]}"
    assert fast(text) == strict(text)
    assert fast(text).startswith("refused: repeats the key")


@pytest.mark.parametrize("text", [
    '{"a": 1, "a\\u003a": 2}', '{"a\\u003a": 1, "a:": 2}', '{"a": "\\u003a", "a": 1}',  # an escaped colon
    '{"n": NaN}', '{"n": 1e400}', '{"n": ' + "9" * 5000 + "}", '{"n": 123456789012345678901234567890}',
    '{"s": "\\ud800"}', '{"s": "\\u0000"}', '{"s": "\\ud83d\\ude00"}', "[" * 3000 + "]" * 3000,
    '{"a": 1} x', '{"a": 1,}', "", '"\t"', "-0", "1E5",
])
def test_edge_cases_read_or_refused_as_the_strict_reader_does(text):
    expected = strict(text)
    got = fast(text)
    if isinstance(expected, str) and expected.startswith("refused"):
        assert isinstance(got, str) and got.startswith("refused")
    else:
        assert got == expected and type(got) is type(expected)


def from_bytes(text: str):
    """``fast_json_line``'s reading of the line's UTF-8 bytes: a value, or None when it leaves the line to the
    careful reading (as it must a repeated key, an escaped NUL, a lone surrogate)."""
    value = fast_json_line(text.encode("utf-8", "surrogatepass"))
    return None if value is UNDECIDED else (value,)


@given(VALUES, st.booleans())
def test_a_line_read_from_its_bytes_is_what_the_strict_reader_reads(value, ascii_only):
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert from_bytes(text) in (None, (strict(text),))


@given(st.dictionaries(TRICKY, VALUES, min_size=1, max_size=4), VALUES, st.sampled_from([0, 1, 2]))
def test_a_line_with_a_repeated_key_is_never_read_from_its_bytes(obj, other, depth):
    key = next(iter(obj))
    text = json.dumps(obj)[:-1] + ", " + json.dumps(key) + ": " + json.dumps(other) + "}"
    for _ in range(depth):
        text = '{"outer": [1, ' + text + "]}"
    assert from_bytes(text) is None


@pytest.mark.parametrize("text", [
    '{"a": 1, "a\\u003a": 2}', '{"a": "\\u003a", "a": 1}', '{"s": "\\ud800"}', '{"s": "x\\udc00"}',
    '{"s": "\\ud800\\u0041"}', '{"s": "\\u0000"}', '{"n": NaN}', '{"n": 1e400}', "[" * 3000 + "]" * 3000,
    '{"a": 1} x', "", " \n", '"\t"', "\ufeff{}", '{"s": "\ud800"}',
])
def test_edge_cases_are_left_to_the_careful_reading(text):
    assert from_bytes(text) is None


@pytest.mark.parametrize("text", ['{"s": "\\ud83d\\ude00"}', '{"n": 123456789012345678901234567890}', "-0", "1E5"])
def test_edge_cases_read_from_bytes_read_as_the_strict_reader_does(text):
    got = from_bytes(text)
    assert got is not None and got[0] == strict(text) and type(got[0]) is type(strict(text))


DOCUMENT_LINE = '{"id": "d1", "text": "Ani: aman. Budi: siap.", "meta": {"title": "T: x"}, "quotes": [{"start": 0, "end": 3}]}'


def test_a_document_line_is_read_from_its_bytes_into_its_struct_with_the_colons_of_its_text_counted():
    value = fast_json_line(DOCUMENT_LINE.encode(), _DOCUMENT_LINE)
    assert value is not UNDECIDED and value.text == "Ani: aman. Budi: siap."


@pytest.mark.parametrize("repeat", ['"id": "d1"', '"text": "x: y"', '"text": "Ani: aman. Budi: siap."', '"meta": {"title": "T: x"}'])
def test_a_document_line_repeating_a_key_is_never_read_into_its_struct(repeat):
    assert fast_json_line((DOCUMENT_LINE[:-1] + ", " + repeat + "}").encode(), _DOCUMENT_LINE) is UNDECIDED
