"""Reading ahead on a thread: the same items in order, errors where they happened, and no
thread left once the loop ends, however it ends."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from critique_app.errors import Cancelled
from critique_app.media.read_ahead import read_ahead


def _readers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "read-ahead"]


def test_every_item_in_order() -> None:
    assert list(read_ahead(iter(range(100)), depth=3)) == list(range(100))
    assert _readers() == []


def test_an_error_arrives_after_the_items_before_it() -> None:
    closed = []

    def film() -> Iterator[int]:
        try:
            yield 1
            yield 2
            raise Cancelled()  # what a Cancel from `check` looks like while decoding
        finally:
            closed.append(True)

    got = []
    with pytest.raises(Cancelled):
        for item in read_ahead(film()):
            got.append(item)
    assert got == [1, 2] and closed == [True]
    assert _readers() == []


def test_leaving_the_loop_early_stops_the_reader_and_closes_the_source() -> None:
    closed = []
    made = []

    def endless() -> Iterator[int]:
        try:
            n = 0
            while True:
                made.append(n)
                yield n
                n += 1
        finally:
            closed.append(threading.current_thread().name)

    reader = read_ahead(endless(), depth=2)
    for item in reader:
        if item == 5:
            break
    reader.close()  # what a for loop's end does to a generator it leaves, made explicit
    assert closed == ["read-ahead"]  # the source's clean-up ran on the reader's own thread
    assert len(made) <= 5 + 1 + 2 + 1  # never more than `depth` ahead (plus the one in hand)
    assert _readers() == []
