"""Reading the tables and code blocks of the Markdown documents, to test them against the code."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Table:
    """One pipe table: the headings it sits under (outermost first), its column names and its rows."""

    headings: tuple[str, ...]
    columns: tuple[str, ...]
    rows: list[dict[str, str]]


def _cells(line: str) -> list[str]:
    # a pipe inside backticks is escaped as \| in the tables
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def tables(text: str) -> list[Table]:
    """Every table of a Markdown text, outside code blocks."""
    found: list[Table] = []
    headings: list[str] = []
    block: list[str] = []
    fenced = False
    for line in [*text.splitlines(), ""]:
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("|"):
            block.append(line)
            continue
        if len(block) >= 2:
            columns = tuple(_cells(block[0]))
            rows = [dict(zip(columns, _cells(row), strict=True)) for row in block[2:]]
            found.append(Table(tuple(headings), columns, rows))
        block = []
        heading = re.match(r"(#+) (.*)", line) if not fenced else None
        if heading:
            level = len(heading.group(1))
            headings[level - 1:] = [heading.group(2).strip()]
    return found


def code_blocks(text: str, language: str) -> list[str]:
    """The contents of the fenced code blocks marked with ``language``."""
    return re.findall(rf"^```{re.escape(language)}\n(.*?)^```", text, flags=re.M | re.S)
