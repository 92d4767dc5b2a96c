"""Driving the app under Pilot: the one place tests build it, record its messages, wait on its workers or
on a condition, and read back what is on disk."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from textual.command import CommandList, CommandPalette
from textual.message import Message

from annotator.model import Quote
from annotator.session import Workspace
from annotator.store import Store
from annotator.tui.app import AnnotatorApp
from tests.support.store import actions, labels, on_disk

SIZE = (100, 30)
MessageT = TypeVar("MessageT", bound=Message)


class Messages(list[Message]):
    """Every message delivered to a widget, screen or the app while it ran, in order, each once (``run_test``'s
    ``message_hook`` sees a bubbling message again at every parent)."""

    def __init__(self) -> None:
        super().__init__()
        self._recorded: set[int] = set()  # ids of the messages in the list, which keeps them alive

    def __call__(self, message: Message) -> None:
        if id(message) not in self._recorded:
            self._recorded.add(id(message))
            self.append(message)

    def of(self, kind: type[MessageT], since: int = 0) -> list[MessageT]:
        """The messages of ``kind``, from the ``since``-th message on (``len()`` before an action marks it)."""
        return [m for m in self[since:] if isinstance(m, kind)]


@contextmanager
def built(db: Path, doc: str | None = "doc-1", annotator: str = "ann", *, keymap: dict[str, str] | None = None,
          predictor: Any | None = None, role_categories: tuple[str, ...] | None = None) -> Iterator[AnnotatorApp]:
    """The app on the database at ``db``, not started (for ``snap_compare``); the connection closes on leaving.

    ``keymap`` and ``role_categories`` left out come from the configuration files, as for a user (the tests'
    configuration directory is empty unless a test writes one).
    """
    store = Store.open(db)
    try:
        yield AnnotatorApp(Workspace(store, annotator, predictor=predictor), doc_id=doc, keymap=keymap,
                           role_categories=role_categories)
    finally:
        store.close()


@asynccontextmanager
async def running(db: Path, doc: str | None = "doc-1", annotator: str = "ann", *, keymap: dict[str, str] | None = None,
                  size: tuple[int, int] = SIZE, predictor: Any | None = None,
                  role_categories: tuple[str, ...] | None = None,
                  messages: Messages | None = None) -> AsyncIterator:
    """The app open on ``doc`` (the documents screen when None), its workers finished; every message it
    handles goes to ``messages`` when given."""
    with built(db, doc, annotator, keymap=keymap, predictor=predictor, role_categories=role_categories) as app:
        async with app.run_test(size=size, message_hook=messages) as pilot:
            await settle(pilot)
            yield app, pilot


async def settle(pilot) -> None:
    """Wait until every worker has finished and the screen has caught up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot, condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Let the app run in short steps until ``condition()`` holds; fail saying ``what`` was awaited if it does
    not within ``timeout`` seconds (a bound for a hung test, not a speed requirement)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout:g} s for {what}")
        await pilot.pause(0.01)


async def run_from_palette(pilot, words: str) -> None:
    """Open the command palette, type ``words``, wait until the best match is a command starting with them
    (the palette searches in a worker), and run it."""
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the command palette")
    await pilot.press(*words)

    def best_match() -> str:
        commands = pilot.app.screen.query_one(CommandList)
        highlighted = commands.highlighted
        return "" if highlighted is None else str(commands.get_option_at_index(highlighted).prompt)

    await wait_until(pilot, lambda: best_match().casefold().startswith(words.casefold()),
                     f"a command starting {words!r} to be highlighted in the palette")
    await pilot.press("enter")
    await settle(pilot)


def check(db: Path, annotator: str = "ann", doc: str = "doc-1") -> tuple[list[Quote], list[str]]:
    """A fresh connection: what is on disk, not what the app holds in memory (label events only)."""
    with on_disk(db) as store:
        return labels(store, annotator, doc), [a for a in actions(store, annotator, doc) if a != "status"]


def current(app):
    return app.screen.session.current


@contextmanager
def adjudicating(db: Path, team: tuple[str, ...] = ("ana", "ben"), into: str = "gold",
                 keymap: dict[str, str] | None = None) -> Iterator[AnnotatorApp]:
    """The app as ``annotator adjudicate`` starts it, not started (for ``snap_compare`` and ``run_test``)."""
    from annotator.session.adjudication import Adjudication

    store = Store.open(db)
    try:
        job = Adjudication(store, team, into)
        yield AnnotatorApp(Workspace(store, into, run=None), doc_id=job.documents()[0], keymap=keymap,
                           adjudication=job)
    finally:
        store.close()
