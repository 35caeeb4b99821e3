"""Scenarios run in a real X window (subprocess under Xvfb): drive keys, grab the screen, report.

`python -m tests.xvfb.scenarios NAME CLIP OUT.json`. Every check records the frame the app says
it shows, the frame code read from an X11 screenshot of the picture, and how close that
screenshot is to the exact decoded frame (and to its neighbours, which must be farther).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from PyQt6.QtCore import QEventLoop, Qt, QTimer
from PyQt6.QtGui import QImage
from PyQt6.QtTest import QTest
from PyQt6.QtWidgets import QApplication

from critique_app.gui.app import end_gui, make_app
from critique_app.gui.main_window import MainWindow
from critique_app.media.frame_server import FrameServer
from tests.media_factory import read_frame_code


def code_of(image: np.ndarray) -> int:
    """The frame code in a picture, or -1 when none can be read (black, mid-transition...)."""
    try:
        return read_frame_code(image)
    except ValueError:
        return -1


def pump(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def wait_for(app: QApplication, condition: Any, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not settle")
        app.processEvents()
        time.sleep(0.005)


def to_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    ptr = image.constBits()
    assert ptr is not None
    ptr.setsize(image.sizeInBytes())
    rows = np.frombuffer(ptr, np.uint8).reshape(image.height(), image.bytesPerLine())
    # copy: `rows` views memory of a QImage freed when this function returns
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def screenshot_of_picture(window: MainWindow) -> np.ndarray:
    """An X11 screenshot (root window) of the area where the picture is displayed."""
    rect = window.video.picture_rect().toRect()
    top_left = window.video.mapToGlobal(rect.topLeft())
    screen = QApplication.primaryScreen()
    assert screen is not None
    grab = screen.grabWindow(0, top_left.x(), top_left.y(), rect.width(), rect.height())
    return to_array(grab.toImage())


def difference(screen: np.ndarray, frame: np.ndarray) -> float:
    h, w = screen.shape[:2]
    scaled = np.asarray(Image.fromarray(frame).resize((w, h), Image.Resampling.BILINEAR))
    return float(np.abs(screen.astype(np.int16) - scaled.astype(np.int16)).mean())


def check(app: QApplication, window: MainWindow, server: FrameServer, label: str) -> dict[str, Any]:
    step(label)
    c = window.controller
    wait_for(
        app, lambda: not c.playing and c.mode == "exact" and window.video.picture.index == c.current
    )
    pump(app, 0.3)  # let the X server show what Qt painted
    shown = c.current
    screen = screenshot_of_picture(window)
    if os.environ.get("CRITIQUE_SCENARIO_SHOTS"):  # for a human to look at
        folder = Path(os.environ["CRITIQUE_SCENARIO_SHOTS"])
        Image.fromarray(screen).save(folder / f"{label.replace(' ', '_')}-screen.png")
        Image.fromarray(server.frame(shown).image).save(
            folder / f"{label.replace(' ', '_')}-exact.png"
        )
    neighbours = [i for i in (shown - 1, shown + 1) if 0 <= i < server.info.frame_count]
    return {
        "label": label,
        "displayed_index": shown,
        "displayed_timecode": window.transport.timecode.text(),
        "badge": window.transport.badge.text(),
        "native_visible": window.video.showing_native,
        "screen_code": code_of(screen),
        "decoded_code": code_of(server.frame(shown).image),
        "diff_to_exact": difference(screen, server.frame(shown).image),
        "diff_to_neighbours": [difference(screen, server.frame(i).image) for i in neighbours],
    }


def step(what: str) -> None:
    """One line per step on stdout: the runner (tests/xvfb/conftest.py) stops only a scenario
    that makes no step for minutes, however long the whole takes on a busy machine."""
    print(f"step: {what}", flush=True)


def press(window: MainWindow, key: Qt.Key, times: int = 1) -> None:
    for _ in range(times):
        QTest.keyClick(window.video, key)


def churn_scenario(app: QApplication, project: str, out: str, cycles: int) -> int:
    """The offscreen stress churn, in a real X window with libvlc playing the films."""
    from tests.stress.churn import churn

    def new_window() -> MainWindow:
        window = MainWindow()
        window.resize(960, 680)
        window.show()
        return window

    tally = churn(app, new_window, Path(project), cycles, progress=lambda n: step(f"cycle {n}"))
    Path(out).write_text(json.dumps({"engine": "vlc", **tally.__dict__}))
    end_gui(app)
    return 0


def quit_scenario(app: QApplication, project: str, out: str, working: bool = True) -> int:
    """Ctrl+Q while thumbnails, matching, anchors and a provenance check run on a long film
    (`working`; otherwise once the film's and project's work has stopped), then the end
    run_gui has (end_gui, return). Writes the instants of the key press and of the event
    loop's end (benchmarks/quit_latency.py times the process's exit from them)."""
    from tests.stress.churn import Tally, start_everything

    window = MainWindow()
    window.resize(960, 680)
    window.show()
    window.activateWindow()
    pump(app, 0.3)
    window.open_path(project)
    c = window.controller
    wait_for(app, lambda: c.info is not None and c.mode == "exact", timeout=60)
    if working:
        start_everything(window, Tally())
        pump(app, 0.3)
    else:
        window.tasks.cancel("project", "film", timeout=60)
        wait_for(app, lambda: not window.tasks.tasks("film") + window.tasks.tasks("project"))
    running = sorted(t.label for t in window.tasks.tasks() if t.running)

    def press_ctrl_q() -> None:
        Path(out).write_text(json.dumps({"running": running, "pressed_at": time.time()}))
        QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

    QTimer.singleShot(0, press_ctrl_q)
    code = app.exec()  # as run_gui ends: the event loop returns when the window has closed
    report = json.loads(Path(out).read_text())
    Path(out).write_text(json.dumps({**report, "loop_ended_at": time.time()}))
    end_gui(app)
    return code


ORDERS = (
    "close, deleteLater",
    "deleteLater",
    "shutdown twice, close",
    "sip.delete",
    "delete on close",
    "app quit",
)


def lifecycle_scenario(app: QApplication, project: str, out: str, count: int) -> int:
    """`count` windows made and destroyed in this one process, each with libvlc playing the
    film, thumbnails running, and for every third one the compare view open on the other film,
    destroyed in ORDERS in turn (app quit: two windows open when the event loop is quit).
    Records what ran at the moment of destruction and what was left afterwards."""
    from PyQt6 import sip
    from PyQt6.QtCore import Qt as _Qt

    other = str(Path(project).parent / "B.mp4")
    report: dict[str, Any] = {
        "windows": 0,
        "orders": {},
        "vlc_playing": 0,
        "thumbnails_started": 0,
        "thumbnails_running": 0,
        "compare_open": 0,
        "released": 0,
        "shut_down": 0,
        "threads_left": [],
        "windows_left": 0,
    }

    def made(n: int) -> tuple[MainWindow, Any]:
        window = MainWindow()
        window.resize(960, 680)
        window.show()
        window.open_path(project)
        c = window.controller
        wait_for(app, lambda: c.info is not None and c.mode == "exact", timeout=60)
        c.toggle_play()
        if n % 3 == 0:
            window.compare.compare_with(other)
        if window.tracks.generate_thumbnails() is None:
            raise AssertionError(f"window {n}: thumbnails did not start")
        report["thumbnails_started"] += 1
        pump(app, 0.1 + (n % 5) * 0.05)
        report["windows"] += 1
        report["vlc_playing"] += int(c.forward.name == "vlc" and c.playing and c.forward.is_playing)
        report["thumbnails_running"] += int(
            any(t.label == "Thumbnails" and t.running for t in window.tasks.tasks())
        )
        report["compare_open"] += int(window.compare.active)
        return window, c.forward

    def ended(engine: Any, shut: bool) -> None:
        report["released"] += int(getattr(engine, "released", False))
        report["shut_down"] += int(shut)

    def spin(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    n = k = 0  # windows made, destructions done
    while n < count:
        order = ORDERS[k % len(ORDERS)]
        report["orders"][order] = report["orders"].get(order, 0) + 1
        if order == "app quit":
            pair = [made(n), made(n + 1)] if n + 1 < count else [made(n)]
            QTimer.singleShot(50, app.quit)
            app.exec()  # returns once quit: aboutToQuit shut the open windows down
            for window, _engine in pair:
                window.deleteLater()
            spin(0.05)
            for window, engine in pair:
                ended(engine, sip.isdeleted(window) and window.is_shut_down)
            n += len(pair)
            k += 1
        else:
            window, engine = made(n)
            if order == "close, deleteLater":
                window.close()
                window.deleteLater()
            elif order == "deleteLater":  # straight from playing: no close first
                window.deleteLater()
            elif order == "shutdown twice, close":
                window.shutdown()
                window.shutdown()
                window.close()
                window.deleteLater()
            elif order == "sip.delete":  # the C++ window destroyed at once, no close
                sip.delete(window)
            else:
                window.setAttribute(_Qt.WidgetAttribute.WA_DeleteOnClose)
                window.close()
            spin(0.05)  # an event loop: deferred deletes run, late queued events reach nobody
            ended(engine, sip.isdeleted(window) and window.is_shut_down)
            del window
            n += 1
            k += 1
        report["threads_left"] += [
            t.name for t in threading.enumerate() if t.name.startswith("task:")
        ]
        step(f"{n} windows made and destroyed")
    end_gui(app)
    report["windows_left"] = sum(isinstance(w, MainWindow) for w in app.topLevelWidgets())
    report["threads_left"] += [
        t.name for t in threading.enumerate() if t is not threading.main_thread()
    ]
    Path(out).write_text(json.dumps(report, indent=2))
    return 0


def main(name: str, clip: str, out: str) -> int:
    app = make_app()
    if name.startswith("churn"):
        return churn_scenario(app, clip, out, int(name.partition(":")[2] or 200))
    if name.startswith("lifecycle"):
        return lifecycle_scenario(app, clip, out, int(name.partition(":")[2] or 50))
    if name in ("quit_while_working", "quit_idle"):
        return quit_scenario(app, clip, out, working=name == "quit_while_working")
    window = MainWindow()
    window.resize(960, 680)
    window.show()
    window.activateWindow()
    window.raise_()
    pump(app, 0.5)
    window.open_path(clip)
    server = FrameServer(clip)
    c = window.controller
    wait_for(app, lambda: c.info is not None and c.mode == "exact")
    result: dict[str, Any] = {"engine": c.forward.name, "engine_note": window.engine_note.text()}
    checks = []
    if name == "pause_and_step_back":  # issue 2
        press(window, Qt.Key.Key_Space)
        pump(app, 1.0)
        press(window, Qt.Key.Key_Space)
        checks.append(check(app, window, server, "paused"))
        press(window, Qt.Key.Key_Left, 3)
        checks.append(check(app, window, server, "after 3 x left"))
    elif name == "vlc_play_pause_steps":  # issue 3, real libvlc
        press(window, Qt.Key.Key_Space)
        playing_samples = []
        # about 2 s of film: 2 s, and on a busy machine (libvlc had shown 10 frames in 2 s
        # beside four suites and two CPU hogs) until a second of film has played
        start = time.monotonic()
        while time.monotonic() < start + 2.0 or (c.current < 24 and time.monotonic() < start + 120):
            pump(app, 0.25)
            if window.video.showing_native:
                shot = screenshot_of_picture(window)
                if os.environ.get("CRITIQUE_SCENARIO_SHOTS"):
                    n = len(playing_samples)
                    Image.fromarray(shot).save(
                        Path(os.environ["CRITIQUE_SCENARIO_SHOTS"]) / f"play{n}.png"
                    )
                playing_samples.append(
                    {
                        "app_index": c.current,
                        "screen_code": code_of(shot),
                        "mean_level": float(shot.mean()),
                    }
                )
        result["playing_samples"] = playing_samples
        result["badge_while_playing"] = window.transport.badge.text()
        press(window, Qt.Key.Key_Space)
        checks.append(check(app, window, server, "paused after 2 s"))
        press(window, Qt.Key.Key_Left, 10)
        checks.append(check(app, window, server, "after 10 x left"))
        press(window, Qt.Key.Key_Right, 10)
        checks.append(check(app, window, server, "after 10 x right"))
    else:
        raise SystemExit(f"unknown scenario {name}")
    result["checks"] = checks
    Path(out).write_text(json.dumps(result, indent=2))
    server.close()
    window.close()
    end_gui(app)
    return 0


if __name__ == "__main__":
    # The process ends as the app does: main() shuts its windows down and deletes them while
    # the QApplication exists (end_gui), then the interpreter's ordinary teardown.
    sys.exit(main(*sys.argv[1:4]))
