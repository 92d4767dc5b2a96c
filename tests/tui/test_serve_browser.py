"""``annotator serve`` end to end: headless Chromium opens the page, gives a name, accepts a candidate with a key,
and the label is in the database."""

from __future__ import annotations

import pytest

from annotator.model import Owner
from tests.support.browser import Browser, browser_paths, serving, wait_for
from tests.support.store import make_store, on_disk

pytest.importorskip("textual_serve", reason="annotator[serve] is not installed")
pytest.importorskip("selenium", reason="selenium (annotator[test]) is not installed")
PATHS = browser_paths()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(PATHS is None, reason="no chromium and chromedriver on PATH (.ci/run installs them)"),
]


def statuses(db, annotator: str) -> list[str]:
    with on_disk(db) as store:
        return [q.status for q in store.quotes("doc-1", Owner.annotator(annotator))]


@pytest.fixture
def browser():
    window = Browser(PATHS)
    yield window
    window.close()


def test_two_visits_at_once_name_their_annotators_and_accept_a_candidate_each(tmp_path, browser):
    """Two tabs are two processes on one database; a name that would be markup is kept as typed."""
    db = tmp_path / "t.db"
    make_store(db).close()
    with serving(db, tmp_path / "serve.log") as url:
        for tab, name in enumerate(("Ann [b]", "ben")):
            browser.open(url, new_tab=tab > 0)
            browser.wait_for("Who is annotating?")
            browser.type(f"{name}\n")
            browser.wait_for(f"annotator: {name}")
            browser.type("\n")  # the documents screen opens the first document
            browser.wait_for("Quote 1 of 3")
        browser.switch_to(0)
        browser.type("a")
        wait_for(lambda: statuses(db, "Ann [b]") == ["accepted", "pending", "pending"],
                 "the first tab's accept to be on disk")
        browser.switch_to(1)
        browser.type("x")
        wait_for(lambda: statuses(db, "ben") == ["rejected", "pending", "pending"],
                 "the second tab's reject to be on disk")
        assert statuses(db, "Ann [b]") == ["accepted", "pending", "pending"]
    assert statuses(db, "ann") == []


def test_a_fixed_annotator_is_not_asked(tmp_path, browser):
    make_store(tmp_path / "t.db").close()
    with serving(tmp_path / "t.db", tmp_path / "serve.log", "--annotator", "bea") as url:
        browser.open(url)
        browser.wait_for("annotator: bea")
        browser.type("\n")
        browser.wait_for("Quote 1 of 3")
        wait_for(lambda: statuses(tmp_path / "t.db", "bea") == ["pending"] * 3, "the first document to open")
        browser.type("a")
        wait_for(lambda: statuses(tmp_path / "t.db", "bea") == ["accepted", "pending", "pending"],
                 "the first candidate to be accepted")
