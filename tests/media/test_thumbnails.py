"""The thumbnail strip: one JPEG per sampled frame, read back by Pillow; cancel stops at once."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import av
import pytest
from PIL import Image

from critique_app.errors import Cancelled
from critique_app.media.thumbnails import THUMB_HEIGHT, generate_thumbnails, sample_frames
from critique_app.progress import Progress


def test_one_jpeg_per_sampled_frame(clip: Callable[[str], Path]) -> None:
    path = clip("h264_open_gop")  # 180 frames at 24 fps, 176x144
    with av.open(str(path)) as container:  # PyAV's own count, not ours
        count = sum(1 for _ in container.decode(video=0))
    frames = sample_frames(count, 24.0)
    assert frames == list(range(0, count, 24))
    seen: list[tuple[int, int]] = []
    made = generate_thumbnails(
        path, frames, progress=Progress(lambda d, t, _m: seen.append((d, t)))
    )
    assert sorted(made) == frames
    for jpeg in made.values():
        image = Image.open(io.BytesIO(jpeg))
        assert image.format == "JPEG"
        assert image.height == THUMB_HEIGHT
        assert image.width == round(176 * THUMB_HEIGHT / 144 / 2) * 2  # aspect kept, even width
    assert seen[-1] == (len(frames), len(frames))


def test_cancel_is_seen_on_the_next_decoded_frame(clip: Callable[[str], Path]) -> None:
    """Sampled frames can be thousands of frames apart: cancelling must not wait for the next one."""
    path = clip("h264_open_gop")
    progress = Progress()
    taken: list[int] = []

    def on_thumbnail(index: int, _jpeg: bytes) -> None:
        taken.append(index)
        progress.cancel()

    with pytest.raises(Cancelled):
        generate_thumbnails(path, [0, 179], progress=progress, on_thumbnail=on_thumbnail)
    assert taken == [0]
