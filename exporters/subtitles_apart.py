"""A large subtitle file read in a second process while this one stores what it has read.

Reading a cue into an annotation (its timings, its markup as Markdown, its stable uuid) costs
about as much as storing it; on two cores both go on at once. The reading process sends the
cues in batches of plain tuples (`subtitles.CueFields`) through a pipe, with what it skipped
in its place among them and how far into the file it is (for the progress bar); this process
builds the entries and stores them in its one transaction. The reader goes on reading while
a thread of its own sends what it has read, at most AHEAD batches ahead of the storing
process: memory does not grow with the file, and neither process waits for the other at
every batch (with one batch in the pipe, each waited about 5 s of a 50 MB WebVTT's 27 s for
the other, issue 23).

A Cancel (or any error) closes the stream: the reading process is stopped and waited for,
never left behind. Small files are read here: starting a process costs more than it saves.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any

from critique_app.errors import UserError
from critique_app.i18n import _, current, use
from exporters.document import ImportedFile
from exporters.text_decoding import TextStream

APART_FROM = 4 * 1024 * 1024  # bytes: a file this large is read in a second process
BATCH = 10_000  # cues a message: few enough to keep memory flat, many enough to cost little
AHEAD = 3  # batches read and waiting to be sent (about 1 MB each, pickled)


def worth_it(text: TextStream) -> bool:
    """Whether to read `text` in a second process: a large file decoded piece by piece (one
    decoded whole is small, and already in memory)."""
    return text.size >= APART_FROM and text.streamed


class _Said(ImportedFile):
    """The reading process's skips, sent among the cues so they keep their order."""

    def __init__(self, out: list[tuple[str, object]]) -> None:
        super().__init__([])
        self.out = out

    def skip(self, why: str) -> None:
        self.out.append(("skip", why))


# what the reading process does: a file's items, as `subtitles.read_items` reads them
ReadItems = Callable[[TextStream, ImportedFile, str, bool], Iterator[tuple[str, object]]]


class _Sender:
    """The reading process's messages, pickled as they are read and sent by a thread of
    their own, so that reading goes on while the storing process takes the last batch."""

    def __init__(self, there: Connection) -> None:
        self.there = there
        self.waiting: queue.Queue[bytes | None] = queue.Queue(maxsize=AHEAD)
        self.gone = False  # the storing process closed its end: nothing more to read for
        self.thread = threading.Thread(target=self._run, name="subtitles-sender", daemon=True)
        self.thread.start()

    def send(self, message: tuple[int, list[tuple[str, object]], object]) -> None:
        if self.gone:
            raise EOFError("the storing process stopped listening")
        self.waiting.put(bytes(ForkingPickler.dumps(message)))  # as Connection.send pickles

    def _run(self) -> None:
        while (data := self.waiting.get()) is not None:
            if not self.gone:
                try:
                    self.there.send_bytes(data)
                except OSError:
                    self.gone = True  # the rest is taken and dropped: the reader never blocks

    def close(self) -> None:
        """Send what is waiting, then close the pipe: the storing process hears its end."""
        self.waiting.put(None)
        self.thread.join()
        self.there.close()


def _read(
    there: Connection, read: ReadItems, text: TextStream, name: str, vtt: bool, language: str
) -> None:
    """The reading process: every item of the file, a batch at a time, then the end."""
    use(language)  # what it skipped is said in the window's language
    out: list[tuple[str, object]] = []
    sender = _Sender(there)
    try:
        for item in read(text, _Said(out), name, vtt):
            out.append(item)
            if len(out) >= BATCH:
                sender.send((text.bytes_read, out, None))
                out.clear()
        sender.send((text.bytes_read, out, "end"))
    except EOFError:
        pass  # the storing process stopped (a Cancel): it stops this one too
    except Exception as err:  # noqa: BLE001 - given to the storing process, which raises it
        with contextlib.suppress(EOFError):
            sender.send((text.bytes_read, [], err if isinstance(err, UserError) else repr(err)))
    finally:
        sender.close()


class Reading:
    """One file read in a second process: `items()` as `read` gives them there (a function
    of a module, named to the new process), `position()` the bytes read, `close()` stops it."""

    def __init__(self, read: ReadItems, text: TextStream, name: str, vtt: bool) -> None:
        self.name = name
        self.read = 0
        # spawn, not fork: the window's process has threads (Qt, libvlc) fork would copy broken
        context = multiprocessing.get_context("spawn")
        self._here, there = context.Pipe(duplex=False)
        self._process: Any = context.Process(
            target=_read, args=(there, read, text, name, vtt, current()), daemon=True
        )
        self._process.start()
        there.close()  # the reader's end is the reader's alone: its end is heard as EOF

    def position(self) -> int:
        return self.read

    def items(self) -> Iterator[tuple[str, object]]:
        try:
            while True:
                try:
                    self.read, items, end = self._here.recv()
                except EOFError:
                    raise UserError(
                        _("{name} could not be read to its end: the reading stopped.").format(
                            name=self.name
                        )
                    ) from None
                yield from items
                if end == "end":
                    self._process.join()  # it ends by itself once its last batch is taken
                    return
                if isinstance(end, UserError):
                    raise end
                if end is not None:
                    raise RuntimeError(f"reading {self.name} failed: {end}")
        finally:
            self.close()

    def close(self) -> None:
        """Stop the reader (at once when it is not done) and wait for it: nothing left."""
        self._here.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
