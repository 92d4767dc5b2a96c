"""`annotator evaluate`: component scores (--components, JSON), every error kind (--errors, --errors-json) and
tables that keep one row a line when piped (docs/metrics.md §5a, §8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.evaluation import at, one_document_file

TEXT = "Kata Ani: “aaaa bbbb cccc.” Budi berkata bahwa dddd eeee. Juru bicara Cici bilang ffff gggg."


def span(sub: str, nth: int = 0) -> dict:
    s, e = at(TEXT, sub, nth)
    return {"start": s, "end": e}


def q(sub: str, speaker: str | None = None, mention: str | None = None, cue: str | None = None,
      role: str | None = None, type: str = "direct") -> dict:
    out: dict = {**span(sub), "type": type}
    if speaker:
        out["speaker"] = {"name": speaker, **({"mention": span(mention)} if mention else {})}
    if cue:
        out["cue"] = span(cue)
    if role:
        out["role"] = role
    return out


GOLD = [
    q("“aaaa bbbb cccc.”", "Ani", mention="Ani", cue="Kata"),
    q("dddd eeee", "Budi", mention="Budi", cue="berkata", type="indirect"),
    q("ffff gggg", "Cici", mention="Cici", cue="bilang", role="Juru bicara", type="indirect"),
]
PRED = [
    q("aaaa bbbb", "Ani", mention="Ani", cue="Kata"),  # boundary error
    q("dddd eeee", "Budi", cue="berkata bahwa", type="indirect"),  # exact; a cue span that is not the gold's
    q("ffff gggg", "Budi", mention="Budi", cue="Kata", role="Juru", type="indirect"),  # wrong speaker, cue, role
]


def write(path: Path, quotes: list[dict], doc_id: str = "berita-1") -> Path:
    return one_document_file(path, TEXT, quotes, doc_id)


@pytest.fixture
def files(tmp_path):
    return write(tmp_path / "gold.jsonl", GOLD), write(tmp_path / "pred.jsonl", PRED)


# --- component scores --------------------------------------------------------------------------


def test_json_always_has_the_components_worked_by_hand(run_cli, files):
    gold, pred = files
    data = json.loads(run_cli("evaluate", "--gold", gold, "--pred", pred, "--json").stdout)
    c = data["components"]
    assert list(c) == ["content", "cue", "source"]
    # Content: gold {aaaa bbbb cccc, dddd eeee, ffff gggg}, predicted {aaaa bbbb, dddd eeee, ffff gggg}: 2 exact.
    # Tokens: gold 3 + 2 + 2, all predicted but cccc; predicted 2 + 2 + 2, all inside gold quotes.
    assert c["content"]["exact"] == pytest.approx({"p": 2 / 3, "r": 2 / 3, "f1": 2 / 3})
    assert c["content"]["token"] == pytest.approx({"p": 1.0, "r": 6 / 7, "f1": 12 / 13})
    # Cue: gold {Kata, berkata, bilang}, predicted {Kata, berkata bahwa} (Kata twice, one span): 1 exact.
    # Tokens: gold Kata berkata predicted of 3; predicted Kata berkata bahwa, 2 of 3 in gold cues.
    assert c["cue"]["counts"] | {} == c["cue"]["counts"] and c["cue"]["counts"]["pred"] == 2
    assert c["cue"]["exact"] == pytest.approx({"p": 1 / 2, "r": 1 / 3, "f1": 2 / 5})
    assert c["cue"]["token"] == pytest.approx({"p": 2 / 3, "r": 2 / 3, "f1": 2 / 3})
    # Source: gold {Ani, Budi, Cici}, predicted {Ani, Budi} (the second prediction names no mention): 2 exact.
    assert c["source"]["exact"] == pytest.approx({"p": 1.0, "r": 2 / 3, "f1": 4 / 5})
    assert c["source"]["token"] == pytest.approx({"p": 1.0, "r": 2 / 3, "f1": 4 / 5})


def test_components_table_only_on_request(run_cli, files):
    gold, pred = files
    plain = run_cli("evaluate", "--gold", gold, "--pred", pred).stdout
    assert "components: exact spans" not in plain
    out = run_cli("evaluate", "--gold", gold, "--pred", pred, "--components").stdout
    lines = out.splitlines()
    first = lines.index(next(line for line in lines if line.startswith("components")))
    rows = [line.split() for line in lines[first + 3 : first + 9]]
    cells = [[c for c in row if c not in ("│", "┃")] for row in rows]
    assert cells[0] == ["content", "exact", "0.667", "0.667", "0.667", "2/3", "2/3"]
    assert cells[1] == ["token", "1.000", "0.857", "0.923", "6/6", "6/7"]
    assert cells[2] == ["cue", "exact", "0.500", "0.333", "0.400", "1/2", "1/3"]
    assert cells[5] == ["token", "1.000", "0.667", "0.800", "2/2", "2/3"]


# --- errors ---------------------------------------------------------------------------------------


def test_errors_show_boundaries_cues_roles_and_the_predicted_speaker(run_cli, files):
    gold, pred = files
    result = run_cli("evaluate", "--gold", gold, "--pred", pred, "--errors", "--context", "12")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert ("errors: 0 false positives, 0 misses, 1 wrong speaker, 1 boundary error, 1 wrong cue, "
            "1 wrong role") in out  # fmt: skip
    lines = out.splitlines()
    boundary = next(i for i, line in enumerate(lines) if line.startswith("BOUNDARY"))
    s, e = at(TEXT, "“aaaa bbbb cccc.”")
    assert f"berita-1 [{s}, {e}) direct" in lines[boundary]
    assert "gold" in lines[boundary + 1] and "⟦“aaaa bbbb cccc.”⟧" in lines[boundary + 1]
    ps, pe = at(TEXT, "aaaa bbbb")
    assert f"predicted  [{ps}, {pe})" in lines[boundary + 2] and "⟦aaaa bbbb⟧ cccc" in lines[boundary + 2]
    cue = next(line for line in lines if line.startswith("WRONG CUE"))
    cs, ce = at(TEXT, "bilang")
    ks, ke = at(TEXT, "Kata")
    assert f"gold cue: bilang [{cs}, {ce})" in cue and f"predicted cue: Kata [{ks}, {ke})" in cue
    role = next(line for line in lines if line.startswith("WRONG ROLE"))
    assert "gold role: Juru bicara" in role and "predicted role: Juru" in role
    speaker = next(line for line in lines if line.startswith("WRONG SPEAKER"))
    bs, be = at(TEXT, "Budi")
    assert "gold speaker: Cici" in speaker and f"predicted speaker: Budi [{bs}, {be})" in speaker


def test_errors_json_writes_one_object_a_line_with_its_kind(run_cli, files, tmp_path):
    gold, pred = files
    target = tmp_path / "errors.jsonl"
    result = run_cli("evaluate", "--gold", gold, "--pred", pred, "--errors-json", target)
    assert result.exit_code == 0, result.output
    assert "wrote 4 errors to" in result.stderr
    assert "quotes" in result.stdout  # the tables are printed as usual
    errors = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [e["kind"] for e in errors] == ["boundary", "wrong cue", "wrong role", "wrong speaker"]
    boundary = errors[0]
    assert (boundary["text"], boundary["pred_text"]) == ("“aaaa bbbb cccc.”", "aaaa bbbb")
    cue = errors[1]
    assert cue["gold_cue"]["text"] == "bilang" and cue["pred_cue"]["text"] == "Kata"
    assert errors[3]["pred_speaker"] == "Budi" and errors[3]["pred_mention"]["text"] == "Budi"
    # The same objects as under "errors" in --json --errors.
    data = json.loads(run_cli("evaluate", "--gold", gold, "--pred", pred, "--json", "--errors").stdout)
    assert data["errors"] == errors
    # A file this command wrote is replaced by the next run.
    assert run_cli("evaluate", "--gold", gold, "--pred", gold, "--errors-json", target).exit_code == 0
    assert target.read_text(encoding="utf-8") == ""


def test_errors_json_never_replaces_a_file_it_did_not_write(run_cli, files, tmp_path, db_path):
    gold, pred = files
    mine = tmp_path / "notes.jsonl"
    mine.write_text("my own notes\n", encoding="utf-8")
    result = run_cli("evaluate", "--gold", gold, "--pred", pred, "--errors-json", mine)
    assert result.exit_code == 1 and "already exists and no earlier export wrote it" in result.stderr
    assert mine.read_text(encoding="utf-8") == "my own notes\n"
    assert result.stdout == ""  # refused before anything was scored or printed
    # Changed since this command wrote it: refused too.
    written = tmp_path / "errors.jsonl"
    assert run_cli("evaluate", "--gold", gold, "--pred", pred, "--errors-json", written).exit_code == 0
    written.write_text("edited\n", encoding="utf-8")
    assert run_cli("evaluate", "--gold", gold, "--pred", pred, "--errors-json", written).exit_code == 1
    assert written.read_text(encoding="utf-8") == "edited\n"
    # --force replaces it; never the database.
    assert run_cli("evaluate", "--gold", gold, "--pred", pred, "--errors-json", mine, "--force").exit_code == 0
    assert len(mine.read_text(encoding="utf-8").splitlines()) == 4
    run_cli("import", gold, "--as", "ana")  # creates the database
    result = run_cli("evaluate", "--gold", gold, "--pred", pred, "--errors-json", db_path, "--force")
    assert result.exit_code == 1 and "database" in result.stderr
    assert run_cli("evaluate", "--gold", gold, "--pred", pred, "--force").exit_code == 2  # --force needs a FILE


# --- tables piped (80 columns) ----------------------------------------------------------------------

@pytest.fixture
def piped(monkeypatch):
    """Standard output as a pipe gives it: rich's 80 columns, whatever COLUMNS the tests run under."""
    from annotator import cli

    monkeypatch.setattr(cli.out, "_width", 80)


LONG_ID = "kompas-2024-01-15-politik-pemilu-presiden-debat-ketiga-calon-wakil-presiden-000123"


def table_rows(out: str, title: str) -> list[str]:
    """The body lines of the table titled ``title`` (up to the first blank line)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    body = []
    for line in lines[start + 3 :]:
        if not line.strip():
            break
        body.append(line)
    return body


def test_piped_tables_keep_a_long_document_id_on_one_line(run_cli, tmp_path, piped):
    gold = write(tmp_path / "gold.jsonl", GOLD, doc_id=LONG_ID)
    pred = write(tmp_path / "pred.jsonl", PRED, doc_id=LONG_ID)
    out = run_cli("evaluate", "--gold", gold, "--pred", pred, "--by", "doc").stdout
    row, *foot = table_rows(out, "by document")
    assert row.count("│") == 8  # the id and all eight figures on the one line
    assert [line.split()[0] for line in foot if "│" in line] == ["micro", "macro"]
    shown = row.split("│")[0].strip()
    assert "…" in shown and LONG_ID.startswith(shown.split("…")[0]) and LONG_ID.endswith(shown.split("…")[1])
    head, tail = shown.split("…")
    assert len(tail) >= len(head)  # the end, where ids differ, keeps the odd character


def test_piped_agreement_tables_keep_long_ids_and_names_on_one_line(run_cli, tmp_path, piped):
    name_a = "annotator-alpha-with-a-rather-long-file-name-2024"
    a = write(tmp_path / f"{name_a}.jsonl", GOLD, doc_id=LONG_ID)
    b = write(tmp_path / "ben.jsonl", PRED, doc_id=LONG_ID)
    result = run_cli("agreement", "--files", a, b, "--by", "doc")
    assert result.exit_code == 0, result.output
    (pair,) = table_rows(result.stdout, "agreement")
    assert pair.count("│") == 8 and "…" in pair.split("│")[0]  # A, B, documents, quotes and five figures
    (row,) = table_rows(result.stdout, "by document")
    shown = row.split("│")[0].strip()
    assert row.count("│") == 6 and "…" in shown and LONG_ID.endswith(shown.split("…")[1])


def test_middle_shortening_counts_terminal_cells_and_keeps_the_end():
    from rich.cells import cell_len

    from annotator.evaluation.report import middle_shortened

    letters = "abcdefghijklmnopqrstuvwxyz"
    assert middle_shortened(letters, 26) == letters
    assert middle_shortened(letters, 13) == "abcdef…uvwxyz"
    assert middle_shortened(letters, 8) == "abc…wxyz"  # the end keeps the odd character
    wide = "新闻稿件二零二四年"  # two cells each
    assert middle_shortened(wide, 9) == "新闻…四年" and cell_len("新闻…四年") == 9
