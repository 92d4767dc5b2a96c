"""Import and export: the JSONL interchange format and the field's dataset formats."""

from annotator.formats.errors import InputError

__all__ = ["InputError"]
