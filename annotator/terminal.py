"""Printing untrusted strings on the command line.

Ids, titles, names, roles, run names and paths come from users and files; the
command line prints them only through ``shown``: a Rich ``Text`` (never parsed
as markup, so ``[/]`` or ``[link=…]`` print as written) with every control,
escape and bidirectional character made visible (annotator.text.display_safe,
on one line). The command line's consoles print with markup off, so a message
that is ``shown`` whole is printed as written too. JSON output keeps its own
escaping (``json_text``).
"""

from __future__ import annotations

import json
import re

import msgspec
from rich.text import Text

from annotator.text import display_safe

# Characters JSON may carry raw that a terminal acts on, or that cannot be encoded: DEL and the C1
# controls, the bidirectional controls (Unicode's Bidi_Control), surrogates, the line and paragraph
# separators. Spelled out for ``re``, which scans a large evaluation's JSON seven times faster than
# ``regex`` would with the property names (a test checks the two agree on every code point).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\u2028\u2029]")


def shown(value: object, style: str = "") -> Text:
    """An untrusted value as it may reach the terminal: literal, visible, on one line."""
    return Text(display_safe(str(value), one_line=True), style=style)


def json_text(data: object) -> str:
    """Indented JSON, readable non-ASCII text, but with every character a terminal acts on as a ``\\u`` escape.

    Written by msgspec, an order of magnitude faster than ``json`` on a large evaluation (issue 14); by
    ``json`` when msgspec cannot encode a value (a lone surrogate in a path given on the command line).
    """
    try:
        text = msgspec.json.format(msgspec.json.encode(data), indent=2).decode("utf-8")
    except (msgspec.EncodeError, TypeError, UnicodeEncodeError):
        text = json.dumps(data, ensure_ascii=False, indent=2)
    if text.isascii() and "\x7f" not in text:  # the usual evaluation: no character of _JSON_UNSAFE but DEL is ASCII
        return text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def clip(text: str, limit: int) -> str:
    """An untrusted string for one line of at most ``limit`` characters: visible, spaces folded, cut with …."""
    text = display_safe(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun in the number it takes: "1 document", "2 documents" (``plural`` when not noun + s)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
