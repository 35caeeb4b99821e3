"""Several warm isolated workers reading one batch's files side by side.

One worker spends nearly all of a batch in the native C2PA reader, one file after another,
while the parent waits for it (issue 24: 169 ms of a 185 ms pass). On a machine with a spare
core a second worker reads the next files meanwhile, as a plain SDK loop cannot. Each worker
keeps its own isolation (time and memory limits, a fresh one after a crash or hang, Cancel);
the answers come back in the caller's order.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Generator, Iterable
from contextlib import closing

from critique_app.errors import Cancelled
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.provenance.examine import Examination, Request
from critique_app.provenance.isolation import (
    AHEAD,
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_TIME_LIMIT,
    IsolatedReader,
)

MOST_WORKERS = 4  # each holds its own interpreter and native libraries: 85 MB, 37 MB its own


def workers_for(files: int) -> int:
    """How many workers a batch of `files` gets: one a core, at most MOST_WORKERS, one for a
    single file or a single core."""
    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may run on
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MOST_WORKERS, files))


class _Stopping(Progress):
    """The caller's Cancel, or the batch ending early: either stops a worker's reading."""

    def __init__(self, outer: Progress) -> None:
        super().__init__()
        self.outer = outer

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set() or self.outer.cancelled


class ReaderPool:
    """Warm workers, started on first use and kept between batches until closed."""

    def __init__(
        self,
        workers: int,
        time_limit: float = DEFAULT_TIME_LIMIT,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
        command: list[str] | None = None,
    ) -> None:
        self.readers = [
            IsolatedReader(time_limit, memory_limit, command) for _ in range(max(1, workers))
        ]

    @property
    def restarts(self) -> int:
        return sum(r.restarts for r in self.readers)

    @property
    def pids(self) -> list[int]:
        return [pid for pid in (r.pid for r in self.readers) if pid is not None]

    def close(self, graceful: bool = True) -> None:
        for reader in self.readers:
            reader.close(graceful)

    def examine_many(
        self,
        reqs: Iterable[Request],
        progress: Progress = NO_PROGRESS,
        time_limit: float | None = None,
    ) -> Generator[Examination, None, None]:
        """The examinations of `reqs`, in order, as `IsolatedReader.examine_many` gives them,
        read by every worker at once: each takes the next few requests from one queue. When
        the batch ends early (Cancel, an error, the caller closing it) every worker is stopped
        and its thread joined before this returns or raises."""
        reqs = list(reqs)
        readers = self.readers[: max(1, min(len(self.readers), len(reqs)))]
        if len(readers) == 1:
            yield from readers[0].examine_many(reqs, progress, time_limit)
            return
        batch = _Batch(reqs, _Stopping(progress), time_limit)
        threads = [
            threading.Thread(target=batch.feed, args=(r,), name="critique-reader-feed")
            for r in readers
        ]
        for thread in threads:
            thread.start()
        handed = 0
        try:
            for index in range(len(reqs)):
                exam = batch.answer(index)
                handed += 1  # before the yield: a caller may close us once it has the last
                yield exam
        finally:
            batch.stopping.cancel()  # the workers' waits see it within 50 ms
            for thread in threads:
                thread.join()
            if handed < len(reqs):  # answers may be on their way: no later batch may get them
                for reader in readers:
                    reader.close(graceful=False)


class _Batch:
    """One batch's queue of requests and the answers not yet handed back."""

    def __init__(self, reqs: list[Request], stopping: _Stopping, time_limit: float | None):
        self.todo = deque(enumerate(reqs))
        self.stopping = stopping
        self.time_limit = time_limit
        self.answers: dict[int, Examination] = {}
        self.failure: BaseException | None = None
        self.changed = threading.Condition()

    def feed(self, reader: IsolatedReader) -> None:
        """One worker's thread: a few requests at a time (enough to keep its pipe full, few
        enough that the workers finish together) until the queue is empty or the batch stops."""
        try:
            while not self.stopping.cancelled:
                with self.changed:
                    taken = [self.todo.popleft() for _ in range(min(AHEAD, len(self.todo)))]
                if not taken:
                    return
                exams = reader.examine_many([r for _, r in taken], self.stopping, self.time_limit)
                with closing(exams):
                    for (index, _req), exam in zip(taken, exams, strict=True):
                        with self.changed:
                            self.answers[index] = exam
                            self.changed.notify_all()
        except Cancelled:
            pass  # the reader stopped its child; the caller raises the Cancel itself
        except BaseException as err:  # handed to the caller, who stops the others
            with self.changed:
                self.failure = err
                self.changed.notify_all()

    def answer(self, index: int) -> Examination:
        """The examination of request `index`, waited for; raises Cancelled on the caller's
        Cancel and a worker thread's unexpected error as it was."""
        with self.changed:
            while index not in self.answers:
                if self.failure is not None:
                    raise self.failure
                self.stopping.outer.check()
                self.changed.wait(0.05)
            return self.answers.pop(index)
