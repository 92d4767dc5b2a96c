"""A team's labels for the adjudication tests: three annotators on the test text, differing on purpose.

On every document ``ana`` and ``cal`` agree on three quotes; ``ben`` agrees on the first, starts the
second at *that* (a boundary disagreement), gives the third to *reporters* (a speaker disagreement)
and adds a fourth quote the others do not have (missing for them).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from annotator.model import Quote, Speaker
from annotator.store import Store
from tests.support.store import TEXT, candidates, make_store, span

TEAM = ("ana", "ben", "cal")


def versions(name: str, text: str = TEXT) -> list[Quote]:
    first, second, third = (replace(q, status="accepted") for q in candidates(text))
    if name != "ben":
        return [first, second, third]
    that = span(text, "that the plan was too expensive")
    council = span(text, "The council meets on Monday")
    return [
        first,
        replace(second, start=that.start, end=that.end, text=that.text),
        replace(third, speaker=Speaker("reporters", "unknown", span(text, "reporters"))),
        Quote(council.start, council.end, council.text, "indirect", cue=span(text, "according to"),
              speaker=Speaker("Carla Diaz", "person", span(text, "Carla Diaz"))),
    ]


def team_store(path: Path, docs: tuple[str, ...] = ("doc-1", "doc-2"), team: tuple[str, ...] = TEAM,
               done: bool = True) -> Store:
    """The documents, each labelled by every annotator of ``team`` (marked done unless ``done`` is False)."""
    store = make_store(path, [(d, TEXT) for d in docs], with_candidates=False)
    for name in team:
        for doc_id in docs:
            store.add_labels(name, doc_id, versions(name), origin="import", action="import")
            if done:
                store.set_status(doc_id, name, "done")
    return store
