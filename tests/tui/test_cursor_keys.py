"""The first motion key after leaving a quote moves the cursor (issue 13): every key counts."""

from __future__ import annotations

from tests.support.store import TEXT
from tests.support.tui import running, settle


async def test_the_first_motion_key_moves_from_the_quotes_start(db):
    async with running(db) as (app, pilot):
        await pilot.press("n")  # “the plan was too expensive”: the cursor would start at its start
        start = TEXT.index("the plan")
        await pilot.press("right")
        await settle(pilot)
        assert app.screen.cursor == start + 1
        await pilot.press("escape", "w")
        await settle(pilot)
        assert app.screen.cursor == TEXT.index("plan was")
        await pilot.press("escape", "b")
        await settle(pilot)
        assert app.screen.cursor == TEXT.index("that the plan")
