"""The décor lens as a use-case: measure where a passage changes without moving, and draw its
heat over the film's own picture. Shared by `critique-app lens instability` and (later) the
window, which runs it on its task runner with this module's progress and Cancel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from critique_app.errors import UserError
from critique_app.i18n import _
from critique_app.media.grey_frames import check_frames, read_layout
from critique_app.media.instability import (
    HOT_LEVEL,
    InstabilityResult,
    measure_instability,
    paint_heat,
)
from critique_app.progress import NO_PROGRESS, Progress


def what_the_score_measures() -> str:
    """One sentence for people: the lens is an aid to look, not a detector."""
    return _(
        "Score: the share of the picture (in %) that still changes after the camera's and the "
        "objects' motion is followed (optical flow), by at least {level:g} grey levels: "
        "texture that boils, things that appear, letters that mutate. Parallax, motion blur "
        "and reflections raise it too: it shows where to look, it does not detect anything."
    ).format(level=HOT_LEVEL)


def measure_passage(
    path: str | Path, first: int, last: int, progress: Progress = NO_PROGRESS
) -> InstabilityResult:
    """Frames first..last (inclusive) of a film, each against the one before it."""
    path = Path(path)
    layout = read_layout(path)
    check_frames(path, layout, first, last)
    if last < first:
        raise UserError(
            _("The passage ends (frame {last}) before it starts (frame {first}).").format(
                first=first, last=last
            )
        )
    total = last - first + 1
    message = _("Looking for change without motion in {name}").format(name=path.name)

    def on_frame(index: int) -> None:
        progress.update(max(0, index - first + 1), total, message)

    return measure_instability(
        path, first, last + 1, layout=layout, check=progress.check, on_frame=on_frame
    )


def heat_picture(path: str | Path, result: InstabilityResult) -> NDArray[np.uint8]:
    """The passage's heat over its first frame, at the film's full size (RGB)."""
    from critique_app.media.frame_cache import ONE_SHOT_CACHE_BYTES
    from critique_app.media.frame_server import FrameServer
    from critique_app.media.probe import probe

    info = probe(path)
    with FrameServer(info.path, info, cache_bytes=ONE_SHOT_CACHE_BYTES) as server:
        picture = server.frame(result.start).image
    heat = result.heat if result.heat is not None else np.zeros((2, 2), np.float32)
    return paint_heat(np.ascontiguousarray(picture), heat)
