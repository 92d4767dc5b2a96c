"""`m`: a mention from the text — the name under the cursor or a selection — linked to an entity of the
document or to a new one; pressed through Pilot, checked on disk."""

from __future__ import annotations

from annotator.model import Owner
from annotator.store import edits
from annotator.tui.screens.pickers import MentionPicker
from tests.support.store import TEXT, on_disk
from tests.support.tui import check, running, settle, wait_until


async def search(pilot, words: str) -> None:
    """Put the cursor on the first match of ``words`` with the search keys."""
    await pilot.press("slash", *words, "enter")
    await settle(pilot)


async def test_a_word_under_the_cursor_becomes_a_new_entity(db):
    """A description (*reporters*) could not be linked before: now it is the third quote's speaker."""
    async with running(db) as (app, pilot):
        await pilot.press("n", "n")  # “Nobody asked us,” … Bob Jones told reporters
        await search(pilot, "reporters")
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MentionPicker), "the mention picker")
        await pilot.press("4")  # after the three entities the candidates brought: + new entity
        await settle(pilot)
        assert "speaker reporters, mentioned as “reporters”" in str(app.screen.query_one("#status").render())
    quotes, events = check(db)
    third = quotes[2]
    assert (third.speaker.name, third.speaker.kind) == ("reporters", "anonymous")  # a description names nobody
    assert (third.speaker.mention.start, third.speaker.mention.text) == (TEXT.index("reporters"), "reporters")
    assert events[-1] == "speaker"


async def test_a_second_mention_joins_an_existing_entity(db):
    """*the mayor* names Anna Smith again: picked by its digit, the entity holds both mentions."""
    async with running(db) as (app, pilot):
        await search(pilot, "mayor")
        await pilot.press("v", "w")  # select "mayor " (the white space is trimmed)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MentionPicker), "the mention picker")
        await pilot.press("1")
        await settle(pilot)
    quotes, _ = check(db)
    assert quotes[0].speaker.name == "Anna Smith" and quotes[0].speaker.mention.text.startswith("mayor")
    with on_disk(db) as store:
        (anna,) = [e for e in edits.known_speakers(store, "doc-1", Owner.annotator("ann")) if e.name == "Anna Smith"]
        assert [m.text for m in anna.mentions] == ["Anna Smith", quotes[0].speaker.mention.text]


async def test_a_name_under_the_cursor_takes_its_capitalised_words(db):
    async with running(db) as (app, pilot):
        await pilot.press("n")
        await search(pilot, "Jones")
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MentionPicker), "the mention picker")
        assert "“Bob Jones” names" in app.screen.title_text
        await pilot.press("escape")
        await settle(pilot)
    quotes, events = check(db)
    assert quotes[1].speaker.name == "Critics" and events == ["candidates"]  # cancelled: nothing written


async def test_without_cursor_or_selection_m_says_how(db):
    async with running(db) as (app, pilot):
        await pilot.press("m")
        await settle(pilot)
        assert "select the mention first" in str(app.screen.query_one("#status").render())

