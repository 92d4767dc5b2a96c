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
