"""CSV export: one row per quote, for spreadsheets and dataframes.

RFC 4180 CSV in UTF-8 with a header row: fields holding a comma, a ``"``,
a tab or a line break are quoted (``"`` doubled), rows end with CRLF, and line
breaks inside a quote's text stay inside its (quoted) cell. An empty cell means
"none". Documents without quotes have no rows.

``excel=True`` is for opening the file by double-click in a spreadsheet: a
UTF-8 byte-order mark (so Excel reads UTF-8) and, against formula injection,
a leading ``'`` on every text cell that starts with ``=``, ``+``, ``-``, ``@``,
tab or carriage return (OWASP's advice). That changes those cells' data, so it
is off by default: the plain file holds the labels exactly.
"""

from __future__ import annotations

import csv
import json
from typing import IO

from annotator.model import AnnotatedDocument, Owner, Quote, quote_order

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
