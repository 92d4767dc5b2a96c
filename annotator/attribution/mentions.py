"""Speaker mentions: name phrases around reporting words, split into role and name.

A mention is a run of words that can belong to a name or a title ("Presiden
Ukraina Volodymyr Zelenskyy", "juru bicara kepresidenan Ukraina Serhii
Nykyforov", "Departemen Luar Negeri"), a pronoun, a clitic (-nya) or an
anonymous source ("seorang pejabat senior AS yang tidak disebutkan namanya").
The name is the trailing words that look like a personal name; what comes
before it is the role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import regex

from annotator.attribution.lexicon import WORD, Lexicon

__all__ = ["WORD", "Mention", "MentionParser"]
# spaces, then a word (the word is group 1): one match instead of two
_SPACED_WORD = regex.compile(r"[ \t\u00a0]*(" + WORD.pattern + ")")
_AGE = regex.compile(r"\s*\(\d{1,3}\)")
# A capitalised word after another (or a number), and the word after it: one pass, lookarounds.
_CAP_PAIR = regex.compile(
    r"(?<=\b([\p{Lu}\p{N}][\p{L}\p{M}\p{N}\-]*)[ \t]+)(\p{Lu}[\p{L}\p{M}\-]*)(?=(?:[ \t]+([\p{L}\p{M}\-]+))?)"
)
_COMMA = regex.compile(r",[ \t]*")
# "Kamis (5/11/2020)", "Senin pagi", "(12/12/2020)": when, between a subject and its verb
_DATE_ADJUNCT = regex.compile(
    r"(?:\p{Lu}\p{Ll}+(?:[ \t]+\p{Ll}+)?[ \t]*)?\(\d{1,2}/\d{1,2}(?:/\d{2,4})?\)$"
    r"|\d{1,2}[ \t]+\p{Lu}\p{Ll}+(?:[ \t]+\d{4})?$"
)
_APPOSITION = regex.compile(r",[ \t]*([^,.;:\n“”\"]{3,140})(?:,|\.|;|$)")
# ", Hukum, dan " / ", Kebudayaan, Riset, dan ": more capitalised items, then a conjunction
_LISTED = regex.compile(
    r"(?:,[ \t]+\p{Lu}[\p{L}\-]*(?:[ \t]+\p{Lu}[\p{L}\-]*){0,2}){1,4},?[ \t]+(\p{Ll}+)[ \t]+(?=\p{Lu})"
)
_CLAUSE_STOP = regex.compile(r"[,.;:\n“”\"]")
_PAREN = regex.compile(r"\s*\([^()\n]{1,40}\)")


# ASCII characters that continue the capitalised word of _CAP_PAIR and _AFTER_WORD (see _matches_of)
_WORD_GOES_ON = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")
# A capitalised word with the word before it (one pass; the lookbehind captures).
_AFTER_WORD = regex.compile(r"(?<=\b(\p{L}+)[ \t]+)(\p{Lu}[\p{L}\p{M}\-]*)")


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    kind: str  # person, organization, media, anonymous, pronoun, clitic, unknown
    name_start: int = -1  # the name part of the run, when there is one
    name_end: int = -1
    role: str | None = None
    antecedent: Mention | None = None  # what a relative pronoun stands for: "Mr. Kamin, who"

    @property
    def has_name(self) -> bool:
        return self.name_start >= 0


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    fold: str


_WORDS_SEARCHED = 24  # words searched for one by one before the text's words are collected at once
# \w less digits and "_": letters, and the few numeric characters that are not decimal digits (²)
_LETTERS = re.compile(r"[^\W\d_]+")


def _letter_runs(text: str) -> set[str]:
    """Every maximal run of letters (``str.isalpha``) in ``text``."""
    runs = set(_LETTERS.findall(text))
    for run in [r for r in runs if not r.isalpha()]:  # rare: split at the numeric characters
        runs.discard(run)
        runs.update("".join(c if c.isalpha() else " " for c in run).split())
    return runs


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


@lru_cache(maxsize=1 << 16)
def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


class MentionParser:
    """Reads mentions in one document with one lexicon."""

    def __init__(self, text: str, lex: Lexicon):
        self.text = text
        self.lex = lex
        self._lower: dict[str, bool] = {}
        self._letter_runs: set[str] | None = None
        self._not_given: dict[str, bool] = {}
        self._followers: dict[str, set[str]] = {}
        self._forward_memo: dict[tuple[int, int], Mention | None] = {}
        self._words_at: dict[int, _Tok] = {}
        self._words_before: dict[int, tuple[int, _Tok | None]] = {}
        self._anonymous_ends = lex.anonymous_markers + lex.anonymous  # what ends an anonymous source
        self._cue_words: set[int] = set()  # capitalised words read as cues (a headline's Says)

    def mark_cue_word(self, pos: int) -> None:
        """The capitalised word at ``pos`` is a cue (Lindsey Graham Says, in a title-case
        headline), so no name runs on over it."""
        self._cue_words.add(pos)
        self._forward_memo.clear()

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

    def _tail_elsewhere(self, word: str, nxt: str) -> bool:
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
        i = text.find(word) if word else -1
        while i >= 0:
            if i == 0 or text[i - 1] not in " \t" or text[i + n : i + n + 1] in _WORD_GOES_ON:
                i = text.find(word, i + 1)
                continue
            m = pattern.match(text, i)
            if m is not None and m.end(group) == i + len(word) and m.start(group) == i:
                yield m
            i = text.find(word, i + 1)

    # ---- word-level helpers -------------------------------------------------
    def word_at(self, pos: int, limit: int) -> _Tok | None:
        """The word starting at ``pos`` (past spaces), ending by ``limit``."""
        return self._word_at(pos, limit)

    def _word_at(self, pos: int, limit: int) -> _Tok | None:
        tok = self._words_at.get(pos)
        if tok is not None and tok.end <= limit:
            return tok  # the same word, read before (most words are read several times)
        w = _SPACED_WORD.match(self.text, pos, limit)
        if not w:
            return None
        tok = self._word_token(w)
        if w.end() < limit:  # not cut short by the limit: the same word for any limit past it
            self._words_at[pos] = tok
        return tok

    def _word_token(self, w: regex.Match) -> _Tok:
        s, e = w.span(1)
        word = w.group(1)
        if word.endswith("."):
            core = word[:-1]
            # keep the period only on initials and abbreviations (Sen., Dr., U.S.)
            short_title = core.casefold() in self.lex.titles and len(core) <= 4
            if not (len(core) == 1 or "." in core or core in self.lex.honorifics or short_title):
                e -= 1
                word = core
        return _Tok(s, e, word, word.casefold())

    def word_before(self, pos: int, floor: int, parens: bool = False) -> _Tok | None:
        """The word ending before ``pos`` (past spaces and, with ``parens``, brackets)."""
        skip = " \t\u00a0()" if parens else " \t\u00a0"
        p = pos
        while p > floor and self.text[p - 1] in skip:
            p -= 1
        return self._word_before(p, floor)

    def _word_before(self, pos: int, floor: int) -> _Tok | None:
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

    def _word_ending(self, q: int, p: int) -> _Tok | None:
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
        return _Tok(q, e, word, word.casefold())

    def accept(self, tok: _Tok, inside: bool = False) -> str | None:
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
        if _is_cap(tok.text):
            if tok.text in self.lex.not_names and tok.fold not in self.lex.titles and not inside:
                return None
            return "cap"
        if tok.fold in self.lex.role_connectors or tok.fold in self.lex.org_markers:
            return "conn"
        return None

    def _accept_in_run(self, tok: _Tok, begun: bool, limit: int) -> str | None:
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
            if begun and self._next_is_cap_or_title(tok.end, limit):
                return "conn"  # Daop 8 Surabaya
        elif _is_cap(word):
            if word in lex.not_names and not (begun and self._next_is_cap_or_title(tok.end, limit)):
                return None
            return "cap"
        if fold in lex.role_connectors or fold in lex.org_markers:
            return "conn"
        return None

    # ---- runs -----------------------------------------------------------------
    def forward(self, pos: int, limit: int) -> Mention | None:
        """The mention starting at ``pos`` (after a cue: kata X, said X, menurut X)."""
        key = (pos, limit)
        if key not in self._forward_memo:
            self._forward_memo[key] = self._forward(pos, limit)
        f = self._forward_memo[key]
        # callers may adjust their copy
        return None if f is None else Mention(f.start, f.end, f.kind, f.name_start, f.name_end, f.role)

    def _forward(self, pos: int, limit: int) -> Mention | None:
        """The uncached reading behind ``forward``: one function, because the name, its title and an
        apposition are only known together.

        A pronoun or an anonymous source ends it at once; otherwise a run of capitalised words
        and titles is read (a portfolio listed with commas, an acronym in brackets) and
        classified, and a title standing apart from its name by a comma ("Kepala Staf …,
        Valery Gerasimov,") becomes the role of the person named after it.
        """
        text = self.text
        first = self._word_at(pos, limit)
        if first is None:
            return None
        kind = self.lex.pronouns.get(first.fold)
        if kind is not None:
            return Mention(first.start, first.end, "pronoun")
        anon = self._anonymous_at(first.start, limit) if first.fold in self.lex.anonymous_heads else None
        if anon is not None:
            return anon
        if self.accept(first) != "cap" and first.fold not in self.lex.titles:
            return None
        if not _is_cap(first.text) and (
            first.fold in self.lex.stop_after_mention or first.fold in self.lex.prepositions
        ):
            return None  # "said of Mrs. Clinton's plan": a preposition opens no mention, even one in a title
        toks: list[_Tok] = []
        portfolio = 0  # words of the run that belong to the title whatever they look like
        p = first.start
        while len(toks) < 16:
            tok = self._word_at(p, limit)
            if tok is None and toks and text.startswith(",", p):
                # "Menteri Koordinator Bidang Politik, Hukum, dan Keamanan Mahfud MD": a title's
                # portfolio listed with commas goes on to its last item
                listed = self._listed_portfolio(p, limit, toks)
                if listed is not None:
                    p = listed
                    portfolio = len(toks) + 1  # the list's last item belongs to the title too
                    continue
            if tok is None:
                break
            if tok.fold in self.lex.stop_after_mention and toks and (
                not (tok.fold in self.lex.role_connectors and self._next_is_cap(tok.end, limit))
                or self._name_like(toks[-1], toks, len(toks) - 1)
            ):
                break
            how = self._accept_in_run(tok, bool(toks), limit)
            if how is None:
                break
            if how == "conn" and not self._next_is_cap_or_title(tok.end, limit):
                break
            toks.append(tok)
            p = tok.end
            q = p
            while q < limit and text[q] == " ":
                q += 1
            # only a bracket (or more white space) can start one: skip the match before a word
            paren = _PAREN.match(text, p, limit) if q < limit and not text[q].isalnum() else None
            if paren and not _AGE.match(text, p, limit):
                inner = text[paren.start():paren.end()].strip()[1:-1]
                if inner and (_is_acronym(inner) or inner[:1].isupper()):
                    opening = paren.start() + len(paren.group()) - len(paren.group().lstrip())
                    toks.append(_Tok(opening, paren.end(), "(" + inner + ")", "(" + inner.casefold() + ")"))
                    p = paren.end()
        while toks and toks[-1].fold in self.lex.role_connectors and not _is_cap(toks[-1].text):
            toks.pop()
        if not toks or not any(_is_cap(t.text) or t.fold in self.lex.titles for t in toks):
            return None
        mention = self._classify(toks, portfolio)
        if mention is not None and mention.kind == "person" and mention.has_name and mention.role:
            # "Ketua KPUD Muna, Kubais," / "peneliti senior Centropolis, Suryono Herlambang,"
            comma = _COMMA.match(text, mention.end, min(len(text), mention.end + 3))
            if comma and " " not in text[mention.name_start : mention.name_end].strip():
                named = self.forward(comma.end(), limit)
                if (
                    named is not None and named.has_name and named.kind == "person" and named.role is None
                    and self._closes_apposition(named.end, limit)
                ):
                    named.role = text[mention.start : mention.end]
                    named.start = mention.start
                    return named
        if mention is not None and not mention.has_name and mention.kind in ("person", "organization"):
            # "Kepala Staf Umum Angkatan Bersenjata Rusia, Valery Gerasimov,": the name in apposition
            comma = _COMMA.match(text, mention.end, min(len(text), mention.end + 3))
            if comma and any(t.fold in self.lex.titles for t in toks):
                named = self.forward(comma.end(), limit)
                if named is not None and named.has_name and named.kind == "person" and named.role is None:
                    named.role = text[mention.start : mention.end]
                    named.start = mention.start
                    return named
        if (
            mention is not None and mention.kind == "person" and (mention.role or not mention.has_name)
            and any(t.fold in self.lex.titles for t in toks)
        ):
            named = self._named_after_role(mention, limit)
            if named is not None:
                return named
        return mention

    def _listed_portfolio(self, pos: int, limit: int, toks: list[_Tok]) -> int | None:
        """Where the last item of a list of capitalised words starts (", Hukum, dan Keamanan"),
        when ``toks`` so far are a title and its first capitalised item."""
        lex = self.lex
        if not _is_cap(toks[-1].text) or not any(t.fold in lex.titles for t in toks):
            return None
        m = _LISTED.match(self.text, pos, limit)
        if m is None or m.group(1).casefold() not in lex.role_connectors:
            return None
        return m.end()

    def _named_after_role(self, mention: Mention, limit: int) -> Mention | None:
        """The person a title phrase introduces further on, past the rest of its role:
        "ahli epidemiologi Universitas Airlangga, Windhu Purnomo," (lower-case words of the
        role) or "Kepala Dusun X, Kelurahan Y, Kecamatan Z, Wahyu Wibowo" (its places)."""
        text, lex = self.text, self.lex
        pos = mention.end
        places = 0
        if not mention.has_name:
            # lower-case words that carry the role on up to a comma
            stop = _CLAUSE_STOP.search(text, pos, min(limit, pos + 100))
            if stop is None or text[stop.start()] != ",":
                return None
            words = WORD.findall(text, pos, stop.start())
            if text[pos : stop.start()].strip(" \t()") and not all(self._role_word(w) for w in words):
                return None
            pos = stop.start()
        elif " " in text[mention.name_start : mention.name_end].strip():
            first = text[mention.name_start : mention.name_end].split()[0]
            if first.casefold() not in lex.place_markers and first not in lex.places:
                return None  # a full name already: "Presiden Joko Widodo, Jakarta, …"
        for _ in range(4):
            comma = _COMMA.match(text, pos, min(limit, pos + 3))
            if not comma:
                return None
            segment = _CLAUSE_STOP.search(text, comma.end(), min(limit, comma.end() + 60))
            seg_end = segment.start() if segment is not None else min(limit, comma.end() + 60)
            words = text[comma.end() : seg_end].split()
            if words and (
                (len(words) <= 4 and self._place_words(words)) or (len(words) <= 6 and self._body_words(words))
            ):
                # ", Kelurahan Sumbersari", ", Jakarta Utara", ", Rumah Sakit Umum Pusat Dr Sardjito"
                pos, places = seg_end, places + 1
                continue
            if places == 0 and mention.has_name:
                return None  # "Ketua KPUD Muna, Kubais," is read by _forward itself
            named = self.forward(comma.end(), limit)
            if (
                named is None or not named.has_name or named.kind != "person"
                or (named.role is not None and places == 0)
                or not (self._closes_apposition(named.end, limit) or self._stop_word_after(named.end, limit))
            ):
                return None
            # past places, the name may bring its own rank: "…, Jakarta Pusat, Letnan Kolonel X"
            named.role = text[mention.start : named.name_start if named.role else pos].strip(" ,")
            named.start = mention.start
            return named
        return None

    def _role_word(self, word: str) -> bool:
        """A word that can carry a role on after its title: epidemiologi, Universitas, senior."""
        lex, fold = self.lex, word.casefold()
        if fold in lex.titles or fold in lex.role_connectors or fold in lex.org_markers or _is_cap(word):
            return True
        if fold in lex.stop_after_mention or fold in lex.cue_short or fold in lex.cue_verbs or fold in lex.pronouns:
            return False
        return not any(fold.startswith(v) for v in lex.verb_prefixes)

    def _place_words(self, words: list[str]) -> bool:
        """A place in apposition: "Kelurahan Sumbersari", "Jakarta Utara", "Jawa Tengah"."""
        lex = self.lex
        if not all(_is_cap(w) for w in words):
            return False
        if words[0].casefold() in lex.place_markers and len(words) >= 2:
            return True
        return words[0] in lex.places and all(w in lex.places or w.casefold() in lex.role_connectors for w in words)

    def _body_words(self, words: list[str]) -> bool:
        """An organisation in apposition, after a title: "Rumah Sakit Umum Pusat Dr Sardjito"."""
        return all(_is_cap(w) for w in words) and words[0].casefold() in self.lex.org_markers and len(words) >= 2

    def _stop_word_after(self, end: int, limit: int) -> bool:
        """The name is followed by a word that never continues it: "Wahyu Wibowo di Sleman"."""
        tok = self._word_at(end, limit)
        return tok is not None and tok.fold in self.lex.stop_after_mention

    def backward(self, pos: int, floor: int) -> Mention | None:
        """The mention ending right before ``pos`` (X mengatakan, X said), skipping adverbs."""
        text = self.text
        p = self._past_adjuncts(pos, floor)
        for _ in range(3):
            tok = self._word_before(p, floor)
            if tok is None or tok.fold not in self.lex.subject_adverbs or _is_cap(tok.text):
                break
            p = tok.start
        tok = self._word_before(p, floor)
        if tok is not None and tok.fold in self.lex.pronouns and text[tok.end:p].strip() == "":
            return Mention(tok.start, tok.end, "pronoun")
        anon = self._anonymous_before(p, floor)
        if anon is not None:
            return anon
        toks: list[_Tok] = []
        q = p
        head = text[floor:p].rstrip()
        if p != pos and head.endswith(",") and text.rfind(",", max(floor, p - 160), floor + len(head) - 1) < 0:
            q = floor + len(head) - 1  # "Paulus Waterpauw, di Jayapura, Jumat (…), mengatakan"
        while len(toks) < 14:
            # a parenthesised acronym or age right before: (KCNA), (60)
            back = q
            while back > floor and text[back - 1] in " \t":
                back -= 1
            if back > floor and text[back - 1] == ")":
                open_at = text.rfind("(", max(floor, back - 42), back)
                if open_at >= 0:
                    inner = text[open_at + 1 : back - 1]
                    if inner.isdigit() or (_is_acronym(inner) or inner[:1].isupper()):
                        if not inner.isdigit():
                            toks.append(_Tok(open_at, back, "(" + inner + ")", "(" + inner.casefold() + ")"))
                        q = open_at
                        continue
            tok = self._word_before(q, floor)
            if tok is None or text[tok.end:q].strip() not in ("", "/"):
                break
            how = self.accept(tok)
            if how is None and toks:
                # a word that never opens a name may sit inside a run (Satuan Lalu Lintas)
                before = self._word_before(tok.start, floor)
                if before is not None and not text[before.end : tok.start].strip() and self.accept(before):
                    how = self.accept(tok, inside=True)
            if how is None:
                break
            toks.append(tok)
            q = tok.start
        toks.reverse()
        while toks and (toks[0].fold in self.lex.role_connectors and not _is_cap(toks[0].text)):
            toks.pop(0)
        while toks and toks[-1].fold in self.lex.role_connectors and not _is_cap(toks[-1].text):
            toks.pop()  # "dimanfaatkan Presiden Joko Widodo untuk mengingatkan": no name ends so
        if toks and all(t.fold in self.lex.titles for t in toks):
            det = self._word_before(toks[0].start, floor)
            if det is not None and det.fold in self.lex.determiners and not text[det.end : toks[0].start].strip():
                # "the former first lady said": a description standing for the speaker
                return Mention(det.start, toks[-1].end, "person", role=text[toks[0].start : toks[-1].end])
        if toks and any(_is_cap(t.text) for t in toks):
            mention = self._classify(toks)
            if mention is not None:
                if mention.role is None:
                    mention.role = self.apposition(mention.end, p)
                return mention
        # "Valery Gerasimov, kepala Staf Umum ..., mengonfirmasi": name before an apposition
        before = text[floor:p].rstrip()
        if before.endswith(","):
            comma2 = len(before) - 1 + floor
            comma1 = text.rfind(",", floor, comma2)
            if comma1 > floor and comma2 - comma1 < 160:
                appos = text[comma1 + 1 : comma2].strip()
                inner = self.backward(comma1, floor)
                if inner is not None and inner.kind not in ("pronoun",) and appos:
                    described = inner.role is not None or not inner.has_name or inner.kind != "person"
                    if described and inner.kind != "anonymous":
                        # "anggota Ombudsman RI, Alamsyah Saragih, mengusulkan": the name is apposed
                        named = self.forward(comma1 + 1, comma2)
                        if (
                            named is not None and named.has_name and named.kind == "person"
                            and named.role is None and named.end >= comma2 - 1
                        ):
                            named.role = text[self.title_start(inner.start, floor) : inner.end]
                            return named
                    if not inner.has_name and inner.kind == "person":
                        # "Marullah Matali, Wali Kota Jakarta Selatan, yang dihubungi, membenarkan"
                        head = text[floor : inner.start].rstrip()
                        if head.endswith(","):
                            named = self.backward(floor + len(head) - 1, floor)
                            if named is not None and named.has_name and named.kind == "person":
                                named.role = named.role or text[inner.start : inner.end]
                                return named
                    if inner.role is None and self._role_like(appos):
                        inner.role = appos
                    return inner
        return None

    def _past_adjuncts(self, pos: int, floor: int) -> int:
        """Back over ", di Balai Kota, Kamis (5/11/2020)," between a subject and its verb."""
        text, p = self.text, pos
        for _ in range(4):
            head = text[floor:p].rstrip()
            if not head.endswith(","):
                return p
            comma = floor + len(head) - 1
            previous = text.rfind(",", max(floor, comma - 80), comma)
            if previous < 0:
                return p
            segment = text[previous + 1 : comma].strip()
            first = segment.split()[0] if segment.split() else ""
            if not (first.casefold() in self.lex.stop_after_mention or _DATE_ADJUNCT.match(segment)):
                return p
            p = previous + 1  # keep the comma before the adjunct: "Patria, Wakil Gubernur," remains
        return p

    def title_start(self, pos: int, floor: int) -> int:
        """Back from ``pos`` over lower-case words to the furthest title word (Analis riset …)."""
        start, p = pos, pos
        for _ in range(6):
            tok = self._word_before(p, floor)
            if (
                tok is None
                or self.text[tok.end : p].strip()
                or (tok.text[:1].isupper() and tok.fold not in self.lex.titles)
            ):
                break
            if tok.fold in self.lex.titles:
                start = tok.start
            p = tok.start
        return start

    def subject(self, pos: int, limit: int) -> Mention | None:
        """The noun phrase opening a clause at ``pos``: a name, a pronoun, or a description
        after a determiner (the union, A Government Accountability Office report)."""
        first = self._word_at(pos, limit)
        if first is None:
            return None
        if first.fold in self.lex.pronouns:
            return Mention(first.start, first.end, "pronoun")
        if first.fold in self.lex.determiners:
            named = self.forward(first.end, limit)
            if named is not None and named.kind != "pronoun":
                named.start = first.start
                return named
            # "the union", "The clip": a determiner and one to three lower-case words
            p, last = first.end, None
            for _ in range(3):
                tok = self._word_at(p, limit)
                if tok is None or self.text[p : tok.start].strip() or not tok.text[:1].islower():
                    break
                if tok.fold in self.lex.cue_verbs or tok.fold in self.lex.stop_after_mention:
                    break
                last, p = tok, tok.end
            if last is not None:
                return Mention(first.start, last.end, "unknown")
            return None
        return self.forward(pos, limit)

    def _closes_apposition(self, end: int, limit: int) -> bool:
        """A name in apposition is followed by a comma, a full stop or the end of the clause."""
        rest = self.text[end:limit].lstrip(" \t")
        return not rest or rest[0] in ",.;:\n"

    def apposition(self, end: int, limit: int) -> str | None:
        """The role in apposition right after a name, up to ``limit``: ", kepala Staf Umum …,"."""
        text = self.text
        m = _APPOSITION.match(text[end : min(limit + 1, end + 160)])
        if not m:
            return None
        appos = m.group(1).strip()
        return appos if self._role_like(appos) else None

    def _role_like(self, phrase: str) -> bool:
        """Whether an apposition reads as a role: a title, an article, or a private role early on."""
        originals = phrase.split()[:3]
        words = [w.casefold() for w in originals]
        if not words:
            return False
        lex = self.lex
        return (
            words[0] in lex.determiners or words[0] in lex.role_opener_heads
            or words[0] in lex.private_roles or words[0] in lex.titles
            or (originals[0][:1].isupper() and any(w in lex.titles for w in words))
        )

    # ---- classification -------------------------------------------------------
    def _classify(self, toks: list[_Tok], portfolio: int = 0) -> Mention | None:
        """What a run of words names — an outlet, an organisation, or a person — and, for a person,
        where the name starts, the words before it being the role.

        The name is the trailing words that look like a personal name, capped (three after a title,
        five alone) so that a long title run does not swallow the role; a title's portfolio and
        words the text uses as a place or body stay with the role. None for a capitalised common
        word, which names no speaker.
        """
        lex = self.lex
        start, end = toks[0].start, toks[-1].end
        folds = [t.fold.strip("()") for t in toks]
        run_text = self.text[start:end].casefold()
        if not lex.media_markers.isdisjoint(folds) or lex.media_phrase.search(run_text):
            return Mention(start, end, "media", self._past_places(toks), end)
        if folds[0] in lex.org_markers and folds[0] not in lex.titles:
            return Mention(start, end, "organization", start, end)
        if not _is_cap(toks[-1].text) and any(f.endswith(lex.possessives) for f in folds[:-1]):
            # "Donald Trump’s campaign": what belongs to someone speaks, not the person
            return Mention(start, end, "organization", start, end)
        # the name: trailing words that look like a personal name
        k = len(toks)
        while k > 0 and toks[k - 1].text.startswith("("):
            k -= 1
        name_end_index = k
        n = k
        if (
            k >= 2
            and _is_acronym(toks[k - 1].text)
            and len(toks[k - 1].text) <= 3
            and self._name_like(toks[k - 2], toks, k - 2)
        ):
            n = k - 1  # an initial group closing a name: Nanang Sigit PH
        while n > 0 and self._name_like(toks[n - 1], toks, n - 1):
            n -= 1
        if n > 0 and name_end_index - n > 3:
            n = name_end_index - 3  # a title run with a long tail: keep three words for the name
        elif name_end_index - n > 5:
            n = name_end_index - 5
        if n < portfolio < name_end_index:
            n = portfolio  # "… Politik, Hukum, dan Keamanan | Mahfud MD"
        if n > 0 and name_end_index - n >= 3 and toks[n - 1].fold in lex.complement_titles:
            n += 1  # "Menteri Keuangan Sri Mulyani": the title's portfolio, then the name
        opens_sentence = self.text[max(0, start - 3) : start].rstrip(" \t")[-1:] in ("", ".", "\n", "!", "?")
        while n < name_end_index - 1 and len(toks[n].text.rstrip(".")) > 1 and (  # an initial opens a name
            self.not_given(toks[n].text)
            or ((n > 0 or opens_sentence) and self._tail_elsewhere(toks[n].text, toks[n + 1].text))
        ):
            n += 1  # "Kementerian Keuangan Sri Mulyani": a word the text uses as a place or body
        if n == name_end_index:
            # no personal name: a title alone (Presiden), an organisation, a country, an acronym
            if any(f in lex.titles for f in folds):
                return Mention(start, end, "person")
            if len(toks) == 1 and _is_acronym(toks[0].text) and len(toks[0].text) <= 2:
                return Mention(start, end, "anonymous", start, end)  # initials that hide a name: PT (35)
            if (
                all(_is_acronym(t.text.strip("()")) for t in toks)
                or any(f in lex.org_markers for f in folds)
                or all(t.text in lex.places for t in toks)
            ):
                return Mention(start, end, "organization", start, end)
            return None  # a capitalised common word (Riset, Pertunjukan): no speaker

        name_start = toks[n].start
        name_end = toks[name_end_index - 1].end
        role = self.text[start:toks[n - 1].end] if n > 0 else None
        if role is not None:
            role = role.strip(" ,")
            if not any(t.fold in lex.titles or t.fold in lex.org_markers or _is_acronym(t.text) for t in toks[:n]):
                if any(t.fold in lex.role_connectors and not _is_cap(t.text) for t in toks[:n]):
                    # "Ilham dan Labib": names joined by a conjunction, no role
                    return Mention(name_start, name_end, "person", name_start, name_end)
        return Mention(start, end, "person", name_start, name_end, role or None)

    def _past_places(self, toks: list[_Tok]) -> int:
        """The start of an outlet's name after leading place words (AS Axios -> Axios)."""
        k = 0
        while k < len(toks) - 1 and toks[k].text in self.lex.places:
            k += 1
        return toks[k].start

    def _name_like(self, tok: _Tok, toks: list[_Tok], index: int) -> bool:
        lex = self.lex
        word = tok.text
        if lex.not_a_name(word, tok.fold):
            return False
        if _is_acronym(word) and len(word) > 1 and not word.endswith("."):
            # initials between two name words stay in the name: Arnold AP Ritiauw, Bambang PS Brodjonegoro
            inner = 0 < index < len(toks) - 1 and len(word) <= 3
            if not (inner and _is_cap(toks[index - 1].text) and _is_cap(toks[index + 1].text)
                    and toks[index - 1].fold not in lex.titles and toks[index - 1].fold not in lex.org_markers):
                return False
        if self.written_lower(tok.fold):
            return False
        return not (index > 0 and toks[index - 1].fold in lex.place_markers and index < len(toks) - 1)

    def _next_is_cap(self, pos: int, limit: int) -> bool:
        tok = self._word_at(pos, limit)
        return tok is not None and _is_cap(tok.text) and not self.text[pos:tok.start].strip()

    def _next_is_cap_or_title(self, pos: int, limit: int) -> bool:
        tok = self._word_at(pos, limit)
        return (
            tok is not None
            and not self.text[pos:tok.start].strip()
            and (_is_cap(tok.text) or tok.fold in self.lex.titles)
        )

    def _anonymous_before(self, pos: int, floor: int) -> Mention | None:
        """"seorang pejabat senior AS yang tidak disebutkan namanya" ending at ``pos``."""
        window_start = max(floor, pos - 120)
        window = self.text[window_start:pos].casefold().rstrip()
        if not window.endswith(self._anonymous_ends):
            return None  # most verbs follow no anonymous source: one test rules them all out
        end = window_start + len(window)
        for marker in self._anonymous_ends:
            if window.endswith(marker) and (len(window) == len(marker) or not window[-len(marker) - 1].isalnum()):
                for phrase in self.lex.anonymous:
                    i = window.rfind(phrase)
                    if i >= 0 and (i == 0 or not window[i - 1].isalnum()):
                        return Mention(window_start + i, end, "anonymous", window_start + i, end)
        return None

    def _anonymous_at(self, pos: int, limit: int) -> Mention | None:
        window = self.text[pos : min(limit, pos + 80)].casefold()
        for phrase in self.lex.anonymous:
            if window.startswith(phrase) and (len(window) == len(phrase) or not window[len(phrase)].isalnum()):
                end = pos + len(phrase)
                # extend over the rest of the description up to punctuation or a marker
                tail = self.text[end : min(limit, end + 100)]
                stop = _CLAUSE_STOP.search(tail)
                ext = tail[: stop.start()] if stop else tail
                low = ext.casefold()
                for marker in self.lex.anonymous_markers:
                    i = low.find(marker)
                    if i >= 0:
                        end = end + i + len(marker)
                        break
                return Mention(pos, end, "anonymous", pos, end)
        return None
