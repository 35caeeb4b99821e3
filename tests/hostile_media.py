"""Damaged films on purpose: seeded mutants of small clips, and a driver that runs every reader on them.

`make_mutants` cuts, flips, overwrites and scrambles (header, MP4 `moov` boxes, Matroska
cues) copies of generated clips, the same set for the same seed. The driver runs, in one
process, what a user can point at a file: `critique-app probe`, `frame`, `fingerprint`, the
exact-frame engine (load, play, seek, close) and the thumbnail strip; each must end with exit
0 or 1 and a sentence, never a traceback, a signal or a hang.

    python -m tests.hostile_media LIST.json [--window]

reads a JSON list of mutant paths and writes one line per mutant on stdout: `start N` before
it, `done N {json}` after, so a parent that sees the process die or stall knows which mutant
did it. `--window` also opens each mutant in the main window (offscreen) and closes it.

From a test: `run_drivers(make_mutants(make_clips(folder), folder / "m", 300, seed), folder,
window=True)` returns an Outcome whose `problems` maps each mishandled mutant to what went
wrong (a crash or a hang of the driver included).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

# ---- mutants --------------------------------------------------------------------------------

KINDS = ("truncate", "flip", "header", "index", "garbage", "zeros", "insert")
ISO_INDEX_BOXES = (b"moov", b"stco", b"co64", b"stsz", b"stss", b"stts", b"ctts", b"stsc", b"mdhd")
# Matroska/WebM element ids: Cues, SeekHead, Tracks, Segment Info, Cluster
MKV_INDEX_IDS = (
    b"\x1c\x53\xbb\x6b",
    b"\x11\x4d\x9b\x74",
    b"\x16\x54\xae\x6b",
    b"\x15\x49\xa9\x66",
    b"\x1f\x43\xb6\x75",
)


@dataclass(frozen=True)
class Mutant:
    path: Path
    clip: str
    kind: str
    detail: str

    def describe(self) -> str:
        return f"{self.path.name} ({self.clip}, {self.kind}: {self.detail})"


def _noise(rng: random.Random, n: int) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(n))


def _index_offsets(data: bytes) -> list[int]:
    """Where the container's index lives: MP4/MOV boxes, else Matroska elements."""
    found = []
    for marker in ISO_INDEX_BOXES + MKV_INDEX_IDS:
        start = data.find(marker)
        while start != -1 and len(found) < 64:
            found.append(start)
            start = data.find(marker, start + 1)
    return found


def mutate(data: bytes, kind: str, rng: random.Random) -> tuple[bytes, str]:
    """One damaged copy of `data` and a few words saying what was done."""
    size = len(data)
    if kind == "truncate":
        cut = rng.randint(1, size - 1)
        return data[:cut], f"cut at byte {cut} of {size}"
    buf = bytearray(data)
    if kind == "flip":
        count = rng.randint(1, 40)
        for _ in range(count):
            buf[rng.randrange(size)] ^= rng.randint(1, 255)
        return bytes(buf), f"{count} bytes flipped"
    if kind == "header":
        start = rng.randrange(0, min(64, size))
        length = rng.randint(4, 64)
        buf[start : start + length] = _noise(rng, len(buf[start : start + length]))
        return bytes(buf), f"bytes {start}..{start + length} of the header overwritten"
    if kind == "index":
        offsets = _index_offsets(data)
        if offsets:
            at = rng.choice(offsets)
            # the box/element size (just before an MP4 type; after a Matroska id) or its body
            start = max(0, at - 4) if rng.random() < 0.5 else at + 4 + rng.randrange(0, 24)
            length = rng.randint(2, 48)
            buf[start : start + length] = _noise(rng, len(buf[start : start + length]))
            return bytes(buf), f"index at {at}: bytes {start}..{start + length} scrambled"
        kind = "garbage"
    if kind == "garbage":
        length = rng.randint(16, max(17, min(8192, size // 3)))
        start = rng.randrange(0, max(1, size - length))
        buf[start : start + length] = _noise(rng, len(buf[start : start + length]))
        return bytes(buf), f"{length} random bytes at {start}"
    if kind == "zeros":
        length = rng.randint(64, max(65, size // 4))
        start = rng.randrange(0, max(1, size - length))
        buf[start : start + length] = bytes(len(buf[start : start + length]))
        return bytes(buf), f"{length} bytes zeroed at {start}"
    if kind == "insert":
        at = rng.randrange(0, size)
        length = rng.randint(1, 512)
        return data[:at] + _noise(rng, length) + data[at:], f"{length} bytes inserted at {at}"
    raise ValueError(kind)


def make_mutants(clips: dict[str, Path], folder: Path, count: int, seed: int) -> list[Mutant]:
    """`count` mutants spread over the clips and every kind; the same files for the same seed."""
    folder.mkdir(parents=True, exist_ok=True)
    names = sorted(clips)
    mutants = []
    for n in range(count):
        clip = names[n % len(names)]
        kind = KINDS[(n // len(names)) % len(KINDS)]
        rng = random.Random(f"{seed}:{n}:{clip}:{kind}")
        source = clips[clip]
        data, detail = mutate(source.read_bytes(), kind, rng)
        path = folder / f"m{n:04d}-{kind}{source.suffix}"
        path.write_bytes(data)
        mutants.append(Mutant(path, clip, kind, detail))
    return mutants


# ---- running the driver from a test -----------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
LIMIT_SECONDS = 60.0  # per mutant, for everything the driver runs on it

# The five kinds of film the issue names, kept tiny (a second or two, a few dozen pixels).
CLIPS: dict[str, tuple[str, dict[str, Any]]] = {
    "h264": ("h264.mp4", dict(frames=36, size=(64, 48), gop=12, bframes=2, audio=True)),
    "h264_faststart": (
        "h264_faststart.mov",
        dict(frames=30, size=(80, 48), gop=10, bframes=2, faststart=True),
    ),
    "hevc": ("hevc.mkv", dict(frames=30, size=(96, 64), codec="libx265", gop=10, bframes=3)),
    "vp9": ("vp9.webm", dict(frames=30, size=(64, 48), codec="libvpx-vp9", gop=12)),
    "prores": ("prores.mov", dict(frames=24, size=(64, 48), codec="prores_ks")),
    "vfr": ("vfr.mp4", dict(frames=40, size=(64, 48), vfr=True, gop=12, rate=Fraction(30))),
}


def make_clips(folder: Path) -> dict[str, Path]:
    """The clips mutants are made from, written into `folder`."""
    from tests.media_factory import make_coded_clip

    return {
        name: make_coded_clip(folder / file, **options) for name, (file, options) in CLIPS.items()
    }


@dataclass
class Outcome:
    problems: dict[int, list[str]] = field(default_factory=dict)
    seconds: dict[int, float] = field(default_factory=dict)
    restarts: int = 0


class _Driver:
    """One driver process working through a list of mutants; restarted past a crash or hang."""

    def __init__(
        self, indices: list[int], mutants: list[Mutant], folder: Path, window: bool
    ) -> None:
        self.pending, self.mutants, self.folder = list(indices), mutants, folder
        self.window = window
        self.proc: subprocess.Popen[bytes] | None = None
        self.buffer = b""
        self.current: int | None = None  # position in `pending` of the mutant being run
        self.finished = 0  # mutants of `pending` done by this process
        self.started = 0.0

    def launch(self) -> int:
        """Start the process; returns the file descriptor its report arrives on."""
        listing = self.folder / f"batch-{self.pending[0]}.json"
        listing.write_text(json.dumps([str(self.mutants[i].path) for i in self.pending]))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.hostile_media", str(listing)]
            + (["--window"] if self.window else []),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # FFmpeg's own log lines; the verdicts come on stdout
        )
        self.buffer, self.current, self.finished = b"", None, 0
        self.started = time.monotonic()
        assert self.proc.stdout is not None
        return self.proc.stdout.fileno()

    def hung(self, limit: float) -> bool:
        return self.current is not None and time.monotonic() - self.started > limit

    def stop(self, outcome: Outcome, why: str) -> None:
        """The process ended (or is killed): blame the mutant it was on, keep the rest."""
        assert self.proc is not None and self.proc.stdout is not None
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
        skip = self.finished
        if self.current is not None:
            outcome.problems[self.pending[self.current]] = [why]
            outcome.restarts += 1
            skip = self.current + 1
        self.pending = self.pending[skip:]
        self.proc = None

    def ended(self, outcome: Outcome) -> None:
        assert self.proc is not None
        code = self.proc.wait()
        why = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
        self.stop(outcome, f"the driver died ({why})" if code > 0 else why)

    def read(self, outcome: Outcome) -> bool:
        """Take what the driver reported; False when the process has ended."""
        assert self.proc is not None and self.proc.stdout is not None
        # raw reads: a buffered reader would hide lines from select()
        chunk = os.read(self.proc.stdout.fileno(), 65536)
        if not chunk:
            return False
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            word, number, *rest = line.decode().split(" ", 2)
            if word == "start":
                self.current, self.started = int(number), time.monotonic()
            elif word == "done":
                result = json.loads(rest[0])
                index = self.pending[int(number)]
                outcome.seconds[index] = result["seconds"]
                if result["problems"]:
                    outcome.problems[index] = result["problems"]
                self.current, self.finished = None, int(number) + 1
        return True


def run_drivers(
    mutants: list[Mutant],
    folder: Path,
    drivers: int = 3,
    limit: float = LIMIT_SECONDS,
    *,
    window: bool = False,
) -> Outcome:
    """Every mutant through the driver, `drivers` processes side by side (they mostly wait
    on playback and joins, so three share two cores well). `window=True` also opens each
    mutant in the main window. A crash or hang is blamed on its mutant; the rest still run."""
    outcome = Outcome()
    indices = list(range(len(mutants)))
    active = [_Driver(indices[k::drivers], mutants, folder, window) for k in range(drivers)]
    with selectors.DefaultSelector() as sel:
        while active:
            for driver in list(active):
                if driver.proc is None:
                    if not driver.pending:
                        active.remove(driver)
                        continue
                    sel.register(driver.launch(), selectors.EVENT_READ, driver)
            for key, _events in sel.select(timeout=0.5):
                if not key.data.read(outcome):
                    sel.unregister(key.fd)
                    key.data.ended(outcome)
            for driver in active:
                if driver.proc is not None and driver.hung(limit):
                    assert driver.proc.stdout is not None
                    sel.unregister(driver.proc.stdout.fileno())
                    driver.stop(outcome, f"hang: no answer within {limit:.0f} s")
    return outcome


# ---- what the driver checks ------------------------------------------------------------------


def sentence_problem(text: str) -> str | None:
    """None when `text` reads as one plain sentence to a user; else what is wrong with it."""
    text = text.strip()
    if not text:
        return "an empty message"
    if "Traceback" in text or "unexpected error" in text or 'File "' in text:
        return f"a traceback or a bug report: {text[-300:]!r}"
    if not text.rstrip(")").endswith((".", "!", "?", ".)")):
        return f"not a sentence: {text[-200:]!r}"
    return None


class _Faults:
    """Exceptions nobody caught: in threads, in __del__, or sent to sys.excepthook (Qt slots)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        old = threading.excepthook, sys.unraisablehook, sys.excepthook

        def in_thread(args: Any) -> None:
            text = "".join(
                traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
            )
            self.seen.append(f"thread {args.thread.name if args.thread else '?'}: {text}")

        def unraisable(args: Any) -> None:
            self.seen.append(f"unraisable in {args.object!r}: {args.exc_type.__name__}")

        def hook(kind: type, value: BaseException, tb: Any) -> None:
            self.seen.append("".join(traceback.format_exception(kind, value, tb)))

        threading.excepthook, sys.unraisablehook, sys.excepthook = in_thread, unraisable, hook
        try:
            yield
        finally:
            threading.excepthook, sys.unraisablehook, sys.excepthook = old


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """`critique-app ARGV` in this process: exit status, stdout, stderr."""
    from critique_app.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def _cli_problem(label: str, argv: list[str]) -> str | None:
    code, _out, err = run_cli(argv)
    if code not in (0, 1):
        return f"{label}: exit {code}: {err[-300:]!r}"
    said = [line for line in err.splitlines() if line.startswith("critique-app:")]
    for line in said:
        bad = sentence_problem(line.removeprefix("critique-app:"))
        if bad:
            return f"{label}: {bad}"
    if code == 1 and not said:
        return f"{label}: exit 1 without a sentence: {err[-300:]!r}"
    return None


def _frame_count(path: Path) -> tuple[int, float]:
    from critique_app.errors import UserError
    from critique_app.media.probe import probe

    try:
        info = probe(path)
    except UserError:
        return 0, 24.0
    return info.frame_count, float(info.rate)


def _engine_problems(path: Path, frame_count: int) -> list[str]:
    from critique_app.player.engine import EngineListener
    from critique_app.player.exact_engine import ExactEngine

    problems: list[str] = []

    class Listener(EngineListener):
        pictures = 0

        def on_picture(self, frame: Any) -> None:
            Listener.pictures += 1

        def on_error(self, message: str) -> None:
            bad = sentence_problem(message)
            if bad:
                problems.append(f"exact engine: {bad}")

    engine = ExactEngine()
    engine.set_listener(Listener())
    engine.load(path)
    worker = engine._worker  # its playback loop (a plain thread outside the window)
    engine.play()
    time.sleep(0.05)
    engine.seek_frame(max(0, frame_count // 2))
    time.sleep(0.01)
    engine.seek_frame(max(0, frame_count - 1))
    engine.play()
    time.sleep(0.01)
    engine.pause()
    engine.close()
    if worker is not None and worker.running:
        problems.append("exact engine: its playback loop still runs after close()")
    return problems


def _thumbnail_problems(path: Path, frame_count: int, rate: float) -> list[str]:
    from critique_app.errors import UserError
    from critique_app.media.thumbnails import generate_thumbnails, sample_frames

    wanted = sample_frames(frame_count, rate) if frame_count else list(range(0, 48, 6))
    try:
        generate_thumbnails(path, wanted)
    except UserError as err:
        bad = sentence_problem(str(err))
        return [f"thumbnails: {bad}"] if bad else []
    return []


def check_mutant(path: Path, work: Path, project: Path | None = None) -> list[str]:
    """Every problem a user would meet with this file (empty: it was handled as it should).

    `project` is the project fingerprints go into (default: a new one in `work`)."""
    project = project or work / "fingerprints.critique"
    problems: list[str] = []
    faults = _Faults()
    with faults.watching():
        frame_count, rate = _frame_count(path)
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("probe", lambda: _cli_problem("probe", ["probe", str(path)])),
            ("probe --json", lambda: _cli_problem("probe --json", ["probe", "--json", str(path)])),
            (
                "frame",
                lambda: _cli_problem(
                    "frame",
                    [
                        "frame",
                        str(path),
                        "--index",
                        str(frame_count // 2),
                        "-o",
                        str(work / "f.png"),
                    ],
                ),
            ),
            (
                "frame --tc",
                lambda: _cli_problem(
                    "frame --tc", ["frame", str(path), "--tc", "1.5s", "-o", str(work / "t.png")]
                ),
            ),
            (
                "fingerprint",
                lambda: _cli_problem(
                    "fingerprint",
                    [
                        "fingerprint",
                        str(path),
                        "--project",
                        str(project),
                        "--workers",
                        "1",
                    ],
                ),
            ),
            ("engine", lambda: _engine_problems(path, frame_count)),
            ("thumbnails", lambda: _thumbnail_problems(path, frame_count, rate)),
        ]
        for label, step in steps:
            try:
                found = step()
            except Exception:  # a bug: what the test reports
                found = f"{label}: {traceback.format_exc(limit=-3)}"
            if isinstance(found, str):
                problems.append(found)
            elif found:
                problems.extend(found)
    problems.extend(faults.seen)
    return problems


def window_problems(path: Path, app: Any) -> list[str]:
    """Open the mutant in the main window (offscreen), let it work a moment, close it.

    Every message the window shows must be a sentence, and nothing may escape to
    sys.excepthook (where PyQt sends exceptions raised in slots)."""
    from critique_app.gui.main_window import MainWindow
    from critique_app.gui.settings import Settings
    from critique_app.player.exact_engine import ExactEngine

    problems: list[str] = []
    faults = _Faults()
    threads_before = set(threading.enumerate())
    with faults.watching():
        window = MainWindow(settings=Settings(), engines=(ExactEngine(), None))
        window.show()
        try:
            window.open_path(path)
            until = time.monotonic() + 0.6
            while time.monotonic() < until:
                app.processEvents()
                time.sleep(0.01)
            shown = window.statusBar().currentMessage()  # type: ignore[union-attr]
            if shown:
                bad = sentence_problem(shown)
                if bad:
                    problems.append(f"window: {bad}")
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()
    until = time.monotonic() + 3.0  # closing the window ends its work; give it a moment
    while True:
        left = [
            t.name
            for t in threading.enumerate()
            if t not in threads_before and t.is_alive() and t.name != "critique-reader-pipe"
        ]
        if not left or time.monotonic() > until:
            break
        time.sleep(0.02)
    if left:
        problems.append(f"window: threads still running after close: {sorted(left)}")
    return problems + [f"window: {f}" for f in faults.seen]


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    with_window = "--window" in args
    args = [a for a in args if a != "--window"]
    paths = [Path(p) for p in json.loads(Path(args[0]).read_text())]
    app = None
    if with_window:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PyQt6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication([])
    # Imported before the first mutant, so that its time limit measures the work alone.
    import critique_app.cli as cli
    import critique_app.media.thumbnails
    import critique_app.player.exact_engine
    import critique_app.services.fingerprinting  # noqa: F401

    # One parser for every command line this process runs: building it (argparse, gettext)
    # costs more than probing a small file. It imports every command's module, too.
    parser = cli.build_parser()
    cli.build_parser = lambda: parser  # type: ignore[assignment]

    with tempfile.TemporaryDirectory(prefix="hostile-") as temp:
        for n, path in enumerate(paths):
            print(f"start {n}", flush=True)
            # the parent's own test: how a crash or a hang on one mutant is reported
            if os.environ.get("HOSTILE_CRASH_ON") == path.name:
                os.kill(os.getpid(), signal.SIGSEGV)
            if os.environ.get("HOSTILE_HANG_ON") == path.name:
                time.sleep(3600)
            work = Path(temp) / str(n)
            work.mkdir()
            started = time.monotonic()
            problems = check_mutant(path, work, Path(temp) / "fingerprints.critique")
            if app is not None:
                problems += window_problems(path, app)
            result = {"problems": problems, "seconds": round(time.monotonic() - started, 3)}
            print(f"done {n} {json.dumps(result)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
