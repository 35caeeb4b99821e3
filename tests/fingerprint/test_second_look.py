"""The second look at the original (provenance.source_pictures) keeps its frames only where its
pictures tell them apart: on dim product shots (issue 24, set C 4:5 source 9) the pictures
decoded again are as far from every frame and a path through them follows noise."""

from __future__ import annotations

import numpy as np

from critique_app.media.fingerprint import phash_batch
from critique_app.provenance.source_pictures import tells_apart
from tests.fingerprint import material as m

THRESHOLD = 10  # bits: a frame threshold of the matching


def _hashes(pictures: list[np.ndarray]) -> np.ndarray:
    grey = np.stack([m.rescale(p, (32, 32)).mean(axis=2) for p in pictures])
    return phash_batch(grey.astype(np.uint8), mirror=False)[0]


def test_a_moving_shot_is_told_apart_from_itself_moved_a_few_frames() -> None:
    shot = _hashes(m.shot(700, 60))
    shown = np.arange(20, 40)
    assert tells_apart(shot[None, :], shown, [shot[shown]], THRESHOLD)


def test_grain_alone_is_not() -> None:
    # Every frame its own grain and nothing else: each row is as far from all of them.
    rng = np.random.default_rng(7)
    noise = [rng.integers(0, 256, (32, 32, 3), dtype=np.uint8) for _ in range(80)]
    grid, copy = _hashes(noise[:60]), _hashes(noise[60:])
    assert not tells_apart(grid[None, :], np.arange(20, 40), [copy], THRESHOLD)
