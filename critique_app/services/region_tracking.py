"""Regions that follow the picture, as a use-case: follow a box through a passage (forward or
backward) with progress and Cancel, and turn the boxes into an annotation region's keyframes,
which the user then corrects by dragging. Shared by `critique-app track` and the window."""

from __future__ import annotations

from pathlib import Path

from critique_app.domain.model import Keyframe, Region
from critique_app.errors import UserError
from critique_app.i18n import _
from critique_app.media.grey_frames import check_frames, read_layout
from critique_app.media.tracking import Box, TrackedPath, track_box
from critique_app.progress import NO_PROGRESS, Progress


def what_the_tracker_measures() -> str:
    """One sentence for people: the tracker is an aid that can drift."""
    return _(
        "The box follows the texture inside it from frame to frame (optical flow on a grid of "
        "points, each followed there and back). Confidence, from 0 to 1, is the share of those "
        "points that come back to where they started, times the share of the box still inside "
        "the picture. It is an aid: it can drift onto the background when the thing turns, "
        "blurs or is hidden; check the boxes against the picture."
    )


def track_region(
    path: str | Path, frame: int, box: Box, to: int, progress: Progress = NO_PROGRESS
) -> TrackedPath:
    """Follow `box` (film pixels) from `frame` to `to` (before `frame`: backward)."""
    path = Path(path)
    layout = read_layout(path)
    check_frames(path, layout, frame, to)
    x, y, w, h = box
    if w <= 0 or h <= 0 or x + w <= 0 or y + h <= 0 or x >= layout.width or y >= layout.height:
        raise UserError(
            _("The box {w}x{h} at {x},{y} is not on the picture ({width}x{height} pixels).").format(
                w=format(w, "g"),
                h=format(h, "g"),
                x=format(x, "g"),
                y=format(y, "g"),
                width=layout.width,
                height=layout.height,
            )
        )
    total = abs(to - frame) + 1
    message = _("Following the region in {name}").format(name=path.name)

    def on_frame(index: int) -> None:
        progress.update(abs(index - frame) + 1, total, message)

    return track_box(path, frame, box, to, layout=layout, check=progress.check, on_frame=on_frame)


def frames_off_the_picture(tracked: TrackedPath) -> list[int]:
    """Frames where the box had wholly left the picture: they get no keyframe."""
    return [b.frame for b in tracked.boxes if b.width <= 0 or b.height <= 0]


def region_following(region: Region, tracked: TrackedPath) -> Region:
    """`region` with one keyframe per tracked frame (its own keyframes outside the passage
    are kept; none where the box had left the picture): a rectangle or ellipse takes the box; any other outline is moved and scaled
    with it."""
    width, height = tracked.film_size
    low = min(tracked.start, tracked.end)
    high = max(tracked.start, tracked.end)
    left0, top0, right0, bottom0 = region.bounds(tracked.start)
    keys = {k.frame: k for k in region.keyframes if not low <= k.frame <= high}
    off = set(frames_off_the_picture(tracked))
    for box in tracked.boxes:
        if box.frame in off:
            continue
        left, top = box.x / width, box.y / height
        right, bottom = (box.x + box.width) / width, (box.y + box.height) / height
        points: tuple[tuple[float, float], ...]
        if region.shape in ("rectangle", "ellipse"):
            points = ((left, top), (right, bottom))
        else:
            sx = (right - left) / max(1e-9, right0 - left0)
            sy = (bottom - top) / max(1e-9, bottom0 - top0)
            points = tuple(
                (
                    min(1.0, max(0.0, left + (px - left0) * sx)),
                    min(1.0, max(0.0, top + (py - top0) * sy)),
                )
                for px, py in region.interpolate(tracked.start)
            )
        keys[box.frame] = Keyframe(box.frame, points)
    return Region(region.shape, tuple(keys[f] for f in sorted(keys)), region.label)
