"""Regenerate the README's browser screenshot, docs/serve.png: ``annotator serve`` in headless Chromium.

Imports the seed articles into a temporary database, lets the built-in
attributor propose candidates, serves it, and in a 1280×800 page gives the name
maria, opens the first article and accepts its first candidate. Needs
annotator[serve,test] and Debian's chromium and chromium-driver (.ci/run
installs them).

Usage: python docs/make_serve_screenshot.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.browser import PROGRAM, Browser, browser_paths, serving


def main() -> None:
    paths = browser_paths()
    if paths is None:
        sys.exit("no chromium and chromedriver on PATH: apt-get install chromium chromium-driver")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "serve.db"
        for step in (["import", str(ROOT / "seeds")], ["predict"]):
            subprocess.run([str(PROGRAM), "--db", str(db), *step], check=True, capture_output=True)
        browser = Browser(paths)
        try:
            with serving(db, Path(tmp) / "serve.log") as url:
                browser.open(url)
                browser.wait_for("Who is annotating?")
                browser.type("maria\n")
                browser.wait_for("annotator: maria")
                browser.type("\n")
                browser.wait_for("Quote 1 of")
                browser.type("a")
                browser.wait_for("saved: accepted")
                browser.screenshot(ROOT / "docs" / "serve.png")
        finally:
            browser.close()
    print(f"wrote {ROOT / 'docs' / 'serve.png'}")


if __name__ == "__main__":
    main()
