"""Bulk work collects garbage less often, and puts the interpreter's setting back after,
however many imports overlap on a desk's threads."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from guwah.services.parallel import BULK_THRESHOLD, fewer_collections


@pytest.fixture
def default_threshold() -> Iterator[tuple[int, int, int]]:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*saved)


def test_the_threshold_is_raised_inside_and_restored_after_an_error(
    default_threshold: tuple[int, int, int],
) -> None:
    with pytest.raises(RuntimeError), fewer_collections():
        assert gc.get_threshold() == (BULK_THRESHOLD, 10, 10)
        raise RuntimeError("the import failed")
    assert gc.get_threshold() == default_threshold


def test_overlapping_blocks_restore_the_setting_only_when_the_last_ends(
    default_threshold: tuple[int, int, int],
) -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[tuple[int, int, int]] = []

    def first() -> None:
        with fewer_collections():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with fewer_collections():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.get_threshold())  # the first block has ended, this one has not

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert seen == [(BULK_THRESHOLD, 10, 10)]
    assert gc.get_threshold() == default_threshold
