"""The documents screen: this annotator's work list, loaded page by page.

Rows come from keyset pages of 100 (no document text is read unless a search
asks), fetched in a worker on a connection of its own; the next page loads
when the cursor comes near the end, so 100,000 documents open as fast as ten.
The table holds a window of at most five pages: pages far behind are dropped
and read again when scrolled back to, so memory stays flat however far one
scrolls; Home and End read the first or the last page afresh.
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
from annotator.session import END, START, DocumentRow, LabelError, SchemaError, Workspace
from annotator.terminal import clip, counted
from annotator.tui.messages import HelpRequested, OpenDocument
from annotator.tui.widgets.lazy_table import NEAR, LazyTable

PAGE = 100
WINDOW = 5 * PAGE  # rows the table holds at most: pages far from the cursor are dropped, read again if wanted
NEW_DOCUMENTS_CHECK = 3.0  # seconds between looks for documents another process imported
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
        self.rows: list[DocumentRow] = []  # the window of the list the table holds, in order
        self.at_start = True  # the window starts at the list's first row
        self.exhausted = False  # the window ends at the list's last row
        self.fetching = False  # a page is being read (not Widget.loading, which would mount a spinner each time)
        self.columns = self._columns()
        self.generation = 0  # bumps when the list starts again (filter, search, Home, End); stale pages are dropped
        self.out_of_date: set[str] = set()  # documents changed elsewhere since their rows were read
        self.version: tuple[int, int] | None = None  # documents_version when the list was last read
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
        self.set_interval(NEW_DOCUMENTS_CHECK, self.check_for_new_documents)

    @property
    def table(self) -> LazyTable:
        return self.query_one(LazyTable)

    def mark_out_of_date(self, doc_id: str) -> None:
        """A document was opened or changed on another screen: its row is read again when this one shows."""
        self.out_of_date.add(doc_id)

    def on_screen_resume(self) -> None:
        """Back from a document: the rows in sight, those changed, the progress and the documents another
        process imported meanwhile are brought up to date in place."""
        self.refresh_rows()
        self.check_for_new_documents()

    def refresh_rows(self) -> None:
        """The rows in sight and those of documents changed elsewhere, and the progress, read again in place."""
        if not self.rows:
            self.out_of_date.clear()
            return
        table = self.table
        top = int(table.scroll_y)
        ids = {row.id for row in self.rows[top: top + table.size.height + 1]}
        ids |= {doc_id for doc_id in self.out_of_date if doc_id in table.rows}
        self.out_of_date.clear()
        self.update_progress()
        for row in self.workspace.documents_page(ids=sorted(ids), limit=len(ids)):
            if row.id in table.rows:
                self.rows[table.get_row_index(row.id)] = row
                for (_, key, _), value in zip(self.columns, self._cells(row), strict=True):
                    table.update_cell(row.id, key, value)

    def check_for_new_documents(self) -> None:
        """Every few seconds while the list shows, and on coming back to it: documents another process
        imported are counted in the progress and, when the list was read to its end, loaded after it."""
        if self.app.screen is not self or self.version is None:
            return
        version = self.workspace.documents_version()
        if version == self.version:
            return
        self.version = version
        self.update_progress()
        if self.exhausted and not self.fetching:
            self.exhausted = False
            self._load(after=True)

    def on_unmount(self) -> None:
        with self.reader_lock:
            self.reader_closed = True
            if self.reader is not None:
                self.reader.close()

    # --- loading ----------------------------------------------------------------------------

    def reload(self, from_end: bool = False) -> None:
        """The list read again from its first page (or, ``from_end``, its last), the cursor there."""
        table = self.table
        self.generation += 1
        self.rows = []
        self.at_start = not from_end
        self.exhausted = False
        self.fetching = False
        self.version = self.workspace.documents_version()
        table.target = None
        columns = self._columns()
        if columns != self.columns:  # documents were assigned (or taken back) since the list was shown
            self.columns = columns
            table.clear(columns=True)
            self._add_columns(table)
        table.clear()
        self._sync_edges()
        self.update_progress()
        self.query_one("#doc-status", Static).update(Text("searching…" if self.search else "loading…"))
        self._load(after=not from_end, cursor=-1 if from_end else 0)

    def _load(self, after: bool, want: int = PAGE, cursor: int | None = None) -> None:
        """The ``want`` rows after the window (or before it) in a worker; ``cursor`` (from the end when
        negative) goes where given once they are shown."""
        self.fetching = True
        edge = (self.rows[-1] if after else self.rows[0]) if self.rows else None
        anchor = edge.key if edge is not None else START if after else END
        self.load_page(self.generation, want, after, anchor, cursor)

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
        title.append(f" annotator: {clip(self.workspace.annotator, 40)} ", style="bold reverse")
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
    def load_page(self, generation: int, want: int, after: bool, anchor: tuple[int, int], cursor: int | None) -> None:
        with self.reader_lock:  # one query at a time on the reader; never closed under a query
            if self.reader_closed:
                return
            try:
                rows = self._fetch(generation, want, after, anchor)
            except (sqlite3.Error, SchemaError, OSError) as exc:  # the file replaced or damaged meanwhile
                self.app.call_from_thread(self._unreadable, exc)
                return
        if rows is not None:
            self.app.call_from_thread(self._add_rows, generation, rows, len(rows) < want, after, cursor)

    def _unreadable(self, exc: Exception) -> None:
        self.fetching = False
        self.query_one("#doc-status", Static).update(Text(f"the document list could not be read: {clip(str(exc), 200)}",
                                                          style="bold red"))

    def _fetch(self, generation: int, want: int, after: bool, anchor: tuple[int, int]) -> list[DocumentRow] | None:
        rows: list[DocumentRow] = []
        reader = self._reader()
        while len(rows) < want:
            if after:
                page = reader.documents_page(status=self.status_filter, search=self.search, after=anchor, limit=PAGE)
                rows += page
            else:
                page = reader.documents_page(status=self.status_filter, search=self.search, before=anchor,
                                             limit=PAGE)
                rows[:0] = page
            if len(page) < PAGE:
                break
            anchor = page[-1].key if after else page[0].key
            if get_current_worker().is_cancelled or generation != self.generation:
                return None
        return rows

    def _add_rows(self, generation: int, rows: list[DocumentRow], complete: bool, after: bool,
                  cursor: int | None) -> None:
        """Rows after (or before) the window; pages far from the cursor are dropped so that the table holds
        at most WINDOW rows, however far the list is scrolled."""
        if generation != self.generation:
            return
        self.fetching = False
        table = self.table
        if after:
            self.exhausted = complete
            window = self.rows + rows
            dropped = max(0, len(window) - WINDOW)  # from the top
            if dropped:
                self.at_start = False
            self._show(window[dropped:], -dropped, rows if not dropped else None)
        else:
            self.at_start = complete
            if not self.rows:  # the last page, from End
                self.exhausted = True
            window = rows + self.rows
            if len(window) > WINDOW:  # from the bottom
                window = window[:WINDOW]
                self.exhausted = False
            self._show(window, len(rows), None)
        if cursor is not None and table.row_count:
            table.move_cursor(row=cursor % table.row_count)
        self._sync_edges()
        self._say_shown()
        self._land()
        if not self.fetching:
            table.check_edges()  # still near an edge (a short page, the view scrolled far): the next page

    def _show(self, window: list[DocumentRow], shift: int, appended: list[DocumentRow] | None) -> None:
        """The table holding ``window``: rows added at its end, or all of it again with the cursor and the
        scroll moved by ``shift`` rows so that they stay on the same documents."""
        table = self.table
        self.rows = window
        table.placing = True  # each row added moves the cursor: no page is asked for meanwhile
        if appended is not None:
            for row in appended:
                table.add_row(*self._cells(row), key=row.id)
            table.placing = False
            return
        cursor, scroll = table.cursor_row, table.scroll_y
        table.clear()
        for row in window:
            table.add_row(*self._cells(row), key=row.id)
        if table.target is not None:
            table.target += shift
        if window:
            table.place(max(0, min(cursor + shift, len(window) - 1)), max(0, scroll + shift))
        else:
            table.placing = False

    def _sync_edges(self) -> None:
        table = self.table
        table.more_above = not self.at_start
        table.more_below = not self.exhausted

    def _land(self) -> None:
        """Take the cursor to the row a key aimed at before its page had come, or ask for that page."""
        table = self.table
        target = table.target
        if target is None or self.fetching:
            return
        if target >= table.row_count and not self.exhausted:
            self._load(after=True, want=target - table.row_count + 1 + NEAR)
            return
        if target < 0 and not self.at_start:
            self._load(after=False, want=-target + NEAR)
            return
        table.target = None
        if table.row_count:
            table.move_cursor(row=max(0, min(target, table.row_count - 1)))

    def _say_shown(self) -> None:
        shown = len(self.rows)
        if not shown:
            message = "no documents match"
        elif self.at_start and self.exhausted:
            message = f"{counted(shown, 'document')} shown"
        elif self.at_start:
            message = f"{shown}+ documents shown (more load as you scroll; end goes to the last)"
        else:
            message = (f"{shown} documents shown of a longer list (pages load and drop as you scroll; "
                       "home and end go to the first and the last)")
        self.query_one("#doc-status", Static).update(Text(message))

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
        if not self.exhausted and not self.fetching and (self.table.near_end or self.table.target is not None):
            self._load(after=True)

    def on_lazy_table_near_start(self, event: LazyTable.NearStart) -> None:
        if not self.at_start and not self.fetching and (self.table.near_start or self.table.target is not None):
            self._load(after=False)

    def on_lazy_table_jump(self, event: LazyTable.Jump) -> None:
        """Home and End: the first or last document, from the window when it holds it, else read afresh."""
        table = self.table
        if self.exhausted if event.to_end else self.at_start:
            if table.row_count:
                table.move_cursor(row=table.row_count - 1 if event.to_end else 0)
            return
        self.reload(from_end=event.to_end)

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
        self.refresh_rows()
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
