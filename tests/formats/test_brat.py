"""brat standoff: export → import gives the same labels; plain brat folders import; bad input is named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.formats.brat import (
    MAX_NAME_BYTES,
    FileNameError,
    ann_text,
    file_stem,
    format_note,
    fragments,
    id_from_stem,
    parse_note,
    read_brat_folder,
)
from annotator.formats.errors import InputError
from annotator.model import Owner
from annotator.session.export import export
from annotator.store import Store
from tests.support.documents import (
    TRICKY_TEXT,
    documents,
    jsonl_labels,
    labels,
    load,
    parsed,
    plain_document,
    tricky_document,
)
from tests.support.paths import SEEDS, SEEDS_GOLD

GOLD = SEEDS_GOLD


def brat_roundtrip(tmp_path: Path, docs: list[dict]) -> tuple[dict, dict, Path]:
    """Labels before, labels after store → brat → fresh store, and the brat folder."""
    owner = Owner.annotator("ana")
    with Store(tmp_path / "a.db") as store:
        load(store, docs)
        before = labels(store.annotated(owner))
        export(store.annotated(owner), "brat", tmp_path / "brat", owner)
    with Store(tmp_path / "b.db") as fresh:
        fresh.import_documents(read_brat_folder(tmp_path / "brat"), owner=owner)
        after = labels(fresh.annotated(owner))
    return before, after, tmp_path / "brat"


def test_tricky_document_survives_brat(tmp_path):
    docs = [tricky_document(), tricky_document(".tersembunyi"), plain_document("Polos-2", 2)]
    before, after, folder = brat_roundtrip(tmp_path, docs)
    assert after == before
    assert len(before['doc/1: "aneh" id']) == 6
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([
        "Polos-2.ann", "Polos-2.txt", "%2Etersembunyi.ann", "%2Etersembunyi.txt",
        "doc%2F1%3A%20%22aneh%22%20id.ann", "doc%2F1%3A%20%22aneh%22%20id.txt",
        "annotation.conf", "visual.conf", ".annotator-export.json",
    ])
    # the .txt is the normalised text, byte for byte
    assert (folder / "Polos-2.txt").read_bytes() == plain_document("Polos-2", 2)["text"].encode()


def test_ann_lines_have_no_line_breaks_and_texts_match(tmp_path):
    ad = parsed(tricky_document())
    ann = ann_text(ad)
    text = ad.document.text
    for line in ann.split("\n")[:-1]:
        assert line and "\r" not in line and "\u2028" not in line
        if line.startswith("T"):
            _, head, covered = line.split("\t", 2)
            frags = [tuple(map(int, f.split())) for f in head.split(" ", 1)[1].split(";")]
            assert covered == " ".join(text[s:e] for s, e in frags)
    # the quote across a line break is two fragments; the quote starting with one notes its span
    first = text.index("“Baris")
    nl = text.index("\n", first)
    assert f"Quote {first} {nl};{nl + 1} " in ann
    assert "span: " in ann


def test_ann_layout(tmp_path):
    ann = ann_text(parsed(plain_document("d", 1)))
    lines = ann.splitlines()
    assert lines[0].startswith("T1\tQuote ")
    assert "A1\tQuoteType T1 direct" in lines
    assert any(line.startswith("R") and "\tAttribution Arg1:T1 Arg2:T" in line for line in lines)
    assert any(line.startswith("R") and "\tCue-of Arg1:T2 Arg2:T1" in line for line in lines)
    assert any("\tSpeakerKind " in line and line.endswith(" person") for line in lines)


def test_annotation_conf_lets_brat_open_the_folder(tmp_path):
    _, _, folder = brat_roundtrip(tmp_path, [tricky_document()])
    conf = (folder / "annotation.conf").read_text()
    for section in ("[entities]", "[relations]", "[events]", "[attributes]"):
        assert section in conf
    assert "\nQuote\nCue\nSpeaker\n" in conf
    assert "Attribution\tArg1:Quote, Arg2:Speaker" in conf
    assert "QuoteType\tArg:Quote, Value:direct|indirect|mixed" in conf
    assert "civil_society" in conf and "<OVL-TYPE>:<ANY>" in conf
    assert (folder / "visual.conf").exists()


def test_seeds_gold_through_brat_and_the_cli(tmp_path, run_cli):
    """Acceptance: import seeds/, the gold labels, export brat; the folder parses back to the gold labels."""
    assert run_cli("import", SEEDS).exit_code == 0
    assert run_cli("import", "--as", "gold", GOLD).exit_code == 0
    result = run_cli("export", "--format", "brat", tmp_path / "out", annotator="gold")
    assert result.exit_code == 0, result.output
    assert "no document is marked done by gold; exporting all 2 documents" in result.stderr
    with Store(tmp_path / "fresh.db") as fresh:
        fresh.import_documents(read_brat_folder(tmp_path / "out"), owner=Owner.annotator("gold"))
        after = labels(fresh.annotated(Owner.annotator("gold")))
    gold = {d.document.id: d for d in (parsed(json.loads(line)) for line in GOLD.read_text().splitlines())}
    assert after == labels(gold.values())
    assert sum(len(q) for q in after.values()) == 30
    # and through `annotator import` of the folder, as another annotator, back to JSONL
    assert run_cli("import", "--as", "again", tmp_path / "out").exit_code == 0
    assert run_cli("export", tmp_path / "again.jsonl", annotator="again").exit_code == 0
    assert jsonl_labels(tmp_path / "again.jsonl") == labels(gold.values())


def test_import_as_run(tmp_path, run_cli):
    _, _, folder = brat_roundtrip(tmp_path, [plain_document("p", 1)])
    assert run_cli("import", "--run", "other-system", folder).exit_code == 0
    result = run_cli("export", "--run", "other-system", tmp_path / "run.jsonl")
    assert result.exit_code == 0
    assert len(jsonl_labels(tmp_path / "run.jsonl")["p"]) == 2


# --- plain brat written by other tools -------------------------------------------------


def write_brat(folder: Path, name: str, text: str, ann: str, newline: str = "\n") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.txt").write_bytes(text.replace("\n", newline).encode())
    (folder / f"{name}.ann").write_text(ann, encoding="utf-8")
    return folder


def read_one(folder: Path, skips: list | None = None):
    on_skip = (lambda where, why: skips.append((where, why))) if skips is not None else None
    items = list(read_brat_folder(folder, on_skip=on_skip))
    assert len(items) == 1
    return items[0][1]


PLAIN_TEXT = 'Presiden Joko mengatakan "kami siap". Menurut KCNA, perang usai.'


def test_plain_brat_with_speaker_of_relations(tmp_path):
    t = PLAIN_TEXT
    q = t.index('"kami')
    ann = (
        f"T1\tquote {q} {q + 11}\t\"kami siap\"\n"
        f"T2\tSpeaker 9 13\tJoko\n"
        f"T3\tPerson 0 8\tPresiden\n"
        f"R1\tSpeaker-of Arg1:T2 Arg2:T1\n"
        f"T4\tQuotation {t.index('perang')} {t.index('perang') + 11}\tperang usai\n"
        f"T5\tSource {t.index('KCNA')} {t.index('KCNA') + 4}\tKCNA\n"
        f"A1\tKind T5 media\n"
        f"R2\tSaid-by Arg1:T4 Arg2:T5\n"
        "*\tEquiv T2 T3\n"
    )
    skips: list = []
    ad = read_one(write_brat(tmp_path / "b", "berita-1", t, ann), skips)
    assert ad.document.id == "berita-1"
    first, second = sorted(ad.quotes, key=lambda x: x.start)
    assert (first.text, first.type, first.speaker.name, first.speaker.kind) == (
        '"kami siap"', "direct", "Joko", "unknown"
    )
    assert (second.text, second.type, second.speaker.name, second.speaker.kind) == (
        "perang usai", "indirect", "KCNA", "media"
    )
    assert skips == []  # the Person span and the equivalence are simply not ours


def test_a_second_speaker_is_reported(tmp_path):
    t = PLAIN_TEXT
    q = t.index('"kami')
    ann = (
        f"T1\tQuote {q} {q + 11}\t\"kami siap\"\n"
        f"T2\tSpeaker 9 13\tJoko\n"
        f"T3\tSpeaker {t.index('KCNA')} {t.index('KCNA') + 4}\tKCNA\n"
        "R1\tSpeaker-of Arg1:T2 Arg2:T1\nR2\tSpeaker-of Arg1:T3 Arg2:T1\n"
    )
    skips: list = []
    ad = read_one(write_brat(tmp_path / "b", "two", t, ann), skips)
    assert ad.quotes[0].speaker.name == "Joko"
    assert skips == [(str(tmp_path / "b" / "two.ann"), "T1 (line 1) has 2 speakers; kept T2")]


def test_plain_brat_events_and_cue_links(tmp_path):
    t = PLAIN_TEXT
    q = t.index('"kami')
    cue = t.index("mengatakan")
    ann = (
        f"T1\tQuote {q} {q + 11}\t\"kami siap\"\n"
        f"T2\tSpeaker 9 13\tJoko\n"
        f"T3\tAttribution {cue} {cue + 10}\tmengatakan\n"
        f"E1\tAttribution:T3 Content:T1 Source:T2\n"
        f"T4\tQuote {t.index('perang')} {t.index('perang') + 11}\tperang usai\n"
        f"T5\tCue 38 45\tMenurut\n"
        f"T6\tSpeaker {t.index('KCNA')} {t.index('KCNA') + 4}\tKCNA\n"
        f"R1\tCue Arg1:T5 Arg2:T4\n"
        f"R2\tSource Arg1:T5 Arg2:T6\n"
        f"A1\tQuoteType T4 indirect\n"
    )
    ad = read_one(write_brat(tmp_path / "b", "e", t, ann))
    first, second = sorted(ad.quotes, key=lambda x: x.start)
    assert first.cue.text == "mengatakan" and first.speaker.name == "Joko"
    assert second.cue.text == "Menurut" and second.speaker.name == "KCNA" and second.type == "indirect"


def test_polnear_event_trigger_copying_its_cue_is_that_cue(tmp_path):
    """PolNeAR's layout: each event's trigger is a text-bound of the event's type over its cue's text. It is
    the cue, once: no "has 2 cues" report. A trigger over other text than the cue still counts as a second cue."""
    t = "The Post reports that the plan failed, sources said."
    post, reports, plan, sources, said = (t.index(w) for w in ("The Post", "reports", "that", "sources", "said"))
    ann = (
        f"T1\tSource {post} {post + 8}\tThe Post\n"
        f"T2\tCue {reports} {reports + 7}\treports\n"
        f"T3\tContent {plan} {plan + 20}\tthat the plan failed\n"
        f"T4\tAttribution {reports} {reports + 7}\treports\n"
        f"E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        f"T5\tSource {sources} {sources + 7}\tsources\n"
        f"T6\tCue {said} {said + 4}\tsaid\n"
        f"T7\tAttribution {reports} {reports + 7}\treports\n"
        f"E2\tAttribution:T7 Content:T3 Cue:T6 Source:T5\n"
    )
    skips: list = []
    ad = read_one(write_brat(tmp_path / "p", "polnear", t, ann), skips)
    (quote,) = ad.quotes
    assert quote.cue.text == "reports" and quote.speaker.name == "The Post"
    assert [why for _, why in skips] == ["T3 (line 3) has 3 cues; kept T2", "T3 (line 3) has 2 speakers; kept T1"]


def test_discontinuous_span_and_crlf_text(tmp_path):
    text = "Ia berkata:\n“satu\ndua” kata Ani."
    raw = text.replace("\n", "\r\n")
    a, b = raw.index("“"), raw.index("”") + 1
    ann = f"T1\tQuote {a} {raw.index(chr(13), a)};{raw.index('dua')} {b}\t“satu dua”\n"
    ad = read_one(write_brat(tmp_path / "c", "crlf", text, ann, newline="\r\n"))
    assert ad.document.text == text
    (quote,) = ad.quotes
    assert quote.text == "“satu\ndua”"


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ann", "line", "words"),
    [
        ("T1\tQuote 0 5\tIa be\nT2\tQuote 10 999\tx\n", 2, "outside the text"),
        ("T1\tQuote 0 5\tIa be\n\nT2\tSpeaker 0 2\tXX\n", 3, "gives the text 'XX'"),
        ("T1\tQuote 0 x\tIa\n", 1, "offsets"),
        ("T1\tQuote 5 2\tIa\n", 1, "the end comes before the start"),
        ("just some words\n", 1, "not a brat annotation line"),
        ("T1\tQuote 0 2\tIa\nR1\tAttribution Arg1:T1 Arg2:T9\n", 2, "refers to T9"),
        ("T1\tQuote 0 2\tIa\nT1\tQuote 0 2\tIa\n", 2, "repeats the id T1"),
    ],
)
def test_bad_ann_names_file_and_line(tmp_path, ann, line, words):
    folder = write_brat(tmp_path / "bad", "doc", "Ia berkata.", ann)
    with pytest.raises(InputError) as info:
        list(read_brat_folder(folder))
    message = str(info.value)
    assert message.startswith(f"{folder / 'doc.ann'}, line {line}: ")
    assert words in message


def test_missing_txt_is_named(tmp_path, run_cli):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "lonely.ann").write_text("T1\tQuote 0 2\tIa\n")
    result = run_cli("import", folder)
    assert result.exit_code == 1
    assert f"{folder / 'lonely.ann'}: has no text file lonely.txt" in result.stderr
    assert "Traceback" not in result.output


def test_bad_brat_import_writes_nothing(tmp_path, run_cli, db_path):
    folder = write_brat(tmp_path / "bad", "a", "Ia berkata.", "T1\tQuote 0 2\tIa\n")
    write_brat(folder, "b", "Ia berkata.", "T1\tQuote 0 99\tIa\n")
    result = run_cli("import", "--as", "ana", folder)
    assert result.exit_code == 1 and "b.ann, line 1" in result.stderr
    with Store(db_path) as store:
        assert store.count_documents() == 0


# --- names and notes ---------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=60).filter(lambda s: s.strip()))
def test_file_stems_are_safe_and_reversible(doc_id):
    safe = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
    encoded_bytes = sum(1 if ch in safe else 3 * len(ch.encode()) for ch in doc_id)
    if encoded_bytes > MAX_NAME_BYTES:  # too long for a file name: refused, never truncated
        with pytest.raises(FileNameError, match="too long"):
            file_stem(doc_id)
        return
    stem = file_stem(doc_id)
    assert id_from_stem(stem) == doc_id
    assert not stem.startswith(".")
    assert all(ch.isascii() and (ch.isalnum() or ch in "._-%") for ch in stem)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["role", "via", "name", "speaker"]), st.text(max_size=30), min_size=1))
def test_notes_round_trip(fields):
    note = format_note(fields)
    assert "\n" not in note and "\t" not in note
    parsed_fields = parse_note(note)
    from annotator.formats.brat import _note_value

    assert {k: _note_value(parsed_fields, k) for k in fields} == fields


def test_fragments_skip_line_breaks():
    text = "ab\ncd\n\nef"
    assert fragments(text, 0, len(text)) == [(0, 2), (3, 5), (7, 9)]
    assert fragments(text, 2, 3) == [(2, 2)]
    assert TRICKY_TEXT.count("\n") > 3


# --- properties -------------------------------------------------------------------------------

@settings(max_examples=80, deadline=None)
@given(documents())
def test_any_document_survives_brat(tmp_path_factory, doc):
    from annotator.formats.brat import BratWriter
    from annotator.model import document_json

    ad = parsed(doc)
    folder = tmp_path_factory.mktemp("brat")
    writer = BratWriter(folder)
    writer.write(ad)
    writer.close()
    ((_, back),) = read_brat_folder(folder)
    assert back.document.id == ad.document.id and back.document.text == ad.document.text
    assert document_json(back)["quotes"] == document_json(ad)["quotes"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(st.sampled_from(list("TRAE#*\t :;0123456789Quote\n")), max_size=30), max_size=6))
def test_any_ann_file_parses_or_fails_clearly(tmp_path_factory, lines):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "d.txt").write_text("Ia berkata: “ya”.", encoding="utf-8")
    (folder / "d.ann").write_text("\n".join(lines), encoding="utf-8")
    try:
        list(read_brat_folder(folder))
    except InputError as exc:
        assert str(exc).startswith(str(folder / "d.ann"))
