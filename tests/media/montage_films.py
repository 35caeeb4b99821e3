"""A test film with known transitions, made by FFmpeg's own filters (the `ffmpeg` program).

Pictures are still images of big coloured blocks (each its own seed); FFmpeg joins them with
hard cuts (concatenation), `xfade=transition=fade` (a cross-dissolve: a true mix),
`xfade=transition=dissolve` (FFmpeg's dithered dissolve: each pixel switches at its own moment,
a mix only once averaged), `fade` out to black and in from black, and a morph: the picture
turns and grows over 24 frames (`rotate` with an angle and `zoompan` with a zoom that follow
the frame number), no mix at all. TRUTH lists what a viewer marks, frame by frame.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

from tests.missing import missing

RATE = 25
SIZE = (320, 240)

# (kind, first changed frame, frame where the change is complete); a cut: the new shot's first
# frame. Read once on the full-size 320x240 frames FFmpeg made (mean absolute difference of each
# frame from the one before, over 0.8 grey levels; docs/montage-lens.md): xfade and concat count
# a frame more than the inputs' nominal lengths here and there, so these are the film's own frames.
TRUTH = [
    ("cut", 50, 50),  # still A -> still B
    ("dissolve", 87, 109),  # xfade fade: a true mix, B to C
    ("cut", 157, 157),
    ("dissolve", 184, 206),  # xfade dissolve: FFmpeg's dithered dissolve, D to E
    ("cut", 254, 254),
    ("fade_out", 283, 294),  # F fades to black (fade=t=out)...
    ("fade_in", 301, 312),  # ...black held 6 frames, G fades in (fade=t=in)
    ("cut", 350, 350),
    ("morph", 381, 404),  # H turns by 1.2 rad and zooms by 1.6 over 24 frames, no mix
    ("cut", 430, 430),
]
FRAMES = 480
# where a viewer following Cinemetrics puts the boundaries: cuts, the middle of a dissolve or a
# morph, the middle of a fade out into a fade in
SHOT_STARTS = [50, 98, 157, 195, 254, 298, 350, 393, 430]


def blocks(seed: int, path: Path) -> Path:
    """A still of 8 x 6 random coloured blocks with a finer texture inside: a picture whose
    turned or zoomed version is nothing like a mix of the two."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(20, 236, size=(6, 8, 3), dtype=np.uint8)
    image = np.kron(coarse, np.ones((40, 40, 1), np.uint8)).astype(np.int16)
    stripes = (np.indices((240, 320)).sum(axis=0) // 10 % 2).astype(np.int16) * 30 - 15
    image = np.clip(image + stripes[..., None], 0, 255).astype(np.uint8)
    Image.fromarray(image).save(path)
    return path


def ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    if found is None:
        # ./run-tests installs ffmpeg (scripts/setup.sh): in CI its absence is a failure
        why = "the transition films are made by the ffmpeg program, which is not installed"
        missing(why)
    return found


def make_montage_film(folder: Path) -> Path:
    """The film of TRUTH: 478 frames, 320x240, 25 fps, H.264."""
    pictures = [blocks(seed, folder / f"p{seed}.png") for seed in range(9)]
    inputs: list[str] = []
    lengths = [50, 60, 70, 50, 70, 40, 50, 80, 50]  # frames of each input still
    for picture, frames in zip(pictures, lengths, strict=True):
        inputs += [
            "-loop",
            "1",
            "-framerate",
            str(RATE),
            "-t",
            f"{frames / RATE}",
            "-i",
            str(picture),
        ]
    inputs += ["-f", "lavfi", "-t", f"{6 / RATE}", "-i", f"color=black:s=320x240:r={RATE}"]
    s = f"fps={RATE},format=yuv420p,setsar=1"
    ramp = "clip((n-30)/24,0,1)"  # 0 before frame 30 of the shot, 1 from frame 54
    graph = ";".join(
        [
            f"[0]{s}[a]",
            f"[1]{s}[b]",
            f"[2]{s}[c]",
            f"[b][c]xfade=transition=fade:duration={24 / RATE}:offset={36 / RATE}[bc]",
            f"[3]{s}[d]",
            f"[4]{s}[e]",
            f"[d][e]xfade=transition=dissolve:duration={24 / RATE}:offset={26 / RATE}[de]",
            f"[5]{s},fade=t=out:st={28 / RATE}:d={12 / RATE}[f]",
            f"[9]{s}[k]",
            f"[6]{s},fade=t=in:st=0:d={12 / RATE}[g]",
            f"[7]{s},zoompan=z='1+0.6*{ramp.replace('n', 'in')}':x='iw/2-iw/zoom/2':"
            f"y='ih/2-ih/zoom/2':d=1:s=320x240:fps={RATE},"
            f"rotate=a='1.2*{ramp}':fillcolor=gray,{s}[h]",
            f"[8]{s}[i]",
            "[a][bc][de][f][k][g][h][i]concat=n=8:v=1:a=0[out]",
        ]
    )
    out = folder / "montage.mp4"
    subprocess.run(
        [
            ffmpeg(),
            "-v",
            "error",
            "-y",
            *inputs,
            "-filter_complex",
            graph,
            "-map",
            "[out]",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "18",
            "-g",
            "50",
            str(out),
        ],
        check=True,
    )
    return out


# Shorter films, one question each: (inputs as (seed or "wide", frames), filter graph, truth).
# Truth read on the full-size frames as for TRUTH.
def _still(n: int) -> str:
    return f"[{n}]fps={RATE},format=yuv420p"


def _pan(n: int) -> str:  # a camera panning right over a wide picture all through the shot
    return f"[{n}]fps={RATE},crop=320:240:x='min(t*60\\,600)':y=100,format=yuv420p"


SHORT_FILMS: dict[str, tuple[list[tuple[int | str, int]], str, list[tuple[str, int, int]]]] = {
    "fade_through_white": (
        [(20, 60), (21, 60)],
        f"{_still(0)},fade=t=out:st=1.6:d=0.48:color=white[a];"
        f"{_still(1)},fade=t=in:st=0:d=0.48:color=white[b];[a][b]concat=n=2[out]",
        [("fade_out", 41, 52), ("fade_in", 61, 72)],
    ),
    "six_frame_dissolve": (
        [(20, 60), (21, 60)],
        f"{_still(0)}[a];{_still(1)}[b];[a][b]xfade=transition=fade:duration=0.24:offset=1.6[out]",
        [("dissolve", 41, 46)],
    ),
    "sixty_frame_dissolve": (
        [(20, 120), (21, 120)],
        f"{_still(0)}[a];{_still(1)}[b];[a][b]xfade=transition=fade:duration=2.4:offset=2[out]",
        [("dissolve", 50, 110)],
    ),
    "dissolve_under_heavy_grain": (  # grain as strong per frame as the dissolve's change
        [(20, 60), (21, 60)],
        f"{_still(0)},noise=alls=25:allf=t[a];{_still(1)},noise=alls=25:allf=t[b];"
        "[a][b]xfade=transition=fade:duration=0.96:offset=1.4[out]",
        [("dissolve", 36, 59)],  # read on the same film without the grain
    ),
    "a_pan_then_a_cut": (
        [("wide", 100), (22, 40)],
        f"{_pan(0)}[a];{_still(1)}[b];[a][b]concat=n=2[out]",
        [("cut", 100, 100)],
    ),
    "a_zoom_all_through_its_shot": (
        [(23, 100), (22, 40)],
        f"{_still(0)},zoompan=z='1+0.006*in':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=1:"
        f"s=320x240:fps={RATE}[a];{_still(1)}[b];[a][b]concat=n=2[out]",
        [("cut", 100, 100)],
    ),
}


def wide(path: Path) -> Path:
    """A picture of 24 x 12 blocks, 960x480: room for a camera to pan over."""
    rng = np.random.default_rng(5)
    coarse = rng.integers(20, 236, size=(12, 24, 3), dtype=np.uint8)
    Image.fromarray(np.kron(coarse, np.ones((40, 40, 1), np.uint8))).save(path)
    return path


def make_short_film(folder: Path, name: str) -> Path:
    """One of SHORT_FILMS, as H.264."""
    stills, graph, _ = SHORT_FILMS[name]
    inputs: list[str] = []
    for seed, frames in stills:
        picture = (
            wide(folder / "wide.png")
            if seed == "wide"
            else blocks(int(seed), folder / f"p{seed}.png")
        )
        inputs += [
            "-loop",
            "1",
            "-framerate",
            str(RATE),
            "-t",
            f"{frames / RATE}",
            "-i",
            str(picture),
        ]
    out = folder / f"{name}.mp4"
    subprocess.run(
        [
            ffmpeg(),
            "-v",
            "error",
            "-y",
            *inputs,
            "-filter_complex",
            graph,
            "-map",
            "[out]",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "20",
            "-g",
            "50",
            str(out),
        ],
        check=True,
    )
    return out
