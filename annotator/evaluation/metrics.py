"""Scoring predicted quotes against gold quotes: every figure of docs/metrics.md, overall, by type and by document.

Each figure is a ratio of integer counts that are summed over documents (and
types) before dividing, so every breakdown is a micro average and the counts
behind each figure are reported next to it. The breakdowns partition the counts:
by type, a prediction counts under the type of the gold quote it is aligned with
(its own type when unaligned), and the token sums are split the same way while
T_G and T_P stay those of the whole document, so the types add up to the overall
figures exactly.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, reduce
from itertools import accumulate, chain, pairwise
from operator import add, attrgetter
from typing import Any, Self

import numpy as np

from annotator.evaluation.align import align
from annotator.evaluation.spans import edge_normalise, name_key, role_key, role_tokens
from annotator.evaluation.tokens import TokenIndex, covered_counts
from annotator.model import QUOTE_TYPES, AnnotatedDocument, Quote, Span


class EvaluationError(ValueError):
    """Inputs that cannot be compared: a repeated document id, two texts under one id, a span outside its text."""


def ratio(num: float, den: float) -> float | None:
    """``num / den``, or None (JSON null) when the denominator is zero."""
    return num / den if den else None


def f1(p: float | None, r: float | None) -> float | None:
    """Harmonic mean of P and R.

    0 when either is 0 even if the other is undefined (a system that predicts
    nothing scores F1 0 against gold that has quotes); else None when either is
    undefined (docs/metrics.md §11.1 works the cases through).
    """
    if p == 0 or r == 0:
        return 0.0
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r)


def prf(p: float | None, r: float | None) -> dict[str, float | None]:
    return {"p": p, "r": r, "f1": f1(p, r)}


class Tally:
    """Named counts, all starting at 0, that ``+=`` sums field by field: the micro averaging of
    both the evaluation (Counts) and the agreement (AgreementCounts). A subclass names its
    counts in ``__slots__``."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Gives each subclass an ``__init__`` and ``__iadd__`` written out field by field: a loop of
        ``setattr`` over ``__slots__`` costs several times as much, and an evaluation of 100,000 quotes
        makes and adds hundreds of thousands of tallies (issue 14, item 7)."""
        super().__init_subclass__(**kwargs)
        names = cls.__slots__
        if not names:
            return
        source = (
            "def __init__(self):\n"
            f"    self.{' = self.'.join(names)} = 0\n"
            "def __iadd__(self, other):\n"
            + "".join(f"    self.{n} += other.{n}\n" for n in names)
            + "    return self\n"
        )
        methods: dict[str, Any] = {}
        exec(source, {}, methods)
        cls.__init__ = methods["__init__"]
        cls.__iadd__ = methods["__iadd__"]

    @classmethod
    def total(cls, tallies: Iterable[Self]) -> Self:
        """The sum of many tallies, field by field: faster than ``+=`` one by one, and the same to the last
        bit, the values being added in order (``sum`` of floats is compensated from Python 3.12)."""
        out = cls()
        rows = list(map(attrgetter(*cls.__slots__), tallies))
        if rows:
            for name, column in zip(cls.__slots__, zip(*rows, strict=True), strict=True):
                setattr(out, name, reduce(add, column))
        return out

    def fields(self) -> dict[str, float]:
        """Every count by its name, in ``__slots__`` order."""
        return {name: getattr(self, name) for name in self.__slots__}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and self.fields() == other.fields()

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={v}" for n, v in self.fields().items() if v)
        return f"{type(self).__name__}({inner})"


class Counts(Tally):
    """The integer counts behind every evaluation figure (``role_f1_sum`` is a sum of F1s)."""

    __slots__ = (  # noqa: RUF023 (grouped by metric, not sorted)
        "documents", "gold", "pred", "aligned", "exact", "over03", "over08",
        "pred_tokens", "pred_tokens_in_gold", "gold_tokens", "gold_tokens_predicted",
        "speaker_pairs", "speaker_correct", "attribution_gold", "attribution_pred", "attribution_tp",
        "cue_pairs", "cue_correct", "role_pairs", "role_exact", "role_f1_sum",
    )  # fmt: skip

    def quotes(self) -> dict[str, dict[str, float | None]]:
        return {
            "exact": prf(ratio(self.exact, self.pred), ratio(self.exact, self.gold)),
            "overlap@0.3": prf(ratio(self.over03, self.pred), ratio(self.over03, self.gold)),
            "overlap@0.8": prf(ratio(self.over08, self.pred), ratio(self.over08, self.gold)),
            "lenient": prf(ratio(self.aligned, self.pred), ratio(self.aligned, self.gold)),
            "token": prf(
                ratio(self.pred_tokens_in_gold, self.pred_tokens),
                ratio(self.gold_tokens_predicted, self.gold_tokens),
            ),
        }

    def as_json(self) -> dict[str, Any]:
        """The JSON object of these counts (docs/metrics.md §8), with the raw counts under ``counts``."""
        return {
            "counts": {
                "documents": self.documents,
                "gold": self.gold,
                "pred": self.pred,
                "aligned": self.aligned,
                "exact": self.exact,
                "overlap@0.3": self.over03,
                "overlap@0.8": self.over08,
                "gold_tokens": self.gold_tokens,
                "gold_tokens_predicted": self.gold_tokens_predicted,
                "pred_tokens": self.pred_tokens,
                "pred_tokens_in_gold": self.pred_tokens_in_gold,
                "speaker_pairs": self.speaker_pairs,
                "speaker_correct": self.speaker_correct,
                "attribution_gold": self.attribution_gold,
                "attribution_pred": self.attribution_pred,
                "attribution_tp": self.attribution_tp,
                "cue_pairs": self.cue_pairs,
                "cue_correct": self.cue_correct,
                "role_pairs": self.role_pairs,
                "role_exact": self.role_exact,
            },
            "quotes": self.quotes(),
            "speaker_accuracy": ratio(self.speaker_correct, self.speaker_pairs),
            "attribution": prf(
                ratio(self.attribution_tp, self.attribution_pred),
                ratio(self.attribution_tp, self.attribution_gold),
            ),
            "cue_accuracy": ratio(self.cue_correct, self.cue_pairs),
            "role_exact": ratio(self.role_exact, self.role_pairs),
            "role_token_f1": ratio(self.role_f1_sum, self.role_pairs),
        }


# What ``--errors`` lists, in the order its summary counts them (docs/metrics.md §8).
ERROR_KINDS = ("false positive", "miss", "wrong speaker", "boundary", "wrong cue", "wrong role")

# The components of a quote that published tables score separately (docs/metrics.md §5a), in their order.
COMPONENTS = ("content", "cue", "source")


class ComponentCounts(Tally):
    """The counts behind one component's exact-span and token figures (docs/metrics.md §5a): distinct
    spans of each side, the spans on both, and the token sums of citron's overlap metric."""

    __slots__ = (  # noqa: RUF023 (the order they are reported in)
        "gold", "pred", "exact", "gold_tokens", "gold_tokens_predicted", "pred_tokens", "pred_tokens_in_gold",
    )  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        return {
            "counts": self.fields(),
            "exact": prf(ratio(self.exact, self.pred), ratio(self.exact, self.gold)),
            "token": prf(
                ratio(self.pred_tokens_in_gold, self.pred_tokens),
                ratio(self.gold_tokens_predicted, self.gold_tokens),
            ),
        }


def _span_json(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """One error of ``ERROR_KINDS``, with what is needed to show it in context.

    An error of an aligned pair (a boundary, wrong speaker, cue or role) carries both sides: the gold
    quote as ``start``/``end`` and the prediction as ``pred_start``/``pred_end``."""

    kind: str  # one of ERROR_KINDS
    doc_id: str
    text: str  # the whole document text (shared, not copied)
    start: int  # the quote as labelled: the prediction for a false positive, else the gold quote
    end: int
    type: str
    gold_speaker: str | None = None
    pred_speaker: str | None = None
    pred_start: int | None = None  # the aligned prediction, for the errors of an aligned pair
    pred_end: int | None = None
    pred_mention: Span | None = None  # the predicted speaker's mention, when it has one
    gold_cue: Span | None = None
    pred_cue: Span | None = None
    gold_role: str | None = None
    pred_role: str | None = None

    def context(self, width: int = 60) -> tuple[str, str, str]:
        """(text before, the quote, text after), with up to ``width`` characters each side."""
        return self.span_context(self.start, self.end, width)

    def span_context(self, start: int, end: int, width: int = 60) -> tuple[str, str, str]:
        """(text before, the span, text after) of any span of the document, ``width`` characters each side."""
        before = self.text[max(0, start - width) : start]
        after = self.text[end : end + width]
        return before, self.text[start:end], after

    def as_json(self, width: int = 60) -> dict[str, Any]:
        before, quote, after = self.context(width)
        aligned = self.pred_start is not None and self.pred_end is not None
        return {
            "kind": self.kind,
            "document": self.doc_id,
            "start": self.start,
            "end": self.end,
            "type": self.type,
            "text": quote,
            "before": before,
            "after": after,
            "gold_speaker": self.gold_speaker,
            "pred_speaker": self.pred_speaker,
            "pred_start": self.pred_start,
            "pred_end": self.pred_end,
            "pred_text": self.text[self.pred_start : self.pred_end] if aligned else None,
            "pred_mention": _span_json(self.pred_mention),
            "gold_cue": _span_json(self.gold_cue),
            "pred_cue": _span_json(self.pred_cue),
            "gold_role": self.gold_role,
            "pred_role": self.pred_role,
        }


NO_VALUE = "(none)"
# Quote attributes a breakdown can name directly (docs/metrics.md §6); any other name is looked up in the
# quote's extra fields, then in its document's meta.
QUOTE_FIELDS = ("type", "role", "role_category", "via", "status")


def field_value(name: str, q: Quote, meta: dict[str, Any]) -> str:
    """The value a breakdown by ``name`` files quote ``q`` under: a quote field, ``kind`` (the speaker's),
    a field the input file gave the quote (such as ``speaker_resolved``) or a key of its document's meta;
    ``(none)`` when it has none."""
    if name == "kind":
        value: Any = q.speaker.kind if q.speaker is not None else None
    elif name in QUOTE_FIELDS:
        value = getattr(q, name)
    elif name in q.extra:
        value = q.extra[name]
    else:
        value = meta.get(name)
    if value is None or value == "":
        return NO_VALUE
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)


def macro_average(documents: Iterable[Counts]) -> dict[str, Any]:
    """Each figure averaged over the documents where it is defined, ``null`` where it never is
    (docs/metrics.md §6); ``counts.documents`` is how many documents there are to average."""
    return macro_of_blocks([c.as_json() for c in documents])


def macro_of_blocks(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """``macro_average`` of the documents' JSON objects, when the caller has them already."""
    shape = {k: v for k, v in Counts().as_json().items() if k != "counts"}
    return {"counts": {"documents": len(blocks)}, **_mean_of(shape, blocks)}


def _mean_of(shape: dict[str, Any], blocks: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in shape.items():
        if isinstance(value, dict):
            out[key] = _mean_of(value, [b[key] for b in blocks])
        else:
            defined = [b[key] for b in blocks if b[key] is not None]
            out[key] = sum(defined) / len(defined) if defined else None
    return out


class EvaluationResult:
    """Counts overall, by quote type (in QUOTE_TYPES order), by any other field asked for and by document (in
    gold order), the component counts, plus the errors. ``document_buckets`` keeps each document's counts by
    its tuple of breakdown values (``fields``, type first) and ``document_components`` its component counts,
    so that intervals can resample documents without scoring again."""

    def __init__(self, fields: Sequence[str] = ("type",)) -> None:
        self.fields = tuple(fields)
        self.overall = Counts()
        self.by_type: dict[str, Counts] = {}
        self.breakdowns: dict[str, dict[str, Counts]] = {}
        self.by_document: dict[str, Counts] = {}
        self.components = {name: ComponentCounts() for name in COMPONENTS}  # the sums of document_components
        self.document_buckets: dict[str, dict[tuple[str, ...], Counts]] = {}
        self.document_components: dict[str, dict[str, ComponentCounts]] = {}
        self.document_errors: list[DocumentErrors] = []
        self._errors: list[ErrorItem] | None = None

    def macro(self) -> dict[str, Any]:
        """The macro average over documents, next to ``overall`` (the micro one)."""
        return macro_average(self.by_document.values())

    def as_json(self) -> dict[str, Any]:
        """The ``--json`` object of docs/metrics.md §8: ``overall``, ``macro``, ``by_type``, ``by_document``,
        ``components``, and ``breakdowns`` by the other fields asked for."""
        by_document = {d: c.as_json() for d, c in self.by_document.items()}  # made once: the macro averages them
        data = {
            "overall": self.overall.as_json(),
            "macro": macro_of_blocks(list(by_document.values())),
            "by_type": {t: c.as_json() for t, c in self.by_type.items()},
            "by_document": by_document,
            "components": {name: c.as_json() for name, c in self.components.items()},
        }
        if self.breakdowns:
            data["breakdowns"] = {
                name: {v: c.as_json() for v, c in values.items()} for name, values in self.breakdowns.items()
            }
        return data

    def errors(self) -> list[ErrorItem]:
        """Every error of ERROR_KINDS, by document then position: made on the first call, not by the scoring."""
        if self._errors is None:
            self._errors = [e for d in self.document_errors for e in d.items()]
        return list(self._errors)


def quote_key(q: Quote) -> tuple:
    """A total order on quotes by position then content, so results never depend on input order; it
    also settles the alignment's ties on all four criteria (docs/metrics.md §11.3)."""
    sp = q.speaker
    mention = (sp.mention.start, sp.mention.end) if sp and sp.mention else (-1, -1)
    cue = (q.cue.start, q.cue.end) if q.cue else (-1, -1)
    return (
        q.start, q.end, q.type, cue,
        sp is not None, sp.name if sp else "", mention, tuple(sp.aliases) if sp else (),
        q.role or "", q.role_category or "",
    )  # fmt: skip


_POSITION = attrgetter("start", "end")


def in_quote_order(quotes: list[Quote]) -> list[Quote]:
    """``quotes`` sorted by ``quote_key``: by position alone when no two share one (the usual case), which
    is the same order at a fraction of the cost of building every key."""
    positions = list(map(_POSITION, quotes))
    if len(set(positions)) == len(positions):
        return [quotes[k] for k in sorted(range(len(quotes)), key=positions.__getitem__)]
    return sorted(quotes, key=quote_key)


class Entities:
    """Gold speaker entities of one document (docs/metrics.md §4).

    Quotes are pooled when their speaker names are equal or one's name is among
    the other's aliases, transitively (names compared case-folded with white
    space collapsed); an entity's names, aliases, mention texts and mention spans
    are pooled.
    """

    def __init__(self, quotes: list[Quote]):
        """Union-find over the quotes by name, then by alias, so that pooling is transitive (A names
        B as an alias, B names C: one entity) at about linear cost; then each entity's keys and
        mention spans are pooled. ``entity_of[k]`` is quote k's entity, None without a speaker."""
        n = len(quotes)
        parent = list(range(n))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        speakers = [(k, q.speaker) for k, q in enumerate(quotes) if q.speaker is not None]
        names = [name_key(sp.name) for _, sp in speakers]
        by_name: dict[str, int] = {}
        for (k, _), key in zip(speakers, names, strict=True):
            if key:  # a blank name pools with nothing
                first = by_name.setdefault(key, k)
                if first != k:
                    parent[k] = first  # the first quote of a name is a root until aliases merge entities
        merged = False
        for k, sp in speakers:
            for alias in sp.aliases:
                other = by_name.get(name_key(alias)) if alias.strip() else None
                if other is not None:
                    a, b = find(k), find(other)
                    if a != b:
                        parent[b] = a
                        merged = True
        self.entity_of: list[int | None] = [None] * n
        self.keys: dict[int, set[str]] = {}
        self.mentions: dict[int, list[tuple[int, int]]] = {}
        for (k, sp), key in zip(speakers, names, strict=True):
            root = find(k) if merged else parent[k]
            self.entity_of[k] = root
            keys = self.keys.get(root)
            if keys is None:
                keys = self.keys[root] = set()
            keys.add(key)
            if sp.aliases:
                keys.update(map(name_key, sp.aliases))
            mention = sp.mention
            if mention is not None:
                keys.add(name_key(mention.text))
                spans = self.mentions.get(root)
                if spans is None:
                    self.mentions[root] = [(mention.start, mention.end)]
                else:
                    spans.append((mention.start, mention.end))
        for keys in self.keys.values():
            keys.discard("")

    def accepts(self, k: int, q: Quote) -> bool:
        """Whether ``q``'s speaker is correct for gold quote ``k``: a mention overlap or a matching name."""
        entity = self.entity_of[k]
        sp = q.speaker
        if entity is None or sp is None:
            return False
        mention = sp.mention
        if mention is not None:
            ms, me = mention.start, mention.end
            for s, e in self.mentions.get(entity, ()):
                if (e if e < me else me) > (s if s > ms else ms):  # they overlap (``overlap``, written out)
                    return True
        return name_key(sp.name) in self.keys[entity]


@lru_cache(maxsize=65536)
def _role_f1(gold_role: str, pred_role: str | None) -> float:
    """F1 of the two roles as bags of case-folded ``\\w+`` tokens (cached: roles repeat a lot)."""
    g = Counter(role_tokens(gold_role))
    p = Counter(role_tokens(pred_role))
    if not g and not p:
        return 1.0 if role_key(pred_role) == role_key(gold_role) else 0.0
    shared = sum((g & p).values())
    return 2 * shared / (sum(g.values()) + sum(p.values()))


def check_spans(doc_id: str, text: str, quotes: list[Quote], side: str) -> None:
    """Raises EvaluationError for the first quote, cue or mention span outside ``text``."""
    n = len(text)
    for q in quotes:
        if 0 <= q.start <= q.end <= n:
            cue, speaker = q.cue, q.speaker
            if cue is None or 0 <= cue.start <= cue.end <= n:
                mention = speaker.mention if speaker is not None else None
                if mention is None or 0 <= mention.start <= mention.end <= n:
                    continue  # the usual case, told apart without building a list of spans per quote
        for span in (q, q.cue, q.speaker.mention if q.speaker is not None else None):
            if span is not None and not 0 <= span.start <= span.end <= n:
                raise EvaluationError(
                    f"{side}: document {doc_id!r} has a span [{span.start}, {span.end}) outside its text (length {n})"
                )


def _pair_error(kind: str, doc_id: str, text: str, g: Quote, p: Quote) -> ErrorItem:
    """An error of an aligned pair: the gold quote's span, the prediction's beside it, and both sides'
    speaker, cue and role."""
    return ErrorItem(
        kind, doc_id, text, g.start, g.end, g.type,
        gold_speaker=g.speaker.name if g.speaker else None,
        pred_speaker=p.speaker.name if p.speaker else None,
        pred_start=p.start, pred_end=p.end,
        pred_mention=p.speaker.mention if p.speaker else None,
        gold_cue=g.cue, pred_cue=p.cue, gold_role=g.role, pred_role=p.role,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class DocumentErrors:
    """What one document's errors are made of, as the scoring leaves it: the quotes in ``quote_key`` order,
    which are aligned, and the error kinds of the aligned pairs. The records (ErrorItem, with their
    context) are made from it only when asked for: most runs never list them."""

    doc_id: str
    text: str
    gold: list[Quote]
    pred: list[Quote]
    partner_of_pred: list[int | None]
    aligned_gold: list[bool]
    pair_errors: list[tuple[int, int, str]]  # (gold index, pred index, kind)

    def items(self) -> list[ErrorItem]:
        """The document's errors by position (then kind)."""
        doc_id, text = self.doc_id, self.text
        out = [
            ErrorItem("miss", doc_id, text, q.start, q.end, q.type,
                      gold_speaker=q.speaker.name if q.speaker else None, gold_cue=q.cue, gold_role=q.role)
            for q, aligned in zip(self.gold, self.aligned_gold, strict=True) if not aligned
        ]  # fmt: skip
        out += [
            ErrorItem("false positive", doc_id, text, q.start, q.end, q.type,
                      pred_speaker=q.speaker.name if q.speaker else None,
                      pred_mention=q.speaker.mention if q.speaker else None, pred_cue=q.cue, pred_role=q.role)
            for q, partner in zip(self.pred, self.partner_of_pred, strict=True) if partner is None
        ]  # fmt: skip
        out += [_pair_error(kind, doc_id, text, self.gold[i], self.pred[j]) for i, j, kind in self.pair_errors]
        out.sort(key=lambda e: (e.start, e.end, e.kind))
        return out


SpanSet = set[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class AlignedDocument:
    """One document made ready to count: both sides' quotes in ``quote_key`` order, their normalised spans,
    the gold entities, the aligned (gold, pred) index pairs, and each side's cue and source spans (§5a)."""

    doc_id: str
    text: str
    gold: list[Quote]
    pred: list[Quote]
    gspans: list[tuple[int, int]]
    pspans: list[tuple[int, int]]
    entities: Entities
    pairs: list[tuple[int, int]]
    sides: tuple[tuple[SpanSet, SpanSet], tuple[SpanSet, SpanSet]]  # per side: its cue spans, its source spans

    @classmethod
    def of(cls, doc_id: str, text: str, gold: list[Quote], pred: list[Quote]) -> Self:
        gold, pred = in_quote_order(gold), in_quote_order(pred)
        gspans, pspans, entities, pairs = _alignment(text, gold, pred)
        sides = (cue_and_source_spans(gold), cue_and_source_spans(pred))
        return cls(doc_id, text, gold, pred, gspans, pspans, entities, pairs, sides)


@dataclass(frozen=True, slots=True)
class DocumentTokens:
    """The token figures of one document's spans (docs/metrics.md §5, §5a): each quote's token count and how
    many of those tokens the other side's quotes cover, and the counts of the cue and source components."""

    gold_tokens: list[int]
    gold_covered: list[int]
    pred_tokens: list[int]
    pred_covered: list[int]
    cue: ComponentCounts
    source: ComponentCounts


# How much text is tokenised together: about a hundred news articles, enough to share numpy's cost per call,
# small enough that what is read for them stays in the processor's cache until they are counted (larger
# batches measured slower).
BATCH_CHARACTERS = 1 << 16


def batches(documents: Iterable[AlignedDocument]) -> Iterator[list[AlignedDocument]]:
    """The documents in runs of about BATCH_CHARACTERS characters of text."""
    batch: list[AlignedDocument] = []
    size = 0
    for doc in documents:
        batch.append(doc)
        size += len(doc.text) + 1
        if size >= BATCH_CHARACTERS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def document_tokens(docs: list[AlignedDocument]) -> list[DocumentTokens]:
    """The token figures of each document's spans, all documents at once (per document, numpy's cost per
    call would outweigh the work it does; issue 14, item 7).

    The texts are tokenised as one, joined by line breaks, which no token crosses, so no span's tokens reach
    another document's. Every span of every document is looked up in one pass, in six groups: the quotes of
    each side, the cue spans of each side and the source spans of each side. The token metric asks of each
    span how many of its tokens any span of the other side covers in the same group; the groups are kept
    apart by moving the cue spans' token indices past the last token and the source spans' past that again,
    so one running count over three copies of the tokens answers for all of them.
    """
    index = TokenIndex("\n".join(d.text for d in docs))
    n = len(index)
    base = list(accumulate((len(d.text) + 1 for d in docs), initial=0))
    groups = (
        [d.gspans for d in docs], [list(d.sides[0][0]) for d in docs], [list(d.sides[0][1]) for d in docs],
        [d.pspans for d in docs], [list(d.sides[1][0]) for d in docs], [list(d.sides[1][1]) for d in docs],
    )  # fmt: skip
    counts = [[len(spans) for spans in group] for group in groups]
    sizes = [sum(c) for c in counts]
    i, j = _token_ranges(index, base, groups, counts)
    # the gold side's spans come first (quotes, cues, sources), then the predicted side's in the same order
    shift = np.repeat(np.array([0, n, 2 * n, 0, n, 2 * n], dtype=np.int64), sizes)
    i += shift
    j += shift
    gold_end = sum(sizes[:3])
    gi, gj, pi, pj = i[:gold_end], j[:gold_end], i[gold_end:], j[gold_end:]
    tokens = (j - i).tolist()
    covered = np.concatenate((covered_counts(gi, gj, pi, pj), covered_counts(pi, pj, gi, gj))).tolist()
    starts = list(accumulate(sizes, initial=0))
    g_tok, g_cov = tokens[: sizes[0]], covered[: sizes[0]]
    p_tok, p_cov = tokens[starts[3] : starts[4]], covered[starts[3] : starts[4]]
    short = [
        (_by_document(tokens, starts[k], counts[k]), _by_document(covered, starts[k], counts[k])) for k in (1, 2, 4, 5)
    ]  # fmt: skip
    out = []
    g_at = p_at = 0
    for m, d in enumerate(docs):
        g, p = slice(g_at, g_at + len(d.gspans)), slice(p_at, p_at + len(d.pspans))
        cue, source = (
            _component(d.sides[0][k], d.sides[1][k], *short[k], *short[k + 2], m) for k in range(2)
        )  # fmt: skip
        out.append(DocumentTokens(g_tok[g], g_cov[g], p_tok[p], p_cov[p], cue, source))
        g_at, p_at = g.stop, p.stop
    return out


def _component(gold: SpanSet, pred: SpanSet, g_tok: list[int], g_cov: list[int], p_tok: list[int], p_cov: list[int],
               m: int) -> ComponentCounts:  # fmt: skip
    """The counts of a cue or source component of the ``m``-th document (docs/metrics.md §5a): no alignment, the
    two sides' distinct spans compared as wholes, with their tokens and covered tokens summed by document."""
    c = ComponentCounts()
    c.gold, c.pred, c.exact = len(gold), len(pred), len(gold & pred)
    c.gold_tokens, c.gold_tokens_predicted = g_tok[m], g_cov[m]
    c.pred_tokens, c.pred_tokens_in_gold = p_tok[m], p_cov[m]
    return c


def _by_document(values: list[int], start: int, counts: list[int]) -> list[int]:
    """``values`` from ``start`` summed in consecutive runs of ``counts`` (a run may be empty): each document's
    total."""
    running = list(accumulate(values[start : start + sum(counts)], initial=0))
    ends = list(accumulate(counts, initial=0))
    return [running[b] - running[a] for a, b in pairwise(ends)]


def _token_ranges(
    index: TokenIndex, base: list[int], groups: Sequence[list[list[tuple[int, int]]]], counts: list[list[int]]
):
    """The token ranges (``TokenIndex.token_ranges``) of every span of ``groups``, group after group, each group
    holding each document's spans (``counts``: how many), ``base`` being where each document's text starts in
    the index's."""
    runs = [spans for group in groups for spans in group]
    total = sum(map(sum, counts))
    bounds = np.fromiter(chain.from_iterable(chain.from_iterable(runs)), dtype=np.int64, count=2 * total)
    shift = np.repeat(np.tile(np.array(base[:-1], dtype=np.int64), len(groups)), list(chain.from_iterable(counts)))
    return index.token_ranges(bounds[0::2] + shift, bounds[1::2] + shift)


def score_document(
    doc: AlignedDocument, tokens: DocumentTokens, errors: list[DocumentErrors], key: Callable[[Quote], Hashable],
    content: ComponentCounts,
) -> dict[Any, Counts]:
    """Counts of one document by ``key`` of the quotes (assigned as docs/metrics.md §6 says: a prediction
    under the key of the gold quote it is aligned with, its own when unaligned); its content component
    counts (§5a) added to ``content``; what its errors are made of, if it has any, appended to ``errors``
    (DocumentErrors)."""
    doc_id, text, gold, pred = doc.doc_id, doc.text, doc.gold, doc.pred
    gspans, pspans, entities, pairs = doc.gspans, doc.pspans, doc.entities, doc.pairs
    partner_of_pred: list[int | None] = [None] * len(pred)
    aligned_gold = [False] * len(gold)
    for i, j in pairs:
        partner_of_pred[j] = i
        aligned_gold[i] = True

    gold_type = [key(q) for q in gold]
    pred_type = [gold_type[i] if i is not None else key(q) for q, i in zip(pred, partner_of_pred, strict=True)]
    by_type = {t: Counts() for t in dict.fromkeys(gold_type + pred_type)}  # in order of first use

    # Token coverage (citron): T_G and T_P are the tokens covered by any gold / predicted quote.
    gtok, gcov, ptok, pcov = tokens.gold_tokens, tokens.gold_covered, tokens.pred_tokens, tokens.pred_covered
    _add_content(content, zip(gspans, gtok, gcov, strict=True), zip(pspans, ptok, pcov, strict=True))

    # The overlaps below are written out (min of the ends minus max of the starts) rather than calls of
    # ``overlap``: this loop runs once per quote and pair of a whole evaluation.
    for q, t, tok, covered in zip(gold, gold_type, gtok, gcov, strict=True):
        c = by_type[t]
        c.gold += 1
        c.gold_tokens += tok
        c.gold_tokens_predicted += covered
        if q.speaker is not None:
            c.attribution_gold += 1

    for t, tok, covered, partner in zip(pred_type, ptok, pcov, partner_of_pred, strict=True):
        c = by_type[t]
        c.pred += 1
        c.pred_tokens += tok
        c.pred_tokens_in_gold += covered
        if partner is None or gold[partner].speaker is not None:
            c.attribution_pred += 1

    pair_errors: list[tuple[int, int, str]] = []
    for i, j in pairs:
        g, p = gold[i], pred[j]
        c = by_type[gold_type[i]]
        c.aligned += 1
        gs, ge = gspans[i]
        ps, pe = pspans[j]
        if gs == ps and ge == pe:
            c.exact += 1
        else:
            pair_errors.append((i, j, "boundary"))
        shared = (ge if ge < pe else pe) - (gs if gs > ps else ps)  # positive: aligned spans overlap
        glen = ge - gs
        # |g ∩ p| / |g| ≥ 0.3 and ≥ 0.8, in integers so that no rounding moves a pair across.
        if 10 * shared >= 3 * glen:
            c.over03 += 1
        if 10 * shared >= 8 * glen:
            c.over08 += 1
        if g.speaker is not None:
            c.speaker_pairs += 1
            if entities.accepts(i, p):
                c.speaker_correct += 1
                c.attribution_tp += 1
            else:
                pair_errors.append((i, j, "wrong speaker"))
        g_cue = g.cue
        if g_cue is not None and g_cue.end > g_cue.start:  # an empty cue span is no cue
            c.cue_pairs += 1
            p_cue = p.cue
            if p_cue is not None and (
                (g_cue.end if g_cue.end < p_cue.end else p_cue.end)
                > (g_cue.start if g_cue.start > p_cue.start else p_cue.start)
            ):
                c.cue_correct += 1
            else:
                pair_errors.append((i, j, "wrong cue"))
        gold_role = role_key(g.role)
        if gold_role:
            c.role_pairs += 1
            if role_key(p.role) == gold_role:
                c.role_exact += 1
            else:
                pair_errors.append((i, j, "wrong role"))
            c.role_f1_sum += _role_f1(g.role or "", p.role)
    if pair_errors or len(pairs) < len(gold) or len(pairs) < len(pred):
        errors.append(DocumentErrors(doc_id, text, gold, pred, partner_of_pred, aligned_gold, pair_errors))
    for c in by_type.values():
        c.documents = 1
    return by_type


def cue_and_source_spans(quotes: list[Quote]) -> tuple[SpanSet, SpanSet]:
    """The distinct non-empty cue spans and speaker mention spans (the source) of one side's quotes, as
    given (docs/metrics.md §5a)."""
    cue: SpanSet = set()
    source: SpanSet = set()
    for q in quotes:
        if q.cue is not None and q.cue.end > q.cue.start:
            cue.add((q.cue.start, q.cue.end))
        mention = q.speaker.mention if q.speaker is not None else None
        if mention is not None and mention.end > mention.start:
            source.add((mention.start, mention.end))
    return cue, source


SpanTokens = Iterable[tuple[tuple[int, int], int, int]]  # (span, its tokens, how many the other side covers)


def _add_content(c: ComponentCounts, gold: SpanTokens, pred: SpanTokens) -> None:
    """Adds to ``c`` the content component (docs/metrics.md §5a) of one document from the token counts
    already taken for the quotes' token metric: each distinct non-empty normalised span once."""
    g = {span: (tok, n) for span, tok, n in gold if span[1] > span[0]}
    p = {span: (tok, n) for span, tok, n in pred if span[1] > span[0]}
    c.gold += len(g)
    c.pred += len(p)
    c.exact += len(g.keys() & p.keys())
    for tokens, n in g.values():
        c.gold_tokens += tokens
        c.gold_tokens_predicted += n
    for tokens, n in p.values():
        c.pred_tokens += tokens
        c.pred_tokens_in_gold += n


def _alignment(
    text: str, gold: list[Quote], pred: list[Quote]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], Entities, list[tuple[int, int]]]:
    """The normalised spans, gold entities and aligned (gold, pred) index pairs of one document's
    quotes, both sides already in ``quote_key`` order (docs/metrics.md §1, §2, §4)."""
    gspans = [edge_normalise(text, q.start, q.end) for q in gold]
    pspans = [edge_normalise(text, q.start, q.end) for q in pred]
    entities = Entities(gold)
    pairs = align(gspans, pspans, lambda i, j: entities.accepts(i, pred[j]))
    return gspans, pspans, entities, pairs


def attribution_outcomes(text: str, gold: list[Quote], pred: list[Quote]) -> list[bool | None]:
    """How the attribution figure (docs/metrics.md §4) counts each predicted quote of one document,
    in the order given, for breakdowns ``evaluate`` does not make (by the rule that proposed a quote).

    True: a true positive, aligned to a gold quote with a speaker that it names correctly. None: left
    out of P, aligned to a gold quote without a speaker. False: against P, aligned to nothing or
    naming no or the wrong speaker. So the Trues sum to ``attribution_tp`` and the non-Nones to
    ``attribution_pred``.
    """
    gold = sorted(gold, key=quote_key)
    order = sorted(range(len(pred)), key=lambda j: quote_key(pred[j]))
    ordered = [pred[j] for j in order]
    _, _, entities, pairs = _alignment(text, gold, ordered)
    outcomes: list[bool | None] = [False] * len(pred)
    for i, j in pairs:
        outcomes[order[j]] = None if gold[i].speaker is None else entities.accepts(i, ordered[j])
    return outcomes


def _ordered_types(types: Iterable[str]) -> list[str]:
    known = [t for t in QUOTE_TYPES if t in types]
    return known + sorted(t for t in types if t not in QUOTE_TYPES)


def marginal(buckets: dict[tuple[str, ...], Counts], n: int) -> dict[str, Counts]:
    """One document's counts by its ``n``-th breakdown value; the document counts once under each."""
    out: dict[str, Counts] = {}
    for values, c in buckets.items():
        if values[n] not in out:
            out[values[n]] = Counts()
        out[values[n]] += c
    for c in out.values():
        c.documents = 1
    return out


def _totals_by_value(documents: Iterable[dict[tuple[str, ...], Counts]], n: int, width: int) -> dict[str, Counts]:
    """The documents' counts summed by their ``n``-th breakdown value (of ``width``), each document once under
    each of its values: its ``marginal``, which is its buckets themselves when there is one field; summed at
    the end by ``Tally.total``, in document order, as adding them up one document at a time would."""
    groups: dict[str, list[Counts]] = {}
    for buckets in documents:
        parts = {values[0]: c for values, c in buckets.items()} if width == 1 else marginal(buckets, n)
        for value, c in parts.items():
            groups.setdefault(value, []).append(c)
    return {value: Counts.total(parts) for value, parts in groups.items()}


def _ordered_values(values: Iterable[str]) -> list[str]:
    """Breakdown values sorted, ``(none)`` last."""
    return sorted(values, key=lambda v: (v == NO_VALUE, v))


def _index_predictions(pred: Iterable[AnnotatedDocument]) -> dict[str, AnnotatedDocument]:
    out: dict[str, AnnotatedDocument] = {}
    for ad in pred:
        doc_id = ad.document.id
        if doc_id in out:
            raise EvaluationError(f"the predictions hold document {doc_id!r} twice")
        out[doc_id] = ad
    return out


def paired_documents(
    gold: Iterable[AnnotatedDocument], pred: Iterable[AnnotatedDocument]
) -> Iterator[tuple[str, str, list[Quote], list[Quote]]]:
    """(id, text, gold quotes, predicted quotes) for each gold document, checked for comparability."""
    by_id = _index_predictions(pred)
    seen: set[str] = set()
    for ad in gold:
        doc = ad.document
        if doc.id in seen:
            raise EvaluationError(f"the gold holds document {doc.id!r} twice")
        seen.add(doc.id)
        other = by_id.get(doc.id)
        pquotes: list[Quote] = []
        if other is not None:
            if other.document.text != doc.text:
                raise EvaluationError(
                    f"document {doc.id!r} has a different text in the gold and in the predictions"
                )
            pquotes = list(other.quotes)
        check_spans(doc.id, doc.text, ad.quotes, "the gold")
        check_spans(doc.id, doc.text, pquotes, "the predictions")
        yield doc.id, doc.text, list(ad.quotes), pquotes


def _type_only(q: Quote) -> tuple[str]:
    """A quote's breakdown values when type is the only breakdown."""
    return (q.type,)


def _breakdown_key(fields: tuple[str, ...], meta: dict[str, Any]) -> Callable[[Quote], tuple[str, ...]]:
    """A quote's breakdown values (type first) in a document with this ``meta``."""
    return lambda q: (q.type, *(field_value(f, q, meta) for f in fields[1:]))


def evaluate(
    gold: Iterable[AnnotatedDocument], pred: Iterable[AnnotatedDocument], by: Sequence[str] = ()
) -> EvaluationResult:
    """Score predictions against gold with every metric of docs/metrics.md.

    Documents are matched by id. A gold document absent from the predictions has
    no predicted quotes (its gold quotes are all misses); predicted documents
    absent from the gold are ignored. A document with neither gold nor predicted
    quotes adds nothing to any count and has no ``by_document`` entry. ``by`` names
    breakdowns besides type and document (``field_value``). Raises
    EvaluationError when an id repeats on one side, when gold and predictions
    carry different texts under one id, or when a span lies outside its text.
    """
    fields = ("type", *dict.fromkeys(f for f in by if f not in ("type", "doc")))
    result = EvaluationResult(fields)
    meta_of: dict[str, dict[str, Any]] = {}
    if len(fields) > 1:  # a field may be a key of the document's meta
        gold = list(gold)
        meta_of = {ad.document.id: ad.document.meta for ad in gold}
    scored = (AlignedDocument.of(*d) for d in paired_documents(gold, pred) if d[2] or d[3])
    for batch in batches(scored):
        for doc, tokens in zip(batch, document_tokens(batch), strict=True):
            doc_id = doc.doc_id
            key = _type_only if len(fields) == 1 else _breakdown_key(fields, meta_of.get(doc_id, {}))
            content = ComponentCounts()
            buckets = score_document(doc, tokens, result.document_errors, key, content)
            result.document_components[doc_id] = {"content": content, "cue": tokens.cue, "source": tokens.source}
            doc_total = Counts()
            for c in buckets.values():
                doc_total += c
            doc_total.documents = 1
            result.by_document[doc_id] = doc_total
            result.document_buckets[doc_id] = buckets
    result.overall = Counts.total(result.by_document.values())
    result.components = {
        name: ComponentCounts.total(d[name] for d in result.document_components.values()) for name in COMPONENTS
    }
    bucket_counts = [_totals_by_value(result.document_buckets.values(), n, len(fields)) for n in range(len(fields))]
    result.by_type = {t: bucket_counts[0][t] for t in _ordered_types(bucket_counts[0])}
    result.breakdowns = {
        f: {v: bucket_counts[n][v] for v in _ordered_values(bucket_counts[n])} for n, f in enumerate(fields[1:], 1)
    }
    return result
