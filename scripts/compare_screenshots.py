"""Take the README's screenshots of View ▸ Compare with…, one per mode, in a real X window.

    .venv/bin/python scripts/compare_screenshots.py [--out docs]

Starts its own Xvfb (and openbox when installed), then runs itself inside it with
QT_QPA_PLATFORM=xcb and grabs the X screen. The material: the demo project's film (A) and a
"festival copy" made from it here the way festivals and restorers change films: a 1.2 s leader,
conformed to 25 fps, letterboxed, mirrored, two seconds cut, and a patch of wall smoothed over
by a "restorer" (what the difference view is for). The copy is added to a scratch copy of the
demo project, with an annotation of its own, so both panes carry regions.
Writes docs/compare-side.png, -wipe.png, -difference.png, -blend.png and -missing.png (a
passage the copy lacks), palette PNGs well under 300 KB each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
WORK = Path(os.environ.get("TMPDIR", "/tmp")) / "critique-compare-shots"
SCREEN = (1280, 800)
LEADER = 30  # frames of leader before the film in the copy (25 fps)
CUT = (600, 647)  # frames of A the copy lacks
SMOOTHED = (360, 551)  # frames of A where the copy's wall was "restored"
BOX = (470, 140, 830, 420)  # x0, y0, x1, y1 of the smoothed patch in A's 1280x720 picture
AT = 455  # the frame shown (inside the demo's "Background drift" passage)


def festival_copy(film: Path, out: Path) -> Path:
    """The demo film as a festival would screen it (see the module's docstring)."""
    import av
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    from tests.fingerprint import material as m

    if out.exists():
        return out
    frames = []
    leader = Image.new("RGB", (1280, 720), (24, 24, 28))
    ImageDraw.Draw(leader).text((560, 350), "FESTIVAL COPY", fill=(200, 200, 200))
    frames += [np.asarray(leader)] * LEADER
    with av.open(str(film)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if CUT[0] <= i <= CUT[1]:
                continue
            picture = frame.to_image()
            if SMOOTHED[0] <= i <= SMOOTHED[1]:
                patch = picture.crop(BOX).filter(ImageFilter.GaussianBlur(6))
                picture.paste(patch, BOX[:2])
            frames.append(np.asarray(picture))
    shown = [m.mirror(m.letterbox(m.rescale(f, (960, 540)), bar=90)) for f in frames]
    return m.write_clip(out, shown, rate=25, crf=24)


def prepare() -> tuple[Path, Path]:
    """A scratch copy of the demo project with the festival copy (and its annotation) in it."""
    from critique_app.domain.model import Annotation, FrameRange, Region
    from critique_app.progress import TerminalProgress
    from critique_app.services.demo import ensure_demo
    from critique_app.services.films import add_film
    from db.project import open_project

    WORK.mkdir(parents=True, exist_ok=True)
    demo = ensure_demo(WORK / "demo", progress=TerminalProgress("Building the demo"))
    copy = festival_copy(demo.film, WORK / "festival copy.mp4")
    project = WORK / "compare.critique"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{project}{suffix}").unlink(missing_ok=True)
    shutil.copy(demo.project, project)
    with open_project(project) as p:
        film = add_film(p, copy, title="festival copy")
        tier = p.repo.add_tier("Jury", author="Prof. Moreau")
        # The smoothed patch as the copy shows it: scaled, letterboxed, mirrored.
        x0, y0, x1, y1 = BOX
        corners = [
            ((960 - x1 * 0.75) / 960, (90 + y0 * 0.75) / 720),
            ((960 - x0 * 0.75) / 960, (90 + y1 * 0.75) / 720),
        ]
        start = LEADER + round(SMOOTHED[0])
        p.repo.add_annotation(
            Annotation.create(
                film.id or 0,
                tier.id or 0,
                FrameRange(start, LEADER + SMOOTHED[1]),
                note="the restorer smoothed the wall",
                regions=(Region.still("rectangle", corners, start, label="smoothed"),),
            )
        )
    return project, copy


def inside(out: Path) -> int:
    from critique_app.gui.app import make_app
    from critique_app.gui.main_window import MainWindow
    from critique_app.player.exact_engine import ExactEngine

    project, copy = prepare()
    app = make_app()
    engine = ExactEngine()
    window = MainWindow(engines=(engine, engine))
    window.move(0, 0)
    window.resize(*SCREEN)
    window.show()

    def pump(condition: object = None, timeout: float = 300.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            app.processEvents()
            if condition is None or condition():  # type: ignore[operator]
                if condition is None and time.monotonic() + 0.6 < end:
                    end = time.monotonic() + 0.6  # settle: let every paint land
                elif condition is not None:
                    return
            time.sleep(0.01)

    if not window.open_path(project):
        print(window.statusBar().currentMessage(), file=sys.stderr)
        return 1
    c = window.controller
    pump(lambda: c.info is not None and c.mode == "exact")
    for dock in window.findChildren(type(window.provenance.dock)):
        dock.hide()  # the compare view takes the right side
    window.annotations.editor_dock.hide()
    dock = window.compare
    c.show_frame(AT)
    pump(lambda: c.mode == "exact" and window.video.picture.index == AT)
    dock.compare_with(copy)
    pump(lambda: dock.comparison is not None, timeout=600)
    view = dock.panel.view
    shots = [("side", AT, "side"), ("wipe", AT, "wipe"), ("difference", AT, "difference")]
    shots += [("blend", AT + 40, "blend"), ("side", (CUT[0] + CUT[1]) // 2, "missing")]
    out.mkdir(parents=True, exist_ok=True)
    for mode, frame, name in shots:
        dock.panel.set_mode(mode)
        if mode == "wipe":
            view.set_wipe(0.45)
        c.show_frame(frame)
        pump(lambda f=frame: c.mode == "exact" and view.a.index == f  # type: ignore[misc]
             and (view.b.index == dock.wanted_b or view.b.message != ""))  # fmt: skip
        window.show_message(
            f"Compare: {dock.panel.mode.currentText()} — ← → step both films, "
            "Alt+← / Alt+→ nudge the copy"
        )
        pump()
        screen = app.primaryScreen()
        assert screen is not None
        save_small(screen.grabWindow(0).toImage(), out / f"compare-{name}.png")
    window.close()
    return 0


def save_small(image: object, path: Path) -> None:
    """A palette PNG: screenshots of films stay well under 300 KB."""
    from PIL import Image

    from critique_app.gui.panels.compare.compare_view import rgb_pixels

    picture = Image.fromarray(rgb_pixels(image))  # type: ignore[arg-type]
    picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


def free_display() -> int:
    for number in range(90, 400):
        if not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number between :90 and :399")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        return inside(args.out)
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        print("Xvfb is not installed (Debian: apt-get install xvfb xauth).", file=sys.stderr)
        return 1
    display = f":{free_display()}"
    size = f"{SCREEN[0]}x{SCREEN[1]}x24"
    server = subprocess.Popen([xvfb, display, "-screen", "0", size, "-nolisten", "tcp"])
    helpers: list[subprocess.Popen[bytes]] = []
    try:
        time.sleep(1.0)
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        if shutil.which("openbox"):
            helpers.append(subprocess.Popen(["openbox"], env=env))
            time.sleep(0.5)
        cmd = [sys.executable, __file__, "--inside", "--out", str(args.out)]
        return subprocess.run(cmd, env=env, cwd=REPO).returncode
    finally:
        for proc in [*helpers, server]:
            proc.terminate()
            proc.wait(5)


if __name__ == "__main__":
    sys.exit(main())
