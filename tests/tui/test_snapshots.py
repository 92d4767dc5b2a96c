"""Snapshots of the screens and dialogs at fixed sizes: what a user sees, checked by eye once and then kept.

After a change on purpose: ``pytest --snapshot-update tests/tui/test_snapshots.py``, then look at the new
SVGs in ``__snapshots__/`` (``rsvg-convert`` makes PNGs of them) before committing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from annotator.model import AnnotatedDocument, Owner, Quote, Speaker
from annotator.store import Store
from annotator.tui.screens.help import HelpScreen
from annotator.tui.screens.pickers import CategoryPicker, KindPicker
from annotator.tui.screens.speaker_picker import SpeakerPicker
from tests.support.adjudication import team_store
from tests.support.store import TEXT, document, make_store, span
from tests.support.tui import SIZE, adjudicating, built, settle, wait_until

# Markup, an ANSI escape, a control character, CJK, emoji and a combining accent: all shown as text.
HOSTILE = (
    "[bold]Breaking[/bold] \x1b[31mnews\x1b[0m from 東京: “我们会赢的 🎉,” said Jose\u0301 Tanaka, "
    "the [link=http://x]spokesman[/link] of the ministry.\x07\n"
    "Critics said that the plan 👍 was too expensive. “Nobody asked us,” Bob Jones told reporters."
)


def after(*keys: str, shows: type | None = None) -> Callable:
    """A ``run_before``: let the workers finish, press ``keys``, and wait until the screen ``shows`` is on top."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        if shows is not None:
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, shows), f"the {shows.__name__}")
        await settle(pilot)

    return run_before


@pytest.fixture
def work_list(tmp_path):
    """Twelve documents, three of them with a status, for the documents screen."""
    docs = [(f"article-{i:02d}", f"Article number {i}. " + TEXT) for i in range(12)]
    store = make_store(tmp_path / "s.db", docs)
    store.set_status("article-01", "ann", "done")
    store.set_status("article-02", "ann", "skipped")
    store.set_status("article-03", "ann", "in_progress")
    store.close()
    return tmp_path / "s.db"


def test_documents_screen(snap_compare, work_list):
    with built(work_list, doc=None) as app:
        assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_documents_screen_filtered_and_searched(snap_compare, work_list):
    """``f`` twice (in progress), then a search: the title line says both; only the matching row is left."""
    with built(work_list, doc=None) as app:
        assert snap_compare(app, terminal_size=SIZE, run_before=after("f", "f", "slash", *"article-0", "enter"))


def test_documents_help(snap_compare, work_list):
    with built(work_list, doc=None) as app:
        assert snap_compare(app, terminal_size=SIZE, run_before=after("question_mark", shows=HelpScreen))


def test_annotate_help(snap_compare, db):
    """The help screen lists the keys as the user has them: ``accept`` is remapped to y here."""
    with built(db, keymap={"accept": "y"}) as app:
        assert snap_compare(app, terminal_size=(120, 50), run_before=after("f1", shows=HelpScreen))


def test_speaker_picker(snap_compare, db):
    """On the third quote: every name of the document numbered, the candidate's own first."""
    with built(db) as app:
        assert snap_compare(app, terminal_size=SIZE, run_before=after("n", "n", "s", shows=SpeakerPicker))


@pytest.fixture
def many_names(tmp_path):
    """One document naming eleven people: more than the picker numbers."""
    text = TEXT + (" Later, Maria Lopez, Peter Brown, Jane Doe, Omar Khan, Li Wei and Sara Berg met Tom Hale "
                   "and Ivan Petrov in Oslo.")
    make_store(tmp_path / "n.db", [("doc-1", text)]).close()
    return tmp_path / "n.db"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_annotate_screen_at_common_sizes(snap_compare, many_names, size):
    """The whole footer, ^p palette included, and the legend in sight whatever the fields' length (a long
    role here), at the smallest common terminal and a larger one."""
    with built(many_names) as app:
        role = "the long serving deputy mayor of the city of Springfield"
        keys = ["r", "ctrl+u", *["space" if c == " " else c for c in role], "enter"]
        assert snap_compare(app, terminal_size=size, run_before=after(*keys))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_speaker_picker_at_common_sizes(snap_compare, many_names, size):
    """All nine numbered lines and the hint under the list in sight, also at 80×24."""
    with built(many_names) as app:
        assert snap_compare(app, terminal_size=size, run_before=after("s", shows=SpeakerPicker))


def test_speaker_picker_filtered_to_a_new_name(snap_compare, db):
    """A name that matches nobody: no numbers, and a last line that makes it a new speaker of the kind chosen
    with ctrl+k."""
    with built(db) as app:
        assert snap_compare(app, terminal_size=SIZE,
                            run_before=after("s", *"Ann", "ctrl+k", shows=SpeakerPicker))


def test_role_category_picker(snap_compare, db):
    """The configured categories numbered, then ``(none)``; the quote's category (police, chosen with 2 just
    before) marked and highlighted."""
    with built(db, role_categories=("government", "police", "judge", "other")) as app:
        assert snap_compare(app, terminal_size=SIZE, run_before=after("R", "2", "R", shows=CategoryPicker))


def test_kind_picker(snap_compare, db):
    """On the second quote: its speaker, Critics, is of unknown kind, marked and highlighted."""
    with built(db) as app:
        assert snap_compare(app, terminal_size=SIZE, run_before=after("n", "K", shows=KindPicker))


def test_annotate_screen_with_hostile_text(snap_compare, tmp_path):
    text = HOSTILE
    quotes = [
        Quote(*_at(text, "“我们会赢的 🎉,”"), "direct", cue=span(text, "said"),
              speaker=Speaker("José Tanaka", "person", span(text, "Jose\u0301 Tanaka")),
              role="the [link=http://x]spokesman[/link] of the ministry", status="pending"),
        Quote(*_at(text, "the plan 👍 was too expensive"), "indirect", cue=span(text, "said", 1),
              speaker=Speaker("Critics", "unknown", span(text, "Critics")), status="pending"),
        Quote(*_at(text, "“Nobody asked us,”"), "direct", cue=span(text, "told"),
              speaker=Speaker("Bob Jones", "person", span(text, "Bob Jones")), status="pending"),
    ]
    with Store.open(tmp_path / "h.db") as store:
        store.import_documents([("h", AnnotatedDocument(document("hostile", text, "[red]Title[/red] 東京 🎉"),
                                                        quotes))], owner=Owner.run("builtin"))
    with built(tmp_path / "h.db", doc="hostile") as app:
        # accept the first, reject the second: the third is current
        assert snap_compare(app, terminal_size=SIZE, run_before=after("a", "x"))


def _at(text: str, piece: str) -> tuple[int, int, str]:
    s = span(text, piece)
    return s.start, s.end, s.text


def test_adjudication_screen(snap_compare, tmp_path):
    """Two annotators: ben's boundary taken with 2, the speaker disagreement current, ana's versions
    underlined and ben's italic in the article."""
    team_store(tmp_path / "t.db").close()
    with adjudicating(tmp_path / "t.db") as app:
        assert snap_compare(app, terminal_size=SIZE, run_before=after("2"))


def test_adjudication_screen_three_annotators(snap_compare, tmp_path):
    """Three annotators side by side at 140×40, the missing quote current (ana and cal have none)."""
    team_store(tmp_path / "t.db").close()
    with adjudicating(tmp_path / "t.db", team=("ana", "ben", "cal")) as app:
        assert snap_compare(app, terminal_size=(140, 40), run_before=after("p"))
