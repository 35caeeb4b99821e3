"""Annotate ▸ Track the region forward / backward: the selected annotation's region follows the
picture.

The region's box on the frame on screen is followed (critique_app.services.region_tracking) on
the window's task runner, with progress and Cancel, forward to the out point or backward to the
in point, never beyond the annotation's own frames (the region exists only there; without a
mark, to the annotation's first or last frame). The boxes become the region's keyframes in one
undoable edit, so the region follows the picture at once and a drag on any frame corrects it
there. Opening another film drops a run (its task is a "film" task).
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QObject

from critique_app.domain import commands as cmd
from critique_app.domain.model import Annotation
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import N_, _, format_number, ngettext
from critique_app.progress import Progress

TRACKED = N_("Track region")


def _track(progress: Progress, path: str, frame: int, box: Any, to: int) -> Any:
    from critique_app.services.region_tracking import track_region

    return track_region(path, frame, box, to, progress)


class RegionTracker(QObject):
    """The two actions of the Annotate menu and the run they start."""

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.controller = window.controller
        self.task: Task | None = None
        window.action_table["track_forward"].triggered.connect(lambda: self.track(forward=True))
        window.action_table["track_backward"].triggered.connect(lambda: self.track(forward=False))
        self.controller.film_opened.connect(lambda _info: self.close())

    def _selected(self) -> Annotation | None:
        project, film = self.window.session.project, self.window.session.film
        ident = self.window.annotations.selected_id
        if project is None or film is None or ident is None:
            return None
        found = project.annotation(ident)
        return found if found is not None and found.film_id == film.id else None

    def target(self, annotation: Annotation, forward: bool) -> int:
        """The out point (forward) or in point (backward), kept inside the annotation."""
        here, frames = self.controller.current, annotation.range
        if forward:
            mark = self.controller.out_mark
            return min(mark, frames.end) if mark is not None and mark > here else frames.end
        mark = self.controller.in_mark
        return max(mark, frames.start) if mark is not None and mark < here else frames.start

    def track(self, forward: bool = True) -> Task | None:
        annotation = self._selected()
        here = self.controller.current
        info, path = self.controller.info, self.controller.path
        if annotation is None or not annotation.regions or info is None or path is None:
            self.window.show_message(
                _("Select an annotation with a region first, then track its region.")
            )
            return None
        if here not in annotation.range:
            self.window.show_message(
                _(
                    "Go to a frame of annotation #{id} (frames {first} to {last}) to track its "
                    "region from there."
                ).format(id=annotation.id, first=annotation.range.start, last=annotation.range.end)
            )
            return None
        to = self.target(annotation, forward)
        if to == here:
            ends = (
                _("Nothing to track forward: annotation #{id} ends on frame {frame}.")
                if forward
                else _("Nothing to track backward: annotation #{id} begins on frame {frame}.")
            )
            self.window.show_message(ends.format(frame=here, id=annotation.id))
            return None
        left, top, right, bottom = annotation.regions[0].bounds(here)
        width, height = info.width, info.height
        box = (left * width, top * height, (right - left) * width, (bottom - top) * height)
        self.close()
        ident = annotation.id or 0
        self.task = self.window.tasks.run(
            _("Following the region of annotation #{id} from frame {first} to {last}").format(
                id=ident, first=here, last=to
            ),
            _track,
            str(path),
            here,
            box,
            to,
            scope="film",  # another film opening drops it
            on_done=lambda tracked: self._tracked(ident, tracked),
            on_error=self._failed,
            on_cancelled=lambda: self._failed(_("Tracking cancelled: the region is unchanged.")),
        )
        return self.task

    def _tracked(self, ident: int, tracked: Any) -> None:
        from critique_app.services.region_tracking import frames_off_the_picture, region_following

        self.task = None
        project = self.window.session.project
        annotation = project.annotation(ident) if project is not None else None
        if annotation is None or not annotation.regions or not tracked.boxes:
            return
        regions = list(annotation.regions)
        regions[0] = region_following(regions[0], tracked)
        if not self.window.annotations.push(cmd.set_regions(ident, regions, TRACKED)):
            return
        lowest = min(tracked.boxes, key=lambda b: b.confidence)
        said = _(
            "The region now follows the picture from frame {first} to {last}; lowest "
            "confidence {confidence} on frame {frame}. Drag it where it drifted."
        ).format(
            first=tracked.start,
            last=tracked.boxes[-1].frame,
            confidence=format_number(round(lowest.confidence, 2)),
            frame=lowest.frame,
        )
        off = frames_off_the_picture(tracked)
        if off:
            said += " " + ngettext(
                "The box left the picture on {count} frame (from frame {frame}): no keyframe "
                "there.",
                "The box left the picture on {count} frames (from frame {frame}): no keyframes "
                "there.",
                len(off),
            ).format(count=len(off), frame=off[0])
        if tracked.problem:
            said += " " + tracked.problem
        self.window.show_message(said)

    def _failed(self, sentence: str) -> None:
        self.task = None
        self.window.show_message(sentence)

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None


def install_region_tracker(window: WindowContext) -> RegionTracker:
    """Annotate ▸ Track the region forward / backward."""
    return RegionTracker(window)
