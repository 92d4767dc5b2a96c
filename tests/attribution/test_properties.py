"""Any text at all: the attributor never raises and only returns spans inside the text."""

from __future__ import annotations

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.attribution import RuleAttributor, available_languages
from annotator.attribution.anonymous import _PLACE_RUN, _PLACE_RUN_WORDS, _last_chunks_start
from annotator.attribution.lexicon import load_lexicon
from annotator.attribution.sentences import Sentences, _sentence_ends
from annotator.model import QUOTE_TYPES, SPEAKER_KINDS, Document

# Text built from the characters the rules care about, mixed with anything else.
MARKS = [*list("“”„‟\"'«»‹›‘’‚「」『』"), "``", "''", "\n", "\n\n", ",", ".", ":", " ", "—", "(", ")", "-"]
WORDS = ["kata", "katanya", "ujarnya", "menurut", "Menurutnya", "mengatakan", "bahwa", "said", "told", "he",
         "according to", "Presiden", "Joko", "Widodo", "Ia", "dia", "Hal itu diucapkan", "mengutip", "Kepala",
         "Dinas", "(60)", "(KCNA)", "seorang pejabat", "yang tidak disebutkan namanya", "Mr.", "U.S.", "―",
         "berkata", "bahawa", "beliau", "Datuk Seri", "Dato'", "memetik", "yang enggan dikenali"]
pieces = st.one_of(st.sampled_from(MARKS), st.sampled_from(WORDS), st.text(max_size=8))
texts = st.one_of(st.text(max_size=300), st.lists(pieces, max_size=80).map(" ".join))


def check(text: str, language: str | None, scope: str) -> None:
    quotes = RuleAttributor(language=language, scope=scope).attribute(Document("p", text))
    for q in quotes:
        q.check(text)  # content, cue and mention inside the text with matching text
        assert q.start < q.end
        assert q.type in QUOTE_TYPES and q.status == "pending"
        if q.speaker is not None:
            assert q.speaker.name and q.speaker.kind in SPEAKER_KINDS


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from([None, *available_languages()]), st.sampled_from(["all", "public"]))
def test_any_text_gives_spans_inside_it(text: str, language: str | None, scope: str) -> None:
    check(text, language, scope)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=2000))
def test_any_unicode_string(text: str) -> None:
    check(text, None, "all")


PLACE_PIECES = ["Jakarta", "Korea", "Selatan", "pejabat", "di", "(AS)", "É", "Élise", "Jean-Pierre", "x", "2", " ", "\t",
                "\n", "  ", ",", ".", "("]


@given(st.lists(st.sampled_from(PLACE_PIECES), max_size=20).map("".join), st.integers(0, 5))
@settings(max_examples=300, deadline=None)
def test_a_place_run_is_sought_among_the_last_words_alone(text: str, start: int) -> None:
    """The capitalised run that ends a window starts within its last four runs of non-space."""
    start = min(start, len(text))
    run = _last_chunks_start(text, start, len(text), _PLACE_RUN_WORDS)
    whole = _PLACE_RUN.search(text, start, len(text))
    assert (None if whole is None else whole.span()) == (
        None if (last := _PLACE_RUN.search(text, run, len(text))) is None else last.span()
    )


# the sentence ends as one pattern: what sentences._sentence_ends reads in two steps
_SENTENCE_END = regex.compile(r"(?<![.!?…])[.!?…]+[\"”’'»)]*(?=\s+[\"“”‘'«(\[\p{Lu}\p{N}])|\n+")
SENTENCE_PIECES = [".", "...", "!", "?", "…", '"', "”", "’", "'", "»", ")", " ", "\t", "\n", "\n\n", "\x1c", "\u00a0",
                   "\u3000", "A", "a", "É", "é", "1", "²", "“", "‘", "«", "(", "[", "x"]


@given(st.lists(st.sampled_from(SENTENCE_PIECES), max_size=30).map("".join))
@settings(max_examples=500, deadline=None)
def test_sentence_ends_are_those_of_the_one_pattern(text: str) -> None:
    assert list(_sentence_ends(text)) == [m.span() for m in _SENTENCE_END.finditer(text)]


ABBREVIATION_PIECES = ["Mr", "Sen", "U", "S", "said", "e", "É", "é", "x" * 25, ".", " ", "\n", "(", "1", "²"]


@given(st.lists(st.sampled_from(ABBREVIATION_PIECES), max_size=12).map("".join))
@settings(max_examples=1000, deadline=None)
def test_a_period_ends_an_abbreviation_as_its_whole_word_says(text: str) -> None:
    sentences = Sentences(text, load_lexicon("en"))
    for dot in (i for i, c in enumerate(text) if c == "."):
        k = dot
        while k > 0 and (text[k - 1].isalpha() or text[k - 1] == "."):
            k -= 1
        word = text[k:dot]  # the letters and periods before it, however far back they go
        expected = (len(word) == 1 and word.isupper()) or word in sentences.abbreviations or "." in word
        assert sentences.abbreviation(dot) == expected
