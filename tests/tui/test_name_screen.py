"""The name a browser visit gives (``annotator serve``, ``annotate --ask-name``): asked first, checked, and the
labels made afterwards are that name's."""

from __future__ import annotations

from textual.widgets import Input, Static

from annotator.session import Workspace
from annotator.store import Store
from annotator.tui.app import AnnotatorApp
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.documents import DocumentsScreen
from annotator.tui.screens.name import NameScreen
from tests.support.tui import SIZE, check, settle


def asking(db) -> tuple[Store, AnnotatorApp]:
    store = Store.open(db)
    return store, AnnotatorApp(Workspace(store, "server"), keymap={}, ask_name=True)


def problem(app) -> str:
    return str(app.screen.query_one("#problem", Static).render())


async def test_the_name_given_owns_the_labels(db):
    store, app = asking(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NameScreen)
        await pilot.press(*"Zoë [b]x[/b]", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)
        assert "annotator: Zoë [b]x[/b]" in str(app.screen.query_one("#doc-title", Static).render())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AnnotateScreen)
        await pilot.press("a")
        await settle(pilot)
    store.close()
    quotes, actions = check(db, "Zoë [b]x[/b]")
    assert [q.status for q in quotes] == ["accepted", "pending", "pending"]
    assert actions == ["candidates", "accept"]
    assert check(db, "server") == ([], [])


async def test_a_name_that_cannot_be_one_is_refused_in_place(db):
    store, app = asking(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(" ", " ", "enter")
        await settle(pilot)
        assert isinstance(app.screen, NameScreen)
        assert problem(app) == "a name is needed: your labels are kept under it"
        app.screen.query_one(Input).value = "a\x00[b]"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NameScreen)
        assert problem(app).startswith("the name contains a NUL character")
    store.close()


def test_annotate_ask_name_starts_on_the_name_screen(run_cli, db, monkeypatch):
    opened = []
    monkeypatch.setattr(AnnotatorApp, "run", lambda self: opened.append(self.ask_name))
    assert run_cli("--db", str(db), "annotate", "--ask-name").exit_code == 0
    assert run_cli("--db", str(db), "annotate").exit_code == 0
    assert opened == [True, False]


async def test_a_name_with_control_characters_is_kept_as_given_and_shown_neutralised(db):
    store, app = asking(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one(Input).value = "e\x1b[31mred\u202e"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentsScreen)
        title = str(app.screen.query_one("#doc-title", Static).render())
        assert "annotator: e␛[31mred\ufffd" in title and "\x1b" not in title and "\u202e" not in title
        assert app.workspace.annotator == "e\x1b[31mred\u202e"  # stored as typed: only the display changes
    store.close()
