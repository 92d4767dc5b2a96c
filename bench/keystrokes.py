"""Benchmark: the keys an annotator presses to turn the built-in candidates into the gold (issue 13, item 6).

The gold's texts go into a fresh database and are pre-annotated by the built-in attributor, as
``annotator annotate seeds/`` does; then the real app runs under Textual's Pilot at 120×40 and is
driven from the candidates to the gold's labels by pressing keys only. The screen (the session, the
current quote, an open dialog) is read to decide which key to press, never to change a label.

The strategy, fixed, one function per step (each presses real keys and books them on a gold quote):

* Each document's gold quotes are aligned with its candidates as the evaluator aligns them
  (``annotator.evaluation.align`` on edge-normalised spans). Then, in text order:
* ``reject_extra``: a candidate aligned with no gold quote gets ``x`` (booked on the next gold quote).
* ``reach``: the quote to work on is made current with ``n``/``p`` (``a`` and ``x`` already move on
  to the next pending candidate, so this is rarely needed).
* ``create_missed``: a gold quote with no candidate is selected with the cursor keys and ``v``
  (``w b ← → ↑ ↓``, or ``/`` and a search when that is shorter) and made with ``enter``.
* ``fix_boundaries``: the start and end move with ``[ ]`` and ``{ }``; when the gold's edges are not
  where those keys stop, the candidate is rejected (``x``) and the quote made as a missed one.
* ``fix_type``: ``t`` until the type is the gold's.
* ``fix_speaker``: ``s``, then the digit of a listed line with the gold's name (the one whose mention
  is the gold's, if any); else the shortest prefix of the name as a filter, ``↓`` to the line and
  ``enter``; else the whole name typed as a new speaker (``ctrl+k`` for its kind when one press does).
* ``fix_kind``: ``K`` and the digit of the gold's kind.
* ``fix_mention``: the app has no key that makes a span of the text the mention yet (``m`` will),
  so a mention other than the one the picker linked is recorded as unreached.
* ``fix_role`` and ``fix_via``: ``r`` / ``V``; ``enter`` when the pre-fill is the gold's value,
  else the cheaper of backspacing to the common prefix and typing the rest, or ``ctrl+u`` and typing.
* ``fix_category``: ``R`` and the digit of the gold's category.
* ``fix_cue``: the cue selected with the cursor keys and ``v``, then ``c``.
* ``finish``: ``a`` accepts and moves on to the next pending candidate.
* After a document, ``d`` marks it done and opens the next (counted per document, not per quote).

At the end the stored labels are scored against the gold with the evaluator: spans (exact P and
R), types, speakers and roles must all be 1.0, or the quotes that differ are listed. Labels the app
could not reach (a field no key sets) are findings about the app, listed per quote with the reason.

Prints keys per gold quote (median, mean, max), the share of keys typed as text (names, roles,
via, search queries) and each quote's keys; ends with ``keys_per_quote_mean: <value>``.

Usage: python bench/keystrokes.py [--gold FILE] [--export OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.widgets import Input

from annotator.attribution import get_attributor
from annotator.evaluation import evaluate
from annotator.evaluation.align import align
from annotator.evaluation.spans import edge_normalise, name_key, role_key
from annotator.formats.jsonl import JsonlWriter, read_jsonl
from annotator.model import DEFAULT_ROLE_CATEGORIES, QUOTE_TYPES, SPEAKER_KINDS, AnnotatedDocument, Owner, Quote
from annotator.session import Workspace
from annotator.store import Store
from annotator.tui.app import AnnotatorApp
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.pickers import MentionPicker
from annotator.tui.screens.speaker_picker import SpeakerPicker

SIZE = (120, 40)
ANNOTATOR = "bench"
MOTIONS = ("w", "b", "right", "left", "down", "up")  # the annotate screen's cursor keys
SEARCH_LIMIT = 40  # the longest search query tried when placing the cursor


@dataclass
class QuoteKeys:
    """The keys spent on one gold quote, how many of them were typed text, and what could not be reached."""

    doc_id: str
    gold: Quote
    keys: list[tuple[str, bool]] = field(default_factory=list)  # (key, typed as text) in the order pressed
    unreached: list[str] = field(default_factory=list)

    @property
    def typed(self) -> int:
        return sum(typed for _, typed in self.keys)


class Keys:
    """Presses keys on the running app and books each on the gold quote being worked on."""

    def __init__(self, app: AnnotatorApp, pilot) -> None:
        self.app = app
        self.pilot = pilot
        self.on: QuoteKeys | None = None  # the gold quote the keys are booked on
        self.document_keys: list[str] = []  # keys that serve a document, not a quote (d)

    async def press(self, *keys: str, typed: bool = False) -> None:
        """Press each key through Pilot and wait for the app's workers, booking it first."""
        for key in keys:
            if self.on is not None:
                self.on.keys.append((key, typed))
            else:
                self.document_keys.append(key)
            await self.pilot.press(key)
            await self.app.workers.wait_for_complete()

    async def type(self, text: str) -> None:
        """Each character one key, counted as typed text."""
        await self.press(*text, typed=True)

    @property
    def screen(self) -> AnnotateScreen:
        """The annotate screen, under any dialog open on it."""
        return next(s for s in reversed(self.app.screen_stack) if isinstance(s, AnnotateScreen))

    @property
    def current(self) -> Quote:
        return self.screen.session.current

    def unreached(self, what: str) -> None:
        self.on.unreached.append(what)


# --- cursor planning (reads the screen, presses nothing) ---------------------------------------


def motion_targets(screen: AnnotateScreen, pos: int) -> Iterable[tuple[str, int]]:
    """Where each cursor key takes a placed cursor, as the annotate screen computes it."""
    session, article = screen.session, screen.article
    length = len(session.document.text)
    yield "w", session.stops.word_right(pos, length)
    yield "b", session.stops.word_left(pos)
    yield "right", min(pos + 1, length)
    yield "left", max(pos - 1, 0)
    column, line = article.column_of(pos)
    for key, step in (("down", 1), ("up", -1)):
        yield key, article.offset_at(column, max(0, min(line + step, article.line_count - 1)))


def shortest_motion(screen: AnnotateScreen, start: int, targets: set[int]) -> tuple[list[str], int]:
    """The fewest cursor keys from ``start`` to any of ``targets`` (breadth first), and where they end."""
    if start in targets:
        return [], start
    came: dict[int, tuple[int, str]] = {start: (start, "")}
    queue = deque([start])
    while queue:
        pos = queue.popleft()
        for key, nxt in motion_targets(screen, pos):
            if nxt in came:
                continue
            came[nxt] = (pos, key)
            if nxt in targets:
                path = []
                at = nxt
                while at != start:
                    at, key = came[at]
                    path.append(key)
                return path[::-1], nxt
            queue.append(nxt)
    raise ValueError(f"no cursor keys reach {sorted(targets)}")


def search_query(screen: AnnotateScreen, targets: set[int]) -> tuple[str, int] | None:
    """The shortest text that ``/`` finds first at one of ``targets`` (the search goes to the first match
    after the cursor), and that target; None when no query up to SEARCH_LIMIT characters does."""
    session = screen.session
    text = session.document.text
    here = screen._cursor_start() + (1 if screen.cursor is not None else 0)
    best: tuple[str, int] | None = None
    for target in sorted(targets):
        for size in range(1, SEARCH_LIMIT + 1):
            query = text[target:target + size]
            if best is not None and len(query) >= len(best[0]):
                break
            if query != query.strip() or len(query) < size:
                continue
            matches = session.find(query)
            following = [m for m in matches if m[0] >= here] or matches
            if following and following[0][0] == target:
                best = (query, target)
                break
    return best


@dataclass
class CursorPlan:
    """Keys that put the cursor somewhere: cursor keys, or ``/`` (and ``ctrl+u``) then a query typed and
    ``enter``."""

    keys: list[str]
    lands: int
    typed: str = ""  # the search query, when the plan searches

    @property
    def cost(self) -> int:
        return len(self.keys) + len(self.typed) + (1 if self.typed else 0)


def place_cursor(screen: AnnotateScreen, targets: set[int]) -> CursorPlan:
    """The fewest keys that put the cursor on one of ``targets``, for ``v`` to start a selection there.

    Without a cursor, ``v`` starts at the current quote's start, and the cursor keys move from there; a
    search puts the cursor straight on a match.
    """
    origin = screen._cursor_start()
    path, lands = shortest_motion(screen, origin, targets)
    plan = CursorPlan(path, lands)
    found = search_query(screen, targets)
    if found is not None:
        query, target = found
        clear = ["ctrl+u"] if screen.query_text else []  # the search input keeps the last query
        searching = CursorPlan(["/", *clear], target, typed=query)
        if searching.cost < plan.cost:
            plan = searching
    return plan


def edge_positions(text: str, start: int, end: int) -> tuple[set[int], set[int]]:
    """Where a selection may start and end and still be [start, end) once trimmed of white space."""
    starts, ends = {start}, {end}
    pos = start
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
        starts.add(pos)
    pos = end
    while pos < len(text) and text[pos].isspace():
        pos += 1
        ends.add(pos)
    return starts, ends


async def select_span(keys: Keys, start: int, end: int, finish: str) -> None:
    """Select [start, end) with the cursor keys and ``v``, then press ``finish`` (enter: a new quote, c: the
    cue); from the end backwards when that is shorter."""
    screen = keys.screen
    text = screen.session.document.text
    starts, ends = edge_positions(text, start, end)
    options = []
    for first, second in ((starts, ends), (ends, starts)):
        plan = place_cursor(screen, first)
        rest, _ = shortest_motion(screen, plan.lands, second)
        options.append((plan.cost + 1 + len(rest), plan, rest))
    _, plan, rest = min(options, key=lambda o: o[0])
    await follow(keys, plan)
    await keys.press("v", *rest, finish)


async def follow(keys: Keys, plan: CursorPlan) -> None:
    """Press a cursor plan's keys (a search query counts as typed text)."""
    if plan.typed:
        await keys.press(*plan.keys)
        await keys.type(plan.typed)
        await keys.press("enter")
    else:
        await keys.press(*plan.keys)


# --- the strategy's steps ---------------------------------------------------------------------------


async def reach(keys: Keys, quote_id: int) -> None:
    """Make a quote current with ``n`` or ``p``, whichever takes fewer presses."""
    session = keys.screen.session
    target = next(i for i, q in enumerate(session.quotes) if q.id == quote_id)
    forward = (target - session.index) % len(session.quotes)
    backward = (session.index - target) % len(session.quotes)
    await keys.press(*(["n"] * forward if forward <= backward else ["p"] * backward))


async def reject_extra(keys: Keys, quote_id: int) -> None:
    """A candidate aligned with no gold quote: ``x``."""
    await reach(keys, quote_id)
    await keys.press("x")


async def create_missed(keys: Keys, gold: Quote) -> None:
    """A gold quote no candidate found: select it with the cursor keys and ``v``, ``enter`` makes it."""
    await select_span(keys, gold.start, gold.end, "enter")


def boundary_plan(stops, start: int, end: int, gold: Quote) -> list[str] | None:
    """The ``( ) < > [ ] { }`` presses that move [start, end) to the gold's edges, as the session moves them
    (a clause at a time while that does not pass the gold's edge, then a word at a time); None when the keys
    never stop there. Widening moves go first so a shrinking edge never meets the other."""
    presses: list[str] = []
    moves = []
    if gold.start < start:
        moves.append(("start", -1))
    if gold.end > end:
        moves.append(("end", 1))
    if gold.start > start:
        moves.append(("start", 1))
    if gold.end < end:
        moves.append(("end", -1))
    for edge, step in moves:
        target = gold.start if edge == "start" else gold.end
        # A clause at a time first ( ) < > while that does not pass the gold's edge, then a word at a time.
        clause_key = {("start", -1): "left_parenthesis", ("end", 1): "right_parenthesis",
                      ("start", 1): "greater_than_sign", ("end", -1): "less_than_sign"}[edge, step]
        while True:
            if edge == "start":
                pos = stops.clause_start_left(start) if step < 0 else stops.clause_start_right(start, end)
                word = stops.start_left(start) if step < 0 else stops.start_right(start, end)
            else:
                pos = stops.clause_end_right(end) if step > 0 else stops.clause_end_left(start, end)
                word = stops.end_right(end) if step > 0 else stops.end_left(start, end)
            if pos is None or pos == word or (pos < target if step < 0 else pos > target):
                break
            presses.append(clause_key)
            start, end = (pos, end) if edge == "start" else (start, pos)
        while (start if edge == "start" else end) != target:
            if edge == "start":
                pos = stops.start_left(start) if step < 0 else stops.start_right(start, end)
            else:
                pos = stops.end_left(start, end) if step < 0 else stops.end_right(end)
            if pos is None or (step < 0 and pos < target) or (step > 0 and pos > target):
                return None
            presses.append({("start", -1): "[", ("start", 1): "]", ("end", -1): "{", ("end", 1): "}"}[edge, step])
            start, end = (pos, end) if edge == "start" else (start, pos)
    return presses


async def fix_boundaries(keys: Keys, gold: Quote) -> None:
    """Move the edges with ``[ ] { }``; where those keys cannot stop on the gold's edges, reject the
    candidate and make the quote as a missed one."""
    quote = keys.current
    if (quote.start, quote.end) == (gold.start, gold.end):
        return
    presses = boundary_plan(keys.screen.session.stops, quote.start, quote.end, gold)
    if presses is not None:
        await keys.press(*presses)
        return
    await keys.press("x")
    await create_missed(keys, gold)


async def fix_type(keys: Keys, gold: Quote) -> None:
    """``t`` cycles direct → indirect → mixed: pressed until the type is the gold's."""
    turns = (QUOTE_TYPES.index(gold.type) - QUOTE_TYPES.index(keys.current.type)) % len(QUOTE_TYPES)
    await keys.press(*["t"] * turns)


def filter_keys(picker: SpeakerPicker, index_of, name: str) -> tuple[str, int] | None:
    """The shortest prefix of ``name`` whose filtered list puts the wanted line nearest the top, scored as
    typed characters + ↓ presses; (prefix, ↓ presses) or None when the name lists no line."""
    best = None
    for size in range(1, len(name) + 1):
        needle = name[:size].casefold().strip()
        if not needle:
            continue
        shown = [c for c in picker.choices
                 if needle in c.name.casefold() or any(needle in a.casefold() for a in c.aliases)]
        at = index_of(shown)
        if at is not None and (best is None or size + at < len(best[0]) + best[1]):
            best = (name[:size], at)
    return best


def mention_of(choice) -> tuple[int, int] | None:
    return (choice.mention.start, choice.mention.end) if choice.mention else None


async def fix_speaker(keys: Keys, gold: Quote) -> None:
    """``s``, then the digit of the listed line with the gold's name (its mention the gold's if one is),
    else that line by a typed prefix, ↓ and ``enter``; a name the picker does not list but the text writes
    as the gold names it: ``m`` on it; else the name typed as a new speaker."""
    wanted = gold.speaker
    quote = keys.current
    if wanted is None or (quote.speaker is not None and name_key(quote.speaker.name) == name_key(wanted.name)):
        if wanted is None and quote.speaker is not None:
            keys.unreached("speaker: no key removes a speaker")
        return
    gold_mention = (wanted.mention.start, wanted.mention.end) if wanted.mention else None

    def index_of(choices) -> int | None:
        named = [i for i, c in enumerate(choices) if name_key(c.name) == name_key(wanted.name)]
        exact = [i for i in named if mention_of(choices[i]) == gold_mention]
        return (exact or named or [None])[0]

    listed = [c for c in keys.screen.session.speaker_choices() if name_key(c.name) == name_key(wanted.name)]
    if not listed and wanted.mention is not None and name_key(wanted.mention.text) == name_key(wanted.name):
        await link_mention(keys, gold)  # a new name written so in the text: m makes it the speaker, as written
        return
    await keys.press("s")
    picker = keys.app.screen
    assert isinstance(picker, SpeakerPicker)
    at = index_of(picker.shown)
    if at is not None and at < 9:
        await keys.press(str(at + 1))
        return
    found = filter_keys(picker, index_of, wanted.name)
    if found is not None:
        prefix, downs = found
        await keys.type(prefix)
        await keys.press(*["down"] * downs, "enter")
        return
    await keys.type(wanted.name)
    turns = (SPEAKER_KINDS.index(wanted.kind) - SPEAKER_KINDS.index(picker.new_kind)) % len(SPEAKER_KINDS)
    await keys.press(*["down"] * len(picker.shown), *["ctrl+k"] * (turns if turns <= 1 else 0), "enter")


async def fix_kind(keys: Keys, gold: Quote) -> None:
    """``K`` and the digit of the gold speaker's kind (it changes every quote of the entity)."""
    speaker = keys.current.speaker
    if gold.speaker is None or speaker is None or speaker.kind == gold.speaker.kind:
        return
    await keys.press("K", str(SPEAKER_KINDS.index(gold.speaker.kind) + 1))


async def fix_mention(keys: Keys, gold: Quote) -> None:
    """A mention other than the one the picker linked: select the gold's with the cursor keys, ``m``, then the
    digit of the entity with the gold's name (``fix_speaker`` has made it), or the new-entity line when the
    mention is written as the gold names it."""
    speaker = keys.current.speaker
    wanted = gold.speaker.mention if gold.speaker else None
    if wanted is None or speaker is None:
        return
    if speaker.mention is not None and (speaker.mention.start, speaker.mention.end) == (wanted.start, wanted.end):
        return
    await link_mention(keys, gold)


async def link_mention(keys: Keys, gold: Quote) -> None:
    """Select the gold mention with the cursor keys, ``m``, then the digit of the entity with the gold's name,
    or of the new-entity line when the mention is written as the gold names it."""
    wanted = gold.speaker.mention
    entities = keys.screen.session.entities(wanted)
    line = next((i for i, e in enumerate(entities) if name_key(e.name) == name_key(gold.speaker.name)), None)
    if line is None and name_key(wanted.text) == name_key(gold.speaker.name):
        line = len(entities)  # + new entity, named as written
    if line is None or line >= 10:
        keys.unreached(f"mention “{wanted.text}” @{wanted.start}: its entity is not among the first ten lines")
        return
    await select_span(keys, wanted.start, wanted.end, "m")
    if not isinstance(keys.app.screen, MentionPicker):
        keys.unreached(f"mention “{wanted.text}” @{wanted.start}: m opened no picker")
        return
    await keys.press(str((line + 1) % 10))


def typed_before_completion(wanted: str, completions: list[str]) -> int | None:
    """How many characters of ``wanted`` must be typed in an empty input before the completion it shows (the
    first of ``completions`` that begins so, any case) is ``wanted``; None when it never is."""
    for k in range(1, len(wanted) + 1):
        prefix = wanted[:k].casefold()
        first = next((c for c in completions if c.casefold().startswith(prefix)), None)
        if first == wanted:
            return k
        if first is None:
            return None
    return None


async def edit_field(keys: Keys, open_key: str, wanted: str) -> None:
    """Open a pre-filled one-line prompt and make its value ``wanted``: ``enter`` when it already is, else the
    cheapest of ``end``, backspacing to the common prefix and typing the rest; typing it all over the
    selected value; or the few characters after which the input completes it, and ``tab``."""
    await keys.press(open_key)
    prompt = keys.app.screen
    field = prompt.query_one(Input)
    value = field.value
    if value == wanted:
        await keys.press("enter")
        return
    # The prompt opens with its pre-filled value selected: typing replaces it, `end` keeps it to edit.
    selected = bool(value) and field.selection.start != field.selection.end
    common = 0
    while common < min(len(value), len(wanted)) and value[common] == wanted[common]:
        common += 1
    clearing = 0 if selected or not value else 1  # ctrl+u
    moving = 1 if selected or field.cursor_position != len(value) else 0  # end
    backspacing = moving + len(value) - common + len(wanted) - common
    retyping = clearing + len(wanted)
    typed = typed_before_completion(wanted, getattr(prompt, "completions", [])) if wanted else None
    completing = clearing + typed + 1 if typed is not None else None
    if completing is not None and completing < min(backspacing, retyping):
        await keys.press(*["ctrl+u"] * clearing)
        await keys.type(wanted[:typed])
        await keys.press("tab")
    elif backspacing < retyping:
        await keys.press(*["end"] * moving, *["backspace"] * (len(value) - common))
        await keys.type(wanted[common:])
    else:
        await keys.press(*["ctrl+u"] * clearing)
        await keys.type(wanted)
    await keys.press("enter")


async def fix_role(keys: Keys, gold: Quote) -> None:
    """``r``: the pre-filled role taken with ``enter`` when it is the gold's, else edited."""
    if (keys.current.role or "") != (gold.role or ""):
        await edit_field(keys, "r", gold.role or "")


async def fix_category(keys: Keys, gold: Quote) -> None:
    """``R`` and the digit of the gold's role category (the last line, ``(none)``, clears it)."""
    if keys.current.role_category == gold.role_category:
        return
    categories = (*keys.app.role_categories, None)
    if gold.role_category not in categories or categories.index(gold.role_category) >= 10:
        keys.unreached(f"role category {gold.role_category!r}: not a digit of the category picker")
        return
    await keys.press("R", str((categories.index(gold.role_category) + 1) % 10))


async def fix_via(keys: Keys, gold: Quote) -> None:
    """``V``: the pre-filled via taken with ``enter`` when it is the gold's, else edited."""
    if (keys.current.via or "") != (gold.via or ""):
        await edit_field(keys, "V", gold.via or "")


async def fix_cue(keys: Keys, gold: Quote) -> None:
    """The gold's cue selected with the cursor keys and ``v``, then ``c``."""
    cue = keys.current.cue
    if gold.cue is None:
        if cue is not None:
            keys.unreached("cue: no key removes a cue")
        return
    if cue is None or (cue.start, cue.end) != (gold.cue.start, gold.cue.end):
        await select_span(keys, gold.cue.start, gold.cue.end, "c")


async def finish(keys: Keys) -> None:
    """``a``: accepted as shown, on to the next pending candidate."""
    await keys.press("a")


STEPS = (fix_type, fix_speaker, fix_kind, fix_mention, fix_role, fix_category, fix_via, fix_cue)


# --- one document ------------------------------------------------------------------------------------


def normalised(text: str, quotes: list[Quote]) -> list[tuple[int, int]]:
    return [edge_normalise(text, q.start, q.end) for q in quotes]


async def annotate_document(keys: Keys, gold: AnnotatedDocument) -> list[QuoteKeys]:
    """Every gold quote of the open document from its candidates, in text order."""
    session = keys.screen.session
    text = gold.document.text
    golds = sorted(gold.quotes, key=lambda q: (q.start, q.end))
    counts = [QuoteKeys(gold.document.id, q) for q in golds]
    candidates = [q for q in session.quotes if q.status == "pending"]
    pairs = dict(align(normalised(text, golds), normalised(text, candidates)))
    partner = {j: i for i, j in pairs.items()}
    events = [(c.start, c.end, "candidate", j) for j, c in enumerate(candidates)]
    events += [(g.start, g.end, "missed", i) for i, g in enumerate(golds) if i not in pairs]
    events.sort()
    # Whose keys: a gold quote's own; a rejected extra's go to the next gold quote (else the last one).
    owners = [partner.get(j) if kind == "candidate" else j for _, _, kind, j in events]
    for k in range(len(owners) - 1, -1, -1):
        if owners[k] is None:
            owners[k] = owners[k + 1] if k + 1 < len(owners) else next(
                (o for o in reversed(owners) if o is not None), None)
    for (_, _, kind, j), owner in zip(events, owners, strict=True):
        keys.on = counts[owner] if owner is not None else None
        if kind == "candidate" and j not in partner:
            await reject_extra(keys, candidates[j].id)
            continue
        if kind == "candidate":
            goal = golds[partner[j]]
            await reach(keys, candidates[j].id)
            await fix_boundaries(keys, goal)
        else:
            goal = golds[j]
            await create_missed(keys, goal)
        made = keys.current
        if made is None or normalised(text, [made]) != normalised(text, [goal]):  # the app refused the quote
            keys.unreached(f"span [{goal.start}, {goal.end}): the keys did not make it")
            continue
        for step in STEPS:
            await step(keys, goal)
        await finish(keys)
    keys.on = None
    return counts


async def drive(workspace: Workspace, gold: list[AnnotatedDocument]) -> tuple[list[QuoteKeys], list[str]]:
    """Run the app on the first gold document and work through them all; ``d`` after each."""
    app = AnnotatorApp(workspace, doc_id=gold[0].document.id, keymap={}, role_categories=DEFAULT_ROLE_CATEGORIES)
    counts: list[QuoteKeys] = []
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(app, pilot)
        for k, ad in enumerate(gold):
            await opened(pilot, ad.document.id)
            counts += await annotate_document(keys, ad)
            await keys.press("d")
            if k + 1 < len(gold) and workspace.next_to_do(ad.document.id) != gold[k + 1].document.id:
                raise RuntimeError("d did not open the next gold document")
    return counts, keys.document_keys


async def opened(pilot, doc_id: str) -> None:
    """Wait until the annotate screen of ``doc_id`` has its session (OpenDocument is handled in turn)."""
    for _ in range(1000):
        screen = pilot.app.screen
        if isinstance(screen, AnnotateScreen) and screen.doc_id == doc_id and screen.session is not None:
            return
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    raise RuntimeError(f"document {doc_id} did not open")


# --- setup, check, report ----------------------------------------------------------------------------


def load_gold(path: Path) -> list[AnnotatedDocument]:
    return [ad for _, ad in read_jsonl(path)]


def fresh_workspace(db: Path, gold: list[AnnotatedDocument]) -> Workspace:
    """The gold's texts (no labels) in a new database, pre-annotated by the built-in attributor."""
    store = Store.open(db)
    store.import_documents((f"{ad.document.id}", AnnotatedDocument(ad.document, [])) for ad in gold)
    workspace = Workspace(store, ANNOTATOR, predictor=get_attributor())
    report = workspace.find_candidates([ad.document.id for ad in gold])
    if report.failures:
        raise RuntimeError(f"pre-annotation failed: {report.failures}")
    return workspace


def stored(workspace: Workspace, gold: list[AnnotatedDocument]) -> list[AnnotatedDocument]:
    return list(workspace.store.annotated(Owner.annotator(ANNOTATOR), ids=[ad.document.id for ad in gold]))


def differences(gold: list[AnnotatedDocument], labels: list[AnnotatedDocument]) -> list[str]:
    """Where the stored labels miss the four scored figures: spans (exact), types, speakers, roles."""
    result = evaluate(gold, labels)
    lines = [f"{e.kind}: {e.doc_id} [{e.start}, {e.end}) {e.text[e.start:e.end][:60]!r}" for e in result.errors()]
    by_id = {ad.document.id: ad for ad in labels}
    for ad in gold:
        text = ad.document.text
        mine = by_id[ad.document.id].quotes if ad.document.id in by_id else []
        for i, j in align(normalised(text, ad.quotes), normalised(text, mine)):
            g, p = ad.quotes[i], mine[j]
            if normalised(text, [g]) != normalised(text, [p]):
                lines.append(f"span: {ad.document.id} gold [{g.start}, {g.end}) stored [{p.start}, {p.end})")
            if g.type != p.type:
                lines.append(f"type: {ad.document.id} [{g.start}, {g.end}) gold {g.type}, stored {p.type}")
            if role_key(g.role) != role_key(p.role):
                lines.append(f"role: {ad.document.id} [{g.start}, {g.end}) gold {g.role!r}, stored {p.role!r}")
    return lines


def other_differences(gold: list[AnnotatedDocument], labels: list[AnnotatedDocument]) -> list[str]:
    """The labels the four figures do not score, compared with the gold's exactly: cue, speaker name,
    kind and mention, role category, via."""
    by_id = {ad.document.id: ad for ad in labels}
    lines = []
    for ad in gold:
        text = ad.document.text
        mine = by_id[ad.document.id].quotes if ad.document.id in by_id else []
        for i, j in align(normalised(text, ad.quotes), normalised(text, mine)):
            g, p = ad.quotes[i], mine[j]
            fields = {
                "cue": (spot(g.cue), spot(p.cue)),
                "speaker": (g.speaker.name if g.speaker else None, p.speaker.name if p.speaker else None),
                "kind": (g.speaker.kind if g.speaker else None, p.speaker.kind if p.speaker else None),
                "mention": (spot(g.speaker.mention) if g.speaker else None,
                            spot(p.speaker.mention) if p.speaker else None),
                "role category": (g.role_category, p.role_category),
                "via": (g.via, p.via),
            }
            for name, (want, have) in fields.items():
                if want != have:
                    lines.append(f"{name}: {ad.document.id} [{g.start}, {g.end}) gold {want!r}, stored {have!r}")
    return lines


def spot(span) -> str | None:
    return f"{span.text}@{span.start}" if span is not None else None


def report(counts: list[QuoteKeys], document_keys: list[str], diffs: list[str], others: list[str]) -> float:
    """Print the figures and each quote's keys; returns the mean keys per gold quote."""
    per_quote = [len(c.keys) for c in counts] or [0]
    total = sum(per_quote)
    typed = sum(c.typed for c in counts)
    print(f"gold quotes: {len(counts)}  keys: {total} (+ {len(document_keys)} for documents: "
          f"{' '.join(document_keys)})")
    print(f"keys per quote: median {statistics.median(per_quote):g}  mean {statistics.mean(per_quote):.2f}  "
          f"max {max(per_quote)}")
    print(f"typed as text: {typed} of {total} keys ({typed / total:.0%})" if total else "typed as text: 0")
    print()
    for c in counts:
        shown = " ".join(compact(c.keys))
        print(f"{c.doc_id[:12]} [{c.gold.start:>4}, {c.gold.end:>4}) {c.gold.type:<8} {len(c.keys):>3} keys "
              f"({c.typed} typed)  {c.gold.text[:32]!r}  {shown}")
        for what in c.unreached:
            print(f"      unreached: {what}")
    print()
    if diffs:
        print("the stored labels differ from the gold (spans, types, speakers, roles):")
        for line in diffs:
            print(f"  {line}")
    else:
        print("stored labels vs gold: spans, types, speakers and roles all 1.0")
    unreached = sum(1 for c in counts if c.unreached)
    print(f"quotes with a label the app could not reach: {unreached}")
    print(f"other labels off the gold (cue, speaker name, kind, mention, role category, via): {len(others)}")
    for line in others:
        print(f"  {line}")
    return statistics.mean(per_quote) if per_quote else 0.0


def compact(keys: list[tuple[str, bool]]) -> list[str]:
    """Keys for printing: typed characters joined into their text (``'Rusia'``), repeats counted (``w×3``)."""
    out: list[str] = []
    word = ""
    for key, typed in keys:
        if typed:
            word += " " if key == "space" else key
            continue
        if word:
            out.append(repr(word))
            word = ""
        if out and out[-1].split("×")[0] == key:
            base, _, n = out[-1].partition("×")
            out[-1] = f"{base}×{int(n or 1) + 1}"
        else:
            out.append(key)
    if word:
        out.append(repr(word))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "data" / "seeds.gold.jsonl")
    parser.add_argument("--export", type=Path, help="write the stored labels here as JSONL")
    args = parser.parse_args()
    gold = load_gold(args.gold)
    with tempfile.TemporaryDirectory() as tmp:
        workspace = fresh_workspace(Path(tmp) / "keys.db", gold)
        try:
            counts, document_keys = asyncio.run(drive(workspace, gold))
            labels = stored(workspace, gold)
        finally:
            workspace.close()
    if args.export:
        with args.export.open("w", encoding="utf-8") as handle:
            writer = JsonlWriter(handle)
            for ad in labels:
                writer.write(ad)
            writer.close()
    mean = report(counts, document_keys, differences(gold, labels), other_differences(gold, labels))
    print(f"keys_per_quote_mean: {mean:.2f}")


if __name__ == "__main__":
    main()
