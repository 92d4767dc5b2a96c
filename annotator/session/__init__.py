"""The session layer: what the front ends do with the data, headless (no Textual, no click).

The TUI holds a ``Workspace`` and opens a ``DocumentSession`` per document; the command line calls
``jobs``, ``imports`` and ``sources`` and prints what they return.
"""

from annotator.session.document import DEFAULT_RUN, Change, DocumentSession
from annotator.session.jobs import Failure, Preannotation
from annotator.session.speakers import SpeakerChoice
from annotator.session.workspace import DocumentRow, Progress, Workspace
from annotator.store import SchemaError
from annotator.store.edits import LabelError
from annotator.store.worklist import END, START

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
