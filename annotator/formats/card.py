"""The Hugging Face dataset card (``README.md``) of a jsonl split: what the files hold, for people who
``datasets.load_dataset("json", data_files=…)`` them or browse them on the Hub.

The YAML header gives the Hub its ``configs`` (one ``data_files`` entry per part that has
documents, so the viewer and ``load_dataset`` of the repository find the parts), the licence and
the languages; the body gives the fields, the counts per part and type, and how the split was
made. Only identifiers the Hub accepts go into the header; every other value taken from the
documents (a licence written out in words, an unusual language code, an annotator's name) is
shown in the body as a JSON string in code, never as Markdown or YAML.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import regex

from annotator.formats.split import METHOD, SplitSpec
from annotator.model import QUOTE_TYPES, AnnotatedDocument, Owner

CARD = "README.md"
# A licence identifier as the Hub writes them (cc-by-4.0, mit, apache-2.0, other, unknown).
LICENCE_ID = regex.compile(r"[a-z0-9][a-z0-9.+-]*")
# A language code as the Hub and spaCy name languages (ISO 639-1, or -3 where there is none).
LANGUAGE_CODE = regex.compile(r"[a-z]{2,3}")
LICENCE_KEYS = ("license", "licence")  # meta keys read, in this order

DOCUMENT_FIELDS = (
    ("id", "string", "the document's id, unique in the dataset"),
    ("lang", "string or null", "language code (`id`, `ms`, `en`…)"),
    ("text", "string", "the article, normalised (NFC, `\\n` line ends); every offset counts its code points"),
    ("meta", "object", "the document's metadata as imported (`title`, `source`, `url`, `date`, …)"),
    ("quotes", "list", "the quotations, in reading order (by start, then end)"),
)
QUOTE_FIELDS = (
    ("start`, `end", "integers", "the quote's content span `[start, end)` in code points of `text`"),
    ("type", "string", "`direct`, `indirect` or `mixed`"),
    ("text", "string", "the slice `text[start:end]`"),
    ("cue", "span or null", "the reporting word (`said`, `kata`…): `{start, end, text}`"),
    ("speaker", "object or null",
     "who said it: `name` (canonical), `kind` (person, organization, media, anonymous, unknown), "
     "`mention` (the span naming them for this quote, or null), `aliases` (list of strings)"),
    ("role", "string or null", "the speaker's role as the article states it"),
    ("role_category", "string or null", "the role's category (government, military, expert, …)"),
    ("via", "string or null", "the outlet relaying the quote"),
    ("adjudication", "object", "on adjudicated labels only: which annotators agreed, whose label was taken"),
)


@dataclass
class _Part:
    documents: int = 0
    quotes: int = 0
    types: Counter[str] = field(default_factory=Counter)


@dataclass
class DatasetCard:
    """Counts gathered document by document while a split is written, then the card's text."""

    parts: dict[str, _Part] = field(default_factory=dict)
    licences: Counter[str | None] = field(default_factory=Counter)  # None: the document gives none
    languages: Counter[str | None] = field(default_factory=Counter)

    def add(self, part: str, ad: AnnotatedDocument) -> None:
        counts = self.parts.setdefault(part, _Part())
        counts.documents += 1
        counts.quotes += len(ad.quotes)
        counts.types.update(q.type for q in ad.quotes)
        self.licences[_licence(ad.document.meta)] += 1
        self.languages[ad.document.lang or None] += 1

    def text(self, files: dict[str, str], owner: Owner, selection: str, split: SplitSpec) -> str:
        """The card of a split into ``files`` (part → file name)."""
        filled = {part: name for part, name in files.items() if self.parts.get(part, _Part()).documents}
        header = self._header(filled)
        return "\n".join([*header, *self._body(files, filled, owner, selection, split)]) + "\n"

    def _header(self, filled: dict[str, str]) -> list[str]:
        """The YAML header; an empty part has no ``data_files`` entry (no rows to infer its columns from)."""
        lines = ["---", f"license: {json.dumps(self.licence_id())}"]
        codes = sorted(c for c in self.languages if c is not None and LANGUAGE_CODE.fullmatch(c))
        if codes:  # quoted, as every value from the data: YAML reads a bare `no` (Norwegian) as false
            lines += ["language:", *(f"- {json.dumps(c)}" for c in codes)]
        if filled:
            lines += ["configs:", "- config_name: default", "  data_files:"]
            for part, name in filled.items():
                lines += [f"  - split: {part}", f"    path: {name}"]
        return [*lines, "---"]

    def licence_id(self) -> str:
        """The header's licence: the documents' one when they all give the same identifier,
        ``unknown`` when none gives one, else ``other`` (the body lists them)."""
        if all(licence is None for licence in self.licences):
            return "unknown"
        if len(self.licences) == 1:
            (only,) = self.licences
            if only is not None and LICENCE_ID.fullmatch(only):
                return only
        return "other"

    def _body(
        self, files: dict[str, str], filled: dict[str, str], owner: Owner, selection: str, split: SplitSpec
    ) -> list[str]:
        """The body in the order a reader needs it: what the data is and how to load it, the parts and
        their counts (empty parts too, so the table adds up), the licence and languages, the fields.
        Names from the data pass through ``code``."""
        whose = f"the labels of annotator {code(owner.name)}" if owner.kind == "annotator" else (
            f"the predictions of run {code(owner.name)}")
        data_files = ", ".join(f'"{part}": "{name}"' for part, name in filled.items())
        proportions = "/".join(str(w) for w in split.as_json().values())
        lines = [
            "",
            "# Quotation attribution dataset",
            "",
            "News documents with their quotations: where each quote is, who said it (the speaker and the",
            "words that name them), the reporting word (the cue), and the speaker's role. Written by",
            f"`annotator export` from {whose} ({selection}). The next export to this folder",
            "replaces this card: edit a copy.",
            "",
            "```python",
            "from datasets import load_dataset",
            "",
            f'dataset = load_dataset("json", data_files={{{data_files}}})',
            "```",
            "",
            "## Parts",
            "",
            f"| part | file | documents | quotes | {' | '.join(QUOTE_TYPES)} |",
            f"| --- | --- | ---: | ---: | {' | '.join('---:' for _ in QUOTE_TYPES)} |",
        ]
        total = _Part()
        for part, name in files.items():
            counts = self.parts.get(part, _Part())
            total.documents += counts.documents
            total.quotes += counts.quotes
            total.types.update(counts.types)
            lines.append(_row(part, f"`{name}`", counts))
        lines += [
            _row("all", "", total),
            "",
            f"Split by document, {proportions} ({'/'.join(files)}) with seed {split.seed}: {METHOD}. "
            "`split.json` lists the ids of each part.",
            "",
        ]
        lines += self._licence_section()
        lines += ["", "## Languages", ""]
        lines += _listing(self.languages)
        lines += ["", "## Fields", "", "One JSON object per line, one document each.", ""]
        lines += _table(DOCUMENT_FIELDS)
        lines += ["", "Each quote in `quotes`:", ""]
        lines += _table(QUOTE_FIELDS)
        lines += ["", "A span is `{start, end, text}`: code-point offsets into the document's `text`, end excluded."]
        return lines

    def _licence_section(self) -> list[str]:
        lines = ["## Licence", ""]
        licence = self.licence_id()
        if licence == "unknown":
            return [*lines, "No document's `meta` gives a licence (`license` or `licence`)."]
        if licence != "other":
            return [*lines, f"Every document's `meta` gives the licence {code(licence)}."]
        lines += ["The documents' `meta` give these licences (`license` or `licence`):", ""]
        return lines + _listing(self.licences)


def _licence(meta: dict[str, Any]) -> str | None:
    for key in LICENCE_KEYS:
        value = meta.get(key)
        if value not in (None, ""):
            return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return None


def _listing(counts: Counter[str | None]) -> list[str]:
    """A bullet per value with its number of documents; the documents that give none last."""
    ordered = sorted(counts.items(), key=lambda item: (item[0] is None, item[0] or ""))
    return [f"- {'none given' if value is None else code(value)}: {n} document{'' if n == 1 else 's'}"
            for value, n in ordered]


def code(value: str) -> str:
    """Untrusted text shown in Markdown: a JSON string in a code span (no markup, no line break, no backtick)."""
    return "`" + json.dumps(value).replace("`", "\\u0060") + "`"


def _row(part: str, file: str, counts: _Part) -> str:
    types = " | ".join(str(counts.types[t]) for t in QUOTE_TYPES)
    return f"| {part} | {file} | {counts.documents} | {counts.quotes} | {types} |"


def _table(fields: tuple[tuple[str, str, str], ...]) -> list[str]:
    return ["| field | type | what |", "| --- | --- | --- |", *(f"| `{n}` | {t} | {w} |" for n, t, w in fields)]
