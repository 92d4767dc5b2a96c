"""`annotator predict`: a run over the documents, and what happens when the attributor fails on one."""

from __future__ import annotations

from annotator.attribution import RuleAttributor
from annotator.model import Owner
from annotator.store import Store
from tests.support.paths import SEEDS

FAILING = "004_92958af257f0b8f6"


def test_a_document_the_attributor_fails_on_is_named_the_others_are_stored_and_the_exit_is_1(
    run_cli, db_path, monkeypatch
):
    assert run_cli("import", "--no-predict", SEEDS).exit_code == 0
    attribute = RuleAttributor.attribute

    def failing(self, document):
        if document.id == FAILING:
            raise RuntimeError("no lexicon entry")
        return attribute(self, document)

    monkeypatch.setattr(RuleAttributor, "attribute", failing)
    result = run_cli("predict")
    assert result.exit_code == 1
    assert f"no predictions for {FAILING} (RuntimeError: no lexicon entry)" in result.stderr
    assert "Traceback" not in result.output
    with Store.open(db_path) as store:
        sizes = {d: store.layer_size(d, Owner.run("builtin")) for d in store.document_ids()}
    assert sizes[FAILING] == 0 and all(n > 0 for d, n in sizes.items() if d != FAILING)
