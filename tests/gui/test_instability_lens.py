"""View ▸ Lenses ▸ Instability lens: the heat of a passage over the exact frame, its hottest regions
outlined on the frame on screen, one step from a hot region to an annotation's region."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from db.project import open_project
from tests.conftest import FRAME_WAIT_MS
from tests.decor_clips import DecorClip, make_decor_clip
from tests.gui.annotation_projects import make_project

PATCH = (150, 60, 60, 45)  # on the set at frame 0, in film pixels (320x180)


@pytest.fixture(scope="module")
def boiling(tmp_path_factory: pytest.TempPathFactory) -> DecorClip:
    folder = tmp_path_factory.mktemp("lens-window")
    return make_decor_clip(folder / "boil.mp4", frames=104, size=(320, 180), boil=PATCH)


def measured(h: Any) -> Any:
    lens = h.window.instability
    h.window.action_table["instability_lens"].trigger()
    assert lens.dock is not None and lens.dock.isVisible()
    assert "it does not detect anything" in lens.panel.explanation.text()
    task = lens.measure()
    assert task is not None
    # a hang guard, not a bound: measuring decodes and follows the motion of 80 frames, which
    # took over 30 s beside four suites and two CPU hogs
    h.qtbot.waitUntil(lambda: lens.result is not None, timeout=300_000)
    return lens


def test_the_heat_and_the_frames_hot_regions_show_over_the_picture(
    open_window: Any, boiling: DecorClip, tmp_path: Path
) -> None:
    h = open_window(make_project(tmp_path, boiling.path))
    h.controller.show_frame(30)
    h.settle()
    lens = measured(h)
    # no in -> out marks: two seconds (48 frames at 24 fps) each side of frame 30, clamped
    assert (lens.result.start, lens.result.stop) == (0, 79)
    assert lens.overlay.isVisible() and lens.overlay.heat is not None
    assert len(lens.overlay.boxes) >= 1
    x, y, w, h_ = lens.overlay.boxes[0]
    px, py, pw, ph = boiling.patch[30]
    assert abs(x * 320 - px) < 12 and abs(y * 180 - py) < 12
    assert abs(w * 320 - pw) < 16 and abs(h_ * 180 - ph) < 16
    assert "Frame 30:" in lens.panel.frame_line.text()
    # the score lane: the patch boils on every frame (4-5 % of the picture) until the pan
    # carries it out of the picture (it leaves by frame 70)
    spans = h.window.timeline.canvas.lanes["instability"].spans
    covered = {f for start, end, _colour, _label in spans for f in range(start, end + 1)}
    assert set(range(1, 51)) <= covered and not covered & set(range(70, 79))
    assert {colour for start, _e, colour, _l in spans if start <= 50} <= {"#d4483b", "#f7a21b"}
    lens.panel.opacity.setValue(25)
    assert lens.overlay.opacity == pytest.approx(0.25)
    h.controller.show_frame(40)
    h.settle()
    px, py, _pw, _ph = boiling.patch[40]
    assert abs(lens.overlay.boxes[0][0] * 320 - px) < 12


def test_a_hot_region_becomes_an_annotations_region(
    open_window: Any, boiling: DecorClip, tmp_path: Path
) -> None:
    project = make_project(tmp_path, boiling.path)
    h = open_window(project)
    h.controller.show_frame(25)
    h.settle()
    lens = measured(h)
    assert lens.panel.annotate_button.isEnabled()
    new_id = lens.annotate_hottest()
    assert new_id is not None
    with open_project(project) as opened:
        made = next(a for a in opened.repo.annotations() if a.id == new_id)
    assert made.range.start == made.range.end == 25
    (x0, y0), (x1, y1) = made.regions[0].keyframes[0].points
    px, py, pw, ph = boiling.patch[25]
    assert abs(x0 * 320 - px) < 12 and abs(y0 * 180 - py) < 12
    assert abs(x1 * 320 - (px + pw)) < 16 and abs(y1 * 180 - (py + ph)) < 16
    assert "Instability lens" in made.note


def test_opening_another_film_drops_the_measure(
    open_window: Any, boiling: DecorClip, clip: Path, tmp_path: Path
) -> None:
    h = open_window(make_project(tmp_path, boiling.path))
    lens = measured(h)
    h.window.open_path(clip)
    h.opened()
    h.qtbot.waitUntil(lambda: lens.result is None, timeout=FRAME_WAIT_MS)
    assert not lens.overlay.isVisible()
    assert "instability" not in h.window.timeline.canvas.lanes


def test_the_score_lane_colours_runs_of_frames_by_their_score() -> None:
    from critique_app.gui.panels.lenses.instability_dock import lane_spans

    spans = lane_spans({1: 0.0, 2: 0.2, 3: 5.0, 4: 6.0, 5: 0.1, 6: 1.0, 8: 1.2, 9: 30.0})
    assert [(s, e) for s, e, _c, _l in spans] == [(3, 4), (6, 6), (8, 8), (9, 9)]
    assert spans[0][2] == "#f7a21b" and "6" in spans[0][3]
    assert spans[1][2] == spans[2][2] == "#7a1f6e"  # frame 7 unmeasured (a cut): two runs
