"""The documents screen: this annotator's work list, loaded page by page.

Rows come from keyset pages of 100 (no document text is read unless a search
asks), fetched in a worker on a connection of its own; the next page loads
when the cursor comes near the end, so 100,000 documents open as fast as ten.
The documents assigned to the annotator (``annotator assign``) come first,
marked in a column of their own, and ``o`` opens the next of them to do.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, ProgressBar, Static
from textual.worker import get_current_worker

from annotator.model import DOC_STATUSES
from annotator.session import START, DocumentRow, LabelError, SchemaError, Workspace
from annotator.terminal import clip, counted
from annotator.tui.messages import HelpRequested, OpenDocument
from annotator.tui.widgets.lazy_table import LazyTable

PAGE = 100
FILTERS = (None, *DOC_STATUSES)
STATUS_STYLE = {"todo": "", "in_progress": "bold yellow", "done": "bold green", "skipped": "dim strike"}
# The table's columns: (heading, key, width), in the order of DocumentsScreen._cells.
COLUMNS = (("status", "status", 11), ("id", "id", 26), ("cand.", "candidates", 5), ("acc.", "accepted", 5),
           ("title", "title", 40))
# Shown first when documents are assigned to the annotator: a mark on each of theirs.
ASSIGNED_COLUMN = ("assigned", "assigned", 8)
ASSIGNED_MARK = "✓"


class DocumentsScreen(Screen):
    """Every document with this annotator's status and counts; enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="open", tooltip="open the highlighted document"),
        Binding("slash", "search", "Search", id="search_documents",
                tooltip="search ids, titles and texts"),
        Binding("f", "filter", "Filter", id="filter", tooltip="cycle the status filter"),
        Binding("o", "open_next", "Next to do", id="open_next",
                tooltip="open the next document to do (your assigned ones, if any)"),
        Binding("i", "set_status('in_progress')", "In progress", id="reopen_document",
                tooltip="set the highlighted document back to in progress (after done or skipped)"),
        Binding("S", "set_status('skipped')", "Skip", id="skip_document", show=False,
                tooltip="mark the highlighted document skipped"),
        Binding("question_mark,f1", "help", "Help", id="help", tooltip="this help"),
        Binding("q", "app.quit", "Quit", id="quit", tooltip="quit annotator"),
        Binding("escape", "clear", "Clear", id="clear", show=False, tooltip="clear the search"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.status_filter: str | None = None
        self.search = ""
        self.after = START  # the key of the last row loaded
        self.exhausted = False
        self.loading = False
        self.columns = self._columns()
        self.generation = 0  # bumps when the filter or search changes; stale pages are dropped
        self.out_of_date: set[str] = set()  # documents changed elsewhere since their rows were read
        self.reader: Workspace | None = None
        self.reader_lock = threading.Lock()
        self.reader_closed = False

    def compose(self) -> ComposeResult:
        yield Static(id="doc-title")
        with Horizontal(id="doc-progress"):
            yield ProgressBar(total=1, show_eta=False, id="progress")
            yield Static(id="progress-label")
        yield Input(placeholder="search ids, titles and texts — enter applies, esc clears", id="doc-search")
        table = LazyTable(id="documents", cursor_type="row", zebra_stripes=True)
        self._add_columns(table)
        yield table
        yield Static(id="doc-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#doc-search", Input).display = False
        self.query_one(DataTable).focus()
        self.reload()

    def mark_out_of_date(self, doc_id: str) -> None:
        """A document was opened or changed on another screen: its row is read again when this one shows."""
        self.out_of_date.add(doc_id)

    def on_screen_resume(self) -> None:
        """Back from documents: their rows and the progress are brought up to date in place."""
        self.refresh_out_of_date()

    def refresh_out_of_date(self) -> None:
        """The rows of the documents changed since they were read, and the progress, in place."""
        changed = sorted(self.out_of_date)
        self.out_of_date.clear()
        if not changed:
            return
        self.update_progress()
        table = self.query_one(DataTable)
        for row in self.workspace.documents_page(ids=changed, limit=len(changed)):
            if row.id in table.rows:
                for (_, key, _), value in zip(self.columns, self._cells(row), strict=True):
                    table.update_cell(row.id, key, value)

    def on_unmount(self) -> None:
        with self.reader_lock:
            self.reader_closed = True
            if self.reader is not None:
                self.reader.close()

    # --- loading ----------------------------------------------------------------------------

    def reload(self, keep_cursor: bool = False) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row if keep_cursor else 0
        self.generation += 1
        self.after = START
        self.exhausted = False
        self.loading = False
        columns = self._columns()
        if columns != self.columns:  # documents were assigned (or taken back) since the list was shown
            self.columns = columns
            table.clear(columns=True)
            self._add_columns(table)
        table.clear()
        self.update_progress()
        self.query_one("#doc-status", Static).update(Text("searching…" if self.search else "loading…"))
        self.load_page(self.generation, want=max(PAGE, keep + 1), cursor=keep)

    def _columns(self) -> tuple[tuple[str, str, int], ...]:
        return (ASSIGNED_COLUMN, *COLUMNS) if self.workspace.has_assignments() else COLUMNS

    def _add_columns(self, table: DataTable) -> None:
        for heading, key, width in self.columns:
            table.add_column(heading, key=key, width=width)

    def update_progress(self) -> None:
        progress = self.workspace.progress()
        bar = self.query_one(ProgressBar)
        bar.update(total=max(progress.total, 1), progress=progress.done)
        also = f" ({progress.skipped} skipped)" if progress.skipped else ""
        label = f" {progress.done} done of {counted(progress.total, 'document')}{also}"
        if progress.assigned:
            also = f", {progress.assigned_skipped} skipped" if progress.assigned_skipped else ""
            label += f"; assigned to you: {progress.assigned_done} done of {progress.assigned}{also}"
        self.query_one("#progress-label", Static).update(Text(label))
        title = Text(no_wrap=True)
        title.append(f" annotator: {self.workspace.annotator} ", style="bold reverse")
        title.append(f"  filter: {self.status_filter or 'all'}", style="bold")
        if self.search:
            title.append(f"  search: {clip(self.search, 40)}")
        self.query_one("#doc-title", Static).update(title)

    def _reader(self) -> Workspace:
        """The workspace on a connection of the worker's own (SQLite connections are not shared across threads)."""
        if self.reader is None:
            self.reader = self.workspace.on_own_connection()
        return self.reader

    @work(thread=True, exclusive=True, group="documents")
    def load_page(self, generation: int, want: int = PAGE, cursor: int | None = None) -> None:
        with self.reader_lock:  # one query at a time on the reader; never closed under a query
            if self.reader_closed:
                return
            try:
                rows = self._fetch(generation, want)
            except (sqlite3.Error, SchemaError, OSError) as exc:  # the file replaced or damaged meanwhile
                self.app.call_from_thread(self._unreadable, exc)
                return
        if rows is not None:
            self.app.call_from_thread(self._add_rows, generation, rows, len(rows) < want, cursor)

    def _unreadable(self, exc: Exception) -> None:
        self.loading = False
        self.query_one("#doc-status", Static).update(Text(f"the document list could not be read: {clip(str(exc), 200)}",
                                                          style="bold red"))

    def _fetch(self, generation: int, want: int) -> list[DocumentRow] | None:
        rows: list[DocumentRow] = []
        after = self.after
        reader = self._reader()
        while len(rows) < want:
            page = reader.documents_page(status=self.status_filter, search=self.search, after=after, limit=PAGE)
            rows += page
            if len(page) < PAGE:
                break
            after = page[-1].key
            if get_current_worker().is_cancelled or generation != self.generation:
                return None
        return rows

    def _add_rows(self, generation: int, rows: list[DocumentRow], exhausted: bool, cursor: int | None) -> None:
        if generation != self.generation:
            return
        table = self.query_one(DataTable)
        for row in rows:
            table.add_row(*self._cells(row), key=row.id)
        if rows:
            self.after = rows[-1].key
        self.exhausted = exhausted
        self.loading = False
        if cursor is not None and table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        shown = table.row_count
        more = "" if exhausted else "+ (more load as you scroll)"
        self.query_one("#doc-status", Static).update(
            Text(f"{shown}{more} {'document' if shown == 1 and not more else 'documents'} shown"
                 if shown else "no documents match")
        )

    def _cells(self, row: DocumentRow) -> tuple[Text, ...]:
        assigned = ()
        if self.columns[0] == ASSIGNED_COLUMN:
            assigned = (Text(ASSIGNED_MARK if row.assigned else "", justify="center"),)
        return (
            *assigned,
            Text(row.status, style=STATUS_STYLE.get(row.status, "")),
            Text(clip(row.id, 26)),
            Text(str(row.candidates), justify="right"),
            Text(str(row.accepted), justify="right"),
            Text(clip(row.title, 40)),
        )

    def on_lazy_table_near_end(self, event: LazyTable.NearEnd) -> None:
        if not self.exhausted and not self.loading and self.query_one(LazyTable).near_end:
            self.loading = True
            self.load_page(self.generation)

    # --- actions ----------------------------------------------------------------------------

    def current_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value

    def action_open(self) -> None:
        doc_id = self.current_id()
        if doc_id is not None:
            self.post_message(OpenDocument(doc_id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(OpenDocument(event.row_key.value))

    def action_open_next(self) -> None:
        doc_id = self.workspace.next_to_do()
        if doc_id is None:
            self.notify(self.workspace.nothing_left(), markup=False)
            return
        self.post_message(OpenDocument(doc_id))

    def action_set_status(self, status: str) -> None:
        """The highlighted document's status, one undoable change (u on the document undoes it)."""
        doc_id = self.current_id()
        if doc_id is None:
            return
        try:
            changed = self.workspace.set_status(doc_id, status)
        except (LabelError, sqlite3.Error) as exc:
            self.query_one("#doc-status", Static).update(Text(f"not saved, nothing changed: {exc}"))
            self.app.bell()
            return
        shown = status.replace("_", " ")
        self.mark_out_of_date(doc_id)
        self.refresh_out_of_date()
        self.query_one("#doc-status", Static).update(
            Text(f"saved: {clip(doc_id, 40)} is {shown}" if changed else f"{clip(doc_id, 40)} is already {shown}")
        )

    def action_filter(self) -> None:
        self.status_filter = FILTERS[(FILTERS.index(self.status_filter) + 1) % len(FILTERS)]
        self.reload()

    def action_search(self) -> None:
        search = self.query_one("#doc-search", Input)
        search.display = True
        search.value = self.search
        search.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.search = event.value.strip()
        event.input.display = False
        self.query_one(DataTable).focus()
        self.reload()

    def action_clear(self) -> None:
        search = self.query_one("#doc-search", Input)
        search.display = False
        self.query_one(DataTable).focus()
        if self.search:
            self.search = ""
            self.reload()

    def action_help(self) -> None:
        self.post_message(HelpRequested(self))
