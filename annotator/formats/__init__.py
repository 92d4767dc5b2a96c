"""Import and export: the JSONL interchange format and the field's dataset formats.

Reading: ``read`` chooses the reader for a path (``txt``, ``csv``, ``jsonl``, ``brat``, ``label_studio``), which
share ``inputs`` and the checks of ``guards``. Writing: ``write`` holds the writer of each format
(spaCy's in ``docbin``); ``outputs`` makes an export all-or-nothing and never destructive; ``split``
assigns documents to train, dev and test, and ``card`` describes a jsonl split for Hugging Face.
Which documents an export takes is the session's concern (``annotator.session.export``): nothing
here reads the store.
"""

from annotator.formats.errors import InputError

__all__ = ["InputError"]
