"""How quotes look in the article, the quote details and the quote list: one style per state, the same
everywhere."""

from __future__ import annotations

from rich.style import Style

# Each highlight differs without colour too: underline, bold, strike, reverse, italic.
STYLES = {
    "pending": Style(underline=True, color="yellow"),
    "accepted": Style(bold=True, color="green"),
    "rejected": Style(strike=True, dim=True),
    "current": Style(reverse=True),
    "cue": Style(italic=True, underline=True, color="magenta"),
    "mention": Style(bold=True, underline=True, color="cyan"),
    "selection": Style(reverse=True, italic=True, color="blue"),
    "match": Style(overline=True, underline=True, color="bright_white", bgcolor="grey30"),
}
# Under NO_COLOR the colours above turn into greys that can vanish into the background (the magenta cue
# became grey 237 on 233), so there the highlights are text attributes alone. Each has its own set of the
# attributes every terminal shows (bold, underline, strike, reverse), also where the current quote's
# reverse adds to its status (reverse and underline on a pending one); italic and overline only add.
NO_COLOR_STYLES = {
    "pending": Style(underline=True),
    "accepted": Style(bold=True),
    "rejected": Style(strike=True),
    "current": Style(reverse=True),
    "cue": Style(reverse=True, bold=True, underline=True, italic=True),
    "mention": Style(bold=True, underline=True),
    "selection": Style(reverse=True, bold=True, italic=True),
    "match": Style(underline=True, strike=True, overline=True),
}


def highlights(no_color: bool) -> dict[str, Style]:
    """The highlight styles for this terminal: with colour, or (NO_COLOR) without."""
    return NO_COLOR_STYLES if no_color else STYLES


LEGEND = ("pending", "accepted", "rejected", "current", "cue", "mention")
# The mark of a quote's status in the details and the list, readable without colour.
STATUS_MARK = {"pending": "○", "accepted": "✓", "rejected": "✗"}
# The versions of each annotator on the adjudication screen, by their number (1–9): a colour each, and
# a text attribute each for the first five, so that two annotators differ without colour too and text
# that several of them marked shows every one of their attributes at once.
ANNOTATOR_STYLES = (
    Style(underline=True, color="yellow"),
    Style(italic=True, color="cyan"),
    Style(bold=True, color="magenta"),
    Style(overline=True, color="green"),
    Style(underline2=True, color="bright_blue"),
    Style(underline=True, color="bright_red"),
    Style(italic=True, color="bright_green"),
    Style(bold=True, color="bright_cyan"),
    Style(overline=True, color="bright_magenta"),
)


def annotator_style(number: int, no_color: bool) -> Style:
    """The style of the annotator numbered ``number`` (from 1) on the adjudication screen; under NO_COLOR its
    text attribute alone."""
    style = ANNOTATOR_STYLES[(number - 1) % len(ANNOTATOR_STYLES)]
    return style.without_color if no_color else style
