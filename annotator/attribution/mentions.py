"""Speaker mentions: name phrases around reporting words, split into role and name.

A mention is a run of words that can belong to a name or a title ("Presiden
Ukraina Volodymyr Zelenskyy", "juru bicara kepresidenan Ukraina Serhii
Nykyforov", "Departemen Luar Negeri"), a pronoun, a clitic (-nya) or an
anonymous source ("seorang pejabat senior AS yang tidak disebutkan namanya").
The name is the trailing words that look like a personal name; what comes
before it is the role.

This module reads the runs: forward from a cue, back from a verb, a clause's subject, a role in
apposition. It leans on three others: ``words`` (the document's words, read once, and what the
text says about each), ``names`` (what a run names, and where its name starts) and
``anonymous`` (sources that name no one).
"""

from __future__ import annotations

import re
from dataclasses import replace

import regex

from annotator.attribution.anonymous import AnonymousSources
from annotator.attribution.lexicon import WORD, Lexicon
from annotator.attribution.names import Mention, RunClassifier
from annotator.attribution.words import CLAUSE_STOP, Token, Words, is_acronym, is_cap

__all__ = ["WORD", "Mention", "MentionParser"]
_AGE = regex.compile(r"\s*\(\d{1,3}\)")
_COMMA = re.compile(r",[ \t]*")  # re for the patterns without Unicode classes: cheaper to call
# "Kamis (5/11/2020)", "Senin pagi", "(12/12/2020)": when, between a subject and its verb
_DATE_ADJUNCT = regex.compile(
    r"(?:\p{Lu}\p{Ll}+(?:[ \t]+\p{Ll}+)?[ \t]*)?\(\d{1,2}/\d{1,2}(?:/\d{2,4})?\)$"
    r"|\d{1,2}[ \t]+\p{Lu}\p{Ll}+(?:[ \t]+\d{4})?$"
)
_APPOSITION = re.compile(r",[ \t]*([^,.;:\n“”\"]{3,140})(?:,|\.|;|$)")
_PAREN = regex.compile(r"\s*\([^()\n]{1,40}\)")


class MentionParser:
    """Reads mentions in one document with one lexicon."""

    def __init__(self, text: str, lex: Lexicon):
        self.text = text
        self.lex = lex
        self.words = Words(text, lex)
        self.runs = RunClassifier(self.words)
        self.anonymous = AnonymousSources(text, lex)
        self._forward_memo: dict[tuple[int, int], Mention | None] = {}

    def mark_cue_word(self, pos: int) -> None:
        """The capitalised word at ``pos`` is a cue (Lindsey Graham Says, in a title-case
        headline), so no name runs on over it; nor over the capitalised adverbs right before it
        (Rusia Akhirnya Akui), which the subject is read back over."""
        self.words.mark_cue_word(pos)
        for _ in range(3):
            tok = self.words.word_before(pos, 0)
            if tok is None or tok.fold not in self.lex.subject_adverbs or self.text[tok.end : pos].strip():
                break
            self.words.mark_cue_word(tok.start)
            pos = tok.start
        self._forward_memo.clear()

    # ---- runs -----------------------------------------------------------------
    def forward(self, pos: int, limit: int) -> Mention | None:
        """The mention starting at ``pos`` (after a cue: kata X, said X, menurut X).

        Kept by where its first word starts: ``_forward`` reads from there alone (``word_at``
        skips the spaces and tabs before it), so "X" and " X" are one reading, not two. Every caller
        gets that one reading, not a copy of its own: one that wants it otherwise (another start,
        a role) makes a changed copy (``dataclasses.replace``), never changes it."""
        text = self.text
        while pos < limit and text[pos] in " \t\u00a0":
            pos += 1
        key = (pos, limit)
        if key not in self._forward_memo:
            self._forward_memo[key] = self._forward(pos, limit)
        return self._forward_memo[key]

    def _forward(self, pos: int, limit: int) -> Mention | None:
        """The uncached reading behind ``forward``: one function, because the name, its title and an
        apposition are only known together.

        A pronoun or an anonymous source ends it at once; otherwise a run of capitalised words
        and titles is read (a portfolio listed with commas, an acronym in brackets) and
        classified, and a title standing apart from its name by a comma ("Kepala Staf …,
        Valery Gerasimov,") becomes the role of the person named after it.
        """
        text, words, lex = self.text, self.words, self.lex
        first = words.word_at(pos, limit)
        if first is None:
            return None
        kind = lex.pronouns.get(first.fold)
        if kind is not None:
            return Mention(first.start, first.end, "pronoun")
        anon = self.anonymous.starting_at(first.start, limit) if first.fold in lex.anonymous_heads else None
        if anon is not None:
            return anon
        if words.accept(first) != "cap" and first.fold not in lex.titles:
            return None
        if not is_cap(first.text) and (
            first.fold in lex.stop_after_mention or first.fold in lex.prepositions
        ):
            return None  # "said of Mrs. Clinton's plan": a preposition opens no mention, even one in a title
        toks: list[Token] = []
        portfolio = 0  # words of the run that belong to the title whatever they look like
        p = first.start
        while len(toks) < 16:
            tok = words.word_at(p, limit)
            if tok is None and toks and text.startswith(",", p):
                # "Menteri Koordinator Bidang Politik, Hukum, dan Keamanan Mahfud MD": a title's
                # portfolio listed with commas goes on to its last item
                listed = self.runs.listed_portfolio(p, limit, toks)
                if listed is not None:
                    p = listed
                    portfolio = len(toks) + 1  # the list's last item belongs to the title too
                    continue
            if tok is None:
                break
            if tok.fold in lex.conjunctions and toks and self._joins_people(toks, tok.end, limit):
                break  # "Putin dan Presiden Korea Utara, Kim Jong-un": two people, not one title
            if tok.fold in lex.stop_after_mention and toks and (
                not (tok.fold in lex.role_connectors and words.next_is_cap(tok.end, limit))
                or self.runs.name_like(toks[-1], toks, len(toks) - 1)
            ):
                break
            how = words.accept_in_run(tok, bool(toks), limit)
            if how is None:
                break
            if how == "conn" and not words.next_is_cap_or_title(tok.end, limit):
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
                if inner and (is_acronym(inner) or inner[:1].isupper()):
                    opening = paren.start() + len(paren.group()) - len(paren.group().lstrip())
                    toks.append(Token(opening, paren.end(), "(" + inner + ")", "(" + inner.casefold() + ")"))
                    p = paren.end()
        while toks and toks[-1].fold in lex.role_connectors and not is_cap(toks[-1].text):
            toks.pop()
        if not toks:
            return None  # else its first word is ``first``, capitalised or a title, as a mention's must be
        mention = self.runs.classify(toks, portfolio)
        if mention is not None and mention.kind == "person" and mention.has_name and mention.role:
            # "Ketua KPUD Muna, Kubais," / "peneliti senior Centropolis, Suryono Herlambang,"
            comma = _COMMA.match(text, mention.end, min(len(text), mention.end + 3))
            if comma and " " not in text[mention.name_start : mention.name_end].strip():
                named = self.forward(comma.end(), limit)
                if (
                    named is not None and named.has_name and named.kind == "person" and named.role is None
                    and self._closes_apposition(named.end, limit)
                ):
                    return replace(named, start=mention.start, role=text[mention.start : mention.end])
        if mention is not None and not mention.has_name and mention.kind in ("person", "organization"):
            # "Kepala Staf Umum Angkatan Bersenjata Rusia, Valery Gerasimov,": the name in apposition
            comma = _COMMA.match(text, mention.end, min(len(text), mention.end + 3))
            if comma and any(t.fold in lex.titles for t in toks):
                named = self.forward(comma.end(), limit)
                if named is not None and named.has_name and named.kind == "person" and named.role is None:
                    return replace(named, start=mention.start, role=text[mention.start : mention.end])
        if (
            mention is not None and mention.kind == "person" and (mention.role or not mention.has_name)
            and any(t.fold in lex.titles for t in toks)
        ):
            named = self._named_after_role(mention, limit)
            if named is not None:
                return named
        return mention

    def _joins_people(self, toks: list[Token], pos: int, limit: int) -> bool:
        """Whether a conjunction after a name starts a second person's title (*Irwan Prayitno dan
        Gubernur Bali*), not the rest of a body's name (*Menteri Riset dan Teknologi*)."""
        after = self.words.word_at(pos, limit)
        if after is None or after.fold not in self.lex.titles:
            return False
        before = self.runs.classify(toks)
        if before is None or before.kind != "person" or not before.has_name:
            return False
        # a name alone (Putin), or a full name after a title (Gubernur Sumatera Barat Irwan Prayitno)
        return before.name_start == toks[0].start or " " in self.text[before.name_start : before.name_end]

    def _named_after_role(self, mention: Mention, limit: int) -> Mention | None:
        """The person a title phrase introduces further on, past the rest of its role:
        "ahli epidemiologi Universitas Airlangga, Windhu Purnomo," (lower-case words of the
        role) or "Kepala Dusun X, Kelurahan Y, Kecamatan Z, Wahyu Wibowo" (its places)."""
        text, lex = self.text, self.lex
        pos = mention.end
        places = 0
        if not mention.has_name:
            # lower-case words that carry the role on up to a comma
            stop = CLAUSE_STOP.search(text, pos, min(limit, pos + 100))
            if stop is None or text[stop.start()] != ",":
                return None
            words = WORD.findall(text, pos, stop.start())
            if text[pos : stop.start()].strip(" \t()") and not all(self.runs.role_word(w) for w in words):
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
            segment = CLAUSE_STOP.search(text, comma.end(), min(limit, comma.end() + 60))
            seg_end = segment.start() if segment is not None else min(limit, comma.end() + 60)
            words = text[comma.end() : seg_end].split()
            if words and (
                (len(words) <= 4 and self.runs.place_words(words)) or (len(words) <= 6 and self.runs.body_words(words))
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
            role = text[mention.start : named.name_start if named.role else pos].strip(" ,")
            return replace(named, start=mention.start, role=role)
        return None

    def _stop_word_after(self, end: int, limit: int) -> bool:
        """The name is followed by a word that never continues it: "Wahyu Wibowo di Sleman"."""
        tok = self.words.word_at(end, limit)
        return tok is not None and tok.fold in self.lex.stop_after_mention

    def backward(self, pos: int, floor: int) -> Mention | None:
        """The mention ending right before ``pos`` (X mengatakan, X said), skipping adverbs."""
        text, words = self.text, self.words
        p = self.past_adverbs(self._past_adjuncts(pos, floor), floor)
        tok = words.word_before(p, floor)
        if tok is not None and tok.fold in self.lex.pronouns and text[tok.end:p].strip() == "":
            return Mention(tok.start, tok.end, "pronoun")
        anon = self.anonymous.ending_at(p, floor)
        if anon is not None:
            return anon
        toks: list[Token] = []
        q = p
        if p != pos:  # adjuncts were skipped: only then is the sentence up to them read
            head = text[floor:p].rstrip()
            if head.endswith(",") and text.rfind(",", max(floor, p - 160), floor + len(head) - 1) < 0:
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
                    if inner.isdigit() or (is_acronym(inner) or inner[:1].isupper()):
                        if not inner.isdigit():
                            toks.append(Token(open_at, back, "(" + inner + ")", "(" + inner.casefold() + ")"))
                        q = open_at
                        continue
            tok = words.word_before(q, floor)
            if tok is None or text[tok.end:q].strip() not in ("", "/"):
                break
            how = words.accept(tok)
            if how is None and toks:
                # a word that never opens a name may sit inside a run (Satuan Lalu Lintas)
                before = words.word_before(tok.start, floor)
                if before is not None and not text[before.end : tok.start].strip() and words.accept(before):
                    how = words.accept(tok, inside=True)
            if how is None:
                break
            toks.append(tok)
            q = tok.start
        toks.reverse()
        while toks and (toks[0].fold in self.lex.role_connectors and not is_cap(toks[0].text)):
            toks.pop(0)
        while toks and toks[-1].fold in self.lex.role_connectors and not is_cap(toks[-1].text):
            toks.pop()  # "dimanfaatkan Presiden Joko Widodo untuk mengingatkan": no name ends so
        if toks and all(t.fold in self.lex.titles for t in toks):
            det = words.word_before(toks[0].start, floor)
            if det is not None and det.fold in self.lex.determiners and not text[det.end : toks[0].start].strip():
                # "the former first lady said": a description standing for the speaker
                return Mention(det.start, toks[-1].end, "person", role=text[toks[0].start : toks[-1].end])
        if toks and any(is_cap(t.text) for t in toks):
            mention = self.runs.classify(toks)
            if mention is not None:
                if mention.role is None and (role := self.apposition(mention.end, p)) is not None:
                    mention = replace(mention, role=role)
                if mention.role is None and (described := self.outlet_description(mention, floor)):
                    # its place was in the description
                    mention = replace(mention, role=described, start=mention.name_start)
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
                            return replace(named, role=text[self.title_start(inner.start, floor) : inner.end])
                    if not inner.has_name and inner.kind == "person":
                        # "Marullah Matali, Wali Kota Jakarta Selatan, yang dihubungi, membenarkan"
                        head = text[floor : inner.start].rstrip()
                        if head.endswith(","):
                            named = self.backward(floor + len(head) - 1, floor)
                            if named is not None and named.has_name and named.kind == "person":
                                return replace(named, role=named.role or text[inner.start : inner.end])
                    if inner.role is None and self.runs.role_like(appos):
                        return replace(inner, role=appos)
                    return inner
        return None

    def outlet_description(self, mention: Mention, floor: int) -> str | None:
        """What an outlet is described as before its name: "Publikasi daring AS Axios" → "Publikasi
        daring AS" — back over a few lower-case words to a word that names a kind of outlet."""
        if mention.kind != "media" or not mention.has_name:
            return None
        p, opener = mention.start, None
        for _ in range(4):
            tok = self.words.word_before(p, floor)
            if tok is None or self.text[tok.end : p].strip():
                break
            if tok.fold in self.lex.media_markers:
                opener = tok.start
            elif tok.text[:1].isupper():
                break
            p = tok.start
        if opener is None:
            return None
        return self.text[opener : mention.name_start].strip() or None

    def past_adverbs(self, pos: int, floor: int) -> int:
        """Back from a verb at ``pos`` over up to three adverbs and auxiliaries (juga, has also,
        did not) to where its subject ends."""
        for _ in range(3):
            tok = self.words.word_before(pos, floor)
            if tok is None or tok.fold not in self.lex.subject_adverbs or (
                is_cap(tok.text) and not self.words.is_cue_word(tok.start)
            ):
                break
            pos = tok.start
        return pos

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
            tok = self.words.word_before(p, floor)
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
        first = self.words.word_at(pos, limit)
        if first is None:
            return None
        if first.fold in self.lex.pronouns:
            return Mention(first.start, first.end, "pronoun")
        if first.fold in self.lex.determiners:
            named = self.forward(first.end, limit)
            if named is not None and named.kind != "pronoun":
                return replace(named, start=first.start)
            # "the union", "The clip": a determiner and one to three lower-case words
            p, last = first.end, None
            for _ in range(3):
                tok = self.words.word_at(p, limit)
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
        if not text.startswith(",", end):
            return None  # most names are followed by no apposition: rule it out before slicing
        m = _APPOSITION.match(text[end : min(limit + 1, end + 160)])
        if not m:
            return None
        appos = m.group(1).strip()
        return appos if self.runs.role_like(appos) else None
