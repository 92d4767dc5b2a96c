"""``annotator serve``: the annotation app in a browser through textual-serve (README, "In a browser").

textual-serve runs one process per visit from a shell command line; here that line is ``annotator annotate`` on
the server's database, as the annotator the server fixes or asking each visit for its name. The visits' processes
share the database as any two ``annotator annotate`` do.
"""

from __future__ import annotations

import asyncio
import shlex
import sys
from typing import Any

from aiohttp import web
from textual_serve.server import Server


def visit_command(db: str, annotator: str | None) -> str:
    """The shell command line each visit runs: this Python, this database (an absolute path), the annotator or
    ``--ask-name``; every value quoted, so a path or a name is never read by the shell."""
    who = ["--annotator", annotator, "annotate"] if annotator is not None else ["annotate", "--ask-name"]
    return shlex.join([sys.executable, "-m", "annotator", "--db", db, *who])


class AppServer(Server):
    """textual-serve's server, with two changes: no start-up banner, which prints the command line (paths and
    names) as Rich markup (``annotator serve`` says what it serves itself, as plain text); and a stop (ctrl+c)
    that ends the visits at once, where textual-serve waits about half a minute for the browsers to leave."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visits: set[asyncio.Task] = set()

    async def on_startup(self, app: web.Application) -> None:
        pass

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One visit, from its connection to its end, recorded for ``on_shutdown``."""
        visit = asyncio.current_task()
        assert visit is not None  # aiohttp runs each request in a task
        self.visits.add(visit)
        try:
            return await super().handle_websocket(request)
        finally:
            self.visits.discard(visit)

    async def on_shutdown(self, app: web.Application) -> None:
        """Each visit's app is told to quit (every change it made is saved already) and its connection closes."""
        for visit in self.visits:
            visit.cancel()
