"""Worker processes for ``--jobs``: work on chunks of the input, results in input order, memory flat.

Processes rather than threads because the attributor is pure Python and holds the GIL. A
``concurrent.futures`` executor rather than ``multiprocessing.Pool``: leaving the loop early (a bad
line) cancels what has not started and waits for what has, where ``Pool.terminate`` could hang on
its task thread; a worker that dies is an error, not a result awaited for ever. ``map`` would read
the whole input ahead; here at most ``AHEAD`` chunks per worker are in flight, so memory does not
grow with the input. On Linux a
parent running one thread forks its workers, which start at once with what it has loaded (a fork
server costs half a CPU second of imports, a quarter of the work on the development sets); a parent
running other threads (a progress bar that redraws itself, a Dask client) might fork a lock one of
them holds, so its workers come from a fork server, and elsewhere they are spawned.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 8  # documents a worker takes at a time: few enough that memory stays small with long documents
AHEAD = 8  # chunks in flight per worker: a slow chunk at the head of the line leaves the others work to do


class WorkerDied(RuntimeError):
    """A worker process ended without giving its results back (killed, out of memory)."""


def all_cores() -> int:
    """The cores this process may run on (``--jobs 0``)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    """How worker processes start (see the module's docstring)."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Imported once in the server, not in each worker: the caller's main module (the command line)
    # would otherwise be imported again by every worker.
    context.set_forkserver_preload(["__main__", "annotator.session.attribute", "annotator.session.jobs"])
    return context


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ordered_map(work: Callable[[list[T]], list[R]], items: Iterable[T], jobs: int, chunk_size: int) -> Iterator[R]:
    """``work`` over chunks of ``items`` (each chunk's results in its order), the results in input order.

    ``jobs`` 1 works in this process, chunk by chunk as the input comes; more start that many worker
    processes, to which ``work`` and the chunks are pickled (a module-level function, or a
    ``functools.partial`` of one). Leaving the loop early (an error in a result) cancels the chunks not
    started and returns once the others are done, the workers gone.
    """
    if jobs <= 1:
        for chunk in chunks(items, chunk_size):
            yield from work(chunk)
        return
    executor = ProcessPoolExecutor(jobs, mp_context=_context())
    try:
        pending: deque[Future[list[R]]] = deque()
        for chunk in chunks(items, chunk_size):
            pending.append(executor.submit(work, chunk))
            if len(pending) >= AHEAD * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BrokenProcessPool:
        raise WorkerDied("a worker process ended without giving its results back (killed, or out of memory?); "
                         "try fewer --jobs") from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
