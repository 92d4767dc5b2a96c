"""The SQLite store: the only code that writes SQL. It hands out the dataclasses of annotator.model."""

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
