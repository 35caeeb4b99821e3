"""The décor lens on generated films with a known truth (tests/decor_clips.py): a pan over a
still set leaves nothing hot, a patch that re-samples its texture every frame is the hottest
region on every frame, a letter that changes is found on the frame it changes, a cut is
skipped."""

from __future__ import annotations

import pytest

from critique_app.media.instability import (
    HotRegion,
    InstabilityResult,
    measure_instability,
    work_size,
)
from tests.decor_clips import Box, DecorClip, make_decor_clip

FRAMES = 30
PATCH = (300, 120, 120, 90)  # on the set at frame 0; the pan carries it left and up


def iou(region: HotRegion, box: Box) -> float:
    ax, ay, aw, ah = region.x, region.y, region.width, region.height
    bx, by, bw, bh = box
    ix = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0, min(ay + ah, by + bh) - max(ay, by))
    inter = ix * iy
    return inter / (aw * ah + bw * bh - inter)


def inside_share(region: HotRegion, box: Box) -> float:
    """How much of the region lies inside the box."""
    bx, by, bw, bh = box
    ix = max(0, min(region.x + region.width, bx + bw) - max(region.x, bx))
    iy = max(0, min(region.y + region.height, by + bh) - max(region.y, by))
    return ix * iy / (region.width * region.height)


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DecorClip]:
    folder = tmp_path_factory.mktemp("decor-films")
    return {
        "pan": make_decor_clip(folder / "pan.mp4", frames=FRAMES),
        "boil": make_decor_clip(folder / "boil.mp4", frames=FRAMES, boil=PATCH),
        "letter": make_decor_clip(folder / "letter.mp4", frames=FRAMES, letter=(400, 100)),
        "cut": make_decor_clip(folder / "cut.mp4", frames=FRAMES, boil=PATCH, cut=15),
        "figure": make_decor_clip(folder / "figure.mp4", frames=FRAMES, mover=(6, 2)),
        "figure_boil": make_decor_clip(
            folder / "figure_boil.mp4", frames=FRAMES, mover=(6, 2), boil=PATCH
        ),
    }


def measured(clip: DecorClip) -> InstabilityResult:
    return measure_instability(clip.path, 0, clip.frames)


def hottest(result: InstabilityResult) -> dict[int, HotRegion]:
    first: dict[int, HotRegion] = {}
    for region in result.regions:  # hottest first within a frame
        first.setdefault(region.frame, region)
    return first


def test_working_size_is_480_wide_and_never_enlarged() -> None:
    assert work_size(1920, 1080) == (480, 270)
    assert work_size(640, 360) == (480, 270)
    assert work_size(320, 240) == (320, 240)


def test_a_pan_over_a_still_set_leaves_nothing_hot(films: dict[str, DecorClip]) -> None:
    result = measured(films["pan"])
    assert sorted(result.scores) == list(range(1, FRAMES))  # frame 0 has nothing before it
    assert max(result.scores.values()) < 0.5
    assert result.regions == []
    assert result.cuts == []
    assert result.problem is None


def test_a_boiling_patch_is_the_hottest_region_of_every_frame(
    films: dict[str, DecorClip],
) -> None:
    clip = films["boil"]
    result = measured(clip)
    top = hottest(result)
    assert sorted(top) == list(range(1, FRAMES))
    for frame, region in top.items():
        assert iou(region, clip.patch[frame]) >= 0.5, (frame, region, clip.patch[frame])
    # the patch is 120x90 of 640x360 (4.7%): the score says about that much of the picture boils
    assert all(2.0 < score < 8.0 for score in result.scores.values())
    assert result.heat is not None and result.heat.shape == (270, 480)
    # the heat follows the patch over the pan: hot inside its path, cold far from it
    assert result.heat[60:80, 200:240].max() > 0.0
    assert result.heat[200:, :].max() == 0.0


def test_a_letter_is_found_on_the_frames_it_changes(films: dict[str, DecorClip]) -> None:
    clip = films["letter"]
    result = measured(clip)
    top = hottest(result)
    changes = [f for f in clip.letter_changes if f > 0]
    assert changes == [8, 16, 24]
    for frame in changes:
        region = top[frame]
        assert inside_share(region, clip.letter[frame]) >= 0.8, (frame, region)
        assert result.scores[frame] > 0.3
    unchanged = [f for f in result.scores if f not in changes]
    assert max(result.scores[f] for f in unchanged) < 0.2


def test_frames_across_a_cut_are_skipped(films: dict[str, DecorClip]) -> None:
    clip = films["cut"]
    result = measured(clip)
    assert result.cuts == [15]
    assert 15 not in result.scores
    assert all(region.frame != 15 for region in result.regions)
    top = hottest(result)
    assert sorted(top) == [f for f in range(1, FRAMES) if f != 15]
    for frame, region in top.items():
        assert iou(region, clip.patch[frame]) >= 0.5


def test_a_passage_in_the_middle_scores_its_first_frame_too(
    films: dict[str, DecorClip],
) -> None:
    clip = films["boil"]
    result = measure_instability(clip.path, 13, 21)  # starts after the keyframe at 12
    assert sorted(result.scores) == list(range(13, 21))
    assert {r.frame for r in result.regions} == set(range(13, 21))


def test_regions_are_in_film_pixels(films: dict[str, DecorClip]) -> None:
    result = measured(films["boil"])
    assert result.film_size == (640, 360) and result.work_size == (480, 270)
    for region in result.regions:
        assert region.x >= 0 and region.x + region.width <= 640
        assert region.y >= 0 and region.y + region.height <= 360


def test_a_figure_crossing_the_set_leaves_only_thin_bands_at_its_edges(
    films: dict[str, DecorClip],
) -> None:
    """What a moving thing uncovers has no "before" (docs/decor-lens.md, limits): the lens may
    heat its edges, never the set away from it, and a boiling patch stays the hottest."""
    clip = films["figure"]
    result = measured(clip)
    assert max(result.scores.values()) < 2.0
    for region in result.regions:
        x, y, w, h = clip.mover[region.frame]
        near = (x - 16, y - 16, w + 32, h + 32)
        assert inside_share(region, near) >= 0.9, (region, near)
    boiling = films["figure_boil"]
    top = hottest(measured(boiling))
    assert sorted(top) == list(range(1, FRAMES))
    for frame, region in top.items():
        assert iou(region, boiling.patch[frame]) >= 0.5, (frame, region)
