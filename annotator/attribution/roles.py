"""Roles and via: what a speaker is named as, whether that makes them a public figure, and the
outlet that relays a quote.

The role itself is read with the mention (mentions.py) or from where the text introduces the
person (entities.py); here it gets its lexicon category and the speaker a standing (public,
private or unknown, the scope of PFSA-ID); a via marker after the mention gives the via.
"""

from __future__ import annotations

import regex

from annotator.attribution.context import Context
from annotator.attribution.entities import Entity
from annotator.attribution.lexicon import WORD, Lexicon
from annotator.attribution.mentions import Mention, MentionParser
from annotator.attribution.sentences import Sentences

_VIA_PHRASE = regex.compile(r"[ \t]*([^,.;:()\n“”\"]{2,60}(?:\([^()\n,.;:]{1,15}\))?)")  # "Radio Free Asia (RFA)"


def role_category(lex: Lexicon, role: str | None, speaker: str | None = None) -> str | None:
    """The first role category of the lexicon whose words the role contains; without a role, the one the
    speaker's name says (*Departemen Luar Negeri AS*: government; *Komisi Militer Pusat*: military), or
    for a place (*Rusia*, *Korea Utara*, *the Kremlin*: a state speaks through its government) the
    lexicon's ``place_category``."""
    if role:
        return lex.role_category(role)
    if not speaker:
        return None
    words = WORD.findall(speaker)
    if words and all(w in lex.places or w.casefold() in lex.determiners for w in words) \
            and any(w in lex.places for w in words):
        return lex.place_category
    return lex.role_category(speaker)


def standing(lex: Lexicon, ent: Entity | None, m: Mention, role: str | None) -> str:
    """public, private or unknown: whether the speaker is named as a public figure.

    Public: an organisation or outlet, a title alone (Presiden), or a role
    with a title, rank or organisation word. Private: an anonymous source, a
    person named with an age ("Ratna (47)"), or a role such as warga or
    pedagang. Unknown otherwise (a name with no role anywhere in the text).
    """
    if ent is None:
        return "private"  # an unresolved pronoun: nobody named
    if ent.kind in ("organization", "media"):
        return "public"
    if ent.kind == "anonymous" or ent.private:
        return "private"
    role = role or ent.role
    if not role and m.kind == "person" and not m.has_name:
        return "public"  # kata Presiden
    if not role:
        return "unknown"
    words = [w.casefold() for w in WORD.findall(role)]
    lead = [w for w in words if w not in lex.role_opener_words]
    if lead and lead[0] in lex.private_roles:
        return "private"
    if any(w in lex.titles or w in lex.org_markers for w in words) or any(c.isupper() for c in role[1:]):
        return "public"
    return "unknown"


def via_after(ctx: Context, pos: int) -> str | None:
    """"… kata Gerasimov seperti dikutip situs resmi Kremlin": the relaying outlet."""
    _, s_end = ctx.sentences.sentence_of(pos)
    window = ctx.text[pos : min(s_end, pos + 80)]
    low = window.casefold()
    if ctx.lex.via_marker.search(low) is None:
        return None  # most quotes name no relay: one search rules every marker out
    for marker in ctx.lex.via_markers:
        i = low.find(marker)
        if i >= 0 and (i == 0 or not low[i - 1].isalnum()) and not low[:i].strip(" ,").count(" ") > 2:
            rest = window[i + len(marker) :]
            m = _VIA_PHRASE.match(rest)
            if m and m.group(1).strip():
                return _outlet_name(m.group(1).strip())
    return None


def _outlet_name(phrase: str) -> str:
    """A named outlet ends at its last capitalised word: "akun Truth Social miliknya" → "Truth Social";
    a described one ("laman resmi kementerian") is kept whole."""
    words = phrase.split()
    named = [i for i, w in enumerate(words) if w[:1].isupper() or w[:1] == "("]
    return " ".join(words[: named[-1] + 1]) if named else phrase


def description_role(lex: Lexicon, description: str) -> str | None:
    """The role an anonymous source's description gives: the description without its determiner and the
    phrase that withholds the name (*seorang pejabat senior AS yang tidak disebutkan namanya*: *pejabat
    senior AS*; *a senior official who declined to be named*: *senior official*)."""
    words = description.split()
    while words and words[0].casefold() in lex.determiners:
        words = words[1:]
    role = " ".join(words)
    fold = role.casefold()
    for marker in lex.anonymous_markers:
        at = fold.find(marker)
        if at > 0:
            role = role[:at].rstrip(" ,")
            fold = role.casefold()
    words = role.split()
    while words and words[-1].casefold() in lex.stop_after_mention:  # "… yang tidak disebutkan namanya"
        words = words[:-1]
    return " ".join(words) or None


def stated_role(parser: MentionParser, sentences: Sentences, start: int, end: int) -> str | None:
    """The role the article states at the mention [start, end), read as the attributor reads a speaker's:
    the title before the name (*Presiden Rusia* Vladimir Putin, *utusan khusus Trump* Steve Witkoff) or
    an apposition after it (Valery Gerasimov, *kepala Staf Umum …*,); None for anything else near it
    (a caption's *Ilustrasi*, a clause after a comma)."""
    s_start, s_end = sentences.sentence_of(start)
    m = parser.backward(end, s_start)
    if m is not None and m.kind == "person" and m.end == end and _titled(parser, m.role):
        return m.role
    text = parser.text
    before = text[s_start:start].rstrip()
    if before.endswith(","):  # "Presiden Amerika Serikat, Donald Trump,": the title set off before the name
        comma = s_start + len(before) - 1
        opening = text.rfind(",", s_start, comma) + 1 or s_start
        title = parser.backward(comma, s_start)
        starts = [
            opening, *([title.start] if title is not None else []),
            *(w.end() for w in WORD.finditer(text, opening, comma) if w.group().casefold() in parser.lex.conjunctions),
        ]
        for at in starts:
            m = parser.forward(at, s_end)
            if m is not None and m.kind == "person" and _titled(parser, m.role) and m.name_start == start:
                return m.role
    return parser.apposition(end, s_end)


def _titled(parser: MentionParser, role: str | None) -> bool:
    """A role that holds a title and ends as a phrase does (not "mayor of" before a place, not "Carla")."""
    words = [w.casefold() for w in WORD.findall(role or "")]
    return bool(words) and words[-1] not in parser.lex.role_connectors and any(
        w in parser.lex.titles or w in parser.lex.org_markers for w in words
    )
