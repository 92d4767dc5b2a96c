"""The command line: click commands that parse, call the session layer and print (docs/architecture.md)."""

from __future__ import annotations

import errno
import functools
import getpass
import importlib.util
import ipaddress
import os
import socket
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource
from rich.console import Console
from rich.table import Table

from annotator.formats.errors import InputError
from annotator.formats.guards import bad_char_sentence, check_string
from annotator.formats.outputs import ExportError, Guard, check_file_target, database_files
from annotator.formats.split import SplitSpec, SplitSpecError
from annotator.formats.write import FORMATS as EXPORT_FORMATS
from annotator.model import DOC_STATUSES, QUOTE_TYPES, SCOPES, Owner
from annotator.session.assignment import AssignmentError, assign
from annotator.store import ConflictError, ImportReport, SchemaError, Store, assignments, default_db_path
from annotator.terminal import counted, json_text, shown

if TYPE_CHECKING:  # the scorer (and scipy) load only when a comparison runs; the attributor, when one predicts;
    # each format's reader and writer, the progress bar and the worker pool, when a command needs them
    from rich.progress import Progress

    from annotator.formats.label_studio import LabelNames
    from annotator.session import Workspace
    from annotator.session.sources import Database

# Markup off: nothing the command line prints is parsed as Rich markup; untrusted values go through shown().
console = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
out = Console(highlight=False, soft_wrap=True, markup=False)


def print_note(sentence: str) -> None:
    """A note about the inputs, on stderr, its text never read as markup."""
    console.print(shown(sentence))

# Errors that are the user's to fix: one sentence, exit status 1, no traceback.
USER_ERRORS = (InputError, ConflictError, SchemaError, sqlite3.DatabaseError, KeyError, click.ClickException,
               AssignmentError)


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


def database(ctx: click.Context) -> Database:
    """The command's database for a comparison: opened only if a side names something in it."""
    from annotator.session.sources import Database

    obj = ctx.find_object(Context)
    return Database(lambda: obj.store, obj.db)


def progress(transient: bool = True, redraw_thread: bool = True) -> Progress:
    """A progress bar on stderr, drawn only when stderr is a terminal. Without ``redraw_thread`` it is
    redrawn only when the caller refreshes it, so worker processes can be forked (session/workers.py)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", style="progress.description", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=transient,
        auto_refresh=redraw_thread,
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
    keep_old: bool, encoding: str, label_names: LabelNames | None = None,
) -> ImportReport:
    """Import paths in one transaction with a progress bar; returns the report."""
    from annotator.session.imports import import_paths

    with progress() as bar:
        task = bar.add_task("importing", total=None)
        return import_paths(store, paths, owner=owner, status=status, keep_old=keep_old, encoding=encoding,
                            label_names=label_names, on_document=lambda: bar.advance(task),
                            on_wait=lambda why: console.print(shown(f"note: {why}")))


SKIPS_SHOWN = 20


def print_import_report(report: ImportReport) -> None:
    parts = [f"{len(report.imported)} imported"]
    if report.updated:
        parts.append(f"{len(report.updated)} updated (new text, no labels)")
    parts.append(f"{len(report.unchanged)} unchanged")
    parts.append(f"{len(report.skipped)} skipped")
    if report.quotes:
        parts.append(counted(report.quotes, "quote"))
    console.print("documents: " + ", ".join(parts))
    for what, why in report.skipped[:SKIPS_SHOWN]:
        console.print(shown(f"  skipped {what}: {why}"))
    if len(report.skipped) > SKIPS_SHOWN:
        console.print(f"  … and {len(report.skipped) - SKIPS_SHOWN} more skipped")


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--as", "as_annotator", metavar="ANNOTATOR", help="Store the file's quotes as this annotator's labels.")
@click.option("--run", metavar="NAME", help="Store the file's quotes as the predictions of this run.")
@click.option("--status", type=click.Choice(DOC_STATUSES),
              help="Set the annotator's status of the imported documents (with --as).")
@click.option("--keep-old", is_flag=True,
              help="When a labelled document comes with new text, keep the old version and skip the new one.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the input files.")
@click.option("--predict/--no-predict", default=True, show_default=True,
              help="Pre-annotate new documents with the built-in attributor (run 'builtin'); "
                   "not done when the file brings its own labels or predictions (--as/--run).")
@click.option("--ls-labels", "ls_labels", metavar="Quote=LABEL,…",
              help="A Label Studio export's names for Quote, Speaker, Cue, Direct, Indirect, Mixed, and Text "
                   "(the data key of the article), e.g. Quote=Zitat,Speaker=Sprecher (docs/label-studio.md).")
@click.pass_context
def import_(ctx, paths, as_annotator, run, status, keep_old, encoding, predict, ls_labels):
    """Import .txt files or folders of them, .jsonl (interchange format), .csv (id,text,…),
    brat folders (<id>.txt with <id>.ann; the document id is the file name) and Label Studio
    JSON exports (each annotator's labels; --as: each task's first annotation; --run: its first
    prediction)."""
    from annotator.formats.label_studio import LabelNames
    from annotator.session.imports import check_paths

    try:
        label_names = LabelNames.parse(ls_labels) if ls_labels else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--ls-labels") from None
    if as_annotator and run:
        raise click.UsageError("give either --as or --run, not both")
    if status and not as_annotator:
        raise click.UsageError("--status needs --as ANNOTATOR")
    text_name(as_annotator, "--as")
    text_name(run, "--run")
    owner = Owner.annotator(as_annotator) if as_annotator else Owner.run(run) if run else None
    check_paths(paths)  # before the database is opened (or created) for nothing
    store = open_store(ctx)
    report = run_import(store, paths, owner, status, keep_old, encoding, label_names)
    print_import_report(report)
    if predict and owner is None:
        from annotator.attribution import get_attributor
        from annotator.session import Workspace

        workspace = Workspace(store, ctx.find_object(Context).annotator, predictor=get_attributor())
        find_candidates(workspace, [*report.imported, *report.updated])


def find_candidates(workspace: Workspace, doc_ids: list[str]) -> None:
    """The workspace's candidates for those of the documents that have none yet, with a progress bar;
    a document the attributor fails on gets a one-line note, the others still get theirs."""
    with progress() as bar:
        task = bar.add_task(str(shown(f"finding candidates ({workspace.run})")), total=None)
        report = workspace.find_candidates(
            doc_ids, on_progress=lambda done, total: bar.update(task, completed=done, total=total))
    if not report.total:
        return
    console.print(shown(f"candidates: {counted(report.documents, 'document')} pre-annotated (run {report.run})"))
    for failure in report.failures[:SKIPS_SHOWN]:
        console.print(shown(f"  no candidates for {failure}"))


@cli.command(context_settings={"max_content_width": 100})
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default=None,
              help="Output format  [default: from OUT's extension (.csv, .conll, .spacy), else jsonl]")
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
    conll (token lines with BIO tags for QUOTE, CUE and SPEAKER); label-studio
    (a JSON array of tasks: an annotator's labels as annotations, a run's as
    predictions; docs/label-studio.md has the labelling configuration); spacy
    (a DocBin with span groups quotes, cues and speakers; needs
    annotator[spacy]). The README section "Exporting" describes each layout.
    \b
    --split 80,10,10 --seed N: OUT is a folder with train/dev/test parts
    (train.jsonl … or train/ … for brat) and split.json recording the
    split, seed, counts and ids; a jsonl split adds README.md, a Hugging
    Face dataset card. The same seed and documents give the same files,
    byte for byte, whatever the import order.
    \b
    Nothing is half-written: the output appears complete or not at all.
    An export records what it wrote (.annotator-export.json in a folder,
    .OUT.annotator-export.json beside a file) and replaces only an earlier
    export that nobody changed since; --force replaces any other OUT. The
    database and its -wal/-shm files are never replaced.
    """
    from annotator.session.export import Selection, export_layer

    store = open_store(ctx)
    obj = ctx.find_object(Context)
    owner = owner_option(run, obj.annotator)
    if run and (done_only or all_docs):
        raise click.UsageError(
            "--done-only/--gold and --all choose an annotator's documents; a run exports every document"
        )
    if done_only and all_docs:
        raise click.UsageError("give either --done-only/--gold or --all, not both")
    if seed is not None and not split_spec:
        raise click.UsageError("--seed goes with --split")
    if fmt is None:
        fmt = {".csv": "csv", ".conll": "conll", ".spacy": "spacy"}.get(Path(out_path).suffix.lower(), "jsonl")
    if run and not store.has_run(run):
        raise click.ClickException(f"no run named {run!r} (runs: {', '.join(store.runs()) or 'none'})")
    try:
        split = SplitSpec.parse(split_spec, seed or 0) if split_spec else None
    except SplitSpecError as exc:
        raise click.BadParameter(str(exc), param_hint="--split") from None
    target = None if out_path == "-" else Path(out_path)
    guard = Guard(database_files(obj.db), force)
    try:
        with progress() as bar:
            task = bar.add_task("exporting", total=None)

            def selected(selection: Selection) -> None:
                if selection.note:
                    console.print(shown(selection.note))
                bar.update(task, total=selection.total)

            result = export_layer(
                store, owner, fmt, target, done_only=done_only, all_docs=all_docs, excel=excel, split=split,
                guard=guard, on_selection=selected, on_document=lambda: bar.advance(task),
            )
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    for note in result.notes:
        console.print(shown(note))
    parts = ""
    if result.parts:
        parts = " (" + ", ".join(f"{p} {n}" for p, n in result.parts.items()) + f"; manifest {result.manifest})"
    console.print(shown(
        f"exported {counted(result.documents, 'document')}, {counted(result.quotes, 'quote')} ({owner}) "
        f"as {fmt} to {out_path}{parts}"
    ))
    if fmt == "label-studio":
        console.print("note: give the Label Studio project the labelling configuration of docs/label-studio.md")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def stats(ctx, as_json):
    """Documents, labels per annotator, document statuses, progress against the assignment, runs."""
    store = open_store(ctx)
    data = store.stats()
    data["assignments"] = {name: p.as_json() for name, p in assignments.progress(store).items()}
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
    if data["assignments"]:
        out.print(assignment_table(data["assignments"]))
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
@click.option("--jobs", type=click.IntRange(min=0), default=1, show_default=True, metavar="N",
              help="Attribute in N worker processes (0: one per core); this process alone writes the database.")
@click.pass_context
def predict(ctx, run_name, lang, scope, doc_ids, types, jobs):
    """Run the built-in attributor over the documents and store its quotes as a run."""
    from annotator.attribution import RuleAttributor
    from annotator.session.jobs import preannotate
    from annotator.session.workers import WorkerDied, all_cores

    check_language(lang)
    store = open_store(ctx)
    attributor = RuleAttributor(language=lang, scope=scope)
    ids = list(dict.fromkeys(doc_ids)) or None
    missing = [i for i in ids or () if store.document(i) is None]
    if missing:
        raise click.BadParameter(f"no document {missing[0]!r} in the database", param_hint="--doc")
    jobs = jobs or all_cores()
    try:
        with progress(redraw_thread=jobs == 1) as bar:
            task = bar.add_task(str(shown(f"predicting ({run_name})")), total=None)
            report = preannotate(store, attributor, run_name, ids, types=types, jobs=jobs,
                                 on_progress=lambda done, total: bar.update(task, completed=done, total=total,
                                                                            refresh=jobs > 1))
    except WorkerDied as exc:  # the documents stored before it keep their predictions
        raise click.ClickException(f"{exc}; run predict again to finish run {run_name}") from None
    kinds = ", ".join(f"{n} {t}" for t, n in sorted(report.by_type.items())) or "none"
    console.print(shown(f"run {run_name}: {counted(report.documents, 'document')}, "
                        f"{counted(report.quotes, 'quote')} ({kinds})"))
    replaced = [f.doc_id for f in report.failures if f.stale]
    if replaced:
        console.print(shown(f"  not stored: {len(replaced)} documents whose text another import replaced meanwhile "
                            f"(first: {replaced[0]!r}); run predict again for them"))
    failed = [f for f in report.failures if not f.stale]
    for failure in failed[:SKIPS_SHOWN]:
        console.print(shown(f"  no predictions for {failure}"))
    if len(failed) > SKIPS_SHOWN:
        console.print(f"  … and {len(failed) - SKIPS_SHOWN} more without predictions")
    if failed:  # the others are stored; a script still learns that the run is incomplete
        ctx.exit(1)


def check_language(lang: str | None) -> None:
    """``--lang`` names a lexicon the attributor has."""
    from annotator.attribution import available_languages

    if lang is not None and lang not in available_languages():
        raise click.BadParameter(
            f"no lexicon for {lang!r} (available: {', '.join(available_languages())})", param_hint="--lang"
        )


# --- attribute: JSONL in, JSONL out, no database (README "Attributing at scale") ----------


@cli.command(context_settings={"max_content_width": 100})
@click.argument("in_path", metavar="[IN]", default="-", required=False)
@click.argument("out_path", metavar="[OUT]", default="-", required=False)
@click.option("--lang", metavar="CODE",
              help="Use this language's lexicon for every document  [default: each document's language, else detected]")
@click.option("--scope", type=click.Choice(SCOPES), default="all", show_default=True,
              help="all: every quotation; public: only speakers named as public figures (PFSA-ID's convention).")
@click.option("--type", "types", multiple=True, type=click.Choice(QUOTE_TYPES),
              help="Keep only quotes of this type (repeatable).")
@click.option("--jobs", type=click.IntRange(min=0), default=1, show_default=True, metavar="N",
              help="Attribute in N worker processes (0: one per core).")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of IN.")
@click.option("--force", is_flag=True, help="Replace an OUT that no earlier run wrote, or that was changed since.")
@click.pass_context
def attribute(ctx, in_path, out_path, lang, scope, types, jobs, encoding, force):
    """Attribute quotes without a database: IN's documents, each with the built-in attributor's quotes, to OUT.

    \b
    IN and OUT are JSONL in the interchange format (docs/format.md); '-' or
    nothing is standard input or output. Each line is read as import reads
    it; its quotes are replaced by those predict would store for it (with
    the same --lang, --scope and --type), its other keys kept, and the lines
    go out in input order. Memory stays flat whatever the size of IN.
    \b
    A bad line is one sentence naming IN and the line, and exit status 1. An
    OUT file appears complete or not at all (written beside itself, renamed
    at the end); standard output is a stream, and the lines before a bad one
    have gone out. An OUT that no earlier run wrote is replaced only with
    --force. A document the attributor fails on goes out with no quotes and
    is named on standard error, and the exit status is 1.
    """
    from annotator.session.attribute import AttributeOptions, attribute_file
    from annotator.session.workers import WorkerDied, all_cores

    check_language(lang)
    options = AttributeOptions(lang, scope, tuple(dict.fromkeys(types)))
    target = None if out_path == "-" else Path(out_path)
    guard = Guard(database_files(ctx.find_object(Context).db), force)
    jobs = jobs or all_cores()
    try:
        with progress(redraw_thread=jobs == 1) as bar:
            task = bar.add_task("attributing", total=None)
            done = attribute_file(in_path, target, options, guard, jobs=jobs, encoding=encoding,
                                  on_document=lambda: bar.update(task, advance=1, refresh=jobs > 1))
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    except WorkerDied as exc:
        raise click.ClickException(f"{exc}; nothing was written" if target is not None else str(exc)) from None
    if target is not None:
        console.print(shown(f"attributed {counted(done.documents, 'document')}, {counted(done.quotes, 'quote')} "
                            f"to {out_path}"))
    for failure in done.failures[:SKIPS_SHOWN]:
        print_note(f"no quotes for {failure}")
    if len(done.failures) > SKIPS_SHOWN:
        print_note(f"… and {len(done.failures) - SKIPS_SHOWN} more documents without quotes")
    if done.failures:  # their lines went out without quotes; a pipeline still learns that the run is incomplete
        ctx.exit(1)


# --- evaluate and agreement (docs/metrics.md) -------------------------------------


def without_cycle_collection(command):
    """A command that reads and scores millions of small objects among which are no reference cycles:
    Python's cyclic collector, left running, scans them again and again as they pile up (2 of the 7
    seconds of `evaluate` of 100,000 quotes, bench/evaluate.py) and finds nothing. Reference counting
    frees them as usual; the collector runs again once the command is done. The whole command, not only
    the reading and scoring that ``evaluate_sources`` pauses it for: the bootstrap and the report too."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        from annotator.session.sources import collector_paused

        with collector_paused():
            return command(*args, **kwargs)

    return run


@cli.command()
@click.option("--gold", required=True, metavar="ANNOTATOR|FILE.jsonl",
              help="Gold labels: an annotator in the database (the documents they marked done) or a JSONL file.")
@click.option("--pred", required=True, metavar="RUN|FILE.jsonl",
              help="Predictions: a run in the database (or another annotator's labels) or a JSONL file.")
@click.option("--json", "as_json", is_flag=True, help="Write the JSON object of docs/metrics.md instead of tables.")
@click.option("--errors", "show_errors", is_flag=True,
              help="List false positives, misses, wrong speakers, boundary errors, wrong cues and wrong roles "
                   "in context.")
@click.option("--errors-json", "errors_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every error to FILE as JSON, one object a line, each with its kind.")
@click.option("--force", is_flag=True,
              help="With --errors-json: replace a FILE that no earlier run wrote, or that was changed since "
                   "(never the database).")
@click.option("--components", "show_components", is_flag=True,
              help="Also show exact-span and token P/R/F1 of content, cue and source (always in --json).")
@click.option("--by", "by", multiple=True, metavar="type|doc|kind|role_category|speaker_resolved|FIELD",
              help="Breakdowns (repeatable; default: type): by quote type, document, the speaker's kind, "
                   "or any other quote field or document meta key.")
@click.option("--all-documents", is_flag=True,
              help="With a gold annotator, also score the documents they have not marked done.")
@click.option("--context", default=60, show_default=True, metavar="CHARS",
              help="Characters of context on each side of an error.")
@click.option("--bootstrap", "replicates", type=click.IntRange(min=1), metavar="N",
              help="Add 95% intervals to every figure: percentile bootstrap over documents, N replicates.")
@click.option("--seed", default=0, show_default=True, help="Seed of the bootstrap's resampling.")
@click.pass_context
@without_cycle_collection
def evaluate(ctx, gold, pred, as_json, show_errors, errors_path, force, show_components, by, all_documents, context,
             replicates, seed):
    """Score predictions against gold labels: spans, speakers, cues and roles (docs/metrics.md)."""
    from annotator.evaluation.report import errors_report, evaluation_report
    from annotator.evaluation.uncertainty import bootstrap
    from annotator.session.error_file import write_errors
    from annotator.session.provenance import evaluation_settings, provenance
    from annotator.session.sources import SourceError, evaluate_sources

    if force and errors_path is None:
        raise click.UsageError("--force goes with --errors-json")
    guard = Guard(database_files(ctx.find_object(Context).db), force)
    if errors_path is not None:
        try:  # refused before the scoring, not after it (write_errors checks again when it renames)
            check_file_target(errors_path, guard)
        except ExportError as exc:
            raise click.ClickException(str(exc)) from None

    by = tuple(dict.fromkeys(by)) or ("type",)
    try:
        result = evaluate_sources(gold, pred, database(ctx), all_documents,
                                  on_note=print_note, by=by).result
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None
    if errors_path is not None:
        try:
            written = write_errors(errors_path, result.errors(), context, guard)
        except ExportError as exc:
            raise click.ClickException(str(exc)) from None
        console.print(shown(f"wrote {counted(written, 'error')} to {errors_path}"))
    intervals = bootstrap(result, replicates, seed) if replicates else None
    if as_json:
        data = result.as_json()
        if intervals is not None:
            data = intervals.add_to(data)
        if show_errors:
            data["errors"] = [e.as_json(context) for e in result.errors()]
        data["provenance"] = provenance(gold, pred, database(ctx), evaluation_settings(ctx.params))
        click.echo(json_text(data))
        return
    out.print(evaluation_report(result, gold, pred, by, intervals, components=show_components))
    if show_errors:
        out.print()
        out.print(errors_report(result.errors(), context))


@cli.command()
@click.option("--gold", required=True, metavar="ANNOTATOR|FILE.jsonl",
              help="Gold labels: an annotator in the database (the documents they marked done) or a JSONL file.")
@click.option("--pred", "preds", required=True, multiple=True, metavar="RUN|FILE.jsonl",
              help="A system's predictions, twice: A first, then B (a run, an annotator or a JSONL file).")
@click.option("--json", "as_json", is_flag=True, help="Write JSON instead of a table.")
@click.option("--bootstrap", "replicates", default=1000, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="Replicates of the paired bootstrap behind each difference's 95% interval.")
@click.option("--permutations", default=10000, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="Shuffles of the approximate randomisation test behind each p-value.")
@click.option("--seed", default=0, show_default=True, help="Seed of the resampling and the shuffles.")
@click.option("--all-documents", is_flag=True,
              help="With a gold annotator, also score the documents they have not marked done.")
@click.pass_context
@without_cycle_collection
def compare(ctx, gold, preds, as_json, replicates, permutations, seed, all_documents):
    """Compare two systems on the same gold, document by document: B − A for each headline figure, its 95%
    interval and a p-value (docs/metrics.md §6a).

    annotator compare --gold gold.jsonl --pred baseline.jsonl --pred builtin
    """
    from annotator.evaluation.report import comparison_report
    from annotator.session.sources import SourceError, compare_sources

    if len(preds) != 2:
        raise click.UsageError("name two systems: --pred A --pred B")

    try:
        comparison = compare_sources(gold, *preds, database(ctx), replicates, permutations, seed, all_documents,
                                     on_note=print_note)  # fmt: skip
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json_text(comparison.as_json()))
        return
    out.print(comparison_report(gold, comparison))


@cli.command()
@click.argument("names", nargs=-1, metavar="[A B ...]")
@click.option("--files", "files", is_flag=True, help="NAMES are JSONL files, one annotator each (named by file stem).")
@click.option("--json", "as_json", is_flag=True, help="Write JSON instead of tables.")
@click.option("--by", "by", type=click.Choice(["doc"]), help="Also show agreement per document.")
@click.pass_context
def agreement(ctx, names, files, as_json, by):
    """Agreement between annotators over the documents both marked done (every pair when none are named),
    and Krippendorff's α of them all.

    With --files, between JSONL files instead: annotator agreement --files A.jsonl B.jsonl
    """
    from annotator.evaluation.report import agreement_report, mean_over_pairs
    from annotator.session.sources import (
        SourceError,
        agreement_layers,
        alpha_agreement,
        disagreement_kinds,
        pairwise_agreement,
    )

    if len(names) == 1:
        raise click.UsageError("name two annotators (or none for every pair)")
    if files and len(names) < 2:
        raise click.UsageError("--files needs at least two JSONL files")
    try:
        layers = agreement_layers(list(names), files, database(ctx))
        results = pairwise_agreement(layers)
        alpha = alpha_agreement(layers)
        kinds = disagreement_kinds(layers)
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None
    shared = "document id" if files else "document marked done by both"
    if not alpha.documents:
        raise click.ClickException(f"nothing to compare: no two annotators share a {shared}")
    for r in results:
        if not r.overall.documents:
            console.print(shown(f"warning: {r.a} and {r.b} share no {shared}; their pair is left out of the mean"))
    if as_json:
        data = {
            "pairs": [r.as_json() for r in results],
            "mean_of_pairs": mean_over_pairs(results),
            "krippendorff_alpha": alpha.as_json(),
            "disagreements": kinds.as_json(),
        }
        click.echo(json_text(data))
        return
    out.print(agreement_report(results, alpha, by_doc=by == "doc", kinds=kinds))


@cli.command()
@click.argument("annotators", nargs=-1, required=True, metavar="A B [C ...]")
@click.option("--into", "into", required=True, metavar="NAME",
              help="The annotator the reconciled labels go to (e.g. gold).")
@click.option("--doc", "doc_ids", multiple=True, metavar="ID",
              help="Only this document (repeatable), whatever its status.")
@click.option("--auto", is_flag=True,
              help="No screen: write what all agree on, mark settled documents done, report the rest.")
@click.option("--majority", is_flag=True, help="With --auto: also take what more than half of the annotators agree on.")
@click.option("--json", "as_json", is_flag=True, help="With --auto: a JSON report.")
@click.pass_context
def adjudicate(ctx, annotators, into, doc_ids, auto, majority, as_json):
    """Reconcile annotators A, B … into one layer, NAME (README "Adjudicating").

    Opens the adjudication screen on the documents every annotator marked done and NAME has not; what all
    agree on is written to NAME at once, and one key settles each disagreement.
    """
    from annotator.session import Workspace
    from annotator.session.adjudication import Adjudication, AdjudicationError, auto_adjudicate

    for name in (*annotators, into):
        text_name(name, "an annotator name")
    if (majority or as_json) and not auto:
        raise click.UsageError("--majority and --json go with --auto")
    try:
        job = Adjudication(open_store(ctx), annotators, into, doc_ids)
        documents = job.documents()
    except AdjudicationError as exc:
        raise click.ClickException(str(exc)) from None
    if not documents:
        message = (f"no document to adjudicate: none is marked done by all of {', '.join(annotators)} "
                   f"and not yet done by {into}")
        if auto and as_json:
            click.echo(json_text({"annotators": list(annotators), "into": into, "majority": majority,
                                  "documents": []}))
        else:
            console.print(shown(message))
        if not auto:
            ctx.exit(1)
        return
    if auto:
        results = [auto_adjudicate(job.store, annotators, into, doc_id, majority) for doc_id in documents]
        if as_json:
            click.echo(json_text({"annotators": list(annotators), "into": into, "majority": majority,
                                  "documents": [r.as_json() for r in results]}))
            return
        out.print(adjudication_report(results, into))
        return
    from annotator.tui.app import AnnotatorApp
    from annotator.tui.config import KeysError

    try:
        app = AnnotatorApp(Workspace(job.store, into, run=None), doc_id=documents[0], adjudication=job)
    except KeysError as exc:
        raise click.ClickException(str(exc)) from None
    app.run()
    left = job.documents() if not doc_ids else [d for d in documents if job.store.status(d, into) != "done"]
    console.print(shown(f"{into}: {len(documents) - len(left)} of {counted(len(documents), 'document')} adjudicated "
                        f"this time, {len(left)} left"))


def adjudication_report(results, into: str) -> Table:
    """One row per document: labels written, done or not, and what is left to settle by kind."""
    from annotator.evaluation.adjudication import KINDS

    def left(counts: dict[str, int]) -> str:
        return ", ".join(f"{kind.replace('_', ' ')} {counts[kind]}" for kind in KINDS if counts.get(kind)) or "—"

    table = Table(title=shown(f"adjudicated into {into}"), title_justify="left")
    table.add_column("document", max_width=40, overflow="fold")
    table.add_column("written", justify="right", no_wrap=True)
    table.add_column("done", no_wrap=True)
    table.add_column("left to settle, by kind", min_width=24)
    for r in results:
        table.add_row(shown(r.doc_id), str(r.written), "yes" if r.done else "no", left(r.left))
    total = {kind: sum(r.left.get(kind, 0) for r in results) for kind in KINDS}
    table.add_row("all", str(sum(r.written for r in results)), f"{sum(r.done for r in results)}/{len(results)}",
                  left(total), style="bold")
    return table


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--doc", "doc_id", metavar="ID", help="Open this document directly.")
@click.option("--candidates", "run", default="builtin", show_default=True, metavar="RUN",
              help="The run whose predictions become your pending candidates.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the input files.")
@click.option("--ask-name", is_flag=True,
              help="Ask for the annotator's name first (as each browser visit of 'annotator serve' does).")
@click.pass_context
def annotate(ctx, paths, doc_id, run, encoding, ask_name):
    """Open the annotation TUI (importing and pre-annotating PATHs first).

    Keys are remappable in $XDG_CONFIG_HOME/annotator/keys.toml (see the README).
    """
    from annotator.attribution import get_attributor
    from annotator.session import Workspace
    from annotator.session.imports import check_paths
    from annotator.tui.app import AnnotatorApp
    from annotator.tui.config import KeysError

    check_paths(paths)  # before the database is opened (or created) for nothing
    obj = ctx.find_object(Context)
    # The built-in attributor fills only its own run.
    workspace = Workspace(open_store(ctx), obj.annotator, run=run,
                          predictor=get_attributor() if run == "builtin" else None)
    if paths:
        report = run_import(workspace.store, paths, None, None, False, encoding)
        print_import_report(report)
        given = [*report.imported, *report.updated, *report.unchanged]
        if workspace.predictor is not None:
            find_candidates(workspace, given)
        if doc_id is None:  # open the first of these documents still to do
            doc_id = workspace.first_to_do(given)
    if doc_id is not None and not workspace.has_document(doc_id):
        raise KeyError(doc_id)
    if not workspace.count_documents():
        raise click.ClickException("the database has no documents yet; give PATHs to import "
                                   "(annotator annotate seeds/)")
    try:
        app = AnnotatorApp(workspace, doc_id=doc_id, ask_name=ask_name)
    except KeysError as exc:
        raise click.ClickException(str(exc)) from None
    app.run()


# --- the annotation app in a browser (README, "In a browser") ----------------------------


def is_loopback(host: str) -> bool:
    """Whether every address the host name stands for is on this machine only (127.0.0.0/8, ::1); a ClickException
    for a name that stands for no address, before anything is printed."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host or None, 0, flags=socket.AI_PASSIVE)}
    except (socket.gaierror, ValueError):  # ValueError: a NUL, or a name IDNA cannot encode
        raise click.ClickException(f"--host {host}: no such host or address") from None
    return all(ipaddress.ip_address(address.split("%")[0]).is_loopback for address in addresses)


def default_public_url(host: str, port: int) -> str:
    """Where browsers reach the server when no --public-url says: the host, or this machine's name when the
    server listens on every address (0.0.0.0, ::), which no browser elsewhere can connect to."""
    if host in ("", "0.0.0.0", "::"):
        host = socket.getfqdn()
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on: this machine only by default (there is no login).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The port to listen on.")
@click.option("--annotator", metavar="NAME",
              help="Every visit annotates as NAME (by default each visit asks for its name first).")
@click.option("--public-url", metavar="URL",
              help="The address browsers open, when it is not http://HOST:PORT (an authenticating proxy's): "
                   "the page connects back to it.")
@click.pass_context
def serve(ctx, host, port, annotator, public_url):
    """Serve the annotation app to browsers: each visit runs 'annotator annotate' on the database.

    \b
    There is no login: anyone who reaches the address can read and change
    every annotator's labels. It listens on this machine only unless --host
    says otherwise; for a team, put it behind an authenticating proxy.
    """
    if importlib.util.find_spec("textual_serve") is None:
        raise click.ClickException("annotator serve needs textual-serve: pip install 'annotator[serve]'")
    from annotator.tui.serve import AppServer, visit_command

    obj = ctx.find_object(Context)
    if annotator is None and ctx.parent.get_parameter_source("annotator") is ParameterSource.COMMANDLINE:
        annotator = obj.annotator  # annotator --annotator NAME serve
    text_name(annotator, "--annotator")
    db = os.path.abspath(obj.db)  # each visit's process opens it from the server's folder
    if not os.path.isfile(db):
        raise click.ClickException(f"{db}: no such database; import documents first (annotator import FILES)")
    with Store.open(db) as store:
        if not store.count_documents():
            raise click.ClickException(f"{db} has no documents yet; import some first (annotator import FILES)")
    loopback = is_loopback(host)
    url = public_url or default_public_url(host, port)
    console.print(shown(f"annotator serve: {db} at {url}, one process per visit; ctrl+c stops"))
    console.print(shown(f"Every visit annotates as {annotator}." if annotator is not None
                        else "Each visit asks for the annotator's name first."))
    console.print("No login: whoever reaches this address can read and change every annotator's labels. "
                  "A team should put it behind an authenticating proxy (README, \"In a browser\").", style="bold")
    if not loopback:
        console.print(shown(f"WARNING: --host {host} is reachable from other machines, and nothing asks who "
                            "they are. Put an authenticating proxy in front and listen on 127.0.0.1 only."),
                      style="bold red")
    AppServer(visit_command(db, annotator), host=host, port=port, title="annotator", public_url=url).serve()


# --- work assignment (README, "Team workflow: assign") ----------------------------------


def assignment_table(progress: dict[str, dict[str, int]]) -> Table:
    """Each assigned annotator's documents by status, as ``stats`` prints them."""
    table = Table(title="assignments", title_justify="left")
    for col in ("annotator", "assigned", "shared", "done", "in_progress", "skipped", "todo"):
        table.add_column(col, justify="left" if col == "annotator" else "right")
    for name, p in progress.items():
        table.add_row(shown(name), *(str(p[col]) for col in ("assigned", "shared", "done", "in_progress",
                                                             "skipped", "todo")))
    return table


@cli.command("assign")
@click.option("--annotators", "names", required=True, metavar="A,B,C",
              help="The annotators to deal the documents to, separated by commas.")
@click.option("--overlap", type=float, default=0.2, show_default=True,
              help="The fraction of the documents dealt to two annotators, for agreement (0 to 1).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the dealing: the same seed and "
              "documents give the same dealing.")
@click.option("--replace", is_flag=True,
              help="Deal every document again, except those an assigned annotator has started or finished.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def assign_(ctx, names, overlap, seed, replace, as_json):
    """Deal the documents out to annotators: equal shares, the --overlap fraction shared by two.

    \b
    A second assign deals only the documents nobody is assigned yet (new
    imports), keeping every annotator's total within one of the others';
    --replace deals the others again too, never one that an assigned
    annotator has started or finished. Each annotator's documents come
    first on their documents screen, where o opens the next one to do;
    stats shows progress against the assignment.
    """
    team = [name.strip() for name in names.split(",")]
    for name in team:
        text_name(name, "--annotators")
    report = assign(open_store(ctx), ctx.find_object(Context).annotator, team, overlap, seed, replace)
    if as_json:
        click.echo(json_text(report.as_json()))
        return
    if not report.dealt and not report.released:
        console.print("nothing to deal: every document is assigned already (--replace deals them again)")
    else:
        shared = f" ({report.shared} shared by two)" if report.shared else ""
        line = f"dealt {counted(report.dealt, 'document')}{shared} with seed {seed}, overlap {overlap:g}"
        if report.released:
            line += f"; {report.released} of them taken back from their earlier annotators"
        if report.kept:
            line += f"; {report.kept} kept as assigned before" + (" (started or finished)" if replace else "")
        console.print(line)
    table = Table(title="assignment", title_justify="left")
    for col in ("annotator", "documents", "shared", "new"):
        table.add_column(col, justify="left" if col == "annotator" else "right")
    for name, share in report.by_annotator.items():
        table.add_row(shown(name), str(share.assigned), str(share.shared), str(report.new[name]))
    out.print(table)


def main() -> None:
    cli(prog_name="annotator")
