"""Every key of the adjudication screen, pressed through Pilot and checked on disk (a connection of its own)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.session.adjudication import DocumentAdjudication
from annotator.tui.messages import EditAdjudicated
from annotator.tui.screens.adjudicate import AdjudicateScreen
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.help import HelpScreen
from annotator.tui.widgets.versions import VersionsPanel
from tests.support.adjudication import team_store
from tests.support.paths import SHARED_DATA
from tests.support.store import labels, on_disk
from tests.support.tui import SIZE, Messages, adjudicating, run_from_palette, settle, wait_until


@pytest.fixture
def team_db(tmp_path):
    team_store(tmp_path / "team.db").close()
    return tmp_path / "team.db"


def gold(db, doc="doc-1") -> list[tuple[str, str, dict | None]]:
    with on_disk(db) as store:
        return [(q.text, q.status, q.adjudication) for q in labels(store, "gold", doc)]


def status_line(app) -> str:
    return str(app.screen.query_one("#status").render())


def kinds(app) -> tuple[str, ...]:
    return app.screen.session.current.group.kinds


async def test_opening_writes_the_agreed_quote_and_shows_the_first_disagreement(team_db):
    with adjudicating(team_db) as app:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, AdjudicateScreen)
            assert gold(team_db) == [("“We will win,”", "accepted", {"agreed": ["ana", "ben"], "taken_from": "ana"})]
            assert "1 agreed quote written to gold; 3 disagreements to settle" in status_line(app)
            assert kinds(app) == ("boundary",)
            panel = "\n".join(line.plain for line in app.screen.query_one(VersionsPanel).lines)
            assert "Disagreement 1 of 3" in panel and "≠ span" in panel and "(no quote)" not in panel


async def test_digits_take_a_version_and_x_leaves_one_out(team_db):
    with adjudicating(team_db) as app:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("2")  # ben's boundary
            assert ("that the plan was too expensive", "accepted", {"agreed": ["ben"], "taken_from": "ben"}) \
                in gold(team_db)
            assert kinds(app) == ("speaker",) and "saved: took ben's version · 2 open" in status_line(app)
            await pilot.press("1")  # ana's speaker
            assert kinds(app) == ("missing",)
            await pilot.press("x")
            rows = gold(team_db)
            assert ("The council meets on Monday", "rejected", {"agreed": ["ana"], "taken_from": None}) in rows
            assert [s for _, s, _ in rows].count("accepted") == 3
            assert "none open: d marks the document done" in status_line(app)


async def test_a_digit_past_the_annotators_is_refused(team_db):
    with adjudicating(team_db) as app:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("9")
            assert "there is no annotator 9 (1–2)" in status_line(app)
            assert len(gold(team_db)) == 1


async def test_n_and_p_move_over_the_disagreements(team_db):
    with adjudicating(team_db) as app:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("n")
            assert kinds(app) == ("speaker",)
            await pilot.press("n", "n")
            assert kinds(app) == ("boundary",)  # wrapped round
            await pilot.press("p")
            assert kinds(app) == ("missing",)
            assert len(gold(team_db)) == 1  # moving writes nothing


async def test_u_and_shift_u_undo_and_redo_on_disk(team_db):
    with adjudicating(team_db) as app:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("2")
            assert len(gold(team_db)) == 2
            await pilot.press("u")
            assert len(gold(team_db)) == 1 and kinds(app) == ("boundary",)
            assert "undid the adjudicated version" in status_line(app)
            await pilot.press("U")
            assert len(gold(team_db)) == 2


async def test_e_edits_the_adjudicated_label_on_the_annotate_screen_and_q_comes_back(team_db):
    messages = Messages()
    with adjudicating(team_db) as app:
        async with app.run_test(size=SIZE, message_hook=messages) as pilot:
            await settle(pilot)
            await pilot.press("e")  # nothing taken yet
            assert "take a version (1–9) first" in status_line(app)
            await pilot.press("1", "p")  # take ana's, back to it
            await pilot.press("e")
            await wait_until(pilot, lambda: isinstance(app.screen, AnnotateScreen), "the annotate screen")
            await settle(pilot)
            (edit,) = messages.of(EditAdjudicated)
            assert app.screen.session.current.id == edit.quote_id
            assert app.screen.session.annotator == "gold" and app.screen.session.seeded == 0
            await pilot.press("t")  # indirect → mixed
            await pilot.press("q")
            await wait_until(pilot, lambda: isinstance(app.screen, AdjudicateScreen), "the adjudication screen")
            with on_disk(team_db) as store:
                edited = [q for q in labels(store, "gold", "doc-1") if q.text == "the plan was too expensive"]
            assert edited[0].type == "mixed"
            assert app.screen.session.current.merged.type == "mixed"  # read again on coming back


async def test_d_asks_twice_while_disagreements_are_open_then_opens_the_next_document(team_db):
    with adjudicating(team_db) as app:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("d")
            assert "3 disagreements are still open" in status_line(app)
            with on_disk(team_db) as store:
                assert store.status("doc-1", "gold") == "todo"  # opened, nothing settled by hand
            await pilot.press("d")
            await wait_until(pilot, lambda: app.screen.doc_id == "doc-2", "the next document")
            with on_disk(team_db) as store:
                assert store.status("doc-1", "gold") == "done"
            await settle(pilot)
            await pilot.press("1", "1", "1", "d")  # all settled: one d is enough, and the last one ends the app
            await wait_until(pilot, lambda: app.return_code is not None, "the app to end")
    with on_disk(team_db) as store:
        assert store.status("doc-2", "gold") == "done"


async def test_q_leaves_and_help_lists_the_keys(team_db):
    with adjudicating(team_db, keymap={"leave_out": "z"}) as app:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("f1")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
            rows = {description: keys for keys, description, _ in app.screen.rows}
            assert rows["Leave out [leave_out]"] == "z" and rows["Take 3 [take_3]"] == "3"
            assert app.screen.title_text.startswith("Adjudication screen")
            await pilot.press("escape", "z")
            assert ("The council meets on Monday", "rejected") not in [(t, s) for t, s, _ in gold(team_db)]
            assert len(gold(team_db)) == 2  # z left the current (boundary) quote out
            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running


async def test_three_annotators_and_the_third_key(tmp_path):
    team_store(tmp_path / "t.db").close()
    with adjudicating(tmp_path / "t.db", team=("ana", "ben", "cal")) as app:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("3")
            assert ("the plan was too expensive", "accepted", {"agreed": ["ana", "cal"], "taken_from": "cal"}) \
                in gold(tmp_path / "t.db")


async def test_the_polnear_annotators_are_reconciled_by_auto_then_one_key_per_disagreement(tmp_path):
    """Two PolNeAR annotators' files: --auto keeps what both agree on, the screen settles the rest with `1`
    (or `2`), `d` finishes each article, and every group ends settled on disk."""
    folder = SHARED_DATA / "polnear-dev-by-annotator"
    if not folder.exists():
        pytest.skip("development data is not available")
    db = tmp_path / "polnear.db"
    runner = CliRunner()
    for name in ("4b22", "4e07"):
        result = runner.invoke(cli, ["--db", str(db), "import", str(folder / f"{name}.jsonl"), "--as", name,
                                     "--status", "done", "--no-predict"])
        assert result.exit_code == 0, result.output
    auto = runner.invoke(cli, ["--db", str(db), "adjudicate", "4b22", "4e07", "--into", "gold", "--auto", "--json"])
    left = sum(sum(d["left"].values()) for d in json.loads(auto.output)["documents"])
    keys = 0
    with adjudicating(db, team=("4b22", "4e07")) as app:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            while app.return_code is None:
                session = app.screen.session
                if any(item.state == "open" for item in session.items):
                    await pilot.press("1" if session.version(session.current, 0) is not None else "2")
                    keys += 1
                else:
                    await pilot.press("d")
                    await settle(pilot)
    assert keys <= left  # one key per disagreement (a group may count under two kinds)
    with on_disk(db) as store:
        assert [store.status(d, "gold") for d in store.document_ids()] == ["done", "done"]
        for doc_id in store.document_ids():
            grouped = DocumentAdjudication(store, ("4b22", "4e07"), "gold", doc_id)
            assert all(item.state in ("agreed", "taken") for item in grouped.items)


async def test_every_action_is_in_the_command_palette(team_db):
    with adjudicating(team_db) as app:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await run_from_palette(pilot, "Leave the quote out of the adjudicated labels")
            assert ("that the plan was too expensive", "rejected") not in [(t, s) for t, s, _ in gold(team_db)]
            assert [s for _, s, _ in gold(team_db)] == ["accepted", "rejected"]


def test_annotators_differ_without_colour():
    """The first five annotators' styles differ in a text attribute, not only in colour (NO_COLOR terminals)."""
    from annotator.tui.widgets.styles import ANNOTATOR_STYLES

    attributes = [(s.underline, s.italic, s.bold, s.overline, s.underline2) for s in ANNOTATOR_STYLES[:5]]
    assert len(set(attributes)) == 5 and all(any(a) for a in attributes)
