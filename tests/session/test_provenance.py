"""The provenance of an evaluation's JSON (docs/metrics.md §8): settings from the command's parameters,
inputs as files with their SHA-256 or as names in a database, the scorer's version and the time."""

from __future__ import annotations

import hashlib
import re

import pytest

import annotator
from annotator.formats.errors import InputError
from annotator.session.provenance import FIGURE_SETTINGS, evaluation_settings, provenance
from annotator.session.sources import Database
from annotator.store import Store
from tests.support.documents import load, plain_document


def test_settings_are_the_figure_changing_parameters_only():
    params = {"gold": "g.jsonl", "as_json": True, "context": 80, "all_documents": True}
    assert evaluation_settings(params) == {"all_documents": True}
    assert set(evaluation_settings(dict.fromkeys(FIGURE_SETTINGS, 1))) == set(FIGURE_SETTINGS)


def test_files_are_hashed_and_names_resolved_in_the_database(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_bytes(b'{"id": "a", "text": "x"}\n')
    store = Store.open(tmp_path / "s.db")
    load(store, [plain_document("a")], annotator="ana", done=("a",))
    store.save_predictions("sys", "a", [])
    database = Database(lambda: store, "s.db")
    prov = provenance(str(gold), "ana", database, {"all_documents": False})
    assert prov["scorer"] == {"name": "annotator", "version": annotator.__version__}
    assert prov["settings"] == {"all_documents": False}
    assert prov["inputs"] == {"gold": {"file": str(gold), "sha256": hashlib.sha256(gold.read_bytes()).hexdigest()},
                              "pred": {"annotator": "ana", "database": "s.db"}}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", prov["time"])
    assert provenance("ana", "sys", database, {})["inputs"] == {"gold": {"annotator": "ana", "database": "s.db"},
                                                              "pred": {"run": "sys", "database": "s.db"}}
    store.close()


def test_a_file_that_went_away_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"gone\.jsonl: cannot be read"):
        provenance(str(tmp_path / "gone.jsonl"), str(tmp_path / "gone.jsonl"), Database(lambda: None, "x"), {})


def test_source_date_epoch_fixes_the_time_and_a_bad_one_is_refused(tmp_path, monkeypatch):
    gold = tmp_path / "g.jsonl"
    gold.write_bytes(b"")
    database = Database(lambda: None, "x")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert provenance(str(gold), str(gold), database, {})["time"] == "2023-11-14T22:13:20Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(InputError, match=r"^SOURCE_DATE_EPOCH: is 'soon', not a number of seconds since 1970$"):
        provenance(str(gold), str(gold), database, {})
