"""Regenerate the README's screenshots: docs/annotate.svg, docs/picker.svg and docs/adjudicate.svg, on a
seed article.

Imports the seeds into a temporary database, lets the built-in attributor
propose candidates, then drives the real app with Pilot (accept, next, accept)
and saves Textual's SVG export at 100×30; the speaker picker is shown on the
quote of Yury Ushakov (`n` six times, `s`). For the adjudication screen, two
annotators label the article from the attributor's quotes, the second one
differently on purpose (a quote left out, a speaker changed, a boundary moved,
a quote of its own), and the screen is shown after one disagreement is settled,
at 120×34.

Usage: python docs/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dataclasses import replace

from annotator.attribution import get_attributor
from annotator.formats.read import read_paths
from annotator.model import Quote, Speaker
from annotator.session import Workspace
from annotator.session.adjudication import Adjudication
from annotator.store import Store
from annotator.tui.app import AnnotatorApp

DOC = "004_92958af257f0b8f6"


async def shoot_annotating(db: Path, out: Path, annotator: str, keys: tuple[str, ...]) -> None:
    """The annotate screen on DOC for a new annotator, after ``keys``, saved to ``out``."""
    store = Store.open(db)
    app = AnnotatorApp(Workspace(store, annotator, predictor=get_attributor()), doc_id=DOC, keymap={})
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        app.save_screenshot(filename=out.name, path=str(out.parent))
    store.close()


async def shoot(db: Path, out: Path) -> None:
    await shoot_annotating(db, out, "maria", ("a", "n", "a", "n", "n"))


async def shoot_picker(db: Path, out: Path) -> None:
    await shoot_annotating(db, out, "rita", (*"nnnnnn", "s"))


def two_annotators(store: Store) -> None:
    """ana takes the attributor's quotes of DOC as they are; ben leaves one out, names another speaker on one,
    ends one a word early, and adds a quote of his own; both mark the article done."""
    doc = store.document(DOC)
    quotes = [replace(q, status="accepted") for q in get_attributor().attribute(doc)]
    ben = list(quotes)
    ben[1] = replace(ben[1], speaker=Speaker("Korea Utara", "organization"))
    cut = doc.text.rindex(" ", ben[3].start, ben[3].end - 1)
    ben[3] = replace(ben[3], end=cut, text=doc.text[ben[3].start:cut])
    del ben[5]
    start = doc.text.index("Korut telah mengirim")
    end = doc.text.index("Moskow", start) + len("Moskow")
    ben.append(Quote(start, end, doc.text[start:end], "indirect"))
    for name, labels in (("ana", quotes), ("ben", ben)):
        store.add_labels(name, DOC, labels, origin="import", action="import")
        store.set_status(DOC, name, "done")


async def shoot_adjudication(db: Path, out: Path) -> None:
    store = Store.open(db)
    job = Adjudication(store, ["ana", "ben"], "gold")
    app = AnnotatorApp(Workspace(store, "gold", run=None), doc_id=DOC, keymap={}, adjudication=job)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        app.save_screenshot(filename=out.name, path=str(out.parent))
    store.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "docs.db"
        store = Store.open(db)
        store.import_documents(read_paths([ROOT / "seeds"], "utf-8", lambda where, why: None))
        two_annotators(store)
        store.close()
        for out, shot in ((ROOT / "docs" / "annotate.svg", shoot),
                          (ROOT / "docs" / "picker.svg", shoot_picker),
                          (ROOT / "docs" / "adjudicate.svg", shoot_adjudication)):
            asyncio.run(shot(db, out))
            print(f"wrote {out}")


if __name__ == "__main__":
    main()
