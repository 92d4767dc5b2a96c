"""Grouping several annotators' quotes (docs/metrics.md §10): the agreement's alignment for two, one quote per
annotator per group for more, every disagreement kind found, majorities."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.evaluation.adjudication import ASPECTS, DocumentGroups, Layer
from annotator.evaluation.agreement import align_annotators
from annotator.model import Quote, Speaker
from tests.support.adjudication import versions
from tests.support.store import TEXT, span

WORDS = "Anna said that the plan was too expensive and Bob said nothing at all about it today."


def test_two_annotators_agree_on_one_quote_and_differ_on_the_others():
    groups = DocumentGroups(TEXT, [versions("ana"), versions("ben")])
    assert [g.kinds for g in groups.groups] == [(), ("boundary",), ("speaker",), ("missing",)]
    assert [g.members for g in groups.groups] == [(0, 0), (1, 1), (2, 2), (None, 3)]


def test_each_aspect_is_its_own_kind():
    base = versions("ana")[0]
    changed = {
        "boundary": replace(base, end=base.end - 4, text=TEXT[base.start:base.end - 4]),
        "type": replace(base, type="mixed"),
        "speaker": replace(base, speaker=Speaker("Someone Else", "person", span(TEXT, "Bob Jones"))),
        "role": replace(base, role="the governor"),
        "role_category": replace(base, role_category="politician"),
        "cue": replace(base, cue=span(TEXT, "told")),
        "via": replace(base, via="Reuters"),
    }
    assert set(changed) == set(ASPECTS)
    for aspect, other in changed.items():
        (group,) = DocumentGroups(TEXT, [[base], [other]]).groups
        assert group.kinds == (aspect,), aspect


def test_what_normalisation_and_case_make_equal_is_no_disagreement():
    base = versions("ana")[0]  # “We will win,” with its marks and comma
    inner = span(TEXT, "We will win")
    same = replace(base, start=inner.start, end=inner.end, text=inner.text, role="The Mayor of Springfield.",
                   speaker=Speaker("anna  smith", "person", None))
    (group,) = DocumentGroups(TEXT, [[base], [same]]).groups
    assert group.agreed


@st.composite
def layer(draw):
    quotes = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(WORDS) - 2))
        end = draw(st.integers(start + 1, min(len(WORDS), start + 30)))
        name = draw(st.sampled_from([None, "Anna", "Bob"]))
        quotes.append(Quote(start, end, WORDS[start:end], "indirect",
                            speaker=Speaker(name) if name else None))
    return quotes


@settings(max_examples=150, deadline=None)
@given(layer(), layer())
def test_with_two_annotators_the_groups_are_the_agreement_alignment(a, b):
    la, lb = Layer.of(WORDS, a), Layer.of(WORDS, b)
    aligned = set(align_annotators(la.spans, la.quotes, la.entities, lb.spans, lb.quotes, lb.entities))
    groups = DocumentGroups(WORDS, [a, b]).groups
    assert {g.members for g in groups if None not in g.members} == aligned
    singles_a = sorted(g.members[0] for g in groups if g.members[1] is None)
    singles_b = sorted(g.members[1] for g in groups if g.members[0] is None)
    assert singles_a == sorted(set(range(len(a))) - {i for i, _ in aligned})
    assert singles_b == sorted(set(range(len(b))) - {j for _, j in aligned})


@settings(max_examples=100, deadline=None)
@given(st.lists(layer(), min_size=3, max_size=4))
def test_every_quote_is_in_exactly_one_group_of_at_most_one_quote_per_annotator(layers):
    groups = DocumentGroups(WORDS, layers).groups
    for a, quotes in enumerate(layers):
        held = sorted(g.members[a] for g in groups if g.members[a] is not None)
        assert held == list(range(len(quotes)))
    assert all(any(i is not None for i in g.members) for g in groups)
    assert [g.span for g in groups] == sorted(g.span for g in groups)


def test_the_majority_is_more_than_half_and_may_be_no_quote():
    groups = DocumentGroups(TEXT, [versions("ana"), versions("ben"), versions("cal")])
    assert [groups.majority(g) for g in groups.groups] == [[0, 1, 2], [0, 2], [0, 2], [0, 2]]
    two = DocumentGroups(TEXT, [versions("ana"), versions("ben")])
    assert [two.majority(g) for g in two.groups] == [[0, 1], None, None, None]


def test_a_version_without_speaker_differs_from_one_with():
    base = versions("ana")[0]
    (group,) = DocumentGroups(TEXT, [[base], [replace(base, speaker=None)]]).groups
    assert group.kinds == ("speaker",)
    (group,) = DocumentGroups(TEXT, [[replace(base, speaker=None)], [replace(base, speaker=None)]]).groups
    assert group.agreed

