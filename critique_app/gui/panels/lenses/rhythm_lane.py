"""View ▸ Lenses ▸ Rhythm lane: one bar per shot on the timeline, the montage lens at a glance.

Each bar spans its shot; its height is the shot's length on a log scale (log(1 + frames) over
that of the longest shot): shot lengths are skewed (a few long takes among many short shots),
and on a 40-pixel lane a linear scale would flatten a two-second shot beside a forty-second one
to a pixel, while on a log scale equal ratios are equal steps and every shot stays visible
(the exact length is in the bar's tooltip, the linear Cinemetrics drawing in `shots --plot`).
Its colour is the kind of the transition that begins the shot (gui/colours.py). The shots are
found on the window's task runner (progress, Cancel) when the user asks; another film opening
drops them (a "film" task, the lane removed).
"""

from __future__ import annotations

import math
from typing import Any

from PyQt6.QtCore import QObject

from critique_app.domain.rhythm import kind_name
from critique_app.gui.colours import transition_colour
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import N_, _, format_number
from critique_app.progress import Progress

LANE = "rhythm"
TITLE = N_("Rhythm")


def _measure(progress: Progress, path: str) -> Any:
    from critique_app.services.rhythm import measure_rhythm

    return measure_rhythm(path, progress)


def shot_words(number: int, seconds: float, kind: str | None) -> str:
    """A shot in one sentence: its number, its length, how it begins."""
    length = format_number(round(seconds, 2))
    if kind is None:
        return _("Shot {number}: {seconds} s, the film's first shot.").format(
            number=number, seconds=length
        )
    return _("Shot {number}: {seconds} s, begins with a {kind}.").format(
        number=number, seconds=length, kind=kind_name(kind)
    )


def lane_bars(rhythm: Any) -> list[tuple[int, int, str, str, float]]:
    """(first, last, colour, tooltip, height share) per shot of a services.rhythm.FilmRhythm."""
    longest = max((b - a + 1 for a, b in rhythm.spans), default=1)
    scale = math.log1p(longest)
    return [
        (a, b, transition_colour(kind), shot_words(n, seconds, kind), math.log1p(b - a + 1) / scale)
        for n, ((a, b), kind, seconds) in enumerate(
            zip(rhythm.spans, rhythm.opening_kinds(), rhythm.lengths_seconds(), strict=True),
            start=1,
        )
    ]


class RhythmLane(QObject):
    """The action, the task that finds the shots, the lane it fills."""

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.controller = window.controller
        self.task: Task | None = None
        self.rhythm: Any = None  # services.rhythm.FilmRhythm of the film on screen
        self.action = window.action_table["rhythm_lane"]
        self.action.triggered.connect(self.measure)
        self.controller.film_opened.connect(lambda _info: self.clear())

    def measure(self) -> Task | None:
        path = self.controller.path
        if path is None:
            self.window.show_message(_("Open a film first, then show its rhythm."))
            return None
        if self.task is not None:
            self.task.cancel()
        self.task = self.window.tasks.run(
            _("Finding the shots of {name}").format(name=path.name),
            _measure,
            str(path),
            scope="film",  # another film opening drops it
            on_done=self._measured,
            on_error=self._failed,
            on_cancelled=lambda: self._failed(_("Finding the shots cancelled.")),
        )
        return self.task

    def _measured(self, rhythm: Any) -> None:
        self.task = None
        self.rhythm = rhythm
        self.window.timeline.canvas.set_bar_lane(LANE, _(TITLE), lane_bars(rhythm))
        if rhythm.found.problem:
            self.window.show_message(rhythm.found.problem)

    def _failed(self, sentence: str) -> None:
        self.task = None
        self.window.show_message(sentence)

    def clear(self) -> None:
        """A new film: the shots were another film's."""
        self.rhythm = None
        self.window.timeline.canvas.remove_lane(LANE)

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None


def install_rhythm_lane(window: WindowContext) -> RhythmLane:
    """View ▸ Lenses ▸ Rhythm lane: the shots of the film on screen as bars on the timeline."""
    return RhythmLane(window)
