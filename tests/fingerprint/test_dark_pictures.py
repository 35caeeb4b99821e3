"""A lit subject on black (the Earth turning in space, a product shot on a dark set): the black
around it is picture, not bars. Cropped away in the library only, the library frame showed
the subject alone while every copy keeps the black around it (issue 24: such a clip was
missed in 8 of 9 families). Real H.264 files, the app's own fingerprinting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from critique_app.media.letterbox import detect_bars
from critique_app.provenance.matching import ReferenceItem, ReferenceLibrary
from critique_app.provenance.reference_library import hash_reference
from tests.fingerprint import material as m
from tests.fingerprint.test_robustness import match_file

SIZE = (384, 216)
N = 72
HEAD = 30


def globe(frames: int, size: tuple[int, int] = SIZE) -> list[np.ndarray]:
    """A textured disc turning slowly (its surface slides across it) on black."""
    w, h = size
    rng = np.random.default_rng(90)
    surface = m.texture(rng, h, 3 * w)
    yy, xx = np.mgrid[0:h, 0:w]
    r = np.hypot(xx - 0.55 * w, yy - h / 2) / (0.42 * h)
    disc = np.clip((1 - r) * 8, 0, 1)  # a soft limb
    out = []
    for i in range(frames):
        view = surface[:, i : i + w] * 100 * disc[..., None]
        out.append(np.clip(view, 0, 255).astype(np.uint8))
    return out


def _brighter(img: np.ndarray) -> np.ndarray:
    return np.clip(img.astype(np.int16) + 40, 0, 255).astype(np.uint8)


def _slice(img: np.ndarray, place: float, size: tuple[int, int]) -> np.ndarray:
    """A 9:16 slice of the frame at `place` (0 left edge, 1 right edge), as a vertical copy."""
    h, w = img.shape[:2]
    sw = round(h * 9 / 16)
    x = round(place * (w - sw))
    return np.asarray(Image.fromarray(img[:, x : x + sw]).resize(size, Image.Resampling.BILINEAR))


@pytest.fixture(scope="module")
def dark(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ReferenceLibrary, list]:
    folder = tmp_path_factory.mktemp("dark")
    frames = globe(N)
    ref = hash_reference(m.write_clip(folder / "earth.mp4", frames, crf=16))
    library = ReferenceLibrary([ReferenceItem(1, "earth", ref.hashes, ref.rate, ref.variants)])
    return folder, library, frames


def test_the_black_around_a_lit_subject_is_not_cropped_as_bars(dark) -> None:
    folder, _, frames = dark
    grey = [f[..., 0] for f in frames[::12]]
    assert float(np.mean(grey)) < 16  # a dark picture, as the Earth clip is
    assert detect_bars(grey) is None
    assert hash_reference(folder / "earth.mp4").crop is None
    boxed = [m.letterbox(m.rescale(f, (320, 180)) + 60, 30) for f in frames[:3]]
    assert detect_bars([f[..., 0] for f in boxed]) is not None  # a lit letterbox still is


@pytest.mark.parametrize("copy", ["brighter", "9:16 slice at 0.75"])
def test_a_dark_clip_is_found_brightened_and_reframed(dark, copy: str) -> None:
    folder, library, frames = dark
    vertical = (144, 256)
    size = vertical if copy.startswith("9:16") else SIZE
    shown = [_slice(f, 0.75, vertical) if copy.startswith("9:16") else _brighter(f) for f in frames]
    head = list(m.shot_frames(840, HEAD, size))
    tail = list(m.shot_frames(841, 24, size))
    path = m.write_clip(folder / f"{copy}.mp4", [*head, *shown, *tail])
    segments = match_file(path, library)
    assert [s.item_id for s in segments] == [1], segments
    (seg,) = segments
    assert abs(seg.start - HEAD) <= 3 and abs(seg.end - (HEAD + N - 1)) <= 3, seg
