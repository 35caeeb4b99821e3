"""Regions that follow the picture (critique_app.media.tracking) on generated films with a
known truth (tests/decor_clips.py): a textured square crossing a panning textured set, decoded
by FFmpeg through PyAV."""

from __future__ import annotations

import pytest

from critique_app.errors import Cancelled
from critique_app.media.tracking import TrackedBox, track_box
from critique_app.progress import Progress
from critique_app.services.region_tracking import track_region
from tests.decor_clips import Box, DecorClip, centre_error, make_decor_clip


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DecorClip]:
    folder = tmp_path_factory.mktemp("tracking-films")
    return {
        # the square moves 4 px right and 2 down a frame while the set pans the other way
        "square": make_decor_clip(folder / "square.mp4", frames=61, mover=(4, 2)),
        # the square walks out of the right edge: 8 of its 80 pixels are left on the last frame
        "leaving": make_decor_clip(folder / "leaving.mp4", frames=75, mover=(8, 0)),
    }


def off_centre(box: TrackedBox, truth: Box) -> float:
    return centre_error((box.x, box.y, box.width, box.height), truth)


def test_square_followed_forward_within_five_pixels(films: dict[str, DecorClip]) -> None:
    clip = films["square"]
    path = track_box(clip.path, 0, clip.mover[0], 60)
    assert [b.frame for b in path.boxes] == list(range(61))
    assert path.problem is None
    for box in path.boxes:
        assert off_centre(box, clip.mover[box.frame]) <= 5.0, box
        assert box.confidence >= 0.8, box


def test_square_followed_backward_within_five_pixels(films: dict[str, DecorClip]) -> None:
    clip = films["square"]
    path = track_box(clip.path, 60, clip.mover[60], 0)
    assert [b.frame for b in path.boxes] == list(range(60, -1, -1))
    for box in path.boxes:
        assert off_centre(box, clip.mover[box.frame]) <= 5.0, box
        assert box.confidence >= 0.8, box


def test_a_box_leaving_the_picture_is_clamped_and_less_sure(films: dict[str, DecorClip]) -> None:
    clip = films["leaving"]
    width, height = clip.size
    path = track_box(clip.path, 50, clip.mover[50], 74)
    for box in path.boxes:
        assert box.x >= 0 and box.x + box.width <= width
        assert box.y >= 0 and box.y + box.height <= height
    inside = [b for b in path.boxes if clip.mover[b.frame][0] + 80 <= width]
    outside = [b for b in path.boxes if clip.mover[b.frame][0] + 80 > width + 40]
    assert inside and outside
    assert min(b.confidence for b in inside) >= 0.8
    assert max(b.confidence for b in outside) < 0.5
    assert path.boxes[-1].width < 40  # clamped: only the part still on the picture
    # the confidence falls as the square leaves
    last = [b.confidence for b in path.boxes[-8:]]
    assert last[-1] < last[0]


def test_cancel_through_progress_stops_tracking(films: dict[str, DecorClip]) -> None:
    clip = films["square"]
    seen: list[int] = []
    progress: Progress

    def on_update(done: int, total: int, message: str) -> None:
        seen.append(done)
        if done == 5:
            progress.cancel()

    progress = Progress(on_update)
    with pytest.raises(Cancelled):
        track_region(clip.path, 0, clip.mover[0], 60, progress)
    assert seen == [1, 2, 3, 4, 5]
    assert seen[-1] < 61


def test_tracked_boxes_become_the_region_keyframes(films: dict[str, DecorClip]) -> None:
    from critique_app.domain.model import Keyframe, Region
    from critique_app.services.region_tracking import region_following

    clip = films["square"]
    width, height = clip.size
    x, y, w, h = clip.mover[10]
    drawn = Region(
        "rectangle",
        (
            Keyframe(0, ((0.0, 0.0), (0.1, 0.1))),
            Keyframe(10, ((x / width, y / height), ((x + w) / width, (y + h) / height))),
            Keyframe(50, ((0.5, 0.5), (0.6, 0.6))),
        ),
        "figure",
    )
    tracked = track_region(clip.path, 10, clip.mover[10], 20)
    region = region_following(drawn, tracked)
    assert [k.frame for k in region.keyframes] == [0, *range(10, 21), 50]
    assert region.label == "figure"
    left, top, right, bottom = region.bounds(20)
    tx, ty, tw, th = clip.mover[20]
    assert abs((left + right) / 2 * width - (tx + tw / 2)) <= 5
    assert abs((top + bottom) / 2 * height - (ty + th / 2)) <= 5


def test_frames_where_the_box_left_the_picture_get_no_keyframe_and_are_named() -> None:
    from critique_app.domain.model import Region
    from critique_app.media.tracking import TrackedPath
    from critique_app.services.region_tracking import frames_off_the_picture, region_following

    tracked = TrackedPath(
        10,
        13,
        (100, 50),
        [
            TrackedBox(10, 80, 10, 20, 20, 1.0),
            TrackedBox(11, 90, 10, 10, 20, 0.4),
            TrackedBox(12, 100, 10, 0, 20, 0.0),
            TrackedBox(13, 100, 10, 0, 20, 0.0),
        ],
    )
    assert frames_off_the_picture(tracked) == [12, 13]
    region = region_following(Region.still("ellipse", [(0.8, 0.2), (1.0, 0.6)], 10), tracked)
    assert [k.frame for k in region.keyframes] == [10, 11]
    assert region.keyframes[1].points == ((0.9, 0.2), (1.0, 0.6))
    # an outline is moved and scaled with the box
    triangle = Region.still("polygon", [(0.8, 0.2), (1.0, 0.2), (0.9, 0.6)], 10)
    moved = region_following(triangle, tracked).keyframes[1].points
    assert [c for point in moved for c in point] == pytest.approx([0.9, 0.2, 1.0, 0.2, 0.95, 0.6])
