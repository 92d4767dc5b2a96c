"""An independent, deliberately naive reference implementation of every figure of docs/metrics.md, and property
tests that the library agrees with it on random small documents: ``evaluate`` (overall, by type, by
document, the error counts) and ``agreement`` (Cohen's κ over characters, aligned and exact pairs); plus
the command line's table (P and R in their own columns, a dash for null).

The reference shares no code with annotator.evaluation: edge normalisation strips one mark at a time,
alignment enumerates every one-to-one matching, tokens are sets of indices of the whole text's ``\\w+``
runs (the ``regex`` module's ``\\w``, the project's token definition), and every ratio is a Fraction.
Where a plain reading of the definitions leaves a point open it follows the library's choice (each also
written in docs/metrics.md):

- F1 is 0 when P or R is 0 even if the other is null, and null when both are null (metrics.f1);
- between alignments tied on overlap and symmetric difference, the one with the most identical
  pairs, then the one with the most pairs whose predicted speaker is right is taken (align.align,
  its ``bonus``); any remaining tie is arbitrary, so the library must equal the reference under
  *some* alignment optimal on all four criteria;
- speaker names are pooled and compared case-folded with white space collapsed; a blank name
  pools with nothing by name (metrics.Entities);
- a gold quote "has a speaker" when it has a Speaker object, whatever its name;
- an empty gold cue span is no cue; a gold role counts only when something remains after
  case-folding and stripping surrounding punctuation; two roles without ``\\w`` tokens have token
  F1 1 when their normalised forms are equal, else 0;
- by type, token sums follow the quote's assigned type while T_G and T_P stay the whole document's;
  a document counts once under each type it contributes a quote to.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import Counter
from fractions import Fraction

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.evaluation import agreement, evaluate
from annotator.model import AnnotatedDocument, Document, Quote, Span, Speaker

TOL = 1e-9

# --- edge normalisation (docs/metrics.md §1) ---------------------------------------

_QUOTE_MARKS = set("\"'„‟«»‹›")
_PUNCT = set(",.:;")
_SPACE = regex.compile(r"\s")


def _strippable(ch: str) -> bool:
    return (
        bool(_SPACE.fullmatch(ch))
        or unicodedata.category(ch) in ("Pi", "Pf")
        or ch in _QUOTE_MARKS
        or ch in _PUNCT
    )


def ref_normalise(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip one mark (or a doubled `` / '') at a time from either end until nothing changes."""
    changed = True
    while changed and start < end:
        changed = False
        piece = text[start:end]
        if piece[:2] in ("``", "''"):
            start, changed = start + 2, True
        elif _strippable(piece[0]):
            start, changed = start + 1, True
        if start >= end:
            break
        piece = text[start:end]
        if piece[-2:] in ("``", "''") and len(piece) >= 2:
            end, changed = end - 2, True
        elif _strippable(piece[-1]):
            end, changed = end - 1, True
    if start >= end:
        return (start, start)
    return start, end


def ov(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


# --- speakers (docs/metrics.md §4) -------------------------------------------------


def key(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


class RefEntities:
    """Gold entities by naive transitive closure over pairs of gold quotes."""

    def __init__(self, gold: list[Quote]):
        n = len(gold)
        linked = [[False] * n for _ in range(n)]
        for i, j in itertools.product(range(n), repeat=2):
            a, b = gold[i].speaker, gold[j].speaker
            if a is None or b is None:
                continue
            ka, kb = key(a.name), key(b.name)
            if i == j or (ka and ka == kb) or (ka and ka in {key(x) for x in b.aliases}) or (
                kb and kb in {key(x) for x in a.aliases}
            ):
                linked[i][j] = linked[j][i] = True
        # Transitive closure (Floyd–Warshall style).
        for k, i, j in itertools.product(range(n), repeat=3):
            if linked[i][k] and linked[k][j]:
                linked[i][j] = True
        self.gold = gold
        self.linked = linked

    def accepts(self, i: int, pred: Quote) -> bool:
        if self.gold[i].speaker is None or pred.speaker is None:
            return False
        members = [self.gold[k].speaker for k in range(len(self.gold)) if self.linked[i][k]]
        keys = set()
        for sp in members:
            keys.add(key(sp.name))
            keys.update(key(a) for a in sp.aliases)
            if sp.mention is not None:
                keys.add(key(sp.mention.text))
        keys.discard("")
        pm = pred.speaker.mention
        if pm is not None:
            for sp in members:
                if sp.mention is not None and ov((sp.mention.start, sp.mention.end), (pm.start, pm.end)) > 0:
                    return True
        return key(pred.speaker.name) in keys


# --- roles (docs/metrics.md §5) ----------------------------------------------------

_WORD = regex.compile(r"\w+")


def role_norm(role: str | None) -> str:
    s = " ".join((role or "").casefold().split())
    strip = lambda c: c.isspace() or unicodedata.category(c).startswith("P")  # noqa: E731
    while s and strip(s[0]):
        s = s[1:]
    while s and strip(s[-1]):
        s = s[:-1]
    return s


def role_f1(gold: str, pred: str | None) -> Fraction:
    if pred is None:
        return Fraction(0)
    g, p = Counter(_WORD.findall(gold.casefold())), Counter(_WORD.findall(pred.casefold()))
    if not g and not p:  # library choice: no tokens on either side compares the normalised roles
        return Fraction(1) if role_norm(gold) == role_norm(pred) else Fraction(0)
    shared = sum(min(g[t], p[t]) for t in g)
    return Fraction(2 * shared, sum(g.values()) + sum(p.values()))


# --- alignment (docs/metrics.md §2), by brute force ----------------------------------


def all_matchings(n_gold: int, n_pred: int, allowed: set[tuple[int, int]]):
    """Every one-to-one matching using only allowed pairs (including the empty one)."""

    def rec(i: int, used: frozenset[int]):
        if i == n_gold:
            yield []
            return
        yield from rec(i + 1, used)
        for j in range(n_pred):
            if j not in used and (i, j) in allowed:
                for rest in rec(i + 1, used | {j}):
                    yield [(i, j), *rest]

    yield from rec(0, frozenset())


def optimal_matchings(gspans, pspans, right) -> list[list[tuple[int, int]]]:
    allowed = {
        (i, j)
        for i, g in enumerate(gspans)
        for j, p in enumerate(pspans)
        if g[1] > g[0] and p[1] > p[0] and ov(g, p) > 0
    }
    best, out = None, []
    for m in all_matchings(len(gspans), len(pspans), allowed):
        total = sum(ov(gspans[i], pspans[j]) for i, j in m)
        symdiff = sum(
            (gspans[i][1] - gspans[i][0]) + (pspans[j][1] - pspans[j][0]) - 2 * ov(gspans[i], pspans[j])
            for i, j in m
        )
        identical = sum(gspans[i] == pspans[j] for i, j in m)
        score = (total, -symdiff, identical, sum(right(i, j) for i, j in m))
        if best is None or score > best:
            best, out = score, [m]
        elif score == best:
            out.append(m)
    return out


# --- counts of one document under one alignment --------------------------------------

FIELDS = (
    "gold", "pred", "aligned", "exact", "o3", "o8", "gtok", "gtok_hit", "ptok", "ptok_hit",
    "sp_pairs", "sp_right", "att_gold", "att_pred", "att_tp", "cue_pairs", "cue_right",
    "role_pairs", "role_exact", "role_f1",
)  # fmt: skip


def doc_counts(text: str, gold: list[Quote], pred: list[Quote], matching, ents: RefEntities, gspans, pspans):
    """{type: Counter of FIELDS} for one document under one alignment."""
    toks = [m.span() for m in _WORD.finditer(text)]

    def tok(span):
        return {k for k, t in enumerate(toks) if span[1] > span[0] and ov(t, span) > 0}

    gt = [tok(s) for s in gspans]
    pt = [tok(s) for s in pspans]
    t_gold = set().union(*gt) if gt else set()
    t_pred = set().union(*pt) if pt else set()
    partner = {j: i for i, j in matching}
    out: dict[str, Counter] = {}

    def c(t: str) -> Counter:
        return out.setdefault(t, Counter())

    for i, g in enumerate(gold):
        b = c(g.type)
        b["gold"] += 1
        b["gtok"] += len(gt[i])
        b["gtok_hit"] += len(gt[i] & t_pred)
        b["att_gold"] += g.speaker is not None
    for j, p in enumerate(pred):
        i = partner.get(j)
        b = c(gold[i].type if i is not None else p.type)
        b["pred"] += 1
        b["ptok"] += len(pt[j])
        b["ptok_hit"] += len(pt[j] & t_gold)
        b["att_pred"] += i is None or gold[i].speaker is not None
    for i, j in matching:
        g, p, b = gold[i], pred[j], c(gold[i].type)
        gs, ps = gspans[i], pspans[j]
        b["aligned"] += 1
        b["exact"] += gs == ps
        share = Fraction(ov(gs, ps), gs[1] - gs[0])
        b["o3"] += share >= Fraction(3, 10)
        b["o8"] += share >= Fraction(8, 10)
        if g.speaker is not None:
            b["sp_pairs"] += 1
            if ents.accepts(i, p):
                b["sp_right"] += 1
                b["att_tp"] += 1
        if g.cue is not None and g.cue.end > g.cue.start:
            b["cue_pairs"] += 1
            b["cue_right"] += p.cue is not None and ov((g.cue.start, g.cue.end), (p.cue.start, p.cue.end)) > 0
        if role_norm(g.role):
            b["role_pairs"] += 1
            b["role_exact"] += role_norm(p.role) == role_norm(g.role)
            b["role_f1"] += role_f1(g.role, p.role)
    return out


def doc_candidates(text: str, gold: list[Quote], pred: list[Quote]) -> list[dict[str, Counter]]:
    """The counts of the document under every alignment optimal on all four criteria, deduplicated."""
    gspans = [ref_normalise(text, q.start, q.end) for q in gold]
    pspans = [ref_normalise(text, q.start, q.end) for q in pred]
    ents = RefEntities(gold)
    found = []
    for m in optimal_matchings(gspans, pspans, lambda i, j: ents.accepts(i, pred[j])):
        counts = doc_counts(text, gold, pred, m, ents, gspans, pspans)
        if counts not in found:
            found.append(counts)
    return found


# --- figures from counts ---------------------------------------------------------------


def div(a, b):
    return None if b == 0 else Fraction(a) / Fraction(b)


def ref_f1(p, r):
    if p == 0 or r == 0:  # library choice (metrics.f1)
        return Fraction(0)
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r)


def prf(tp_p, den_p, tp_r, den_r):
    p, r = div(tp_p, den_p), div(tp_r, den_r)
    return {"p": p, "r": r, "f1": ref_f1(p, r)}


def figures_of(b: Counter, documents: int) -> dict:
    return {
        "counts": {"documents": documents, "gold": b["gold"], "pred": b["pred"], "aligned": b["aligned"]},
        "quotes": {
            "exact": prf(b["exact"], b["pred"], b["exact"], b["gold"]),
            "overlap@0.3": prf(b["o3"], b["pred"], b["o3"], b["gold"]),
            "overlap@0.8": prf(b["o8"], b["pred"], b["o8"], b["gold"]),
            "lenient": prf(b["aligned"], b["pred"], b["aligned"], b["gold"]),
            "token": prf(b["ptok_hit"], b["ptok"], b["gtok_hit"], b["gtok"]),
        },
        "speaker_accuracy": div(b["sp_right"], b["sp_pairs"]),
        "attribution": prf(b["att_tp"], b["att_pred"], b["att_tp"], b["att_gold"]),
        "cue_accuracy": div(b["cue_right"], b["cue_pairs"]),
        "role_exact": div(b["role_exact"], b["role_pairs"]),
        "role_token_f1": div(b["role_f1"], b["role_pairs"]),
    }


def reference_json(per_doc: list[dict[str, Counter]]) -> dict:
    """``overall`` and ``by_type`` from chosen per-document counts (micro averages: sums, then ratios)."""
    overall, by_type, type_docs = Counter(), {}, Counter()
    for counts in per_doc:
        for t, b in counts.items():
            overall.update(b)
            by_type.setdefault(t, Counter()).update(b)
            type_docs[t] += 1
    return {
        "overall": figures_of(overall, len(per_doc)),
        "by_type": {t: figures_of(b, type_docs[t]) for t, b in by_type.items()},
    }


def reference_candidates(gold: list[AnnotatedDocument], pred: list[AnnotatedDocument]) -> list[dict]:
    """The reference ``overall``, ``by_type`` and ``by_document`` (and error counts by kind), one per combination
    of the documents' optimal alignments."""
    preds = {ad.document.id: ad for ad in pred}
    ids, options = [], []
    for ad in gold:
        pq = list(preds[ad.document.id].quotes) if ad.document.id in preds else []
        if not ad.quotes and not pq:
            continue  # adds nothing to any count
        ids.append(ad.document.id)
        options.append(doc_candidates(ad.document.text, list(ad.quotes), pq))
    out = []
    for choice in itertools.product(*options):
        data = reference_json(list(choice))
        data["by_document"] = {d: reference_json([counts])["overall"] for d, counts in zip(ids, choice, strict=True)}
        total = sum((Counter(b) for counts in choice for b in counts.values()), Counter())
        data["errors"] = {
            "miss": total["gold"] - total["aligned"],
            "false positive": total["pred"] - total["aligned"],
            "wrong speaker": total["sp_pairs"] - total["sp_right"],
            "boundary": total["aligned"] - total["exact"],
            "wrong cue": total["cue_pairs"] - total["cue_right"],
            "wrong role": total["role_pairs"] - total["role_exact"],
        }
        data["components"] = ref_components(gold, preds)
        out.append(data)
    return out


# --- component scores (docs/metrics.md §5a): no alignment, span sets ------------------------


def ref_component_spans(text: str, quotes: list[Quote]) -> dict[str, set[tuple[int, int]]]:
    content = {ref_normalise(text, q.start, q.end) for q in quotes}
    cue = {(q.cue.start, q.cue.end) for q in quotes if q.cue is not None}
    source = {(q.speaker.mention.start, q.speaker.mention.end)
              for q in quotes if q.speaker is not None and q.speaker.mention is not None}  # fmt: skip
    return {name: {s for s in spans if s[1] > s[0]}
            for name, spans in (("content", content), ("cue", cue), ("source", source))}  # fmt: skip


def ref_components(gold: list[AnnotatedDocument], preds: dict[str, AnnotatedDocument]) -> dict:
    sums = {name: Counter() for name in ("content", "cue", "source")}
    for ad in gold:
        text = ad.document.text
        pq = list(preds[ad.document.id].quotes) if ad.document.id in preds else []
        g, p = ref_component_spans(text, list(ad.quotes)), ref_component_spans(text, pq)
        toks = [m.span() for m in _WORD.finditer(text)]

        def tok(span, toks=toks):
            return {k for k, t in enumerate(toks) if ov(t, span) > 0}

        for name, b in sums.items():
            t_gold = set().union(*map(tok, g[name])) if g[name] else set()
            t_pred = set().union(*map(tok, p[name])) if p[name] else set()
            b["gold"] += len(g[name])
            b["pred"] += len(p[name])
            b["exact"] += len(g[name] & p[name])
            b["gtok"] += sum(len(tok(s)) for s in g[name])
            b["gtok_hit"] += sum(len(tok(s) & t_pred) for s in g[name])
            b["ptok"] += sum(len(tok(s)) for s in p[name])
            b["ptok_hit"] += sum(len(tok(s) & t_gold) for s in p[name])
    return {
        name: {
            "counts": {"gold": b["gold"], "pred": b["pred"], "exact": b["exact"]},
            "exact": prf(b["exact"], b["pred"], b["exact"], b["gold"]),
            "token": prf(b["ptok_hit"], b["ptok"], b["gtok_hit"], b["gtok"]),
        }
        for name, b in sums.items()
    }


def mismatches(expected, actual, path=()) -> list[str]:
    """Differences between a reference object and the library's JSON (library extras in counts ignored)."""
    if isinstance(expected, dict):
        if path == ("errors",):
            same = set(actual) <= set(expected) and all(actual.get(k, 0) == v for k, v in expected.items())
            return [] if same else [f"errors {dict(actual)} != {expected}"]
        if not isinstance(actual, dict):
            return [f"{path}: {actual!r} is not an object"]
        out = []
        if path and path[-1] != "counts" and set(expected) != set(actual):
            out.append(f"{path}: keys {sorted(actual)} != {sorted(expected)}")
        for k, v in expected.items():
            out += mismatches(v, actual.get(k, "<absent>"), (*path, k))
        return out
    if expected is None or actual is None:
        return [] if expected is actual else [f"{path}: {actual!r} != {expected!r}"]
    if isinstance(actual, str) or abs(float(expected) - float(actual)) > TOL:
        return [f"{path}: {actual!r} != {float(expected)!r}"]
    return []


def check_against_reference(gold, pred) -> None:
    result = evaluate(gold, pred)
    lib = result.as_json()
    assert list(lib["by_document"]) == [d for d in (ad.document.id for ad in gold) if d in lib["by_document"]]
    assert list(lib["by_type"]) == [t for t in TYPES if t in lib["by_type"]]
    lib["errors"] = Counter(e.kind for e in result.errors())
    candidates = reference_candidates(gold, pred)
    diffs = [mismatches(c, lib) for c in candidates]
    assert any(not d for d in diffs), min(diffs, key=len)
    # Each error names a quote of its document as labelled: a miss a gold quote, a false positive a prediction.
    labelled = {
        (side, ad.document.id, q.start, q.end)
        for side, layer in (("g", gold), ("p", pred))
        for ad in layer
        for q in ad.quotes
    }
    for e in result.errors():
        side = "p" if e.kind == "false positive" else "g"
        assert (side, e.doc_id, e.start, e.end) in labelled, e
    # Content and the quote figures agree when no side repeats a normalised span (docs/metrics.md §5a).
    if not any(repeats_a_span(ad) for ad in (*gold, *pred)):
        content, counts = lib["components"]["content"]["counts"], lib["overall"]["counts"]
        for key in ("exact", "gold_tokens", "gold_tokens_predicted", "pred_tokens", "pred_tokens_in_gold"):
            assert content[key] == counts[key], key


def repeats_a_span(ad: AnnotatedDocument) -> bool:
    spans = [ref_normalise(ad.document.text, q.start, q.end) for q in ad.quotes]
    spans = [s for s in spans if s[1] > s[0]]
    return len(set(spans)) < len(spans)


# --- hand-checked cases for the reference itself ------------------------------------------


def test_reference_normalisation_strips_marks_and_doubled_backticks():
    text = " «“``Ya, kata dia.''”» ,"
    s, e = ref_normalise(text, 0, len(text))
    assert text[s:e] == "Ya, kata dia"
    assert ref_normalise("`a`", 0, 3) == (0, 3)  # a single backtick is no quote mark
    assert ref_normalise(" .,“”", 0, 5)[1] - ref_normalise(" .,“”", 0, 5)[0] == 0


def test_reference_and_library_agree_that_quote_marks_do_not_matter():
    # Gold with ``…'' and “…”, predictions without: every span is exact after normalisation.
    t = "``Ya, kata dia.'' dan “Tidak” , ``Oke``"
    g = [AnnotatedDocument(Document("d", t), [Quote(0, 17, t[:17]), Quote(22, 29, t[22:29]), Quote(32, 39, t[32:39])])]
    p = [AnnotatedDocument(Document("d", t), [Quote(2, 14, t[2:14]), Quote(23, 28, t[23:28]), Quote(34, 37, t[34:37])])]
    (ref,) = reference_candidates(g, p)
    assert ref["overall"]["quotes"]["exact"] == {"p": 1, "r": 1, "f1": 1}
    check_against_reference(g, p)


def test_reference_and_library_on_precision_recall_asymmetry():
    # 1 gold, 3 predictions of which one is the gold span: P = 1/3 (matches / |P|), R = 1/1.
    t = "aaaa bbbb cccc dddd"
    g = [AnnotatedDocument(Document("d", t), [Quote(0, 4, "aaaa")])]
    p = [AnnotatedDocument(Document("d", t), [Quote(0, 4, "aaaa"), Quote(5, 9, "bbbb"), Quote(10, 14, "cccc")])]
    (ref,) = reference_candidates(g, p)
    assert ref["overall"]["quotes"]["exact"] == {"p": Fraction(1, 3), "r": 1, "f1": Fraction(1, 2)}
    check_against_reference(g, p)


def test_reference_prefers_two_small_overlaps_over_one_large():
    # G1 [0,10) G2 [10,20); P1 [4,14) overlaps G1 by 6 and G2 by 4, P2 [0,5) overlaps G1 by 5.
    # Greedy takes G1–P1 (6) and stops; the optimum is G1–P2 + G2–P1 = 9.
    t = "a" * 20
    g = [AnnotatedDocument(Document("d", t), [Quote(0, 10, t[:10]), Quote(10, 20, t[10:])])]
    p = [AnnotatedDocument(Document("d", t), [Quote(4, 14, t[4:14]), Quote(0, 5, t[:5])])]
    (ref,) = reference_candidates(g, p)
    assert ref["overall"]["counts"]["aligned"] == 2
    check_against_reference(g, p)


def test_reference_overlap_thresholds_are_inclusive():
    # |g ∩ p| / |g| = 3/10 counts at 0.3; 4/5 counts at 0.8; 7/10 does not count at 0.8.
    t = "a" * 30
    g = [AnnotatedDocument(Document("d", t), [Quote(0, 10, t[:10]), Quote(15, 20, t[15:20]), Quote(20, 30, t[20:])])]
    p = [AnnotatedDocument(Document("d", t), [Quote(7, 12, t[7:12]), Quote(16, 20, t[16:20]), Quote(23, 30, t[23:])])]
    (ref,) = reference_candidates(g, p)
    assert ref["overall"]["quotes"]["overlap@0.3"]["r"] == 1
    assert ref["overall"]["quotes"]["overlap@0.8"]["r"] == Fraction(1, 3)
    check_against_reference(g, p)


def test_reference_pools_speakers_through_aliases_transitively_and_accepts_mention_texts():
    # G1 Ann (alias Bo), G2 Bo (alias Cy), G3 Cy: one entity. A prediction on G1 named "cy" is right,
    # and so is one on G3 named "Pak Dee", the text of G2's mention.
    t = "aaaa bbbb cccc Pak Dee"
    m = Span.of(t, 15, 22)
    g = [AnnotatedDocument(Document("d", t), [
        Quote(0, 4, "aaaa", speaker=Speaker("Ann", aliases=("Bo",))),
        Quote(5, 9, "bbbb", speaker=Speaker("Bo", aliases=("Cy",), mention=m)),
        Quote(10, 14, "cccc", speaker=Speaker("Cy")),
    ])]  # fmt: skip
    p = [AnnotatedDocument(Document("d", t), [
        Quote(0, 4, "aaaa", speaker=Speaker("cy")), Quote(10, 14, "cccc", speaker=Speaker("Pak  dee")),
    ])]  # fmt: skip
    (ref,) = reference_candidates(g, p)
    assert ref["overall"]["speaker_accuracy"] == 1
    check_against_reference(g, p)


def test_reference_role_tokens_are_bags():
    # "umum umum" against itself is F1 1 (a set would give 1/2); against "Umum" 2·1 / (2 + 1) = 2/3.
    t = "aaaa bbbb"
    g = [AnnotatedDocument(Document("d", t), [Quote(0, 4, "aaaa", role="umum umum"),
                                              Quote(5, 9, "bbbb", role="umum umum")])]
    p = [AnnotatedDocument(Document("d", t), [Quote(0, 4, "aaaa", role="Umum umum."),
                                              Quote(5, 9, "bbbb", role="Umum")])]
    (ref,) = reference_candidates(g, p)
    assert ref["overall"]["role_token_f1"] == Fraction(5, 6)
    assert ref["overall"]["role_exact"] == Fraction(1, 2)
    check_against_reference(g, p)


def test_reference_attribution_leaves_out_speakerless_gold_and_its_prediction():
    t = "aaaa bbbb cccc dddd"
    sp = lambda name: Speaker(name)  # noqa: E731
    g = [AnnotatedDocument(Document("d", t), [Quote(0, 4, "aaaa", speaker=sp("A")), Quote(5, 9, "bbbb")])]
    p = [AnnotatedDocument(Document("d", t), [
        Quote(0, 4, "aaaa", speaker=sp("a")), Quote(5, 9, "bbbb", speaker=sp("B")),
        Quote(10, 14, "cccc", speaker=sp("C")),
    ])]  # fmt: skip
    (ref,) = reference_candidates(g, p)
    # TP 1; P side: 3 predictions − 1 aligned to speaker-less gold = 2; R side: 2 gold − 1 = 1.
    assert ref["overall"]["attribution"] == {"p": Fraction(1, 2), "r": 1, "f1": Fraction(2, 3)}
    check_against_reference(g, p)


# --- the property test --------------------------------------------------------------------

WORDS = ["Ann", "ann", "Bo", "Cy", "kata", "said", "é\u0301", "x_1", "2", "²", "ab", "cd", "Ann Bo", "a-b"]
SEPARATORS = [
    " ", " ", " ", "\n", "\u00a0", " “", "” ", "„", " «", "» ", "‹", "›", "\"", "'", "''", " ``", "`",
    ", ", ". ", ": ", ";", " - ", "! ", " (", ") ", ",” ", " ‘", "`` ", ".'' ",
]  # fmt: skip
NAMES = ["Ann", "ann", " ANN ", "Bo", "Bo Cy", "bo  cy", "Cy", "Dee", ""]
ROLES = [
    None, "", "Ketua", "ketua", "Ketua Umum", "ketua umum,", "(Ketua) umum", "umum umum", "Umum umum umum.", "—", "+",
    "+ +",
]  # fmt: skip
TYPES = ["direct", "indirect", "mixed"]
LENGTHS = [*range(1, 21), 0]  # drawn uniformly: hypothesis's integers() favour the smallest


@st.composite
def annotated_document(draw, doc_id: str) -> tuple[AnnotatedDocument, AnnotatedDocument | None]:
    """A small document with up to five gold quotes and, most often, up to five predicted ones.

    Predictions are often gold quotes with their edges, cue, speaker and role perturbed, so that
    aligned pairs, partial overlaps, ties and near misses are common.
    """
    bounds = [0]
    if draw(st.sampled_from([True, False])):
        pieces = draw(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=8))
        text = ""
        for w, sep in pieces:
            text += w
            bounds.append(len(text))
            text += sep
            bounds.append(len(text))
    else:  # short and dense: every span overlaps several others
        text = draw(st.text(alphabet="ab “”", min_size=4, max_size=14))
        bounds.append(len(text))
    n = len(text)

    def span():  # rarely empty; often from one word or separator edge to another
        if draw(st.booleans()):
            s = draw(st.sampled_from(bounds))
            return s, draw(st.sampled_from([b for b in bounds if b >= s]))
        s = draw(st.integers(0, n))
        return s, min(n, s + draw(st.sampled_from(LENGTHS)))

    def near(s: int, e: int) -> tuple[int, int]:
        shift = draw(st.sampled_from([3, 3, 8]))
        s = min(max(0, s + draw(st.integers(-shift, shift))), n)
        return s, min(max(s, e + draw(st.integers(-shift, shift))), n)

    def speaker():
        if not draw(st.integers(0, 3)):
            return None
        words = [m.span() for m in _WORD.finditer(text)]
        mention = None
        if words and draw(st.booleans()):
            mention = Span.of(text, *draw(st.sampled_from(words)))
        elif draw(st.booleans()):
            mention = Span.of(text, *span())
        aliases = tuple(draw(st.lists(st.sampled_from(NAMES), max_size=2)))
        return Speaker(draw(st.sampled_from(NAMES)), mention=mention, aliases=aliases)

    def random_quote() -> Quote:
        s, e = span()
        cue = Span.of(text, *span()) if draw(st.booleans()) else None
        return Quote(s, e, text[s:e], type=draw(st.sampled_from(TYPES)), cue=cue, speaker=speaker(),
                     role=draw(st.sampled_from(ROLES)))  # fmt: skip

    def derived_quote(g: Quote) -> Quote:
        s, e = (g.start, g.end) if draw(st.booleans()) else near(g.start, g.end)
        cue = g.cue if draw(st.integers(0, 3)) else None
        if cue is not None and draw(st.booleans()):
            cue = Span.of(text, *near(cue.start, cue.end))
        sp = speaker()
        words = _WORD.findall(text)
        if sp is not None and words and draw(st.booleans()):  # named by a word of the text, maybe a mention
            sp.name = draw(st.sampled_from(words))
        if sp is not None and g.speaker is not None and g.speaker.mention is not None and draw(st.booleans()):
            m = g.speaker.mention
            sp = Speaker(draw(st.sampled_from(NAMES)), mention=Span.of(text, *near(m.start, m.end)))
        role = g.role if draw(st.booleans()) else draw(st.sampled_from(ROLES))
        return Quote(s, e, text[s:e], type=draw(st.sampled_from(TYPES)), cue=cue, speaker=sp, role=role)

    doc = Document(doc_id, text)
    gq = [random_quote() for _ in range(draw(st.integers(0, 5)))]
    if not draw(st.sampled_from([True, True, True, False])):  # the gold document has no predictions
        return AnnotatedDocument(doc, gq), None
    pq = []
    for _ in range(draw(st.integers(0, 5))):
        derived = gq and draw(st.sampled_from([True, True, True, False]))
        pq.append(derived_quote(draw(st.sampled_from(gq))) if derived else random_quote())
    return AnnotatedDocument(doc, gq), AnnotatedDocument(doc, pq)


@st.composite
def annotated_pairs(draw):
    """One to three small documents (annotated_document), plus sometimes a predicted one the gold lacks."""
    gold, pred = [], []
    for d in range(draw(st.integers(1, 3))):
        g, p = draw(annotated_document(f"d{d}"))
        gold.append(g)
        if p is not None:
            pred.append(p)
    if draw(st.booleans()):
        pred.append(AnnotatedDocument(Document("not-in-gold", "zzz"), [Quote(0, 3, "zzz")]))
    return gold, pred


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotated_pairs())
def test_library_equals_reference_on_random_documents(pair):
    gold, pred = pair
    check_against_reference(gold, pred)


def _inside(text: str, quotes: list[Quote], c: int) -> bool:
    """Whether character ``c`` lies inside some quote's normalised span."""
    return any(s <= c < e for s, e in (ref_normalise(text, q.start, q.end) for q in quotes))


def reference_kappa(pairs: list[tuple[str, list[Quote], list[Quote]]]) -> Fraction | None:
    """Cohen's κ from the 2×2 table of characters labelled quote / not quote by each annotator, pooled."""
    table = Counter()
    for text, a, b in pairs:
        for c in range(len(text)):
            table[_inside(text, a, c), _inside(text, b, c)] += 1
    n = sum(table.values())
    if n == 0:
        return None
    p_o = Fraction(table[True, True] + table[False, False], n)
    pa = Fraction(table[True, True] + table[True, False], n)
    pb = Fraction(table[True, True] + table[False, True], n)
    p_e = pa * pb + (1 - pa) * (1 - pb)
    return None if p_e == 1 else (p_o - p_e) / (1 - p_e)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotated_pairs())
def test_agreement_kappa_and_span_counts_equal_the_reference(pair):
    a, b = pair
    b_by_id = {ad.document.id: ad for ad in b}
    shared = [ad for ad in a if ad.document.id in b_by_id]
    both = [(ad.document.text, list(ad.quotes), list(b_by_id[ad.document.id].quotes)) for ad in shared]
    result = agreement(a, b).as_json()
    kappa = reference_kappa(both)
    for data in (result, agreement(b, a).as_json()):
        got = data["overall"]["kappa"]
        assert (got is None and kappa is None) or abs(got - float(kappa)) <= TOL, (got, kappa)
    # Aligned and exact pairs of each document come from an alignment optimal on overlap and symmetric difference.
    for (text, qa, qb), ad in zip(both, shared, strict=True):
        counts = result["by_document"][ad.document.id]
        sa = [ref_normalise(text, q.start, q.end) for q in qa]
        sb = [ref_normalise(text, q.start, q.end) for q in qb]
        options = {(len(m), sum(sa[i] == sb[j] for i, j in m)) for m in optimal_matchings(sa, sb, lambda i, j: 0)}
        assert (counts["counts"]["aligned"], counts["counts"]["exact"]) in options


def test_reference_kappa_by_hand():
    # 10 characters; A marks [0, 4), B marks [2, 6): both 2, A only 2, B only 2, neither 4.
    # p_o = 6/10, p_e = 0.4·0.4 + 0.6·0.6 = 0.52, κ = 0.08 / 0.48 = 1/6.
    t = "abcdefghij"
    a = [AnnotatedDocument(Document("d", t), [Quote(0, 4, t[:4])])]
    b = [AnnotatedDocument(Document("d", t), [Quote(2, 6, t[2:6])])]
    assert reference_kappa([(t, a[0].quotes, b[0].quotes)]) == Fraction(1, 6)
    assert agreement(a, b).as_json()["overall"]["kappa"] == pytest.approx(1 / 6, abs=TOL)


@pytest.mark.parametrize("ch", ["\x85", "\u2028", "\u3000", "\u00a0", "\u200b", "\ufeff", "\u180e"])
def test_edge_normalisation_agrees_with_unicode_white_space(ch):
    from annotator.evaluation.spans import edge_normalise

    text = f"{ch}ab{ch}"
    assert edge_normalise(text, 0, len(text)) == ref_normalise(text, 0, len(text))


@pytest.mark.parametrize("ch", ["\x1c", "\x1d", "\x1e", "\x1f"])
def test_edge_normalisation_also_strips_the_information_separators(ch):
    # Library choice: "white space" is Python's str.isspace(), which (unlike Unicode White_Space, used by
    # the reference) includes the C0 separators U+001C–U+001F. Harmless: they are invisible controls.
    from annotator.evaluation.spans import edge_normalise

    text = f"{ch}ab{ch}"
    assert edge_normalise(text, 0, len(text)) == (1, 3)
    assert ref_normalise(text, 0, len(text)) == (0, 4)


# --- the command line: P and R in their own columns, null as a dash -----------------------------


def test_cli_table_puts_precision_and_recall_in_their_columns(run_cli, tmp_path):
    import json

    t = "aaaa bbbb cccc dddd eeee"
    gold = {"id": "d", "text": t, "quotes": [{"start": 0, "end": 4, "type": "direct", "speaker": {"name": "A"}}]}
    pred = {"id": "d", "text": t, "quotes": [
        {"start": 0, "end": 4, "type": "direct", "speaker": {"name": "A"}},
        *({"start": s, "end": s + 4, "type": "direct"} for s in (5, 10, 15)),
    ]}  # fmt: skip
    empty = {"id": "d", "text": t, "quotes": []}
    paths = {}
    for name, obj in (("gold", gold), ("pred", pred), ("empty", empty)):
        paths[name] = tmp_path / f"{name}.jsonl"
        paths[name].write_text(json.dumps(obj) + "\n", encoding="utf-8")

    def rows(out: str) -> dict[str, list[str]]:
        table = {}
        for line in out.splitlines():
            cells = [c.strip() for c in line.split("│")]
            if len(cells) >= 3:
                table[cells[0]] = cells[1:]
        return table

    # 1 gold, 4 predictions, 1 right: P = 1/4 (first column), R = 1/1 (second), F1 = 0.4.
    out = run_cli("evaluate", "--gold", paths["gold"], "--pred", paths["pred"]).stdout
    header = next(line for line in out.splitlines() if "metric" in line)
    assert [c.strip() for c in header.split("┃")][:4] == ["metric", "P", "R", "F1"]
    table = rows(out)
    for metric in ("exact", "overlap@0.3", "overlap@0.8", "lenient", "token", "attribution"):
        assert table[metric][:5] == ["0.250", "1.000", "0.400", "1/4", "1/1"], (metric, table[metric])
    data = json.loads(run_cli("evaluate", "--gold", paths["gold"], "--pred", paths["pred"], "--json").stdout)
    assert data["overall"]["quotes"]["exact"] == {"p": 0.25, "r": 1.0, "f1": 0.4}
    # No predictions: P has no denominator (a dash, null in JSON); R = 0; F1 = 0 by the library's choice.
    out = run_cli("evaluate", "--gold", paths["gold"], "--pred", paths["empty"]).stdout
    table = rows(out)
    assert table["exact"][:5] == ["—", "0.000", "0.000", "0/0", "0/1"]
    assert table["speaker accuracy"][:2] == ["—", "0/0"]
    data = json.loads(run_cli("evaluate", "--gold", paths["gold"], "--pred", paths["empty"], "--json").stdout)
    assert data["overall"]["quotes"]["exact"] == {"p": None, "r": 0.0, "f1": 0.0}
