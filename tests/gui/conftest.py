"""GUI test fixtures: generated coded clips, a window on the fake or real engines, a leak guard."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QApplication

from critique_app.gui.main_window import MainWindow
from critique_app.gui.settings import Settings
from critique_app.player.fake_engine import FakeEngine
from tests.conftest import FRAME_WAIT_MS
from tests.media_factory import make_coded_clip, read_frame_code


@pytest.fixture(autouse=True)
def no_leaked_windows(qapp: QApplication) -> Iterator[None]:
    """Fail any test that leaves a top-level window open (they pile up and slow the suite)."""
    before = {id(w) for w in qapp.topLevelWidgets() if w.isVisible()}
    yield
    qapp.processEvents()
    leaked = [w for w in qapp.topLevelWidgets() if w.isVisible() and id(w) not in before]
    for widget in leaked:
        widget.close()
    assert not leaked, f"test left windows open: {[type(w).__name__ for w in leaked]}"


@pytest.fixture(autouse=True)
def _look_put_back(qapp: QApplication) -> Iterator[None]:
    """The shared app's look as each test found it: Preferences' OK applies the theme to the
    whole app at once, and a later layout test measured under that stylesheet without saying so
    (1 px over its screen)."""
    sheet, theme = qapp.styleSheet(), qapp.property("critique_theme")
    yield
    if qapp.styleSheet() != sheet:
        qapp.setStyleSheet(sheet)
        qapp.setProperty("critique_theme", theme)


@pytest.fixture
def real_look(qapp: QApplication) -> Iterator[QApplication]:
    """The app's own dark stylesheet, as every user sees it (padding and fonts change sizes,
    so layout tests measure under it), and the shared app's look put back afterwards."""
    from critique_app.gui.theme import apply_theme

    sheet, theme = qapp.styleSheet(), qapp.property("critique_theme")
    apply_theme(qapp, "dark")
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setProperty("critique_theme", theme)
    hints = qapp.styleHints()
    if hints is not None and hasattr(hints, "unsetColorScheme"):
        hints.unsetColorScheme()


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """120 coded frames at 24 fps, H.264 with B-frames, GOP 12."""
    return make_coded_clip(tmp_path_factory.mktemp("clips") / "coded.mp4", frames=120)


@pytest.fixture(scope="session")
def montage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The montage lens's film of known transitions (tests/media/montage_films.py)."""
    from tests.media.montage_films import make_montage_film

    return make_montage_film(tmp_path_factory.mktemp("montage"))


@pytest.fixture(scope="session")
def clip_2997(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """29.97 drop-frame MOV with a source start timecode."""
    return make_coded_clip(
        tmp_path_factory.mktemp("clips") / "ntsc.mov",
        frames=90,
        rate=Fraction(30000, 1001),
        start_timecode="01:00:00;00",
    )


@pytest.fixture(scope="session")
def broken_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A film whose data turns to garbage after ~55 % (a damaged copy): the index is intact."""
    folder = tmp_path_factory.mktemp("clips")
    whole = make_coded_clip(folder / "whole.mp4", frames=96, gop=12, faststart=True)
    data = bytearray(whole.read_bytes())
    noise = np.random.default_rng(1).integers(0, 256, len(data), dtype=np.uint8).tobytes()
    cut = len(data) * 55 // 100
    data[cut:] = noise[cut:]
    broken = folder / "broken.mp4"
    broken.write_bytes(bytes(data))
    return broken


class Harness:
    """A shown main window plus helpers that drive it like a user and read what it shows."""

    def __init__(self, qtbot: Any, window: MainWindow, fake: FakeEngine | None) -> None:
        self.qtbot, self.window, self.fake = qtbot, window, fake
        self.controller = window.controller

    def key(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        self.qtbot.keyClick(self.window.video, key, modifier)

    def settle(self) -> int:
        """Wait for the exact picture of the current frame; return the index shown."""
        c = self.controller
        self.qtbot.waitUntil(
            lambda: (
                not c.playing and c.mode == "exact" and self.window.video.picture.index == c.current
            ),
            timeout=FRAME_WAIT_MS,
        )
        return c.current

    def screen_code(self) -> int:
        """The frame code read back from the picture as painted on screen (widget grab)."""
        picture = self.window.video.picture
        image = (
            picture.grab().toImage().convertToFormat(picture.grab().toImage().Format.Format_RGB888)
        )
        rect = picture.picture_rect().toRect()
        image = image.copy(rect)
        ptr = image.constBits()
        assert ptr is not None
        ptr.setsize(image.sizeInBytes())
        array = np.frombuffer(ptr, np.uint8).reshape(image.height(), image.bytesPerLine())
        array = array[:, : image.width() * 3].reshape(image.height(), image.width(), 3)
        return read_frame_code(array.copy())

    def opened(self) -> None:
        """Wait until the open being prepared has switched the window, or failed, and the
        timeline's tracks (read on a worker) arrived."""
        self.qtbot.waitUntil(lambda: self.window.session.opening is None, timeout=FRAME_WAIT_MS)
        self.tracks_read()

    def tracks_read(self) -> None:
        """Wait until the timeline's tracks, read on a worker after a film opened or the
        project's content changed, are on the canvas."""
        self.qtbot.waitUntil(lambda: not self.window.tracks.loading, timeout=FRAME_WAIT_MS)

    def at(self, index: int) -> None:
        """Assert the app settled on `index` exactly: number shown and picture painted agree."""
        shown = self.settle()
        assert shown == index
        assert self.screen_code() == index
        assert self.window.transport.badge.text() == "EXACT"

    def advance(self, ticks: int) -> None:
        assert self.fake is not None
        self.fake.advance(ticks)
        self.qtbot.wait(20)  # engine events are queued to the GUI thread


def _open(qtbot: Any, path: Path | None, engines: Any, fake: FakeEngine | None) -> Harness:
    window = MainWindow(settings=Settings(), engines=engines)
    qtbot.addWidget(window)
    window.resize(900, 640)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    harness = Harness(qtbot, window, fake)
    if path is not None:
        window.open_path(path)
        harness.settle()
        harness.tracks_read()
    return harness


@pytest.fixture
def open_window(qtbot: Any) -> Iterator[Any]:
    """`open_window(path, engine="fake"|"exact")` -> Harness; closed after the test."""
    made: list[Harness] = []

    def factory(path: Path | None, engine: str = "fake") -> Harness:
        if engine == "fake":
            fake = FakeEngine()
            harness = _open(qtbot, path, (fake, None), fake)
        else:
            from critique_app.player.exact_engine import ExactEngine

            exact = ExactEngine()
            harness = _open(qtbot, path, (exact, exact), None)
        made.append(harness)
        return harness

    yield factory
    for harness in made:
        harness.window.close()
