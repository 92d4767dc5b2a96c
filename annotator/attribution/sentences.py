"""Sentences and paragraphs of one text: where they start, and what may open one before its subject.

A sentence ends at a run of stops followed by a capital, a digit or an opening mark or bracket (a
closing credit: [ran]), or at a line break; a period that ends an abbreviation or an initial (Mr.,
U.S., E.) ends none. Every stage looks sentences up here rather than cutting the text again.
"""

from __future__ import annotations

import bisect
import re
import string

import regex

from annotator.attribution.lexicon import ASCII_WORD, WORD, Lexicon

# A sentence ends after a run of stops and closing marks followed by white space and what opens a
# sentence, or at a run of line breaks: as one pattern (tests/attribution/test_properties.py),
#     (?<![.!?…])[.!?…]+[\"”’'»)]*(?=\s+[\"“”‘'«(\[\p{Lu}\p{N}])|\n+
# which ``regex`` tries at every character of the text. Read instead as the runs alone, in ``re``,
# opening with one class that it skips to: a run of line breaks, or of stops and closing marks
# followed by white space (the \s of regex is re's less \x1c-\x1f) and an ASCII character that
# opens a sentence or any character past ASCII, in group 1, which _sentence_ends asks about.
_OPENS_SENTENCE = frozenset("\"“”‘'«([")  # besides a capital or a number
_ASCII_OPENER = (  # the ASCII characters of _OPENS_SENTENCE, the digits and the capitals
    "[" + re.escape("".join(sorted(c for c in _OPENS_SENTENCE if c.isascii())))
    + string.digits + string.ascii_uppercase + "]"
)
_STOP_RUN = re.compile(
    r"[.!?…\n](?:(?<=\n)\n*|[.!?…]*[\"”’'»)]*(?=[^\S\x1c-\x1f]++(" + _ASCII_OPENER + r"|[^\x00-\x7f])))"
)
_UPPER_OR_NUMBER = regex.compile(r"[\p{Lu}\p{N}]")
# What may open a sentence before its subject: "Sementara itu, ", "Sebagai tanggapan, ", or a
# dateline ("JAKARTA, KOMPAS — ", "(IslamToday ID) – ").
_LEAD_ADVERBIAL = regex.compile(
    r"[\s\"“”]*(?:\([^()\n]{1,40}\)[ \t]*[–—-][ \t]*|[\p{Lu}\p{N} ,.]{2,40}[ \t][–—-][ \t]*"
    r"|(?:[\p{L}\p{N}\-]+[ \t]+){0,3}[\p{L}\p{N}\-]+,[ \t]+)"
)
# a longer opening phrase, before the subject a pronoun may refer back to:
# "Terkait dengan kebutuhan likuiditas lembaga keuangan, Gubernur BI Perry Warjiyo mendorong …"
# every opening phrase _LEAD_ADVERBIAL matches holds one of these: its comma or its dash
_LEAD_PUNCTUATION = re.compile(r"[,–—-]")  # re: searched for every sentence, and cheaper to call
_LONG_LEAD = regex.compile(r"[\s\"“”]*(?:[\p{L}\p{N}\-]+[ \t]+){4,7}[\p{L}\p{N}\-]+,[ \t]+")
_LONGEST_SENTENCE = 1500
_LONGEST_ABBREVIATION = 20  # how far back a period's word is cut at a space (past it, the word is walked)
_ASCII_WORD = re.compile(ASCII_WORD, re.ASCII)


class Sentences:
    """The sentence starts of one text (``starts``, in text order, the first 0) and look-ups on them."""

    def __init__(self, text: str, lex: Lexicon):
        self.text = text
        self.abbreviations = lex.abbreviations
        self._leads: dict[int, regex.Match | None] = {}
        self.starts = [0] + [
            end for start, end in _sentence_ends(text) if text[start] != "." or not self.abbreviation(start)
        ]

    def abbreviation(self, dot: int) -> bool:
        """Whether the period at ``dot`` ends an abbreviation or an initial (Mr., U.S., E.)."""
        text = self.text
        if text[dot] != ".":
            return False
        # most periods end a word of letters after a space (said.): the word is cut there at once, else walked
        space = text.rfind(" ", dot - _LONGEST_ABBREVIATION if dot > _LONGEST_ABBREVIATION else 0, dot)
        if space >= 0 and text[space + 1 : dot].isalpha():
            k = space + 1
        else:
            k = dot
            while k > 0 and (text[k - 1].isalpha() or text[k - 1] == "."):
                k -= 1
        word = text[k:dot]
        return (len(word) == 1 and word.isupper()) or word in self.abbreviations or "." in word

    def sentence_of(self, pos: int) -> tuple[int, int]:
        """The sentence around ``pos``, at most _LONGEST_SENTENCE characters either side of it
        (text without full stops must not make every look-up read the whole document)."""
        starts = self.starts
        i = bisect.bisect_right(starts, pos)
        start = starts[i - 1] if i else 0
        end = starts[i] if i < len(starts) else len(self.text)
        # the bounds without max() and min(): this runs for every cue and mention (a hot path)
        low, high = pos - _LONGEST_SENTENCE, pos + _LONGEST_SENTENCE
        return (start if start > low else low), (end if end < high else high)

    def paragraph_of(self, pos: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, (len(self.text) if end < 0 else end)

    def lead(self, start: int) -> regex.Match | None:
        """A short opening phrase of the sentence at ``start``, before its subject (an adverbial or
        a dateline), if it has one. Kept by sentence: each of its verbs, and its subject, asks."""
        if start in self._leads:
            return self._leads[start]
        end = min(len(self.text), start + 60)
        if _LEAD_PUNCTUATION.search(self.text, start, end) is None:
            lead = None  # most sentences open with their subject: a quick search rules them out
        else:
            lead = _LEAD_ADVERBIAL.match(self.text, start, end)
        self._leads[start] = lead
        return lead

    def long_lead(self, start: int) -> regex.Match | None:
        """A longer opening phrase ending in a comma (five to eight words), if the sentence has one."""
        return _LONG_LEAD.match(self.text, start, min(len(self.text), start + 90))


def _sentence_ends(text: str):
    """The spans of the sentence ends of ``text`` (the pattern above), in order. A run of stops is
    one (leftmost, whole) or none: inside it, the look-behind fails; a run cut shorter, or read from
    inside, is followed by a stop or a closing mark, not white space, as the whole run was."""
    for m in _STOP_RUN.finditer(text):
        start, end = m.span()
        c = m.group(1)  # None after a line break
        if c is not None and not c.isascii() and not (c in _OPENS_SENTENCE or _UPPER_OR_NUMBER.match(c)):
            continue
        yield start, end


def count_words(text: str, enough: int, start: int = 0, end: int | None = None) -> int:
    """How many words ``text[start:end]`` holds, counting no further than ``enough``."""
    end = len(text) if end is None else end
    n = 0
    for _ in (_ASCII_WORD if text[start:end].isascii() else WORD).finditer(text, start, end):
        n += 1
        if n >= enough:
            break
    return n
