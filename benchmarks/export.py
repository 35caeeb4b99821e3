"""Export benchmark: a 200-item seminar over 5 films — HTML and PDF handout times, and the clips
export against a plain decode+encode of the same frames and their sound measured in the
same run (the films carry AAC sound, as a teacher's films do).

Goals (this machine: 2 shared cores): HTML <= 5 s, PDF <= 15 s, clips <= 1.2 x plain transcode.
Prints a table and writes benchmarks/results/export.json.

    .venv/bin/python benchmarks/export.py [--quick] [--out FILE.json]

`--quick` (6 items over 2 films of 3 s at 320x180) only shows that it still runs and writes its
JSON, in a few seconds; its figures mean nothing and it ends with 0 whatever the goals.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from critique_app.domain.model import Annotation, FrameRange  # noqa: E402
from critique_app.services import export as service  # noqa: E402
from critique_app.services.films import add_film  # noqa: E402
from critique_app.services.seminars import Seminars  # noqa: E402
from db.project import open_project  # noqa: E402
from exporters.clips import AUDIO_KBPS_PER_CHANNEL, CRF, PRESET  # noqa: E402
from tests.media_factory import make_coded_clip  # noqa: E402

FILMS, ITEMS, FRAMES, SIZE = 5, 200, 720, (640, 360)
GOALS = {"html_s": 5.0, "pdf_s": 15.0, "clips_ratio": 1.2}


def build(folder: Path, films_n: int = FILMS, items_n: int = ITEMS, frames_n: int = FRAMES):
    rng = random.Random(7)
    project = open_project(folder / "bench.critique")
    films = []
    for n in range(films_n):
        rate = Fraction(24) if n % 2 == 0 else Fraction(30000, 1001)
        clip = make_coded_clip(
            folder / f"film{n}.mp4", frames=frames_n, size=SIZE, rate=rate, gop=48, audio=True
        )
        films.append(add_film(project, clip, title=f"Festival film {n + 1}"))
    tier = project.repo.add_tier("Class", author="Teacher")
    cats = [c for c in project.repo.categories() if c.parent_key]
    seminars = Seminars(project)
    seminar = seminars.create("Benchmark seminar", "200 passages over 5 films")
    for n in range(items_n):
        film = films[n % films_n]
        start = rng.randrange(0, frames_n - 30)
        a = project.repo.add_annotation(
            Annotation.create(
                film.id,
                tier.id,
                FrameRange(start, start + rng.randrange(4, 20)),
                category_id=rng.choice(cats).id,
                note=f"Passage {n}: **morph** and drift.\n\n- a\n- b",
                tags=("bench", f"t{n % 7}"),
                author="Teacher",
            )
        )
        seminars.add_annotation(seminar.id, a.id, prompt=f"What happens in passage {n}?")
    return project, seminar.id


def plain_transcode(doc, out: Path) -> None:
    """The baseline: seek, decode, encode the same frames with the same encoder settings, and
    the sound of the same span (from its own seek, without sample-exact trimming)."""
    out.mkdir(exist_ok=True)
    for item in doc.items:
        with av.open(item.film.path) as src:
            stream = src.streams.video[0]
            stream.thread_type = "AUTO"
            tb = stream.time_base
            first_pts = round(item.range.start / item.film.rate / tb)
            last_pts = round(item.range.end / item.film.rate / tb)
            with av.open(str(out / f"{item.position}.mp4"), "w") as dst:
                enc = dst.add_stream("libx264", rate=item.film.rate)
                enc.width, enc.height, enc.pix_fmt = stream.width, stream.height, "yuv420p"
                enc.codec_context.thread_type = "FRAME"
                enc.options = {"crf": CRF, "preset": PRESET}
                sound = src.streams.audio[0]
                aenc = dst.add_stream("aac", rate=sound.rate, layout=sound.layout.name)
                aenc.bit_rate = AUDIO_KBPS_PER_CHANNEL * 1000 * len(sound.layout.channels)
                begin, end = (
                    item.range.start / item.film.rate,
                    (item.range.end + 1) / item.film.rate,
                )
                src.seek(round(begin / sound.time_base), backward=True, stream=sound)
                for frame in src.decode(sound):
                    if frame.time > end:
                        break
                    if frame.time + frame.samples / sound.rate >= begin:
                        frame.pts = None
                        dst.mux(aenc.encode(frame))
                dst.mux(aenc.encode(None))
                src.seek(first_pts, backward=True, stream=stream)
                n = 0
                for frame in src.decode(stream):
                    if frame.pts < first_pts:
                        continue
                    if frame.pts > last_pts:
                        break
                    frame.pts, frame.time_base = n, 1 / item.film.rate
                    dst.mux(enc.encode(frame))
                    n += 1
                dst.mux(enc.encode(None))


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    global SIZE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="6 items over 2 tiny films")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "export.json")
    args = parser.parse_args()
    films_n, items_n, frames_n = (2, 6, 72) if args.quick else (FILMS, ITEMS, FRAMES)
    if args.quick:
        SIZE = (320, 180)
    with tempfile.TemporaryDirectory(prefix="critique-bench-") as tmp:
        folder = Path(tmp)
        print(
            f"building {films_n} films ({SIZE[0]}x{SIZE[1]}, {frames_n} frames) and {items_n} items…"
        )
        project, seminar_id = build(folder, films_n, items_n, frames_n)
        doc = service.seminar_document(project, seminar_id)
        frames = sum(i.range.length for i in doc.items)
        results = {
            "quick": args.quick,
            "items": items_n,
            "films": films_n,
            "frames_in_clips": frames,
            "html_s": timed(lambda: service.export(doc, "html", folder / "h.html")),
            "pdf_s": timed(lambda: service.export(doc, "pdf", folder / "h.pdf")),
            "plain_transcode_s": timed(lambda: plain_transcode(doc, folder / "plain")),
            "clips_s": timed(lambda: service.export(doc, "clips", folder / "clips")),
        }
        results["clips_ratio"] = results["clips_s"] / results["plain_transcode_s"]
        results["html_mb"] = (folder / "h.html").stat().st_size / 1e6
        results["pdf_mb"] = (folder / "h.pdf").stat().st_size / 1e6
        project.close()
    results["goals"] = GOALS
    results["met"] = {k: results[k] <= v for k, v in GOALS.items()}
    print(f"HTML handout   {results['html_s']:6.2f} s  ({results['html_mb']:.1f} MB)  goal <= 5 s")
    print(f"PDF handout    {results['pdf_s']:6.2f} s  ({results['pdf_mb']:.1f} MB)  goal <= 15 s")
    print(f"plain transcode{results['plain_transcode_s']:6.2f} s  ({frames} frames)")
    print(
        f"clips export   {results['clips_s']:6.2f} s  = {results['clips_ratio']:.2f} x plain"
        "  goal <= 1.2 x"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    if args.quick:  # tiny inputs: the goals say nothing, only that it ran
        return 0
    return 0 if all(results["met"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
