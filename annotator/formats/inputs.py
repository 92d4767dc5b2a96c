"""What every reader shares: reading a file's bytes, the plain-text document (title and
metadata), the report of skipped files, and short excerpts of untrusted text for messages.

The readers (``txt``, ``csv``, ``jsonl``, ``brat``, ``label_studio``) import this module and never each
other; ``read`` picks the reader for a path.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.formats.errors import InputError
from annotator.formats.guards import decode, regular_file
from annotator.model import AnnotatedDocument, Document
from annotator.text import normalise, sha256

# A document read, with where it was read (the file, and the line) for messages.
Item = tuple[str, AnnotatedDocument]
# Told (where, why) for a file an import passes over: an empty text file inside a folder, a
# brat quote linked to several speakers. Without one, an empty file is an error.
SkipReport = Callable[[str, str], None]

TITLE_MAX = 150
_SENTENCE_END = tuple(".!?\"'”’»")


def title_of(text: str) -> str:
    """The title rule for plain text: the first non-blank line when it reads like a
    headline (at most 150 characters, not ending like a sentence); otherwise empty."""
    for line in text.split("\n"):
        line = line.strip()
        if line:
            if len(line) <= TITLE_MAX and not line.endswith(_SENTENCE_END):
                return line
            return ""
    return ""


def text_document(doc_id: str, text: str, source_file: str) -> Document:
    """A document read from a plain-text file (a ``.txt``, or the text of a brat pair):
    its title by ``title_of``, and the name of the file it came from."""
    title = title_of(text)
    meta = {"title": title} if title else {}
    meta["source_file"] = source_file
    return Document(id=doc_id, text=text, meta=meta, sha256=sha256(text))


def skip_empty(path: Path, on_skip: SkipReport | None) -> None:
    """An empty text file: reported as skipped when the caller takes reports, else an error."""
    if on_skip is None:
        raise InputError(path, "is empty")
    on_skip(str(path), "empty file")


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or InputError naming it."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None


def read_normalised(path: Path, encoding: str) -> str:
    """A whole regular file as normalised text, or InputError naming it."""
    regular_file(path)
    return normalise(decode(path, read_bytes(path), encoding))


def excerpt(value: str, limit: int = 40) -> str:
    """``value`` as a Python literal of at most ``limit`` characters, for a message naming bad input."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")
