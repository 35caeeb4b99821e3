"""View ▸ Lenses ▸ Rhythm lane: one bar per shot of a film with known transitions, as high as
the shot is long (log scale), coloured by the transition that begins it, its tooltip in words;
another film opening removes it."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from critique_app.gui.colours import FIRST_SHOT, TRANSITION_COLOURS
from critique_app.gui.timeline.timeline import BAR_LANE, RULER, THUMBS
from tests.media.montage_films import FRAMES, SHOT_STARTS, TRUTH


def shown_lane(h: Any) -> Any:
    rhythm = h.window.rhythm
    h.window.action_table["rhythm_lane"].trigger()
    assert rhythm.task is not None
    # a hang guard, not a bound: one decode of 480 small frames beside other suites
    h.qtbot.waitUntil(lambda: rhythm.rhythm is not None, timeout=300_000)
    return h.window.timeline.canvas.lanes["rhythm"]


def test_a_bar_per_shot_as_long_as_the_shot_coloured_by_its_transition(
    open_window: Any, montage: Path, clip: Path
) -> None:
    h = open_window(montage)
    lane = shown_lane(h)
    firsts = [0, *SHOT_STARTS]
    lasts = [s - 1 for s in SHOT_STARTS] + [FRAMES - 1]
    assert [(s, e) for s, e, _c, _l in lane.spans] == list(zip(firsts, lasts, strict=True))
    # the kind that begins each shot: a fade out into a fade in begins the shot with the fade in
    kinds = [k for k, _a, _b in TRUTH if k != "fade_out"]
    assert [c for _s, _e, c, _l in lane.spans] == [
        FIRST_SHOT,
        *(TRANSITION_COLOURS[k] for k in kinds),
    ]
    lengths = [e - s + 1 for s, e, _c, _l in lane.spans]
    longest = max(lengths)
    assert lane.levels == pytest.approx([math.log1p(n) / math.log1p(longest) for n in lengths])
    assert lane.levels[lengths.index(longest)] == 1.0
    assert lane.spans[0][3] == "Shot 1: 2 s, the film's first shot."
    assert lane.spans[4][3] == "Shot 5: 2.36 s, begins with a dissolve."  # 195..253 at 25 fps
    # the tooltip is the bar's sentence, where the pointer is
    canvas = h.window.timeline.canvas
    top = (
        RULER + THUMBS + sum(other.height for key, other in canvas.lanes.items() if key != "rhythm")
    )
    assert list(canvas.lanes)[-1] == "rhythm" and lane.height == BAR_LANE
    x = canvas.x_of((SHOT_STARTS[-2] + SHOT_STARTS[-1]) / 2)
    assert canvas._tip_at(x, top + BAR_LANE / 2) == "Shot 9: 1.48 s, begins with a morph."
    # another film: its shots are not these
    h.window.open_path(clip)
    h.opened()
    h.qtbot.waitUntil(lambda: h.controller.path == clip)
    assert "rhythm" not in canvas.lanes and h.window.rhythm.rhythm is None


def test_cancel_stops_finding_the_shots_and_leaves_no_lane(open_window: Any, montage: Path) -> None:
    h = open_window(montage)
    messages: list[str] = []
    h.window.statusBar().messageChanged.connect(lambda text: messages.append(text))
    h.window.action_table["rhythm_lane"].trigger()
    task = h.window.rhythm.task
    assert task is not None
    task.cancel()  # the task bar's Cancel
    h.qtbot.waitUntil(lambda: task.delivered and not task.running, timeout=300_000)
    assert "rhythm" not in h.window.timeline.canvas.lanes and h.window.rhythm.rhythm is None
    assert "Finding the shots cancelled." in messages
