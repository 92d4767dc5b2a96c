"""What the built-in attributor predicts for a short text, every span checked against the text."""

from __future__ import annotations

from annotator.attribution import predict_document
from annotator.model import Document, Quote


def predicted(text: str, lang: str | None = None) -> list[Quote]:
    """The attributor's quotes for ``text``: each span inside the text with its own text, each a pending candidate."""
    found = predict_document(Document("t", text, lang))
    for q in found:
        q.check(text)
        assert q.status == "pending"
    return found
