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


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module (it takes seconds to start); each test opens its own page."""
    window = Browser(PATHS)
    yield window
    window.close()


def test_a_visit_names_its_annotator_and_accepts_a_candidate(tmp_path, browser):
    make_store(tmp_path / "t.db").close()
    with serving(tmp_path / "t.db", tmp_path / "serve.log") as url:
        browser.open(url)
        browser.wait_for("Who is annotating?")
        browser.type("Ann [b]\n")  # a name that would be markup is kept as typed
        browser.wait_for("annotator: Ann [b]")
        browser.type("\n")  # the documents screen opens the first document
        browser.wait_for("Quote 1 of 3")
        wait_for(lambda: statuses(tmp_path / "t.db", "Ann [b]") == ["pending"] * 3,
                 "the document to open with the candidates as the visit's pending quotes")
        browser.type("a")
        wait_for(lambda: statuses(tmp_path / "t.db", "Ann [b]") == ["accepted", "pending", "pending"],
                 "the first candidate to be accepted")
        browser.screenshot(tmp_path / "accepted.png")  # kept with the test's files when it fails
    assert statuses(tmp_path / "t.db", "ann") == []


def test_a_fixed_annotator_is_not_asked(tmp_path, browser):
    make_store(tmp_path / "t.db").close()
    with serving(tmp_path / "t.db", tmp_path / "serve.log", "--annotator", "bea") as url:
        browser.open(url)
        browser.wait_for("annotator: bea")
        browser.type("\n")
        browser.wait_for("Quote 1 of 3")
        wait_for(lambda: statuses(tmp_path / "t.db", "bea") == ["pending"] * 3, "the first document to open")
        browser.type("x")
        wait_for(lambda: statuses(tmp_path / "t.db", "bea") == ["rejected", "pending", "pending"],
                 "the first candidate to be rejected")
