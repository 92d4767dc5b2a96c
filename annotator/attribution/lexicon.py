"""Per-language word lists for the rule attributor, read from JSON files in ``lexicons/``.

A new language is a new file ``lexicons/<code>.json`` with the same keys (see the
README section "Attributor lexicons"); nothing in the code names a language.

Each language is one ``Lexicon`` object, loaded once (``load_lexicon``): its words, and the
patterns and caches compiled from them (the cue scanner, the complementisers, the media and via
phrases, the passive agent, the age after a name, the role categories and the words that can be
no name), so that no stage keeps a module-level cache keyed by lexicon.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import regex

from annotator.attribution.cue_scanner import CueScanner, ascii_lowered, trie_pattern

_WORD = regex.compile(r"\p{L}+")
# a word of a name or a phrase: letters, marks and digits, joined by an apostrophe, hyphen, period or &
WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:[’'\-.&][\p{L}\p{M}\p{N}]+)*\.?")
# WORD on ASCII text, spelled for ``re`` (whose calls cost a third of ``regex``'s): there WORD's letters,
# marks and digits are the ASCII letters and digits, and ’ does not occur; listed, they are a class ``re``
# checks with one look-up in a table of 256 bits (as \w less _, a category test and more)
_ASCII_LETTER_OR_DIGIT = "[" + string.digits + string.ascii_letters + "]"
ASCII_WORD = _ASCII_LETTER_OR_DIGIT + r"+(?:['\-.&]" + _ASCII_LETTER_OR_DIGIT + r"+)*\.?"
_CACHE_KEPT = 200_000  # answers a lexicon keeps per cache: a long run over a huge vocabulary stays bounded


def _any(words: frozenset[str]) -> str:
    """A pattern matching any of ``words`` literally, the longest first; none matches nothing."""
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


@dataclass(frozen=True, eq=False)
class Lexicon:
    language: str
    name: str
    detect: frozenset[str]
    cue_short: frozenset[str]  # short cue verbs that take a clitic or an inverted subject: kata(nya) X
    cue_verbs: frozenset[str]  # subject + verb: X mengatakan, X said
    headline_verbs: frozenset[str]  # verbs that report only in a title-case headline: Rusia Akhirnya Akui …
    cue_passive: tuple[str, ...]  # passive frames: Hal itu diucapkan X; was quoted as saying
    cue_according: tuple[str, ...]  # menurut X / according to X
    cue_report_object: frozenset[str]  # X mengutip Y / citing Y: the quoted one is the object
    age_units: frozenset[str]  # a unit after an age in brackets: Ratna (47 tahun)
    complementisers: frozenset[str]
    clitics: tuple[str, ...]
    pronouns: dict[str, str]  # pronoun -> person / group / organization / pair (keduanya: the two named before)
    relatives: frozenset[str]  # relative pronouns among them, standing for the mention before (who)
    subject_adverbs: frozenset[str]
    stop_after_mention: frozenset[str]
    titles: frozenset[str]  # case-folded words of titles, ranks and job names
    role_connectors: frozenset[str]
    place_markers: frozenset[str]
    places: frozenset[str]
    caption_markers: frozenset[str]  # words opening a photo caption (Ilustrasi, Foto): its names do not speak
    capitals: dict[str, str]  # a capital standing for its country's government: Moskow -> Rusia
    place_category: str | None  # the role category of a speaker that is a place (a state: government)
    org_markers: frozenset[str]
    media_markers: frozenset[str]
    media_phrases: tuple[str, ...]
    anonymous: tuple[str, ...]
    anonymous_markers: tuple[str, ...]
    anonymous_heads: frozenset[str]  # first words of the anonymous phrases
    anonymous_nouns: tuple[str, ...]  # unnamed officials when a place follows: pejabat di Korea Selatan
    via_markers: tuple[str, ...]  # what introduces the outlet relaying a quote: dikutip dari, as reported by
    via_before_names: tuple[str, ...]  # the same, only with an outlet's name after it: via Twitter
    not_names: frozenset[str]
    honorifics: frozenset[str]
    prepositions: frozenset[str]  # di, dari, in, at: a capitalised word after one is a place or body
    abbreviations: frozenset[str]  # words whose period does not end a sentence (Mr., Sen., dr.)
    verb_prefixes: tuple[str, ...]  # lower-case words starting so are verbs (me-, ber-, di-)
    private_roles: frozenset[str]  # words of roles held by private people (warga, pedagang)
    negations: frozenset[str]  # a reporting verb right after one reports nothing (belum, not)
    clause_openers: frozenset[str]  # words opening a clause, before its subject (that, which, when)
    presenting: frozenset[str]  # phrases opening a sentence that presents its subject (Salah satunya adalah X)
    coordinators: frozenset[str]  # words joining a second verb to the first's subject (dan, and)
    conjunctions: frozenset[str]  # words joining two names into one pair of speakers (Putin dan Kim)
    passive_auxiliaries: frozenset[str]  # a reporting verb after one is passive (is backed by X)
    passive_agent: frozenset[str]  # the word before a passive verb's agent (is backed by X, diucapkan oleh X)
    complement_titles: frozenset[str]  # titles followed by their portfolio: Menteri Keuangan, Minister of
    determiners: frozenset[str]  # "the senator", "sang menteri": a title after one stands for a person
    role_opener_words: frozenset[str]  # words opening a role, no part of it: seorang, salah satu; the, one of
    role_opener_heads: frozenset[str]  # the first words of those openers (salah, one)
    title_markers: frozenset[str]  # words before a quoted title: bertajuk ”…”, titled "…"
    org_heads: frozenset[str]  # words heading an organisation's name: Fraksi Nasdem, Universitas Indonesia
    possessives: tuple[str, ...]  # endings of a possessor: Trump’s campaign speaks for him, as a body
    cue_nouns: frozenset[str]  # nouns reporting a clause after a possessor: Trump's claim that …
    possessive_pronouns: frozenset[str]  # his, her, their: a possessor standing for someone named before
    infinitive_markers: frozenset[str]  # what opens an infinitival clause (to): his decision to …
    contractions: frozenset[str]  # what follows the apostrophe of a contracted word: I'm, doesn't
    role_categories: tuple[tuple[str, frozenset[str]], ...]  # category -> words, first match wins
    common_affixes: tuple[tuple[str, str], ...]  # prefix+suffix of derived common words (pe-…-an)
    verb_inversion: bool  # "…," said X: a verb may come before its subject after a comma
    described_subjects: bool  # a subject described rather than named is a source (the fund predicted)
    # compiled from the words above, once per lexicon (see __post_init__)
    cues: CueScanner = field(init=False, repr=False)
    complementiser: regex.Pattern = field(init=False, repr=False)  # any complementiser, as a word
    # any media phrase (literal, case-folded): in ``re``, which searches literals twice as fast
    media_phrase: re.Pattern = field(init=False, repr=False)
    via_marker: re.Pattern = field(init=False, repr=False)  # any via marker (literal, case-folded text)
    agent: regex.Pattern = field(init=False, repr=False)  # a passive agent word after spaces
    cue_noun: regex.Pattern = field(init=False, repr=False)  # any cue noun, as a word
    cue_noun_letters: re.Pattern | None = field(init=False, repr=False)  # see cue_nouns_in
    age: regex.Pattern = field(init=False, repr=False)  # an age in brackets, its unit optional: (47), (47 tahun)
    contracted: regex.Pattern = field(init=False, repr=False)  # a word ending in a contraction: I'm, doesn't
    presenter: regex.Pattern = field(init=False, repr=False)  # a presenting phrase opening a sentence
    _role_categories_seen: dict[str, str | None] = field(init=False, repr=False)
    # role_categories for look-ups (see role_category): a marker word -> the index of its first
    # category; the phrases of several words, each with its category's index
    _role_marker_words: dict[str, int] = field(init=False, repr=False)
    _role_marker_phrases: tuple[tuple[str, int], ...] = field(init=False, repr=False)
    _not_a_name_words: dict[str, bool] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Compile what the stages match with, here and once, rather than in module caches."""
        def put(name: str, value: object) -> None:
            object.__setattr__(self, name, value)  # the lexicon is frozen; these are built with it

        verbs = self.cue_verbs | self.headline_verbs
        put("cues", CueScanner(self.cue_short, verbs, self.clitics, self.cue_passive, self.cue_according))
        complementisers = _any(self.complementisers)
        put("complementiser", regex.compile(rf"(?<!\p{{L}})(?:{complementisers})(?!\p{{L}})", regex.IGNORECASE))
        phrases = sorted(self.media_phrases, key=len, reverse=True)
        put("media_phrase", re.compile("|".join(re.escape(p) for p in phrases) or "(?!)"))
        put("via_marker", re.compile("|".join(re.escape(m) for m in self.via_markers) or "(?!)"))
        put("cue_noun", regex.compile(rf"(?<![\p{{L}}\-])(?:{_any(self.cue_nouns)})(?![\p{{L}}\-])", regex.IGNORECASE))
        letters_only = all(n.isascii() and n.isalpha() and n.islower() for n in self.cue_nouns)
        # the character before the letters is matched too (no ASCII letter, which ``cue_noun`` refuses
        # there): a pattern opening with a class skips the positions inside words; written as the ASCII
        # letters negated, the class is two range checks (as \W\d_ in re.ASCII, category tests)
        letters = re.compile("[^" + string.ascii_letters + "](?:" + trie_pattern(self.cue_nouns) + ")")
        put("cue_noun_letters", letters if letters_only else None)
        put("agent", regex.compile(rf"\s{{1,2}}(?:{_any(self.passive_agent)})\b"))
        put("age", regex.compile(rf"[ \t]*\(\d{{1,3}}(?:\s*(?:{_any(self.age_units)}))?\)"))
        put("contracted", regex.compile(rf"[’'](?:{_any(self.contractions)})$"))
        put("presenter", regex.compile(rf"[\s\"“”]*(?:{_any(self.presenting)})[ \t]+", regex.IGNORECASE))
        put("_role_categories_seen", {})
        marker_words: dict[str, int] = {}
        marker_phrases: list[tuple[str, int]] = []
        for index, (_, markers) in enumerate(self.role_categories):
            for marker in markers:
                if " " in marker:
                    marker_phrases.append((marker, index))
                else:
                    marker_words.setdefault(marker, index)
        put("_role_marker_words", marker_words)
        put("_role_marker_phrases", tuple(marker_phrases))
        put("_not_a_name_words", {})

    def age_at(self, text: str, pos: int, endpos: int | None = None) -> regex.Match | None:
        """``age`` matched at ``pos``: most names are followed by no bracket, which rules the
        pattern out before it is tried."""
        endpos = len(text) if endpos is None else endpos
        i = pos
        while i < endpos and text[i] in " \t":
            i += 1
        if i >= endpos or text[i] != "(":
            return None
        return self.age.match(text, pos, endpos)

    def cue_nouns_in(self, text: str):
        """The matches of ``cue_noun`` in ``text``, in order. A case-insensitive scan of every
        character costs more than all else the nominal cue does, so where it can, ``cue_noun`` runs
        only where a cue noun's letters stand in the lower-cased text (``ascii_lowered``), when every
        cue noun is lower-case ASCII letters: then no letters found before a match run into it. The
        lower-cased text is read from a space put before it, which stands for what precedes its start."""
        if not self.cue_nouns:
            return
        lowered = ascii_lowered(text) if self.cue_noun_letters is not None else None
        if lowered is None:
            yield from self.cue_noun.finditer(text)
            return
        for letters in self.cue_noun_letters.finditer(" " + lowered):
            noun = self.cue_noun.match(text, letters.start())  # past the character before, less the space
            if noun is not None:
                yield noun

    def role_category(self, role: str) -> str | None:
        """The category of the longest word or phrase of ``role_categories`` in ``role`` (the most
        specific: *kantor berita milik pemerintah* is media, not government; *pemimpin redaksi* media,
        not the *pemimpin* of a state), the first category on a tie; roles repeat across documents, so
        the answer is kept."""
        seen = self._role_categories_seen
        if role in seen:
            return seen[role]
        if len(seen) > _CACHE_KEPT:
            seen.clear()
        # the role's words are looked up rather than every marker tried: the best match is the
        # longest, then the one of the first category
        best: tuple[int, int] | None = None  # (length, -index of its category)
        for word in {w.casefold() for w in WORD.findall(role)}:
            index = self._role_marker_words.get(word)
            if index is not None and (best is None or (len(word), -index) > best):
                best = (len(word), -index)
        padded = f" {' '.join(role.casefold().split())} "
        for phrase, index in self._role_marker_phrases:
            if (best is None or (len(phrase), -index) > best) and f" {phrase} " in padded:
                best = (len(phrase), -index)
        found = None if best is None else self.role_categories[-best[1]][0]
        seen[role] = found
        return found

    def not_a_name(self, word: str, fold: str) -> bool:
        """Whether ``word`` (case-folded: ``fold``) is ruled out as part of a personal name by its own
        letters, whatever the text around it; words recur across documents, so the answer is kept."""
        seen = self._not_a_name_words
        ruled_out = seen.get(word)
        if ruled_out is None:
            if len(seen) > _CACHE_KEPT:
                seen.clear()
            ruled_out = seen[word] = self._rules_out_as_name(word, fold)
        return ruled_out

    def _rules_out_as_name(self, word: str, fold: str) -> bool:
        if not word[:1].isupper() or any(c.isdigit() for c in word):
            return True
        if fold in self.titles or fold in self.org_markers:
            return True
        if word in self.places or word.rstrip(".") in self.places:
            return True
        if len(word) >= 7 and any(fold.endswith(c) for c in self.clitics):
            return True  # Harusnya, Sembuhnya: a word with a clitic is no name
        if len(word) >= 9 and any(fold.startswith(pre) and fold.endswith(suf) for pre, suf in self.common_affixes):
            return True  # Perekonomian, Penanggulangan: a derived common word
        return False

    @classmethod
    def from_json(cls, data: dict) -> Lexicon:
        """The lexicon of a language file's decoded JSON, read once so that matching never folds case again.

        A missing key is an empty list. Words are case-folded here; entries matched as
        phrases keep their words together and are sorted longest first, so the longest
        phrase wins; media markers split into single words and phrases.
        """
        def words(key: str) -> frozenset[str]:
            out: set[str] = set()
            for entry in data.get(key, []):
                out.update(w.casefold() for w in entry.split())
            return frozenset(out)

        def folded(key: str) -> frozenset[str]:
            return frozenset(entry.casefold() for entry in data.get(key, []))

        def phrases(key: str) -> tuple[str, ...]:
            items = {" ".join(p.casefold().split()) for p in data.get(key, [])}
            return tuple(sorted(items, key=len, reverse=True))

        media = data.get("media_markers", [])
        return cls(
            language=data["language"],
            name=data.get("name", data["language"]),
            detect=folded("detect"),
            cue_short=folded("cue_short"),
            cue_verbs=folded("cue_verbs"),
            headline_verbs=folded("headline_verbs"),
            cue_passive=phrases("cue_passive"),
            cue_according=phrases("cue_according"),
            cue_report_object=folded("cue_report_object"),
            age_units=folded("age_units"),
            complementisers=folded("complementisers"),
            clitics=tuple(data.get("clitics", [])),
            pronouns={k.casefold(): v for k, v in data.get("pronouns", {}).items()},
            relatives=folded("relatives"),
            subject_adverbs=words("subject_adverbs"),
            stop_after_mention=folded("stop_after_mention"),
            titles=words("titles"),
            role_connectors=folded("role_connectors"),
            place_markers=folded("place_markers"),
            places=frozenset(data.get("places", [])),
            caption_markers=frozenset(data.get("caption_markers", [])),
            capitals=dict(data.get("capitals", {})),
            place_category=data.get("place_category"),
            org_markers=words("org_markers"),
            media_markers=frozenset(m.casefold() for m in media if " " not in m),
            media_phrases=tuple(
                sorted({" ".join(m.casefold().split()) for m in media if " " in m}, key=len, reverse=True)
            ),
            anonymous=phrases("anonymous"),
            anonymous_markers=phrases("anonymous_markers"),
            anonymous_heads=frozenset(p.split()[0] for p in phrases("anonymous")),
            anonymous_nouns=phrases("anonymous_nouns"),
            via_markers=phrases("via_markers"),
            via_before_names=phrases("via_before_names"),
            not_names=frozenset(data.get("not_names", [])),
            honorifics=frozenset(data.get("honorifics", [])),
            prepositions=folded("prepositions"),
            abbreviations=frozenset(data.get("abbreviations", [])),
            verb_prefixes=tuple(data.get("verb_prefixes", [])),
            private_roles=words("private_roles"),
            negations=folded("negations"),
            clause_openers=folded("clause_openers"),
            presenting=folded("presenting"),
            coordinators=folded("coordinators"),
            conjunctions=folded("conjunctions"),
            passive_auxiliaries=folded("passive_auxiliaries"),
            passive_agent=folded("passive_agent"),
            complement_titles=folded("complement_titles"),
            determiners=folded("determiners"),
            role_opener_words=words("role_openers"),
            role_opener_heads=frozenset(p.split()[0] for p in phrases("role_openers")),
            title_markers=folded("title_markers"),
            org_heads=folded("org_heads"),
            possessives=tuple(w.casefold() for w in data.get("possessives", [])),
            cue_nouns=folded("cue_nouns"),
            possessive_pronouns=folded("possessive_pronouns"),
            infinitive_markers=folded("infinitive_markers"),
            contractions=folded("contractions"),
            role_categories=tuple(
                (category, frozenset(w.casefold() for w in words))
                for category, words in data.get("role_categories", {}).items()
            ),
            common_affixes=tuple((a.casefold(), b.casefold()) for a, b in data.get("common_affixes", [])),
            verb_inversion=bool(data.get("verb_inversion", False)),
            described_subjects=bool(data.get("described_subjects", False)),
        )


def available_languages() -> list[str]:
    folder = resources.files("annotator.attribution") / "lexicons"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))


@cache
def load_lexicon(language: str) -> Lexicon:
    """The lexicon of ``language`` (a code such as ``id`` or ``en``); KeyError if there is none.

    Kept: one object per language, so its compiled patterns and caches are built once.
    """
    path = resources.files("annotator.attribution") / "lexicons" / f"{language}.json"
    if not path.is_file():
        raise KeyError(
            f"no attributor lexicon for language {language!r} "
            f"(available: {', '.join(available_languages())})"
        )
    data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=reject_repeated_keys(path.name))
    return Lexicon.from_json(data)


def reject_repeated_keys(name: str):
    """A JSON object hook refusing a key written twice: json keeps the last silently, so a list a
    linguist added further down would replace the one above without a word."""
    def hook(pairs: list[tuple[str, object]]) -> dict:
        seen: dict[str, object] = {}
        for key, value in pairs:
            if key in seen:
                raise ValueError(f"lexicon {name}: key {key!r} is written twice")
            seen[key] = value
        return seen

    return hook


def detect_language(text: str, default: str = "en") -> str:
    """The lexicon language whose common words are most frequent in the first part of ``text``."""
    sample = [w.casefold() for w in _WORD.findall(text[:5000])]
    best, best_score = default, 0
    for lang in available_languages():
        words = load_lexicon(lang).detect
        score = sum(1 for w in sample if w in words)
        if score > best_score:
            best, best_score = lang, score
    return best
