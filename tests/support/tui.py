"""Driving the app under Pilot: open it on a database, let workers finish, read back what is on disk."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from annotator.model import Quote
from annotator.session import Workspace
from annotator.store import Store
from annotator.tui.app import AnnotatorApp
from tests.support.store import actions, labels, on_disk

SIZE = (100, 30)


@asynccontextmanager
async def running(db: Path, doc: str | None = "doc-1", annotator: str = "ann", keymap=None,
                  size: tuple[int, int] = SIZE) -> AsyncIterator:
    """The app open on ``doc`` (the documents screen when None), its workers finished."""
    store = Store.open(db)
    app = AnnotatorApp(Workspace(store, annotator), doc_id=doc, keymap=keymap or {})
    try:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            yield app, pilot
    finally:
        store.close()


async def settle(pilot) -> None:
    """Wait until every worker has finished and the screen has caught up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def check(db: Path, annotator: str = "ann", doc: str = "doc-1") -> tuple[list[Quote], list[str]]:
    """A fresh connection: what is on disk, not what the app holds in memory (label events only)."""
    with on_disk(db) as store:
        return labels(store, annotator, doc), [a for a in actions(store, annotator, doc) if a != "status"]


def current(app):
    return app.screen.session.current
