"""Provenance ▸ Move annotations onto another copy of this film…, offscreen on a real project:
the file dialog picks a festival copy with a longer head, the worker aligns it (progress and
Cancel in the status bar), the annotations appear in the table on the copy, a summary shows
the mapping and its confidence, one Ctrl+Z takes them all away; an unrelated film is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PyQt6.QtCore import Qt

from critique_app.domain.model import Annotation, FrameRange, Region
from critique_app.gui import file_dialogs
from critique_app.gui.panels.copies import copy_dialog
from critique_app.services.films import add_film
from db.project import open_project
from tests.conftest import FRAME_WAIT_MS
from tests.fingerprint import material as m
from tests.media_factory import draw_frame_code

HEAD = 36  # 1.5 s at 24 fps
RANGES = [FrameRange(4, 10), FrameRange(30, 30), FrameRange(50, 70)]


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("copy-action")
    original = m.footage([31, 32, 33], [24, 26, 22])
    for i, picture in enumerate(original):
        draw_frame_code(picture[:72, :144], i)
    head = m.footage([34], [HEAD])
    return {
        "screener": m.write_clip(folder / "screener.mp4", original),
        "festival": m.write_clip(
            folder / "festival.mp4",
            [m.letterbox(m.rescale(f, (400, 226))) for f in head + original],
        ),
        "other": m.write_clip(folder / "holiday.mp4", m.footage([35, 36], [30, 30])),
    }


def on_disk(path: Path, title: str) -> list[tuple[int, int, int]]:
    """(start, end, regions) of the annotations stored on the film with that title."""
    with open_project(path) as project:
        film = next(f for f in project.repo.films() if f.title == title)
        return [
            (a.range.start, a.range.end, len(a.regions))
            for a in project.repo.annotations(film_id=film.id)
        ]


def test_move_onto_a_copy_from_the_window(
    open_window: Any, films: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "class.critique"
    with open_project(path) as project:
        film = add_film(project, films["screener"])
        tier = project.repo.add_tier("Seminar", author="ines")
        for frames in RANGES:
            regions = (Region.still("ellipse", [(0.1, 0.1), (0.4, 0.3)], frames.start),)
            project.repo.add_annotation(
                Annotation.create(film.id or 0, tier.id or 0, frames, note="drift", regions=regions)
            )
    h = open_window(path)
    window, mover = h.window, h.window.copies
    provenance = next(
        a.menu() for a in window.menuBar().actions() if "Provenance" in a.text().replace("&", "")
    )
    assert mover.action in provenance.actions()
    asked: list[str] = []

    def choose(parent: Any, purpose: str, caption: str, *_args: Any, **_kw: Any) -> list[Path]:
        asked.append(caption)
        return [Path(films["festival"])]

    monkeypatch.setattr(file_dialogs, "ask_user", choose)
    mover.action.trigger()
    assert asked == ["Another copy of 'screener'"]
    task = mover.task
    assert task is not None and window.taskbar.isVisible()  # progress and Cancel meanwhile
    h.qtbot.waitUntil(lambda: mover.summary is not None, timeout=60_000)

    # the copy is now the film on screen, with the three annotations in the table
    h.opened()  # the copy is prepared (probed, first frame) before it replaces the screener
    assert window.session.film.title == "festival"
    table = window.annotations.table.model
    h.qtbot.waitUntil(lambda: table.rowCount() == 3, timeout=FRAME_WAIT_MS)
    assert on_disk(path, "festival") == [(f.start + HEAD, f.end + HEAD, 1) for f in RANGES]
    summary = mover.summary
    assert summary.isVisible()
    assert "3 annotations moved onto 'festival'" in summary.sentence.text()
    text = summary.sentence.text()
    assert "N + 36" in text and "1.50 s more at the head" in text
    assert summary.confidence.text().startswith("Confidence 100%")
    assert summary.unplaced.rowCount() == 0
    assert "3 annotations moved" in window.statusBar().currentMessage()
    summary.close()

    # one undo takes all of them away, in the window and in the file
    window.activateWindow()  # back from the summary, as a window manager does
    h.qtbot.waitUntil(window.isActiveWindow)
    h.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    h.qtbot.waitUntil(lambda: table.rowCount() == 0, timeout=FRAME_WAIT_MS)
    assert on_disk(path, "festival") == []
    assert len(on_disk(path, "screener")) == 3

    # an unrelated film: one sentence, nothing created
    window.session.show_film(window.session.project.project.repo.films()[0])
    h.opened()
    monkeypatch.setattr(file_dialogs, "ask_user", lambda *a, **k: [Path(films["other"])])
    mover.summary = None
    mover.action.trigger()
    h.qtbot.waitUntil(lambda: not mover.task.running, timeout=60_000)
    h.qtbot.waitUntil(
        lambda: "does not look like another copy" in window.statusBar().currentMessage(),
        timeout=FRAME_WAIT_MS,
    )
    assert mover.summary is None and on_disk(path, "holiday") == []
    assert mover.action.isEnabled() and mover.action.text() == copy_dialog.ACTION_TEXT


def test_cancel_creates_nothing(open_window: Any, films: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "class.critique"
    with open_project(path) as project:
        film = add_film(project, films["screener"])
        tier = project.repo.add_tier("Seminar")
        project.repo.add_annotation(Annotation.create(film.id or 0, tier.id or 0, RANGES[0]))
    h = open_window(path)
    mover = h.window.copies
    task = mover.start(films["festival"])
    assert task is not None
    task.cancel()
    h.qtbot.waitUntil(lambda: not task.running, timeout=30_000)
    h.qtbot.waitUntil(
        lambda: "cancelled" in h.window.statusBar().currentMessage(), timeout=FRAME_WAIT_MS
    )
    assert mover.summary is None
    with open_project(path) as project:
        assert project.repo.count_annotations() == 1
