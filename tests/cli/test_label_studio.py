"""`annotator import` of a Label Studio export and `export --format label-studio`, end to end."""

from __future__ import annotations

import json

from annotator.model import Owner, quote_json
from annotator.store import Store
from tests.formats.test_label_studio import TEXT, annotation, exported_task, region, relation, span, write
from tests.support.paths import SEEDS, SEEDS_GOLD


def labels(db_path, owner: Owner) -> dict[str, list]:
    with Store.open(db_path) as store:
        return {ad.document.id: [quote_json(q) for q in ad.quotes] for ad in store.annotated(owner)}


def test_each_annotator_gets_their_annotation(run_cli, db_path, tmp_path):
    quote = region("q", *span(TEXT, "“we won”"), ["Quote"])
    speaker = region("s", *span(TEXT, "Ani"), ["Speaker"])
    other = region("o", *span(TEXT, "prices rose"), ["Quote"])
    task = exported_task([
        annotation([quote, speaker, relation("q", "s")], user=4),
        annotation([other], user={"id": 5, "email": "ana@example.org"}),
        annotation([quote], user=6, was_cancelled=True),
    ])
    result = run_cli("import", "--no-predict", write(tmp_path / "project.json", [task]))
    assert result.exit_code == 0, result.output
    assert "1 imported" in result.stderr and "2 quotes" in result.stderr
    first = labels(db_path, Owner.annotator("label-studio-4"))["7"]
    assert [(q["text"], q["speaker"]["name"]) for q in first] == [("“we won”", "Ani")]
    assert [q["text"] for q in labels(db_path, Owner.annotator("ana@example.org"))["7"]] == ["prices rose"]
    with Store.open(db_path) as store:
        assert "label-studio-6" not in store.stats()["annotators"]


def test_a_run_exported_for_label_studio_imports_back_as_the_same_predictions(run_cli, db_path, tmp_path):
    assert run_cli("import", SEEDS).exit_code == 0  # pre-annotated by the run builtin
    out = tmp_path / "tasks.json"
    result = run_cli("export", "--run", "builtin", "--format", "label-studio", out)
    assert result.exit_code == 0, result.output
    assert "labelling configuration of docs/label-studio.md" in result.stderr
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [t["predictions"][0]["model_version"] for t in tasks] == ["builtin", "builtin"]
    other = tmp_path / "other.db"
    assert run_cli("--db", other, "import", "--run", "copy", out).exit_code == 0
    before = labels(db_path, Owner.run("builtin"))
    assert sum(map(len, before.values())) > 0 and labels(other, Owner.run("copy")) == before


def test_an_annotators_labels_round_trip_through_label_studio(run_cli, db_path, tmp_path):
    assert run_cli("import", "--as", "ana", "--status", "done", SEEDS_GOLD).exit_code == 0
    out = tmp_path / "tasks.json"
    assert run_cli("export", "--format", "label-studio", out, annotator="ana").exit_code == 0
    assert "annotations" in json.loads(out.read_text(encoding="utf-8"))[0]
    other = tmp_path / "other.db"
    assert run_cli("--db", other, "import", "--as", "ana", out).exit_code == 0
    assert labels(other, Owner.annotator("ana")) == labels(db_path, Owner.annotator("ana"))


def test_a_bad_region_is_one_sentence_and_nothing_is_written(run_cli, db_path, tmp_path):
    good = exported_task([annotation([region("q", *span(TEXT, "Ani"), ["Quote"])])])
    bad = exported_task([annotation([region("x", 0, 3, "Bob", ["Speaker"])])], task_id=8)
    path = write(tmp_path / "bad.json", [good, bad])
    result = run_cli("import", path)
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"error: {path}: task 2 (id 8): annotation 1, region 'x' [0, 3) has text "
                                     "'Bob' but the text there is 'Ani'")
    if db_path.exists():
        with Store.open(db_path) as store:
            assert store.count_documents() == 0


def test_ls_labels_must_name_our_labels(run_cli, tmp_path):
    result = run_cli("import", "--ls-labels", "Zitat", write(tmp_path / "t.json", [exported_task([])]))
    assert result.exit_code == 2 and "--ls-labels" in result.output
