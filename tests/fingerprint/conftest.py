"""Generated material shared by the fingerprint tests (made once per session, small)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tests.fingerprint import material as m

SOURCE_SEEDS = 100
HEAD = [201, 202]
TAIL = [203, 204]


@dataclass
class MatchMaterial:
    folder: Path
    source: Path  # the library clip
    source_frames: int
    films: dict[str, Path]  # transform name -> film embedding the transformed source
    first: int  # where the source starts in every film
    unrelated: Path
    still: Path  # an unrelated still (a library distractor)


TRANSFORMS = {
    "reencode-low-bitrate": (lambda f: f, {"bitrate": 120_000}),
    "640x360": (lambda f: m.rescale(f, (640, 360)), {}),
    "colour-grade": (m.grade, {}),
    "letterbox": (m.letterbox, {}),
    "crop-5%": (m.crop, {}),
    "mirror": (m.mirror, {}),
}


@pytest.fixture(scope="session")
def match_material(tmp_path_factory: pytest.TempPathFactory) -> MatchMaterial:
    folder = tmp_path_factory.mktemp("match")
    source = m.shot(SOURCE_SEEDS, 48)
    head, tail = m.footage(HEAD, [20, 16]), m.footage(TAIL, [18, 18])
    films = {}
    for name, (transform, options) in TRANSFORMS.items():
        films[name] = m.write_clip(
            folder / f"{name}.mp4", [transform(f) for f in [*head, *source, *tail]], **options
        )
    unrelated = m.write_clip(folder / "unrelated.mp4", m.footage([301, 302, 303], [40, 40, 40]))
    return MatchMaterial(
        folder,
        m.write_clip(folder / "source.mp4", source, crf=16),
        len(source),
        films,
        len(head),
        unrelated,
        m.write_still(folder / "distractor.png", m.shot(400, 1)[0]),
    )


@pytest.fixture(scope="session")
def textured_grey() -> np.ndarray:
    """Many 32x32 grey frames of the kinds a film has: textured, flat, dark, gradients."""
    rng = np.random.default_rng(5)
    frames = [
        np.asarray(picture.mean(axis=2), np.uint8)[11:43, 32:64]
        for s in range(30)
        for picture in m.shot(s, 12, (96, 54))[::4]
    ]
    frames += [np.full((32, 32), v, np.uint8) for v in (0, 16, 128, 255)]
    frames += [rng.integers(0, 256, (32, 32), dtype=np.uint8) for _ in range(100)]
    frames += [
        np.clip(np.add.outer(np.arange(32), np.arange(32)) * k, 0, 255).astype(np.uint8)
        for k in (0.5, 1, 3, 4)
    ]
    return np.stack(frames)
