"""Lexicons are data files per language, shipped in the package; language from the document or detected."""

from __future__ import annotations

import ast
import json
from dataclasses import fields
from importlib import resources
from pathlib import Path

import pytest
import regex

from annotator.attribution import (
    Attributor,
    RuleAttributor,
    available_languages,
    detect_language,
    get_attributor,
)
from annotator.attribution.constructions import CONSTRUCTIONS
from annotator.attribution.kinds import CueKind
from annotator.attribution.lexicon import Lexicon, load_lexicon, reject_repeated_keys
from annotator.attribution.rules import SCOPES, _Analysis
from annotator.model import QUOTE_TYPES, SPEAKER_KINDS, Document

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
    """A Malay-like lexicon written from scratch works as is: the rules need no code per language."""
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


# \p{Lu}, \u00a0, \t: a pattern's escapes, whose letters are no words
REGEX_ESCAPE = regex.compile(r"\\(?:[pP]\{\w+\}|u[0-9a-fA-F]{4}|[a-zA-Z])")


def lexicon_files() -> list[dict]:
    folder = resources.files("annotator.attribution") / "lexicons"
    return [json.loads((folder / f"{code}.json").read_text(encoding="utf-8")) for code in available_languages()]


def lexicon_words() -> set[str]:
    """Every word the lexicon files hold (their values; keys are the loader's names), case-folded."""
    words: set[str] = set()
    for data in lexicon_files():
        # abbreviations are stems (Conn, Ill, Mass) that the code's own short tags may spell
        pending = [value for key, value in data.items() if key not in ("language", "name", "abbreviations")]
        pending += list(data.get("pronouns", {}))  # a pronoun is a word; its referent is a kind
        while pending:
            value = pending.pop()
            if isinstance(value, str):
                words.update(regex.findall(r"\p{L}+", value.casefold()))
            elif isinstance(value, list):
                pending.extend(value)
            elif isinstance(value, dict):
                pending.extend(value.values())  # role categories: the words, not the category names
    return words


def the_code_own_names() -> set[str]:
    """Strings the rules may write although a lexicon holds them as words: the model's and the attributor's
    own vocabulary (kinds, types, scopes, construction labels) and the names of lexicon keys and fields."""
    names = {*SPEAKER_KINDS, *QUOTE_TYPES, *SCOPES, *CueKind, *(c.label for c in CONSTRUCTIONS.values())}
    names |= {"continuation", "no cue"}  # what else proposes a quote (Candidate.construction)
    names |= {f.name for f in fields(Lexicon)} | {key for data in lexicon_files() for key in data}
    for code in available_languages():
        lex = load_lexicon(code)
        names |= set(lex.pronouns.values()) | {category for category, _ in lex.role_categories}
    return names


def test_the_rules_write_no_word_of_a_lexicon() -> None:
    """The rules name no language: no string of the attributor's code, nor of the speaker picker that
    reads the same lexicons (docstrings and error messages aside), holds a word of a lexicon file, unless
    it is one of the code's own names (a kind, a key)."""
    words, own = lexicon_words(), the_code_own_names()
    package = Path(resources.files("annotator.attribution"))
    found = []
    for path in [*sorted(package.glob("*.py")), package.parent / "session" / "speakers.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = set()
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
                skipped.add(id(body[0].value))  # a docstring
            if isinstance(node, ast.Raise):
                skipped.update(id(n) for n in ast.walk(node))  # an error message
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
                skipped.update(id(n) for n in ast.walk(node))  # the module's exported names
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
                if node.value in own:
                    continue
                letters = REGEX_ESCAPE.sub(" ", node.value).casefold()
                named = sorted(set(regex.findall(r"\p{L}+", letters)) & words)
                if named:
                    found.append(f"{path.name}:{node.lineno} {node.value!r}: {', '.join(named)}")
    assert not found, "language words in the attributor's code, not in a lexicon file:\n" + "\n".join(found)


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


def test_every_lexicon_file_writes_each_key_once() -> None:
    """A key written twice would silently lose the first list (json keeps the last)."""
    load_lexicon.cache_clear()
    for code in available_languages():
        load_lexicon(code)  # raises on a repeated key
    hook = reject_repeated_keys("xx.json")
    with pytest.raises(ValueError, match="'cue_verbs' is written twice"):
        json.loads('{"cue_verbs": ["a"], "cue_verbs": ["b"]}', object_pairs_hook=hook)


def test_headline_verbs_are_no_cues_of_running_text() -> None:
    """A headline verb reports only in a title-case headline; one that is also a cue of running text
    (sebut X) would be dropped from it everywhere else."""
    for code in available_languages():
        lex = load_lexicon(code)
        assert not lex.headline_verbs & (lex.cue_verbs | lex.cue_short), code
