"""Colon frames are read only on lines holding a colon, and that finds every one the line pattern
finds scanning the whole text."""

from __future__ import annotations

from annotator.attribution.constructions import _COLON_LINE, _lines_with_colon


def test_colon_frames_are_tried_only_on_lines_with_a_colon() -> None:
    text = "Pence: Flowers Won’t Be at Debate\nno colon here\n\nPoll: Clinton: ahead\n  Sen. Kaine: yes\n:\nEnd:"
    tried = [m.span() for start in _lines_with_colon(text) if (m := _COLON_LINE.match(text, start))]
    assert tried == [m.span() for m in _COLON_LINE.finditer(text)]
    assert len(tried) == 3
