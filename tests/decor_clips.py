"""Generated films with a known truth for the décor lens (critique_app.media.instability).

A camera pans over a still, smooth texture (the "set"); on demand a patch of the set re-samples
its texture on every frame ("boils"), a letter painted on the set changes now and then, or the
film cuts to another set. The truth (where the patch and the letter are on each frame, in film
pixels) comes back with the path. Encoded with FFmpeg's libx264 through PyAV, like every clip of
tests/media_factory.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tests.media_factory import _video_stream

Box = tuple[int, int, int, int]  # x, y, w, h in film pixels


@dataclass
class DecorClip:
    path: Path
    size: tuple[int, int]
    frames: int
    patch: dict[int, Box] = field(default_factory=dict)  # frame -> where the boiling patch is
    letter: dict[int, Box] = field(default_factory=dict)  # frame -> where the letter is
    letter_changes: list[int] = field(default_factory=list)  # frames showing a new letter
    cut: int | None = None
    mover: dict[int, Box] = field(default_factory=dict)  # frame -> where the moving square is


def centre_error(box: tuple[float, float, float, float], truth: Box) -> float:
    """How far (film pixels) the centre of `box` (x, y, w, h) is from the centre of `truth`."""
    x, y, w, h = box
    tx, ty, tw, th = truth
    dx, dy = x + w / 2 - (tx + tw / 2), y + h / 2 - (ty + th / 2)
    return float((dx * dx + dy * dy) ** 0.5)


def _smooth_texture(rng: np.random.Generator, height: int, width: int, cell: int) -> np.ndarray:
    """Soft blobs of grey and colour: random cells enlarged with a bicubic filter."""
    coarse = rng.integers(20, 236, (height // cell + 2, width // cell + 2, 3), dtype=np.uint8)
    big = Image.fromarray(coarse, "RGB").resize(
        ((width // cell + 2) * cell, (height // cell + 2) * cell), Image.Resampling.BICUBIC
    )
    return np.asarray(big)[:height, :width].copy()


def make_decor_clip(
    path: str | Path,
    *,
    frames: int = 30,
    size: tuple[int, int] = (640, 360),
    pan: tuple[int, int] = (3, 1),
    boil: Box | None = None,
    letter: tuple[int, int] | None = None,
    letter_every: int = 8,
    cut: int | None = None,
    mover: tuple[int, int] | None = None,
    mover_grey: bool = False,
    seed: int = 5,
) -> DecorClip:
    """A pan of `pan` film pixels per frame over a still set. `boil` is a box of the *set*
    (its position on frame 0) whose texture is new on every frame; `letter` the top-left corner
    (on frame 0) of a letter on a plain plate, changed every `letter_every` frames; `cut` the
    first frame of a second, different set; `mover` the motion (film pixels per frame) of a
    textured square that crosses the picture in front of the set, like a walking figure, in
    greys if `mover_grey` (so that a screenshot's reader tells it from the coloured set)."""
    path = Path(path)
    width, height = size
    rng = np.random.default_rng(seed)
    margin_x, margin_y = abs(pan[0]) * frames + 8, abs(pan[1]) * frames + 8
    sets = [
        _smooth_texture(rng, height + margin_y, width + margin_x, 16),
        _smooth_texture(rng, height + margin_y, width + margin_x, 24),
    ]
    font = ImageFont.load_default(size=56)
    thing = _smooth_texture(rng, 80, 80, 12)
    if mover_grey:
        thing[:] = thing.mean(axis=2, keepdims=True).astype(np.uint8)
    truth = DecorClip(path, size, frames, cut=cut)
    with av.open(str(path), "w", format="mp4") as out:
        video = _video_stream(
            out,
            "libx264",
            rate=Fraction(24),
            size=size,
            gop=12,
            bframes=2,
            open_gop=False,
            pix_fmt="yuv420p",
            options={"crf": "18"},
            time_base=Fraction(1, 24),
        )
        shown = ""
        for index in range(frames):
            scene = sets[1 if cut is not None and index >= cut else 0].copy()
            if boil is not None:
                x, y, w, h = boil
                scene[y : y + h, x : x + w] = _smooth_texture(rng, h, w, 8)
            ox, oy = pan[0] * index, pan[1] * index
            if letter is not None:
                lx, ly = letter
                text = "ABCDEFGHKMNPRSTUVWXYZ"[index // letter_every % 21]
                if text != shown:
                    truth.letter_changes.append(index)
                    shown = text
                plate = Image.fromarray(scene)
                ImageDraw.Draw(plate).rectangle((lx, ly, lx + 60, ly + 70), fill=(235, 230, 220))
                ImageDraw.Draw(plate).text((lx + 8, ly + 4), text, fill=(20, 20, 30), font=font)
                scene = np.asarray(plate).copy()
                truth.letter[index] = (lx - ox, ly - oy, 60, 70)
            if boil is not None:
                truth.patch[index] = (boil[0] - ox, boil[1] - oy, boil[2], boil[3])
            picture = np.ascontiguousarray(scene[oy : oy + height, ox : ox + width])
            if mover is not None:
                mx, my = 40 + mover[0] * index, 120 + mover[1] * index
                picture[my : my + 80, mx : mx + 80] = thing[: height - my, : width - mx]
                truth.mover[index] = (mx, my, 80, 80)
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts, frame.time_base = index, Fraction(1, 24)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
    return truth
