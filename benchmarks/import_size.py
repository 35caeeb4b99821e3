"""Importing a large file (issue 23, item 8 and streaming imports): time and peak memory of
`critique-app import` on a 50 MB WebVTT file (520,000 cues), on a 50 MB SubRip file whose one
cue is a single 50 MB line and on a 50 MB W3C Web Annotation collection, beside reading the
same files with the reference readers `webvtt-py`, `srt` and Python's `json.load` (the ratio is
Critique's time over theirs: how much more the import costs than merely parsing the file).

Each run is a child process of its own, so its peak memory (the ru_maxrss os.wait4 gives for
that child alone) is its own: the import as a person runs it, from start to commit.
A large subtitle file is read by a second process of the import's own (exporters/subtitles_apart.py),
which it waits for: its processor time is counted in the import's, and the peak is the
larger of the two processes'.
Goals: a 50 MB VTT in under 30 s and under 300 MB on a 2-core machine.

    .venv/bin/python benchmarks/import_size.py [--megabytes 50] [--kinds vtt,srt,w3c] [--quick]
        [--out FILE.json]

`--quick` (about 0.5 MB files) only shows that it still runs and writes its JSON; its figures
mean nothing. Generated files go to the temporary folder and are removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

RESULTS = REPO / "benchmarks" / "results"
KINDS = {"vtt": "WebVTT", "srt": "one-line SubRip", "w3c": "W3C Web Annotation collection"}
RATE = 25
# Real subtitles: a line or two, now and then in italics or bold, a voice, an entity.
LINES = (
    "Il fait nuit sur la ville, et personne ne répond.",
    "<i>Tu entends la mer ?</i>\nNon, seulement le vent.",
    "<v Élodie>On part demain, avant l'aube.</v>",
    "<b>ATTENTION</b> : le pont est fermé &amp; gardé.",
    "Je t'ai attendu toute la journée devant la gare, sous la pluie.",
)


def _stamp(ms: int, comma: bool) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{',' if comma else '.'}{ms:03d}"


def write_vtt(path: Path, size: int) -> int:
    """A WebVTT file of about `size` bytes; returns how many cues it holds."""
    count = 0
    written = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("WEBVTT\n\n")
        while written < size:
            start = count * 2000
            block = (
                f"{count + 1}\n{_stamp(start, False)} --> {_stamp(start + 1500, False)}\n"
                f"{LINES[count % len(LINES)]}\n\n"
            )
            out.write(block)
            written += len(block.encode("utf-8"))
            count += 1
    return count


def write_one_line_srt(path: Path, size: int) -> int:
    """A SubRip file of about `size` bytes whose one cue is one line (a file a broken tool
    wrote without line breaks)."""
    words = "sans retour à la ligne "
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("1\n00:00:01,000 --> 00:00:09,000\n")
        out.write(words * (size // len(words.encode("utf-8"))))
        out.write("\n")
    return 1


def write_w3c(path: Path, size: int) -> int:
    """A W3C Web Annotation collection of about `size` bytes as other tools write it (one page
    of annotations with a text body and a time fragment on the film); returns how many."""
    count = 0
    written = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        head = '{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection",'
        out.write(head + ' "label": "Benchmark", "first": {"type": "AnnotationPage", "items": [\n')
        while written < size:
            start = count * 2
            item = {
                "id": f"https://example.org/anno/{count}",
                "type": "Annotation",
                "motivation": "commenting",
                "body": {"type": "TextualBody", "value": LINES[count % len(LINES)]},
                "target": {
                    "source": "https://example.org/big.mov",
                    "selector": {"type": "FragmentSelector", "value": f"t={start},{start + 1.5}"},
                },
            }
            line = ("," if count else "") + json.dumps(item, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            count += 1
        out.write("]}}\n")
    return count


def make_project(path: Path, cues: int) -> None:
    """A project with one film long enough for every cue (no media: the import needs none)."""
    from fractions import Fraction

    from db.project import open_project

    with open_project(path) as project:
        project.repo.add_film(
            str(path.with_suffix(".mov")),
            sha256="0" * 64,
            size=1,
            rate=Fraction(RATE),
            frame_count=(cues * 2 + 10) * RATE,
            title="Benchmark film",
        )


_IMPORT = """
import sys
from critique_app.cli import main
sys.exit(main(["import", sys.argv[1], sys.argv[2]]))
"""

_REFERENCE = """
import sys
path = sys.argv[1]
if path.endswith(".json"):
    import json
    with open(path, encoding="utf-8") as f:
        count = len(json.load(f)["first"]["items"])
elif path.endswith(".vtt"):
    import webvtt
    count = sum(1 for _ in webvtt.read(path))
else:
    import srt
    with open(path, encoding="utf-8") as f:
        count = sum(1 for _ in srt.parse(f.read()))
print(count)
"""


def measure(code: str, *args: str) -> dict[str, Any]:
    """Wall time and peak memory (the child's own ru_maxrss, from wait4) of `code` run in a
    child Python; the last line it said and its status."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    with tempfile.TemporaryFile("w+") as said:
        began = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", code, *args], env=env, stdout=said, stderr=said, cwd=REPO
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        said.seek(0)
        lines = [ln for ln in said.read().splitlines() if ln.strip()]
    return {
        "seconds": round(seconds, 2),
        # processor time: on a machine shared with other work, the figure that is the run's own
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),  # KiB on Linux
        "status": child.returncode,
        "said": lines[-1] if lines else "",
    }


def run_case(kind: str, folder: Path, size: int) -> dict[str, Any]:
    source = folder / {"vtt": "big.vtt", "srt": "one-line.srt", "w3c": "big.json"}[kind]
    writer = {"vtt": write_vtt, "srt": write_one_line_srt, "w3c": write_w3c}[kind]
    cues = writer(source, size)
    project = folder / f"{kind}.critique"
    make_project(project, cues)
    reference = measure(_REFERENCE, str(source))
    imported = measure(_IMPORT, str(project), str(source))
    from db.project import open_project

    with open_project(project) as opened:
        stored = opened.repo.count_annotations()
    result = {
        "file_mb": round(source.stat().st_size / 1e6, 1),
        "cues": cues,
        "stored": stored,
        "reference": reference,
        "import": imported,
        "time_ratio": round(imported["seconds"] / max(reference["seconds"], 1e-3), 2),
        "cpu_ratio": round(imported["cpu_seconds"] / max(reference["cpu_seconds"], 1e-3), 2),
    }
    source.unlink()
    for leftover in folder.glob(f"{kind}.critique*"):
        leftover.unlink()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=50.0)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS / "import_size.json")
    parser.add_argument(
        "--kinds", default=",".join(KINDS), help="which files, e.g. vtt (default: vtt,srt,w3c)"
    )
    args = parser.parse_args()
    kinds = [k for k in KINDS if k in args.kinds.split(",")]
    size = int((0.5 if args.quick else args.megabytes) * 1_000_000)
    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "quick": args.quick,
        "load_average": list(os.getloadavg()),
    }
    with tempfile.TemporaryDirectory(prefix="critique-import-size-") as tmp:
        for kind in kinds:
            report[kind] = run_case(kind, Path(tmp), size)
    for kind in kinds:
        title, r = KINDS[kind], report[kind]
        print(
            f"{title}: {r['file_mb']} MB, {r['cues']:,} cues, {r['stored']:,} stored; "
            f"import {r['import']['seconds']} s ({r['import']['cpu_seconds']} s of processor), "
            f"peak {r['import']['peak_mb']} MB "
            f"(status {r['import']['status']}: {r['import']['said'][:160]}); "
            f"reference reader {r['reference']['seconds']} s "
            f"({r['reference']['cpu_seconds']} s of processor), peak "
            f"{r['reference']['peak_mb']} MB; ratio {r['time_ratio']} "
            f"(processor {r['cpu_ratio']})"
        )
    # the machine is shared: the load while it ran says how far the wall times can be trusted
    report["load_average_after"] = list(os.getloadavg())
    print(f"load average before {report['load_average']}, after {report['load_average_after']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
