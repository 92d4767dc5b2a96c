"""Headless use cases shared by the command line and the TUI: no Textual, no click."""
