"""Helpers shared by the test layers: paths, small documents, evaluation builders, TUI databases."""
