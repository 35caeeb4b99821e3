"""File ▸ Import annotations: a class's ELAN or W3C file lands on the film, one Ctrl+Z undoes it."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from critique_app.domain.model import Annotation, FrameRange
from critique_app.services import export as service
from critique_app.services.films import add_film
from db.project import open_project
from exporters import subtitles_apart

K, CTRL, SHIFT = Qt.Key, Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _exported_by_a_classmate(clip: Path, folder: Path, fmt: str) -> Path:
    """Another student's project on the same film, exported for exchange."""
    folder.mkdir(parents=True, exist_ok=True)
    with open_project(folder / "classmate.critique") as project:
        film = add_film(project, clip, title="Their copy")
        tier = project.repo.add_tier("Léa", author="Léa")
        for start, end, note in ((5, 9, "the hand melts"), (40, 40, "one frame of a logo")):
            project.repo.add_annotation(
                Annotation.create(film.id, tier.id, FrameRange(start, end), note=note, author="Léa")
            )
        doc = service.film_document(project, film.id)
        return service.export(doc, fmt, folder / f"lea.{fmt}")


def _my_project_and_a_classmates_eaf(clip: Path, tmp_path: Path) -> tuple[Path, Path]:
    """My project on a copy of the film, and a classmate's two remarks on it as ELAN."""
    film = tmp_path / "film.mp4"
    shutil.copy(clip, film)
    mine = tmp_path / "mine.critique"
    with open_project(mine) as project:
        add_film(project, film, title="Seminar copy")
    return mine, _exported_by_a_classmate(film, tmp_path / "lea", "eaf")


def test_an_elan_file_lands_on_the_film_and_one_undo_takes_it_back(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    mine, eaf = _my_project_and_a_classmates_eaf(clip, tmp_path)
    h = open_window(mine)
    session = h.window.session
    task = session.import_annotations(eaf)
    h.qtbot.waitUntil(lambda: len(session.project.project.repo.annotations()) == 2)
    task.wait(10)
    status = h.window.statusBar()
    h.qtbot.waitUntil(lambda: "2 annotations imported from lea.eaf" in status.currentMessage())
    assert "new tiers: Léa" in status.currentMessage()
    with open_project(mine) as on_disk:  # saved at once
        stored = sorted(on_disk.repo.annotations(), key=lambda a: a.range.start)
    assert [(a.range.start, a.range.end, a.note) for a in stored] == [
        (5, 9, "the hand melts"),
        (40, 40, "one frame of a logo"),
    ]
    # the timeline shows them on the classmate's tier
    h.key(K.Key_Home)
    h.key(K.Key_Down)  # next annotation: the in-frame of the first imported passage
    assert h.settle() == 5
    h.qtbot.keyClick(h.window.video, K.Key_Z, CTRL)  # one step takes the whole import back
    assert session.project.project.repo.annotations() == []
    h.qtbot.keyClick(h.window.video, K.Key_Z, CTRL | SHIFT)
    assert len(session.project.project.repo.annotations()) == 2
    session.import_annotations(eaf).wait(10)  # the same file again adds nothing
    h.qtbot.waitUntil(lambda: "2 already in the project" in status.currentMessage())
    assert len(session.project.project.repo.annotations()) == 2


def test_a_file_that_is_not_annotations_is_one_sentence(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.critique"
    with open_project(mine) as project:
        add_film(project, clip, title="Seminar copy")
    bad = tmp_path / "notes.json"
    bad.write_text("{ this is not JSON")
    h = open_window(mine)
    h.window.session.import_annotations(bad).wait(10)
    status = h.window.statusBar()
    h.qtbot.waitUntil(lambda: "notes.json" in status.currentMessage())
    assert "Traceback" not in status.currentMessage()
    assert h.window.session.project.project.repo.annotations() == []


def _long_vtt(path: Path, cues: int) -> Path:
    lines = ["WEBVTT", ""]
    for i in range(cues):  # overlapping cues, all within a 5 s film
        start = (i % 100) / 24
        lines += [f"00:00:{start:06.3f} --> 00:00:{start + 0.08:06.3f}", f"cue {i}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("apart", [False, True], ids=["read here", "read by a second process"])
def test_a_long_import_says_its_size_shows_progress_and_can_be_cancelled(
    open_window: Any, clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, apart: bool
) -> None:
    """A large subtitle file is read by a second process started from the window's worker
    thread (`subtitles_apart`): the same sentences, bar, undo and Cancel, and no process left."""
    started: list[object] = []
    if apart:
        monkeypatch.setattr(subtitles_apart, "APART_FROM", 0)

        class Counted(subtitles_apart.Reading):
            def __init__(self, *args: Any) -> None:
                super().__init__(*args)
                started.append(self)

        monkeypatch.setattr(subtitles_apart, "Reading", Counted)
    mine = tmp_path / "mine.critique"
    with open_project(mine) as project:
        add_film(project, clip, title="Seminar copy")  # 120 frames at 24 fps: 5 s
    vtt = _long_vtt(tmp_path / "dense.vtt", 1_200)  # every 3 frames, within the film
    h = open_window(mine)
    session, messages, bars = h.window.session, [], []
    session.message.connect(messages.append)
    task = session.import_annotations(vtt)
    task.progressed.connect(lambda done, total, _m: bars.append((done, total)))
    h.qtbot.waitUntil(lambda: task.delivered, timeout=60_000)
    assert any("dense.vtt holds 1,200 annotations; importing them" in m for m in messages), messages
    assert bars and bars[-1][1] == 1_200  # the status bar followed it
    assert len(session.project.project.repo.annotations()) == 1_200, messages
    session.undo()  # one step, on the window's stack
    assert session.project.project.repo.annotations() == []

    task = session.import_annotations(vtt)
    task.cancel()  # as the status bar's Cancel does
    h.qtbot.waitUntil(lambda: task.delivered, timeout=60_000)
    assert any("cancelled: nothing added" in m for m in messages)
    assert session.project.project.repo.annotations() == []
    assert len(started) == (2 if apart else 0)  # each import read apart, when asked
    assert multiprocessing.active_children() == []


def test_an_imports_summary_stays_until_the_next_message(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    from PyQt6.QtCore import QTimer
    from PyQt6.QtGui import QStatusTipEvent
    from PyQt6.QtWidgets import QApplication

    mine, eaf = _my_project_and_a_classmates_eaf(clip, tmp_path)
    h = open_window(mine)
    session, status = h.window.session, h.window.statusBar()
    session.import_annotations(eaf).wait(10)
    session.import_annotations(eaf).wait(10)  # skips both: the sentence names why
    h.qtbot.waitUntil(lambda: "2 already in the project" in status.currentMessage())
    # no timer will take it away (a status bar's message lasts while its timer runs)
    own = status.findChildren(QTimer, options=Qt.FindChildOption.FindDirectChildrenOnly)
    assert not any(t.isActive() for t in own)
    # a menu entry's tip shows while the pointer is on it, then the summary comes back
    QApplication.sendEvent(h.window, QStatusTipEvent("Quit the application"))
    assert status.currentMessage() == "Quit the application"
    QApplication.sendEvent(h.window, QStatusTipEvent(""))
    assert "2 already in the project" in status.currentMessage()
    h.window.show_message("next")  # what the user does next replaces it
    assert status.currentMessage() == "next"
    QApplication.sendEvent(h.window, QStatusTipEvent(""))
    assert status.currentMessage() == ""  # a message for a moment does not come back
    # replaced, it is still whole in Help ▸ Messages of this session, with the line before
    h.window.action_table["messages"].trigger()
    shown = h.window.messages.dialog
    assert shown is not None and shown.isVisible()
    lines = shown.text.toPlainText().splitlines()
    assert lines[-1].endswith("  next")
    assert any(
        "0 annotations imported from lea.eaf; 2 already in the project" in line
        for line in lines[:-1]
    ), lines
    shown.close()


def test_a_sentence_longer_than_the_status_bar_is_whole_in_its_tooltip(open_window: Any) -> None:
    h = open_window(None)
    said = "; ".join(f"clause {n} of a long import summary" for n in range(40))
    h.window.keep_message(said)
    status = h.window.statusBar()
    assert status.currentMessage() == said and status.toolTip() == said
    assert h.window.messages.lines()[-1].endswith(said)
