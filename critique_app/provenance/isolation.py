"""Read untrusted files in a warm child process with a time and memory limit.

The native C2PA reader (and FFmpeg) have had crash and denial-of-service bugs on crafted
files. A long-lived worker process (critique_app/provenance/worker.py) does the reading, so
the cost is one pipe round trip per file; when it crashes, hangs past the time limit or runs
out of memory it is killed, a fresh one starts for the next file, and the file gets
`unreadable` with a sentence. A plain subprocess rather than multiprocessing: it never
re-imports the caller's main script and never forks a threaded (Qt) parent.
"""

from __future__ import annotations

import io
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Generator, Iterable
from pathlib import Path
from typing import IO, Any

from critique_app.errors import Cancelled
from critique_app.i18n import _, speaking
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.provenance.examine import Examination, Request, examine
from critique_app.provenance.report import C2paFinding
from critique_app.provenance.trust import TrustList

DEFAULT_TIME_LIMIT = 20.0  # seconds for a small file; more is allowed per size
DEFAULT_MEMORY_LIMIT = 3 * 1024**3  # bytes of address space for the child
SECONDS_PER_GB = 15.0  # hashing and reading big films takes longer
# requests waiting in the child's pipe at once: enough to keep it busy while the parent
# builds a report, few enough that a Cancel or a crash re-sends little
AHEAD = 4
_EOF = object()
# What a worker that ran out of memory answers: it may not manage to read a catalogue then, so
# the parent says it, in the language of whoever asked.
OUT_OF_MEMORY = "critique:reader-out-of-memory"


class HeldLists:
    """The trust lists a worker already holds, numbered alike on both sides of the pipe: a list
    crosses once, then by its number (issue 24: every request carried 270 kB of certificates,
    a tenth of a `verify` run). Each side notes a request's lists after it crossed; a fresh
    worker starts with none."""

    def __init__(self) -> None:
        self.numbers: dict[TrustList, int] = {}
        self.lists: list[TrustList] = []

    def note(self, req: Request) -> None:
        for trust in req.trust_lists:
            if trust not in self.numbers:
                self.numbers[trust] = len(self.lists)
                self.lists.append(trust)


class _Pickler(pickle.Pickler):
    def __init__(self, file: IO[bytes], held: HeldLists) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.held = held

    def persistent_id(self, obj: Any) -> int | None:
        return self.held.numbers.get(obj) if isinstance(obj, TrustList) else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: IO[bytes], held: HeldLists) -> None:
        super().__init__(file)
        self.held = held

    def persistent_load(self, pid: Any) -> TrustList:
        return self.held.lists[pid]


def write_message(stream: IO[bytes], obj: Any, held: HeldLists | None = None) -> None:
    """`held`: the lists the reading side holds already, sent by number."""
    if held is None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    else:
        buf = io.BytesIO()
        _Pickler(buf, held).dump(obj)
        data = buf.getvalue()
    stream.write(len(data).to_bytes(8, "little") + data)
    stream.flush()


def read_message(stream: IO[bytes], held: HeldLists | None = None) -> Any:
    """One framed object, or _EOF when the other side has gone or the pipe was closed under the
    read (stopping the worker closes it while the pump thread waits in `read`: Python raises
    ValueError there, seen once in 200 hurried cycles). `held`: the lists sent by number."""
    try:
        head = stream.read(8)
        if len(head) < 8:
            return _EOF
        size = int.from_bytes(head, "little")
        data = stream.read(size)
    except (OSError, ValueError):
        return _EOF
    if len(data) < size:
        return _EOF
    if held is None:
        return pickle.loads(data)  # only from our own process pair
    return _Unpickler(io.BytesIO(data), held).load()


def worker_command(memory_limit: int) -> list[str]:
    if getattr(sys, "frozen", False):  # the bundled app starts itself in worker mode
        return [sys.executable, "--provenance-worker", str(memory_limit)]
    return [sys.executable, "-m", "critique_app.provenance.worker", str(memory_limit)]


class IsolatedReader:
    """A warm worker process; thread-safe (requests are served one at a time)."""

    def __init__(
        self,
        time_limit: float = DEFAULT_TIME_LIMIT,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
        command: list[str] | None = None,
    ) -> None:
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self.command = command or worker_command(memory_limit)
        # Callers take turns in the order they came (see `_take_turn`); a batch gives its
        # turn to a waiting caller between two files.
        self._turns = threading.Condition()
        self._busy = False
        self._waiting: deque[object] = deque()
        self._proc: subprocess.Popen[bytes] | None = None
        self._answers: queue.Queue[Any] = queue.Queue()
        self._held = HeldLists()
        self.restarts = 0

    def _start(self) -> None:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self._proc = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        answers: queue.Queue[Any] = queue.Queue()
        self._answers = answers
        self._held = HeldLists()
        stdout = self._proc.stdout
        assert stdout is not None

        def pump() -> None:  # blocking reads on a thread so waits can time out anywhere
            while True:
                msg = read_message(stdout)
                answers.put(msg)
                if msg is _EOF:
                    return

        threading.Thread(target=pump, name="critique-reader-pipe", daemon=True).start()

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass

    def close(self, graceful: bool = True) -> None:
        """Stop the worker; `graceful=False` kills it at once (a window quitting must not wait
        for a child interpreter to tear down: it holds nothing that needs saving)."""
        if not graceful:
            self._stop()
            return
        self._take_turn(NO_PROGRESS)
        try:
            if self._proc is not None and self._proc.poll() is None and self._proc.stdin:
                try:
                    write_message(self._proc.stdin, None)
                    self._proc.wait(2)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            self._stop()
        finally:
            self._give_turn()

    def _take_turn(self, progress: Progress) -> None:
        """Wait for the child, first come first served, looking at Cancel twenty times a
        second: a caller cancelled while a batch runs must not wait for the batch's end."""
        ticket = object()
        with self._turns:
            self._waiting.append(ticket)
            try:
                while self._busy or self._waiting[0] is not ticket:
                    self._turns.wait(0.05)
                    progress.check()
            except BaseException:
                self._waiting.remove(ticket)
                self._turns.notify_all()
                raise
            self._waiting.popleft()
            self._busy = True

    def _give_turn(self) -> None:
        with self._turns:
            self._busy = False
            self._turns.notify_all()

    def interrupt(self) -> None:
        """Stop the file being read now (a Cancel, a window closing): the child is killed, the
        waiting `examine` returns at once, and a fresh child serves the next file."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def examine(
        self, req: Request, time_limit: float | None = None, progress: Progress = NO_PROGRESS
    ) -> Examination:
        """The child's examination of one file; a Cancel (progress) kills the child and
        raises Cancelled at once, whatever it was doing."""
        (exam,) = self.examine_many([req], progress, time_limit)
        return exam

    def examine_many(
        self,
        reqs: Iterable[Request],
        progress: Progress = NO_PROGRESS,
        time_limit: float | None = None,
        ahead: int = AHEAD,
    ) -> Generator[Examination, None, None]:
        """The examinations of `reqs`, in order, with up to `ahead` requests waiting in the
        child's pipe: it reads the next file while the caller works on this one, and no file
        waits for a round trip (issue 24: one file per round trip left both sides idle, a
        third of a `verify` run's wall time on a busy machine). Each file has `examine`'s
        limits, counted from when the file before it was answered (so never shorter), and its
        crash, hang and Cancel handling; the files behind one that killed the child go to a
        fresh one. A caller that comes meanwhile is served between two files (once the pipe
        is empty), not after the whole batch."""
        todo = deque(reqs)
        sent: deque[Request] = deque()
        progress.check()
        self._take_turn(progress)
        mine = True
        try:
            while todo or sent:
                progress.check()  # cancelled while another file was being read
                if not sent and self._waiting:  # another caller's file goes before our next
                    mine = False
                    self._give_turn()
                    self._take_turn(progress)
                    mine = True
                if not sent and (self._proc is None or self._proc.poll() is not None):
                    if self._proc is not None:
                        self.restarts += 1
                    self._stop()
                    self._start()
                proc = self._proc
                assert proc is not None and proc.stdin is not None
                # none sent ahead while someone waits: the pipe empties for their turn
                while todo and len(sent) < (1 if self._waiting else max(1, ahead)):
                    req = todo.popleft()
                    sent.append(req)
                    try:
                        write_message(proc.stdin, req, self._held)
                    except OSError:
                        break  # the child is gone: its answer is the end of the pipe
                    self._held.note(req)
                req = sent.popleft()
                limit = time_limit if time_limit is not None else self._limit_for(req.path)
                exam, lost = self._receive(req, proc, limit, progress)
                if lost:
                    todo.extendleft(reversed(sent))  # a fresh child reads them
                    sent.clear()
                yield exam
        finally:
            if sent:  # left with answers on the way: they must not reach the next caller
                self._stop()
            if mine:
                self._give_turn()

    def _receive(
        self, req: Request, proc: subprocess.Popen[bytes], limit: float, progress: Progress
    ) -> tuple[Examination, bool]:
        """The answer to `req`, the oldest request in the pipe, and whether the child is gone."""
        try:
            result = self._answer(limit, progress)
        except queue.Empty:
            self._stop()  # hung: kill it; a fresh worker serves the next file
            self.restarts += 1
            return _failed(
                req,
                _(
                    "the reader took longer than {seconds} s and was stopped "
                    "(a damaged or crafted file?)"
                ).format(seconds=format(limit, "g")),
            ), True
        if result is _EOF:
            try:
                code = proc.wait(5)
            except subprocess.TimeoutExpired:
                code = None
            self._stop()
            self.restarts += 1
            if code is not None and code < 0:
                crash = _("the reader crashed on this file (signal {signal})")
            else:
                crash = _("the reader crashed on this file (status {status})")
            return _failed(req, crash.format(signal=-(code or 0), status=code)), True
        if isinstance(result, str):
            return _failed(req, worker_sentence(result, req.language)), False
        return result, False

    def _answer(self, limit: float, progress: Progress) -> Any:
        """Wait for the child's answer, looking at Cancel twenty times a second."""
        deadline = time.monotonic() + limit
        while True:
            try:
                return self._answers.get(timeout=max(0.0, min(0.05, deadline - time.monotonic())))
            except queue.Empty:
                if progress.cancelled:
                    self._stop()  # a fresh child serves the next file
                    raise Cancelled() from None
                if time.monotonic() >= deadline:
                    raise

    def _limit_for(self, path: str) -> float:
        try:
            size = os.stat(path).st_size
        except OSError:
            size = 0
        return self.time_limit + SECONDS_PER_GB * size / 1e9


def worker_sentence(said: str, language: str) -> str:
    """What the worker answered instead of an examination, as a sentence in `language`."""
    if said == OUT_OF_MEMORY:
        with speaking(language):
            return _("the reader ran out of its memory allowance on this file")
    return said  # a bug's own words (type and message), for the report


def _failed(req: Request, sentence: str) -> Examination:
    return Examination(path=req.path, finding=C2paFinding(error=sentence, error_kind="unreadable"))


def examine_in_process(req: Request) -> Examination:
    """No isolation: for benchmarks and for callers that already run in a sandbox."""
    return examine(req)


_shared: IsolatedReader | None = None
_shared_lock = threading.Lock()


def interrupt_shared_reader() -> None:
    """Cancel whatever the app's warm worker is reading (nothing when it never started)."""
    reader = _shared
    if reader is not None:
        reader.interrupt()


def close_shared_reader() -> None:
    """The window closes: the warm worker and its pipe thread go with it."""
    global _shared
    with _shared_lock:
        reader, _shared = _shared, None
    if reader is not None:
        reader.close(graceful=False)


def shared_reader() -> IsolatedReader:
    """The app's one warm worker, started on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = IsolatedReader()
        return _shared
