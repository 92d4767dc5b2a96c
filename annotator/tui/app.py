"""The annotation app: documents screen, annotate screen, help, command palette, remappable keys."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from annotator.model import DEFAULT_ROLE_CATEGORIES
from annotator.store import Store
from annotator.tui.config import load_keymap, load_role_categories
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.documents import DocumentsScreen
from annotator.tui.screens.modals import HelpScreen
from annotator.tui.session import DEFAULT_RUN

SCREENS_WITH_KEYS = (AnnotateScreen, DocumentsScreen)


def binding_ids() -> set[str]:
    """Every remappable action id (the names used in keys.toml)."""
    return {b.id for cls in SCREENS_WITH_KEYS for b in cls.BINDINGS if isinstance(b, Binding) and b.id}


def default_keys() -> list[list[tuple[str, str]]]:
    """Per screen, each binding's (id, default keys): what a keymap is checked against for clashes."""
    return [[(b.id, b.key) for b in cls.BINDINGS if isinstance(b, Binding) and b.id] for cls in SCREENS_WITH_KEYS]


class ActionsProvider(Provider):
    """The command palette entry for every key binding of the screen it was opened from."""

    def _commands(self) -> Iterable[tuple[str, str, str]]:
        app: AnnotatorApp = self.app  # type: ignore[assignment]
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


class AnnotatorApp(App):
    """``annotator annotate``: review candidate quotes and make gold labels, every change saved at once."""

    CSS_PATH = "app.tcss"
    TITLE = "annotator"
    COMMANDS = App.COMMANDS | {ActionsProvider}
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        store: Store,
        annotator: str,
        *,
        run: str = DEFAULT_RUN,
        doc_id: str | None = None,
        keymap: dict[str, str] | None = None,
        keys_file: Path | None = None,
        predictor: Any | None = None,
        role_categories: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.annotator = annotator
        self.candidates_run = run
        self.start_doc = doc_id
        self.predictor = predictor
        self.visited: set[str] = set()  # documents opened since the documents screen last looked
        self.user_keymap = keymap if keymap is not None else load_keymap(binding_ids(), keys_file, default_keys())
        self.role_categories = role_categories or load_role_categories(DEFAULT_ROLE_CATEGORIES)

    def on_mount(self) -> None:
        self.set_keymap(self.user_keymap)
        self.push_screen(DocumentsScreen())
        if self.start_doc is not None:
            self.open_document(self.start_doc)

    def open_document(self, doc_id: str) -> None:
        self.push_screen(AnnotateScreen(doc_id))

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

    def show_help(self, screen: Screen) -> None:
        rows = [(keys, f"{b.description} [{b.id}]", b.tooltip) for keys, b in self.screen_bindings(screen)]
        name = "Annotate" if isinstance(screen, AnnotateScreen) else "Documents"
        self.push_screen(HelpScreen(f"{name} screen — keys (esc closes)", rows))
