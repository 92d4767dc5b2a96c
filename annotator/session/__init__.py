"""The session layer: what the front ends do with the data, headless (no Textual, no click).

The TUI holds a ``Workspace`` and opens a ``DocumentSession`` per document; the command line calls
``jobs``, ``imports`` and ``sources`` and prints what they return.

The names below load on first use (PEP 562): ``annotator evaluate`` of two files imports
``session.sources`` and so this package, and should not pay for the attributor and the store
that the workspace needs (issue 14, item 7).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.session.document import DEFAULT_RUN, Change, DocumentSession
    from annotator.session.jobs import Failure, Preannotation
    from annotator.session.speakers import SpeakerChoice
    from annotator.session.workspace import DocumentRow, Progress, Workspace
    from annotator.store import SchemaError
    from annotator.store.edits import LabelError
    from annotator.store.worklist import END, START

_MODULE_OF = {
    "DEFAULT_RUN": "annotator.session.document",
    "Change": "annotator.session.document",
    "DocumentSession": "annotator.session.document",
    "Failure": "annotator.session.jobs",
    "Preannotation": "annotator.session.jobs",
    "SpeakerChoice": "annotator.session.speakers",
    "DocumentRow": "annotator.session.workspace",
    "Progress": "annotator.session.workspace",
    "Workspace": "annotator.session.workspace",
    "SchemaError": "annotator.store",
    "LabelError": "annotator.store.edits",
    "END": "annotator.store.worklist",
    "START": "annotator.store.worklist",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)


__all__ = [
    "DEFAULT_RUN",
    "END",
    "START",
    "Change",
    "DocumentRow",
    "DocumentSession",
    "Failure",
    "LabelError",
    "Preannotation",
    "Progress",
    "SchemaError",
    "SpeakerChoice",
    "Workspace",
]
