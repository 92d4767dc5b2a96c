"""What the screens tell the app: open a document, a document's row is out of date, show the keys, edit an
adjudicated label.

Screens get the data they show as attributes (the workspace) and send these up; the app decides
which screen comes next and tells the documents screen which rows to read again.
"""

from __future__ import annotations

from textual.message import Message
from textual.screen import Screen


class OpenDocument(Message):
    """Show this document on an annotate screen: above the documents screen, or in place of ``replacing``
    (the annotate screen that asks, which goes with any dialog opened on it meanwhile)."""

    def __init__(self, doc_id: str, replacing: Screen | None = None) -> None:
        self.doc_id = doc_id
        self.replacing = replacing
        super().__init__()


class DocumentChanged(Message):
    """The annotator opened this document, so its status and counts may change: its row in the documents
    list is read again when that screen shows."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        super().__init__()


class HelpRequested(Message):
    """Show the keys of this screen, as the user has them."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        super().__init__()


class EditAdjudicated(Message):
    """Edit the adjudicator's label ``quote_id`` of this document on an annotate screen, above the
    adjudication screen, which reads its labels again when the annotate screen closes."""

    def __init__(self, doc_id: str, quote_id: int) -> None:
        self.doc_id = doc_id
        self.quote_id = quote_id
        super().__init__()
