"""Regenerate docs/annotate.svg: the annotate screen on a seed article, as the README walkthrough shows it.

Imports the seeds into a temporary database, lets the built-in attributor
propose candidates, then drives the real app with Pilot (accept, next, accept)
and saves Textual's SVG export at 100×30.

Usage: python docs/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.attribution import get_attributor
from annotator.formats.read import read_paths
from annotator.session import Workspace
from annotator.store import Store
from annotator.tui.app import AnnotatorApp

DOC = "004_92958af257f0b8f6"


async def shoot(db: Path, out: Path) -> None:
    store = Store.open(db)
    app = AnnotatorApp(Workspace(store, "maria", predictor=get_attributor()), doc_id=DOC, keymap={})
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("a", "n", "a", "n", "n")
        await pilot.pause()
        app.save_screenshot(filename=out.name, path=str(out.parent))
    store.close()


def main() -> None:
    out = ROOT / "docs" / "annotate.svg"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "docs.db"
        store = Store.open(db)
        store.import_documents(read_paths([ROOT / "seeds"], "utf-8", lambda where, why: None))
        store.close()
        asyncio.run(shoot(db, out))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
