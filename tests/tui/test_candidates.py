"""Where candidates come from: an imported run, the attributor in a worker, or `annotate PATH...`."""

from __future__ import annotations

from annotator.model import Owner
from annotator.session import SchemaError, Workspace
from annotator.store import Store
from annotator.tui.app import AnnotatorApp
from annotator.tui.screens.annotate import AnnotateScreen
from tests.support.paths import SEEDS
from tests.support.store import CountingAttributor, candidates, make_store
from tests.support.tui import running


async def test_a_document_without_predictions_is_attributed_in_a_worker(tmp_path):
    make_store(tmp_path / "a.db", with_candidates=False).close()
    fake = CountingAttributor()
    async with running(tmp_path / "a.db", predictor=fake) as (app, pilot):
        assert isinstance(app.screen, AnnotateScreen)
        assert len(app.screen.session.quotes) == 3
        await pilot.press("a")
    assert fake.calls == ["doc-1"]
    check = Store.open(tmp_path / "a.db")
    assert len(check.quotes("doc-1", Owner.run("builtin"))) == 3
    assert [q.status for q in check.quotes("doc-1", Owner.annotator("ann"))] == ["accepted", "pending", "pending"]
    check.close()


async def test_predictions_already_there_are_not_recomputed(tmp_path):
    make_store(tmp_path / "b.db").close()
    fake = CountingAttributor()
    async with running(tmp_path / "b.db", predictor=fake) as (app, _):
        assert len(app.screen.session.quotes) == 3
    assert fake.calls == []


def test_annotate_imports_and_preannotates_paths(run_cli, db_path, monkeypatch):
    opened = []
    monkeypatch.setattr(AnnotatorApp, "run", lambda self: opened.append((self.workspace.annotator, self.start_doc)))
    result = run_cli("annotate", str(SEEDS))
    assert result.exit_code == 0, result.output
    assert opened == [("tester", "000_23ba7202a52b5d15")]  # the first imported document to do
    store = Store.open(db_path)
    assert store.count_documents() == 2
    assert all(store.quotes(d, Owner.run("builtin")) for d in store.document_ids())
    store.close()


def test_annotate_refuses_an_unknown_document_and_an_empty_database(run_cli, db_path, monkeypatch):
    monkeypatch.setattr(AnnotatorApp, "run", lambda self: None)
    result = run_cli("annotate")
    assert result.exit_code == 1 and "no documents" in result.output
    make_store(db_path).close()
    result = run_cli("annotate", "--doc", "nope")
    assert result.exit_code == 1 and "nope" in result.output


def test_annotate_goes_on_when_the_attributor_fails_on_a_document(run_cli, db_path, monkeypatch):
    class Broken:
        def attribute(self, document):
            raise KeyError("xx")

    monkeypatch.setattr("annotator.attribution.get_attributor", lambda: Broken())  # the command imports it when it runs
    monkeypatch.setattr(AnnotatorApp, "run", lambda self: None)
    result = run_cli("annotate", str(SEEDS))
    assert result.exit_code == 0, result.output
    assert "no candidates for 000_23ba7202a52b5d15 (KeyError" in result.output
    store = Store.open(db_path)
    assert store.count_documents() == 2
    store.close()


async def test_bad_candidates_from_the_attributor_are_reported_not_fatal(tmp_path):
    class Wrong:
        def attribute(self, document):
            (q, *_) = candidates(document.text)
            q.text = "not what the text says"
            return [q]

    make_store(tmp_path / "w.db", with_candidates=False).close()
    async with running(tmp_path / "w.db", predictor=Wrong()) as (app, _):
        assert "could not be stored" in str(app.screen.query_one("#status").render())
        assert app.screen.session.quotes == []


async def test_a_database_that_cannot_be_opened_for_the_worker_is_reported_not_fatal(tmp_path, monkeypatch):
    """The worker opens a connection of its own: a file made newer or read-only meanwhile is a status line."""

    def refused(self):
        raise SchemaError(f"{self.store.path} has schema version 9, newer than this annotator understands (2)")

    monkeypatch.setattr(Workspace, "on_own_connection", refused)
    make_store(tmp_path / "n.db", with_candidates=False).close()
    async with running(tmp_path / "n.db", predictor=CountingAttributor()) as (app, _):
        status = str(app.screen.query_one("#status").render())
        assert "could not be stored" in status and "newer than this annotator" in status
        assert app.screen.session.quotes == [] and app.is_running
