"""`annotator attribute`: JSONL in, the same lines with the attributor's quotes out, without a database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.paths import SEEDS_GOLD, shared_file

# A document as an import reads it but written otherwise: an integer id, Windows line breaks, quotes of
# its own (replaced), a key of the user's (kept).
ODD = {"id": 7, "text": "“Kami siap,” kata Joko Widodo.\r\n\r\n“Saya setuju,” ujar Budi.", "lang": "id",
       "source": "wire", "quotes": [{"start": 0, "end": 4}]}


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    """The seed articles' gold file and one odd line."""
    path = tmp_path / "in.jsonl"
    path.write_text(SEEDS_GOLD.read_text(encoding="utf-8") + json.dumps(ODD, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def news(documents: Path, tmp_path: Path) -> Path:
    """Those and the first 15 articles of two development sets, Indonesian and English."""
    path = tmp_path / "news.jsonl"
    heads = ["".join(shared_file(name).read_text(encoding="utf-8").splitlines(keepends=True)[:15])
             for name in ("pfsa-id-dev.jsonl", "polnear-dev.jsonl")]
    path.write_text(documents.read_text(encoding="utf-8") + "".join(heads), encoding="utf-8")
    return path


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("options", [(), ("--scope", "public", "--type", "direct")])
def test_quotes_are_those_predict_stores_in_input_order_and_no_database_is_made(
    run_cli, db_path, news, tmp_path, options
):
    out = tmp_path / "out.jsonl"
    result = run_cli("attribute", news, out, *options)
    assert result.exit_code == 0, result.output
    assert not db_path.exists()
    attributed = lines(out)
    assert [r["id"] for r in attributed] == [r["id"] for r in lines(news)]

    assert run_cli("import", "--no-predict", news).exit_code == 0
    assert run_cli("predict", *options).exit_code == 0
    assert run_cli("export", "--run", "builtin", tmp_path / "pred.jsonl").exit_code == 0
    stored = {r["id"]: r["quotes"] for r in lines(tmp_path / "pred.jsonl")}
    assert {str(r["id"]): r["quotes"] for r in attributed} == stored
    assert sum(map(len, stored.values())) > 100


def test_other_keys_are_kept_and_the_text_comes_back_normalised(run_cli, documents, tmp_path):
    out = tmp_path / "out.jsonl"
    assert run_cli("attribute", documents, out).exit_code == 0
    odd = lines(out)[-1]
    assert odd["id"] == 7 and odd["source"] == "wire" and "\r" not in odd["text"]
    assert [(q["text"], q["speaker"]["name"]) for q in odd["quotes"]] == [("“Kami siap,”", "Joko Widodo"),
                                                                         ("“Saya setuju,”", "Budi")]
    for q in odd["quotes"]:
        assert odd["text"][q["start"]:q["end"]] == q["text"]


def test_standard_input_to_standard_output_and_worker_processes_give_the_same_bytes(run_cli, documents, tmp_path):
    out = tmp_path / "out.jsonl"
    assert run_cli("attribute", documents, out).exit_code == 0
    piped = run_cli("attribute", input=documents.read_text(encoding="utf-8"))
    assert piped.exit_code == 0
    assert piped.stdout == out.read_text(encoding="utf-8")
    for jobs in ("2", "0"):  # 0: one per core
        parallel = run_cli("attribute", "--jobs", jobs, documents)
        assert parallel.exit_code == 0 and parallel.stdout == piped.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(("bad", "says"), [
    ("{not json", "in.jsonl, line 3: "),
    ('{"id": "x", "text": ""}', "in.jsonl, line 3: document 'x' has an empty text"),
    ('{"id": "x", "text": "abc", "quotes": [{"start": 0, "end": 9}]}', "in.jsonl, line 3: document 'x', quote 1"),
])
def test_a_bad_line_is_one_sentence_naming_file_and_line_and_nothing_is_written(run_cli, tmp_path, bad, says, jobs):
    good = json.dumps({"id": "a", "text": "“Ya,” kata Budi."}, ensure_ascii=False)
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([good, good, bad, *[good] * 40]) + "\n", encoding="utf-8")
    result = run_cli("attribute", "--jobs", jobs, source, tmp_path / "out.jsonl")
    assert result.exit_code == 1
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_an_out_file_no_run_wrote_is_replaced_only_with_force(run_cli, documents, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("mine\n", encoding="utf-8")
    refused = run_cli("attribute", documents, out)
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert run_cli("attribute", documents, out, "--force").exit_code == 0
    assert run_cli("attribute", documents, out).exit_code == 0  # its own earlier output: replaced
    assert len(lines(out)) == len(lines(documents))


def test_predict_with_two_jobs_stores_what_one_job_stores(run_cli, documents, tmp_path):
    assert run_cli("import", "--no-predict", documents).exit_code == 0
    assert run_cli("predict", "--run", "one").exit_code == 0
    assert run_cli("predict", "--run", "two", "--jobs", "2").exit_code == 0
    for run in ("one", "two"):
        assert run_cli("export", "--run", run, tmp_path / f"{run}.jsonl").exit_code == 0
    assert lines(tmp_path / "one.jsonl") == lines(tmp_path / "two.jsonl")


def test_empty_input_gives_empty_output_as_a_pipeline_partition_may(run_cli):
    result = run_cli("attribute", input="")
    assert result.exit_code == 0 and result.stdout == ""


def test_a_document_the_attributor_fails_on_goes_out_without_quotes_and_the_run_fails(
    run_cli, documents, tmp_path, monkeypatch
):
    from annotator.attribution.rules import RuleAttributor

    attribute = RuleAttributor.attribute

    def failing(self, document):
        if document.id == "7":
            raise RuntimeError("a rule tripped")
        return attribute(self, document)

    monkeypatch.setattr(RuleAttributor, "attribute", failing)
    out = tmp_path / "out.jsonl"
    result = run_cli("attribute", documents, out)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "no quotes for 7 (line 3; RuntimeError: a rule tripped)" in result.stderr
    attributed = lines(out)  # complete: every line, in order, the failed one with no quotes
    assert [str(r["id"]) for r in attributed] == [str(r["id"]) for r in lines(documents)]
    assert attributed[-1]["quotes"] == [] and attributed[-1]["source"] == "wire"
    assert all(r["quotes"] for r in attributed[:-1])
    assert "attributed 2 documents" in result.stderr


def test_a_quote_whose_span_does_not_fit_its_text_is_never_written(run_cli, documents, tmp_path, monkeypatch):
    from annotator.attribution.rules import RuleAttributor
    from annotator.model import Quote

    attribute = RuleAttributor.attribute

    def off_by_one(self, document):
        quotes = attribute(self, document)
        if document.id == "7":
            q = quotes[0]
            quotes[0] = Quote(q.start + 1, q.end + 1, q.text, q.type, q.cue, q.speaker)
        return quotes

    monkeypatch.setattr(RuleAttributor, "attribute", off_by_one)
    out = tmp_path / "out.jsonl"
    result = run_cli("attribute", documents, out)
    assert result.exit_code == 1
    assert "no quotes for 7 (line 3; SpanError: span [" in result.stderr
    assert lines(out)[-1]["quotes"] == []
