"""The article view: text is data, never markup; wide and combining characters highlight the right cells."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult

from annotator.model import Quote
from annotator.text import display_safe
from annotator.tui.widgets.article import ArticleView, Marks, wrap

TRICKY = "Say [bold]hi[/] \x1b[31mred\x1b[0m then 中文字 and 😀👍 café e\u0301x."


class Viewer(App):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield ArticleView(self.text)


def styled_cells(strip, attribute: str) -> str:
    """The characters of a rendered line whose style has ``attribute`` set."""
    return "".join(seg.text for seg in strip if seg.style is not None and getattr(seg.style, attribute))


def quote(text: str, piece: str, status: str = "accepted") -> Quote:
    start = text.index(piece)
    return Quote(start, start + len(piece), piece, "direct", status=status)


async def test_markup_and_escapes_show_as_text():
    app = Viewer(TRICKY)
    async with app.run_test(size=(120, 5)) as pilot:
        view = app.query_one(ArticleView)
        view.set_marks(Marks([quote(TRICKY, "[bold]hi[/]")]))
        await pilot.pause()
        line = "".join(seg.text for seg in view.render_line(0))
        assert "[bold]hi[/]" in line
        assert "␛[31mred␛[0m" in line and "\x1b" not in line
        assert styled_cells(view.render_line(0), "bold") == "[bold]hi[/]"


async def test_wide_and_combining_characters_highlight_their_own_cells():
    app = Viewer(TRICKY)
    async with app.run_test(size=(120, 5)) as pilot:
        view = app.query_one(ArticleView)
        for piece in ("中文字", "😀👍", "e\u0301x", "café"):
            view.set_marks(Marks([], current=quote(TRICKY, piece)))
            await pilot.pause()
            strip = view.render_line(0)
            assert styled_cells(strip, "reverse") == piece
            # the cells before the highlight are exactly the cells of the text before it
            before = ""
            for seg in strip:
                if seg.style is not None and seg.style.reverse:
                    break
                before += seg.text
            assert cell_len(before) == cell_len(display_safe(TRICKY[: TRICKY.index(piece)]))


async def test_each_highlight_differs_without_colour():
    text = "aaa bbb ccc ddd eee fff"
    app = Viewer(text)
    async with app.run_test(size=(60, 5)) as pilot:
        view = app.query_one(ArticleView)
        cur = quote(text, "ddd", "pending")
        from annotator.model import Span, Speaker
        cur.cue = Span(text.index("eee"), text.index("eee") + 3, "eee")
        cur.speaker = Speaker("F", "person", Span(text.index("fff"), text.index("fff") + 3, "fff"))
        view.set_marks(Marks([quote(text, "aaa", "pending"), quote(text, "bbb", "accepted"),
                              quote(text, "ccc", "rejected"), cur], current=cur))
        await pilot.pause()
        strip = list(view.render_line(0))

        def attrs(piece):
            seg = next(s for s in strip if s.text.strip() == piece)
            st = seg.style
            return (bool(st.underline), bool(st.bold), bool(st.strike), bool(st.reverse), bool(st.italic))

        looks = {p: attrs(p) for p in ("aaa", "bbb", "ccc", "ddd", "eee", "fff")}
        assert len(set(looks.values())) == 6, looks


def test_wrap_covers_the_text_within_the_width():
    text = "中文字中文字中文字 " * 5 + "\n\nword " * 30 + "x" * 130
    for width in (7, 20, 61):
        lines = wrap(text, width)
        assert all(cell_len(text[s:e].rstrip()) <= width for s, e in lines)
        rebuilt = "\n".join("".join(text[s:e] for s, e in group) for group in _paragraphs(text, lines))
        assert rebuilt == text


def _paragraphs(text, lines):
    groups, current = [], []
    for s, e in lines:
        if current and text[current[-1][1]:s] == "\n":
            groups.append(current)
            current = []
        current.append((s, e))
    groups.append(current)
    return groups


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab 中😀\u0301\n.["), max_size=80), st.integers(4, 30))
def test_wrap_property(text, width):
    lines = wrap(text, width)
    assert lines[0][0] == 0 and lines[-1][1] == len(text)
    for (_, e1), (s2, _) in itertools.pairwise(lines):
        assert e1 == s2 or (e1 + 1 == s2 and text[e1] == "\n")
    assert all(cell_len(text[s:e].rstrip()) <= width for s, e in lines)


def _cells(widget) -> tuple[str, list]:
    """The visible text of a widget as rendered, and each character's style."""
    styles = []
    for y in range(widget.size.height):
        for seg in widget.render_line(y):
            styles += [seg.style] * len(seg.text)
    text = "".join(seg.text for y in range(widget.size.height) for seg in widget.render_line(y))
    return text, styles


async def test_without_colour_every_highlight_is_readable_and_distinct(db, monkeypatch):
    """Under NO_COLOR the highlights keep the text's own colour (colours turn into greys there, and a magenta
    cue came out grey 237 on 233) and differ from each other in bold, underline, strike or reverse."""
    from tests.support.tui import running, settle

    monkeypatch.setenv("NO_COLOR", "1")
    async with running(db) as (app, pilot):
        assert app.no_color
        await pilot.press("a")  # the first quote accepted; the second current, its cue and mention shown
        await pilot.press("slash", *"council", "enter", "escape")  # a search match, the cursor dropped
        await pilot.press("slash", *"council", "enter")
        await settle(pilot)
        text, styles = _cells(app.screen.article)

        def style(piece: str, nth: int = 0):
            at = text.index(piece)
            for _ in range(nth):
                at = text.index(piece, at + 1)
            return styles[at + len(piece) // 2]  # inside the piece: clear of the cursor

        plain = style("published" if "published" in text else "reporters")
        shown = {
            "accepted": style("We will win"), "current": style("plan was too"), "cue": style("said", 1),
            "mention": style("Critics"), "pending": style("Nobody asked"), "match": style("council"),
            "plain": plain,
        }
        for name, cell in shown.items():
            assert cell.color == plain.color and cell.bgcolor == plain.bgcolor, name
        attributes = {name: (bool(s.bold), bool(s.underline), bool(s.strike), bool(s.reverse))
                      for name, s in shown.items()}
        assert len(set(attributes.values())) == len(attributes), attributes
