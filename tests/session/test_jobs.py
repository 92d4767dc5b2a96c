"""The one pre-annotation routine: progress through a callback, failures reported, never fatal."""

from __future__ import annotations

import pytest

from annotator.model import Owner
from annotator.session.jobs import preannotate
from tests.support.store import candidates, make_store


class Picky:
    """The test's candidates, except on doc-2 (raises) and doc-3 (a quote whose text is not the document's)."""

    def attribute(self, document):
        if document.id == "doc-2":
            raise RuntimeError("cannot read this one")
        quotes = candidates(document.text)
        if document.id == "doc-3":
            quotes[0].text = "not what the text says"
        return quotes


@pytest.mark.parametrize("jobs", [1, 2])  # with 2, worker processes attribute and report the failure
def test_every_document_is_tried_and_the_failures_say_why(tmp_path, jobs):
    store = make_store(tmp_path / "j.db", with_candidates=False)
    seen = []
    report = preannotate(store, Picky(), "mine", on_progress=lambda done, total: seen.append((done, total)), jobs=jobs)
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert (report.run, report.total, report.documents, report.quotes) == ("mine", 3, 1, 3)
    assert [(f.doc_id, f.stage) for f in report.failures] == [("doc-2", "attribute"), ("doc-3", "store")]
    assert str(report.failures[0]) == "doc-2 (RuntimeError: cannot read this one)"
    assert len(store.quotes("doc-1", Owner.run("mine"))) == 3
    assert store.quotes("doc-3", Owner.run("mine")) == []
    store.close()


def test_types_keep_only_those_quotes_and_a_run_is_replaced(store):
    report = preannotate(store, Picky(), "builtin", ["doc-1"], types=["indirect"])
    assert report.by_type == {"indirect": 1} and report.total == 1
    assert [q.type for q in store.quotes("doc-1", Owner.run("builtin"))] == ["indirect"]
    assert len(store.quotes("doc-2", Owner.run("builtin"))) == 3  # not asked: untouched
