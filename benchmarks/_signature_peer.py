"""FFmpeg's MPEG-7 video signature filter as a peer of the app's matcher (issue 24).

One ffmpeg run per film: the film is input 0, every library item another input, and the
filter (`signature=detectmode=full`) reports, per pair, the best matching sequence it finds:
where it starts in each video and how many frames match. Only pairs with the film (input 0)
are read; the filter's sequences become segments scored like the app's.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from critique_app.provenance import matching

MATCH = re.compile(
    r"matching of video (?P<a>\d+) at (?P<ta>[\d.]+) and (?P<b>\d+) at (?P<tb>[\d.]+), "
    r"(?P<n>\d+) frames matching"
)
NO_MATCH = re.compile(r"no matching of video (?P<a>\d+) and (?P<b>\d+)")


@dataclass(frozen=True)
class SignatureMatch:
    """One pair the filter compared: input `first` at `first_s` seconds and input `second` at
    `second_s` match over `frames` frames; `frames` is 0 when the filter found nothing."""

    first: int
    second: int
    first_s: float
    second_s: float
    frames: int


def parse_log(text: str) -> list[SignatureMatch]:
    """The filter's verdicts from ffmpeg's log, one per compared pair."""
    out = []
    for line in text.splitlines():
        if m := MATCH.search(line):
            out.append(
                SignatureMatch(
                    int(m["a"]), int(m["b"]), float(m["ta"]), float(m["tb"]), int(m["n"])
                )
            )
        elif m := NO_MATCH.search(line):
            out.append(SignatureMatch(int(m["a"]), int(m["b"]), 0.0, 0.0, 0))
    return out


def compare(film: Path, items: list[Path], same_size: bool = False) -> list[SignatureMatch]:
    """Run the filter over a film and library items (inputs 1..N, in that order).

    `same_size` scales every input to 320x180 first: FFmpeg 5.1's filter has been seen to die
    with a segmentation fault on inputs of different sizes (a quick run's letterboxed film)."""
    inputs = [film, *items]
    if same_size:
        scaled = "".join(f"[{k}:v]scale=320:180,setsar=1[s{k}];" for k in range(len(inputs)))
        labels = scaled + "".join(f"[s{k}]" for k in range(len(inputs)))
    else:
        labels = "".join(f"[{k}:v]" for k in range(len(inputs)))
    graph = f"{labels}signature=nb_inputs={len(inputs)}:detectmode=full"
    command = ["ffmpeg", "-hide_banner", "-nostats", "-nostdin"]
    for path in inputs:
        command += ["-i", str(path)]
    command += ["-filter_complex", graph, "-f", "null", "-"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse_log(done.stderr)


def compare_or_say(film: Path, items: list[Path]) -> tuple[list[SignatureMatch], str | None]:
    """`compare`, once more with every input at one size if FFmpeg dies; if it dies again, no
    match and the sentence saying so (the peer's crash is counted, never the run's end)."""
    for same_size in (False, True):
        try:
            return compare(film, items, same_size), None
        except subprocess.CalledProcessError as err:
            if err.returncode >= 0:  # a refusal, not a crash: a real error of this code
                raise
            died = f"ffmpeg's signature filter died (signal {-err.returncode}) on {film.name}"
    return [], died


def segments(
    found: list[SignatureMatch], labels: list[str], rate: float
) -> list[matching.MatchSegment]:
    """The film's matches (input 0 against item k, library item id k) as segments."""
    out = []
    for m in found:
        if m.first != 0 or not m.frames:
            continue
        start, item_start = round(m.first_s * rate), round(m.second_s * rate)
        out.append(
            matching.MatchSegment(
                item_id=m.second,
                label=labels[m.second - 1],
                variant="signature",
                start=start,
                end=start + m.frames - 1,
                item_start=item_start,
                item_end=item_start + m.frames - 1,
                median_distance=0.0,
                worst_distance=0,
                threshold=0,
                matched_frames=m.frames,
            )
        )
    return out


def run(
    films: list[tuple[Path, list]],
    items: list[tuple[str, Path]],
    families: list[str],
    rate: float,
    score: Callable[[list[matching.MatchSegment], list], dict],
) -> dict:
    """Per family, the filter's passages found and false segments (scored by `score`)."""
    if shutil.which("ffmpeg") is None:
        return {"skipped": "ffmpeg is not installed: the signature filter was not run"}
    t = time.perf_counter()
    rows = {}
    labels = [name for name, _ in items]
    crashed = []
    for family, (path, passages) in zip(families, films, strict=True):
        found, died = compare_or_say(path, [p for _, p in items])
        if died is not None:
            print(f"  {died}: its passages count as not found", flush=True)
            crashed.append(died)
        rows[family] = score(segments(found, labels, rate), passages)
    return {"families": rows, "seconds": round(time.perf_counter() - t, 1), "crashed": crashed}
