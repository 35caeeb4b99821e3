"""Generated picture material for fingerprint tests and benchmarks: textured moving shots.

Perceptual hashes need natural-ish pictures (flat colours all hash alike), so each shot is
a view panning over a smooth multi-scale noise field with a drifting light blob. Transforms
imitate what happens to a film between copies: re-encoding, rescaling, grading, letterbox,
cropping, mirroring.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

Size = tuple[int, int]  # width, height


def _upsample(grid: np.ndarray, h: int, w: int) -> np.ndarray:
    gh, gw = grid.shape[:2]
    ys = np.linspace(0, gh - 1.001, h)
    xs = np.linspace(0, gw - 1.001, w)
    y0, x0 = ys.astype(int), xs.astype(int)
    fy, fx = (ys - y0)[:, None, None], (xs - x0)[None, :, None]
    a, b = grid[y0][:, x0], grid[y0][:, x0 + 1]
    c, d = grid[y0 + 1][:, x0], grid[y0 + 1][:, x0 + 1]
    return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy


def texture(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """H x W x 3 float32 in 0..1: smooth noise at three scales, tinted."""
    out = np.zeros((h, w, 3), np.float32)
    for cells, amp in ((4, 1.0), (12, 0.5), (40, 0.25)):
        grid = rng.standard_normal((cells + 2, cells * w // h + 2, 3)).astype(np.float32)
        grid[..., 1:] = 0.6 * grid[..., :1] + 0.4 * grid[..., 1:]  # colours that go together
        out += amp * _upsample(grid, h, w)
    out -= out.min()
    out /= out.max()
    return 0.08 + 0.84 * out  # never black: bars must stay the only black in a picture


def shot_frames(
    seed: int, frames: int, size: Size = (320, 180), grain: float = 0.0, speed: float = 1.0
) -> Iterator[np.ndarray]:
    """A shot of `frames` RGB uint8 pictures: a pan over a texture with a drifting blob."""
    w, h = size
    rng = np.random.default_rng(seed)
    margin_x, margin_y = w // 2, h // 2
    tex = texture(rng, h + 2 * margin_y, w + 2 * margin_x)
    vx, vy = rng.uniform(-1.2, 1.2, 2) * w / 320 * speed
    bx, by = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    bvx, bvy = rng.uniform(-2, 2, 2) * w / 320
    yy, xx = np.ogrid[0:h, 0:w]
    for i in range(frames):
        x = int(np.clip(margin_x + vx * i, 0, 2 * margin_x))
        y = int(np.clip(margin_y + vy * i, 0, 2 * margin_y))
        view = tex[y : y + h, x : x + w].copy()
        blob = np.exp(-((xx - bx - bvx * i) ** 2 + (yy - by - bvy * i) ** 2) / (0.02 * w * w))
        view += 0.35 * blob[..., None].astype(np.float32)
        if grain:
            view += rng.standard_normal((h, w, 1), dtype=np.float32) * grain
        yield (np.clip(view, 0, 1) * 255).astype(np.uint8)


def shot(seed: int, frames: int, size: Size = (320, 180)) -> list[np.ndarray]:
    return list(shot_frames(seed, frames, size))


def footage(
    seeds: Sequence[int], lengths: Sequence[int], size: Size = (320, 180)
) -> list[np.ndarray]:
    """Several shots cut together (cuts at the cumulative lengths)."""
    frames: list[np.ndarray] = []
    for seed, n in zip(seeds, lengths, strict=True):
        frames += shot(seed, n, size)
    return frames


# ---- transforms (one picture in, one picture out) ------------------------------------


def rescale(img: np.ndarray, size: Size) -> np.ndarray:
    return np.asarray(Image.fromarray(img).resize(size, Image.Resampling.BICUBIC))


def grade(img: np.ndarray) -> np.ndarray:
    """A colour grade: warmer, more contrast, lifted blacks, a gamma curve."""
    x = img.astype(np.float32) / 255
    x = x ** np.array([0.85, 0.95, 1.15], np.float32)
    x = (x - 0.5) * 1.2 + 0.52
    return (np.clip(x, 0, 1) * 255).astype(np.uint8)


def letterbox(img: np.ndarray, bar: int = 30) -> np.ndarray:
    """The picture with black bars above and below (16:9 inside a taller frame)."""
    h, w = img.shape[:2]
    out = np.zeros((h + 2 * bar, w, 3), np.uint8)
    out[bar : bar + h] = img
    return out


def pillarbox(img: np.ndarray, bar: int = 40) -> np.ndarray:
    h, w = img.shape[:2]
    out = np.zeros((h, w + 2 * bar, 3), np.uint8)
    out[:, bar : bar + w] = img
    return out


def crop(img: np.ndarray, fraction: float = 0.05) -> np.ndarray:
    """Cut `fraction` of the width and height (half each side), scaled back to the size."""
    h, w = img.shape[:2]
    dy, dx = round(h * fraction / 2), round(w * fraction / 2)
    return rescale(img[dy : h - dy, dx : w - dx], (w, h))


def mirror(img: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(img[:, ::-1])


def write_clip(
    path: str | Path,
    frames: Iterable[np.ndarray],
    *,
    rate: Fraction | int = 24,
    crf: int = 20,
    bitrate: int | None = None,
    gop: int = 24,
    faststart: bool = False,
) -> Path:
    """Encode RGB pictures as H.264 (frame threads: one slice per frame, as real files)."""
    path = Path(path)
    frames = iter(frames)
    first = next(frames)
    h, w = first.shape[:2]
    options = {"movflags": "+faststart"} if faststart else {}
    with av.open(str(path), "w", options=options) as out:
        stream = out.add_stream("libx264", rate=Fraction(rate))
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        stream.codec_context.thread_type = "FRAME"
        stream.codec_context.gop_size = gop
        codec_options = {"preset": "veryfast"}
        if bitrate:
            stream.codec_context.bit_rate = bitrate
        else:
            codec_options["crf"] = str(crf)
        stream.options = codec_options
        for img in itertools.chain([first], frames):  # streamed: 1080p films do not fit in memory
            out.mux(stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")))
        out.mux(stream.encode(None))
    return path


def write_still(path: str | Path, img: np.ndarray) -> Path:
    Image.fromarray(img).save(path)
    return Path(path)


STILL_SHOT = (20, 43)  # festival_copy_and_still: the frames of the shot the still comes from


def festival_copy_and_still(folder: Path) -> tuple[Path, Path]:
    """A festival copy of three shots (64 frames, 320x180) and a generator's still that is
    its exact frame 31, in the middle shot (STILL_SHOT): the still, as the decoder shows it."""
    from critique_app.media.frame_server import FrameServer

    frames = shot(201, 20) + list(shot_frames(100, 24, speed=0.3)) + shot(203, 20)
    film = write_clip(folder / "festival copy.mp4", frames)
    server = FrameServer(film)
    try:
        still = write_still(folder / "generator output.png", server.frame(31).image)
    finally:
        server.close()
    return film, still
