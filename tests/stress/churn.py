"""Open, start every kind of background work, then leave: the way a hurried user breaks windows.

Shared by the offscreen stress test and the Xvfb scenario (real libvlc). Two long films with
different pictures (A: vertical bands, B: horizontal bands) are in one project, each with
annotations that have no anchors yet and a one-item reference library, so a film being open
starts thumbnails, and each cycle also asks for matching, anchors and a provenance check.
Then the cycle switches film, closes the project, or quits the window, at a random moment.
Afterwards every stored result is checked against the film it is stored under.
"""

from __future__ import annotations

import io
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from PIL import Image

FRAMES = 2_400  # 100 s at 24 fps: a thumbnail strip of 100 stills, never done in one cycle
SIZE = (96, 54)


def picture(kind: str, index: int) -> np.ndarray:
    """A: vertical bands drifting right; B: horizontal bands drifting down (pHash tells them
    apart, and so does a thumbnail's layout)."""
    w, h = SIZE
    if kind == "A":
        band = ((np.arange(w) + index) // 8 % 2).astype(np.uint8)
        grey = np.tile(band * 200 + 30, (h, 1))
        rgb = np.stack([grey, grey // 2, grey // 4], axis=-1)
    else:
        band = ((np.arange(h) + index) // 6 % 2).astype(np.uint8)
        grey = np.tile((band * 200 + 30)[:, None], (1, w))
        rgb = np.stack([grey // 4, grey // 2, grey], axis=-1)
    return rgb.astype(np.uint8)


def make_film(path: Path, kind: str, frames: int = FRAMES) -> Path:
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=Fraction(24))
        stream.width, stream.height, stream.pix_fmt = SIZE[0], SIZE[1], "yuv420p"
        stream.options = {"g": "48", "bf": "2", "preset": "ultrafast"}
        stream.thread_type = "FRAME"
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(picture(kind, i), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def layout_of(jpeg: bytes) -> str:
    """Which film a thumbnail shows: bands across (A) or down (B)."""
    grey = np.asarray(Image.open(io.BytesIO(jpeg)).convert("L"), dtype=np.float32)
    across = np.abs(np.diff(grey, axis=1)).mean()
    down = np.abs(np.diff(grey, axis=0)).mean()
    return "A" if across > down else "B"


def make_project(folder: Path) -> Path:
    from critique_app.domain.model import Annotation, FrameRange
    from critique_app.services.films import add_film
    from critique_app.services.fingerprinting import add_to_library
    from db.project import open_project

    path = folder / "festival.critique"
    still = folder / "known-ai.png"
    Image.fromarray(picture("A", 500)).resize((480, 270)).save(still)
    with open_project(path) as project:
        tier = project.repo.add_tier("Jury", author="Jury")
        for kind in ("A", "B"):
            film = add_film(project, make_film(folder / f"{kind}.mp4", kind), title=f"Film {kind}")
            for start in range(100, 2_300, 400):
                project.repo.add_annotation(
                    Annotation.create(film.id or 0, tier.id or 0, FrameRange(start, start + 30))
                )
        add_to_library(project, [still])
    return path


@dataclass
class Tally:
    cycles: int = 0
    switches: int = 0
    closes: int = 0
    quits: int = 0
    started: dict[str, int] = field(default_factory=dict)  # kind of work -> times started
    dropped_while_running: int = 0


def start_everything(window: Any, tally: Tally) -> None:
    """Thumbnails, matching, anchors and a provenance check for the film on screen."""
    started = {
        "thumbnails": window.tracks.generate_thumbnails(),
        "matching": window.matches.find_matches(),
        "anchors": window.anchor_keeper.start(),
    }
    window.provenance.dock.show()  # the panel checks the film on screen
    panel = window.provenance.panel
    if panel is not None and window.session.film_path is not None:
        panel.verify(window.session.film_path)
        started["provenance"] = panel._task
    for kind, task in started.items():
        if task is not None:
            tally.started[kind] = tally.started.get(kind, 0) + 1


def churn(
    app: Any,
    new_window: Callable[[], Any],
    project: Path,
    cycles: int,
    seed: int = 7,
    pump: Callable[[float], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Tally:
    """`cycles` times: open (if needed), start all the work, wait a random moment, then switch
    film / close the project / quit. Raises AssertionError at the first thing out of place.
    `progress(n)` hears of each cycle done (a scenario process tells its runner it is alive)."""
    rng = random.Random(seed)
    tally = Tally()

    def wait(seconds: float) -> None:
        if pump is not None:
            pump(seconds)
            return
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.002)

    def settle(window: Any, timeout: float = 30.0) -> None:
        end = time.monotonic() + timeout
        c = window.controller
        while not (window.session.opening is None and c.info is not None and c.mode == "exact"):
            if time.monotonic() > end:
                raise AssertionError(f"cycle {tally.cycles}: the film did not open in {timeout} s")
            wait(0.01)

    window = new_window()
    window.open_path(project)
    settle(window)
    for n in range(cycles):
        tally.cycles = n + 1
        start_everything(window, tally)
        wait(rng.uniform(0.0, 0.25))
        shown = window.session.film.title[-1]
        for _frame, image in window.timeline.canvas.thumbs.items():  # what is drawn is this film's
            assert _image_layout(image) == shown, f"cycle {n}: film {shown} shows a strip of other"
        tally.dropped_while_running += sum(1 for t in window.tasks.tasks() if t.running)
        action = rng.choices(("switch", "close", "quit"), weights=(5, 3, 2))[0]
        if action == "switch":
            tally.switches += 1
            films = window.session.project.project.repo.films()
            other = next(f for f in films if f.id != window.session.film.id)
            old = window.tasks.tasks("film")
            window.session.show_film(other)  # prepared first: the old film's work runs meanwhile
            settle(window)  # switched: the old film's work ended while it showed, or was dropped
            assert all(t.dropped or t.delivered for t in old), "film work outlived its film"
            _ends(old, wait)
        elif action == "close":
            tally.closes += 1
            old = window.tasks.tasks("film") + window.tasks.tasks("project")
            window.session.close_project()
            assert all(t.dropped for t in old), "project work was not dropped with its project"
            _ends(old, wait)
            window.open_path(project)
            settle(window)
        else:
            tally.quits += 1
            old = window.tasks.tasks()
            window.close()
            assert all(t.dropped for t in old), "work was not dropped with its window"
            _ends(old, wait)
            assert window.controller.closed
            late = [t.name for t in threading.enumerate() if t.name.startswith("task:")]
            assert late == [], f"cycle {n}: threads left after quitting: {late}"
            wait(0.01)  # late queued events reach a closed window: nothing may happen
            window = new_window()
            window.open_path(project)
            settle(window)
        if progress is not None:
            progress(n + 1)
    window.close()
    return tally


def _ends(tasks: list[Any], wait: Callable[[float], None], timeout: float = 10.0) -> None:
    """Dropped work stops (at its next frame, or when its file is open): nothing hangs."""
    end = time.monotonic() + timeout
    while any(t.running for t in tasks):
        if time.monotonic() > end:
            raise AssertionError(
                f"still running {timeout} s after Cancel: {[t.label for t in tasks if t.running]}"
            )
        wait(0.01)


def _running(window: Any, *scopes: str) -> list[str]:
    return [t.label for s in scopes for t in window.tasks.tasks(s) if t.running]


def _image_layout(image: Any) -> str:
    from PyQt6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return layout_of(bytes(buffer.data()))


def check_stored(project: Path) -> dict[str, int]:
    """Every thumbnail and anchor stored under a film is that film's; returns the counts."""
    from critique_app.media.thumbnails import THUMB_HEIGHT
    from critique_app.services.anchors import compute_anchor_hashes
    from db.project import open_project
    from db.thumbnail_store import load_thumbnails

    counts = {"thumbnails": 0, "anchors": 0}
    with open_project(project) as p:
        for film in p.repo.films():
            kind = film.title[-1]
            for _frame, jpeg in load_thumbnails(p.db, film.id or 0, THUMB_HEIGHT).items():
                assert layout_of(jpeg) == kind, f"a thumbnail of the other film is under {kind}"
                counts["thumbnails"] += 1
            anchored = {a.id: a for a in p.repo.annotations(film_id=film.id) if a.anchor_hashes}
            if anchored:
                truth = compute_anchor_hashes(
                    Path(film.path), {i: a.range for i, a in anchored.items()}
                )
                for ident, a in anchored.items():
                    assert tuple(a.anchor_hashes or ()) == tuple(truth[ident]), (
                        f"annotation {ident} of film {kind} has anchors of other pictures"
                    )
                    counts["anchors"] += 1
    return counts
