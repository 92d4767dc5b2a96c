"""What a run of capitalised words and titles names, and where its role ends and its name begins.

The mention parser reads a run ("Menteri Keuangan Sri Mulyani", "Departemen Luar Negeri",
"AS Axios"); this says whether it is an outlet, an organisation or a person, and, for a person,
which trailing words are the name. What counts as a title, a place, an outlet or a connector is
the lexicon's (``lexicons/<lang>.json``); what else the text does with a word (writes it in lower
case, puts it after *di*) is asked of ``Words``. The predicates for what may follow a title as
the rest of its role (a place, a body, an apposition) are here too.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from annotator.attribution.words import Token, Words, is_acronym, is_cap

__all__ = ["Mention", "RunClassifier"]
# ", Hukum, dan " / ", Kebudayaan, Riset, dan ": more capitalised items, then a conjunction
_LISTED = regex.compile(
    r"(?:,[ \t]+\p{Lu}[\p{L}\-]*(?:[ \t]+\p{Lu}[\p{L}\-]*){0,2}){1,4},?[ \t]+(\p{Ll}+)[ \t]+(?=\p{Lu})"
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker as the text mentions it: the run of words, what it is, its name and its role."""

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


class RunClassifier:
    """Classifies the runs of words of one document (``Words``) with its lexicon."""

    def __init__(self, words: Words):
        self.words = words
        self.text = words.text
        self.lex = words.lex
        self._classified: dict[tuple, Mention | None] = {}

    def classify(self, toks: list[Token], portfolio: int = 0) -> Mention | None:
        """``_classify``, kept by the run's word spans: a third of the runs are classified again (read
        from one start up to another limit, or back from a verb to where a cue read it forward). A
        word's span is its text, and the answer depends on nothing else the reading changes, so every
        caller gets the one Mention, frozen so that none can change it for the others (each makes a
        changed copy)."""
        key = (portfolio, *[(t.start, t.end) for t in toks])
        if key not in self._classified:
            self._classified[key] = self._classify(toks, portfolio)
        return self._classified[key]

    def _classify(self, toks: list[Token], portfolio: int) -> Mention | None:
        """What a run of words names — an outlet, an organisation, or a person — and, for a person,
        where the name starts, the words before it being the role.

        The name is the trailing words that look like a personal name, capped (three after a title,
        five alone) so that a long title run does not swallow the role; a title's portfolio and
        words the text uses as a place or body stay with the role. None for a capitalised common
        word, which names no speaker.
        """
        lex, words = self.lex, self.words
        start, end = toks[0].start, toks[-1].end
        folds = [t.fold.strip("()") for t in toks]
        # every media phrase holds a space: a run of one word, whose text is the word's, has none
        phrased = (len(toks) > 1 or " " in toks[0].text) and lex.media_phrase.search(self.text[start:end].casefold())
        if not lex.media_markers.isdisjoint(folds) or phrased:
            return Mention(start, end, "media", self._past_places(toks), end)
        if folds[0] in lex.org_markers and folds[0] not in lex.titles:
            return Mention(start, end, "organization", start, end)
        if not is_cap(toks[-1].text) and any(f.endswith(lex.possessives) for f in folds[:-1]):
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
            and is_acronym(toks[k - 1].text)
            and len(toks[k - 1].text) <= 3
            and self.name_like(toks[k - 2], toks, k - 2)
        ):
            n = k - 1  # an initial group closing a name: Nanang Sigit PH
        while n > 0 and self.name_like(toks[n - 1], toks, n - 1):
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
            words.not_given(toks[n].text)
            or ((n > 0 or opens_sentence) and words.tail_elsewhere(toks[n].text, toks[n + 1].text))
        ):
            n += 1  # "Kementerian Keuangan Sri Mulyani": a word the text uses as a place or body
        if n == name_end_index:
            # no personal name: a title alone (Presiden), an organisation, a country, an acronym
            if any(f in lex.titles for f in folds):
                return Mention(start, end, "person")
            if len(toks) == 1 and is_acronym(toks[0].text) and len(toks[0].text) <= 2:
                return Mention(start, end, "anonymous", start, end)  # initials that hide a name: PT (35)
            if (
                all(is_acronym(t.text.strip("()")) for t in toks)
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
            if not any(t.fold in lex.titles or t.fold in lex.org_markers or is_acronym(t.text) for t in toks[:n]):
                if any(t.fold in lex.role_connectors and not is_cap(t.text) for t in toks[:n]):
                    # "Ilham dan Labib": names joined by a conjunction, no role
                    return Mention(name_start, name_end, "person", name_start, name_end)
        return Mention(start, end, "person", name_start, name_end, role or None)

    def _past_places(self, toks: list[Token]) -> int:
        """The start of an outlet's name after leading place words (AS Axios -> Axios)."""
        k = 0
        while k < len(toks) - 1 and toks[k].text in self.lex.places:
            k += 1
        return toks[k].start

    def name_like(self, tok: Token, toks: list[Token], index: int) -> bool:
        """Whether the word at ``index`` of the run can be part of a personal name."""
        lex = self.lex
        word = tok.text
        if lex.not_a_name(word, tok.fold):
            return False
        if is_acronym(word) and len(word) > 1 and not word.endswith("."):
            # initials between two name words stay in the name: Arnold AP Ritiauw, Bambang PS Brodjonegoro
            inner = 0 < index < len(toks) - 1 and len(word) <= 3
            if not (inner and is_cap(toks[index - 1].text) and is_cap(toks[index + 1].text)
                    and toks[index - 1].fold not in lex.titles and toks[index - 1].fold not in lex.org_markers):
                return False
        if self.words.written_lower(tok.fold):
            return False
        return not (index > 0 and toks[index - 1].fold in lex.place_markers and index < len(toks) - 1)

    def listed_portfolio(self, pos: int, limit: int, toks: list[Token]) -> int | None:
        """Where the last item of a list of capitalised words starts (", Hukum, dan Keamanan"),
        when ``toks`` so far are a title and its first capitalised item."""
        lex = self.lex
        if not is_cap(toks[-1].text) or not any(t.fold in lex.titles for t in toks):
            return None
        m = _LISTED.match(self.text, pos, limit)
        if m is None or m.group(1).casefold() not in lex.role_connectors:
            return None
        after = self.words.word_at(m.end(), limit)
        if after is not None and after.fold in lex.titles:
            return None  # "Presiden Amerika Serikat, Donald Trump, dan Presiden Ukraina": two people, no list
        return m.end()

    def role_word(self, word: str) -> bool:
        """A word that can carry a role on after its title: epidemiologi, Universitas, senior."""
        lex, fold = self.lex, word.casefold()
        if fold in lex.titles or fold in lex.role_connectors or fold in lex.org_markers or is_cap(word):
            return True
        if fold in lex.stop_after_mention or fold in lex.cue_short or fold in lex.cue_verbs or fold in lex.pronouns:
            return False
        return not any(fold.startswith(v) for v in lex.verb_prefixes)

    def place_words(self, words: list[str]) -> bool:
        """A place in apposition: "Kelurahan Sumbersari", "Jakarta Utara", "Jawa Tengah"."""
        lex = self.lex
        if not all(is_cap(w) for w in words):
            return False
        if words[0].casefold() in lex.place_markers and len(words) >= 2:
            return True
        return words[0] in lex.places and all(w in lex.places or w.casefold() in lex.role_connectors for w in words)

    def body_words(self, words: list[str]) -> bool:
        """An organisation in apposition, after a title: "Rumah Sakit Umum Pusat Dr Sardjito"."""
        return all(is_cap(w) for w in words) and words[0].casefold() in self.lex.org_markers and len(words) >= 2

    def role_like(self, phrase: str) -> bool:
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
