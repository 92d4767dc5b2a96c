"""Entities and coreference: the people, bodies and outlets a text's mentions name.

Mentions are clustered in text order, so a later short form (*Zelensky*) joins an earlier full
name (*Presiden Ukraina Volodymyr Zelenskyy*); a pronoun or clitic resolves to the latest named
speaker within reach; a person's entity is then expanded from the places the text names them
(full name, role, and an age that marks a private person).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import regex

from annotator.attribution.context import Context
from annotator.attribution.mentions import Mention
from annotator.attribution.words import is_acronym

_CAP_WORD = regex.compile(r"(?<![\p{L}\p{M}\p{N}])\p{Lu}[\p{L}\p{M}\-’']*")
_BRACKETED = regex.compile(r"\(([^()\s]{2,15})\)")  # "(KCNA)": an acronym after the name it stands for
_CAP_WORD_CHAR = regex.compile(r"[\p{L}\p{M}\-’']")
# Up to this many words are each searched for in the text; past it, one scan indexes them all, which
# costs about as much as forty searches (33 to 41 measured on dev articles of 4,000 to 22,000 characters)
_WORDS_SEARCHED = 40
# Up to this many entities, clustering a mention reads them all; past it, an index (see _sharing)
_ENTITIES_READ = 32
RESOLVE_WINDOW = 3000  # characters back to look for a pronoun's antecedent


@dataclass(slots=True)
class Entity:
    names: list[str]
    kind: str
    role: str | None = None
    tokens: set[str] = field(default_factory=set)
    private: bool = False  # named with an age, "Gabriel Manek (60)": not a public figure
    index: int = -1  # its position among the entities of the text
    independent: set[str] = field(default_factory=set)  # words of its names the text also uses apart
    joint: bool = False  # two people speaking as one ("Keduanya"): named by both, read no further
    stand_ins: set[str] = field(default_factory=set)  # names that stand for it but never name it (Moskow)
    _name: tuple[tuple[int, int], str] | None = field(default=None, repr=False, compare=False)
    _aliases: tuple[tuple[int, int], tuple[str, ...]] | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        key = (len(self.names), len(self.independent))
        if self._name is None or self._name[0] != key:
            self._name = (key, self._canonical())
        return self._name[1]

    def _canonical(self) -> str:
        longest = max((n for n in self.names if n not in self.stand_ins), key=lambda n: (len(_name_tokens(n)), len(n)))
        words = longest.split()
        # a short form used alone that sits inside the long one starts the name when the
        # words before it are used on their own elsewhere:
        # "Muhammadiyah Haedar Nashir" with "Haedar" -> "Haedar Nashir"
        for short in self.names:
            if " " not in short and short in words[1:-1]:
                k = words.index(short, 1)
                if all(w in self.independent and len(w.rstrip(".")) > 1 for w in words[:k]):  # not an initial
                    return " ".join(words[k:])
        return longest

    @property
    def aliases(self) -> tuple[str, ...]:
        """Its names but ``name``, kept as ``name`` is until a name or an independent word is added:
        each quote of the speaker asks."""
        key = (len(self.names), len(self.independent))
        if self._aliases is None or self._aliases[0] != key:
            main = self.name
            self._aliases = (key, tuple(sorted({n for n in self.names if n != main})))
        return self._aliases[1]


class Attributed(Protocol):
    """What a pronoun can resolve to: anything (a cue event, a sentence subject) with an entity."""

    entity: Entity | None


def _name_tokens(name: str) -> list[str]:
    return name.casefold().replace("(", " ").replace(")", " ").replace("-", " ").split()


def _same_token(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) >= 5 and abs(len(a) - len(b)) <= 2:
        return a.startswith(b) or b.startswith(a)
    return False


def _subset(small: Iterable[str], big: set[str]) -> bool:
    """Whether every token of ``small`` is in ``big`` or a variant spelling of one (_same_token)."""
    for s in small:
        if s in big:
            continue
        n = len(s)
        if n < 5:
            return False
        for b in big:
            k = len(b)
            if k >= 5 and -2 <= n - k <= 2 and (s.startswith(b) if n >= k else b.startswith(s)):
                break
        else:
            return False
    return True


class Entities:
    """The entities of one text, in the order they were first named, with the indexes that keep
    clustering and name look-ups linear in the text."""

    def __init__(self, ctx: Context):
        self.text = ctx.text
        self.lex = ctx.lex
        self.parser = ctx.parser
        self.sentences = ctx.sentences
        self.public_only = ctx.scope == "public"  # then a full name with a role is still read for an age
        self.found: list[Entity] = []
        # past _ENTITIES_READ entities: their positions by each name token and by one key token,
        # each as (by the token, by the token less its last one or two letters); see _sharing
        self._by_token: tuple[dict[str, set[int]], dict[str, set[int]]] | None = None
        self._by_key: tuple[dict[str, set[int]], dict[str, set[int]]] = ({}, {})
        self._tokenless: set[int] = set()
        self._capitalised: dict[str, list[int]] = {}  # capitalised word searched for -> where it stands
        self._all_capitalised: dict[str, list[int]] | None = None  # every one, past _WORDS_SEARCHED
        self._bracketed: dict[str, int] | None = None  # an acronym in brackets -> where it is first spelled out

    def _sharing(self, toks: list[str], known: int) -> list[Entity]:
        """The first ``known`` entities that could match a mention with these name tokens, newest
        first, so that clustering reads a few candidates instead of every entity of the text.

        _subset(toks, entity tokens) needs every token of the mention in the entity, as
        itself or a variant spelling (_same_token): such an entity is filed under a variant of
        the mention's rarest token. _subset(entity tokens, toks) needs every token of the
        entity in the mention, so also the one it is filed under as its key. Entities with no
        token pass the second test whatever the mention; with no token, the mention passes the
        first test against any entity.
        """
        if not toks or len(self.found) <= _ENTITIES_READ:
            return self.found[:known][::-1]
        if self._by_token is None:
            self._by_token = ({}, {})
            for ent in self.found:
                self._add_tokens(ent.index, ent.tokens, new=True)
        rarest = min(toks, key=lambda t: self._filed(self._by_token, t, count=True))
        found = self._filed(self._by_token, rarest) | self._tokenless
        for t in toks:
            found |= self._filed(self._by_key, t)
        return [self.found[k] for k in sorted(found, reverse=True) if k < known]

    @staticmethod
    def _filed(index: tuple[dict[str, set[int]], dict[str, set[int]]], t: str, count: bool = False):
        """The entities filed in ``index`` under ``t`` or a variant spelling of it (or how many
        filings that reads). ``index`` is (by token, by token less its last one or two letters)."""
        exact, extended = index
        sets = [exact.get(t, set())]
        if len(t) >= 5:
            sets.append(extended.get(t, set()))  # filed under t plus one or two letters
            sets += [exact.get(shorter, set()) for shorter in (t[:-1], t[:-2]) if len(shorter) >= 5]
        return sum(map(len, sets)) if count else set().union(*sets)

    @staticmethod
    def _file(index: tuple[dict[str, set[int]], dict[str, set[int]]], k: int, t: str) -> None:
        exact, extended = index
        exact.setdefault(t, set()).add(k)
        for prefix in (t[:-1], t[:-2]):
            if len(prefix) >= 5:
                extended.setdefault(prefix, set()).add(k)

    def _add_tokens(self, k: int, toks, new: bool = False) -> None:
        """File entity ``k`` under its new name tokens; an entity getting its first tokens also
        under its key, the one of them fewest entities had so far (see _sharing)."""
        if self._by_token is None:
            return  # not indexed yet: _sharing files every entity when it starts
        toks = list(toks)
        if not toks:
            if new:
                self._tokenless.add(k)
            return
        if new or k in self._tokenless:  # its first tokens: the key is one of them
            key = min(toks, key=lambda t: (self._filed(self._by_token, t, count=True), -len(t), t))
            self._file(self._by_key, k, key)
            self._tokenless.discard(k)
        for t in toks:
            self._file(self._by_token, k, t)

    def find_entity(self, m: Mention, known: int) -> Entity | None:
        """The newest of the first ``known`` entities that a person's mention names."""
        toks = _name_tokens(self.text[m.name_start : m.name_end])
        tok_set = set(toks)  # once, not once an entity compared
        for ent in self._sharing(toks, known):
            if ent.kind in ("person", "unknown") and (_subset(toks, ent.tokens) or _subset(ent.tokens, tok_set)):
                return ent
        return None

    def entity_for(self, m: Mention) -> Entity:
        text = self.text
        name = text[m.name_start : m.name_end] if m.has_name else text[m.start : m.end]
        name = " ".join(name.split())
        kind = m.kind if m.kind in ("person", "organization", "media", "anonymous") else "unknown"
        toks = _name_tokens(name)
        tok_set = set(toks)  # once, not once an entity compared
        best = None
        if kind != "anonymous":
            for ent in self._sharing(toks, len(self.found)):
                if ent.kind == "anonymous":
                    continue
                if kind == "person" and ent.kind in ("organization", "media"):
                    continue  # "Trump" is not "Trump's campaign"
                if _subset(toks, ent.tokens) or (kind == ent.kind and _subset(ent.tokens, tok_set)):
                    best = ent
                    break
        if best is None and name in self.lex.capitals:
            best = self._country(self.lex.capitals[name])  # "Moskow mengklaim": Rusia, named by its capital
            if best is not None:
                best.stand_ins.add(name)
        if best is None:
            best = Entity([name], kind, m.role, set(toks), index=len(self.found))
            self.found.append(best)
            self._add_tokens(best.index, best.tokens, new=True)
        else:
            if name not in best.names:
                best.names.append(name)
            best.tokens.update(toks)
            self._add_tokens(best.index, toks)
            if best.role is None and m.role:
                best.role = m.role
        return best

    def _country(self, country: str) -> Entity | None:
        """The entity the text already names ``country`` by, if any."""
        return next((ent for ent in self.found if ent.kind != "person" and country in ent.names), None)

    def resolve(self, m: Mention, named: list[tuple[int, Attributed]]) -> Entity | None:
        """The latest named speaker before a pronoun or clitic, within reach."""
        pronoun = self.text[m.start : m.end].casefold()
        want = self.lex.pronouns.get(pronoun, "person")
        # named is in text order: only the entries before the pronoun and within reach are read
        lo = bisect.bisect_left(named, m.start - RESOLVE_WINDOW, key=lambda pe: pe[0])
        hi = bisect.bisect_left(named, m.start, key=lambda pe: pe[0])
        for _, ev in reversed(named[lo:hi]):
            ent = ev.entity
            if ent is None:
                continue
            if want == "person" and ent.kind not in ("person", "unknown"):
                continue
            return ent
        return None

    def expand(self, ent: Entity) -> None:
        """Full name, role and standing of a person from the places the text names them.

        A speaker named by a short form (Zelensky, Parwati) gets the full name of
        its introduction (Presiden Ukraina Volodymyr Zelenskyy); the role is the
        title before the name or the apposition after it at the first place that
        has one; an age in parentheses after the name marks a private person.
        """
        if ent.kind in ("organization", "media"):
            self._spell_out(ent)
        if ent.kind != "person" or ent.joint:
            return
        text = self.text
        capitalised = {w for n in ent.names for w in n.split() if len(w) > 1 and w[:1].isupper()}
        keys = sorted(capitalised, key=lambda w: (-len(w), w))
        if not keys:
            return
        current = _name_tokens(ent.name)
        best: tuple[float, int, str] | None = None
        first_role: dict[str, str] = {}
        seen = 0
        covered = -1  # the end of the run read last: later words of it need no second read
        if len(current) >= 2 and ent.role is not None and not self.public_only:
            positions = []  # named in full with a role already; only the public scope needs the age
        else:
            # in text order, merged lazily: only the first few are read, however often a first name recurs
            positions = heapq.merge(*(self.capitalised_at(k) for k in sorted(set(keys[:6]))))
        for occ in positions:
            if occ < covered:
                continue
            seen += 1
            if seen > 24:
                break
            start = self._run_start(occ)
            _, s_end = self.sentences.sentence_of(occ)
            m = self.parser.forward(start, s_end)
            if m is not None:
                covered = m.end
            if m is None or not m.has_name or m.kind != "person" or not (m.name_start <= occ < m.name_end):
                continue
            full = " ".join(text[m.name_start : m.name_end].split())
            toks = _name_tokens(full)
            if not (_subset(current, set(toks)) or _subset(toks, set(current))):
                continue
            if self.lex.age_at(text, m.name_end):
                ent.private = True
            if ent.role is None and (full not in first_role or " " not in first_role[full]):
                role = m.role or self.role_before(m.start)
                if role is None:
                    # "Analis riset Capital Asset Management, Desmon Silitonga, …"
                    before = text[max(0, m.start - 3) : m.start]
                    if before.rstrip().endswith(","):
                        role = self.role_before(m.start - len(before) + before.rindex(","))
                role = role or self.parser.apposition(m.end, min(len(text), m.end + 200))
                bare = first_role.get(full)
                if role and (bare is None or role.startswith(bare + " ")):
                    first_role[full] = role  # a bare title gives way to its fuller form: Presiden Rusia
            if len(toks) > len(current):
                # the short form as surname (Donald Trump) beats a form run into another name
                score = 1.0 if any(_same_token(toks[-1], c) for c in current) else 0.5
                if best is None or score > best[0]:
                    best = (score, m.start, full)
            bare_title = best is not None and " " not in first_role.get(best[2], " ")  # read on for its fuller form
            titled = ent.role is not None or (best is not None and best[2] in first_role)
            if best is not None and best[0] == 1.0 and titled and not bare_title:
                break
            if best is None and len(current) >= 2 and (ent.role is not None or first_role) and seen >= 3:
                break  # a full name with a role: the introduction has been read
        if best is not None:
            full = best[2]
            ent.names.append(full)
            ent.tokens.update(_name_tokens(full))
            self._add_tokens(ent.index, _name_tokens(full))
            if ent.role is None:
                ent.role = first_role.get(full)
        longest = max(ent.names, key=lambda n: (len(_name_tokens(n)), len(n))).split()
        for word, nxt in itertools.pairwise(longest):
            if any(not text.startswith(nxt, p + len(word) + 1) for p in self.capitalised_at(word)):
                ent.independent.add(word)
        if ent.role is None:
            ent.role = next(iter(first_role.values()), None)

    def _spell_out(self, ent: Entity) -> None:
        """A body named by its acronym takes the name the text spells out before it in brackets:
        KCNA → "Kantor Berita Pusat Korea (KCNA)" names Kantor Berita Pusat Korea, alias KCNA."""
        if len(ent.names) != 1 or not is_acronym(ent.names[0]) or " " in ent.names[0]:
            return
        if self._bracketed is None:  # one scan of the text, however many acronyms it names
            self._bracketed = {}
            for m in _BRACKETED.finditer(self.text):
                self._bracketed.setdefault(m.group(1), m.start())
        bracketed = self._bracketed.get(ent.names[0], -1)
        if bracketed < 0:
            return
        s_start, _ = self.sentences.sentence_of(bracketed)
        full = self.parser.backward(bracketed, s_start)
        if full is None or full.kind not in ("organization", "media") or full.end > bracketed:
            return
        name = " ".join(self.text[full.start : full.end].split())
        if name != ent.names[0] and not is_acronym(name):
            ent.names.append(name)
            ent.kind = full.kind
            ent.tokens.update(_name_tokens(name))
            self._add_tokens(ent.index, _name_tokens(name))

    def capitalised_at(self, word: str) -> list[int]:
        """Where ``word`` stands as a whole capitalised word (a match of _CAP_WORD scanning the
        text from its start), in text order. The first few words wanted are searched for, one
        by one (cheaper for an article, which wants a dozen); past _WORDS_SEARCHED, one scan
        indexes every capitalised word, so a text with thousands of speakers is not read once
        per speaker."""
        if self._all_capitalised is not None:
            return self._all_capitalised.get(word, [])
        found = self._capitalised.get(word)
        if found is None:
            if len(self._capitalised) >= _WORDS_SEARCHED:
                self._all_capitalised = {}
                for m in _CAP_WORD.finditer(self.text):
                    self._all_capitalised.setdefault(m.group(), []).append(m.start())
                return self._all_capitalised.get(word, [])
            text, found, n = self.text, [], len(word)
            # else no match of _CAP_WORD is the word alone
            occurrences = self.parser.words.occurrences(word) if _CAP_WORD.fullmatch(word) else ()
            for i in occurrences:
                before, after = text[i - 1 : i] if i else " ", text[i + n : i + n + 1] or " "
                if before.isascii() and after.isascii():
                    # _CAP_WORD's look-behind and where its run of letters ends, read on ASCII
                    whole = not before.isalnum() and not (after.isalpha() or after in "-'")
                else:
                    m = _CAP_WORD.match(text, i)
                    whole = m is not None and m.end() == i + n
                if whole and not self._inside_cap_word(i):
                    found.append(i)
            self._capitalised[word] = found
        return found

    def _inside_cap_word(self, pos: int) -> bool:
        """Whether a scan for _CAP_WORD would have read ``pos`` as part of an earlier word
        (Pierre in Jean-Pierre): an earlier start in the same run of word characters."""
        text = self.text
        if pos == 0 or text[pos - 1] not in "-’'":
            return False  # the run starts here (or the look-behind already refused it)
        r = pos - 1
        while r > 0 and _CAP_WORD_CHAR.match(text, r - 1):
            r -= 1
        return any(_CAP_WORD.match(text, q) for q in range(r, pos))

    def role_before(self, pos: int) -> str | None:
        """A lower-case title phrase right before a name: pengamat kebijakan publik Trubus R."""
        lex, text = self.lex, self.text
        p = pos
        role_start = None
        for _ in range(16):
            tok = self.parser.words.word_before(p, max(0, p - 60), parens=True)
            if tok is None or text[tok.end : p].strip(" \t()"):
                break
            f = tok.fold
            stops = f in lex.stop_after_mention and f not in lex.role_connectors
            if stops or f in lex.cue_short or f in lex.cue_verbs:
                break
            if f not in lex.titles and not tok.text[:1].isupper() and any(f.startswith(v) for v in lex.verb_prefixes):
                break
            if f in lex.titles:
                role_start = tok.start
            p = tok.start
        if role_start is None:
            return None
        role = text[role_start:pos].strip(" ,")
        return role or None

    def _run_start(self, pos: int) -> int:
        """Back over the capitalised and title words that lead up to ``pos``."""
        start = pos
        for _ in range(14):
            tok = self.parser.words.word_before(start, max(0, start - 60), parens=True)
            if tok is None or self.text[tok.end : start].strip(" \t()") or tok.text.isdigit():
                break  # punctuation, or an age in brackets: another name's end
            how = self.parser.words.accept(tok)
            if how not in ("cap", "title"):
                break  # "Ilham dan Labib": a conjunction joins two people
            start = tok.start
        return start
