"""annotator: gold datasets of news quotations, and scoring of quote attribution."""

__version__ = "0.1.0"
