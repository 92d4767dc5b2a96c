"""Anonymous sources: "seorang pejabat senior AS yang tidak disebutkan namanya", "a senior
official who spoke on condition of anonymity".

Such a source is a phrase of the lexicon (``anonymous``: seorang pejabat, a senior official),
often closed by a marker (``anonymous_markers``: yang tidak disebutkan namanya), read either
before a reporting verb or after a cue. It names no one, so it is kept apart from the names.
"""

from __future__ import annotations

import regex

from annotator.attribution.lexicon import Lexicon
from annotator.attribution.names import Mention
from annotator.attribution.words import CLAUSE_STOP

_PLACE_RUN = regex.compile(r"(?<![\p{L}\p{M}])\p{Lu}[\p{L}\p{M}\-]*(?:[ \t]+\p{Lu}[\p{L}\p{M}\-]*){0,3}\Z")
_PLACE_RUN_WORDS = 4  # words of such a run at most
# the last word of such a run, read back from where the run must end: without one, no run ends there
_LAST_CAPITALISED = regex.compile(r"\p{Lu}[\p{L}\p{M}\-]*", regex.REVERSE)

__all__ = ["AnonymousSources"]


class AnonymousSources:
    """Finds anonymous sources in one document with one lexicon."""

    def __init__(self, text: str, lex: Lexicon):
        self.text = text
        self.lex = lex
        self._ends = lex.anonymous_markers + lex.anonymous  # what ends an anonymous source

    def ending_at(self, pos: int, floor: int) -> Mention | None:
        """"seorang pejabat senior AS yang tidak disebutkan namanya" ending at ``pos``."""
        window_start = max(floor, pos - 120)
        window = self.text[window_start:pos].casefold().rstrip()
        if not window.endswith(self._ends):
            return self._placed(window_start, pos)  # most verbs follow no anonymous source
        end = window_start + len(window)
        for marker in self._ends:
            if window.endswith(marker) and (len(window) == len(marker) or not window[-len(marker) - 1].isalnum()):
                for phrase in self.lex.anonymous:
                    i = window.rfind(phrase)
                    if i >= 0 and (i == 0 or not window[i - 1].isalnum()):
                        return Mention(window_start + i, end, "anonymous", window_start + i, end)
        return None

    def _placed(self, window_start: int, pos: int) -> Mention | None:
        """"pejabat di Korea Selatan", "pejabat AS", "officials in Seoul": unnamed officials of a
        place — an anonymous head word, then a place (after a preposition, or one the lexicon lists)."""
        text = self.text
        end = pos  # the end of text[:pos].rstrip(), without copying the text before every verb
        while end > 0 and text[end - 1].isspace():
            end -= 1
        if _LAST_CAPITALISED.match(text, window_start, end) is None:
            return None  # the window ends in no capitalised word (most verbs): no search through it
        # the capitalised run that ends the window, sought among its last words alone
        place = _PLACE_RUN.search(text, _last_chunks_start(text, window_start, end, _PLACE_RUN_WORDS), end)
        if place is None:
            return None
        before = text[window_start : place.start()].rstrip()
        last = before.rsplit(None, 1)[-1].casefold() if before.strip() else ""
        if last in self.lex.prepositions:
            before = before[: len(before) - len(last)].rstrip()
        elif place.group().strip() not in self.lex.places:
            return None  # "pejabat Kementerian Kesehatan": a body, not a place
        low = before.casefold()
        heads = [
            w for w in (*self.lex.anonymous, *self.lex.anonymous_nouns)
            if low.endswith(w) and (len(low) == len(w) or not low[-len(w) - 1].isalnum())
        ]
        if not heads:
            return None
        start = window_start + len(before) - len(max(heads, key=len))
        return Mention(start, end, "anonymous", start, end)

    def starting_at(self, pos: int, limit: int) -> Mention | None:
        """"seorang pejabat senior AS yang tidak disebutkan namanya" starting at ``pos``, up to ``limit``."""
        window = self.text[pos : min(limit, pos + 80)].casefold()
        for phrase in self.lex.anonymous:
            if window.startswith(phrase) and (len(window) == len(phrase) or not window[len(phrase)].isalnum()):
                end = pos + len(phrase)
                # extend over the rest of the description up to punctuation or a marker
                tail = self.text[end : min(limit, end + 100)]
                stop = CLAUSE_STOP.search(tail)
                ext = tail[: stop.start()] if stop else tail
                low = ext.casefold()
                for marker in self.lex.anonymous_markers:
                    i = low.find(marker)
                    if i >= 0:
                        end = end + i + len(marker)
                        break
                return Mention(pos, end, "anonymous", pos, end)
        return None


def _last_chunks_start(text: str, start: int, end: int, n: int) -> int:
    """Where the last ``n`` runs of characters other than white space in ``text[start:end]`` begin
    (``start`` when there are no more). A run of ``n`` words apart from each other by spaces that
    ends at ``end`` starts no earlier: each of its words lies in one of those runs."""
    window = text[start:end]
    runs = window.rsplit(None, n)
    if len(runs) <= n:
        return start
    return start + window.find(runs[1], len(runs[0]))
