"""A document's words as the mention parser reads them, and what the whole text says about a word.

The parser reads the same words many times over (every cue tries its readings forward and
back), so each word is read once and kept by where it starts or ends. Whether a capitalised word
is a name depends on the rest of the text: is it also written in lower case (kesehatan), does it
follow a preposition or a place word (di Jepara, Kota Bitung), does it end another name
(Kementerian Keuangan)? Each answer is found once per document and kept.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache

import regex

from annotator.attribution.lexicon import ASCII_WORD, WORD, Lexicon

__all__ = ["CLAUSE_STOP", "Token", "Words", "is_acronym", "is_cap"]
# what ends a clause: punctuation, a line break, a quotation mark
CLAUSE_STOP = regex.compile(r"[,.;:\n“”\"]")
# spaces, then a word (the word is group 1): one match instead of two
_SPACED_WORD = regex.compile(r"[ \t\u00a0]*(" + WORD.pattern + ")")
# The same for a word of ASCII letters and digits, in ``re``, whose calls cost a third of
# ``regex``'s: where the character after it is ASCII and could not go on a word (_ENDS_WORD),
# _SPACED_WORD finds the same word (see Words.word_at). Else group 2 holds the ASCII character
# after the spaces (or the limit), which opens no word for _SPACED_WORD either.
_ASCII_SPACED_WORD = re.compile(r"[ \t\u00a0]*+(?:(" + ASCII_WORD + r")|([\x00-\x7f]|\Z))", re.ASCII)
_ENDS_WORD = frozenset(map(chr, range(128))) - frozenset(string.ascii_letters + string.digits + "'-.&")
# A capitalised word after another (or a number), and the word after it: one pass, lookarounds.
_CAP_PAIR = regex.compile(
    r"(?<=\b([\p{Lu}\p{N}][\p{L}\p{M}\p{N}\-]*)[ \t]+)(\p{Lu}[\p{L}\p{M}\-]*)(?=(?:[ \t]+([\p{L}\p{M}\-]+))?)"
)
# ASCII characters that continue the capitalised word of _CAP_PAIR and _AFTER_WORD (see _matches_of)
_WORD_GOES_ON = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")
# A capitalised word with the word before it (one pass; the lookbehind captures).
_AFTER_WORD = regex.compile(r"(?<=\b(\p{L}+)[ \t]+)(\p{Lu}[\p{L}\p{M}\-]*)")

# words searched for one by one before the text's runs of letters are collected at once: collecting them
# costs about a hundred searches of the text (80 to 115 measured on dev articles of 4,000 to 22,000 characters)
_WORDS_SEARCHED = 100
# \w less digits and "_": letters, and the few numeric characters that are not decimal digits (²)
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(slots=True)
class Token:
    """One word of the text: where it stands, as written, and case-folded for the lexicon."""

    start: int
    end: int
    text: str
    fold: str


def _letter_runs(text: str) -> set[str]:
    """Every maximal run of letters (``str.isalpha``) in ``text``."""
    runs = set(_LETTERS.findall(text))
    if "".join(runs).isalpha():
        return runs  # all letters (most texts): one test in C, not one a run
    for run in [r for r in runs if not r.isalpha()]:  # rare: split at the numeric characters
        runs.discard(run)
        runs.update("".join(c if c.isalpha() else " " for c in run).split())
    return runs


def is_cap(word: str) -> bool:
    return word[:1].isupper()


@lru_cache(maxsize=1 << 16)
def is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


class Words:
    """The words of one document with one lexicon, each read once."""

    def __init__(self, text: str, lex: Lexicon):
        self.text = text
        self.lex = lex
        self._lower: dict[str, bool] = {}
        self._letter_runs: set[str] | None = None
        self._not_given: dict[str, bool] = {}
        self._followers: dict[str, set[str]] = {}
        self._words_at: dict[int, Token] = {}
        self._words_before: dict[int, tuple[int, Token | None]] = {}
        self._occurrences: dict[str, list[int]] = {}
        self._cue_words: set[int] = set()  # capitalised words read as cues (a headline's Says)

    def mark_cue_word(self, pos: int) -> None:
        """The capitalised word at ``pos`` is a cue (Lindsey Graham Says, in a title-case
        headline), so no name runs on over it."""
        self._cue_words.add(pos)

    def is_cue_word(self, pos: int) -> bool:
        return pos in self._cue_words

    def written_lower(self, fold: str) -> bool:
        """Whether the document also writes this word in lower case (kesehatan): then it is no name.

        That is, whether ``fold`` stands in the text with no letter either side. The first
        words asked about are searched for; past _WORDS_SEARCHED, a word of letters only is
        looked up among the text's runs of letters, all collected in one scan (a search per
        word would read the text once per name, thousands of times in a long text).
        """
        known = self._lower.get(fold)
        if known is None and fold.isalpha() and len(self._lower) >= _WORDS_SEARCHED:
            if self._letter_runs is None:
                self._letter_runs = _letter_runs(self.text)
            known = self._lower[fold] = fold in self._letter_runs
        if known is None:
            text, n, i = self.text, len(fold), self.text.find(fold)
            known = False
            while i >= 0:
                before = text[i - 1] if i else " "
                after = text[i + n] if i + n < len(text) else " "
                if not before.isalpha() and not after.isalpha():
                    known = True
                    break
                i = text.find(fold, i + 1)
            self._lower[fold] = known
        return known

    def tail_elsewhere(self, word: str, nxt: str) -> bool:
        """Whether ``word`` ends another proper name elsewhere (Kementerian Keuangan, Kota Bitung)."""
        seen = self._followers.get(word)
        if seen is None:
            # the words after each place where ``word`` follows another capitalised word
            seen = set()
            text = self.text
            for m in self._matches_of(_CAP_PAIR, word, 2):
                before = text[max(0, m.start(1) - 3) : m.start(1)].rstrip(" \t")
                if not before or before[-1] in ".!?\n\"“”:" or m.group(1) in self.lex.not_names:
                    continue  # a sentence opens with any capitalised word; Menurut Aris
                seen.add(m.group(3) or "")
            self._followers[word] = seen
        return any(f != nxt for f in seen)

    def not_given(self, word: str) -> bool:
        """Whether the text uses a capitalised word as a place or body: after di, Kota, Fraksi …"""
        known = self._not_given.get(word)
        if known is None:
            # a capitalised word after a preposition, a place word or the head of an
            # organisation's name (di Jepara, Kota Bitung, Fraksi Nasdem) is a place or a body
            lex = self.lex
            lead = lex.place_markers | lex.prepositions | lex.org_heads
            known = any(m.group(1).casefold() in lead for m in self._matches_of(_AFTER_WORD, word, 2))
            self._not_given[word] = known
        return known

    def _matches_of(self, pattern: regex.Pattern, word: str, group: int):
        """The matches of ``pattern`` whose ``group`` is exactly ``word``, as a scan of the whole
        text would find them (for these patterns the group is the whole match and only their
        look-arounds read the text around it, so matches never overlap). Both patterns want a
        space or tab right before the word and no letter or hyphen right after it, so an
        occurrence that fails on ASCII there (a sentence's first word, the start of a longer word)
        is passed over without trying the pattern."""
        text = self.text
        n = len(word)
        for i in self.occurrences(word):
            if i == 0 or text[i - 1] not in " \t" or text[i + n : i + n + 1] in _WORD_GOES_ON:
                continue
            m = pattern.match(text, i)
            if m is not None and m.end(group) == i + len(word) and m.start(group) == i:
                yield m

    def occurrences(self, word: str) -> list[int]:
        """Where ``word`` stands in the text, in order, inside longer words too. Kept by word: each
        search reads the whole text, and the same capitalised words are sought again and again (the
        words of a name by ``not_given`` and ``tail_elsewhere``, and by the entities for where they
        are named: four searches in ten were for a word sought before)."""
        found = self._occurrences.get(word)
        if found is None:
            text, found = self.text, []
            i = text.find(word) if word else -1
            while i >= 0:
                found.append(i)
                i = text.find(word, i + 1)
            self._occurrences[word] = found
        return found

    def word_at(self, pos: int, limit: int) -> Token | None:
        """The word starting at ``pos`` (past spaces), ending by ``limit``."""
        tok = self._words_at.get(pos)
        if tok is not None and tok.end <= limit:
            return tok  # the same word, read before (most words are read several times)
        text = self.text
        w = _ASCII_SPACED_WORD.match(text, pos, limit)
        if w is not None and w.start(1) < 0:
            return None  # punctuation (or the limit) after the spaces: no word
        if w is None or (w.end() < limit and text[w.end() : w.end() + 1] not in _ENDS_WORD):
            # a word with other letters, or one that goes on past its ASCII letters: José, Trump’s
            w = _SPACED_WORD.match(text, pos, limit)
            if not w:
                return None
        tok = self._word_token(w)
        if w.end() < limit:  # not cut short by the limit: the same word for any limit past it
            self._words_at[pos] = tok
        return tok

    def _word_token(self, w: regex.Match) -> Token:
        s, e = w.span(1)
        word = w.group(1)
        if word.endswith("."):
            core = word[:-1]
            # keep the period only on initials and abbreviations (Sen., Dr., U.S.)
            short_title = core.casefold() in self.lex.titles and len(core) <= 4
            if not (len(core) == 1 or "." in core or core in self.lex.honorifics or short_title):
                e -= 1
                word = core
        return Token(s, e, word, word.casefold())

    def word_before(self, pos: int, floor: int, parens: bool = False) -> Token | None:
        """The word ending before ``pos`` (past spaces and, with ``parens``, brackets), starting
        above ``floor``."""
        if parens:
            text = self.text
            while pos > floor and text[pos - 1] in " \t\u00a0()":
                pos -= 1
        known = self._words_before.get(pos)
        if known is not None and floor < known[0]:
            return known[1]  # read before, and that read stopped above this floor
        text = self.text
        p = pos
        while p > floor and text[p - 1] in " \t\u00a0":
            p -= 1
        q = p
        while q > floor:
            c = text[q - 1]
            if not (c.isalnum() or c in "’'-.&"):
                break
            q -= 1
        tok = self._word_ending(q, p) if p > floor else None
        if q > floor:  # stopped by the text, not by the floor: the same answer for any lower floor
            self._words_before[pos] = (q, tok)
        return tok

    def _word_ending(self, q: int, p: int) -> Token | None:
        text = self.text
        while q < p and not text[q].isalnum():
            q += 1
        if q >= p:
            return None
        word = text[q:p]
        e = p
        if word.endswith(".") and not (len(word) == 2 or word[:-1] in self.lex.honorifics or "." in word[:-1]):
            word = word[:-1]
            e -= 1
        return Token(q, e, word, word.casefold())

    def accept(self, tok: Token, inside: bool = False) -> str | None:
        """How a word can take part in a mention run: 'cap', 'title', 'conn', or None.

        ``inside``: the word continues a run already begun, where a capitalised
        word that never opens a name (Lalu in Satuan Lalu Lintas) is still part of it.
        """
        if tok.start in self._cue_words:
            return None
        if tok.fold in self.lex.titles:
            return "title"
        if tok.text.isdigit() and inside:
            return "conn"  # Daop 8 Surabaya
        if is_cap(tok.text):
            if tok.text in self.lex.not_names and tok.fold not in self.lex.titles and not inside:
                return None
            return "cap"
        if tok.fold in self.lex.role_connectors or tok.fold in self.lex.org_markers:
            return "conn"
        return None

    def accept_in_run(self, tok: Token, begun: bool, limit: int) -> str | None:
        """``accept`` for the next word of a run read forward: inside the run when one has
        begun and a name or title word follows (read only when the answer depends on it)."""
        lex = self.lex
        fold = tok.fold
        if tok.start in self._cue_words:
            return None
        if fold in lex.titles:
            return "title"
        word = tok.text
        if word.isdigit():
            if begun and self.next_is_cap_or_title(tok.end, limit):
                return "conn"  # Daop 8 Surabaya
        elif is_cap(word):
            if word in lex.not_names and not (begun and self.next_is_cap_or_title(tok.end, limit)):
                return None
            return "cap"
        if fold in lex.role_connectors or fold in lex.org_markers:
            return "conn"
        return None

    def next_is_cap(self, pos: int, limit: int) -> bool:
        tok = self.word_at(pos, limit)
        return tok is not None and is_cap(tok.text) and not self.text[pos:tok.start].strip()

    def next_is_cap_or_title(self, pos: int, limit: int) -> bool:
        tok = self.word_at(pos, limit)
        return (
            tok is not None
            and not self.text[pos:tok.start].strip()
            and (is_cap(tok.text) or tok.fold in self.lex.titles)
        )
