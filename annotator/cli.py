"""The command line: thin click commands over the store, formats, attribution and evaluation."""

from __future__ import annotations

import errno
import getpass
import os
import sqlite3
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from annotator.attribution import SCOPES, RuleAttributor, available_languages, get_attributor
from annotator.formats.errors import InputError
from annotator.formats.export import FORMATS as EXPORT_FORMATS
from annotator.formats.export import ExportError, Guard, selected_ids
from annotator.formats.export import export as export_documents
from annotator.formats.export import select as select_documents
from annotator.formats.export import validate as validate_export
from annotator.formats.guards import bad_char_sentence, check_string
from annotator.formats.outputs import database_files
from annotator.formats.sources import check_path, read_paths
from annotator.formats.split import SplitSpec, SplitSpecError
from annotator.model import DOC_STATUSES, QUOTE_TYPES, Owner
from annotator.store import ConflictError, SchemaError, StaleTextError, Store, default_db_path
from annotator.terminal import json_text, shown

# Markup off: nothing the command line prints is parsed as Rich markup; untrusted values go through shown().
console = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
out = Console(highlight=False, soft_wrap=True, markup=False)

# Errors that are the user's to fix: one sentence, exit status 1, no traceback.
USER_ERRORS = (InputError, ConflictError, SchemaError, sqlite3.DatabaseError, KeyError, click.ClickException)


def default_annotator() -> str:
    try:
        return os.environ.get("ANNOTATOR") or getpass.getuser()
    except Exception:  # no login name (e.g. in a container): still usable
        return "annotator"


class Context:
    def __init__(self, db: str, annotator: str, debug: bool):
        self.db = db
        self.annotator = annotator
        self.debug = debug
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.db)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def open_store(ctx: click.Context) -> Store:
    return ctx.find_object(Context).store


def progress(transient: bool = True) -> Progress:
    """A progress bar on stderr, drawn only when stderr is a terminal."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", style="progress.description", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=transient,
        disable=not console.is_terminal,
    )


def text_name(value: str | None, option: str) -> None:
    """Names given on the command line (annotators, runs) are stored: refuse what text cannot hold, up front."""
    if value is not None:
        try:
            check_string(value, repr(value))
        except ValueError as exc:
            raise click.ClickException(f"{option} {exc}; names must be text") from None


def _override(attr: str):
    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if value is not None:
            setattr(ctx.find_object(Context), attr, value)

    return callback


def os_error_sentence(exc: OSError) -> str:
    """An operating-system error as one sentence naming the file: ``out.jsonl: No space left on device``."""
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    if exc.filename2 is not None:
        return f"{exc.filename} → {exc.filename2}: {reason}"
    return f"{exc.filename}: {reason}"


class AnnotatorGroup(click.Group):
    """Turns user errors into one sentence on stderr and exit status 1 (``--debug`` shows the traceback).

    Every command also accepts ``--db`` and ``--annotator`` after its name
    (``annotator import --db x.db seeds/``), overriding the group's.
    """

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        taken = {p.name for p in cmd.params}
        for attr, help_text in (("db", "The SQLite database file (as before the command)."),
                                ("annotator", "Whose labels (as before the command).")):
            if attr not in taken:
                cmd.params.append(click.Option([f"--{attr}"], expose_value=False, is_eager=True,
                                               callback=_override(attr), help=help_text))
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except USER_ERRORS as exc:
            obj = ctx.find_object(Context)
            if (obj and obj.debug) or isinstance(exc, (click.exceptions.Exit, click.exceptions.Abort)):
                raise
            if isinstance(exc, click.ClickException):  # click prints it: the names in it made visible first
                exc.message = str(shown(exc.message))
                raise
            message = f"no document {exc.args[0]!r} in the database" if isinstance(exc, KeyError) else str(exc)
            if isinstance(exc, sqlite3.DatabaseError) and obj and obj.db not in message:
                message = f"{obj.db}: {message}"  # SQLite's own messages never say which file
            console.print(shown(f"error: {message}"))
            ctx.exit(1)
        except UnicodeEncodeError as exc:  # a lone surrogate from an argument or a file name not in UTF-8
            obj = ctx.find_object(Context)
            if (obj and obj.debug) or not isinstance(exc.object, str):
                raise
            value = exc.object if len(exc.object) <= 60 else exc.object[:59] + "…"
            console.print(shown(f"error: {value!r} {bad_char_sentence(exc.object[exc.start])}; names, ids and "
                                "file names must be text (UTF-8)"))
            ctx.exit(1)
        except OSError as exc:  # a full disk, a read-only folder, a vanished file: whatever the command
            obj = ctx.find_object(Context)
            if (obj and obj.debug) or exc.errno == errno.EPIPE:  # click ends quietly on a closed pipe
                raise
            console.print(shown(f"error: {os_error_sentence(exc)}"))
            ctx.exit(1)
        finally:
            obj = ctx.find_object(Context)
            if obj:
                obj.close()


@click.group(cls=AnnotatorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", default=default_db_path, show_default="annotations.db or $ANNOTATOR_DB",
              help="The SQLite database file.")
@click.option("--annotator", "annotator", default=default_annotator,
              show_default="$ANNOTATOR or the login name", help="Whose labels.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.version_option(package_name="annotator")
@click.pass_context
def cli(ctx: click.Context, db: str, annotator: str, debug: bool) -> None:
    """Build gold datasets of news quotations and score quote attribution against them."""
    ctx.obj = Context(db, annotator, debug)


def owner_option(run: str | None, annotator: str) -> Owner:
    return Owner.run(run) if run else Owner.annotator(annotator)


def run_import(
    store: Store, paths: tuple[str, ...], owner: Owner | None, status: str | None,
    keep_old: bool, encoding: str,
):
    """Import paths in one transaction with a progress bar; returns the report."""
    skipped: list[tuple[str, str]] = []
    with progress() as bar:
        task = bar.add_task("importing", total=None)

        def items():
            for item in read_paths([Path(p) for p in paths], encoding, lambda w, why: skipped.append((w, why))):
                bar.advance(task)
                yield item

        report = store.import_documents(items(), owner=owner, status=status, keep_old=keep_old,
                                        on_wait=lambda why: console.print(shown(f"note: {why}")))
    report.skipped[:0] = skipped
    return report


SKIPS_SHOWN = 20


def print_import_report(report) -> None:
    parts = [f"{len(report.imported)} imported"]
    if report.updated:
        parts.append(f"{len(report.updated)} updated (new text, no labels)")
    parts.append(f"{len(report.unchanged)} unchanged")
    parts.append(f"{len(report.skipped)} skipped")
    if report.quotes:
        parts.append(f"{report.quotes} quotes")
    console.print("documents: " + ", ".join(parts))
    for what, why in report.skipped[:SKIPS_SHOWN]:
        console.print(shown(f"  skipped {what}: {why}"))
    if len(report.skipped) > SKIPS_SHOWN:
        console.print(f"  … and {len(report.skipped) - SKIPS_SHOWN} more skipped")


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--as", "as_annotator", metavar="ANNOTATOR", help="Store the file's quotes as this annotator's labels.")
@click.option("--run", metavar="NAME", help="Store the file's quotes as the predictions of this run.")
@click.option("--status", type=click.Choice(DOC_STATUSES), help="Set the annotator's status of the imported documents (with --as).")
@click.option("--keep-old", is_flag=True, help="When a labelled document comes with new text, keep the old version and skip the new one.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the input files.")
@click.option("--predict/--no-predict", default=True, show_default=True,
              help="Pre-annotate new documents with the built-in attributor (run 'builtin'); "
                   "not done when the file brings its own labels or predictions (--as/--run).")
@click.pass_context
def import_(ctx, paths, as_annotator, run, status, keep_old, encoding, predict):
    """Import .txt files or folders of them, .jsonl (interchange format), .csv (id,text,…)
    and brat folders (<id>.txt with <id>.ann; the document id is the file name)."""
    if as_annotator and run:
        raise click.UsageError("give either --as or --run, not both")
    if status and not as_annotator:
        raise click.UsageError("--status needs --as ANNOTATOR")
    text_name(as_annotator, "--as")
    text_name(run, "--run")
    owner = Owner.annotator(as_annotator) if as_annotator else Owner.run(run) if run else None
    for path in paths:  # before the database is opened (or created) for nothing
        check_path(Path(path))
    store = open_store(ctx)
    report = run_import(store, paths, owner, status, keep_old, encoding)
    print_import_report(report)
    if predict and owner is None:
        preannotate(store, [*report.imported, *report.updated], "builtin", get_attributor())


def preannotate(store: Store, doc_ids: list[str], run: str, attributor) -> None:
    """Store the attributor's candidates as ``run`` for the documents that have none there yet.

    A document the attributor fails on gets a one-line note; the others still get theirs.
    """
    from annotator.store.edits import run_has_document

    todo = [d for d in doc_ids if not run_has_document(store, run, d)]
    if not todo:
        return
    failed = []
    with progress() as bar:
        task = bar.add_task(str(shown(f"finding candidates ({run})")), total=len(todo))
        for doc in store.iter_documents(todo):
            try:
                quotes = attributor.attribute(doc)
            except Exception as exc:  # noqa: BLE001 - reported below, never fatal
                failed.append(f"{doc.id} ({type(exc).__name__}: {exc})")
            else:
                try:
                    store.save_predictions(run, doc.id, quotes, sha256=doc.sha256)
                except StaleTextError:
                    failed.append(f"{doc.id} (its text was replaced meanwhile)")
            bar.advance(task)
    console.print(shown(f"candidates: {len(todo) - len(failed)} documents pre-annotated (run {run})"))
    for what in failed[:SKIPS_SHOWN]:
        console.print(shown(f"  no candidates for {what}"))


@cli.command(context_settings={"max_content_width": 100})
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default=None,
              help="Output format  [default: from OUT's extension (.csv, .conll), else jsonl]")
@click.option("--run", metavar="NAME", help="Export this run's predictions instead of the annotator's labels.")
@click.option("--done-only", "--gold", "done_only", is_flag=True,
              help="Only the documents the annotator marked done; an error when there are none.")
@click.option("--all", "all_docs", is_flag=True, help="Every document, whatever its status.")
@click.option("--split", "split_spec", metavar="TRAIN,DEV,TEST",
              help="Split by document into train/dev/test parts, e.g. 80,10,10; OUT becomes a folder.")
@click.option("--seed", type=int, help="Seed of the split  [default: 0]")
@click.option("--excel", is_flag=True,
              help="csv only: add a UTF-8 BOM and neutralise cells starting with = + - @ (prefix ').")
@click.option("--force", is_flag=True,
              help="Replace an existing OUT that no earlier export wrote, or that was changed since "
                   "(never the database).")
@click.argument("out_path", metavar="OUT", type=click.Path())
@click.pass_context
def export(ctx, fmt, run, done_only, all_docs, split_spec, seed, excel, force, out_path):
    """Export an annotator's labels (or a run's predictions) to OUT ('-': standard output).

    \b
    Whose labels: the annotator's accepted quotes (--annotator), or with
    --run a run's predictions (every document).
    \b
    Which documents, for an annotator:
      default       the documents they marked done; when they have marked
                    none, every document, with a note on stderr saying so
      --done-only   only the documents marked done, never more (--gold is
                    the same flag); an error when there are none
      --all         every document
    \b
    Formats: jsonl (interchange format, one document a line); csv (one row
    per quote); brat (a folder: <id>.txt, <id>.ann, annotation.conf);
    conll (token lines with BIO tags for QUOTE, CUE and SPEAKER). The README
    section "Export formats" describes each layout.
    \b
    --split 80,10,10 --seed N: OUT is a folder with train/dev/test parts
    (train.jsonl … or train/ … for brat) and split.json recording the
    split, seed, counts and ids. The same seed and documents give the same
    split, whatever the import order.
    \b
    Nothing is half-written: the output appears complete or not at all.
    An export records what it wrote (.annotator-export.json in a folder,
    .OUT.annotator-export.json beside a file) and replaces only an earlier
    export that nobody changed since; --force replaces any other OUT. The
    database and its -wal/-shm files are never replaced.
    """
    store = open_store(ctx)
    obj = ctx.find_object(Context)
    owner = owner_option(run, obj.annotator)
    if run and (done_only or all_docs):
        raise click.UsageError("--done-only/--gold and --all choose an annotator's documents; a run exports every document")
    if done_only and all_docs:
        raise click.UsageError("give either --done-only/--gold or --all, not both")
    if seed is not None and not split_spec:
        raise click.UsageError("--seed goes with --split")
    if fmt is None:
        fmt = {".csv": "csv", ".conll": "conll"}.get(Path(out_path).suffix.lower(), "jsonl")
    if run and not store.has_run(run):
        raise click.ClickException(f"no run named {run!r} (runs: {', '.join(store.runs()) or 'none'})")
    try:
        split = SplitSpec.parse(split_spec, seed or 0) if split_spec else None
    except SplitSpecError as exc:
        raise click.BadParameter(str(exc), param_hint="--split") from None
    target = None if out_path == "-" else Path(out_path)
    guard = Guard(database_files(obj.db), force)
    try:
        validate_export(fmt, target, split is not None, excel, guard)
        with store.snapshot():  # one consistent state, whatever other processes write meanwhile
            selection = select_documents(store, owner, done_only, all_docs)
            if selection.note:
                console.print(shown(selection.note))
            ids = selected_ids(store, selection) if split else None
            with progress() as bar:
                task = bar.add_task("exporting", total=selection.total)
                result = export_documents(
                    store.annotated(owner, status=selection.status), fmt, target, owner,
                    excel=excel, split=split, split_ids=ids, selection=selection.description,
                    on_document=lambda: bar.advance(task), guard=guard,
                )
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    for note in result.notes:
        console.print(shown(note))
    parts = ""
    if result.parts:
        parts = " (" + ", ".join(f"{p} {n}" for p, n in result.parts.items()) + f"; manifest {result.manifest})"
    console.print(shown(
        f"exported {result.documents} documents, {result.quotes} quotes ({owner}) as {fmt} to {out_path}{parts}"
    ))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def stats(ctx, as_json):
    """Documents, labels per annotator, document statuses, runs."""
    data = open_store(ctx).stats()
    if as_json:
        click.echo(json_text(data))
        return
    out.print(f"documents: {data['documents']} ({data['characters']:,} characters)")
    table = Table(title="annotators", title_justify="left")
    for col in ("annotator", "labels", "pending", "rejected", *DOC_STATUSES):
        table.add_column(col, justify="left" if col == "annotator" else "right")
    for name, a in data["annotators"].items():
        by = a["quotes_by_status"]
        docs = a["documents_by_status"]
        table.add_row(shown(name), str(a["labels"]), str(by.get("pending", 0)), str(by.get("rejected", 0)),
                      *(str(docs.get(s, 0)) for s in DOC_STATUSES))
    if data["annotators"]:
        out.print(table)
    else:
        out.print("annotators: none yet")
    if data["runs"]:
        for name, n in data["runs"].items():
            out.print(shown(f"run {name}: {n} predicted quotes"))
    out.print(f"events logged: {data['events']}")


@cli.command()
@click.pass_context
def check(ctx):
    """Integrity: every span inside its text, text hashes, no orphans. Exits 1 on a problem."""
    try:
        problems = open_store(ctx).check()
    except sqlite3.DatabaseError as exc:  # damaged beyond what the checks can read
        db = ctx.find_object(Context).db
        problems = [str(exc) if db in str(exc) else f"{db} cannot be read ({exc})"]
    for p in problems:
        out.print(shown(f"problem: {p}"))
    if problems:
        console.print(shown(f"{len(problems)} problem(s) found in {ctx.find_object(Context).db}"))
        ctx.exit(1)
    out.print(shown(f"ok: {ctx.find_object(Context).db} passed every check"))


@cli.command()
@click.option("--run", "run_name", default="builtin", show_default=True, metavar="NAME",
              help="Store the predictions under this run name (replacing its earlier predictions).")
@click.option("--lang", metavar="CODE",
              help="Use this language's lexicon for every document  [default: each document's language, else detected]")
@click.option("--scope", type=click.Choice(SCOPES), default="all", show_default=True,
              help="all: every quotation; public: only speakers named as public figures (PFSA-ID's convention).")
@click.option("--doc", "doc_ids", multiple=True, metavar="ID", help="Only this document (repeatable).")
@click.option("--type", "types", multiple=True, type=click.Choice(QUOTE_TYPES),
              help="Keep only quotes of this type (repeatable), e.g. for a gold set of direct quotes only.")
@click.pass_context
def predict(ctx, run_name, lang, scope, doc_ids, types):
    """Run the built-in attributor over the documents and store its quotes as a run."""
    if lang is not None and lang not in available_languages():
        raise click.BadParameter(
            f"no lexicon for {lang!r} (available: {', '.join(available_languages())})", param_hint="--lang"
        )
    store = open_store(ctx)
    attributor = RuleAttributor(language=lang, scope=scope)
    ids = list(dict.fromkeys(doc_ids)) or None
    missing = [i for i in ids or () if store.document(i) is None]
    if missing:
        raise click.BadParameter(f"no document {missing[0]!r} in the database", param_hint="--doc")
    total = len(ids) if ids else store.count_documents()
    by_type: dict[str, int] = {}
    documents = 0
    replaced = []
    with progress() as bar:
        task = bar.add_task(str(shown(f"predicting ({run_name})")), total=total)
        for doc in store.iter_documents(ids):
            quotes = [q for q in attributor.attribute(doc) if not types or q.type in types]
            bar.advance(task)
            try:
                store.save_predictions(run_name, doc.id, quotes, sha256=doc.sha256)
            except StaleTextError:
                replaced.append(doc.id)
                continue
            for q in quotes:
                by_type[q.type] = by_type.get(q.type, 0) + 1
            documents += 1
    kinds = ", ".join(f"{n} {t}" for t, n in sorted(by_type.items())) or "none"
    console.print(shown(f"run {run_name}: {documents} documents, {sum(by_type.values())} quotes ({kinds})"))
    if replaced:
        console.print(shown(f"  not stored: {len(replaced)} documents whose text another import replaced meanwhile "
                            f"(first: {replaced[0]!r}); run predict again for them"))


# --- evaluate and agreement (DESIGN §4) ------------------------------------------


def _read_layer(path: Path) -> list:
    """A JSONL file's documents; a repeated id is an input error naming both lines."""
    from annotator.formats.jsonl import read_jsonl

    first_line: dict[str, int] = {}
    docs = []
    for lineno, ad in read_jsonl(path):
        doc_id = ad.document.id
        if doc_id in first_line:
            raise InputError(path, f"document {doc_id!r} appears again (first on line {first_line[doc_id]})", lineno)
        first_line[doc_id] = lineno
        docs.append(ad)
    return docs


def _is_file_source(value: str) -> bool:
    return value.endswith(".jsonl") or Path(value).is_file()


@cli.command()
@click.option("--gold", required=True, metavar="ANNOTATOR|FILE.jsonl",
              help="Gold labels: an annotator in the database (the documents they marked done) or a JSONL file.")
@click.option("--pred", required=True, metavar="RUN|FILE.jsonl",
              help="Predictions: a run in the database (or another annotator's labels) or a JSONL file.")
@click.option("--json", "as_json", is_flag=True, help="Write the DESIGN §4 JSON object instead of tables.")
@click.option("--errors", "show_errors", is_flag=True, help="List false positives, misses and wrong speakers in context.")
@click.option("--by", "by", type=click.Choice(["type", "doc"]), multiple=True,
              help="Breakdowns to show in the table (repeatable; default: type).")
@click.option("--all-documents", is_flag=True,
              help="With a gold annotator, also score the documents they have not marked done.")
@click.option("--context", default=60, show_default=True, metavar="CHARS",
              help="Characters of context on each side of an error.")
@click.pass_context
def evaluate(ctx, gold, pred, as_json, show_errors, by, all_documents, context):
    """Score predictions against gold labels: spans, speakers, cues and roles (DESIGN §4)."""
    from annotator.evaluation import EvaluationError
    from annotator.evaluation import evaluate as score
    from annotator.evaluation.report import errors_report, evaluation_report

    if _is_file_source(gold):
        gold_docs = _read_layer(Path(gold))
    else:
        store = open_store(ctx)
        if gold not in store.annotators():
            raise click.ClickException(
                f"no annotator named {gold!r} in {ctx.find_object(Context).db} "
                f"(annotators: {', '.join(store.annotators()) or 'none'}); give a JSONL file for gold from elsewhere"
            )
        gold_docs = list(store.annotated(Owner.annotator(gold), status=None if all_documents else "done"))
        if not gold_docs:
            raise click.ClickException(
                f"annotator {gold!r} has marked no document done (--all-documents scores unfinished ones too)"
            )
    if _is_file_source(pred):
        pred_docs = _read_layer(Path(pred))
        pred_ids = {ad.document.id for ad in pred_docs}
    else:
        store = open_store(ctx)
        if store.has_run(pred):
            owner = Owner.run(pred)
        elif pred in store.annotators():
            owner = Owner.annotator(pred)
        else:
            raise click.ClickException(
                f"no run or annotator named {pred!r} in {ctx.find_object(Context).db} "
                f"(runs: {', '.join(store.runs()) or 'none'})"
            )
        pred_ids = set(store.document_ids())
        pred_docs = store.annotated(owner, ids=[ad.document.id for ad in gold_docs if ad.document.id in pred_ids])
    unmatched = sum(1 for ad in gold_docs if ad.quotes and ad.document.id not in pred_ids)
    if unmatched:
        console.print(shown(
            f"note: {unmatched} of {len(gold_docs)} gold documents have no predictions in {pred}; "
            "their quotes count as misses"
        ))
    try:
        result = score(gold_docs, pred_docs)
    except EvaluationError as exc:
        raise click.ClickException(f"cannot compare {gold} with {pred}: {exc}") from None
    if as_json:
        data = result.as_json()
        if show_errors:
            data["errors"] = [e.as_json(context) for e in result.errors()]
        click.echo(json_text(data))
        return
    out.print(evaluation_report(result, gold, pred, by or ("type",)))
    if show_errors:
        out.print()
        out.print(errors_report(result.errors(), context))


@cli.command()
@click.argument("names", nargs=-1, metavar="[A B ...]")
@click.option("--files", "files", is_flag=True, help="NAMES are JSONL files, one annotator each (named by file stem).")
@click.option("--json", "as_json", is_flag=True, help="Write JSON instead of tables.")
@click.option("--by", "by", type=click.Choice(["doc"]), help="Also show agreement per document.")
@click.pass_context
def agreement(ctx, names, files, as_json, by):
    """Agreement between annotators over the documents both marked done (every pair when none are named).

    With --files, between JSONL files instead: annotator agreement --files A.jsonl B.jsonl
    """
    from itertools import combinations

    from annotator.evaluation import EvaluationError
    from annotator.evaluation import agreement as agree
    from annotator.evaluation.report import agreement_report, mean_over_pairs

    if len(names) == 1:
        raise click.UsageError("name two annotators (or none for every pair)")
    if files:
        if len(names) < 2:
            raise click.UsageError("--files needs at least two JSONL files")
        stems = [Path(n).stem for n in names]
        labels = stems if len(set(stems)) == len(stems) else list(names)
        layers = {label: _read_layer(Path(n)) for label, n in zip(labels, names)}
    else:
        store = open_store(ctx)
        known = store.annotators()
        for n in names:
            if n not in known:
                raise click.ClickException(
                    f"no annotator named {n!r} in {ctx.find_object(Context).db} (annotators: {', '.join(known) or 'none'})"
                )
        chosen = list(names) or known
        if len(chosen) < 2:
            raise click.ClickException(
                f"agreement needs two annotators; {ctx.find_object(Context).db} has {', '.join(known) or 'none'}"
            )
        layers = {n: list(store.annotated(Owner.annotator(n), status="done")) for n in chosen}
    try:
        results = [agree(layers[a], layers[b], a, b) for a, b in combinations(layers, 2)]
    except EvaluationError as exc:
        raise click.ClickException(f"cannot compare: {exc}") from None
    if as_json:
        data = {"pairs": [r.as_json() for r in results], "mean_of_pairs": mean_over_pairs(results)}
        click.echo(json_text(data))
        return
    out.print(agreement_report(results, by_doc=by == "doc"))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--doc", "doc_id", metavar="ID", help="Open this document directly.")
@click.option("--candidates", "run", default="builtin", show_default=True, metavar="RUN",
              help="The run whose predictions become your pending candidates.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the input files.")
@click.pass_context
def annotate(ctx, paths, doc_id, run, encoding):
    """Open the annotation TUI (importing and pre-annotating PATHs first).

    Keys are remappable in $XDG_CONFIG_HOME/annotator/keys.toml (see the README).
    """
    from annotator.tui.app import AnnotatorApp
    from annotator.tui.keys import KeysError

    for path in paths:  # before the database is opened (or created) for nothing
        check_path(Path(path))
    store = open_store(ctx)
    obj = ctx.find_object(Context)
    predictor = get_attributor() if run == "builtin" else None  # the built-in attributor fills only its run
    if paths:
        report = run_import(store, paths, None, None, False, encoding)
        print_import_report(report)
        given = (*report.imported, *report.updated, *report.unchanged)
        if predictor is not None:
            mine = Owner.annotator(obj.annotator)
            preannotate(store, [d for d in given if not store.layer_size(d, mine)], run, predictor)
        if doc_id is None:  # open the first of these documents still to do
            doc_id = next((d for d in given if store.status(d, obj.annotator) in ("todo", "in_progress")), None)
    if doc_id is not None and store.document(doc_id) is None:
        raise KeyError(doc_id)
    if not store.count_documents():
        raise click.ClickException("the database has no documents yet; give PATHs to import "
                                   "(annotator annotate seeds/)")
    try:
        app = AnnotatorApp(store, obj.annotator, run=run, doc_id=doc_id, predictor=predictor)
    except KeysError as exc:
        raise click.ClickException(str(exc)) from None
    app.run()


def main() -> None:
    cli(prog_name="annotator")
