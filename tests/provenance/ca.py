"""Test helpers other suites may import: a local test CA, small signed media made on the spot.

`from tests.provenance.ca import signing_identity, make_clip, make_still`
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import av
import numpy as np
from PIL import Image

from critique_app.provenance.c2pa_signer import SigningIdentity, make_test_ca


@lru_cache(maxsize=1)
def signing_identity() -> SigningIdentity:
    """One test CA + leaf per test session (key generation is cheap, but keep output stable)."""
    return make_test_ca("Critique test CA", "Critique test signer")


def make_still(path: Path, colour: tuple[int, int, int] = (200, 40, 40)) -> Path:
    """A tiny picture with a gradient (so a flipped byte changes pixels)."""
    x = np.linspace(0, 255, 64, dtype=np.uint8)
    img = np.dstack([np.tile(x, (48, 1)), np.full((48, 64), colour[1], np.uint8),
                     np.full((48, 64), colour[2], np.uint8)])  # fmt: skip
    Image.fromarray(img).save(path)
    return path


def make_clip(path: Path, frames: int = 24, size: tuple[int, int] = (160, 120)) -> Path:
    """A one-second H.264 MP4 made with PyAV."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=Fraction(24))
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for i in range(frames):
            img = np.zeros((size[1], size[0], 3), np.uint8)
            img[:, : (i * 6) % size[0]] = (40, 160, 220)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path
