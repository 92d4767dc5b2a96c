"""The annotation app: documents screen, annotate screen, adjudication screen, help, command palette, remappable
keys."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import cast

from platformdirs import user_downloads_path
from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from annotator.model import DEFAULT_ROLE_CATEGORIES
from annotator.session import Workspace
from annotator.session.adjudication import Adjudication
from annotator.tui.config import load_keymap, load_role_categories
from annotator.tui.messages import DocumentChanged, EditAdjudicated, HelpRequested, OpenDocument
from annotator.tui.screens.adjudicate import AdjudicateScreen
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.documents import DocumentsScreen
from annotator.tui.screens.help import HelpScreen
from annotator.tui.screens.name import NameScreen

SCREENS_WITH_KEYS = (AnnotateScreen, DocumentsScreen, AdjudicateScreen)


def screenshot_folder() -> Path:
    """Where "Screenshot" saves: the user's downloads folder if there is one, else the current folder if it can be
    written, else the temporary folder (a folder is never made in the user's home uninvited)."""
    downloads = user_downloads_path()
    if downloads.is_dir():
        return downloads
    here = Path.cwd()
    return here if os.access(here, os.W_OK) else Path(tempfile.gettempdir())


def binding_ids() -> set[str]:
    """Every remappable action id (the names used in keys.toml)."""
    return {b.id for cls in SCREENS_WITH_KEYS for b in cls.BINDINGS if isinstance(b, Binding) and b.id}


def default_keys() -> list[list[tuple[str, str]]]:
    """Per screen, each binding's (id, default keys): what a keymap is checked against for clashes."""
    return [[(b.id, b.key) for b in cls.BINDINGS if isinstance(b, Binding) and b.id] for cls in SCREENS_WITH_KEYS]


class ActionsProvider(Provider):
    """The command palette entry for every key binding of the screen it was opened from."""

    def _commands(self) -> Iterable[tuple[str, str, str]]:
        app = cast(AnnotatorApp, self.app)
        for keys, binding in app.screen_bindings(self.screen):
            title = binding.tooltip or binding.description
            yield f"{title[:1].upper()}{title[1:]}", binding.action, keys

    async def discover(self) -> Hits:
        for title, action, keys in self._commands():
            yield DiscoveryHit(title, partial(self.app.run_action, action, self.screen), help=f"key: {keys}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, keys in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self.app.run_action, action, self.screen),
                          help=f"key: {keys}")


class AnnotatorApp(App[None]):
    """``annotator annotate``: review candidate quotes and make gold labels, every change saved at once.

    The app holds the workspace (its only way to the data) and hands it to the screens it makes; the
    screens send messages up to open a document, to say a document's row is out of date, to show help.
    """

    CSS_PATH = "app.tcss"
    TITLE = "annotator"
    COMMANDS = App.COMMANDS | {ActionsProvider}
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        workspace: Workspace,
        *,
        doc_id: str | None = None,
        keymap: dict[str, str] | None = None,
        keys_file: Path | None = None,
        role_categories: tuple[str, ...] | None = None,
        adjudication: Adjudication | None = None,
        ask_name: bool = False,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.start_doc = doc_id
        self.adjudication = adjudication  # ``annotator adjudicate``: the adjudication screen instead of the list
        self.user_keymap = keymap if keymap is not None else load_keymap(binding_ids(), keys_file, default_keys())
        self.role_categories = role_categories or load_role_categories(DEFAULT_ROLE_CATEGORIES)
        self.ask_name = ask_name  # ``annotator serve``: each browser visit names its annotator first
        self.documents: DocumentsScreen  # made when the work begins, for the workspace it begins with

    def on_mount(self) -> None:
        self.set_keymap(self.user_keymap)
        if self.ask_name:
            self.push_screen(NameScreen(self.workspace), self._start)
        else:
            self._start(self.workspace)

    def _start(self, workspace: Workspace | None) -> None:
        """The first screens, for the workspace given, or for the one the name screen made for its name."""
        assert workspace is not None  # the name screen closes only with a workspace
        self.workspace = workspace
        self.documents = DocumentsScreen(workspace)
        if self.adjudication is not None:
            self.push_screen(AdjudicateScreen(self.adjudication, self.start_doc))
            return
        self.push_screen(self.documents)
        if self.start_doc is not None:
            self.push_screen(self._annotate(self.start_doc))

    def _annotate(self, doc_id: str) -> AnnotateScreen:
        return AnnotateScreen(self.workspace, doc_id, self.role_categories)

    async def on_open_document(self, message: OpenDocument) -> None:
        """From the documents screen the document opens above it; from an annotate screen, in its place; while
        adjudicating, the annotate screen goes back to the adjudication screen instead."""
        if self.adjudication is not None:
            if message.replacing in self.screen_stack:
                while not isinstance(self.screen, AdjudicateScreen):
                    await self.pop_screen()
            return
        if message.replacing is None:
            await self.push_screen(self._annotate(message.doc_id))
            return
        if message.replacing not in self.screen_stack:
            return  # that screen has closed since it asked
        while self.screen is not message.replacing:  # a dialog opened on the old document meanwhile
            await self.pop_screen()
        await self.switch_screen(self._annotate(message.doc_id))

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """The command palette's "Screenshot": an SVG of the screen saved in ``screenshot_folder``, and a note
        saying where, or why it could not be saved (Textual's own says only that it failed)."""
        if self.is_web:
            return super().deliver_screenshot(filename, path, time_format)
        folder = Path(path) if path else screenshot_folder()
        try:
            saved = Path(self.save_screenshot(filename, str(folder), time_format))
        except OSError as exc:
            self.notify(f"The screenshot could not be saved in {folder}: {exc.strerror or exc}", title="Screenshot",
                        severity="error", markup=False)
            return None
        self.notify(f"Screenshot saved as {saved}", title="Screenshot", markup=False)
        return None

    def on_edit_adjudicated(self, message: EditAdjudicated) -> None:
        self.push_screen(AnnotateScreen(self.adjudication.editor(), message.doc_id, self.role_categories,
                                        quote_id=message.quote_id))

    def on_document_changed(self, message: DocumentChanged) -> None:
        self.documents.mark_out_of_date(message.doc_id)

    def on_help_requested(self, message: HelpRequested) -> None:
        screen = message.screen
        rows = [(keys, f"{b.description} [{b.id}]", b.tooltip) for keys, b in self.screen_bindings(screen)]
        name = {AnnotateScreen: "Annotate", AdjudicateScreen: "Adjudication"}.get(type(screen), "Documents")
        self.push_screen(HelpScreen(f"{name} screen — keys (esc closes)", rows))

    def screen_bindings(self, screen: Screen) -> list[tuple[str, Binding]]:
        """(keys as the user has them, binding) for each binding of a screen, in declaration order."""
        rows = []
        for binding in type(screen).BINDINGS:
            if not isinstance(binding, Binding) or not binding.id:
                continue
            keys = self.user_keymap.get(binding.id, binding.key)
            shown = ", ".join(
                self.get_key_display(Binding(key.strip(), binding.action)) for key in keys.split(",")
            )
            rows.append((shown, binding))
        return rows
