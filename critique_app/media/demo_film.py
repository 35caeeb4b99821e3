"""The demo film: a short generated film whose passages imitate AI visual regimes.

Nothing here is AI-generated: each passage is drawn so that a newcomer has something
to stop on, mark and argue about (a shape that morphs without a cut, a wall whose
texture drifts, a sign whose letters will not hold still, a camera move no camera made).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from critique_app.i18n import _
from critique_app.progress import NO_PROGRESS, Progress

WIDTH, HEIGHT = 1280, 720
RATE = Fraction(24)


@dataclass(frozen=True)
class Passage:
    """One shot of the demo film and the regime it imitates (a category key of the vocabulary)."""

    key: str
    title: str
    start: int  # first frame (inclusive)
    end: int  # last frame (inclusive)
    category: str
    note: str


PASSAGES: tuple[Passage, ...] = (
    Passage(
        "street",
        "Street, a plain pan",
        0,
        167,
        "provenance.source-type.digitalCapture",
        "Reference shot: layers move with consistent parallax, as a real pan would.",
    ),
    Passage(
        "morph",
        "A head becomes a vase",
        168,
        359,
        "temporal.morphing",
        "The silhouette turns into a vase **without a cut**: no edit point, the form itself "
        "slides between two probable shapes.",
    ),
    Passage(
        "wall",
        "The wall that breathes",
        360,
        551,
        "temporal.background-drift",
        "Mortar lines crawl and bend while the camera is locked off: the *décor* is not a "
        "solid, it is re-sampled every frame.",
    ),
    Passage(
        "sign",
        "Bakery sign",
        552,
        743,
        "function.hallucinated-text",
        "The shop sign's letters mutate into glyph-like marks: text as texture, not language.",
    ),
    Passage(
        "dolly",
        "Impossible dolly",
        744,
        959,
        "operation.synthetic-camera",
        "Foreground grows while the background slides the wrong way and the horizon tilts: "
        "a camera move no lens and dolly could make.",
    ),
)
FRAME_COUNT = PASSAGES[-1].end + 1


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _sky(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> np.ndarray:
    t = np.linspace(0.0, 1.0, HEIGHT, dtype=np.float32)[:, None, None]
    grad = np.array(top, np.float32) * (1 - t) + np.array(bottom, np.float32) * t
    return np.broadcast_to(grad, (HEIGHT, WIDTH, 3)).astype(np.uint8)


class _Painter:
    """Draws frame N of the demo film; holds the few precomputed textures."""

    def __init__(self) -> None:
        rng = np.random.default_rng(2026)
        self.grain = [rng.integers(-2, 3, (HEIGHT, WIDTH, 1), dtype=np.int16) for _ in range(6)]
        self.dusk = _sky((38, 52, 92), (214, 150, 110))
        self.day = _sky((90, 140, 200), (200, 220, 235))
        self.font = _font(96)
        self.small = _font(28)
        self.rng = rng
        self.bricks = self._bricks()

    def _bricks(self) -> np.ndarray:
        img = Image.new("RGB", (WIDTH + 200, HEIGHT + 200), (150, 150, 145))
        draw = ImageDraw.Draw(img)
        for row in range((HEIGHT + 200) // 40 + 1):
            offset = 0 if row % 2 else 40
            for col in range(-1, (WIDTH + 200) // 80 + 1):
                shade = int(self.rng.integers(120, 175))
                x0, y0 = col * 80 + offset, row * 40
                draw.rectangle(
                    [x0 + 3, y0 + 3, x0 + 77, y0 + 37], fill=(shade, 70 + shade // 5, 50)
                )
        return np.asarray(img)

    def frame(self, n: int) -> np.ndarray:
        passage = next(p for p in PASSAGES if p.start <= n <= p.end)
        t = (n - passage.start) / max(1, passage.end - passage.start)
        paint: Callable[[int, float], np.ndarray] = getattr(self, f"_{passage.key}")
        img = paint(n, t).astype(np.int16) + self.grain[n % len(self.grain)]
        return np.clip(img, 0, 255).astype(np.uint8)

    def _street(self, n: int, t: float) -> np.ndarray:
        img = Image.fromarray(self.dusk.copy())
        d = ImageDraw.Draw(img)
        far, near = -120 * t, -420 * t  # consistent parallax: near layers move faster
        for i in range(9):
            x = int(far + i * 170)
            d.rectangle([x, 260 - (i * 37) % 90, x + 150, 560], fill=(60, 64, 80))
        for i in range(6):
            x = int(near + i * 320)
            d.rectangle([x, 330, x + 260, 720], fill=(112, 88, 70))
            for wy in range(370, 680, 80):
                for wx in (x + 30, x + 150):
                    d.rectangle([wx, wy, wx + 70, wy + 50], fill=(235, 200, 120))
        d.rectangle([0, 640, WIDTH, HEIGHT], fill=(40, 40, 44))
        return np.asarray(img)

    def _morph(self, n: int, t: float) -> np.ndarray:
        img = Image.fromarray(self.day.copy())
        d = ImageDraw.Draw(img)
        s = 0.5 - 0.5 * math.cos(math.pi * min(1.0, max(0.0, (t - 0.15) / 0.7)))
        cx, cy, pts = WIDTH / 2, HEIGHT / 2 + 20, []
        for k in range(180):
            a = 2 * math.pi * k / 180
            head = 190 * (1 + 0.12 * math.cos(2 * a)) * (0.95 + 0.05 * math.sin(5 * a))
            vase = 200 * (0.55 + 0.35 * abs(math.sin(a)) ** 3 + 0.18 * math.cos(3 * a) ** 2)
            r = head * (1 - s) + vase * s
            pts.append((cx + r * math.sin(a), cy - r * math.cos(a) * (1.15 - 0.2 * s)))
        d.polygon(pts, fill=(int(200 - 90 * s), int(170 - 40 * s), int(150 + 60 * s)))
        eye = (1 - s) * 26
        if eye > 2:
            for ex in (cx - 70, cx + 70):
                d.ellipse(
                    [ex - eye, cy - 60 - eye / 2, ex + eye, cy - 60 + eye / 2], fill=(30, 30, 40)
                )
        d.rectangle([0, 660, WIDTH, HEIGHT], fill=(70, 90, 60))
        return np.asarray(img)

    def _wall(self, n: int, t: float) -> np.ndarray:
        yy = np.arange(HEIGHT)[:, None]
        xx = np.arange(WIDTH)[None, :]
        amp = 4 + 36 * t  # the drift grows: at first nobody notices
        dx = (amp * np.sin(yy / 47.0 + n / 9.0) + amp * 0.5 * np.sin(xx / 83.0 - n / 13.0)).astype(
            np.int32
        )
        dy = (amp * 0.6 * np.sin(xx / 61.0 + n / 11.0)).astype(np.int32)
        src_y = np.clip(yy + 100 + dy, 0, self.bricks.shape[0] - 1)
        src_x = np.clip(xx + 100 + dx, 0, self.bricks.shape[1] - 1)
        return self.bricks[src_y, src_x]

    def _sign(self, n: int, t: float) -> np.ndarray:
        img = Image.fromarray(self.dusk.copy())
        d = ImageDraw.Draw(img)
        d.rectangle([0, 420, WIDTH, HEIGHT], fill=(92, 72, 60))
        d.rectangle([150, 170, 1130, 380], fill=(28, 38, 54), outline=(200, 170, 90), width=8)
        word = "BOULANGERIE"
        rng = np.random.default_rng(n // 6)  # letters hold for a quarter second, then mutate
        glyphs = "ƆΛИЯƎꟼЧЖΞΨ§¶ß0O8B"
        letters = [
            c if rng.random() > min(0.9, 0.15 + t) else glyphs[int(rng.integers(len(glyphs)))]
            for c in word
        ]
        x = 190
        for c in letters:
            d.text((x, 220), c, font=self.font, fill=(240, 205, 120))
            x += 84
        d.text((560, 470), "OUVERT", font=self.small, fill=(230, 230, 230))
        return np.asarray(img)

    def _dolly(self, n: int, t: float) -> np.ndarray:
        img = Image.fromarray(self.day.copy())
        d = ImageDraw.Draw(img)
        slide = 300 * t  # background slides the wrong way for a push-in
        for i in range(-2, 10):
            x = int(i * 180 + slide)
            d.polygon([(x, 520), (x + 90, 300 - (i % 3) * 40), (x + 180, 520)], fill=(90, 110, 130))
        scale = 1 + 1.6 * t
        w, h = 160 * scale, 260 * scale
        d.rectangle([WIDTH / 2 - w / 2, 620 - h, WIDTH / 2 + w / 2, 620], fill=(150, 60, 50))
        d.rectangle([0, 600, WIDTH, HEIGHT], fill=(80, 100, 70))
        return np.asarray(
            img.rotate(8 * t, resample=Image.Resampling.BILINEAR, fillcolor=(80, 100, 70))
        )


def write_demo_film(
    path: Path, progress: Progress = NO_PROGRESS, frames: int = FRAME_COUNT
) -> Path:
    """Encode the demo film: 1280x720, 24 fps, H.264 with B-frames (GOP 48), AAC sound."""
    painter = _Painter()
    tmp = path.with_name(path.name + ".part")
    with av.open(str(tmp), "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=RATE)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        video.thread_type = "FRAME"  # one slice per frame, as real films have
        video.options = {"preset": "veryfast", "crf": "23", "g": "48", "bf": "2"}
        audio = out.add_stream("aac", rate=48000, layout="mono")
        samples_per_frame = 48000 // int(RATE)
        for n in range(frames):
            progress.update(n, frames, _("drawing and encoding the demo film"))
            vf = av.VideoFrame.from_ndarray(painter.frame(n), format="rgb24")
            vf.pts = n
            vf.time_base = 1 / RATE
            out.mux(video.encode(vf))
            out.mux(audio.encode(_tone(n, samples_per_frame)))
        out.mux(video.encode(None))
        out.mux(audio.encode(None))
    tmp.replace(path)
    return path


def _tone(n: int, count: int) -> av.AudioFrame:
    """A quiet drone whose pitch changes with each passage, so sound is audibly there."""
    passage = next(i for i, p in enumerate(PASSAGES) if p.start <= n <= p.end)
    freq = (110.0, 147.0, 131.0, 165.0, 98.0)[passage]
    t = (np.arange(count) + n * count) / 48000.0
    wave = (0.08 * np.sin(2 * np.pi * freq * t)).astype(np.float32)[None, :]
    frame = av.AudioFrame.from_ndarray(wave, format="fltp", layout="mono")
    frame.sample_rate = 48000
    frame.pts = n * count
    return frame


def still(n: int) -> Image.Image:
    """Frame N of the demo film as drawn (before encoding), for the reference library."""
    return Image.fromarray(_Painter().frame(n))
