"""Worker processes for ``--jobs``: work on chunks of the input, results in input order, memory flat.

``multiprocessing`` rather than threads because the attributor is pure Python and holds the GIL.
The pool's own ``imap`` would read the whole input ahead into its task queue; here at most
``AHEAD`` chunks per worker are in flight, so memory does not grow with the input. Workers come
from a fork server that has imported the attributor once: cheap to start, and safe in a parent
that runs threads (a progress bar, a Dask client), which a plain fork is not.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

AHEAD = 2  # chunks in flight per worker: one being worked on, one waiting, so no worker idles


def all_cores() -> int:
    """The cores this process may run on (``--jobs 0``)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ordered_map(work: Callable[[list[T]], list[R]], items: Iterable[T], jobs: int, chunk_size: int) -> Iterator[R]:
    """``work`` over chunks of ``items`` (each chunk's results in its order), the results in input order.

    ``jobs`` 1 works in this process, chunk by chunk as the input comes; more start that many worker
    processes, to which ``work`` and the chunks are pickled (a module-level function, or a
    ``functools.partial`` of one). Leaving the loop early (an error in a result) stops the workers.
    """
    if jobs <= 1:
        for chunk in chunks(items, chunk_size):
            yield from work(chunk)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["annotator.attribution"])
    with context.Pool(jobs) as pool:
        pending: deque = deque()
        for chunk in chunks(items, chunk_size):
            pending.append(pool.apply_async(work, (chunk,)))
            if len(pending) >= AHEAD * jobs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
