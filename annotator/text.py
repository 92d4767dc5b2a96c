"""Text normalisation, hashing, tokens and safe display of untrusted article text."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator

import regex

_TOKEN = regex.compile(r"\w+")
# Shown as visible symbols: C0/C1 controls (but tab and newline), DEL, the bidirectional controls
# (an override reorders everything after it) and lone surrogates (which cannot be encoded).
_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\p{Bidi_Control}\p{Cs}]")
# The same for a value printed on one line: also tab, newline and the Unicode line separators.
_CONTROL_ONE_LINE = regex.compile(r"[\x00-\x1f\x7f-\x9f\p{Bidi_Control}\p{Cs}\u2028\u2029]")


def normalise(text: str) -> str:
    """NFC, ``\\r\\n``/``\\r`` to ``\\n``, leading BOM removed (docs/format.md)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def is_normalised(text: str) -> bool:
    """Whether ``normalise`` leaves the text as it is; checked without making a copy of it."""
    return not text.startswith("\ufeff") and "\r" not in text and unicodedata.is_normalized("NFC", text)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tokens(text: str) -> Iterator[tuple[int, int]]:
    """Code-point spans of the ``\\w+`` runs: the token definition of every metric and export. ``\\w`` is
    the ``regex`` module's Unicode one (UTS #18 Annex C: marks and join controls included), not ``re``'s
    (docs/metrics.md §11.6)."""
    for m in _TOKEN.finditer(text):
        yield m.start(), m.end()


def _control_picture(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def display_safe(text: str, one_line: bool = False) -> str:
    """Control characters replaced one-for-one by visible symbols, so offsets still line up.

    For display only: stored text is never altered. ESC becomes ␛, so an ANSI
    escape in an article shows as text instead of restyling the terminal; a
    bidirectional override or a lone surrogate becomes �. With ``one_line``
    (ids, names, paths), tabs and line breaks become symbols too (␉, ␊), so a
    value cannot start a line of output that seems to be the program's own.
    """
    pattern = _CONTROL_ONE_LINE if one_line else _CONTROL
    return pattern.sub(lambda m: _control_picture(m.group()), text)


_GRAPHEME = regex.compile(r"\X", regex.DOTALL)


class OffsetMap:
    """Maps code-point offsets in a raw text to offsets in its normalised form.

    Built only when normalisation changes the text. Each grapheme cluster is
    normalised on its own (NFC never composes across cluster boundaries), so an
    offset inside a cluster that changed length maps to the cluster's edge.
    """

    def __init__(self, raw: str):
        self.raw = raw
        body = raw[1:] if raw.startswith("\ufeff") else raw
        skip = len(raw) - len(body)
        starts: list[int] = [0] * (len(raw) + 1)  # offset used for a span start
        ends: list[int] = [0] * (len(raw) + 1)  # offset used for a span end
        out: list[str] = []
        pos = 0
        i = skip
        for m in _GRAPHEME.finditer(body):
            cluster = m.group()
            piece = cluster.replace("\r\n", "\n").replace("\r", "\n")
            piece = unicodedata.normalize("NFC", piece)
            for k in range(len(cluster)):
                if len(piece) == len(cluster):
                    starts[i + k] = ends[i + k] = pos + k
                else:
                    starts[i + k] = pos if k == 0 else pos + len(piece)
                    ends[i + k] = pos
            out.append(piece)
            pos += len(piece)
            i += len(cluster)
        starts[len(raw)] = ends[len(raw)] = pos
        self.text = "".join(out)
        self._starts = starts
        self._ends = ends

    def start(self, offset: int) -> int:
        return self._starts[offset]

    def end(self, offset: int) -> int:
        return self._ends[offset]
