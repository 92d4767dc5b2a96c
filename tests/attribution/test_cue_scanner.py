"""The cue scanner finds the same cues whichever way it scans: the lower-cased text case-sensitively
(fast), or the text itself with IGNORECASE."""

from __future__ import annotations

import pytest

from annotator.attribution.lexicon import load_lexicon


def _found(scanner, text: str) -> list[tuple[int, int, dict[str, str]]]:
    return [(m.start(), m.end(), m.groupdict()) for m in scanner.finditer(text)]


@pytest.mark.parametrize("code", ["en", "id"])
@pytest.mark.parametrize(
    "text",
    [
        '"We are ready," SAID Budi; she Says so, and Told them, according To him. Pre-said, said-so. '
        "”Kami siap,” KATA Budi. Katanya begitu. MENURUTNYA, kata-kata itu benar, ujar Ani.",
        "İstanbul, said the mayor; ”Ya,” kata Budi.",  # lower-casing İ lengthens the text
        "ſaid the mayor; ”Ya,” \u212aata Budi; Said Ani.",  # IGNORECASE reads said and kata here
    ],
)
def test_the_lower_cased_scan_finds_what_ignorecase_finds(code: str, text: str, monkeypatch) -> None:
    scanner = load_lexicon(code).cues
    assert scanner.ascii_forms  # the built-in lexicons can take the fast scan
    found = _found(scanner, text)
    monkeypatch.setattr(scanner, "_ascii_forms", False)  # now only the IGNORECASE scan
    assert found == _found(scanner, text)
    assert found  # each text has cues in both languages' lexicons


@pytest.mark.parametrize(
    "text",
    [
        "Trump's CLAIM that, her Claims-x, the claims; reclaimed, a Remark. His VIEW: views to",
        "İstanbul's claim that; her claims to",  # lower-casing İ lengthens the text
        "the ſtatement that, a CLAİM that",  # IGNORECASE reads statement and claim here
    ],
)
def test_cue_nouns_are_found_as_the_ignorecase_pattern_finds_them(text: str) -> None:
    lex = load_lexicon("en")
    assert lex.cue_noun_letters is not None  # the English lexicon can take the fast scan
    found = [m.span() for m in lex.cue_nouns_in(text)]
    assert found == [m.span() for m in lex.cue_noun.finditer(text)]
    assert found




@pytest.mark.parametrize("code", ["en", "id"])
@pytest.mark.parametrize("pos", [0, 1, 5])
def test_the_scan_finds_what_the_look_behind_pattern_finds(code: str, pos: int, monkeypatch) -> None:
    """The scan matches the character before a cue form instead of looking behind at it."""
    scanner = load_lexicon(code).cues
    text = "kata said-kata, said ujar—kata (said) berkata “kata” Xsaid said. kata ésaid ‑said _said 2said ¹said"
    expected = [m.span() for m in scanner.lower_pattern.finditer(text.lower(), pos)]
    assert list(scanner._spans(text, pos, len(text))) == expected
    monkeypatch.setattr(scanner, "_ascii_forms", False)  # now only the IGNORECASE scan
    assert list(scanner._spans(text, pos, len(text))) == [m.span() for m in scanner.pattern.finditer(text, pos)]
    assert expected
