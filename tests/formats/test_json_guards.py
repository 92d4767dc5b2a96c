"""``parse_json``'s fast path (msgspec) reads exactly what the strict ``json`` reading reads, and refuses
exactly what it refuses, in its words: above all a repeated key, which msgspec alone would let pass."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.formats.guards import parse_json, strict_json

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
