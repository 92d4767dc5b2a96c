"""The installed ``annotator annotate`` in a real terminal (tmux): keys in, labels on disk, even after SIGKILL."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from annotator.model import Owner, Quote, quote_json
from annotator.store import Store
from tests.support.store import TEXT, candidates, on_disk

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

PROGRAM = Path(sys.executable).parent / "annotator"


class Terminal:
    """One tmux session running one command, 100×30, on a tmux server of its own.

    A server per terminal: a shared one shuts down when its last session is
    killed, and a session started at that moment fails ("server exited unexpectedly").
    """

    def __init__(self, command: str, env: dict[str, str]):
        self.name = f"annotator-e2e-{uuid.uuid4().hex[:8]}"
        self.tmux = ["tmux", "-L", self.name]
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-s", self.name, "-x", "100", "-y", "30",
             f"exec env {exports} {command}"],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=False).stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """Poll the pane until ``text`` appears (the program's own output, not a fixed sleep)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def wait_for_exit(self, timeout: float = 20.0) -> None:
        """Poll until the program has ended: its session, and this terminal's tmux server, end with it."""
        deadline = time.monotonic() + timeout
        while subprocess.run([*self.tmux, "has-session", "-t", self.name], capture_output=True).returncode == 0:
            if time.monotonic() > deadline:
                raise AssertionError(f"the program is still running; the screen is:\n{self.screen()}")
            time.sleep(0.05)

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def pid(self) -> int:
        out = subprocess.run([*self.tmux, "display-message", "-p", "-t", self.name, "#{pane_pid}"],
                             capture_output=True, text=True, check=True).stdout
        return int(out.strip())

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True, check=False)


@pytest.fixture
def setup(tmp_path):
    """A database whose candidates come from an imported run (no attributor involved)."""
    source = tmp_path / "predictions.jsonl"
    lines = []
    for doc_id in ("first", "second"):
        lines.append(json.dumps({"id": doc_id, "lang": "en", "text": TEXT, "meta": {"title": f"The {doc_id}"},
                                 "quotes": [quote_json(q) for q in candidates()]}, ensure_ascii=False))
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "e2e.db"
    imported = subprocess.run([str(PROGRAM), "--db", str(db), "import", "--run", "builtin", str(source)],
                              capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    env = {"TERM": "xterm-256color", "XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path),
           "PATH": os.environ.get("PATH", "")}
    terminals: list[Terminal] = []
    yield db, env, terminals
    for t in terminals:
        t.close()


def test_three_accepts_survive_sigkill(setup):
    db, env, terminals = setup
    term = Terminal(f"{PROGRAM} --db {db} --annotator e2e annotate --doc first", env)
    terminals.append(term)
    term.wait_for("○ 3  ✓ 0")
    term.keys("a")  # each accept moves on to the next pending candidate
    term.wait_for("✓ 1")
    term.wait_for("Quote 2 of 3")
    term.keys("a")
    term.wait_for("✓ 2")
    term.keys("a")
    term.wait_for("○ 0  ✓ 3")
    os.kill(term.pid(), signal.SIGKILL)

    store = Store.open(db)
    try:
        quotes = store.quotes("first", Owner.annotator("e2e"))
        accepted = [q.text for q in quotes if q.status == "accepted"]
        assert accepted == ["“We will win,”", "the plan was too expensive", "“Nobody asked us,”"]
        assert len(quotes) == 3
        events = [r[0] for r in store.conn.execute(
            "SELECT action FROM events WHERE annotator = 'e2e' AND doc_id = 'first' AND action <> 'status'")]
        assert events == ["candidates", "accept", "accept", "accept"]
        assert store.quotes("second", Owner.annotator("e2e")) == []
    finally:
        store.close()


def test_accept_fix_speaker_quit_then_export(setup, tmp_path):
    db, env, terminals = setup
    term = Terminal(f"{PROGRAM} --db {db} --annotator e2e annotate", env)
    terminals.append(term)
    term.wait_for("0 done of 2 documents")
    term.keys("Enter")
    term.wait_for("○ 3  ✓ 0")
    term.keys("s")
    screen = term.wait_for(" shown")  # the list is drawn (the title comes first)
    number = re.search(r"(\d) Bob Jones ", screen).group(1)
    term.keys(number)
    term.wait_for("saved: speaker Bob Jones")
    term.keys("a")
    term.wait_for("saved: accepted")
    term.keys("q")
    term.wait_for("done of 2 documents")
    term.keys("q")
    term.wait_for_exit()  # the export below reads what the program left behind

    out = tmp_path / "export.jsonl"
    subprocess.run([str(PROGRAM), "--db", str(db), "--annotator", "e2e", "export", "--format", "jsonl",
                    "--all", str(out)], check=True, capture_output=True)
    rows = {row["id"]: row for row in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    (quote,) = rows["first"]["quotes"]
    assert quote["text"] == "“We will win,”"
    assert quote["speaker"]["name"] == "Bob Jones"
    assert quote["speaker"]["mention"]["text"] == "Bob Jones"


def first_label(db) -> tuple[Quote, str]:
    """The first of e2e's labels on document ``first`` and the document's status, as on disk."""
    with on_disk(db) as store:
        (first, *_) = store.quotes("first", Owner.annotator("e2e"))
        return first, store.status("first", "e2e")


def test_via_kind_and_skip_survive_sigkill_and_undo_in_a_new_process(setup):
    db, env, terminals = setup
    term = Terminal(f"{PROGRAM} --db {db} --annotator e2e annotate --doc first", env)
    terminals.append(term)
    term.wait_for("○ 3  ✓ 0")
    term.keys("V")
    term.wait_for("Via: the outlet")
    term.keys("Reuters", "Enter")
    term.wait_for("saved: via Reuters")
    term.keys("K")
    term.wait_for("Kind of Anna Smith")
    term.keys("3")
    term.wait_for("saved: Anna Smith is media")
    term.keys("S")
    term.wait_for(" second ")  # the next document to do is open
    os.kill(term.pid(), signal.SIGKILL)

    first, status = first_label(db)
    assert first.via == "Reuters" and first.speaker.kind == "media"
    assert status == "skipped"

    again = Terminal(f"{PROGRAM} --db {db} --annotator e2e annotate --doc first", env)
    terminals.append(again)
    again.wait_for(" skipped ")
    again.keys("u")
    again.wait_for("undid the document status: in progress again")
    again.keys("u")
    again.wait_for("undid the speaker kind change")
    os.kill(again.pid(), signal.SIGKILL)
    first, status = first_label(db)
    assert first.via == "Reuters" and first.speaker.kind == "person"
    assert status == "in_progress"


def test_adjudicated_versions_survive_sigkill(tmp_path):
    """`annotator adjudicate` in a terminal: the agreed quote is written on opening, each `1` takes a version,
    and after SIGKILL every one of them is on disk with its provenance."""
    from tests.support.adjudication import team_store

    db = tmp_path / "team.db"
    team_store(db).close()
    env = {"TERM": "xterm-256color", "XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path),
           "PATH": os.environ.get("PATH", "")}
    term = Terminal(f"{PROGRAM} --db {db} adjudicate ana ben --into gold --doc doc-1", env)
    try:
        term.wait_for("3 disagreements to settle")
        term.keys("1")
        term.wait_for("○ 2 open  ✓ 1 taken")
        term.keys("1")
        term.wait_for("○ 1 open  ✓ 2 taken")
        os.kill(term.pid(), signal.SIGKILL)
    finally:
        term.close()
    with on_disk(db) as store:
        gold = store.quotes("doc-1", Owner.annotator("gold"))
        assert [(q.text, q.adjudication["taken_from"]) for q in gold] == [
            ("“We will win,”", "ana"), ("the plan was too expensive", "ana"), ("“Nobody asked us,”", "ana")]
        assert gold[2].adjudication["agreed"] == ["ana"]
        assert [r[0] for r in store.conn.execute(
            "SELECT action FROM events WHERE annotator = 'gold' AND action <> 'status' ORDER BY id")] == [
            "adjudicate"] * 3
