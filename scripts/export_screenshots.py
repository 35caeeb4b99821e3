"""Build a small seminar over the demo film and write the README's handout screenshots:
docs/exports/handout-page1.png (the PDF rasterised by pdftoppm) and
docs/exports/handout-html.png (the HTML page in headless Chromium). Needs poppler-utils and
chromium (`apt-get install -y chromium`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from critique_app.domain.model import Annotation, FrameRange, Region  # noqa: E402
from critique_app.media.demo_film import PASSAGES, write_demo_film  # noqa: E402
from critique_app.services import export as service  # noqa: E402
from critique_app.services.films import add_film  # noqa: E402
from critique_app.services.seminars import Seminars  # noqa: E402
from db.project import open_project  # noqa: E402

OUT = REPO / "docs" / "exports"
PROMPTS = {
    "morph": "The morph happens *inside* the shot. What replaces the cut as the unit of montage?",
    "wall": "The set is re-drawn every frame. Is this still a décor, in Bazin's sense?",
    "sign": "Why does the model produce the look of writing but not words?",
    "dolly": "Describe the camera. Could any crew have shot this?",
}
REGIONS = {
    "morph": Region.still("ellipse", [(0.36, 0.18), (0.64, 0.86)]),
    "sign": Region.still("rectangle", [(0.30, 0.12), (0.72, 0.34)]),
}


def build(folder: Path):
    film_path = write_demo_film(folder / "demo-film.mp4")
    project = open_project(folder / "screens.critique")
    film = add_film(project, film_path, title="Dreams of a Street (demo)")
    tier = project.repo.add_tier("Seminar notes", author="Camille Laurent")
    seminars = Seminars(project)
    seminar = seminars.create(
        "New visual regimes — week 3",
        "Four passages where the generator shows itself. Watch each clip twice; bring one "
        "observation and one question.",
    )
    for p in PASSAGES[1:]:
        category = project.repo.category_by_key(p.category)
        middle = (p.start + p.end) // 2
        a = project.repo.add_annotation(
            Annotation.create(
                film.id,
                tier.id,
                FrameRange(middle - 30, middle + 30),
                category_id=category.id if category else None,
                note=p.note,
                tags=("demo", p.key),
                status="observed",
                author="Camille Laurent",
                evidence="visual inference",
                regions=(REGIONS[p.key],) if p.key in REGIONS else (),
            )
        )
        seminars.add_annotation(seminar.id, a.id, prompt=PROMPTS[p.key])
    return project, seminar.id


def small_png(source: Path, target: Path, width: int) -> None:
    image = Image.open(source).convert("RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    image.quantize(colors=192, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory(prefix="critique-screens-") as tmp:
        folder = Path(tmp)
        project, seminar_id = build(folder)
        doc = service.seminar_document(project, seminar_id)
        pdf = service.export(doc, "pdf", folder / "handout.pdf")
        html = service.export(doc, "html", folder / "handout.html")
        project.close()
        for page in (1, 2):
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "80",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-png",
                    "-singlefile",
                    str(pdf),
                    str(folder / f"page{page}"),
                ],
                check=True,
            )
        small_png(folder / "page1.png", OUT / "handout-page1.png", 660)
        small_png(folder / "page2.png", OUT / "handout-page2.png", 660)
        if chromium is None:
            print("chromium is not installed: handout-html.png not made", file=sys.stderr)
            return 1
        profile = folder / "chromium-profile"
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--hide-scrollbars",
                "--window-size=1100,1500",
                f"--screenshot={folder / 'html.png'}",
                html.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        small_png(folder / "html.png", OUT / "handout-html.png", 880)
    for name in ("handout-page1.png", "handout-page2.png", "handout-html.png"):
        print(f"{OUT / name}: {(OUT / name).stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
