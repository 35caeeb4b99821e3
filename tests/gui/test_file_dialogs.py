"""The window's file dialogs: Qt's own (styled by the theme), starting in the folder last used
for the same purpose (else the default folder of Preferences, else Documents) and remembering
it; after an export, the status bar offers Open and Show in folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PyQt6.QtCore import QTimer, QUrl
from PyQt6.QtGui import QFont, QFontMetrics
from PyQt6.QtWidgets import QApplication, QFileDialog

from critique_app.gui import export_offer, file_dialogs
from critique_app.gui.settings import Settings
from tests.gui.annotation_projects import make_project


def answer(choose: Path | None, seen: list[dict[str, Any]]) -> None:
    """When the next file dialog shows: note where it starts, then pick `choose` (None:
    Cancel). Driven from the event loop the modal dialog runs."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(10, act)
            return
        seen.append(
            {
                "purpose": dialog.objectName(),
                "folder": Path(dialog.directory().absolutePath()),
                "qt_own": dialog.testOption(QFileDialog.Option.DontUseNativeDialog),
            }
        )
        if choose is None:
            dialog.reject()
            return
        dialog.selectFile(str(choose))
        dialog.accept()

    QTimer.singleShot(0, act)


def test_each_purpose_starts_in_its_last_folder(open_window: Any, tmp_path: Path) -> None:
    h = open_window(None)
    window = h.window
    seen: list[dict[str, Any]] = []
    notes = tmp_path / "class notes"
    notes.mkdir()
    cues = notes / "cues.vtt"
    cues.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nA door melts.\n")

    answer(cues, seen)
    window.ask_import()  # File ▸ Import annotations…: no project, so it only says so
    first = seen[-1]
    assert first["purpose"] == "FileDialog:import"
    assert first["qt_own"]  # Qt's dialog, styled by the app's theme (not a light native one)
    assert first["folder"] == file_dialogs.documents_folder()
    assert "Open a project first" in window.statusBar().currentMessage()

    answer(None, seen)
    window.ask_import()
    assert seen[-1]["folder"] == notes  # where the last import came from
    assert Settings().last_folder("import") == notes  # kept for the next start

    films = tmp_path / "films"
    films.mkdir()
    window.settings.films_folder = films
    answer(None, seen)
    window.ask_open()  # another purpose: the films folder of Preferences, not the notes
    assert seen[-1]["purpose"] == "FileDialog:open"
    assert seen[-1]["folder"] == films

    notes.rename(tmp_path / "moved")  # a remembered folder that is gone: the default again
    answer(None, seen)
    window.ask_import()
    assert seen[-1]["folder"] == file_dialogs.documents_folder()


def test_a_panel_in_the_window_uses_the_window_settings(open_window: Any, tmp_path: Path) -> None:
    h = open_window(None)
    private = Settings(tmp_path / "own.ini")
    h.window.settings = private
    out = tmp_path / "exports"
    out.mkdir()
    private.exports_folder = out
    assert file_dialogs.settings_for(h.window.timeline) is private
    assert file_dialogs.start_folder(private, "export") == out
    assert file_dialogs.start_folder(private, "screening") == file_dialogs.documents_folder()


def test_an_export_offers_open_and_show_in_folder(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(export_offer, "open_url", lambda url: opened.append(url) or True)
    h = open_window(make_project(tmp_path, clip))
    window = h.window
    handout = tmp_path / "handout.html"
    handout.write_text("<html></html>")
    panel = window.seminars.ensure_panel()
    panel.export_finished.emit(str(handout))  # as the seminar export says when it is done
    offer = window.statusBar().findChild(export_offer.ExportOffer, "ExportOffer")
    assert offer is not None and offer.isVisible()
    assert "handout.html" in offer.sentence.text()
    window.show_message("Frame 12.")  # a later status message does not hide the offer
    assert offer.isVisible()
    offer.open_button.click()
    offer.folder_button.click()
    assert [u.toLocalFile() for u in opened] == [str(handout), str(tmp_path)]


def test_a_french_windows_file_dialog_is_french(open_window: Any, qapp: Any) -> None:
    from PyQt6.QtWidgets import QLabel

    from critique_app import i18n
    from critique_app.gui.translation import apply_language

    i18n.use("fr", explicit=True)
    apply_language(qapp, "system")
    try:
        window = open_window(None).window
        labels: dict[str, str] = {}
        sizes: dict[str, int] = {}

        def read_labels() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, QFileDialog):
                QTimer.singleShot(10, read_labels)
                return
            labels.update({w.objectName(): w.text() for w in dialog.findChildren(QLabel)})
            bold = QFont(dialog.font())
            bold.setBold(True)
            sizes.update(
                width=dialog.width(),
                title=QFontMetrics(bold).horizontalAdvance(dialog.windowTitle()),
                screen=dialog.screen().availableGeometry().width(),
            )
            dialog.reject()

        QTimer.singleShot(0, read_labels)
        window.ask_import()
        assert labels["lookInLabel"] == "Voir dans\u00a0:"
        assert labels["fileTypeLabel"] == "Fichiers de type\u00a0:"
        assert labels["fileNameLabel"] == "&Nom de fichier\u00a0:"
        # « Importer des annotations (sur le film à l’écran quand le fichier n’en nomme
        # aucun) » whole in the title bar, not cut in a word by the window manager
        assert sizes["width"] >= min(sizes["title"] + 100, sizes["screen"] - 40), sizes
    finally:
        i18n.use(i18n.SOURCE)
        apply_language(qapp, "en")
