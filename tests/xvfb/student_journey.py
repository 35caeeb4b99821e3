"""The real window for the student's journey (tests/xvfb/test_student_journey.py), started on a
project as `critique-app open PROJECT` starts it on a first run, telling what it shows.

`python -m tests.xvfb.student_journey PROJECT STATE.json`: the app runs as `run_gui(PROJECT)`
does (the window, the project, then the welcome dialog asking the user's name); a timer
writes, several times a second, what is on screen (the dialog or menu open, the frame and
marks, the annotations of the project and the editor's fields, where the picture and the
fields are) so the test, which drives the window with real keys and clicks through xdotool,
knows where to click and can check what it sees.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PyQt6.QtCore import QPoint, QRect
from PyQt6.QtWidgets import QApplication, QLineEdit, QMenu, QWidget

from critique_app.gui.app import error_hook, make_app
from critique_app.gui.main_window import MainWindow
from critique_app.gui.welcome import ask_name_on_first_run
from tests.xvfb.films_journey import _menu_entries, publish_while_running
from tests.xvfb.workbench_window import annotations_of


def _on_screen(widget: QWidget) -> list[int] | None:
    """Where the part of `widget` not clipped away (by the editor's scroll area, by the
    window's edge) is on the screen; None when none of it shows."""
    if not widget.isVisible():
        return None
    seen = QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None:
        seen = seen.intersected(QRect(parent.mapToGlobal(QPoint(0, 0)), parent.size()))
        parent = None if parent.isWindow() else parent.parentWidget()
    if seen.isEmpty():
        return None
    return [seen.x(), seen.y(), seen.width(), seen.height()]


def what_is_shown(window: MainWindow, witness: dict[str, list[bool]]) -> dict[str, Any]:
    c, bench = window.controller, window.annotations
    editor = bench.editor
    modal = QApplication.activeModalWidget()
    popup = QApplication.activePopupWidget()
    active = QApplication.activeWindow()
    focus = QApplication.focusWidget()
    status, bar = window.statusBar(), window.menuBar()
    name_field = modal.findChild(QLineEdit, "UserName") if modal is not None else None
    category_line = editor.category.lineEdit()
    finder = editor.category_finder.popup()
    found_names = None
    if finder is not None and finder.isVisible():
        model = finder.model()
        assert model is not None
        found_names = [str(model.index(r, 0).data()).strip() for r in range(model.rowCount())]
    picture = bench.overlay.picture_rect().toRect()
    top_left = bench.overlay.mapToGlobal(picture.topLeft())
    return {
        "title": window.windowTitle(),
        "screen": [window.screen().size().width(), window.screen().size().height()]
        if window.screen() is not None
        else None,
        "frame_geometry": [window.frameGeometry().width(), window.frameGeometry().height()],
        "active_window": active.windowTitle() if active is not None else None,
        "modal": modal.windowTitle() if modal is not None else None,
        "name_field": name_field.text() if isinstance(name_field, QLineEdit) else None,
        "user_name": window.settings.user_name,
        "popup": _menu_entries(popup) if isinstance(popup, QMenu) else None,
        "menubar": _menu_entries(bar) if bar is not None else [],
        "message": status.currentMessage() if status is not None else "",
        "focus": type(focus).__name__ if focus is not None else None,
        "focus_name": focus.objectName() if focus is not None else None,
        "film": window.session.film.title if window.session.film is not None else None,
        "exact": c.mode == "exact" and not c.playing and window.video.picture.index == c.current,
        "frame": c.current,
        "marks": [c.in_mark, c.out_mark],
        "played": witness["played"],
        "full_screen_toggles": witness["full_screen"],
        "full_screen": window.isFullScreen(),
        "tool": bench.overlay.tool,
        "selected": bench.selected_id,
        "annotations": annotations_of(window),
        "editor_title": editor.title.text() if editor.pages.currentIndex() == 1 else None,
        "category": _on_screen(editor.category),
        "category_text": category_line.text() if category_line is not None else None,
        "category_selected": category_line.selectedText() if category_line is not None else "",
        "found": found_names,
        "highlighted": finder.currentIndex().data() if found_names is not None else None,
        "note": _on_screen(editor.note),
        "note_height": editor.note.height(),
        "note_text": editor.note.toPlainText(),
        "editor_scroll": _on_screen(editor.form_scroll.viewport()),
        "picture": [top_left.x(), top_left.y(), picture.width(), picture.height()],
        "undo": window.action_table["undo"].text(),
    }


def main(project: str, state: str) -> int:
    app = make_app()
    window = MainWindow()
    sys.excepthook = error_hook(window)
    window.show()
    window.open_path(project)
    ask_name_on_first_run(window, window.settings)  # as run_gui: nobody has said who they are
    witness: dict[str, list[bool]] = {"played": [], "full_screen": []}
    window.controller.playing_changed.connect(witness["played"].append)
    window.action_table["fullscreen"].toggled.connect(witness["full_screen"].append)
    return publish_while_running(
        app, window, Path(state), lambda shown: what_is_shown(shown, witness)
    )


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
