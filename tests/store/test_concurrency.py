"""Many writers on one file: imports staged out of sight, published at once, and never in the way of a save."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.model import AnnotatedDocument, Document, Owner, Quote, Speaker
from annotator.store import ConflictError, StaleTextError, Store, edits
from annotator.store import store as store_module
from annotator.store.schema import STEPS
from annotator.store.store import STAGE_BATCH
from annotator.text import sha256
from tests.support.paths import ROOT


def doc(doc_id: str, text: str = "Budi berkata, \"Harga naik.\" Lalu pergi.") -> Document:
    return Document(id=doc_id, text=text, sha256=sha256(text))


def items(n: int, prefix: str = "d"):
    for i in range(n):
        yield f"mem:{i + 1}", AnnotatedDocument(doc(f"{prefix}{i:06d}", f"Dokumen {prefix} {i}. \"Kata,\" ujar Budi."))


def quote_on(text: str) -> Quote:
    start = text.index('"')
    end = text.index('"', start + 1) + 1
    return Quote(start=start, end=end, text=text[start:end], type="direct",
                 speaker=Speaker(name="Budi", kind="person"))


def labelled(docs):
    """The documents, each with one quote on its text."""
    for where, ad in docs:
        yield where, AnnotatedDocument(ad.document, [quote_on(ad.document.text)])


def meanwhile(stream, act, at: int = STAGE_BATCH + 1):
    """The stream, with ``act()`` done before its item ``at`` (once a first batch is staged)."""
    for i, item in enumerate(stream):
        if i == at:
            act()
        yield item


def then_repeated(stream, first):
    """The stream, then its first document again: the import fails once all of it is staged."""
    yield from stream
    yield "mem:again", first


def test_staged_documents_are_invisible_until_the_import_is_published(tmp_path):
    db = tmp_path / "a.db"
    seen_during: list[int] = []
    with Store(db) as store, Store(db) as other:

        def look():
            seen_during.extend([other.count_documents(), len(list(other.iter_documents())),
                                len(other.document_ids())])

        report = store.import_documents(meanwhile(items(3 * STAGE_BATCH), look, at=2 * STAGE_BATCH + 1))
        assert seen_during == [0, 0, 0]
        assert len(report.imported) == 3 * STAGE_BATCH
        assert other.count_documents() == 3 * STAGE_BATCH
        assert not other.check()


def test_a_failed_import_leaves_nothing_behind_however_many_batches_it_staged(tmp_path):
    db = tmp_path / "a.db"
    with Store(db) as store:
        store.import_documents(items(1, prefix="keep"))
        before = store.conn.execute("SELECT count(*) FROM document_rows").fetchone()[0]

        def failing():
            yield from items(2 * STAGE_BATCH + 5, prefix="x")
            yield "mem:last", AnnotatedDocument(doc("x000000"))  # a repeated id: the whole import fails

        with pytest.raises(ConflictError, match="appears twice"):
            store.import_documents(failing(), owner=Owner.annotator("ana"), status="done")
        q = store.conn.execute
        assert q("SELECT count(*) FROM document_rows").fetchone()[0] == before
        assert q("SELECT count(*) FROM imports WHERE state = 'staging'").fetchone()[0] == 0
        assert q("SELECT count(*) FROM doc_status").fetchone()[0] == 0
        assert not store.check()


def test_a_label_save_goes_through_between_the_batches_of_a_long_import(tmp_path):
    """The import holds the write lock only while it writes a batch: it reads its input outside any
    transaction, and a save made meanwhile takes the lock at its first try."""
    db = tmp_path / "a.db"
    with Store(db) as setup:
        setup.import_documents([("m", AnnotatedDocument(doc("labelled")))])
    saved, open_while_reading = [], []
    with Store(db) as importer, Store(db) as annotator:
        target = annotator.document("labelled")
        first_tries = []
        begin = annotator._begin_immediate

        def counted():
            first_tries.append(importer.conn.in_transaction)
            begin()

        annotator._begin_immediate = counted

        def with_saves():
            for i, item in enumerate(items(4 * STAGE_BATCH)):
                open_while_reading.append(importer.conn.in_transaction)
                if i and i % (STAGE_BATCH + 7) == 0:
                    saved.extend(annotator.add_labels("ana", "labelled", [quote_on(target.text)], "manual", "create"))
                yield item

        importer.import_documents(with_saves())
    assert len(saved) == 3 and first_tries == [False] * 3
    assert not any(open_while_reading)


def test_a_save_takes_the_lock_within_milliseconds_of_its_release(tmp_path, monkeypatch):
    """A writer waiting for the lock polls every millisecond, not SQLite's up to 100 ms between tries."""
    import threading

    db = tmp_path / "a.db"
    with Store(db) as setup:
        setup.import_documents([("m", AnnotatedDocument(doc("labelled")))])
    with Store(db) as holder, Store(db) as annotator:
        holder.conn.execute("BEGIN IMMEDIATE")
        sleeps = []
        real_sleep = time.sleep

        def release_after_some_polls(seconds):
            sleeps.append(seconds)
            if len(sleeps) == 30:
                holder.conn.execute("COMMIT")
            real_sleep(seconds)

        monkeypatch.setattr(store_module.time, "sleep", release_after_some_polls)
        thread = threading.Thread(target=annotator.set_status, args=("labelled", "ana", "done"))
        thread.start()
        thread.join(timeout=10)
        monkeypatch.undo()
        assert annotator.status("labelled", "ana") == "done"
        assert len(sleeps) == 30 and max(sleeps) <= 0.001


def test_a_label_is_not_written_on_a_text_replaced_since_it_was_read(tmp_path):
    db = tmp_path / "a.db"
    old = "Budi berkata, \"Harga naik.\" Lalu pergi."
    new = "Ani berkata, \"Harga turun.\" Lalu pulang."
    with Store(db) as annotator, Store(db) as importer:
        annotator.import_documents([("m", AnnotatedDocument(doc("x", old)))])
        shown = annotator.document("x")  # what the annotator's screen shows
        importer.import_documents([("m2", AnnotatedDocument(doc("x", new)))])  # nobody has labels: replaced
        assert importer.document("x").text == new
        with pytest.raises(edits.LabelError, match="replaced by another import"):
            edits.create_label(annotator, "ana", "x", quote_on(old), text_sha256=shown.sha256)
        with pytest.raises(StaleTextError):
            annotator.save_predictions("builtin", "x", [quote_on(old)], sha256=shown.sha256)
        assert annotator.layer_size("x", Owner.annotator("ana")) == 0
        assert not annotator.check()


def test_a_change_to_a_candidate_is_refused_after_a_replace(tmp_path):
    """Even through the update path: the text is read inside the write transaction."""
    db = tmp_path / "a.db"
    text = "Budi berkata, \"Harga naik.\" Lalu pergi."
    with Store(db) as store:
        store.import_documents([("m", AnnotatedDocument(doc("x", text), [quote_on(text)]))], owner=Owner.run("builtin"))
        (qid,) = edits.seed_candidates(store, "ana", "x", "builtin", text_sha256=sha256(text))
        with pytest.raises(edits.LabelError, match="replaced"):
            edits.update_label(store, "ana", qid, "accept", text_sha256=sha256("another text"), status="accepted")
        assert store.quote(qid).status == "pending"


def test_an_export_reads_one_snapshot_while_another_process_imports(tmp_path):
    db = tmp_path / "a.db"
    with Store(db) as reader, Store(db) as writer:
        reader.import_documents(items(3, prefix="a"))
        with reader.snapshot():
            ids = reader.document_ids()
            writer.import_documents(items(5, prefix="b"))
            assert reader.document_ids() == ids
            assert len(list(reader.iter_documents())) == 3
        assert reader.count_documents() == 8


def _import_process(db: Path, path: Path, *extra: str) -> subprocess.Popen:
    """``annotator import`` in a process of its own (the package as this interpreter imports it)."""
    command = [sys.executable, "-m", "annotator", "--db", str(db), "import", "--no-predict", *extra, str(path)]
    return subprocess.Popen(command, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _jsonl(path: Path, prefix: str, n: int, with_quotes: bool = False) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = f"Dokumen {prefix} {i}. \"Kata,\" ujar Budi."
            q = quote_on(text)
            quotes = [{"start": q.start, "end": q.end, "text": q.text, "type": "direct",
                       "speaker": {"name": "Budi", "kind": "person"}}] if with_quotes else []
            f.write(json.dumps({"id": f"{prefix}{i:05d}", "text": text, "quotes": quotes}) + "\n")
    return path


def test_four_imports_at_once_on_one_file_all_succeed(tmp_path):
    db = tmp_path / "team.db"
    shared = _jsonl(tmp_path / "shared.jsonl", "s", 600)
    files = [_jsonl(tmp_path / f"own{k}.jsonl", f"o{k}-", 500, with_quotes=True) for k in range(4)]
    procs = [_import_process(db, shared) for _ in range(2)]
    procs += [_import_process(db, f, "--as", f"ann{k}", "--status", "done") for k, f in enumerate(files[:2])]
    procs += [_import_process(db, f) for f in files[2:]]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for code, err in results:
        assert code == 0, err
    with Store(db) as store:
        assert store.count_documents() == 600 + 4 * 500
        seqs = [r[0] for r in store.conn.execute("SELECT seq FROM documents")]
        assert len(set(seqs)) == len(seqs)
        assert store.stats()["annotators"]["ann0"]["labels"] == 500
        assert not store.check()


def test_an_import_killed_midway_is_invisible_and_cleaned_up_by_the_next(tmp_path):
    db = tmp_path / "a.db"
    big = _jsonl(tmp_path / "big.jsonl", "k", 40_000)
    proc = _import_process(db, big)
    deadline = time.monotonic() + 60
    staged = 0
    while time.monotonic() < deadline and staged < 2 * STAGE_BATCH:
        time.sleep(0.05)
        try:
            with Store(db) as peek:
                staged = peek.conn.execute("SELECT count(*) FROM document_rows").fetchone()[0]
        except Exception:  # the file may not have its schema yet
            continue
    if proc.poll() is not None:
        pytest.skip("the import finished before it could be killed")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(db) as store:
        assert store.count_documents() == 0
        assert store.conn.execute("SELECT count(*) FROM document_rows").fetchone()[0] >= 2 * STAGE_BATCH
        assert not store.check()
        report = store.import_documents(items(2))
        assert report.imported == ["d000000", "d000001"]
        assert store.conn.execute("SELECT count(*) FROM document_rows").fetchone()[0] == 2
        assert store.conn.execute("SELECT count(*) FROM imports WHERE state = 'staging'").fetchone()[0] == 0


def test_processes_opening_a_new_file_at_once_migrate_it_once(tmp_path):
    """Each process sees an empty file; one migrates it under the write lock, the others wait and find it done."""
    db = tmp_path / "new.db"
    start = time.time() + 3  # time for every process to start and import the store first
    code = (
        "import time\n"
        "from annotator.store import Store\n"
        f"time.sleep(max(0.0, {start!r} - time.time()))\n"
        f"Store({str(db)!r}).close()\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.PIPE, text=True)
             for _ in range(6)]
    errors = [proc.communicate(timeout=120)[1] for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * len(procs), errors
    with Store(db) as store:
        steps = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        assert steps == [step.__name__ for step in STEPS]
        assert not store.check()


def test_stats_and_annotators_leave_out_a_running_import(tmp_path):
    db = tmp_path / "a.db"
    with Store(db) as store, Store(db) as other:
        seen = []

        def look():
            seen.append((other.annotators(), other.stats()["annotators"], other.stats()["runs"]))

        store.import_documents(meanwhile(labelled(items(2 * STAGE_BATCH)), look),
                               owner=Owner.annotator("ana"), status="done")
        assert seen == [([], {}, {})]
        assert store.stats()["annotators"]["ana"]["labels"] == 2 * STAGE_BATCH


def test_predictions_for_a_new_run_on_known_documents_are_staged_with_the_run(tmp_path):
    """import --run NEW over documents already in the file: hidden until published, gone if it fails."""
    db = tmp_path / "a.db"
    with Store(db) as store, Store(db) as other:
        store.import_documents(items(2 * STAGE_BATCH))
        known = list(items(2 * STAGE_BATCH))
        seen = []

        def with_quotes():
            return meanwhile(labelled(known), lambda: seen.append((other.runs(), other.has_run("sys"))))

        with pytest.raises(ConflictError):
            store.import_documents(then_repeated(with_quotes(), known[0][1]), owner=Owner.run("sys"))
        for table in ("quote_rows", "speaker_rows", "runs", "events"):  # the rows, not only what readers see
            assert store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
        report = store.import_documents(with_quotes(), owner=Owner.run("sys"))
        assert seen == [([], False), ([], False)]
        assert report.quotes == 2 * STAGE_BATCH and len(report.unchanged) == 2 * STAGE_BATCH
        assert other.runs() == ["sys"]
        assert other.stats()["runs"] == {"sys": 2 * STAGE_BATCH}
        assert not other.check()


def test_labels_for_known_documents_are_staged_hidden_and_logged_in_full(tmp_path):
    """import --as over documents already in the file: hidden until published, each with its event."""
    db = tmp_path / "a.db"
    with Store(db) as store, Store(db) as other:
        store.import_documents(items(2 * STAGE_BATCH))
        known = list(items(2 * STAGE_BATCH))
        seen = []
        first = known[0][1].document.id

        def look():
            seen.append((other.annotators(), other.layer_size(first, Owner.annotator("ana")),
                         other.quotes(first, Owner.annotator("ana"))))

        report = store.import_documents(meanwhile(labelled(known), look), owner=Owner.annotator("ana"),
                                        status="done")
        assert seen == [([], 0, [])]
        assert report.quotes == 2 * STAGE_BATCH and len(report.unchanged) == 2 * STAGE_BATCH
        (label,) = other.quotes(first, Owner.annotator("ana"))
        assert label.speaker.name == "Budi" and other.status(first, "ana") == "done"
        after = json.loads(other.conn.execute(
            "SELECT after FROM events WHERE action = 'import' AND doc_id = ?", (first,)).fetchone()[0])
        assert after["text"] == label.text and after["speaker"]["name"] == "Budi"
        assert not other.check()


def test_a_run_replaced_by_an_import_stays_whole_until_it_is_published(tmp_path):
    """import --run R over R's earlier predictions: readers see the old layer, then the new, never a mix."""
    db = tmp_path / "a.db"
    docs = list(items(2 * STAGE_BATCH))
    with Store(db) as store, Store(db) as other:
        store.import_documents(labelled(docs), owner=Owner.run("sys"))
        old = {q.id for q in other.quotes(docs[0][1].document.id, Owner.run("sys"))}
        seen = []

        def replacing():
            def new_layer():
                for where, ad in docs:
                    text = ad.document.text
                    yield where, AnnotatedDocument(ad.document, [quote_on(text), Quote(
                        start=0, end=7, text=text[:7], type="indirect", speaker=Speaker(name="Ani", kind="person"))])

            def look():
                seen.append({q.id for q in other.quotes(docs[0][1].document.id, Owner.run("sys"))})

            return meanwhile(new_layer(), look)

        with pytest.raises(ConflictError):
            store.import_documents(then_repeated(replacing(), docs[0][1]), owner=Owner.run("sys"))
        assert {q.id for q in other.quotes(docs[0][1].document.id, Owner.run("sys"))} == old
        assert other.stats()["runs"] == {"sys": 2 * STAGE_BATCH}
        assert not other.check()
        store.import_documents(replacing(), owner=Owner.run("sys"))
        assert seen == [old, old]
        assert other.stats()["runs"] == {"sys": 4 * STAGE_BATCH}
        q = store.conn.execute
        assert q("SELECT count(*) FROM quote_rows").fetchone()[0] == 4 * STAGE_BATCH  # the old layer is gone
        assert q("SELECT count(*) FROM speaker_rows WHERE superseded_by IS NOT NULL").fetchone()[0] == 0
        assert not other.check()


def test_writes_made_while_an_import_runs_are_settled_when_it_publishes(tmp_path):
    """A status set, predictions made and labels created by others meanwhile: none lost, none doubled."""
    db = tmp_path / "a.db"
    docs = list(items(2 * STAGE_BATCH))
    first, second = docs[0][1].document, docs[1][1].document
    with Store(db) as store, Store(db) as other:
        store.import_documents(items(2 * STAGE_BATCH))
        store.import_documents(labelled(docs), owner=Owner.run("sys"))

        def predict():  # first's predictions were already staged: predict replaces them meanwhile
            other.save_predictions("sys", first.id, [quote_on(first.text)], sha256=first.sha256)

        def label():  # so were ana's labels on second: she labels it meanwhile
            edits.create_label(other, "ana", second.id, quote_on(second.text), text_sha256=second.sha256)
            other.set_status(second.id, "ana", "done")

        store.import_documents(meanwhile(labelled(docs), predict), owner=Owner.run("sys"))
        assert len(other.quotes(first.id, Owner.run("sys"))) == 1  # the import's layer, not both

        report = store.import_documents(meanwhile(labelled(docs), label), owner=Owner.annotator("ana"),
                                        status="in_progress")
        assert len(other.quotes(second.id, Owner.annotator("ana"))) == 1  # ana's own label, not the import's too
        assert any(second.id in what and "while the import ran" in why for what, why in report.skipped)
        assert report.quotes == 2 * STAGE_BATCH - 1
        assert other.status(second.id, "ana") == "done"  # her own decision, not the import's
        assert not other.check()


def test_a_status_set_while_an_import_runs_survives_the_import_failing(tmp_path):
    db = tmp_path / "a.db"
    docs = list(items(2 * STAGE_BATCH))
    target = docs[0][1].document.id
    with Store(db) as store, Store(db) as other:
        store.import_documents(items(2 * STAGE_BATCH))  # known documents: the import stages ana's statuses

        def set_done():  # its row was staged by the import
            other.set_status(target, "ana", "done")

        with pytest.raises(ConflictError):
            store.import_documents(then_repeated(meanwhile(labelled(docs), set_done), docs[0][1]),
                                   owner=Owner.annotator("ana"), status="in_progress")
        assert other.status(target, "ana") == "done"
        assert other.status(docs[1][1].document.id, "ana") == "todo"
        assert store.conn.execute("SELECT count(*) FROM imports WHERE state <> 'published'").fetchone()[0] == 0


def test_predict_into_a_run_a_killed_import_created_does_not_block_later_imports(tmp_path):
    db = tmp_path / "a.db"
    docs = list(items(3))
    with Store(db) as store:
        store.import_documents(items(3))
        import_id = store._start_import(None)
        store._stage(import_id, list(labelled(docs)), Owner.run("sys"), None, "import",
                     store_module.ImportReport(), store_module._Deferred())
        store.conn.execute("UPDATE imports SET pid = -1 WHERE id = ?", (import_id,))  # its process is gone
        d = docs[0][1].document
        store.save_predictions("sys", d.id, [quote_on(d.text)], sha256=d.sha256)  # predict takes the run over
        assert store.runs() == ["sys"]
        store.import_documents(items(1, prefix="new"))  # clears the dead import without failing
        assert store.runs() == ["sys"] and len(store.quotes(d.id, Owner.run("sys"))) == 1
        assert store.conn.execute("SELECT count(*) FROM imports WHERE state <> 'published'").fetchone()[0] == 0
        assert not store.check()
