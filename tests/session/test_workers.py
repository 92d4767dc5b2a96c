"""Worker processes for `--jobs`: results in input order, and the input read only a few chunks ahead."""

from __future__ import annotations

import multiprocessing
import os
import threading
from itertools import count

import pytest

from annotator.session.workers import AHEAD, WorkerDied, ordered_map


def squares(chunk: list[int]) -> list[int]:
    return [n * n for n in chunk]


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_in_input_order(jobs):
    assert list(ordered_map(squares, range(50), jobs, chunk_size=3)) == [n * n for n in range(50)]


def test_the_input_is_read_only_a_few_chunks_ahead_of_the_results():
    read = []

    def endless():
        for n in count():
            read.append(n)
            yield n

    results = ordered_map(squares, endless(), jobs=2, chunk_size=4)
    for _ in range(20):
        next(results)
    results.close()
    assert len(read) <= 20 + (AHEAD * 2 + 1) * 4


def test_a_parent_running_other_threads_gets_its_results_all_the_same():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:  # workers come from a fork server here, not from a fork of this process
        assert list(ordered_map(squares, range(30), jobs=2, chunk_size=4)) == [n * n for n in range(30)]
    finally:
        stop.set()
        other.join()


def test_leaving_early_returns_with_the_workers_gone():
    results = ordered_map(squares, range(10_000), jobs=2, chunk_size=4)
    assert [next(results) for _ in range(5)] == [0, 1, 4, 9, 16]
    results.close()  # what a bad line does: the loop is left with chunks still in flight
    assert multiprocessing.active_children() == []


def die_on_seven(chunk: list[int]) -> list[int]:
    if 7 in chunk:
        os._exit(3)  # a worker killed outright (out of memory, a signal): no result ever comes back
    return chunk


def test_a_worker_that_dies_is_an_error_not_a_wait_for_ever():
    with pytest.raises(WorkerDied, match=r"^a worker process ended without giving its results back"):
        list(ordered_map(die_on_seven, range(40), jobs=2, chunk_size=4))
    assert multiprocessing.active_children() == []
