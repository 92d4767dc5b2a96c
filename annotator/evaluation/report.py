"""Rich renderings of evaluation and agreement results for the command line.

Article text, document ids and names are untrusted: every cell is a rich Text
built from plain strings (never a markup string); ids and names go through
annotator.terminal.shown, article text through annotator.text.display_safe.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from annotator.evaluation.adjudication import KINDS, Disagreements
from annotator.evaluation.agreement import AgreementCounts, AgreementResult
from annotator.evaluation.alpha import AlphaResult
from annotator.evaluation.metrics import ERROR_KINDS, ComponentCounts, Counts, ErrorItem, EvaluationResult
from annotator.evaluation.spans import name_key
from annotator.evaluation.uncertainty import Comparison, Interval, Intervals
from annotator.model import Span
from annotator.terminal import counted, shown
from annotator.text import display_safe

NULL = "—"


def fmt(value: float | None) -> str:
    """A figure with three decimals, or an em dash when its denominator is zero."""
    return NULL if value is None else f"{value:.3f}"


def _num(value: float | None) -> Text:
    return Text(fmt(value), justify="right")


def _frac(num: int, den: int) -> str:
    return f"{num}/{den}"


def _leading(text: str, cells: int) -> int:
    """How many leading characters of ``text`` fit in ``cells`` terminal cells."""
    used = 0
    for n, ch in enumerate(text):
        used += cell_len(ch)
        if used > cells:
            return n
    return len(text)


def middle_shortened(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells by replacing its middle with … (abcdefgh…stuvwxyz). The end keeps the
    odd cell: ids that differ only at the end (a number, a date) stay told apart."""
    if cell_len(text) <= width:
        return text
    keep = max(width - 1, 0)
    head = _leading(text, keep // 2)
    tail = _leading(text[::-1], (keep + 1) // 2)
    return text[:head] + "…" + text[len(text) - tail :]


class Shortened:
    """An id or a name in a table cell that, given less room than it needs, is shortened in the middle
    instead of folding over several lines, so that each row stays one line also when piped (80 columns)."""

    MINIMUM = 9  # cells: four characters each side of the … (when the table has the room)

    def __init__(self, value: object, style: str = "") -> None:
        self.text = shown(value, style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = self.text.cell_len
        return Measurement(min(width, self.MINIMUM), width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(middle_shortened(self.text.plain, options.max_width), style=self.text.style, no_wrap=True)


def _short(value: float) -> str:
    return f"{value:.2f}".removeprefix("0")


def _ci(interval: Interval | None) -> Text:
    """``.77–.85``: a 95 % interval, narrow enough for five in a row within 80 columns (one value when both
    ends round to it)."""
    if interval is None:
        text = NULL
    else:
        lo, hi = _short(interval[0]), _short(interval[1])
        text = lo if lo == hi else f"{lo}–{hi}"
    return Text(text, justify="right", style="dim")


CI_LABEL = "  95%"


def quote_table(c: Counts, title: str, intervals: dict[str, Interval] | None = None) -> Table:
    """P, R and F1 of each span metric and of attribution, with the counts behind them; with ``intervals``
    (by figure path, uncertainty.FIGURES) a dim row of 95 % intervals under each."""
    table = Table(title=title, title_justify="left", show_edge=False)
    table.add_column("metric")
    for col in ("P", "R", "F1"):
        table.add_column(col, justify="right")
    table.add_column("P from", justify="right", style="dim")
    table.add_column("R from", justify="right", style="dim")
    q = c.quotes()
    rows: list[tuple[str, dict, tuple[int, int], tuple[int, int]]] = [
        ("exact", q["exact"], (c.exact, c.pred), (c.exact, c.gold)),
        ("overlap@0.3", q["overlap@0.3"], (c.over03, c.pred), (c.over03, c.gold)),
        ("overlap@0.8", q["overlap@0.8"], (c.over08, c.pred), (c.over08, c.gold)),
        ("lenient", q["lenient"], (c.aligned, c.pred), (c.aligned, c.gold)),
        ("token", q["token"], (c.pred_tokens_in_gold, c.pred_tokens),
         (c.gold_tokens_predicted, c.gold_tokens)),
    ]  # fmt: skip
    figures = c.as_json()

    def interval_row(group: str) -> None:
        if intervals is not None:
            table.add_row(Text(CI_LABEL, style="dim"), *(_ci(intervals[f"{group}.{x}"]) for x in ("p", "r", "f1")))

    for name, fig, pf, rf in rows:
        table.add_row(name, _num(fig["p"]), _num(fig["r"]), _num(fig["f1"]), _frac(*pf), _frac(*rf))
        interval_row(f"quotes.{name}")
    table.add_section()
    att = figures["attribution"]
    table.add_row(
        Text("attribution", style="bold"), _num(att["p"]), _num(att["r"]), _num(att["f1"]),
        _frac(c.attribution_tp, c.attribution_pred), _frac(c.attribution_tp, c.attribution_gold),
    )  # fmt: skip
    interval_row("attribution")
    return table


def accuracy_table(c: Counts, intervals: dict[str, Interval] | None = None) -> Table:
    """Speaker, cue and role accuracies over aligned pairs, with the pairs they are taken over (and their 95 %
    intervals when given)."""
    table = Table(show_edge=False)
    table.add_column("over aligned pairs")
    table.add_column("value", justify="right")
    if intervals is not None:
        table.add_column("95% CI", justify="right", style="dim")
    table.add_column("from", justify="right", style="dim")
    f = c.as_json()
    rows = (
        ("speaker accuracy", "speaker_accuracy", _frac(c.speaker_correct, c.speaker_pairs)),
        ("cue accuracy", "cue_accuracy", _frac(c.cue_correct, c.cue_pairs)),
        ("role exact", "role_exact", _frac(c.role_exact, c.role_pairs)),
        ("role token F1", "role_token_f1", f"{c.role_f1_sum:.1f}/{c.role_pairs}"),
    )
    for label, key, source in rows:
        ci = () if intervals is None else (_ci(intervals[key]),)
        table.add_row(label, _num(f[key]), *ci, source)
    return table


def components_table(
    components: Mapping[str, ComponentCounts], intervals: dict[str, dict[str, Interval]] | None = None
) -> Table:
    """Exact-span and token P, R and F1 of content, cue and source, the shape of published tables
    (docs/metrics.md §5a), with the counts behind them; with ``intervals`` (by component, then figure path
    as uncertainty.COMPONENT_FIGURES) a dim row of 95 % intervals under each."""
    table = Table(title="components: exact spans and tokens", title_justify="left", show_edge=False)
    table.add_column("component")
    table.add_column("match")
    for col in ("P", "R", "F1"):
        table.add_column(col, justify="right")
    table.add_column("P from", justify="right", style="dim")
    table.add_column("R from", justify="right", style="dim")
    for name, c in components.items():
        f = c.as_json()
        cis = intervals.get(name) if intervals is not None else None
        for match in ("exact", "token"):
            figures = f[match]
            p_from, r_from = (
                (_frac(c.exact, c.pred), _frac(c.exact, c.gold)) if match == "exact" else
                (_frac(c.pred_tokens_in_gold, c.pred_tokens), _frac(c.gold_tokens_predicted, c.gold_tokens))
            )  # fmt: skip
            label = Text(name, style="bold") if match == "exact" else ""
            table.add_row(label, match, _num(figures["p"]), _num(figures["r"]), _num(figures["f1"]), p_from, r_from)
            if cis is not None:
                table.add_row(Text(CI_LABEL, style="dim"), "", *(_ci(cis[f"{match}.{p}"]) for p in ("p", "r", "f1")))
    return table


BREAKDOWN_FIGURES = ("quotes.exact.f1", "quotes.lenient.f1", "quotes.token.f1", "attribution.f1", "speaker_accuracy")


def _breakdown_figures(block: dict[str, Any]) -> list[Text]:
    q = block["quotes"]
    return [_num(q["exact"]["f1"]), _num(q["lenient"]["f1"]), _num(q["token"]["f1"]),
            _num(block["attribution"]["f1"]), _num(block["speaker_accuracy"])]  # fmt: skip


def breakdown_table(
    title: str, key: str, items: Iterable[tuple[str, Counts]], result: EvaluationResult | None = None,
    intervals: dict[str, dict[str, Interval]] | None = None, all_intervals: Intervals | None = None,
) -> Table:
    """One row per quote type, document or field value: counts and the main F1s; with ``result``, the micro
    (all documents' counts pooled) and macro (mean over documents) averages at the foot; with intervals, a
    dim row of 95 % intervals under each row that has them."""
    table = Table(
        title=f"{title}: F1 of exact, lenient and token spans and of attribution; speaker accuracy",
        title_justify="left", show_edge=False, caption_justify="left",
    )  # fmt: skip
    table.add_column(key, overflow="fold")
    # With intervals the aligned count (in the JSON) makes room for them within 80 columns.
    counts = ("gold", "pred") if intervals is not None else ("gold", "pred", "aligned")
    for col in (*counts, "exact", "lenient", "token", "attrib.", "speaker"):
        table.add_column(col, justify="right")

    def interval_row(figures: dict[str, Interval] | None) -> None:
        if figures is not None:
            blank = [""] * len(counts)
            table.add_row(Text(CI_LABEL, style="dim"), *blank, *(_ci(figures[f]) for f in BREAKDOWN_FIGURES))

    def row(label: RenderableType, c: Counts | None, block: dict[str, Any]) -> None:
        numbers = [] if c is None else [str(getattr(c, name)) for name in counts]
        table.add_row(label, *numbers, *[""] * (len(counts) - len(numbers)), *_breakdown_figures(block))

    for name, c in items:
        row(Shortened(name), c, c.as_json())
        interval_row(intervals.get(name) if intervals is not None else None)
    if result is not None:
        table.add_section()
        row(Text("micro", style="bold"), result.overall, result.overall.as_json())
        interval_row(all_intervals.overall if all_intervals is not None else None)
        macro = result.macro()
        row(Text("macro", style="bold"), None, macro)
        interval_row(all_intervals.macro if all_intervals is not None else None)
        table.caption = (f"micro: all documents' counts pooled; macro: each figure's mean over "
                         f"{counted(macro['counts']['documents'], 'document')}")  # fmt: skip
    return table


def evaluation_report(
    result: EvaluationResult, gold_label: str, pred_label: str, by: Sequence[str] = ("type",),
    intervals: Intervals | None = None, components: bool = False,
) -> RenderableType:
    """The tables of ``annotator evaluate``: figures overall, the components on request, then each breakdown
    asked for (its micro and macro averages at the foot); 95 % intervals under the figures when ``intervals``
    are given."""
    c = result.overall
    head = Text()
    head.append("gold ", style="dim")
    head.append_text(shown(gold_label, "bold"))
    head.append("  predictions ", style="dim")
    head.append_text(shown(pred_label, "bold"))
    head.append(
        f"\n{counted(c.documents, 'document')} · {counted(c.gold, 'gold quote')} · {c.pred} predicted · "
        f"{c.aligned} aligned"
    )
    if intervals is not None:
        head.append(f"\n95% intervals: percentile bootstrap over documents, {intervals.replicates} replicates, "
                    f"seed {intervals.seed}", style="dim")  # fmt: skip
    overall = intervals.overall if intervals is not None else None
    parts: list[RenderableType] = [head, Text(), quote_table(c, "quotes", overall), Text(), accuracy_table(c, overall)]
    if components:
        parts += [Text(), components_table(result.components, intervals.components if intervals is not None else None)]
    for name in by:
        if name == "type":
            items, key, title = result.by_type, "type", "by quote type"
            cis = intervals.by_type if intervals is not None else None
        elif name == "doc":
            items, key, title, cis = result.by_document, "document", "by document", None
        else:
            items, key, title = result.breakdowns.get(name, {}), "value", f"by {name}"
            cis = intervals.breakdowns.get(name) if intervals is not None else None
        if items:
            parts += [Text(), breakdown_table(title, key, items.items(), result, cis, intervals)]
    return Group(*parts)


def _signed(value: float | None) -> Text:
    return Text(NULL if value is None else f"{value:+.3f}", justify="right")


def comparison_report(gold_label: str, comparison: Comparison) -> RenderableType:
    """``annotator compare``: each headline figure of A and B, B − A with its 95 % interval and p-value."""
    c = comparison
    head = Text()
    head.append("gold ", style="dim")
    head.append_text(shown(gold_label, "bold"))
    head.append("  A ", style="dim")
    head.append_text(shown(c.a, "bold"))
    head.append("  B ", style="dim")
    head.append_text(shown(c.b, "bold"))
    head.append(f"\n{counted(len(c.documents), 'document')}; B − A with a paired bootstrap 95% interval "
                f"({c.replicates} replicates) and an approximate randomisation p-value ({c.permutations} "
                f"shuffles), seed {c.seed}", style="dim")  # fmt: skip
    table = Table(show_edge=False)
    table.add_column("figure")
    for col in ("A", "B", "B − A", "95% CI", "p"):
        table.add_column(col, justify="right")
    for d in c.differences:
        p = NULL if d.p_value is None else f"{d.p_value:.4f}"
        table.add_row(d.label, _num(d.a), _num(d.b), _signed(d.difference),
                      Text(_signed_interval(d.interval), justify="right", style="dim"), Text(p, justify="right"))
    return Group(head, Text(), table)


def _signed_interval(interval: Interval | None) -> str:
    return NULL if interval is None else f"{interval[0]:+.3f} to {interval[1]:+.3f}"


_KIND_STYLE = {
    "false positive": "yellow", "miss": "red", "wrong speaker": "magenta",
    "boundary": "cyan", "wrong cue": "blue", "wrong role": "blue",
}  # fmt: skip
LONG_QUOTE = 200
# Each kind as the summary counts it: (one, several).
_COUNTED = {
    "false positive": ("false positive", "false positives"), "miss": ("miss", "misses"),
    "wrong speaker": ("wrong speaker", "wrong speakers"), "boundary": ("boundary error", "boundary errors"),
    "wrong cue": ("wrong cue", "wrong cues"), "wrong role": ("wrong role", "wrong roles"),
}  # fmt: skip


def _flat(text: str) -> str:
    """Display-safe and on one line: newlines and tabs become visible one-character symbols."""
    return display_safe(text.replace("\n", "⏎").replace("\t", "→"))


def _in_context(e: ErrorItem, start: int, end: int, width: int) -> Text:
    """A span of the error's document marked ⟦…⟧ (and in reverse video) with ``width`` characters each side."""
    before, quote, after = e.span_context(start, end, width)
    line = Text()
    if start - len(before) > 0:
        line.append("…", style="dim")
    line.append(_flat(before))
    if len(quote) > LONG_QUOTE:
        half = LONG_QUOTE // 2
        quote = f"{quote[:half]} … {quote[-half:]}"
    line.append("⟦", style="bold")
    line.append(_flat(quote), style="reverse")
    line.append("⟧", style="bold")
    line.append(_flat(after))
    if end + len(after) < len(e.text):
        line.append("…", style="dim")
    return line


def _labelled(line: Text, label: str, value: str | None, span: Span | None = None) -> None:
    """Appends "  label: value [start, end)" (the span when given; a dash for no value)."""
    line.append(f"  {label}: ", style="dim")
    line.append(_flat(value) if value else NULL)
    if span is not None:
        line.append(f" [{span.start}, {span.end})", style="dim")


def _mention(line: Text, name: str | None, mention: Span | None) -> None:
    """Appends where a predicted speaker is mentioned, with the mention's text when it is not the name
    (a pronoun such as "nya" names nobody by itself)."""
    if mention is None:
        return
    if name is None or name_key(mention.text) != name_key(name):
        line.append(", mentioned as ", style="dim")
        line.append(_flat(mention.text))
    line.append(f" [{mention.start}, {mention.end})", style="dim")


def error_entry(e: ErrorItem, width: int = 60) -> Text:
    """What and where on one line, then the quote marked ⟦…⟧ in its context; for a boundary error the gold
    quote and the prediction each on a line of their own."""
    line = Text()
    line.append(e.kind.upper(), style=f"bold {_KIND_STYLE.get(e.kind, '')}")
    line.append("  ")
    line.append_text(shown(e.doc_id, "bold"))
    line.append(f" [{e.start}, {e.end}) {e.type}", style="dim")
    if e.kind == "wrong cue":
        _labelled(line, "gold cue", e.gold_cue and e.gold_cue.text, e.gold_cue)
        _labelled(line, "predicted cue", e.pred_cue and e.pred_cue.text, e.pred_cue)
    elif e.kind == "wrong role":
        _labelled(line, "gold role", e.gold_role)
        _labelled(line, "predicted role", e.pred_role)
    elif e.kind != "boundary":
        if e.kind != "false positive":
            _labelled(line, "gold speaker", e.gold_speaker)
        if e.kind != "miss":
            _labelled(line, "predicted speaker", e.pred_speaker)
            _mention(line, e.pred_speaker, e.pred_mention)
    if e.kind == "boundary" and e.pred_start is not None and e.pred_end is not None:
        line.append("\n    gold       ", style="dim")
        line.append_text(_in_context(e, e.start, e.end, width))
        line.append(f"\n    predicted  [{e.pred_start}, {e.pred_end}) ", style="dim")
        line.append_text(_in_context(e, e.pred_start, e.pred_end, width))
    else:
        line.append("\n    ")
        line.append_text(_in_context(e, e.start, e.end, width))
    return line


def errors_report(errors: Sequence[ErrorItem], width: int = 60) -> RenderableType:
    counts = Counter(e.kind for e in errors)
    head = Text("errors: ", style="bold")
    head.append(", ".join(f"{counts[k]} {_COUNTED[k][counts[k] != 1]}" for k in ERROR_KINDS))
    return Group(head, *(error_entry(e, width) for e in errors))


# --- agreement ---------------------------------------------------------------

AGREEMENT_FIGURES = ("exact", "lenient", "speaker", "attrib.", "κ")
AGREEMENT_TITLE = "span F1 exact and lenient, speaker agreement, attribution F1, Cohen's κ over characters"


def agreement_figures(c: AgreementCounts) -> list[float | None]:
    f = c.as_json()
    return [
        f["span_f1"]["exact"], f["span_f1"]["lenient"], f["speaker_agreement"],
        f["attribution_f1"], f["kappa"],
    ]  # fmt: skip


def mean_over_pairs(results: Sequence[AgreementResult]) -> dict[str, Any]:
    """Each figure averaged over the pairs where it is defined (None where it never is)."""
    out: dict[str, Any] = {}
    keys = ("span_f1_exact", "span_f1_lenient", "speaker_agreement", "attribution_f1", "kappa")
    columns = list(zip(*(agreement_figures(r.overall) for r in results), strict=True))
    for k, key in enumerate(keys):
        values = [v for v in columns[k] if v is not None] if columns else []
        out[key] = sum(values) / len(values) if values else None
    return out


def _figure_columns(table: Table) -> None:
    table.add_column("quotes", justify="right")
    for col in AGREEMENT_FIGURES:
        table.add_column(col, justify="right")


def alpha_table(alpha: AlphaResult) -> Table:
    """Krippendorff's α of all the annotators together, with the units it is taken over."""
    table = Table(
        title="Krippendorff's α over characters labelled quote / not quote, all annotators together",
        title_justify="left", show_edge=False,
    )  # fmt: skip
    table.add_column("annotators", overflow="fold")
    table.add_column("docs", justify="right")
    table.add_column("characters", justify="right")
    table.add_column("α", justify="right")
    names = Text(", ").join(shown(a) for a in alpha.annotators)
    table.add_row(names, str(alpha.documents), str(alpha.characters), _num(alpha.value()))
    return table


def disagreement_table(kinds: Disagreements) -> Table:
    """The quotes of all the annotators grouped as ``adjudicate`` groups them: over how many documents, how many
    quotes, how many all agree on, and the disagreements by kind (a quote may disagree in several ways)."""
    table = Table(title=f"disagreements of all {len(kinds.annotators)} annotators, as adjudicate groups them",
                  title_justify="left", show_edge=False)
    table.add_column("")
    table.add_column("quotes", justify="right")
    table.add_row(f"over {kinds.documents} documents all hold", str(kinds.groups))
    table.add_row("all agree", str(kinds.agreed))
    table.add_section()
    for kind in KINDS:
        table.add_row(f"disagree: {kind.replace('_', ' ')}", str(kinds.by_kind[kind]))
    return table


def agreement_report(
    results: Sequence[AgreementResult], alpha: AlphaResult, by_doc: bool = False,
    kinds: Disagreements | None = None,
) -> RenderableType:
    """One row per pair of annotators (and a mean when there are several), then α of them all and their
    disagreements by kind; per document on request. A pair with no document in common shows "none" and no
    figures."""
    table = Table(title=f"agreement: {AGREEMENT_TITLE}", title_justify="left", show_edge=False)
    table.add_column("A")
    table.add_column("B")
    table.add_column("docs", justify="right")
    _figure_columns(table)
    for r in results:
        c = r.overall
        if not c.documents:
            table.add_row(Shortened(r.a), Shortened(r.b), Text("none", style="bold"))
            continue
        table.add_row(
            Shortened(r.a), Shortened(r.b), str(c.documents), f"{c.a}/{c.b}",
            *(_num(v) for v in agreement_figures(c)),
        )  # fmt: skip
    if len(results) > 1:
        table.add_section()
        mean = mean_over_pairs(results)
        table.add_row(Text("mean", style="bold"), "", "", "", *(_num(v) for v in mean.values()))
    parts: list[RenderableType] = [table, Text(), alpha_table(alpha)]
    if kinds is not None and kinds.documents:
        parts += [Text(), disagreement_table(kinds)]
    if by_doc:
        for r in results:
            if not r.overall.documents:
                continue
            title = Text("by document: ")
            title.append_text(shown(r.a, "bold"))
            title.append(" and ")
            title.append_text(shown(r.b, "bold"))
            docs = Table(title=title, title_justify="left", show_edge=False)
            docs.add_column("document", overflow="fold")
            _figure_columns(docs)
            for doc_id, c in r.by_document.items():
                docs.add_row(
                    Shortened(doc_id), f"{c.a}/{c.b}", *(_num(v) for v in agreement_figures(c))
                )
            parts += [Text(), docs]
    return Group(*parts)
