"""Run a generator one step ahead on its own thread, so decoding goes on while batches hash.

FFmpeg's decoding threads work only while they are fed packets. Decoding in the same loop
as the NumPy hashing starves them for the length of every batch; decoded on a thread of its
own (PyAV and NumPy let go of the GIL in their heavy calls), the film is read while the
previous batch is hashed. Errors raised by the generator (a damaged file, a Cancel from its
`check`) reach the consumer at the place they happened; closing the consumer stops and joins
the thread, so none outlives the loop that used it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

_DONE = object()


def read_ahead(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """The items of `items`, produced on a worker thread up to `depth` ahead."""
    handoff: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as err:  # handed over, raised again in the consumer
            put(_Raised(err))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # the generator's own clean-up (closing the file) on this thread

    worker = threading.Thread(target=produce, name="read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            item = handoff.get()
            if item is _DONE:
                return
            if isinstance(item, _Raised):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()


class _Raised:
    def __init__(self, error: BaseException) -> None:
        self.error = error
