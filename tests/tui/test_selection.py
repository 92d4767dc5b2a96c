"""Selections made with the keys (issue 13): never ending on the next word's opening mark nor inside a
grapheme cluster, and direct only when the marks balance; pressed through Pilot, checked on disk."""

from __future__ import annotations

from tests.support.store import make_store
from tests.support.tui import check, running, settle


def one_document(tmp_path, text: str):
    make_store(tmp_path / "t.db", [("doc-1", text)], with_candidates=False).close()
    return tmp_path / "t.db"


async def test_a_selection_leaves_the_next_words_opening_mark_out(tmp_path):
    db = one_document(tmp_path, 'Another body. "Tes," ujar Budi.')
    async with running(db) as (_, pilot):
        await pilot.press("v", "w", "w", "enter")  # up to the start of "Tes", past its mark
        await settle(pilot)
    (quote,), _ = check(db)
    assert (quote.text, quote.type) == ("Another body.", "indirect")


async def test_a_selection_never_cuts_an_emoji_in_half(tmp_path):
    text = "Kami 👨\u200d👩\u200d👧 senang, kata Ani."
    db = one_document(tmp_path, text)
    async with running(db) as (_, pilot):
        await pilot.press("v", *["right"] * 7, "enter")  # the cursor stops inside the family emoji
        await settle(pilot)
    (quote,), _ = check(db)
    emoji_end = text.index("👧") + 1
    assert quote.end == emoji_end and quote.text == text[:emoji_end]


async def test_a_new_quote_is_direct_only_when_its_marks_balance(tmp_path):
    db = one_document(tmp_path, '"Kami siap," kata Budi. Ia bilang "tanpa penundaan" jika diserang.')
    async with running(db) as (_, pilot):
        await pilot.press("v", "w", "w", "w", "enter")  # "Kami siap," with both marks
        await settle(pilot)
        await pilot.press("slash", *"tanpa", "enter", "left", "v", "w", "w", "w", "w", "enter")  # to "diserang"
        await settle(pilot)
    quotes, _ = check(db)
    assert [(q.text, q.type) for q in quotes] == [
        ('"Kami siap,"', "direct"), ('"tanpa penundaan" jika', "mixed")]
