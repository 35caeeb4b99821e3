"""The frame fetcher looks behind the frame shown while nothing is asked (issue 26): the step
back across a keyframe then comes from frames decoded already, the right one; another film, no
film, or the window closing stops that look between two frames, and no thread is left."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from critique_app.gui.player.frame_fetcher import FrameFetcher
from critique_app.gui.worker import TaskRunner
from critique_app.media.frame_server import FrameServer
from tests.conftest import FRAME_WAIT_MS
from tests.media_factory import make_coded_clip, read_frame_code

GOP = 150
SIZE = (176, 144)
# the 4 pictures shown and 40 decoded ones: less than a GOP
BUDGET = 4 * SIZE[0] * SIZE[1] * 3 + 40 * SIZE[0] * SIZE[1] * 3 // 2


@pytest.fixture(scope="module")
def films(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("look-behind")
    return {
        "long": make_coded_clip(folder / "long_gop.mp4", frames=3 * GOP, size=SIZE, gop=GOP),
        "other": make_coded_clip(folder / "other.mp4", frames=24, size=(320, 240), gop=12),
    }


@pytest.fixture
def fetcher(qtbot: Any) -> Any:
    runner = TaskRunner()
    made = FrameFetcher(runner, cache_bytes=BUDGET)
    yield made
    made.close()
    runner.shutdown()


def frame_shown(qtbot: Any, fetcher: FrameFetcher, index: int) -> Any:
    with qtbot.waitSignal(
        fetcher.ready, timeout=FRAME_WAIT_MS, check_params_cb=lambda f: f.index == index
    ) as got:
        fetcher.request(index)
    return got.args[0]


def test_a_step_back_across_a_keyframe_finds_the_right_frame_decoded_already(
    qtbot: Any, fetcher: FrameFetcher, films: dict[str, Path]
) -> None:
    with qtbot.waitSignal(fetcher.opened, timeout=FRAME_WAIT_MS):
        fetcher.open(films["long"])
    key = 2 * GOP
    assert read_frame_code(frame_shown(qtbot, fetcher, key).image) == key
    server = fetcher.server
    assert server.cache_bytes == BUDGET
    # while the user looks at the keyframe, the end of the previous GOP is decoded
    qtbot.waitUntil(lambda: server.is_kept(key - 1), timeout=FRAME_WAIT_MS)  # the last one
    assert all(server.is_kept(i) for i in range(key - 20, key))
    for index in range(key - 1, key - 6, -1):
        assert read_frame_code(frame_shown(qtbot, fetcher, index).image) == index
    assert server.kept_bytes <= BUDGET


def test_a_new_budget_reaches_the_film_on_screen(
    qtbot: Any, fetcher: FrameFetcher, films: dict[str, Path]
) -> None:
    with qtbot.waitSignal(fetcher.opened, timeout=FRAME_WAIT_MS):
        fetcher.open(films["long"])
    frame_shown(qtbot, fetcher, 10)
    fetcher.set_cache_bytes(BUDGET // 2)
    frame_shown(qtbot, fetcher, 11)
    assert fetcher.server.cache_bytes == BUDGET // 2
    assert fetcher.server.kept_bytes <= BUDGET // 2


class HeldLook:
    """Holds the fetcher's look behind on its first frame until the test has acted: the
    switch then surely lands in the middle of it, however fast the machine."""

    def __init__(self, server: FrameServer, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started, self.go = threading.Event(), threading.Event()
        self.steps = 0
        original = server._behind_step

        def held(*args: Any) -> bool:
            self.steps += 1
            if self.steps == 1:
                self.started.set()
                self.go.wait(FRAME_WAIT_MS / 1000)
            return original(*args)

        monkeypatch.setattr(server, "_behind_step", held)


@pytest.mark.parametrize("switch", ["another film", "no film", "window closes"])
def test_a_look_behind_stops_when_the_film_changes_and_nothing_of_it_arrives(
    qtbot: Any,
    fetcher: FrameFetcher,
    films: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    switch: str,
) -> None:
    key = 2 * GOP
    server = FrameServer(films["long"])
    server.frame(key)  # as prepare_film leaves it
    look = HeldLook(server, monkeypatch)
    shown: list[Any] = []
    fetcher.ready.connect(shown.append)
    fetcher.adopt(server, key)
    qtbot.waitUntil(look.started.is_set, timeout=FRAME_WAIT_MS)
    shown.clear()  # the keyframe, shown before the look began
    if switch == "another film":
        fetcher.open(films["other"])
    elif switch == "no film":
        fetcher.adopt(None)
    look.go.set()
    if switch == "window closes":
        fetcher.close()  # joined: returns once the worker has let the film go
        assert not fetcher._task
    elif switch == "another film":
        qtbot.waitUntil(lambda: any(f.image.shape[:2] == (240, 320) for f in shown))
    qtbot.waitUntil(lambda: server._closed, timeout=FRAME_WAIT_MS)
    assert look.steps <= 2, "the look stopped within a frame of the switch"
    assert not server.is_kept(key - 1)
    assert all(f.image.shape[:2] == (240, 320) for f in shown), "nothing of the old film shown"
    if switch == "another film":
        assert fetcher.server is not server


def test_the_window_gives_the_film_on_screen_the_budget_of_its_settings(
    qtbot: Any, tmp_path: Path, films: dict[str, Path]
) -> None:
    from PyQt6.QtCore import QEvent
    from PyQt6.QtWidgets import QApplication

    from critique_app.gui.main_window import MainWindow
    from critique_app.gui.settings import Settings
    from critique_app.media.frame_cache import MB
    from critique_app.player.fake_engine import FakeEngine

    settings = Settings(tmp_path / "settings.ini")
    assert settings.frame_cache_mb == 256  # the default
    settings.frame_cache_mb = 5
    assert settings.frame_cache_mb == 32  # too little to step back: the floor
    settings.frame_cache_mb = 64
    window = MainWindow(settings=settings, engines=(FakeEngine(), None))
    try:
        fetcher = window.controller.fetcher
        assert fetcher.cache_bytes == 64 * MB
        window.open_path(films["long"])
        qtbot.waitUntil(lambda: window.controller.shown_index == 0, timeout=FRAME_WAIT_MS)
        assert fetcher.server.cache_bytes == 64 * MB
    finally:
        window.close()
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def test_preferences_set_the_memory_for_frames_of_the_film_on_screen(
    open_window: Any, films: dict[str, Path]
) -> None:
    from critique_app.gui.settings import Settings
    from critique_app.media.frame_cache import MB

    h = open_window(films["long"])
    dialog = h.window.preferences.open()
    assert dialog.frame_memory.value() == 256
    dialog.frame_memory.setValue(96)
    dialog.accept()
    assert Settings().frame_cache_mb == 96
    fetcher = h.window.controller.fetcher
    assert fetcher.cache_bytes == 96 * MB
    h.window.controller.step(1)  # the film on screen takes it with its next frame
    h.qtbot.waitUntil(lambda: fetcher.server.cache_bytes == 96 * MB, timeout=FRAME_WAIT_MS)
