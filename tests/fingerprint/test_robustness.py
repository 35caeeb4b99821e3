"""Matching survives what festivals and essays do to pictures (VSC 2022 families), on small
generated clips: each copy is a transformed excerpt between unrelated shots, found at the
right place by the app's own fingerprinting (real FFmpeg decode, real H.264 files)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from critique_app.media.film_hashes import _concat, hash_film
from critique_app.media.grey_frames import read_layout
from critique_app.media.letterbox import detect_film_bars
from critique_app.provenance.matching import (
    MatchSegment,
    ReferenceItem,
    ReferenceLibrary,
)
from critique_app.provenance.reference_library import hash_reference
from critique_app.services.fingerprinting import segments_of_prints
from tests.fingerprint import material as m

SIZE = (256, 144)  # 16:9
N = 60  # source frames (2.5 s at 24 fps)
HEAD = 30  # unrelated frames before the excerpt


def _resize(img: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    return np.asarray(Image.fromarray(img).resize(size, Image.Resampling.BILINEAR))


def _boxed(img: np.ndarray, inner: tuple[int, int]) -> np.ndarray:
    w, h = SIZE
    out = np.zeros((h, w, 3), np.uint8)
    y, x = (h - inner[1]) // 2, (w - inner[0]) // 2
    out[y : y + inner[1], x : x + inner[0]] = _resize(img, inner)
    return out


def _subtitled(img: np.ndarray, i: int) -> np.ndarray:
    pil = Image.fromarray(img)
    d = ImageDraw.Draw(pil)
    text = ["Where is the light coming from?", "It was gone when we arrived."][(i // 30) % 2]
    d.text((20, SIZE[1] - 22), text, fill=(255, 255, 255), stroke_width=2, stroke_fill=(0, 0, 0))
    return np.asarray(pil)


def _crop(img: np.ndarray, fx: float, fy: float, ox: float = 0.3, oy: float = 0.6) -> np.ndarray:
    h, w = img.shape[:2]
    cw, ch = round(w * (1 - fx)), round(h * (1 - fy))
    x, y = round(ox * (w - cw)), round(oy * (h - ch))
    return _resize(img[y : y + ch, x : x + cw], SIZE)


def _overlays(img: np.ndarray, i: int) -> np.ndarray:
    pil = Image.fromarray(img)
    d = ImageDraw.Draw(pil, "RGBA")
    d.rectangle((4, 4, 90, 18), fill=(0, 0, 0, 170))
    d.text((8, 5), f"01:00:{i // 24:02d}:{i % 24:02d}", fill=(255, 255, 255))  # timecode
    d.rounded_rectangle((SIZE[0] - 50, 6, SIZE[0] - 6, 19), 4, fill=(255, 255, 255, 140))  # logo
    d.ellipse((212, 100, 242, 130), fill=(255, 204, 0))  # an emoji-like sticker
    return np.asarray(pil)


def _press_copy(img: np.ndarray, i: int) -> np.ndarray:
    """A screener's burned-in words across the middle (translucent) and a sticker."""
    from PIL import ImageFont

    pil = Image.fromarray(img)
    d = ImageDraw.Draw(pil, "RGBA")
    font = ImageFont.load_default(size=22)  # Pillow's own scalable font: same on every machine
    d.text((40, SIZE[1] // 2 - 12), "PRESS COPY", font=font, fill=(255, 255, 255, 120))
    d.ellipse((190, 84, 222, 116), fill=(255, 204, 0), outline=(90, 60, 0))  # a sticker
    return np.asarray(pil)


def _grey_gamma(img: np.ndarray) -> np.ndarray:
    x = (img.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)) / 255
    return (np.repeat(x[..., None] ** 1.4, 3, axis=2) * 255).astype(np.uint8)


def _blur_noise(img: np.ndarray, i: int) -> np.ndarray:
    from PIL import ImageFilter

    small = Image.fromarray(img).filter(ImageFilter.GaussianBlur(1.5))
    noise = np.random.default_rng(i).normal(0, 8, (SIZE[1], SIZE[0], 1))
    return np.clip(np.asarray(small) + noise, 0, 255).astype(np.uint8)


def _rotate(img: np.ndarray) -> np.ndarray:
    return np.asarray(Image.fromarray(img).rotate(4, Image.Resampling.BILINEAR))


@dataclass(frozen=True)
class Case:
    picture: Callable[[np.ndarray, int], np.ndarray]  # (source picture, index) -> film picture
    step: float = 1.0  # source frames per film frame (speed)
    variant: str = "plain"
    source: str = "wide"  # which library clip: 16:9 or 4:3
    options: tuple[tuple[str, int], ...] = ()  # encoder options of the copy


# Where the picture-in-picture cases put the inset: (scale, x, y) in pixels of SIZE.
PIP_PLACES = {
    "picture-in-picture-50%": (0.5, 100, 24),
    "picture-in-picture-40%-in-a-corner": (0.4, 256 - 102, 144 - 58),  # touches two edges
    "picture-in-picture-60%-on-the-left-edge": (0.6, 0, 30),  # touches one edge
}


def _pip(img: np.ndarray, i: int, bg: list[np.ndarray], name: str) -> np.ndarray:
    out = bg[i % len(bg)].copy()
    scale, x, y = PIP_PLACES[name]
    pw, ph = round(SIZE[0] * scale), round(SIZE[1] * scale)
    out[y : y + ph, x : x + pw] = _resize(img, (pw, ph))
    return out


CASES: dict[str, Case] = {
    # AI insert letterboxed (2.39:1) only inside the insert, in a full-frame film
    "letterboxed-insert": Case(lambda f, i: _boxed(f, (256, 107))),
    # a 4:3 insert pillarboxed in a 16:9 film
    "4:3-insert-in-16:9": Case(lambda f, i: _boxed(f, (192, 144)), source="4:3"),
    "windowbox": Case(lambda f, i: _boxed(f, (204, 114))),
    "crop-12%-with-subtitles": Case(lambda f, i: _subtitled(_crop(f, 0.12, 0.12), i)),
    "crop-20%-and-stretch": Case(lambda f, i: _crop(f, 0.2, 0.08, 0.8, 0.2)),
    # pictures set below (PIP_PLACES)
    "picture-in-picture-50%": Case(lambda f, i: f, variant="inset"),
    "picture-in-picture-40%-in-a-corner": Case(lambda f, i: f, variant="inset"),
    "picture-in-picture-60%-on-the-left-edge": Case(lambda f, i: f, variant="inset"),
    "overlays-timecode-logo-emoji": Case(_overlays),
    "overlays-press-copy-across-the-middle": Case(_press_copy),
    "blur-noise-low-bitrate": Case(_blur_noise, options=(("bitrate", 90_000),)),
    "grayscale-gamma": Case(lambda f, i: _grey_gamma(f)),
    "hflip": Case(lambda f, i: np.ascontiguousarray(f[:, ::-1]), variant="mirror"),
    "rotation-4deg": Case(lambda f, i: _rotate(f)),
    "speed-2x": Case(lambda f, i: f, step=2.0),
    "speed-0.5x": Case(lambda f, i: f, step=0.5),
    "conform-24-to-30-with-drops": Case(lambda f, i: f, step=0.8 * 1.1),
}


@dataclass
class Material:
    library: ReferenceLibrary
    films: dict[str, tuple[Path, int, int]]  # case -> (film, first, last excerpt frame)
    unrelated: Path


@pytest.fixture(scope="module")
def robust(tmp_path_factory: pytest.TempPathFactory) -> Material:
    folder = tmp_path_factory.mktemp("robust")
    wide = list(m.shot_frames(800, N, (384, 216)))
    narrow = list(m.shot_frames(801, N, (288, 216)))  # 4:3 material
    sources = {"wide": wide, "4:3": narrow}
    items = []
    for k, (name, frames) in enumerate(sources.items()):
        ref = hash_reference(m.write_clip(folder / f"src-{k}.mp4", frames, crf=16))
        items.append(ReferenceItem(k + 1, name, ref.hashes, ref.rate, ref.variants))
    library = ReferenceLibrary(items)
    head = list(m.shot_frames(820, HEAD, SIZE))
    tail = list(m.shot_frames(821, 24, SIZE))
    background = list(m.shot_frames(822, N, SIZE))
    films = {}
    for name, case in CASES.items():
        src = sources[case.source]
        picks = [int(i * case.step) for i in range(int((N - 1) / case.step) + 1)]
        if name.startswith("conform"):
            picks = [p for j, p in enumerate(picks) if j % 9 != 4]  # dropped frames
        if name.startswith("picture"):
            shown = [_pip(src[p], j, background, name) for j, p in enumerate(picks)]
        else:
            shown = [case.picture(_resize(src[p], SIZE), j) for j, p in enumerate(picks)]
        path = m.write_clip(folder / f"{name}.mp4", [*head, *shown, *tail], **dict(case.options))
        films[name] = (path, HEAD, HEAD + len(shown) - 1)
    unrelated = m.write_clip(
        folder / "unrelated.mp4", m.footage([830, 831, 832], [50, 50, 50], SIZE)
    )
    return Material(library, films, unrelated)


def match_file(path: Path, library: ReferenceLibrary) -> list[MatchSegment]:
    layout = read_layout(path)
    runs = [r for r in hash_film(path, layout, crop=detect_film_bars(path, layout)) if len(r)]
    return segments_of_prints(_concat(runs, 0, None), library, layout.rate)  # as the app matches


@pytest.mark.parametrize("name", list(CASES))
def test_each_family_is_found_where_it_is(robust: Material, name: str) -> None:
    case = CASES[name]
    path, first, last = robust.films[name]
    segments = match_file(path, robust.library)
    expected = 1 if case.source == "wide" else 2
    assert [s.item_id for s in segments] == [expected], segments
    (seg,) = segments
    assert abs(seg.start - first) <= 3 and abs(seg.end - last) <= 3, (seg, first, last)
    assert seg.variant == case.variant
    assert seg.median_distance <= seg.threshold


def test_speed_is_followed_in_the_item_range(robust: Material) -> None:
    path, first, last = robust.films["speed-2x"]
    (seg,) = match_file(path, robust.library)
    assert seg.item_end - seg.item_start >= 1.6 * (seg.end - seg.start)


def test_unrelated_footage_stays_silent(robust: Material) -> None:
    assert match_file(robust.unrelated, robust.library) == []
