"""The TUI's way to the data: documents, candidates on open, statuses, the work list."""

from __future__ import annotations

import pytest

from annotator.model import Owner
from annotator.session import Progress, Workspace
from annotator.store.edits import LabelError
from tests.support.store import CountingAttributor, make_store


def test_a_document_without_candidates_gets_them_before_it_opens(tmp_path):
    store = make_store(tmp_path / "w.db", with_candidates=False)
    attributor = CountingAttributor()
    workspace = Workspace(store, "ann", predictor=attributor)
    assert workspace.needs_candidates("doc-1")
    seen = []
    report = workspace.find_candidates(["doc-1", "doc-1"], on_progress=lambda done, total: seen.append((done, total)))
    assert (report.documents, report.quotes, report.failures) == (1, 3, [])
    assert seen == [(0, 1), (1, 1)] and attributor.calls == ["doc-1"]
    assert not workspace.needs_candidates("doc-1")
    session = workspace.open("doc-1")
    assert session.seeded == 3 and workspace.status("doc-1") == "todo"
    store.close()


def test_no_attributor_or_labels_already_there_need_no_candidates(tmp_path):
    store = make_store(tmp_path / "w.db", with_candidates=False)
    assert not Workspace(store, "ann").needs_candidates("doc-1")
    workspace = Workspace(store, "ann", predictor=CountingAttributor())
    workspace.open("doc-1").create(0, 5)
    assert not workspace.needs_candidates("doc-1")
    assert workspace.find_candidates(["doc-1"]).total == 0
    store.close()


def test_statuses_the_next_document_and_the_progress(workspace):
    assert workspace.first_to_do(["doc-2", "doc-3"]) == "doc-2"
    assert workspace.set_status("doc-2", "done") is True
    assert workspace.set_status("doc-2", "done") is False
    assert workspace.first_to_do(["doc-2", "doc-3"]) == "doc-3"
    assert workspace.next_to_do("doc-1") == "doc-3"
    assert workspace.neighbour("doc-1", 1) == "doc-2" and workspace.neighbour("doc-1", -1) is None
    assert workspace.progress() == Progress(done=1, skipped=0, total=3)
    with pytest.raises(LabelError):
        workspace.set_status("doc-1", "finished")
    with pytest.raises(KeyError):
        workspace.document("nope")


def test_pages_of_the_work_list_also_on_a_connection_of_their_own(workspace):
    workspace.set_status("doc-3", "skipped")
    rows = workspace.documents_page()
    assert [(r.id, r.status, r.candidates) for r in rows] == [
        ("doc-1", "todo", 3), ("doc-2", "todo", 3), ("doc-3", "skipped", 3)]
    reader = workspace.on_own_connection()
    try:
        assert reader.store is not workspace.store and reader.annotator == "ann"
        assert [r.id for r in reader.documents_page(status="skipped")] == ["doc-3"]
        assert [r.id for r in reader.documents_page(ids=["doc-2"])] == ["doc-2"]
    finally:
        reader.close()
    assert workspace.store.layer_size("doc-1", Owner.run("builtin")) == 3  # the workspace's own store still open
