"""File ▸ Import annotations… asks for the text encoding beside the file name (issue 23):
Automatic by default; a person who sees the summary name a wrong encoding imports again with
the right one. Driven through Qt's own dialog with keys, as a person would."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtTest import QTest
from PyQt6.QtWidgets import QApplication, QComboBox, QFileDialog, QLineEdit

from critique_app.services.films import add_film
from db.project import open_project
from tests.conftest import FRAME_WAIT_MS

K = Qt.Key

# French subtitles saved by a Linux tool in Latin-9 (ISO-8859-15): € is byte A4, which no
# detector can tell from the Nordic Latin-6 letter it is there ('5 Ī ā l'entrée').
LINES = ("Le billet coûte 5 € à l'entrée.", "Œuvre de 1962, prix 20 €.")
SUBTITLES = f"1\n00:00:01,000 --> 00:00:02,000\n{LINES[0]}\n\n2\n00:00:03,000 --> 00:00:04,000\n{LINES[1]}\n"


def _pick(dialog: QFileDialog, name: str, words: str | None, seen: list[str]) -> None:
    """Note what the dialog's list `name` offers first, then type `words` into it (as keyboard
    search picks an entry)."""
    combo = dialog.findChild(QComboBox, name)
    assert combo is not None
    seen.append(combo.currentText())
    if words is not None:
        combo.setFocus()
        QTest.keyClicks(combo, words)
        seen.append(combo.currentText())


def _answer_with_keys(
    path: Path,
    encoding: str | None,
    seen: list[str],
    fmt: str | None = None,
    seen_formats: list[str] | None = None,
) -> None:
    """When the import dialog shows: pick the encoding (and the format, when `seen_formats` is
    given) by keys, type the file name into its field, then Enter."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(10, act)
            return
        _pick(dialog, "FileDialogChoice", encoding, seen)
        if seen_formats is not None:
            _pick(dialog, "FileDialogFormat", fmt, seen_formats)
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name is not None
        dialog.setDirectory(str(path.parent))  # as a person goes to the folder first
        name.setFocus()
        QTest.keyClicks(name, path.name)
        completer = name.completer()
        if completer is not None and completer.popup().isVisible():
            QTest.keyClick(completer.popup(), K.Key_Escape)  # the name is whole as typed
        QTest.keyClick(name, K.Key_Return)

    QTimer.singleShot(0, act)


def test_the_encoding_chosen_in_the_dialog_reads_the_file(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    film = tmp_path / "film.mp4"
    shutil.copy(clip, film)
    mine = tmp_path / "mine.critique"
    with open_project(mine) as project:
        add_film(project, film, title="Seminar copy")
    srt = tmp_path / "billets.srt"
    srt.write_bytes(SUBTITLES.encode("iso8859_15"))
    h = open_window(mine)
    window, status = h.window, h.window.statusBar()
    repo = window.session.project.project.repo
    seen: list[str] = []

    _answer_with_keys(srt, None, seen)  # Automatic, as the dialog offers it
    window.action_table["import_annotations"].trigger()
    h.qtbot.waitUntil(
        lambda: "2 annotations imported from billets.srt" in status.currentMessage(),
        timeout=FRAME_WAIT_MS,
    )
    assert seen == ["Automatic (detected)"]
    assert "read as" in status.currentMessage()  # the summary names the encoding it guessed
    assert sorted(a.value for a in repo.annotations()) != sorted(LINES)  # and it was wrong

    window.session.undo()  # take them back (Edit ▸ Undo)
    assert repo.annotations() == []
    status.clearMessage()
    _answer_with_keys(srt, "ISO-8859-15", seen)
    window.action_table["import_annotations"].trigger()
    h.qtbot.waitUntil(
        lambda: "2 annotations imported from billets.srt" in status.currentMessage(),
        timeout=FRAME_WAIT_MS,
    )
    assert "read as Latin-9 (ISO-8859-15)" in status.currentMessage()
    assert sorted(a.value for a in repo.annotations()) == sorted(LINES)
    # each import starts from Automatic again; the keys picked the Latin-9 entry
    assert seen[1:] == ["Automatic (detected)", "ISO-8859-15 (Western, with €)"]


def test_an_encoding_the_file_is_not_in_is_one_sentence(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.critique"
    with open_project(mine) as project:
        add_film(project, clip, title="Seminar copy")
    srt = tmp_path / "billets.srt"
    srt.write_bytes(SUBTITLES.encode("iso8859_15"))
    h = open_window(mine)
    status = h.window.statusBar()
    _answer_with_keys(srt, "UTF-8", [])
    h.window.action_table["import_annotations"].trigger()
    h.qtbot.waitUntil(
        lambda: "billets.srt is not UTF-8 text" in status.currentMessage(), timeout=FRAME_WAIT_MS
    )
    assert "Nothing was imported" in status.currentMessage()
    assert h.window.session.project.project.repo.annotations() == []


def test_the_menu_says_what_it_reads_from_the_registry(open_window: Any) -> None:
    from exporters import registry

    action = open_window(None).window.action_table["import_annotations"]
    assert action.text() == "&Import annotations…"
    for fmt in registry.readers():
        assert fmt.extensions[0] in action.toolTip() and fmt.extensions[0] in action.statusTip()


def test_the_format_chosen_in_the_dialog_reads_a_file_its_name_does_not_name(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    from tests.foreign.conftest import HERE

    mine = tmp_path / "mine.critique"
    with open_project(mine) as project:
        add_film(project, clip, title="Seminar copy")
    notes = tmp_path / "notes.txt"  # a real WebVTT file (webvtt-py's sample) under a .txt name
    shutil.copy(HERE / "subtitles" / "webvttpy_sample.vtt", notes)
    h = open_window(mine)
    window, status = h.window, h.window.statusBar()
    seen: list[str] = []

    # Automatic format: refused, naming what it looks like
    _answer_with_keys(notes, None, [], None, seen)
    window.action_table["import_annotations"].trigger()
    h.qtbot.waitUntil(lambda: "notes.txt looks like WebVTT" in status.currentMessage())
    assert "choose WebVTT as its Format in the import dialog" in status.currentMessage()
    assert window.session.project.project.repo.annotations() == []

    _answer_with_keys(notes, None, [], "WebVTT", seen)
    window.action_table["import_annotations"].trigger()
    h.qtbot.waitUntil(
        lambda: "imported from notes.txt" in status.currentMessage(),  # (the film is 5 s long)
        timeout=FRAME_WAIT_MS,
    )
    assert seen == ["Automatic (from the file)", "Automatic (from the file)", "WebVTT (.vtt)"]
    assert window.session.project.project.repo.annotations() != []
