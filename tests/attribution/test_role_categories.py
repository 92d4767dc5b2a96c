"""Role categories: the most specific word of the lexicon decides; without a role, the speaker's name does."""

from __future__ import annotations

import pytest

from annotator.attribution import load_lexicon
from annotator.attribution.lexicon import Lexicon
from annotator.attribution.roles import role_category


@pytest.mark.parametrize(("role", "category"), [
    ("kantor berita milik pemerintah Korea Utara", "media"),  # the longer phrase wins over pemerintah
    ("pemimpin redaksi Tempo", "media"),
    ("pemimpin Korea Utara", "government"),
    ("pejabat senior AS", "government"),
    ("Kepala Staf Umum Angkatan Bersenjata Rusia", "military"),
    ("ajudan", None),
    ("ajudan Kremlin", "government"),  # the presidency by its seat
])
def test_the_longest_marker_decides(role, category):
    assert role_category(load_lexicon("id"), role) == category


@pytest.mark.parametrize(("lang", "speaker", "category"), [
    ("id", "Rusia", "government"),
    ("id", "Korea Utara", "government"),
    ("id", "Departemen Luar Negeri AS", "government"),
    ("id", "Komisi Militer Pusat", "military"),
    ("id", "Budi Santoso", None),
    ("en", "the Kremlin", "government"),
    ("en", "China", "government"),
    ("en", "John Smith", None),
])
def test_without_a_role_the_speaker_name_decides(lang, speaker, category):
    assert role_category(load_lexicon(lang), None, speaker) == category


def test_a_role_wins_over_the_speaker_name():
    assert role_category(load_lexicon("id"), "wartawan", "Rusia") == "media"


@pytest.mark.parametrize(("role", "category"), [
    ("chief spokesman", "second"),  # the longer word wins, whichever category lists it
    ("the Chief", "first"),  # a word both list: the first category's
    ("news office and army office", "first"),  # phrases of one length: the first category's
    ("head of the news office", "second"),
    ("office", None),  # a word of a phrase alone is none
])
def test_the_longest_then_the_first_category(role, category):
    lex = Lexicon.from_json({"language": "xx", "name": "test", "role_categories": {
        "first": ["chief", "army office"],
        "second": ["chief", "spokesman", "news office"],
    }})
    assert lex.role_category(role) == category
