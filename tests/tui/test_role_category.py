"""The role category comes with the role (issue 13): pressed through Pilot, checked on disk."""

from __future__ import annotations

from tests.support.tui import check, running, settle


async def test_a_role_typed_brings_its_category_unless_one_was_chosen(db):
    """r sets the category the lexicon gives the role; a category picked with R stays through the next role."""
    async with running(db, role_categories=("government", "military", "politician", "other")) as (app, pilot):
        await pilot.press("n")  # Critics: no role, no category
        await pilot.press("r", "ctrl+u", *"city official", "enter")
        await settle(pilot)
        assert "category government" in str(app.screen.query_one("#status").render())
        await pilot.press("R", "3")  # the annotator's choice: politician
        await settle(pilot)
        await pilot.press("r", "ctrl+u", *"the spokesman", "enter")
        await settle(pilot)
    quotes, _ = check(db)
    assert (quotes[1].role, quotes[1].role_category) == ("the spokesman", "politician")


async def test_role_and_via_complete_from_the_values_the_labels_use(db):
    """Typing the start of a role or via used elsewhere shows it; tab takes it."""
    async with running(db) as (_, pilot):
        await pilot.press("V", *"Reuters", "enter")  # the first quote's via
        await settle(pilot)
        await pilot.press("n", "r", "ctrl+u", "t", "h")
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        await pilot.press("V", "r")
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
    quotes, _ = check(db)
    assert (quotes[1].role, quotes[1].via) == ("the mayor of Springfield", "Reuters")


async def test_the_speaker_filter_completes_a_name_the_labels_use(db):
    """s, the start of a name used in another document, tab: the whole name; enter makes it the speaker."""
    async with running(db, doc="doc-2") as (_, pilot):
        await pilot.press("s", *"Zoe Quinn", "enter")  # a name this text does not hold, made in doc-2
        await settle(pilot)
    async with running(db) as (_, pilot):
        await pilot.press("s", "Z", "o")
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
    quotes, _ = check(db)
    assert quotes[0].speaker.name == "Zoe Quinn"
