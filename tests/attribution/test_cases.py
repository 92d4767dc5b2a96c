"""The attributor's cases: every example phrase as a line of data, text -> expected quotes.

Each file ``tests/attribution/cases/<lang>.jsonl`` holds one case a line (blank lines are skipped):

    {"name": "short cue after a direct quote", "construction": "short cue", "lang": "id",
     "text": "”Kami siap,” kata Menteri Keuangan Budi Santoso.",
     "quotes": [{"content": "”Kami siap,”", "type": "direct", "cue": "kata", "speaker": "Budi Santoso",
                 "mention": "Budi Santoso", "role": "Menteri Keuangan", "via": null}],
     "exact": true}

A case (``name``, ``construction``, ``text`` and ``quotes`` required):

- ``name``: what the case shows, unique over every file; it is the test's id.
- ``construction``: one of CONSTRUCTIONS below (a label of annotator/attribution/constructions.py's
  table, or one of NOT_IN_THE_TABLE), the construction the case is about.
- ``lang``: the language, the file's name (``id`` in ``id.jsonl``); may be left out.
- ``text``: the document text, predicted with that language's lexicon.
- ``quotes``: the expected quotes, each matched to the predicted quote with the same ``content`` span.
- ``exact``: true when no other quote may be predicted (``"quotes": []`` with it: nothing at all).
- ``xfail``: why today's attributor gets the case wrong; the quotes are then the right answer, and
  the test is expected to fail (strict: once the attributor gets it right, remove the ``xfail``).
- ``note``: free text for the reader, not checked.

An expected quote (a field left out is not checked, ``null`` means none):

- ``content``, ``cue``, ``mention``: substrings of ``text``, its first occurrence; the quote's span,
  its cue's span and the span of the speaker's mention must be exactly there. ``"nth": {"cue": 2}``
  takes the second occurrence instead (per field, counting from 1).
  Without ``content`` the quote is matched by its ``cue`` span (its extent then goes unchecked).
- ``type``: direct, indirect or mixed. ``speaker``: the speaker's name (its entity's full name, which
  may differ from the mention: ``katanya`` -> ``Budi Santoso``). ``kind``: person, organization,
  media, anonymous or unknown. ``role``, ``via``: the strings predicted. ``aliases``: names that must
  be among the speaker's aliases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from annotator.attribution.constructions import CONSTRUCTIONS as TABLE
from annotator.model import QUOTE_TYPES, SPEAKER_KINDS, Quote
from tests.support.attribution import predicted
from tests.support.evaluation import at

CASES = Path(__file__).parent / "cases"

# Case labels that name no class of the constructions table (tests/attribution/test_constructions.py)
NOT_IN_THE_TABLE = frozenset(
    {
        "direct quote with marks",  # what a quotation mark does and does not open, whatever attributes the quote
    }
)
# Each construction's label in the table (kata X, X mengatakan, menurut X, …: see its class), and the above
CONSTRUCTIONS = frozenset(c.label for c in TABLE.values()) | NOT_IN_THE_TABLE
CASE_KEYS = frozenset({"name", "construction", "lang", "text", "quotes", "exact", "xfail", "note"})
QUOTE_KEYS = frozenset({"content", "type", "cue", "speaker", "mention", "kind", "role", "via", "aliases", "nth"})
SUBSTRINGS = ("content", "cue", "mention")  # fields given as substrings of the text


@dataclass(frozen=True)
class Case:
    lang: str
    line: int  # in its file, counting from 1
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.data.get("name", f"{self.lang}.jsonl:{self.line}"))

    @property
    def text(self) -> str:
        return self.data["text"]


def load_cases() -> list[Case]:
    """Every case of every language file, in file and line order."""
    found = []
    for path in sorted(CASES.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                found.append(Case(path.stem, number, json.loads(line)))
    return found


def locate(text: str, sub: str, nth: int = 1) -> tuple[int, int] | None:
    """The span of the ``nth`` occurrence of ``sub`` in ``text`` (counting from 1), or None."""
    try:
        return at(text, sub, nth - 1)
    except ValueError:
        return None


def expected_span(case: Case, quote: dict[str, Any], field: str) -> tuple[int, int] | None:
    return locate(case.text, quote[field], quote.get("nth", {}).get(field, 1))


def describe(q: Quote) -> str:
    """A predicted quote in the cases' own terms (spans as their text, offsets after @)."""
    seen: dict[str, Any] = {"content": f"{q.text} @{q.start}", "type": q.type}
    seen["cue"] = f"{q.cue.text} @{q.cue.start}" if q.cue else None
    if q.speaker is None:
        seen["speaker"] = None
    else:
        seen["speaker"] = q.speaker.name
        seen["mention"] = f"{q.speaker.mention.text} @{q.speaker.mention.start}" if q.speaker.mention else None
        seen["kind"] = q.speaker.kind
        if q.speaker.aliases:
            seen["aliases"] = list(q.speaker.aliases)
    seen["role"], seen["via"] = q.role, q.via
    return json.dumps(seen, ensure_ascii=False)


def mismatches(case: Case, found: list[Quote]) -> list[str]:
    """How the predicted quotes differ from the case's expected ones (nothing when they agree)."""
    problems = []
    matched = set()
    for quote in case.data["quotes"]:
        key = "content" if "content" in quote else "cue"
        span = expected_span(case, quote, key)
        hits = [
            k
            for k, q in enumerate(found)
            if k not in matched
            and span == ((q.start, q.end) if key == "content" else q.cue and (q.cue.start, q.cue.end))
        ]
        if not hits:
            problems.append(
                f"no quote predicted with {key} {quote[key]!r}: expected {json.dumps(quote, ensure_ascii=False)}"
            )
            continue
        matched.add(hits[0])
        q = found[hits[0]]
        label = repr(quote.get("content", quote.get("cue")))
        seen: dict[str, Any] = {
            "type": q.type,
            "cue": (q.cue.start, q.cue.end) if q.cue else None,
            "speaker": q.speaker.name if q.speaker else None,
            "mention": (q.speaker.mention.start, q.speaker.mention.end) if q.speaker and q.speaker.mention else None,
            "kind": q.speaker.kind if q.speaker else None,
            "role": q.role,
            "via": q.via,
        }
        for field, got in seen.items():
            if field not in quote:
                continue
            want = quote[field]
            if field in ("cue", "mention") and want is not None:
                want = expected_span(case, quote, field)
            if want != got:
                problems.append(f"{label}: {field} expected {quote[field]!r}")
        for alias in quote.get("aliases", []):
            if q.speaker is None or alias not in q.speaker.aliases:
                problems.append(f"{label}: alias {alias!r} expected")
    if case.data.get("exact"):
        problems += [f"not expected: {q.text!r}" for k, q in enumerate(found) if k not in matched]
    return problems


def case_param(case: Case) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case.data["xfail"])] if case.data.get("xfail") else []
    return pytest.param(case, id=case.name, marks=marks)


ALL_CASES = load_cases()


@pytest.mark.parametrize("case", [case_param(c) for c in ALL_CASES])
def test_case(case: Case) -> None:
    found = predicted(case.text, case.lang)
    problems = mismatches(case, found)
    if problems:
        expected = "\n".join(f"  {json.dumps(q, ensure_ascii=False)}" for q in case.data["quotes"]) or "  (none)"
        got = "\n".join(f"  {describe(q)}" for q in found) or "  (none)"
        pytest.fail(
            f"{case.lang}.jsonl:{case.line} {case.name} [{case.data['construction']}]\n"
            f"text: {case.text}\n"
            + "\n".join(problems)
            + f"\nexpected{' (exact)' if case.data.get('exact') else ''}:\n"
            f"{expected}\npredicted:\n{got}",
            pytrace=False,
        )


def malformed(case: Case) -> list[str]:
    """What is wrong with a case as data (nothing when it is well-formed)."""
    data, problems = case.data, []
    problems += [f"unknown key {k!r}" for k in sorted(set(data) - CASE_KEYS)]
    for key in ("name", "construction", "text", "quotes"):
        if key not in data:
            problems.append(f"{key!r} is missing")
    if problems:
        return problems
    if data["construction"] not in CONSTRUCTIONS:
        problems.append(f"construction {data['construction']!r} is not one of {sorted(CONSTRUCTIONS)}")
    if data.get("lang", case.lang) != case.lang:
        problems.append(f"lang {data['lang']!r} in {case.lang}.jsonl")
    if not isinstance(data.get("exact", False), bool):
        problems.append("exact is true or false")
    if "xfail" in data and not (isinstance(data["xfail"], str) and data["xfail"].strip()):
        problems.append("xfail gives the reason the attributor fails, as text")
    for k, quote in enumerate(data["quotes"], 1):
        problems += [f"quote {k}: unknown key {key!r}" for key in sorted(set(quote) - QUOTE_KEYS)]
        if "content" not in quote and not quote.get("cue"):
            problems.append(f"quote {k}: neither 'content' nor 'cue' to match it by")
        for field in SUBSTRINGS:
            if quote.get(field) is not None and expected_span(case, quote, field) is None:
                problems.append(f"quote {k}: {field} {quote[field]!r} is not in the text (nth {quote.get('nth')})")
        problems += [
            f"quote {k}: nth of {f!r}, not a substring field" for f in quote.get("nth", {}) if f not in SUBSTRINGS
        ]
        if "type" in quote and quote["type"] not in QUOTE_TYPES:
            problems.append(f"quote {k}: type {quote['type']!r}")
        if "kind" in quote and quote["kind"] not in SPEAKER_KINDS:
            problems.append(f"quote {k}: kind {quote['kind']!r}")
    for key in SUBSTRINGS[:2]:
        spans = [expected_span(case, q, key) for q in data["quotes"] if (q.get("content") is None) == (key == "cue")]
        if len(set(spans)) != len(spans):
            problems.append(f"two expected quotes matched by the same {key}")
    return problems


def test_the_case_files_are_well_formed() -> None:
    assert ALL_CASES, f"no cases in {CASES}"
    problems = [f"{c.lang}.jsonl:{c.line} {c.name}: {p}" for c in ALL_CASES for p in malformed(c)]
    names = [c.name for c in ALL_CASES]
    problems += [f"name used twice: {n!r}" for n in sorted({n for n in names if names.count(n) > 1})]
    assert not problems, "\n".join(problems)


def test_every_construction_has_a_case_in_some_language() -> None:
    used = {c.data.get("construction") for c in ALL_CASES}
    assert used >= CONSTRUCTIONS, sorted(CONSTRUCTIONS - used)


def test_a_wrong_expectation_is_reported() -> None:
    text = "”Kami siap,” kata Budi kepada wartawan."
    wrong = Case("id", 0, {"quotes": [{"content": "”Kami siap,”", "cue": "kepada", "speaker": "Andi"}], "text": text})
    problems = mismatches(wrong, predicted(text, "id"))
    assert len(problems) == 2 and "cue" in problems[0] and "speaker" in problems[1]
    nothing = Case("id", 0, {"quotes": [], "text": text, "exact": True})
    assert mismatches(nothing, predicted(text, "id")) == ["not expected: '”Kami siap,”'"]
    elsewhere = Case("id", 0, {"quotes": [{"content": "Kami siap"}], "text": text})
    assert mismatches(elsewhere, predicted(text, "id"))[0].startswith("no quote predicted with content 'Kami siap'")
