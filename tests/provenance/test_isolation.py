"""Crafted, hanging and crashing files become `unreadable` with a sentence; the caller goes on."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

import psutil
import pytest

from critique_app.errors import Cancelled
from critique_app.progress import Progress
from critique_app.provenance.examine import Request
from critique_app.provenance.isolation import IsolatedReader
from critique_app.provenance.reader_pool import ReaderPool
from critique_app.provenance.trust import NO_TRUST
from critique_app.services.verify import verify_file
from tests.missing import missing
from tests.provenance.ca import make_still


@pytest.fixture
def endless(tmp_path: Path) -> Path:
    """A file that never ends: a named pipe nobody writes to blocks whoever opens it (POSIX;
    on a system without them the test is skipped with that reason, and fails in CI)."""
    if not hasattr(os, "mkfifo"):
        missing("named pipes (os.mkfifo) are POSIX: this system has none")
    fifo = tmp_path / "endless.mp4"
    os.mkfifo(fifo)
    return fifo


def test_nested_moov_is_unreadable_and_the_worker_survives(
    provenance_corpus: Path, isolated_reader: IsolatedReader, tmp_path: Path
) -> None:
    report = verify_file(provenance_corpus / "c2pa-rs/nested_moov_1000.mp4", "all",
                         reader=isolated_reader)  # fmt: skip
    assert report.verdict.reason == "unreadable"
    assert "too deply nested" in report.verdict.sentence  # the library's own words
    pid = isolated_reader.pid
    after = verify_file(make_still(tmp_path / "ok.png"), "none", reader=isolated_reader)
    assert after.verdict.reason == "no_manifest" and isolated_reader.pid == pid


def test_a_reader_that_takes_too_long_is_stopped(tmp_path: Path) -> None:
    reader = IsolatedReader()
    try:
        still = make_still(tmp_path / "s.png")
        first = reader.examine(Request(str(still), [NO_TRUST]), time_limit=0.0001)
        assert first.finding.error_kind == "unreadable"
        assert "took longer than" in (first.finding.error or "")
        assert reader.restarts == 1
        again = reader.examine(Request(str(still), [NO_TRUST]))
        assert again.finding.error_kind == "no_manifest"  # a fresh worker serves the next file
    finally:
        reader.close()


def test_a_file_that_never_ends_hangs_only_the_worker(endless: Path) -> None:
    """A named pipe nobody writes to blocks whoever opens it: here, only the child."""
    fifo = endless
    reader = IsolatedReader(time_limit=1.0)
    ticks = []
    ticker = threading.Timer(0.2, lambda: ticks.append(1))  # the caller's thread stays free
    ticker.start()
    try:
        report = verify_file(fifo, "none", reader=reader)
    finally:
        reader.close()
    ticker.join()
    assert report.verdict.reason == "unreadable" and "took longer" in report.verdict.sentence
    assert ticks == [1]


def test_a_crashing_reader_becomes_unreadable(tmp_path: Path) -> None:
    # A worker that dies at once stands in for a native crash on a crafted file.
    reader = IsolatedReader(command=[sys.executable, "-c", "import os; os.abort()"])
    try:
        report = verify_file(make_still(tmp_path / "s.png"), "none", reader=reader)
    finally:
        reader.close()
    assert report.verdict.reason == "unreadable"
    assert "crashed" in report.verdict.sentence
    assert report.sha256  # still identified, computed outside the dead worker


def test_the_worker_runs_with_a_memory_limit(
    isolated_reader: IsolatedReader, tmp_path: Path
) -> None:
    verify_file(make_still(tmp_path / "s.png"), "none", reader=isolated_reader)
    pid = isolated_reader.pid
    limits = Path(f"/proc/{pid}/limits")
    if not limits.exists():
        missing("no /proc on this system: the worker's limits cannot be read")
    line = next(x for x in limits.read_text().splitlines() if x.startswith("Max address space"))
    assert str(isolated_reader.memory_limit) in line


def test_a_pipe_closed_under_a_waiting_read_is_the_end_of_the_answers() -> None:
    """Stopping the worker closes its pipe while the pump thread waits in `read`; the thread
    then meets the end of the answers, never an exception (once in 200 hurried cycles, Python's
    buffered reader raised "ValueError: PyMemoryView_FromBuffer(): info->buf must not be NULL"
    in that read, and closed files raise ValueError too)."""
    from critique_app.provenance.isolation import _EOF, read_message

    read_end, write_end = os.pipe()
    os.close(write_end)
    stream = os.fdopen(read_end, "rb")
    stream.close()  # what the pump thread's next read meets after _stop()
    assert read_message(stream) is _EOF


def test_a_reader_out_of_memory_is_said_in_the_askers_language() -> None:
    """The worker answers a code when its memory runs out (it may fail to read a catalogue
    then); the parent writes the sentence in the language of the request."""
    from critique_app.provenance import worker
    from critique_app.provenance.isolation import OUT_OF_MEMORY, worker_sentence

    assert "OUT_OF_MEMORY" in Path(worker.__file__).read_text(encoding="utf-8")
    english = worker_sentence(OUT_OF_MEMORY, "en")
    french = worker_sentence(OUT_OF_MEMORY, "fr")
    assert english == "the reader ran out of its memory allowance on this file"
    assert french != english and "mémoire" in french
    assert worker_sentence("ValueError: bad box", "fr") == "ValueError: bad box"


def test_trust_lists_cross_the_pipe_once() -> None:
    """A request names the lists the worker holds already by number (issue 24): the second
    request is a small fraction of the first and reads back equal, lists included."""
    import io

    from critique_app.provenance.isolation import HeldLists, read_message, write_message
    from critique_app.provenance.trust import lists_for

    lists = lists_for("all", "none")
    sender, reader = HeldLists(), HeldLists()
    sizes = []
    for name in ("first.jpg", "second.jpg"):
        req = Request(name, lists)
        pipe = io.BytesIO()
        write_message(pipe, req, sender)
        sender.note(req)
        sizes.append(pipe.tell())
        pipe.seek(0)
        got = read_message(pipe, reader)
        reader.note(got)
        assert got == req
    assert sizes[1] * 20 < sizes[0]


def readers(workers: int, time_limit: float = 20.0) -> IsolatedReader | ReaderPool:
    """One warm worker, or a pool of them reading a batch side by side."""
    if workers == 1:
        return IsolatedReader(time_limit=time_limit)
    return ReaderPool(workers, time_limit=time_limit)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_files_behind_a_hanging_one_in_the_pipe_are_read_by_a_fresh_worker(
    tmp_path: Path, endless: Path, workers: int
) -> None:
    """Requests wait in the worker's pipe (issue 24); those behind a file that had the worker
    killed are sent again to the next one, and every answer goes with its own file."""
    fifo = endless
    stills = [make_still(tmp_path / f"s{i}.png") for i in range(4)]
    order = [stills[0], fifo, *stills[1:]]
    # the limit counts a fresh worker's start-up too: a second was too short on a loaded machine
    reader = readers(workers, time_limit=5.0)
    try:
        exams = list(reader.examine_many([Request(str(p), [NO_TRUST]) for p in order]))
    finally:
        reader.close()
    assert [e.path for e in exams] == [str(p) for p in order]
    assert "took longer" in (exams[1].finding.error or "")
    assert [e.finding.error_kind for e in exams[2:]] == ["no_manifest"] * 3
    assert exams[0].finding.error_kind == "no_manifest" and reader.restarts == 1


@pytest.mark.parametrize("workers", [1, 2])
def test_a_batch_left_half_way_gives_its_answers_to_no_one_else(
    tmp_path: Path, workers: int
) -> None:
    stills = [make_still(tmp_path / f"s{i}.png") for i in range(3)]
    reader = readers(workers)
    try:
        batch = reader.examine_many([Request(str(p), [NO_TRUST]) for p in stills])
        assert next(batch).path == str(stills[0])
        batch.close()  # the two behind it were on their way
        other = make_still(tmp_path / "other.png")
        (again,) = reader.examine_many([Request(str(other), [NO_TRUST])])
        assert again.path == str(other)
    finally:
        reader.close()


def test_a_caller_waits_one_file_of_a_batch_not_the_batch(tmp_path: Path) -> None:
    """A batch gives the child to a caller that came meanwhile between two of its files."""
    stills = [make_still(tmp_path / f"s{i}.png") for i in range(12)]
    other = make_still(tmp_path / "other.png")
    order: list[str] = []
    reader = IsolatedReader()
    try:
        batch = reader.examine_many([Request(str(p), [NO_TRUST]) for p in stills])
        order.append(next(batch).path)

        def one_file() -> None:
            order.append(reader.examine(Request(str(other), [NO_TRUST])).path)

        caller = threading.Thread(target=one_file)
        caller.start()
        while not reader._waiting and caller.is_alive():  # it waits for its turn
            caller.join(0.01)
        order.extend(e.path for e in batch)
        caller.join()
    finally:
        reader.close()
    # served once the files already in the pipe were answered, far before the batch's end
    assert order.index(str(other)) < len(stills) // 2
    assert [p for p in order if p != str(other)] == [str(p) for p in stills]


def test_a_cancel_while_waiting_behind_a_batch_stops_at_once(tmp_path: Path) -> None:
    stills = [make_still(tmp_path / f"s{i}.png") for i in range(3)]
    reader = IsolatedReader()
    outcome: list[BaseException] = []
    try:
        batch = reader.examine_many([Request(str(p), [NO_TRUST]) for p in stills])
        next(batch)  # the batch holds the child, its caller busy with the first answer
        progress = Progress()

        def wait_then_cancelled() -> None:
            try:
                reader.examine(Request(str(stills[0]), [NO_TRUST]), progress=progress)
            except Cancelled as err:
                outcome.append(err)

        caller = threading.Thread(target=wait_then_cancelled)
        caller.start()
        while not reader._waiting and caller.is_alive():  # it waits for its turn
            caller.join(0.01)
        progress.cancel()
        caller.join(60)  # a safety: before, it waited for the batch (here, for ever)
        stuck = caller.is_alive()
        batch.close()
        caller.join()
        assert not stuck and len(outcome) == 1
        assert reader.examine(Request(str(stills[1]), [NO_TRUST])).path == str(stills[1])
    finally:
        reader.close()


def children_of_this_process() -> list[int]:
    return [p.pid for p in psutil.Process().children(recursive=True)]


def _reading(pid: int, path: Path) -> bool:
    """Whether process `pid` has `path` open (Linux's /proc: the named pipes of these tests)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                return True
        except OSError:
            continue
    return False


def test_a_worker_killed_mid_batch_leaves_no_child_and_every_file_its_report(
    tmp_path: Path, endless: Path
) -> None:
    """Two workers share a batch; one is killed while it holds files: the first file, a
    named pipe it is reading, in hand, and the three sent behind it. Its file in hand is a
    crash, the files behind it go to a fresh worker, every answer comes in the caller's order,
    and once the pool is closed none of its processes is left. The kill waits for the worker
    to be inside the pipe, not for the other worker to start: on a busy machine the second
    worker started when the first had read every file, and the kill found nothing in hand
    (one run of two beside a CPU hog, session 17)."""
    before = set(children_of_this_process())
    stills = [make_still(tmp_path / f"s{i}.png") for i in range(24)]
    pool = ReaderPool(2, time_limit=600.0)
    seen: set[int] = set()
    killed: list[int] = []
    done = threading.Event()

    def kill_the_worker_in_the_pipe() -> None:
        fd = None
        while fd is None and not done.is_set():
            try:  # opens once a worker opens the pipe to read it (ENXIO before)
                fd = os.open(endless, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                done.wait(0.01)
        try:
            while not killed and not done.is_set():
                for pid in pool.pids:
                    if _reading(pid, endless):
                        seen.add(pid)
                        os.kill(pid, signal.SIGKILL)
                        killed.append(pid)
                        break
                else:
                    done.wait(0.01)
        finally:
            if fd is not None:
                os.close(fd)

    killer = threading.Thread(target=kill_the_worker_in_the_pipe)
    killer.start()
    try:
        exams = list(pool.examine_many([Request(str(p), [NO_TRUST]) for p in [endless, *stills]]))
        seen |= set(pool.pids)
    finally:
        done.set()
        killer.join()
        pool.close()
    assert len(killed) == 1
    assert [e.path for e in exams] == [str(p) for p in [endless, *stills]]
    assert "crashed" in (exams[0].finding.error or "")
    assert [e.finding.error_kind for e in exams[1:]] == ["no_manifest"] * len(stills)
    assert pool.restarts == 1  # its files went to a fresh worker, in hand or not yet sent
    assert not (set(children_of_this_process()) - before)
    assert not [pid for pid in seen if psutil.pid_exists(pid)]


def test_a_cancel_stops_every_worker_of_a_batch(tmp_path: Path, endless: Path) -> None:
    """A Cancel while two workers read (one held by a file that never ends) raises Cancelled
    at once, stops both workers and joins their threads."""
    threads = set(threading.enumerate())
    stills = [make_still(tmp_path / f"s{i}.png") for i in range(8)]
    progress = Progress()
    pool = ReaderPool(2, time_limit=600.0)
    try:
        batch = pool.examine_many([Request(str(p), [NO_TRUST]) for p in [endless, *stills]],
                                  progress)  # fmt: skip
        canceller = threading.Timer(0.5, progress.cancel)
        canceller.start()
        with pytest.raises(Cancelled):
            list(batch)
        canceller.join()
        assert pool.pids == []
    finally:
        pool.close()
    left = [t for t in set(threading.enumerate()) - threads if t.name == "critique-reader-feed"]
    assert left == []
