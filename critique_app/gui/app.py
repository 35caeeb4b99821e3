"""Starting the GUI: the QApplication, its theme, the main window on a project or film."""

from __future__ import annotations

import logging
import sqlite3
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PyQt6.QtCore import QCoreApplication, QEvent
from PyQt6.QtGui import QFont, QFontDatabase, QIcon
from PyQt6.QtWidgets import QApplication

from critique_app.gui import theme as themes
from critique_app.gui.settings import Settings
from critique_app.gui.translation import apply_language
from critique_app.gui.welcome import ask_name_on_first_run
from critique_app.gui.window_context import WindowContext
from critique_app.i18n import _
from critique_app.paths import resource


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (the existing one in tests), styled with the theme of Preferences
    (the NLE-like dark one unless the user chose another)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Critique")
    app.setOrganizationName("Critique")
    # the .desktop file's name: Wayland and docks match the window to its entry and icon
    app.setDesktopFileName("critique")
    icon = resource("icons", "critique.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    app.setStyle("Fusion")
    apply_theme(app)
    apply_language(app, Settings().language)
    return app


def apply_theme(app: QApplication, theme: str | None = None) -> None:
    """The stylesheet of `theme` (else the one in the Settings) and a readable font size."""
    themes.apply_theme(app, theme if theme is not None else Settings().theme)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    font.setPointSizeF(max(9.0, font.pointSizeF()))
    app.setFont(QFont(font))


def run_gui(path: Path | None = None, *, read_only: bool = False) -> int:
    """Open the window (on `path` when given) and run until it is closed; the exit code."""
    from critique_app.gui.main_window import MainWindow

    app = make_app()
    window = MainWindow()
    sys.excepthook = error_hook(window)
    window.show()
    if path is not None:
        window.open_path(path, read_only=read_only)
    # Only here, in the real app: windows made by tests and scripts never ask (a name stored
    # in the Settings file skips it too).
    ask_name_on_first_run(window, window.settings)
    code = app.exec()
    sys.excepthook = sys.__excepthook__
    del window
    end_gui(app)
    return code


def end_gui(app: QApplication) -> None:
    """After the event loop: every window shut down (its workers joined, the project closed,
    libvlc released) and deleted while the QApplication still exists, so the interpreter's
    own teardown that follows frees nothing Qt or libvlc still uses, in whatever order."""
    from critique_app.gui.main_window import shutdown_all_windows

    shutdown_all_windows()
    for widget in app.topLevelWidgets():
        if widget.parent() is None:
            widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QCoreApplication.processEvents()  # late queued events of the workers reach nobody


def last_project() -> Path | None:
    """The project open when the app last closed, if it still exists."""
    make_app()
    path = Settings().last_project
    return path if path is not None and path.is_file() else None


Hook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def error_hook(window: WindowContext, log_path: Path | None = None) -> Hook:
    """What an unexpected error in the window does: one sentence in the status bar, the
    traceback in the log, and the app keeps running (PyQt would otherwise abort on an error
    in a slot). Every edit is already on disk, so nothing saved is lost."""
    from critique_app.paths import log_file

    path = log_path or log_file()

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        text = "".join(traceback.format_exception(kind, value, tb))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as log:
                log.write(f"unexpected error\n{text}\n")
        except OSError:
            logging.getLogger("critique").error("unexpected error\n%s", text)
        if isinstance(value, sqlite3.DatabaseError):
            sentence = _(
                "The project could not be read or written ({error}). Edits made before "
                "are on disk; if this repeats, the file may be damaged: open a backup copy."
            ).format(error=value)
        else:
            sentence = _(
                "Something went wrong ({kind}: {error}); Critique keeps running and "
                "your saved annotations are intact. Details: {log}"
            ).format(kind=kind.__name__, error=value, log=path)
        window.show_message(sentence)

    return hook
