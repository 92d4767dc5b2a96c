"""Finding a lexicon's reporting words (cues) in a text: one case-insensitive scan of every cue form.

The scanner knows words, not languages: the lexicon gives it its short cues, verbs, clitics and
phrases, and each language's lexicon builds one scanner, once (``Lexicon.cues``).
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

from annotator.attribution.kinds import CueKind

_PHRASE = "phrase"  # a table entry: the first word of a phrase, read on by _phrase
ACLITIC = "aclitic"  # the match group of the clitic of according (menurutnya)
# The characters other than A-Z that ``re.IGNORECASE`` takes for an ASCII letter (ſ for s, K for k,
# İ and ı for i), which ``str.lower`` leaves apart or lengthens.
_ASCII_CASE_VARIANTS = "\u017f\u0130\u0131\u212a"
# what may not stand right before a cue form (a hyphen joins words: kata-kata), as a look-behind
# and as the character class a scan matches there instead (see CueScanner._spans)
_BEFORE_FORM_CLASS = r"[^\w\-‑]"
_BEFORE_FORM = r"(?<!" + _BEFORE_FORM_CLASS.replace("^", "", 1) + ")"
# For the case-sensitive scan, the same class as ASCII alone, which ``re`` checks for a character with
# one look-up in a table of 256 bits, at a fraction of the cost of asking for \w (or of a list of
# ranges): every ASCII character but a letter, a digit, "_" and "-", and every other character
# (which _spans refuses again when it is a word character or ‑).
_BEFORE_FORM_ASCII = "[^" + re.escape("-_" + string.digits + string.ascii_letters) + "]"


@lru_cache(maxsize=1)
def ascii_lowered(text: str) -> str | None:
    """``text`` lower-cased, when a case-sensitive scan of it for lower-case ASCII words finds what a
    case-insensitive scan of ``text`` finds, at the same spans: the text holds no character that
    case-insensitive matching takes for an ASCII letter, and lower-casing keeps every character
    one character. None otherwise. The last answer is kept: the cue scanner and the scan for cue
    nouns ask for the same document's, one after the other (a text keeps its hash, so asking
    again costs no second read of it)."""
    if any(c in text for c in _ASCII_CASE_VARIANTS):
        return None
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


def trie_pattern(words) -> str:
    """An alternation of literal ``words`` written as a trie: kata|katanya -> kata(?:nya)?."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie) or "(?!)"


class CueMatch:
    """A found reporting word, shaped like a regex match (start, end, group, groupdict)."""

    __slots__ = ("_end", "_groups", "_start", "_starts", "_text")

    def __init__(self, text: str, start: int, end: int, groups: dict[str, str], starts: dict[str, int]):
        self._start, self._end, self._text = start, end, text[start:end]
        self._groups, self._starts = groups, starts

    def start(self, group: str | None = None) -> int:
        return self._start if group is None else self._starts[group]

    def end(self) -> int:
        return self._end

    def group(self, name: str | None = None) -> str | None:
        return self._text if name is None else self._groups.get(name)

    def groupdict(self) -> dict[str, str]:
        return self._groups


class CueScanner:
    """Finds the lexicon's reporting words by word lookup (a set per kind), not one big alternation.

    Kinds: ``short`` (kata, optionally with a clitic: katanya), ``verb``
    (mengatakan, said), ``according`` (menurut, according to; menurutnya) and
    ``passive`` (diucapkan, was quoted as saying). A word joined to another by a
    hyphen (kata-kata) is no cue.
    """

    def __init__(
        self,
        short: frozenset[str],
        verbs: frozenset[str],
        clitics: tuple[str, ...],
        passive: tuple[str, ...],
        according: tuple[str, ...],
    ):
        """The lexicon's cue words: ``short`` and ``verbs`` case-folded, ``verbs`` with its phrases
        (pointed out); ``passive`` and ``according`` are phrases."""
        self.short = short
        self.verbs = frozenset(v for v in verbs if " " not in v)
        self.clitics = tuple(c.casefold() for c in clitics)
        self.phrases: dict[str, list[tuple[str, CueKind]]] = {}  # first word -> [(phrase, kind)]
        verb_phrases = tuple(" ".join(v.split()) for v in verbs if " " in v)  # pointed out
        for kind, phrases in ((CueKind.PASSIVE, passive), (CueKind.ACCORDING, according), (CueKind.VERB, verb_phrases)):
            for phrase in phrases:
                self.phrases.setdefault(phrase.split()[0], []).append((phrase, kind))
        for entries in self.phrases.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)
        self._table: dict[str, tuple[str, int]] | None = None
        self._pattern: re.Pattern | None = None
        self._lower_pattern: re.Pattern | None = None
        self._scans: dict[re.Pattern, re.Pattern] = {}  # pattern -> its scanning form (_scanning)
        self._ascii_forms: bool | None = None
        self.single: dict[str, tuple[str, int]] = {}  # a phrase's first word that is also a cue alone

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        endpos = len(text) if endpos is None else endpos
        table = self.table
        for s, e in self._spans(text, pos, endpos):
            word = text[s:e]
            entry = table.get(word.casefold())
            if entry is None:
                continue
            kind, cut = entry
            if kind == _PHRASE:
                found = self._phrase(text, s, endpos, word.casefold())
                if found is not None:
                    yield found
                    continue
                entry = self.single.get(word.casefold())  # "called" alone, when not "called on"
                if entry is None:
                    continue
                kind, cut = entry
            if cut:
                c = e - cut
                other = CueKind.CLITIC if kind == CueKind.SHORT else ACLITIC
                yield CueMatch(text, s, e, {kind: text[s:c], other: text[c:e]}, {kind: s, other: c})
            else:
                yield CueMatch(text, s, e, {kind: word}, {kind: s})

    def _spans(self, text: str, pos: int, endpos: int):
        """The spans of the matches of ``pattern`` in ``text``. When every cue form is lower-case ASCII
        the case-sensitive ``lower_pattern`` runs over the lower-cased text instead where that
        finds the same (``ascii_lowered``): twice as fast.

        Past ``pos`` the scan takes the character before a form as part of its match (see
        ``_scanning``), which finds the same forms as the look-behind of ``pattern`` (every form
        is a run of word characters, so none starts inside another) a fifth faster."""
        lowered = ascii_lowered(text) if self.ascii_forms else None
        if lowered is None:
            first, scan = self.pattern, self._scanning(self.pattern)
        else:
            first, scan, text = self.lower_pattern, self._scanning(self.lower_pattern), lowered
        at_pos = first.match(text, pos, endpos)
        if at_pos is not None:
            yield at_pos.span()
        for m in scan.finditer(text, pos if at_pos is None else at_pos.end(), endpos):
            before = text[m.start()]
            if before >= "\x80" and (before.isalnum() or before == "‑"):
                continue  # a word character (\w of re) or ‑, which _BEFORE_FORM_ASCII lets by
            yield m.start() + 1, m.end()

    def _scanning(self, pattern: re.Pattern) -> re.Pattern:
        """``pattern`` with the character before a form matched rather than looked behind at:
        a pattern that opens with a character class lets ``re`` skip every position that cannot
        start a match, where a look-behind is tried at each one. Case-sensitive, that class is
        _BEFORE_FORM_ASCII (case-insensitive, ``re`` would not skip to such a class)."""
        scan = self._scans.get(pattern)
        if scan is None:
            before = _BEFORE_FORM_CLASS if pattern.flags & re.IGNORECASE else _BEFORE_FORM_ASCII
            scan = self._scans[pattern] = re.compile(before + pattern.pattern.removeprefix(_BEFORE_FORM), pattern.flags)
        return scan

    @property
    def pattern(self) -> re.Pattern:
        """Every cue form in one case-insensitive pattern, its alternatives merged into a trie
        (the standard ``re`` engine runs a literal trie about twice as fast as word look-ups)."""
        if self._pattern is None:
            self._pattern = re.compile(
                _BEFORE_FORM + "(?:" + trie_pattern(self.table) + r")(?![\w]|[\-‑]\w)", re.IGNORECASE
            )
        return self._pattern

    @property
    def ascii_forms(self) -> bool:
        """Whether every cue form is written in lower-case ASCII (see ``_matches``)."""
        if self._ascii_forms is None:
            self._ascii_forms = all(form.isascii() and form == form.lower() for form in self.table)
        return self._ascii_forms

    @property
    def lower_pattern(self) -> re.Pattern:
        """``pattern`` without ``re.IGNORECASE``, for a lower-cased text (see ``_matches``)."""
        if self._lower_pattern is None:
            self._lower_pattern = re.compile(self.pattern.pattern)
        return self._lower_pattern

    @property
    def table(self) -> dict[str, tuple[str, int]]:
        """Every cue word form -> (kind, length of its clitic)."""
        if self._table is None:
            table: dict[str, tuple[str, int]] = {}
            for word in self.short:
                table[word] = (CueKind.SHORT, 0)
                for clitic in self.clitics:
                    table[word + clitic] = (CueKind.SHORT, len(clitic))
            for word in self.verbs:
                table.setdefault(word, (CueKind.VERB, 0))
            self.single = {first: table[first] for first in self.phrases if first in table}
            for first, entries in self.phrases.items():
                table[first] = (_PHRASE, 0)
                for phrase, kind in entries:
                    if kind == CueKind.ACCORDING and " " not in phrase:
                        for clitic in self.clitics:
                            table[phrase + clitic] = (CueKind.ACCORDING, len(clitic))
            self._table = table
        return self._table

    def _phrase(self, text: str, s: int, endpos: int, word: str) -> CueMatch | None:
        window = " ".join(text[s : min(endpos, s + 60)].casefold().split())
        for phrase, kind in self.phrases[word]:
            if not window.startswith(phrase):
                continue
            # map the phrase back onto the text (spaces may differ)
            e, k = s, 0
            while k < len(phrase) and e < endpos:
                if phrase[k] == " ":
                    while e < endpos and text[e].isspace():
                        e += 1
                    k += 1
                elif text[e].casefold() == phrase[k]:
                    e += 1
                    k += 1
                else:
                    return None
            for clitic in self.clitics:
                after = e + len(clitic)
                if (
                    kind == CueKind.ACCORDING
                    and text[e:after].casefold() == clitic
                    and not text[after : after + 1].isalpha()
                ):
                    groups = {kind: text[s:e], ACLITIC: text[e:after]}
                    return CueMatch(text, s, after, groups, {kind: s, ACLITIC: e})
            if e < len(text) and text[e].isalpha():
                return None
            return CueMatch(text, s, e, {kind: text[s:e]}, {kind: s})
        return None
