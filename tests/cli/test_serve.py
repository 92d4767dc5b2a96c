"""``annotator serve`` up to the server: what it refuses, what it says at start, the command line each visit runs
(the browser itself: tests/tui/test_serve_browser.py)."""

from __future__ import annotations

import importlib.util
import shlex
import sys

import pytest
from click.testing import CliRunner

from annotator.cli import cli, default_public_url, is_loopback
from annotator.store import Store
from tests.support.store import make_store

pytest.importorskip("textual_serve", reason="annotator[serve] is not installed")

from annotator.tui.serve import AppServer, visit_command


@pytest.fixture
def served(monkeypatch):
    """What ``AppServer.serve`` was started with, instead of serving."""
    started = []
    monkeypatch.setattr(AppServer, "serve", lambda self: started.append(self))
    return started


def serve(db, *args: str, before: tuple[str, ...] = ()):
    return CliRunner().invoke(cli, ["--db", str(db), *before, "serve", *args], catch_exceptions=False)


def test_each_visit_asks_its_name_on_the_absolute_database(tmp_path, served, monkeypatch):
    make_store(tmp_path / "t.db").close()
    monkeypatch.chdir(tmp_path)
    result = serve("t.db")
    assert result.exit_code == 0, result.output
    [server] = served
    assert (server.host, server.port, server.public_url) == ("127.0.0.1", 8000, "http://127.0.0.1:8000")
    assert shlex.split(server.command) == [sys.executable, "-m", "annotator", "--db", str(tmp_path / "t.db"),
                                           "annotate", "--ask-name"]
    assert "asks for the annotator's name" in result.output
    assert "No login" in result.output and "authenticating proxy" in result.output
    assert "WARNING" not in result.output


@pytest.mark.parametrize("before, after", [((), ("--annotator", "ann [b]")), (("--annotator", "ann [b]"), ())])
def test_annotator_fixes_the_name_of_every_visit(tmp_path, served, before, after):
    make_store(tmp_path / "t.db").close()
    result = serve(tmp_path / "t.db", *after, before=before)
    assert result.exit_code == 0, result.output
    assert shlex.split(served[0].command)[-3:] == ["--annotator", "ann [b]", "annotate"]
    assert "Every visit annotates as ann [b]." in result.output


def test_a_host_other_machines_reach_is_warned_about_but_served(tmp_path, served):
    make_store(tmp_path / "t.db").close()
    result = serve(tmp_path / "t.db", "--host", "0.0.0.0", "--port", "8123",
                   "--public-url", "https://annotate.example.org")
    assert result.exit_code == 0, result.output
    assert "WARNING: --host 0.0.0.0 is reachable from other machines" in result.output
    assert (served[0].host, served[0].port, served[0].public_url) == ("0.0.0.0", 8123, "https://annotate.example.org")


def test_refusals_are_one_sentence_and_create_nothing(tmp_path, served):
    result = serve(tmp_path / "none.db")
    assert result.exit_code == 1 and "no such database" in result.output
    assert not (tmp_path / "none.db").exists()
    Store.open(tmp_path / "empty.db").close()
    result = serve(tmp_path / "empty.db")
    assert result.exit_code == 1 and "has no documents yet" in result.output
    make_store(tmp_path / "t.db").close()
    result = serve(tmp_path / "t.db", "--annotator", "a\x00b")
    assert result.exit_code == 1 and "NUL" in result.output
    assert served == []


def test_without_textual_serve_it_says_how_to_install_it(tmp_path, served, monkeypatch):
    make_store(tmp_path / "t.db").close()
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "textual_serve"
                        else find_spec(name, *a))
    result = serve(tmp_path / "t.db")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: annotator serve needs textual-serve: pip install 'annotator[serve]'"
    assert served == []


def test_the_visit_command_line_keeps_paths_and_names_from_the_shell():
    db, name = "/data/it's $(rm -rf x); a b.db", "o'neil `id`"
    assert shlex.split(visit_command(db, name)) == [sys.executable, "-m", "annotator", "--db", db,
                                                    "--annotator", name, "annotate"]


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.8.0.1", True), ("::1", True),
                                            ("localhost", True), ("0.0.0.0", False), ("::", False),
                                            ("10.1.2.3", False), ("", False)])
def test_loopback_hosts(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["bad[host]", "no host\x00", "x" * 300])
def test_a_host_that_stands_for_no_address_is_refused_before_anything_is_said(tmp_path, served, host):
    make_store(tmp_path / "t.db").close()
    result = serve(tmp_path / "t.db", "--host", host)
    assert result.exit_code == 1 and served == []
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert "no such host or address" in result.stderr and "WARNING" not in result.stderr


def test_public_urls():
    assert default_public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert default_public_url("::1", 80) == "http://[::1]:80"
    assert not default_public_url("0.0.0.0", 8000).startswith("http://0.0.0.0")
