"""Snapshots of both screens at 100×30 (update with ``pytest --snapshot-update`` after checking the diff)."""

from __future__ import annotations

from annotator.model import AnnotatedDocument, Owner, Quote, Speaker
from annotator.session import Workspace
from annotator.store import Store
from annotator.tui.app import AnnotatorApp
from tests.support.store import TEXT, document, make_store, span
from tests.support.tui import settle

SIZE = (100, 30)

# Markup, an ANSI escape, a control character, CJK, emoji and a combining accent: all shown as text.
HOSTILE = (
    "[bold]Breaking[/bold] \x1b[31mnews\x1b[0m from 東京: “我们会赢的 🎉,” said Jose\u0301 Tanaka, "
    "the [link=http://x]spokesman[/link] of the ministry.\x07\n"
    "Critics said that the plan 👍 was too expensive. “Nobody asked us,” Bob Jones told reporters."
)


def test_documents_screen(snap_compare, tmp_path):
    docs = [(f"article-{i:02d}", f"Article number {i}. " + TEXT) for i in range(12)]
    store = make_store(tmp_path / "s.db", docs)
    store.set_status("article-01", "ann", "done")
    store.set_status("article-02", "ann", "skipped")
    store.set_status("article-03", "ann", "in_progress")
    app = AnnotatorApp(Workspace(store, "ann"), keymap={})
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)
    store.close()


def test_annotate_screen_with_hostile_text(snap_compare, tmp_path):
    store = Store.open(tmp_path / "h.db")
    text = HOSTILE
    quotes = [
        Quote(*_at(text, "“我们会赢的 🎉,”"), "direct", cue=span(text, "said"),
              speaker=Speaker("José Tanaka", "person", span(text, "Jose\u0301 Tanaka")),
              role="the [link=http://x]spokesman[/link] of the ministry", status="pending"),
        Quote(*_at(text, "the plan 👍 was too expensive"), "indirect", cue=span(text, "said", 1),
              speaker=Speaker("Critics", "unknown", span(text, "Critics")), status="pending"),
        Quote(*_at(text, "“Nobody asked us,”"), "direct", cue=span(text, "told"),
              speaker=Speaker("Bob Jones", "person", span(text, "Bob Jones")), status="pending"),
    ]
    store.import_documents([("h", AnnotatedDocument(document("hostile", text, "[red]Title[/red] 東京 🎉"),
                                                    quotes))], owner=Owner.run("builtin"))
    app = AnnotatorApp(Workspace(store, "ann"), doc_id="hostile", keymap={})

    async def accept_second(pilot):
        await settle(pilot)
        await pilot.press("a", "x")  # accept the first, reject the second: the third is current

    assert snap_compare(app, terminal_size=SIZE, run_before=accept_second)
    store.close()


def _at(text: str, piece: str) -> tuple[int, int, str]:
    s = span(text, piece)
    return s.start, s.end, s.text
