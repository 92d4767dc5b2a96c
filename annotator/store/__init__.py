"""The SQLite store: the only code that writes SQL. It hands out the dataclasses of annotator.model.

``store`` opens the file and imports, reads and writes documents, labels and
predictions; ``schema`` migrates the file; ``rows`` turns rows into dataclasses
and back; ``edits`` makes the annotator's label changes and ``history`` undoes and
redoes them from the event log; ``worklist`` pages the documents screen; ``assignments``
keeps who is to do which document.
"""

from annotator.store.schema import SCHEMA_VERSION, SchemaError
from annotator.store.store import ConflictError, ImportReport, StaleTextError, Store, default_db_path

__all__ = [
    "SCHEMA_VERSION",
    "ConflictError",
    "ImportReport",
    "SchemaError",
    "StaleTextError",
    "Store",
    "default_db_path",
]
