"""Lexicons are data files per language, shipped in the package; language from the document or detected."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from annotator.attribution import (
    Attributor,
    RuleAttributor,
    available_languages,
    detect_language,
    get_attributor,
)
from annotator.attribution.lexicon import Lexicon, load_lexicon
from annotator.attribution.rules import _Analysis
from annotator.model import Document

ID_TEXT = "”Kami sudah siap sejak pagi tadi,” kata Budi kepada wartawan di Jakarta, Senin."
EN_TEXT = '"We were ready early this morning," said Budi, speaking to reporters in Jakarta.'


def test_the_built_in_languages_are_shipped_as_json_files() -> None:
    assert {"id", "en", "ms"} <= set(available_languages())
    folder = resources.files("annotator.attribution") / "lexicons"
    for code in ("id", "en", "ms"):
        data = json.loads((folder / f"{code}.json").read_text(encoding="utf-8"))
        assert data["language"] == code
        assert data["cue_verbs"] and data["titles"] and data["pronouns"]


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="no attributor lexicon for language 'xx'"):
        load_lexicon("xx")
    with pytest.raises(KeyError):
        get_attributor(language="xx")


def test_language_detection() -> None:
    assert detect_language("Presiden mengatakan bahwa pemerintah akan segera menyalurkan bantuan itu.") == "id"
    assert detect_language("The president said that the government will send the money this week.") == "en"


def test_malay_and_indonesian_are_told_apart_by_the_words_only_one_of_them_writes() -> None:
    """Both lexicons list the function words the two languages share, so those count alike and
    the words of one spelling or the other decide (bahawa/bahwa, kerana/karena, peratus/persen)."""
    malay = (
        "Menteri Kesihatan berkata bahawa kerajaan akan menambah peruntukan kerana kes denggi meningkat "
        "20 peratus selepas musim hujan."
    )
    indonesian = (
        "Menteri Kesehatan mengatakan bahwa pemerintah akan menambah anggaran karena kasus demam berdarah "
        "naik 20 persen setelah musim hujan."
    )
    assert detect_language(malay) == "ms"
    assert detect_language(indonesian) == "id"
    shared = set(load_lexicon("ms").detect) & set(load_lexicon("id").detect)
    assert {"yang", "dan", "di", "tidak", "akan"} <= shared


def test_document_language_wins_else_detected() -> None:
    attributor = RuleAttributor()
    assert attributor.language_of(Document("a", EN_TEXT, "id")) == "id"
    assert attributor.language_of(Document("a", EN_TEXT, "en-US")) == "en"
    assert attributor.language_of(Document("a", ID_TEXT, "fr")) == "id"  # no French lexicon: detected
    assert attributor.language_of(Document("a", EN_TEXT)) == "en"
    assert RuleAttributor(language="id").language_of(Document("a", EN_TEXT, "en")) == "id"


def test_both_languages_attribute() -> None:
    (q,) = get_attributor().attribute(Document("a", ID_TEXT))
    assert q.cue.text == "kata" and q.speaker.name == "Budi"
    (q,) = get_attributor().attribute(Document("b", EN_TEXT))
    assert q.cue.text == "said" and q.speaker.name == "Budi"


def test_protocol() -> None:
    attributor = get_attributor()
    assert isinstance(attributor, Attributor) and attributor.name == "builtin"
    with pytest.raises(KeyError):
        get_attributor("other")


def test_a_new_language_is_a_new_lexicon_file() -> None:
    """The rules name no language: a Malay-like lexicon written from scratch works as is."""
    lex = Lexicon.from_json({
        "language": "xx",
        "cue_short": ["ucap"],
        "cue_verbs": ["berkata"],
        "cue_according": ["menurut"],
        "clitics": ["nya"],
        "pronouns": {"dia": "person"},
        "titles": ["menteri"],
        "complementisers": ["bahwa"],
    })
    text = "Menteri Anwar Ibrahim berkata bahwa ekonomi negara sudah pulih. ”Kita mesti terus bekerja keras,” ucapnya."
    quotes = _Analysis(text, lex).run()
    assert [q.type for q in quotes] == ["indirect", "direct"]
    assert all(q.speaker.name == "Anwar Ibrahim" for q in quotes)


def test_scope_is_checked() -> None:
    with pytest.raises(ValueError, match="scope"):
        RuleAttributor(scope="famous")


@pytest.mark.parametrize("age", ["(60)", "(60 tahun)"])
def test_an_age_with_or_without_its_lexicon_unit_marks_a_private_person(age: str) -> None:
    text = f"”Airnya keruh sejak kemarau,” kata Gabriel Manek {age}."
    assert [q.speaker.name for q in _Analysis(text, load_lexicon("id"), "all").run()] == ["Gabriel Manek"]
    assert _Analysis(text, load_lexicon("id"), "public").run() == []


def test_a_passive_frame_reads_its_speaker_past_the_lexicon_agent_word() -> None:
    text = "Pasukan itu ikut bertempur di Kursk. Hal itu diucapkan oleh Valery Gerasimov."
    (q,) = _Analysis(text, load_lexicon("id")).run()
    assert q.cue.text == "diucapkan" and q.speaker.name == "Valery Gerasimov"
