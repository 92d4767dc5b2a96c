"""``annotator serve`` driven from headless Chromium (selenium with Debian's chromium and chromium-driver): for the
end-to-end test and for the README's screenshot (docs/make_serve_screenshot.py)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROGRAM = Path(sys.executable).parent / "annotator"
# Run in the page before its own scripts: what the app writes to the terminal, as text, kept in window.drawn. The
# terminal draws on a canvas, so this is what a test reads to know the screen it waits for is there.
RECORD_OUTPUT = """
window.drawn = "";
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    const decoder = new TextDecoder();
    this.addEventListener("message", (event) => {
      if (event.data instanceof ArrayBuffer) window.drawn += decoder.decode(event.data, {stream: true});
    });
  }
};
"""
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def browser_paths() -> tuple[str, str] | None:
    """The Chromium and the chromedriver on PATH, or None: selenium is never left to fetch a driver itself."""
    browser = next(filter(None, map(shutil.which, BROWSERS)), None)
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    """Poll ``condition`` until it gives something true, which is returned; fail saying ``what`` was awaited (the
    timeout bounds a hung test, it is no speed requirement)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:g} s for {what}")
        time.sleep(0.05)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def serving(db: Path, log: Path, *args: str) -> Iterator[str]:
    """``annotator --db DB serve ARGS`` on a free port of 127.0.0.1 until the block ends; yields its address once it
    answers. Its output goes to ``log`` (read it when a test fails)."""
    port = free_port()
    with log.open("wb") as out:
        server = subprocess.Popen([str(PROGRAM), "--db", str(db), "serve", "--port", str(port), *args],
                                  stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_for(lambda: server.poll() is not None or answers(url), "annotator serve to answer")
            assert server.poll() is None, f"annotator serve ended:\n{log.read_text()}"
            yield url
        finally:
            server.terminate()  # the server asks each visit's process to quit as it stops
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


class Browser:
    """One headless Chromium window on one page of ``annotator serve``: keys typed into its terminal."""

    def __init__(self, paths: tuple[str, str], size: tuple[int, int] = (1280, 800)) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = paths[0]
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         f"--window-size={size[0]},{size[1]}"):
            options.add_argument(argument)
        self.driver = webdriver.Chrome(options=options, service=Service(executable_path=paths[1]))
        self.seen: dict[str, int] = {}  # per tab, how much of the app's output the last wait read

    def open(self, url: str, new_tab: bool = False) -> None:
        """Load the page, in a new tab (another visit beside the first) when asked; keys go to it from now on."""
        if new_tab:
            self.driver.switch_to.new_window("tab")
        if self.driver.current_window_handle not in self.seen:  # the script is the tab's own
            self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_OUTPUT})
        self.driver.get(url)
        self.seen[self.driver.current_window_handle] = 0

    def switch_to(self, tab: int) -> None:
        """Type into and wait on the ``tab``-th tab opened (0 is the first)."""
        self.driver.switch_to.window(self.driver.window_handles[tab])

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        """Wait until the app draws ``text`` (in one piece: a word or a styled run, as it writes it) after what
        the last wait found."""
        tab = self.driver.current_window_handle

        def found() -> bool:
            end = self.driver.execute_script(
                "const at = window.drawn.indexOf(arguments[0], arguments[1]);"
                "return at < 0 ? -1 : at + arguments[0].length;", text, self.seen[tab])
            if end >= 0:
                self.seen[tab] = end
            return end >= 0

        wait_for(found, f"the page to show {text!r}", timeout)

    def type(self, *keys: str) -> None:
        """Keys as a person types them, into the terminal's input (xterm.js's hidden text area)."""
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.CSS_SELECTOR, "textarea.xterm-helper-textarea").send_keys(*keys)

    def screenshot(self, path: Path) -> None:
        self.driver.save_screenshot(str(path))

    def close(self) -> None:
        self.driver.quit()
