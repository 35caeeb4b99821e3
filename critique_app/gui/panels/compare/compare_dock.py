"""View ▸ Compare with…: a second film beside the one on screen, locked to it frame by frame.

The compare panel takes the place of the window's picture (it shows the film on screen as its
pane A) until it is closed. The compared film's exact frames come from a second frame fetcher
on the window's task runner; the film on screen keeps its own (its pictures arrive through the
controller, or, while a self-drawing engine such as VLC plays, from a third fetcher). When the second
film is a copy, the comparison service's mapping (fingerprints of both films: a "film" task
with progress and Cancel) says which of its frames shows the current one, or that it lacks
the passage; any other film is locked by frame number or time, with an offset Alt+←/→ nudges.
A timeline lane marks where the copy differs. Closing the view, or opening another film,
drops the compared film's work.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QObject, Qt
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from critique_app.domain.model import Film
from critique_app.gui.file_dialogs import open_file
from critique_app.gui.panels.compare.compare_view import (
    MODE_NAMES,
    MODES,
    CompareView,
    PaneRegion,
    fit_crop,
)
from critique_app.gui.player.frame_fetcher import FrameFetcher
from critique_app.gui.window_context import WindowContext
from critique_app.gui.worker import Task
from critique_app.i18n import N_, _, current, format_number, ngettext
from critique_app.progress import Progress

FILMS = N_("Films (*.mp4 *.mov *.mkv *.webm *.avi *.mxf *.m4v);;All files (*)")
A_FILE = N_("A film file…")
LANE = "compare"
MATCHING = N_("Matching the pictures of the two films… (progress in the status bar)")
LOCKS = {"frame": N_("Lock by frame number"), "timecode": N_("Lock by time")}


def _compare(progress: Progress, a: str, b: str, project_path: Path | None) -> Any:
    """The comparison of two copies, or the sentence saying B is not a copy of A."""
    from critique_app.services.compare import NotACopy, compare_files

    try:
        if project_path is None:
            return compare_files(a, b, progress=progress)
        from critique_app.services.workspace import worker_project

        with worker_project(project_path) as project:  # the worker's own connection
            return compare_files(a, b, project=project, progress=progress)
    except NotACopy as err:
        return str(err)


class ComparePanel(QWidget):
    """The view and its controls: mode, wipe direction, gain, lock, offset, the mapping."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ComparePanel")
        self.view = CompareView()
        self.mode = QComboBox()
        for mode in MODES:
            self.mode.addItem(_(MODE_NAMES[mode]), mode)
        self.vertical = QCheckBox(_("Wipe top/bottom"))
        self.gain = QSlider(Qt.Orientation.Horizontal)
        self.gain.setRange(1, 16)
        self.gain.setValue(int(self.view.gain))
        self.gain.setFixedWidth(90)
        self.gain.setToolTip(_("Difference gain: how much small differences are brightened"))
        self.gain_label = QLabel(_("Gain {gain}×").format(gain=format_number(self.view.gain)))
        self.lock = QComboBox()
        for key, text in LOCKS.items():
            self.lock.addItem(_(text), key)
        self.offset = QLabel()
        self.close_button = QPushButton(_("Close"))
        row = QHBoxLayout()
        row.setContentsMargins(4, 2, 4, 2)
        for widget in (
            self.mode,
            self.vertical,
            self.gain_label,
            self.gain,
            self.lock,
            self.offset,
        ):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.close_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("CompareSummary")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.view, 1)
        column.addWidget(self.summary)
        self.mode.currentIndexChanged.connect(lambda _i: self._mode_changed())
        self.vertical.toggled.connect(self.view.set_wipe_vertical)
        self.gain.valueChanged.connect(self._gain_changed)
        self._mode_changed()

    def set_mode(self, mode: str) -> None:
        self.mode.setCurrentIndex(MODES.index(mode))

    def _mode_changed(self) -> None:
        mode = self.mode.currentData()
        self.view.set_mode(mode)
        self.vertical.setVisible(mode == "wipe")
        self.gain.setVisible(mode == "difference")
        self.gain_label.setVisible(mode == "difference")

    def _gain_changed(self, value: int) -> None:
        self.view.set_gain(value)
        self.gain_label.setText(_("Gain {gain}×").format(gain=value))


class Comparer(QObject):
    """The compare panel in the window: the second film, its lock, its lane (one per window)."""

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.controller = window.controller
        self.panel: ComparePanel | None = None
        self.fetcher: FrameFetcher | None = None  # the compared film's frames
        self.fetcher_a: FrameFetcher | None = None  # the film on screen's, while VLC draws it
        self.native = False  # the engine draws the film on screen itself (no pictures come)
        self.task: Task | None = None
        self.comparison: Any = None  # services.compare.Comparison once the mapping is known
        self.unrelated: str | None = None  # why the films are locked by frame or time
        self.film_a: Film | None = None
        self.film_b: Film | None = None
        self.b_path: Path | None = None
        self.b_film_id: int | None = None  # the compared film's id when it is in the project
        self.offset = 0  # frames of B added to the lock (Alt+←/→)
        self.wanted_b: int | None = None  # B's frame for the current frame, None: a sentence
        self._regions_a: list[Any] = []
        self._regions_b: list[Any] = []
        a = window.action_table
        self.action = a["compare_with"]
        self.action.triggered.connect(self.ask)
        a["nudge_back"].triggered.connect(lambda: self.nudge(-1))
        a["nudge_forward"].triggered.connect(lambda: self.nudge(1))
        self.controller.frame_changed.connect(self._follow)
        self.controller.picture.connect(self._picture_a)
        self.controller.film_opened.connect(self._film_opened)
        self.controller.native_video.connect(self._native_video)
        window.session.changed.connect(lambda _c: self._load_annotations())

    @property
    def active(self) -> bool:
        return self.fetcher is not None

    # -- choosing the second film -----------------------------------------------------------
    def ask(self) -> None:
        if self.controller.path is None:
            self.window.show_message(_("Open a film first, then compare another copy with it."))
            return
        choices: dict[str, str] = {}
        project = self.window.session.project
        if project is not None:
            here = str(self.controller.path.resolve())
            for film in project.films():
                if str(Path(film.path).resolve()) != here:
                    choices[f"{film.title} ({Path(film.path).name})"] = film.path
        path = ""
        if choices:
            item, ok = QInputDialog.getItem(
                self.window.as_widget(),
                _("Compare with…"),
                _("Another copy in the project, or any film file:"),
                [*choices, _(A_FILE)],
                0,
                False,
            )
            if not ok:
                return
            path = choices.get(item, "")
        if not path:
            chosen = open_file(
                self.window.as_widget(), "compare", _("Compare the film on screen with…"), _(FILMS)
            )
            path = str(chosen) if chosen is not None else ""
        if path:
            self.compare_with(path)

    def compare_with(self, path: str | Path) -> Task | None:
        """Open `path` in the compare view and start matching it with the film on screen."""
        a_path = self.controller.path
        if a_path is None or self.controller.info is None:
            self.window.show_message(_("Open a film first, then compare another copy with it."))
            return None
        b_path = Path(path).expanduser()
        if not b_path.is_file():
            self.window.show_message(
                _("{name} is not at {folder}.").format(name=b_path.name, folder=b_path.parent)
            )
            return None
        self.close()
        panel = self._ensure_panel()
        self.b_path, self.offset, self.comparison, self.unrelated = b_path, 0, None, None
        self.film_a = self._film_of(a_path, self.controller.info)
        self.film_b = None
        project = self.window.session.project
        ids = {str(Path(f.path).resolve()): f.id for f in project.films()} if project else {}
        self.b_film_id = ids.get(str(b_path.resolve()))
        # The project's stored fingerprints are reused when both films are in it; any other
        # film is matched in memory, so comparing never adds a film to the project.
        in_project = project is not None and project.path is not None and self.b_film_id
        in_project = in_project and str(a_path.resolve()) in ids
        panel.lock.hide()  # until the films turn out not to be copies
        panel.view.clear()
        panel.view.set_normalisation(None, None, False, overlap=False)
        panel.view.set_message("b", _(MATCHING))
        panel.summary.setText(
            _("Comparing with {name}: {matching}").format(name=b_path.name, matching=_(MATCHING))
        )
        self._show_offset()
        self.window.replace_picture(panel)
        panel.view.setFocus()
        self.fetcher = FrameFetcher(self.window.tasks, self)
        self.fetcher.opened.connect(self._opened_b)
        self.fetcher.open_failed.connect(self._failed_b)
        self.fetcher.ready.connect(self._picture_b)
        self.fetcher.failed.connect(lambda _i, text: self.window.show_message(text))
        self.fetcher.open(b_path)
        self.task = self.window.tasks.run(
            _("Comparing with {name}").format(name=b_path.name),
            _compare,
            str(a_path),
            str(b_path),
            project.path if in_project and project is not None else None,
            scope="film",  # another film opening drops it
            on_done=self._compared,
            on_error=self._compare_failed,
            on_cancelled=lambda: self._compare_failed(_("Comparing cancelled.")),
        )
        shown = self.window.video.picture  # the frame on screen before the view opened
        if shown.pixels is not None and shown.index is not None:
            panel.view.set_frame("a", shown.pixels, shown.index, self._caption_a(shown.index))
        self._load_annotations()
        return self.task

    def _ensure_panel(self) -> ComparePanel:
        if self.panel is None:
            self.panel = ComparePanel()
            self.panel.close_button.clicked.connect(self.close_view)
            self.panel.lock.currentIndexChanged.connect(lambda _i: self._follow())
        return self.panel

    @staticmethod
    def _film_of(path: Path, info: Any) -> Film:
        return Film(
            None,
            path.stem,
            str(path),
            "",
            0,
            Fraction(info.rate),
            int(info.frame_count),
            width=info.width,
            height=info.height,
        )

    # -- closing ------------------------------------------------------------------------------
    def close(self) -> None:
        """Drop the compared film's work (its frames, the matching) and its timeline lane."""
        task, self.task = self.task, None
        if task is not None:
            task.drop()
        for fetcher in (self.fetcher, self.fetcher_a):
            if fetcher is not None:
                fetcher.close()
                fetcher.deleteLater()
        self.fetcher = self.fetcher_a = None
        self.comparison, self.unrelated, self.film_b, self.wanted_b = None, None, None, None
        self.window.timeline.canvas.remove_lane(LANE)

    def close_view(self) -> None:
        """The panel's Close: the film's picture comes back in its place."""
        self.close()
        if self.panel is not None:
            self.window.replace_picture(None)
            self.window.video.setFocus()

    def _film_opened(self, info: Any) -> None:
        a = self.film_a
        if self.active and a is not None and Path(a.path) != self.controller.path:
            self.close_view()
            self.window.show_message(
                _("Compare closed: another film is on screen (View ▸ Compare with… again).")
            )

    # -- the second film -----------------------------------------------------------------------
    def _opened_b(self, info: Any) -> None:
        if self.b_path is None:
            return
        self.film_b = self._film_of(self.b_path, info)
        if self.film_a is not None and self.film_a.rate != self.film_b.rate and self.panel:
            self.panel.lock.setCurrentIndex(list(LOCKS).index("timecode"))
        self._follow()

    def _failed_b(self, text: str) -> None:
        self.window.show_message(text)
        if self.panel is not None:
            self.panel.view.set_message("b", text)
        self.close()

    def _compared(self, result: Any) -> None:
        panel = self.panel
        if panel is None or not self.active:
            return
        if isinstance(result, str):  # not a copy: locked by frame or time
            self.unrelated = result
            panel.lock.show()
            locked = (
                _("{reason} Locked by time with an offset: Alt+← / Alt+→ nudge it.")
                if self._lock_by() == "timecode"
                else _("{reason} Locked by frame number with an offset: Alt+← / Alt+→ nudge it.")
            )
            panel.summary.setText(locked.format(reason=result))
        else:
            self.comparison = result
            m = result.mapping
            panel.lock.hide()  # a copy is locked by its pictures
            a, b = result.film_a, result.film_b
            box_a = m.original.crop or (0, 0, a.width or 1, a.height or 1)
            crop_b = fit_crop(m.copy.crop, box_a[2] / box_a[3], (b.width or 1, b.height or 1))
            panel.view.set_normalisation(m.original.crop, crop_b, m.variant == "mirror")
            panel.summary.setText(result.sentence())
            self.film_a, self.film_b = result.film_a, result.film_b
            self._set_lane()
        self._load_annotations()
        self._follow()

    def _compare_failed(self, text: str) -> None:
        if not self.active:
            return
        self.window.show_message(text)
        if self.panel is not None:
            self.panel.summary.setText(
                _("{reason} Locked by frame number until the copies are matched.").format(
                    reason=text
                )
            )
        self.unrelated = text
        if self.panel is not None:
            self.panel.lock.show()
        self._follow()

    def _set_lane(self) -> None:
        c = self.comparison
        if c is None:
            return
        title_b = c.film_b.title
        spans: list[tuple[int, int, str, str]] = []
        missing = {(p.a[0], p.a[1]) for p in c.passages if p.kind == "removed" and p.a}
        for start, end in c.differing_runs():
            if (start, end) not in missing:
                spans.append((start, end, "#f59e0b", _("differs in {title}").format(title=title_b)))
        for p in c.passages:
            if p.kind == "removed" and p.a:
                spans.append(
                    (p.a[0], p.a[1], "#e0637a", _("missing from {title}").format(title=title_b))
                )
            elif p.kind == "inserted" and p.b:
                n = p.b[1] - p.b[0] + 1
                added = ngettext(
                    "{count} frame added in {title}", "{count} frames added in {title}", n
                ).format(count=n, title=title_b)
                spans.append((p.a_at, p.a_at, "#38bdf8", added))
            elif p.kind == "changed" and p.a and (p.a[0], p.a[1]) not in {s[:2] for s in spans}:
                spans.append(
                    (p.a[0], p.a[1], "#f59e0b", _("changed in {title}").format(title=title_b))
                )
        self.window.timeline.canvas.set_lane(LANE, spans, f"≠ {title_b}"[:24])

    # -- locking ------------------------------------------------------------------------------
    def _lock_by(self) -> str:
        return str(self.panel.lock.currentData()) if self.panel is not None else "frame"

    def map_frame(self, frame: int) -> int | None:
        """B's frame locked to A's `frame` (None: B has none there)."""
        from critique_app.services.compare import map_unrelated

        if self.comparison is not None:
            b = self.comparison.map_frame(frame)
            if b is None:
                return None
            b += self.offset
            return b if 0 <= b < self.comparison.film_b.frame_count else None
        if self.film_a is None or self.film_b is None or self.unrelated is None:
            return None
        return map_unrelated(
            frame, self.film_a, self.film_b, offset=self.offset, by=self._lock_by()
        )

    def missing_sentence(self, frame: int) -> str:
        if self.comparison is None and self.unrelated is None:
            return _(MATCHING)
        b = self.film_b
        title_b = b.title if b else _("The compared film")
        c = self.comparison
        if c is not None:
            passage = c.passage_at(frame)
            if passage is not None and passage.a is not None:
                return _(
                    "'{title}' lacks this passage: frames {start}–{end} of '{original}' are not "
                    "in it."
                ).format(
                    title=title_b, start=passage.a[0], end=passage.a[1], original=c.film_a.title
                )
            return _("'{title}' has no frame matching frame {frame} of '{original}'.").format(
                title=title_b, frame=frame, original=c.film_a.title
            )
        count = b.frame_count if b else 0
        return ngettext(
            "'{title}' has no frame here (it has {count} frame; offset {offset}).",
            "'{title}' has no frame here (it has {count} frames; offset {offset}).",
            count,
        ).format(title=title_b, count=count, offset=f"{self.offset:+d}")

    def _follow(self, frame: int | None = None) -> None:
        """The film on screen moved (a step, J/K/L, go to, scrubbing): move B with it."""
        if not self.active or self.panel is None:
            return
        frame = self.controller.current if frame is None else frame
        b = self.map_frame(frame)
        self.wanted_b = b
        view = self.panel.view
        if b is None:
            view.set_message("b", self.missing_sentence(frame), self._caption_b(None))
        elif self.fetcher is not None:
            self.fetcher.request(b)
        if self.native and self.controller.playing:
            self._fetch_a(frame)
        self._show_regions()

    def _native_video(self, native: bool) -> None:
        self.native = native
        if native and self.active:
            self._fetch_a(self.controller.current)

    def _fetch_a(self, frame: int) -> None:
        """While VLC draws the film on screen, its pane's frames are decoded here."""
        if self.fetcher_a is None:
            if self.controller.path is None:
                return
            self.fetcher_a = FrameFetcher(self.window.tasks, self)
            self.fetcher_a.ready.connect(self._picture_a_fetched)
            self.fetcher_a.open(self.controller.path, self.controller.info)
        self.fetcher_a.request(frame)

    def nudge(self, frames: int) -> None:
        """Alt+←/→: shift B by one frame against the film on screen."""
        if not self.active:
            self.window.show_message(
                _("Nothing to nudge: View ▸ Compare with… opens a second film.")
            )
            return
        self.offset += frames
        self._show_offset()
        self._follow()

    def _show_offset(self) -> None:
        if self.panel is not None:
            self.panel.offset.setText(
                ngettext(
                    "Offset {offset} frame", "Offset {offset} frames", abs(self.offset)
                ).format(offset=f"{self.offset:+d}")
            )

    # -- pictures -------------------------------------------------------------------------------
    def _caption_a(self, index: int) -> str:
        a = self.film_a
        return f"A · {a.title} · {index} · {a.timecode(index)}" if a else f"A · {index}"

    def _caption_b(self, index: int | None) -> str:
        b = self.film_b
        name = b.title if b else (self.b_path.stem if self.b_path else "")
        if index is None:
            return _("B · {name} · missing").format(name=name)
        status = ""
        if (
            self.comparison is not None
            and self.comparison.frame_status(self.controller.current) == "changed"
        ):
            status = _(" · changed")
        return f"B · {name} · {index} · {b.timecode(index) if b else index}{status}"

    def _picture_a(self, frame: Any) -> None:
        if self.active and self.panel is not None:
            self.panel.view.set_frame("a", frame.image, frame.index, self._caption_a(frame.index))

    def _picture_a_fetched(self, frame: Any) -> None:
        c = self.controller
        if c.playing or frame.index == c.current:  # not a late one after the pause
            self._picture_a(frame)

    def _picture_b(self, frame: Any) -> None:
        if self.panel is None or frame.index != self.wanted_b:
            return  # a frame asked for before the last step: the next one is coming
        self.panel.view.set_frame("b", frame.image, frame.index, self._caption_b(frame.index))

    # -- annotations and regions -----------------------------------------------------------------
    def _load_annotations(self) -> None:
        """The regions of both films (the compared one's when it is a film of the project)."""
        session = self.window.session
        project, film = session.project, session.film
        self._regions_a, self._regions_b = [], []
        if project is None or not self.active:
            return
        if film is not None and film.id is not None:
            self._regions_a = project.annotations_with_regions(film.id)
        if self.b_film_id is not None:
            self._regions_b = project.annotations_with_regions(self.b_film_id)
        self._show_regions()

    def _show_regions(self) -> None:
        if self.panel is None:
            return
        view = self.panel.view
        view.set_regions("a", self._regions_at(self._regions_a, self.controller.current))
        b = self.wanted_b
        view.set_regions("b", () if b is None else self._regions_at(self._regions_b, b))

    def _regions_at(self, annotations: list[Any], frame: int) -> tuple[PaneRegion, ...]:
        from critique_app.gui.timeline.timeline_presenter import (
            colour_for,  # the timeline's colours
        )

        project = self.window.session.project
        out: list[PaneRegion] = []
        for a in annotations:
            if frame not in a.range:
                continue
            cat = project.category(a.category_id) if project and a.category_id else None
            colour = str(cat.color or colour_for(cat.key)) if cat else "#f4f4f5"
            label = cat.label(current()) if cat else f"#{a.id}"
            for region in a.regions:
                out.append(
                    PaneRegion(
                        region.shape, region.interpolate(frame), colour, region.label or label
                    )
                )
        return tuple(out)


def install_compare(window: WindowContext) -> Comparer:
    """View ▸ Compare with…, Alt+←/→ and the compare panel shown in place of the picture."""
    return Comparer(window)
