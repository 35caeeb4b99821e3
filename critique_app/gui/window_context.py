"""What the panels, docks and keepers plugged into the main window may use of it.

They receive the window itself (`MainWindow` satisfies this Protocol); typing them against this
list instead keeps each one from reaching into the rest of the window, and lets mypy check it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QDockWidget, QMainWindow, QMenu, QMenuBar, QWidget

from critique_app.domain.commands import Command
from critique_app.domain.model import FrameRange, Region

if TYPE_CHECKING:  # names for mypy only: importing this module loads none of the window
    from critique_app.gui.actions import ActionCollection
    from critique_app.gui.player.player_controller import PlayerController
    from critique_app.gui.player.video_view import VideoView
    from critique_app.gui.project_session import ProjectSession
    from critique_app.gui.settings import Settings
    from critique_app.gui.timeline.timeline import Timeline
    from critique_app.gui.timeline.timeline_presenter import TimelinePresenter
    from critique_app.gui.worker import TaskRunner


class AnnotationTools(Protocol):
    """The annotation workbench (gui/annotate/annotation_actions.py), as plug-ins installed after it use it.

    A Protocol of its own: the workbench is typed against WindowContext, so naming its class
    here would make the two modules import each other."""

    editor_dock: QDockWidget
    selected_id: int | None  # the annotation selected in the table, timeline or picture

    @property
    def annotator(self) -> str:
        """Who new annotations are by (the name in Preferences first)."""
        ...

    def push(self, command: Command) -> bool:
        """Run one edit on the project's undo stack; False (and a sentence shown) when refused."""
        ...

    def create(
        self,
        frames: FrameRange,
        regions: tuple[Region, ...] = ...,
        label: str = ...,
        tier_id: int | None = ...,
        **fields: Any,
    ) -> int | None: ...


class WindowContext(Protocol):
    """The main window, as far as its plug-ins (annotation, seminars, anchors, matches, copies,
    the error hook) may use it: exactly what they reach for, nothing more."""

    session: ProjectSession  # the open project and film
    controller: PlayerController  # playback, the frame on screen, in and out marks
    tasks: TaskRunner  # the one owner of background work
    tracks: TimelinePresenter  # the timeline's tracks, reloaded after edits
    action_table: ActionCollection  # every keyed action (gui/actions.py)
    settings: Settings  # the user's preferences (gui/settings.py)
    timeline: Timeline
    video: VideoView
    panels_menu: QMenu | None  # stays the last menu: others are inserted before it

    @property
    def annotations(self) -> AnnotationTools:
        """Installed first of the plug-ins (read-only here: the window sets it)."""
        ...

    def as_widget(self) -> QMainWindow:
        """The window as a Qt object: parent of dialogs, owner of plug-ins and actions."""
        ...

    def show_message(self, text: str) -> None: ...

    def keep_message(self, text: str) -> None:
        """Say `text` in the status bar until the next message."""
        ...

    def replace_picture(self, widget: QWidget | None) -> None:
        """Show `widget` in place of the film's picture (None: the picture again)."""
        ...

    def add_panel(
        self, title: str, widget: QWidget, area: Qt.DockWidgetArea = ...
    ) -> QDockWidget: ...

    # QMainWindow's own, as PyQt6 types them
    def menuBar(self) -> QMenuBar | None: ...  # noqa: N802

    def resizeDocks(  # noqa: N802
        self,
        docks: list[QDockWidget],
        sizes: list[int],
        orientation: Qt.Orientation,
    ) -> None: ...

    def tabifyDockWidget(self, first: QDockWidget | None, second: QDockWidget | None) -> None: ...  # noqa: N802
