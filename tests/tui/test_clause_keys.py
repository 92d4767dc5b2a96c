"""`(` and `)`: a quote's start or end moved by a clause, pressed through Pilot and checked on disk."""

from __future__ import annotations

from tests.support.store import TEXT, make_store
from tests.support.tui import check, running, settle


async def test_the_end_reaches_the_end_of_the_clause_and_the_start_the_start_of_the_sentence(db):
    async with running(db) as (_, pilot):
        await pilot.press("n", "left_curly_bracket", "left_curly_bracket")  # "the plan was"
        await settle(pilot)
        assert check(db)[0][1].text == "the plan was"
        await pilot.press("right_parenthesis")  # up to the full stop, which stays out
        await settle(pilot)
        assert check(db)[0][1].text == "the plan was too expensive"
        await pilot.press("left_parenthesis")  # back to the start of the sentence
        await settle(pilot)
    quotes, events = check(db)
    assert quotes[1].start == TEXT.index("Critics") and quotes[1].text.endswith("too expensive")
    assert events[-2:] == ["end", "start"]


async def test_at_the_last_clause_the_key_says_so(tmp_path):
    text = "Critics said that the plan was too expensive"
    make_store(tmp_path / "t.db", [("doc-1", text)], with_candidates=False).close()
    async with running(tmp_path / "t.db") as (app, pilot):
        await pilot.press("slash", *"the plan", "enter", "v", "w", "w", "enter")
        await settle(pilot)
        await pilot.press("right_parenthesis")
        await settle(pilot)
        assert check(tmp_path / "t.db")[0][0].text == "the plan was too expensive"
        await pilot.press("right_parenthesis")
        await settle(pilot)
        assert "no clause end outside the quote" in str(app.screen.query_one("#status").render())


async def test_the_end_comes_back_to_the_end_of_a_clause_inside_the_quote(tmp_path):
    """<: a quote run on past a comma ends again at the clause before it; > moves the start on a clause."""
    text = "Ia menyatakan minatnya untuk kontak dengan Kim, meskipun tidak ada perkembangan."
    make_store(tmp_path / "t.db", [("doc-1", text)], with_candidates=False).close()
    async with running(tmp_path / "t.db") as (_, pilot):
        await pilot.press("slash", *"minatnya", "enter", "v", *["w"] * 9, "enter")  # to the final full stop
        await settle(pilot)
        await pilot.press("less_than_sign")  # before the full stop
        await settle(pilot)
        assert check(tmp_path / "t.db")[0][0].text.endswith("perkembangan")
        await pilot.press("less_than_sign")  # before the comma
        await settle(pilot)
        assert check(tmp_path / "t.db")[0][0].text == "minatnya untuk kontak dengan Kim"
        await pilot.press("right_parenthesis", "greater_than_sign")
        await settle(pilot)
        assert check(tmp_path / "t.db")[0][0].text == "meskipun tidak ada perkembangan"
