"""CSV: documents in (``id,text`` columns), quotes out (one row per quote).

**Reading** takes ``id`` and ``text`` columns, an optional ``lang`` and any
metadata columns (title, source, url, date, …), strictly (see ``read_csv``).

**Writing** is for spreadsheets and dataframes: RFC 4180 CSV in UTF-8 with a
header row: fields holding a comma, a ``"``, a tab or a line break are quoted
(``"`` doubled), rows end with CRLF, and line breaks inside a quote's text stay
inside its (quoted) cell. An empty cell means "none". Documents without quotes
have no rows.

``excel=True`` is for opening the file by double-click in a spreadsheet: a
UTF-8 byte-order mark (so Excel reads UTF-8) and, against formula injection,
a leading ``'`` on every text cell that starts with ``=``, ``+``, ``-``, ``@``,
tab or carriage return (OWASP's advice). That changes those cells' data, so it
is off by default: the plain file holds the labels exactly.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from annotator.formats.errors import InputError
from annotator.formats.inputs import Item, read_normalised
from annotator.model import AnnotatedDocument, Document, Owner, Quote, quote_order
from annotator.text import sha256

# --- writing ---------------------------------------------------------------

# The columns of an export, in order (listed in the README, section "Export formats").
COLUMNS = (
    "doc_id", "start", "end", "type", "text",
    "cue_start", "cue_end", "cue_text",
    "speaker_name", "speaker_kind", "speaker_aliases",
    "mention_start", "mention_end", "mention_text",
    "role", "role_category", "via",
    "annotator", "run",
)
NUMERIC = frozenset({"start", "end", "cue_start", "cue_end", "mention_start", "mention_end"})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def quote_row(doc_id: str, q: Quote, owner: Owner) -> dict[str, object]:
    """One quote as CSV cells (None for an absent value); speaker aliases as a JSON list."""
    sp = q.speaker
    mention = sp.mention if sp else None
    return {
        "doc_id": doc_id,
        "start": q.start,
        "end": q.end,
        "type": q.type,
        "text": q.text,
        "cue_start": q.cue.start if q.cue else None,
        "cue_end": q.cue.end if q.cue else None,
        "cue_text": q.cue.text if q.cue else None,
        "speaker_name": sp.name if sp else None,
        "speaker_kind": sp.kind if sp else None,
        "speaker_aliases": json.dumps(list(sp.aliases), ensure_ascii=False) if sp and sp.aliases else None,
        "mention_start": mention.start if mention else None,
        "mention_end": mention.end if mention else None,
        "mention_text": mention.text if mention else None,
        "role": q.role,
        "role_category": q.role_category,
        "via": q.via,
        "annotator": owner.name if owner.kind == "annotator" else None,
        "run": owner.name if owner.kind == "run" else None,
    }


def _guard(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


class CsvWriter:
    """Streams rows to an open text handle (opened with ``newline=""``)."""

    def __init__(self, handle: IO[str], owner: Owner, excel: bool = False):
        self.owner = owner
        self.excel = excel
        self.quotes = 0
        if excel:
            handle.write("\ufeff")
        self._csv = csv.writer(handle)
        self._csv.writerow(COLUMNS)

    def write(self, ad: AnnotatedDocument) -> None:
        for q in sorted(ad.quotes, key=quote_order):
            row = quote_row(ad.document.id, q, self.owner)
            cells = []
            for col in COLUMNS:
                value = row[col]
                if value is None:
                    cells.append("")
                elif self.excel and col not in NUMERIC:
                    cells.append(_guard(str(value)))
                else:
                    cells.append(value)
            self._csv.writerow(cells)
            self.quotes += 1

    def close(self) -> None:
        pass


# --- reading ---------------------------------------------------------------


def read_csv(path: Path, encoding: str) -> Iterator[Item]:
    """``id,text`` plus optional ``lang`` and metadata columns (title, source, url, date, …).

    Strict RFC 4180: every header cell named, no name twice, every row as many
    cells as the header, and every quoted cell closed where a cell may end — an
    unclosed quotation mark would otherwise swallow the rest of the file into one cell.
    """
    csv.field_size_limit(sys.maxsize)
    content = read_normalised(path, encoding)
    if not content.strip():
        raise InputError(path, "is empty")
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    header = _csv_record(path, content, reader) or []
    columns: dict[str, int] = {}
    for n, name in enumerate(header, 1):
        if not name.strip():
            raise InputError(path, f"has a header whose column {n} has no name", 1)
        if name in columns:
            raise InputError(path, f"has two columns named {name!r} (columns {columns[name]} and {n})", 1)
        columns[name] = n
    missing = [c for c in ("id", "text") if c not in columns]
    if missing:
        separator = "; are its cells separated by ';' or tabs? commas are read" if len(header) == 1 else ""
        raise InputError(path, f"has no {' and no '.join(missing)} column (header: {', '.join(header)}){separator}", 1)
    while True:
        line = reader.line_num + 1  # where the next record starts
        row = _csv_record(path, content, reader)
        if row is None:
            return
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line
        if len(row) != len(header):
            more = "more" if len(row) > len(header) else "fewer"
            raise InputError(
                path, f"has a row of {len(row)} cells, {more} than the {len(header)} columns of the header", line
            )
        cells = dict(zip(header, row, strict=True))
        doc_id = cells["id"].strip()
        text = cells["text"]
        if not doc_id:
            raise InputError(path, "has a row with an empty id", line)
        if not text.strip():
            raise InputError(path, f"document {doc_id!r} has an empty text", line)
        meta = {k: v for k, v in cells.items() if k not in ("id", "text", "lang") and v}
        doc = Document(id=doc_id, text=text, lang=cells.get("lang") or None, meta=meta, sha256=sha256(text))
        yield f"{path}, line {line}", AnnotatedDocument(doc)


def _csv_record(path: Path, content: str, reader) -> list[str] | None:
    """The next record, None at the end, or InputError naming the line where a bad quotation mark opened."""
    line = reader.line_num + 1
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        opened = _open_quote_line(content, line)
        if str(exc) == "unexpected end of data":
            raise InputError(path, "has a quotation mark that is never closed (the rest of the file would be one cell)",
                             opened) from None
        raise InputError(
            path, f"has a quoted cell that does not end where a cell may end ({exc}, line {reader.line_num}); "
            'a quotation mark is missing, or one inside a cell is not doubled ("")', opened,
        ) from None


def _open_quote_line(content: str, line: int) -> int:
    """The line of the quotation mark that opened the cell in trouble, scanning from the record starting at ``line``."""
    pos = 0
    for _ in range(line - 1):
        pos = content.index("\n", pos) + 1
    opened = pos
    while (quote := content.find('"', pos)) != -1:
        if quote == pos or content[quote - 1] in ",\n":  # a cell starting with a quotation mark
            opened = quote
            close = quote + 1
            while (close := content.find('"', close)) != -1 and content.startswith('""', close):
                close += 2
            if close == -1 or content[close + 1 : close + 2] not in ("", ",", "\n"):
                break  # never closed, or closed in the middle of a cell
            pos = close + 1
        else:
            pos = quote + 1
    return content.count("\n", 0, opened) + 1
