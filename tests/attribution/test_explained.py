"""``RuleAttributor.attribute_explained``: the quotes of ``attribute``, each with what proposed it
(bench/quality.py counts by it)."""

from __future__ import annotations

import pytest

from annotator.attribution import SCOPES, RuleAttributor
from annotator.attribution.constructions import CONSTRUCTIONS
from annotator.model import Document

NAMES = {c.label for c in CONSTRUCTIONS.values()} | {"continuation", "no cue"}


@pytest.mark.parametrize("scope", SCOPES)
def test_the_same_quotes_as_attribute_each_with_a_construction(gold, scope) -> None:
    attributor = RuleAttributor(scope=scope)
    for ad in gold:
        explained = attributor.attribute_explained(ad.document)
        assert [q for q, _ in explained] == attributor.attribute(ad.document)
        assert {name for _, name in explained} <= NAMES


def test_a_cue_its_continuation_and_a_quote_with_no_cue() -> None:
    text = (
        "”Airnya keruh sejak kemarau,” kata Gabriel Manek (60).\n\n"
        "”Kami harus berjalan jauh untuk mengambil air bersih setiap hari.”\n\n"
        "Menurut Gubernur Ganjar Pranowo, ”Pemerintah akan membangun sumur baru.”"
    )
    explained = RuleAttributor().attribute_explained(Document("d", text, lang="id"))
    assert [name for _, name in explained] == ["short cue", "continuation", "according to"]
    assert [q.speaker.name for q, _ in explained] == ["Gabriel Manek", "Gabriel Manek", "Ganjar Pranowo"]
    alone = 'The weather was cold that morning.\n\n"We have to go through all of this again, every year."'
    [(quote, name)] = RuleAttributor().attribute_explained(Document("e", alone, lang="en"))
    assert name == "no cue" and quote.speaker is None
