"""The speaker picker's data: names found in the text, the roles and outlets it states, and the ranked list.

Read from the article alone (plus the layer's entities): nothing here writes. The words that
tell a title or an outlet apart are the document language's attributor lexicon (README
"Attributor lexicons"), so the picker suggests what the attributor reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from annotator.attribution import available_languages, load_lexicon
from annotator.attribution.lexicon import Lexicon
from annotator.attribution.mentions import MentionParser
from annotator.attribution.roles import stated_role
from annotator.attribution.sentences import Sentences
from annotator.model import Quote, Span, Speaker
from annotator.store.edits import KnownSpeaker

# Runs of capitalised words ("Vladimir Putin", "Departemen Luar Negeri AS", "KCNA").
_NAME = regex.compile(r"\b\p{Lu}[\p{L}\p{M}'’.-]*\p{L}(?:[ \t]+\p{Lu}[\p{L}\p{M}'’.-]*\p{L})*|\b\p{Lu}{2,}\b")
_SENTENCE_START = regex.compile(r"(?:^|[.!?…]\s+|\n\s*|[“\"(]\s*)$")


@dataclass
class SpeakerChoice:
    """One line of the speaker picker: an entity or a name found in the text, and the mention it links."""

    name: str
    kind: str
    mention: Span | None
    source: str  # "yours", "run" or "text"
    role: str | None = None
    aliases: tuple[str, ...] = ()

    def speaker(self) -> Speaker:
        return Speaker(name=self.name, kind=self.kind, mention=self.mention, aliases=self.aliases)


def _distance(span: Span, quote: Quote) -> tuple[int, int]:
    """How far a mention lies from a quote: mentions outside the quote first, then the nearest."""
    if quote.start <= span.start and span.end <= quote.end:
        return (1, 0)
    if span.end <= quote.start:
        return (0, quote.start - span.end)
    return (0, max(0, span.start - quote.end))


@cache
def _not_names() -> frozenset[str]:
    """Capitalised words that are never a speaker's name (days, months, sentence openers) in any
    language the attributor has, whatever the article's: a text names days and months of other
    languages too (an English Sunday in an Indonesian article), and a new lexicon file brings its own."""
    return frozenset().union(*(load_lexicon(language).not_names for language in available_languages()))


_TITLE_WORD = regex.compile(r"\S+")
_DATELINE = regex.compile(
    r"^[ \t]*\(?\p{Lu}[\p{L}\p{N}.]*(?:,?[ \t]+\p{Lu}[\p{L}\p{N}.]*)*\)?[ \t]+[-–—][ \t]", regex.M
)
# A credit or web address (Fakta.com/Evry, @reuters): a token with a slash or an at sign, or letters
# on both sides of a dot with no space after it.
_CREDIT = regex.compile(r"\S*[/@]\S*|\S*\p{L}\.\p{L}{2,}\S*")


def _asides(text: str) -> list[tuple[int, int]]:
    """Where a text names things that do not speak in it: the headline (a first line in title case), photo
    captions (a line opening with a caption word of any lexicon: Ilustrasi, Foto, Photo), datelines
    (*FAKTA.COM, Jakarta -*) and credits (*Fakta.com/Evry*)."""
    ranges = []
    first_end = text.find("\n")
    first = text[: first_end if first_end >= 0 else len(text)]
    words = _TITLE_WORD.findall(first)
    if first_end >= 0 and len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.6 * len(words) \
            and not first.rstrip().endswith((".", "!", "?", "”", '"')):
        ranges.append((0, len(first)))
    markers = _caption_markers()
    line_start = 0
    for line in text.split("\n"):
        words = line.split(None, 1)
        if words and words[0].rstrip(".:") in markers:
            ranges.append((line_start, line_start + len(line)))
        line_start += len(line) + 1
    ranges += [(m.start(), m.end()) for m in _DATELINE.finditer(text)]
    ranges += [(m.start(), m.end()) for m in _CREDIT.finditer(text)]
    return ranges


@cache
def _caption_markers() -> frozenset[str]:
    """Words that open a photo caption in any language the attributor has."""
    return frozenset().union(*(load_lexicon(language).caption_markers for language in available_languages()))


def text_names(text: str) -> dict[str, list[Span]]:
    """Capitalised name sequences of a text with their occurrences; a lone capitalised word opening a
    sentence counts only if it also occurs inside one; a name found only in the headline, a caption, a
    dateline or a credit is not offered, nor one made only of words that are never names (*Pada Jumat*)."""
    found: dict[str, list[Span]] = {}
    inside: set[str] = set()
    asides = _asides(text)
    told: set[str] = set()  # names met outside the asides
    for m in _NAME.finditer(text):
        name, start = m.group(), m.start()
        opening = start == 0 or bool(_SENTENCE_START.search(text, max(0, start - 3), start))
        if not any(s <= start < e for s, e in asides):
            words = name.split()
            told.update(" ".join(words[i:]) for i in range(len(words) - 1))  # Vladimir Putin of Presiden …
            told.add(name)
            if opening and " " in name:
                told.add(name.split(None, 1)[1])
        if opening and " " in name:
            # "Menurut Valery Gerasimov": the first word may be capitalised only as the sentence opener.
            rest = name.split(None, 1)[1]
            found.setdefault(rest, []).append(Span(m.end() - len(rest), m.end(), rest))
            inside.add(rest)
        found.setdefault(name, []).append(Span(start, m.end(), name))
        if " " in name or name.isupper() or not opening:
            inside.add(name)
    never = _not_names()
    names = {name: spans for name, spans in found.items()
             if name in inside and name in told and not all(w in never for w in name.split())}
    return _split_runs_on(names)


def _split_runs_on(names: dict[str, list[Span]]) -> dict[str, list[Span]]:
    """A run that opens with a name the text also writes alone, then a full name, is two names written
    together: *utusan khusus Trump Steve Witkoff*, *ajudan Kremlin Yury Ushakov*, *Korea Utara Kim Jong
    Un* — offered as the person (*Steve Witkoff*), never as the run."""
    out: dict[str, list[Span]] = {}
    for name, spans in names.items():
        words = name.split()
        prefix = next((" ".join(words[:k]) for k in range(1, len(words) - 1) if " ".join(words[:k]) in names), None)
        if prefix is None:
            out.setdefault(name, []).extend(spans)
            continue
        rest = name[len(prefix) :].lstrip()
        at = len(name) - len(rest)
        out.setdefault(rest, []).extend(Span(s.start + at, s.end, rest) for s in spans)
    return out


def role_suggestion(lex: Lexicon, text: str, mention: Span | None) -> str | None:
    """The role the article states next to a mention, as the attributor reads a speaker's: the title
    before it ("Presiden Rusia", "pemimpin Korea Utara") or an apposition after it (", kepala Staf …,")."""
    if mention is None:
        return None
    parser, sentences = _reader(lex, text)
    return stated_role(parser, sentences, mention.start, mention.end)


_READERS: dict[tuple[int, str], tuple[MentionParser, Sentences]] = {}


def _reader(lex: Lexicon, text: str) -> tuple[MentionParser, Sentences]:
    """The attributor's reader of one text, kept while the picker asks about its mentions one by one."""
    key = (id(lex), text)
    if key not in _READERS:
        _READERS.clear()  # one document at a time
        _READERS[key] = (MentionParser(text, lex), Sentences(text, lex))
    return _READERS[key]


_OUTLET_NAME = r"\p{Lu}(?:[\p{L}\p{M}\d&'’-]|\.(?=\p{L}))*"


def _any_phrase(phrases: list[str]) -> str:
    """A pattern matching any of ``phrases``, the longest first, any white space between their words."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(r"\s+".join(regex.escape(w) for w in p.split()) for p in ordered) or "(?!)"


@cache
def _via_phrase(lex: Lexicon) -> regex.Pattern:
    """A phrase naming the outlet relaying a quote (group 1): "dikutip dari Radio Free Asia (RFA)",
    "seperti dilansir situs resmi Kremlin", "as reported by the BBC". Its markers are the lexicon's
    ``via_markers`` and ``via_before_names`` but the cues (according to X, told X, mengutip X), which
    near a quote name its speaker. A marker is a whole word (not the "via" of Sylvia); the outlet is
    capitalised, or a media word and a word before its name (situs resmi Kremlin).

    Kept per lexicon: there is one lexicon object per language."""
    cues = {*lex.cue_according, *lex.cue_verbs, *lex.cue_short, *lex.cue_report_object}
    markers = [m for m in (*lex.via_markers, *lex.via_before_names) if m not in cues]
    media = [*lex.media_phrases, *lex.media_markers]
    return regex.compile(
        rf"(?<![\p{{L}}\p{{M}}])(?:{_any_phrase(markers)})\s+"
        rf"((?:(?:{_any_phrase(sorted(lex.determiners))})\s+)?"
        rf"(?:{_OUTLET_NAME}|(?:{_any_phrase(media)})(?:\s+\p{{Ll}}+)?(?=\s+\p{{Lu}}))"
        rf"(?:\s+{_OUTLET_NAME})*"
        r"(?:\s+\(\p{Lu}[\p{Lu}\d]+\))?)"
    )


def via_suggestion(lex: Lexicon, text: str, quote: Quote) -> str | None:
    """The outlet a phrase next to the quote says relayed it, in the quote's paragraph, after it first."""
    via = _via_phrase(lex)
    line_start = text.rfind("\n", 0, quote.start) + 1
    line_end = text.find("\n", quote.end)
    line_end = len(text) if line_end < 0 else line_end
    after = via.search(text, quote.end, min(line_end, quote.end + 200))
    if after is None:
        after = via.search(text, max(line_start, quote.start - 200), quote.start)
    return " ".join(after.group(1).split()) if after else None


def _one_row_per_person(lex: Lexicon, names: dict[str, list[Span]]) -> dict[str, list[Span]]:
    """The text's names with a person's titled forms and surname folded into one name: *Presiden Rusia
    Vladimir Putin*, *Presiden Vladimir Putin* and *Putin* are all *Vladimir Putin*, whose row then
    offers the nearest of them (and its title as the role hint).

    A leading title or place is dropped while at least two words are left that are neither (a personal
    name); a lone word joins the one such name that ends with it."""
    def plain(word: str) -> bool:
        return word.casefold() not in lex.titles and word not in lex.places and word.casefold() not in lex.org_markers

    folded: dict[str, list[Span]] = {}
    for name, spans in names.items():
        words = name.split()
        drop = 0
        while len(words) - drop > 2 and not plain(words[drop]):
            drop += 1
        core = " ".join(words[drop:])
        if drop and not all(plain(w) for w in words[drop:]):
            core, drop = name, 0  # what is left is no personal name (Presiden Amerika Serikat)
        cut = len(name) - len(core)
        folded.setdefault(core, []).extend(Span(sp.start + cut, sp.end, core) for sp in spans)
    people = [n for n in folded if " " in n and all(plain(w) for w in n.split())]
    for word in [n for n in folded if " " not in n]:
        owners = [n for n in people if n.endswith(" " + word)]
        if len(owners) == 1:
            folded[owners[0]].extend(folded.pop(word))
    return folded


def _without_apposed_titles(lex: Lexicon, text: str, names: dict[str, list[Span]]) -> dict[str, list[Span]]:
    """A title phrase the text only ever sets before a name (*Presiden Amerika Serikat, Donald Trump,*) is
    that person's role, not a speaker of its own: its row goes (the person's row shows it as the hint)."""
    starts = {span.start for spans in names.values() for span in spans}

    def apposed(span: Span) -> bool:
        gap = _COMMA_GAP.match(text, span.end)
        return gap is not None and gap.end() in starts

    return {name: spans for name, spans in names.items()
            if not (name.split()[0].casefold() in lex.titles and all(apposed(s) for s in spans))}


_COMMA_GAP = regex.compile(r",[ \t]*")


def speaker_choices(
    lex: Lexicon, text: str, quote: Quote, mine: list[KnownSpeaker], run: list[KnownSpeaker]
) -> list[SpeakerChoice]:
    """The picker's list for one quote: its current speaker first, then this annotator's entities, the
    run's and the names found in the text, nearest to the quote first, each with its nearest mention.

    Why this order: the speaker is nearly always named next to the quote, so the right line is usually
    one of the first digits; an entity already used in the document comes once, under its own name,
    so picking it links the quote to that entity rather than making a second one with a title."""
    name_index = _without_apposed_titles(lex, text, _one_row_per_person(lex, text_names(text)))
    taken: set[str] = set()
    first: list[SpeakerChoice] = []
    current = quote.speaker
    if current is not None:
        first.append(SpeakerChoice(current.name, current.kind, current.mention, "current",
                                   quote.role, current.aliases))
        taken.update(n.casefold() for n in (current.name, *current.aliases))
        if current.mention is not None:
            taken.add(current.mention.text.casefold())

    ranked: list[tuple[tuple[int, int], int, SpeakerChoice]] = []
    entity_names: list[str] = []
    layers = [*((e, "yours") for e in mine), *((e, "run") for e in run)]
    # A name found in the text that ends with an entity's name ("Presiden Rusia Vladimir Putin") is that
    # entity with its title: its occurrences count as the entity's mentions, not as a line of their own.
    inner: dict[str, list[Span]] = {}
    titled: set[str] = set()
    known = {n for entity, _ in layers for n in (entity.name, *entity.aliases) if n}
    for name, spans in name_index.items():
        for n in known:
            at = len(name) - len(n)
            if at > 0 and name.endswith(n) and not name[at - 1].isalnum():
                titled.add(name)
                inner.setdefault(n, []).extend(Span(s.start + at, s.start + at + len(n), n) for s in spans)
    for order, (entity, source) in enumerate(layers):
        names = {entity.name, *entity.aliases, *(m.text for m in entity.mentions)}
        entity_names.append(entity.name)
        if entity.name.casefold() in taken:
            continue
        taken.update(n.casefold() for n in names)
        spans = [*entity.mentions, *(s for n in names for s in (*name_index.get(n, ()), *inner.get(n, ())))]
        mention = min(spans, key=lambda s: _distance(s, quote), default=None)
        role = entity.roles[0] if entity.roles else (
            role_suggestion(lex, text, mention) if entity.kind not in ("organization", "media") else None)
        choice = SpeakerChoice(entity.name, entity.kind, mention, source, role, entity.aliases)
        ranked.append((_distance(mention, quote) if mention else (2, 0), order, choice))
    for name, spans in name_index.items():
        if name.casefold() in taken or name in titled or any(name in other for other in entity_names):
            continue
        mention = min(spans, key=lambda s: _distance(s, quote))
        choice = SpeakerChoice(name, "unknown", mention, "text", role_suggestion(lex, text, mention))
        ranked.append((_distance(mention, quote), len(ranked) + 10_000, choice))
    return first + [choice for _, _, choice in sorted(ranked, key=lambda r: (r[0], r[1]))]
