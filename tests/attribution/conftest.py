"""The attributor's tests: the seed articles' gold labels, read once (the attributor itself needs no fixture)."""

from __future__ import annotations

import pytest

from annotator.formats.jsonl import read_jsonl
from annotator.model import AnnotatedDocument
from tests.support.paths import SEEDS_GOLD


@pytest.fixture(scope="module")
def gold() -> list[AnnotatedDocument]:
    """The seed articles with their gold quotes (data/seeds.gold.jsonl)."""
    if not SEEDS_GOLD.exists():
        pytest.skip(f"{SEEDS_GOLD} is not there")
    return [ad for _, ad in read_jsonl(SEEDS_GOLD)]
