"""Entry point of the PyInstaller bundle (build.spec): the `critique-app` command, frozen.

A frozen app has no `python -m`: the children it starts are its own executable again, told
apart before the command line is parsed: multiprocessing's spawned workers (fingerprinting)
here, the provenance reader (`--provenance-worker`) in critique_app.cli.main.
`--bundle-check [CLIP]` prints, as JSON, what the bundle found at run time (libvlc and whether
it plays CLIP, the C2PA library, FFmpeg, Qt): the smoke test and bug reports use it.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from pathlib import Path
from typing import Any


def _loaded_library(fragment: str) -> str | None:
    """Path of the shared library loaded into this process whose name contains `fragment`."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:  # not Linux: nothing to report
        return None
    for line in maps.splitlines():
        path = line.split(maxsplit=5)[-1] if line.count(" ") >= 5 else ""
        if fragment in Path(path).name:
            return path
    return None


def _vlc_check(clip: str | None) -> dict[str, Any]:
    """libvlc found, and (given a clip) VLC really playing it: its clock must move."""
    import os

    os.environ.setdefault("CRITIQUE_VLC_AOUT", "dummy")
    from critique_app.player import vlc_engine
    from critique_app.player.engine import EngineListener
    from critique_app.player.vlc_engine import VlcEngine, vlc_available

    # No window here: without a dummy video output VLC falls back to drawing in the terminal
    # (libcaca), whose ncurses exits the whole process when there is no terminal.
    vlc_engine._ARGS = [*vlc_engine._ARGS, "--vout=dummy"]

    ok, reason = vlc_available()
    report: dict[str, Any] = {"available": ok, "reason": reason}
    report["libvlc"] = _loaded_library("libvlc.so")
    report["libvlccore"] = _loaded_library("libvlccore.so")
    if not ok or not clip:
        return report

    class Clock(EngineListener):
        def __init__(self) -> None:
            self.positions: list[int] = []
            self.errors: list[str] = []

        def on_position(self, frame: int) -> None:
            self.positions.append(frame)

        def on_error(self, message: str) -> None:
            self.errors.append(message)

    engine = VlcEngine()
    clock = Clock()
    engine.set_listener(clock)
    engine.load(clip)
    engine.play()
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline and len(clock.positions) < 3 and not clock.errors:
        time.sleep(0.05)
    engine.close()
    report["time_events"] = len(clock.positions)
    report["errors"] = clock.errors
    report["plays"] = len(clock.positions) >= 3 and not clock.errors
    return report


def _spawn_check() -> dict[str, Any]:
    """Worker processes of the frozen app start and answer (fingerprinting uses 'spawn')."""
    import os

    report: dict[str, Any] = {}
    for method in ("spawn", "forkserver"):
        try:
            with multiprocessing.get_context(method).Pool(1) as pool:
                child = pool.apply(os.getpid)
            report[method] = child != os.getpid()
        except Exception as err:  # reported, not raised: the smoke test says which one broke
            report[method] = f"{type(err).__name__}: {err}"
    return report


def bundle_check(clip: str | None) -> int:
    import json

    import av

    from critique_app import __version__
    from critique_app.paths import resources_dir

    report: dict[str, Any] = {
        "version": __version__,
        "frozen": bool(getattr(sys, "frozen", False)),
        "bundle_dir": getattr(sys, "_MEIPASS", None),
        "resources": str(resources_dir()),
        "resources_found": (resources_dir() / "trust" / "lists.json").is_file(),
        "ffmpeg": {"av": av.__version__, "libavcodec": av.library_versions.get("libavcodec")},
    }
    from critique_app.provenance import c2pa_reader  # loads libc2pa_c through ctypes

    report["c2pa"] = {"module": c2pa_reader.__name__, "library": _loaded_library("libc2pa_c")}
    report["multiprocessing"] = _spawn_check()
    report["vlc"] = _vlc_check(clip)
    from PyQt6.QtCore import QLibraryInfo

    report["qt"] = {
        "version": QLibraryInfo.version().toString(),
        "plugins": QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath),
    }
    print(json.dumps(report, indent=2))
    return 0


def _quit_later(delay_ms: int) -> None:
    """Close every window `delay_ms` after the GUI starts, as if the user did (smoke test).

    Set by CRITIQUE_SMOKE_QUIT_MS. The close is queued into Qt's event loop from a helper
    thread, so it runs after the window has opened its project and goes through the same
    closeEvent (settings saved, engines and workers stopped) as a user closing the window.
    """
    import threading

    def close_when_running() -> None:
        from PyQt6.QtCore import QMetaObject, Qt
        from PyQt6.QtWidgets import QApplication

        while QApplication.instance() is None:
            time.sleep(0.05)
        time.sleep(delay_ms / 1000)
        app = QApplication.instance()
        if app is not None:
            QMetaObject.invokeMethod(app, "closeAllWindows", Qt.ConnectionType.QueuedConnection)

    threading.Thread(target=close_when_running, name="smoke-quit", daemon=True).start()


def main() -> int:
    # A 'spawn'/'forkserver' child of the frozen app runs its task inside this call and exits;
    # in the parent (and unfrozen) it does nothing.
    multiprocessing.freeze_support()
    if len(sys.argv) > 1 and sys.argv[1] == "--bundle-check":
        return bundle_check(sys.argv[2] if len(sys.argv) > 2 else None)
    import os

    if os.environ.get("CRITIQUE_SMOKE_QUIT_MS", "").isdigit():
        _quit_later(int(os.environ["CRITIQUE_SMOKE_QUIT_MS"]))
    # also serves `--provenance-worker N`: the frozen app re-running itself as the C2PA reader
    from critique_app.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
