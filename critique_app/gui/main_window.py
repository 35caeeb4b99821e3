"""The main window: assembles the picture, transport, timeline and panels, and wires the actions.

No logic of its own beyond wiring: the controller plays, the session loads, widgets draw.
"""

from __future__ import annotations

import atexit
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PyQt6 import sip
from PyQt6.QtCore import QEvent, QObject, Qt
from PyQt6.QtGui import QCloseEvent, QKeyEvent, QStatusTipEvent
from PyQt6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from critique_app.errors import UserError
from critique_app.gui import file_dialogs
from critique_app.gui.actions import MENUS, ActionCollection, add_menu, add_submenu
from critique_app.gui.format_filters import (
    import_encodings,
    import_filter,
    import_formats,
    import_tip,
)
from critique_app.gui.keys.focus_rules import FocusRules
from critique_app.gui.keys.help_menu import install_help
from critique_app.gui.keys.menu_letters import letter_every_menu
from critique_app.gui.keys.session_messages import SessionMessages
from critique_app.gui.outside_changes import OutsideChanges
from critique_app.gui.player.player_controller import PlayerController
from critique_app.gui.player.transport_bar import TransportBar
from critique_app.gui.player.video_view import VideoView
from critique_app.gui.plug_ins import PLUG_INS
from critique_app.gui.project_presence import ProjectPresence
from critique_app.gui.project_session import ProjectSession
from critique_app.gui.settings import TIMECODE_MODES, Settings
from critique_app.gui.timeline.timeline import Timeline
from critique_app.gui.timeline.timeline_presenter import TimelinePresenter
from critique_app.gui.window_layout import install_window_layout
from critique_app.gui.worker import TaskBar, TaskRunner
from critique_app.i18n import _
from critique_app.player.engine import EngineUnavailable, PlayerEngine
from critique_app.provenance.isolation import close_shared_reader
from critique_app.services.window_presence import bring_forward

if TYPE_CHECKING:  # what the plug-ins' installers return (gui/plug_ins.py)
    from critique_app.gui.annotate.anchor_keeper import AnchorKeeper
    from critique_app.gui.annotate.annotation_actions import AnnotationWorkbench
    from critique_app.gui.annotate.region_tracker import RegionTracker
    from critique_app.gui.panels.agreement.agreement_dock import AgreementDock
    from critique_app.gui.panels.compare.compare_dock import Comparer
    from critique_app.gui.panels.copies.copy_dialog import CopyMover
    from critique_app.gui.panels.exports.annotation_export import AnnotationExport
    from critique_app.gui.panels.films.films_dock import FilmsDock
    from critique_app.gui.panels.lenses.instability_dock import InstabilityLens
    from critique_app.gui.panels.lenses.rhythm_compare import RhythmComparison
    from critique_app.gui.panels.lenses.rhythm_lane import RhythmLane
    from critique_app.gui.panels.library.library_dock import LibraryDock
    from critique_app.gui.panels.matches.matches_dock import MatchesDock
    from critique_app.gui.panels.provenance.provenance_dock import ProvenanceDock
    from critique_app.gui.panels.screening.screening_dock import ScreeningDock
    from critique_app.gui.panels.seminars.seminar_dock import SeminarDock
    from critique_app.gui.preferences import Preferences
    from critique_app.gui.project_commands import ProjectCommands
    from critique_app.gui.undo_history import UndoHistory


def default_engines() -> tuple[PlayerEngine, PlayerEngine, str]:
    """VLC forwards (with sound) and exact frames backwards; exact frames only without libvlc."""
    from critique_app.player.exact_engine import ExactEngine

    try:
        from critique_app.player.vlc_engine import VlcEngine

        vlc = VlcEngine()
        return vlc, ExactEngine(), vlc.audio_note  # no sound device: said once, here
    except EngineUnavailable as err:
        exact = ExactEngine()
        return (
            exact,
            exact,
            _("{error} Playing exact frames instead: video only, no sound.").format(error=err),
        )


# Windows not shut down yet: the process's exit shuts them down (atexit) if nothing else did.
_live_windows: weakref.WeakSet[MainWindow] = weakref.WeakSet()


def shutdown_all_windows() -> None:
    """Shut down every window still running (a script that quits without closing them)."""
    for window in list(_live_windows):
        if sip.isdeleted(window):  # Qt deleted it (and its children) without a word
            continue
        window.shutdown()
        window.tasks.join()


atexit.register(shutdown_all_windows)


class MainWindow(QMainWindow):
    # Set by the loop over PLUG_INS (gui/plug_ins.py), each under its entry's attribute.
    provenance: ProvenanceDock
    annotations: AnnotationWorkbench
    seminars: SeminarDock
    anchor_keeper: AnchorKeeper
    matches: MatchesDock
    library: LibraryDock
    copies: CopyMover
    annotation_export: AnnotationExport
    screening: ScreeningDock
    agreement: AgreementDock
    compare: Comparer
    instability: InstabilityLens
    rhythm: RhythmLane
    rhythm_comparison: RhythmComparison
    region_tracker: RegionTracker
    project_commands: ProjectCommands
    films: FilmsDock
    preferences: Preferences
    history: UndoHistory

    def __init__(
        self,
        settings: Settings | None = None,
        engines: tuple[PlayerEngine, PlayerEngine | None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.setWindowTitle("Critique")
        self.settings = settings or Settings()
        reverse: PlayerEngine | None
        if engines is None:
            forward, reverse, engine_note = default_engines()
        else:
            (forward, reverse), engine_note = engines, ""
        self.action_table = ActionCollection(self)
        self.messages = SessionMessages()  # what the status bar said (Help ▸ Messages…)
        self._kept = ""  # the message said until the next one (keep_message)
        # Single keys are commands only on the picture, the timeline and the table (the guard
        # sits in eventFilter below; gui/keys/focus_rules.py says why a guard).
        self.focus_rules = FocusRules(self)
        # The one owner of background work, for the window's whole life (shut down first).
        self.tasks = TaskRunner(self)
        self.controller = PlayerController(forward, reverse, self, runner=self.tasks)
        self.video = VideoView()
        self.transport = TransportBar(self.action_table)
        self.timeline = Timeline()
        self.taskbar = TaskBar(self.tasks)
        self.session = ProjectSession(self.controller, self.tasks, self)
        self.tracks = TimelinePresenter(
            self.session, self.controller, self.timeline, self.tasks, self
        )
        self._build_layout()
        self._build_menus()
        self.engine_note = QLabel(engine_note)
        self.engine_note.setObjectName("EngineNote")
        self.statusBar().addPermanentWidget(self.taskbar)  # type: ignore[union-attr]
        # the whole sentence on hover, whatever said it, and none once it is gone
        self.statusBar().messageChanged.connect(self.statusBar().setToolTip)  # type: ignore[union-attr]
        if engine_note:
            self.statusBar().addWidget(self.engine_note)  # type: ignore[union-attr]
        self._wire()
        for plug_in in PLUG_INS:  # provenance's dock, the annotation workbench, every panel
            setattr(self, plug_in.attribute, plug_in.install(self))
        # What a terminal command or another process wrote into this project shows here.
        self.outside = OutsideChanges(self.session, self)
        self.outside.changed.connect(self._show_outside_changes)
        self.presence = ProjectPresence(self, self.session, self)  # one window per project
        letter_every_menu(self.menuBar())  # Alt letters for what the panels added without one
        self._restore()
        if forward.draws_itself or (reverse is not None and reverse.draws_itself):
            self.controller.attach(self.video.native_window_id())
        self.video.setFocus()
        self.is_shut_down = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # K release: hold K + J/L steps one frame
            app.aboutToQuit.connect(self.shutdown)  # quitting with the window still open
        _live_windows.add(self)

    # -- assembly ---------------------------------------------------------------------------
    def _build_layout(self) -> None:
        top = QWidget()
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.video, 1)
        column.addWidget(self.transport)
        self._picture_column = column
        self._stand_in: QWidget | None = None  # shown instead of the picture (compare view)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.timeline)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)
        self.resize(1280, 800)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        assert bar is not None
        for title in MENUS:
            menu = add_menu(bar, title)
            assert menu is not None
            for entry in self.action_table.entries(title):
                if isinstance(entry, str):  # a submenu: View ▸ Lenses
                    add_submenu(menu, entry).addActions(self.action_table.in_menu(entry))
                else:
                    menu.addAction(entry)
        # QMenu | None as WindowContext declares it (the Protocol reads it as writable)
        self.panels_menu: QMenu | None = add_menu(bar, "Panels")
        # last: others go before Panels
        self.help_menu = install_help(self, self.action_table, self.messages)
        for action in self.action_table.all():
            self.addAction(action)  # shortcuts work even with the menu bar hidden (full screen)

    def add_panel(
        self,
        title: str,
        widget: QWidget,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
    ) -> QDockWidget:
        """Later features (annotation editor, provenance) plug in here."""
        # `title` is the panel's English name (N_ at the caller): its object name, whatever the
        # language, so that the saved layout and the tests find it; the title shown is translated.
        dock = QDockWidget(_(title), self)
        dock.setObjectName(f"panel:{title}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        if self.panels_menu is not None:
            self.panels_menu.addAction(dock.toggleViewAction())
        return dock

    def replace_picture(self, widget: QWidget | None) -> None:
        """Show `widget` (the compare view) where the film's picture is, above the transport;
        None puts the picture back. The widget stays the caller's (hidden, not deleted)."""
        column, old = self._picture_column, self._stand_in
        if old is widget:
            return
        if old is not None:
            column.removeWidget(old)
            old.hide()
        self._stand_in = widget
        if widget is not None:
            column.insertWidget(0, widget, 1)
            widget.show()
        self.video.setVisible(widget is None)

    def _wire(self) -> None:
        a, c, t = self.action_table, self.controller, self.transport
        a["open"].triggered.connect(self.ask_open)
        a["add_film"].triggered.connect(self.ask_add_film)
        a["relink"].triggered.connect(self.ask_relink)
        a["import_annotations"].triggered.connect(self.ask_import)
        a["import_annotations"].setToolTip(import_tip())  # the formats, from the registry
        a["import_annotations"].setStatusTip(import_tip())
        a["quit"].triggered.connect(self.close)
        a["undo"].triggered.connect(self.session.undo)
        a["redo"].triggered.connect(self.session.redo)
        a["play_pause"].triggered.connect(c.toggle_play)
        a["shuttle_back"].triggered.connect(c.shuttle_j)
        a["shuttle_stop"].triggered.connect(c.shuttle_k)
        a["shuttle_forward"].triggered.connect(c.shuttle_l)
        a["frame_back"].triggered.connect(lambda: c.step(-1))
        a["frame_forward"].triggered.connect(lambda: c.step(1))
        a["second_back"].triggered.connect(lambda: c.step_seconds(-1))
        a["second_forward"].triggered.connect(lambda: c.step_seconds(1))
        a["go_start"].triggered.connect(c.go_home)
        a["go_end"].triggered.connect(c.go_end)
        a["previous_mark"].triggered.connect(c.marks.previous_stop)
        a["next_mark"].triggered.connect(c.marks.next_stop)
        a["go_to"].triggered.connect(self._focus_go_to)
        a["slower"].triggered.connect(c.slower)
        a["faster"].triggered.connect(c.faster)
        a["mute"].toggled.connect(c.sound.set_mute)
        a["volume_up"].triggered.connect(lambda: c.sound.set_volume(c.sound.volume + 10))
        a["volume_down"].triggered.connect(lambda: c.sound.set_volume(c.sound.volume - 10))
        a["set_in"].triggered.connect(c.marks.set_in)
        a["set_out"].triggered.connect(c.marks.set_out)
        a["go_in"].triggered.connect(c.marks.go_in)
        a["go_out"].triggered.connect(c.marks.go_out)
        a["clear_marks"].triggered.connect(c.marks.clear)
        a["loop"].toggled.connect(c.marks.set_loop)
        a["fullscreen"].toggled.connect(self.set_full_screen)
        a["back_to_picture"].triggered.connect(self.back_to_picture)
        a["timecode_mode"].triggered.connect(self.cycle_timecode_mode)
        canvas = self.timeline.canvas
        a["zoom_in"].triggered.connect(lambda: canvas.zoom(1.5))
        a["zoom_out"].triggered.connect(lambda: canvas.zoom(1 / 1.5))
        a["zoom_fit"].triggered.connect(canvas.zoom_fit)
        a["thumbnails"].triggered.connect(lambda: self.tracks.generate_thumbnails())

        c.frame_changed.connect(t.show_index)
        c.picture.connect(self.video.show_frame)
        c.picture_hint_ready.connect(lambda image, index: self.video.picture.set_image(image, None))
        c.native_video.connect(self.video.show_native)
        c.mode_changed.connect(t.set_mode)
        c.playing_changed.connect(t.set_playing)
        c.film_opened.connect(t.set_film)
        c.film_closed.connect(self._film_closed)
        c.marks.changed.connect(t.set_marks)
        c.rate_changed.connect(t.set_rate)
        c.sound.changed.connect(self._audio_changed)
        c.message.connect(self.show_message)
        t.go_to.connect(c.show_frame)
        t.rate_chosen.connect(c.set_play_rate)
        t.volume_chosen.connect(c.sound.set_volume)
        t.mode_cycled.connect(self.cycle_timecode_mode)
        t.message.connect(self.show_message)
        self.session.message.connect(self.show_message)
        self.session.lasting_message.connect(self.keep_message)
        self.session.project_switched.connect(self._project_switched)
        self.session.title_changed.connect(
            lambda title: self.setWindowTitle(
                _("{title} — Critique").format(title=title) if title else "Critique"
            )
        )

    def _restore(self) -> None:
        s = self.settings
        self.transport.set_timecode_mode(s.timecode_mode)
        self.controller.set_play_rate(s.play_rate)
        self.controller.fetcher.set_cache_bytes(s.frame_cache_bytes)
        self.controller.sound.set_volume(s.volume)
        self.action_table["mute"].setChecked(s.muted)
        # Inside the screen, panels where they were left (or the default): issue 21.
        header = self.annotations.table.view.horizontalHeader()
        assert header is not None  # a table view always has one
        self.window_layout = install_window_layout(self, s, self.splitter, header)
        self.action_table["reset_layout"].triggered.connect(self.window_layout.reset)

    # -- behaviour the actions need ------------------------------------------------------------
    def open_path(self, path: str | Path, *, read_only: bool = False) -> bool:
        """Open a project or a film. A project another window holds brings that window
        forward instead, unless `read_only`: then it opens here for reading only, and says so.
        The open is prepared on the task runner and switched to when all of it is ready;
        False, with the window unchanged and a sentence, when it cannot start."""
        current = self.session.project
        mine = (
            current is not None
            and current.path is not None
            and Path(current.path).resolve() == Path(path).resolve()
        )
        if not mine and not read_only and self.presence.held_elsewhere(path):
            bring_forward(path)
            self.show_message(
                _(
                    "{name} is open in another Critique window: it is in front now. "
                    "(To read it here as well, open it read-only.)"
                ).format(name=Path(path).name)
            )
            return False
        try:
            self.session.open_path(path, read_only=read_only)
        except UserError as err:
            self.show_message(str(err))
            return False
        return True

    def _project_switched(self, path: Path) -> None:
        self.settings.last_project = Path(path).resolve()

    def _film_closed(self) -> None:
        self.video.picture.clear()
        self.transport.set_film(None)

    def ask_open(self) -> None:
        path = file_dialogs.open_file(
            self,
            "open",
            _("Open a project or a film"),
            _(
                "Projects and films (*.critique *.mp4 *.mov *.mkv *.webm *.avi *.mxf);;All files (*)"
            ),
        )
        if path is not None:
            self.open_path(path)

    def ask_add_film(self) -> None:
        path = file_dialogs.open_file(
            self,
            "film",
            _("Add a film to the project (a new project beside it when none is open)"),
            _("Films (*.mp4 *.mov *.mkv *.webm *.avi *.mxf *.m4v);;All files (*)"),
        )
        if path is not None:
            self.add_film(path)

    def add_film(self, path: str | Path) -> bool:
        try:
            self.session.add_film_file(path)
        except UserError as err:
            self.show_message(str(err))
            return False
        return True

    def ask_relink(self) -> None:
        folder = file_dialogs.choose_folder(self, "relink", _("Where are the moved films?"))
        if folder is not None:
            self.session.relink(folder)

    def ask_import(self) -> None:
        # Automatic each time: an encoding or format chosen for one odd file would misread the
        # next one.
        encoding = file_dialogs.Choice(_("Text &encoding:"), import_encodings())
        fmt = file_dialogs.Choice(_("&Format:"), import_formats(), name="FileDialogFormat")
        path = file_dialogs.open_file(
            self,
            "import",
            _("Import annotations (onto the film on screen when the file does not name one)"),
            import_filter(),  # from the format registry, as `critique-app import` lists them
            choice=(fmt, encoding),
        )
        if path is not None:
            self.session.import_annotations(path, encoding=encoding.chosen, format_name=fmt.chosen)

    def _focus_go_to(self) -> None:
        self.transport.goto.setFocus()
        self.transport.goto.selectAll()

    def as_widget(self) -> QMainWindow:
        """The window as a Qt object (for plug-ins typed against `WindowContext`)."""
        return self

    def show_message(self, text: str) -> None:
        self._say(text, 8000)

    def keep_message(self, text: str) -> None:
        """Say `text` until the next message: 73,528 imported cues and what was skipped, gone
        after 8 s behind the audio warning, were lost to a user who had looked away."""
        self._say(text, 0)

    def _say(self, text: str, milliseconds: int) -> None:
        """The status bar cuts a long sentence at a laptop's width: the whole of it is its
        tooltip (set as the message changes), and Help ▸ Messages of this session keeps it
        after the next one."""
        bar = self.statusBar()
        assert bar is not None
        bar.showMessage(text, milliseconds)
        self.messages.add(text)
        self._kept = text if milliseconds == 0 else ""

    def _status_tip(self, tip: str) -> None:
        """A menu entry's status tip is shown while the pointer is on it; when it leaves, the
        kept message comes back (Qt cleared it: an import's summary was gone as soon as the
        user opened a menu). Seen in `eventFilter`: an override of `event` is called while
        the window is being destroyed, and the C++ half it calls is gone by then."""
        bar = self.statusBar()
        if bar is not None:
            bar.showMessage(tip if tip or not self._kept else self._kept)

    def cycle_timecode_mode(self) -> None:
        mode = TIMECODE_MODES[(TIMECODE_MODES.index(self.transport.mode) + 1) % len(TIMECODE_MODES)]
        self.settings.timecode_mode = mode
        self.transport.set_timecode_mode(mode)

    def _audio_changed(self, volume: int, muted: bool) -> None:
        self.transport.set_audio(volume, muted)
        self.settings.volume, self.settings.muted = volume, muted

    def back_to_picture(self) -> None:
        """Esc: the keys go to the picture again (the compare view when it stands in for it),
        from whatever field had them; out of full screen too."""
        self.action_table["fullscreen"].setChecked(False)
        (self._stand_in or self.video).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_full_screen(self, on: bool) -> None:
        for widget in (self.timeline, self.menuBar(), self.statusBar()):
            if widget is not None:
                widget.setVisible(not on)
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def eventFilter(self, watched: QObject | None, event: QEvent | None) -> bool:  # noqa: N802
        if watched is self and isinstance(event, QStatusTipEvent) and not sip.isdeleted(self):
            self._status_tip(event.tip())
            return True
        if self.focus_rules.keeps_typing(watched, event):
            return True  # a single key typed off the picture, the timeline and the table
        if (
            event is not None
            and event.type() == QEvent.Type.KeyRelease
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_K
            and not event.isAutoRepeat()
        ):
            self.controller.release_k()
        return False

    def _show_outside_changes(self, topics: frozenset[str], by_another_program: bool) -> None:
        """Another process wrote into the project: the panels concerned re-read it (the
        selection and a note being typed are kept: the editor never overwrites a field that
        has the focus or already holds the stored text)."""
        if topics & {"annotations", "structure"}:
            self.session.content_changed.emit()
        if "structure" in topics:
            self.seminars.refresh()
        if "library" in topics:
            # matches found or items removed (taking their matches): the lane and the list
            self.tracks.reload_lanes()
            self.matches.library_changed()
        if "screening" in topics:
            self.screening.refresh()
        if "library" in topics:  # fingerprints were made (structure comes as content_changed)
            self.films.schedule_refresh()
            self.library.schedule_refresh()  # items added or removed (here or in a terminal)
        if by_another_program:  # the window's own background work says its own sentence
            self.show_message(
                _("This project was changed by another program: the window shows it now.")
            )

    def closeEvent(self, event: QCloseEvent | None) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)

    def __dtor__(self) -> None:
        """sip calls this as the C++ window is destroyed, whoever destroys it (deleteLater,
        sip.delete, a parent, the QApplication), before any of its children goes (the window
        itself cannot be called any more): shut down first. A wrapper whose attributes
        Python's cyclic garbage collector cleared first (a window caught in a reference
        cycle) has nothing left to release: nothing to do then."""
        if "is_shut_down" not in vars(self):
            return
        self.shutdown()
        self.tasks.join()

    def shutdown(self) -> None:
        """Release everything the window runs, before Qt deletes any of its widgets: the
        closing window, the app quitting, deleteLater() and the process's exit come through
        here, and a second call does nothing. In order: every worker is cancelled and joined
        (nothing reports to an object that is about to go), the settings are saved, the
        panels drop their work, the project closes, and the player stops and releases libvlc
        (its native window detached). The widgets stay until Qt deletes them."""
        if self.is_shut_down:
            return
        self.is_shut_down = True
        _live_windows.discard(self)
        self.tasks.shutdown()
        self.outside.stop()
        self.presence.stop()
        if not sip.isdeleted(self):  # from __dtor__ the window itself is already gone
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
                try:
                    app.aboutToQuit.disconnect(self.shutdown)
                except TypeError:  # never connected (the window was made before the app)
                    pass
            self.window_layout.save()  # geometry, docks, splitter, column widths
        self.settings.play_rate = self.controller.play_rate
        self.settings.sync()
        for plug_in in reversed(PLUG_INS):  # those that hold work drop it
            close = getattr(getattr(self, plug_in.attribute), "close", None)
            if close is not None:
                close()
        self.session.close()
        self.controller.close()  # stops the engines: libvlc released, its window detached
        # the warm C2PA reader the provenance panel, screening or the library may have started
        close_shared_reader()
        self.tasks.shutdown()  # anything the closing itself started

    @property
    def current_frame(self) -> int:
        return self.controller.current

    def shown_picture_index(self) -> Any:
        return self.video.picture.index
