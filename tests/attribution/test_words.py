"""The words of a text: the quick look-up of an ASCII word finds what the full word pattern finds, and
no word where it finds none."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.attribution import words

_PIECES = st.one_of(
    st.sampled_from(["Joko", "U.S.", "Sen.", "Trump’s", "José", "x-é", "a&b", "ab'", " ", "\u00a0", "\t", ",", ".",
                     "“", "-", "'", "é", "12.5", "Ab\u0301c"]),
    st.text(max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join), st.integers(0, 40), st.integers(0, 40))
def test_the_ascii_word_is_the_word_the_full_pattern_finds(text: str, pos: int, length: int) -> None:
    pos = min(pos, len(text))
    limit = min(len(text), pos + length)
    full = words._SPACED_WORD.match(text, pos, limit)
    quick = words._ASCII_SPACED_WORD.match(text, pos, limit)
    if quick is not None and quick.start(1) < 0:
        assert full is None  # an ASCII character that opens no word, or the limit
    elif quick is not None and (quick.end() == limit or text[quick.end()] in words._ENDS_WORD):
        assert full is not None and quick.span(1) == full.span(1)
