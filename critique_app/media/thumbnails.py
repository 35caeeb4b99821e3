"""The timeline's thumbnail strip: small JPEG stills sampled over a film.

One sequential decode of the film (decoding is the cost; scaling a sampled frame with FFmpeg
and a small JPEG are cheap), so the strip comes at nearly plain decode speed.
`db.thumbnail_store` keeps them in the project.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
from PIL import Image

from critique_app.errors import UserError
from critique_app.i18n import _
from critique_app.progress import NO_PROGRESS, Progress

THUMB_HEIGHT = 54


def sample_frames(frame_count: int, rate: float, max_count: int = 400) -> list[int]:
    """Frames to show in the strip: one per second, fewer on long films (at most `max_count`)."""
    if frame_count <= 0:
        return []
    step = max(1, round(rate), math.ceil(frame_count / max_count))
    return list(range(0, frame_count, step))


def _open(path: Path) -> Any:
    try:
        # a damaged file's tags may not be UTF-8: drop them rather than fail on them
        container = av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, OSError) as err:
        reason = getattr(err, "strerror", None) or err
        raise UserError(
            _("{name} could not be opened for thumbnails ({reason}).").format(
                name=path.name, reason=reason
            )
        ) from err
    if not container.streams.video:
        container.close()
        raise UserError(
            _("{name} has no video stream to make thumbnails from.").format(name=path.name)
        )
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    return container, stream


def _walk(
    path: Path, wanted: list[int], progress: Progress, take: Callable[[int, Any], None]
) -> int:
    """Decode `path` in order, calling `take(index, frame)` for each wanted index."""
    container, stream = _open(path)
    targets = set(wanted)
    last = max(wanted) if wanted else -1
    total = len(wanted)
    done = 0
    index = -1
    try:
        for frame in container.decode(stream):
            progress.check()  # every frame: sampled frames can be thousands apart on a long film
            index += 1
            if index in targets:
                take(index, frame)
                done += 1
                if done % 8 == 0 or done == total:
                    progress.update(done, total, _("frame {index}").format(index=index))
            if index >= last:
                break
    except av.error.FFmpegError:
        pass  # a damaged tail: keep the thumbnails decoded so far
    finally:
        container.close()
    return done


def generate_thumbnails(
    path: str | Path,
    frames: list[int],
    *,
    height: int = THUMB_HEIGHT,
    progress: Progress = NO_PROGRESS,
    on_thumbnail: Callable[[int, bytes], None] | None = None,
) -> dict[int, bytes]:
    """JPEG bytes per sampled frame index; `on_thumbnail` sees each one as soon as it exists."""
    out: dict[int, bytes] = {}

    def take(index: int, frame: Any) -> None:
        width = max(2, round(frame.width * height / frame.height / 2) * 2)
        small = frame.reformat(width=width, height=height, format="rgb24", interpolation="AREA")
        buf = io.BytesIO()
        Image.fromarray(small.to_ndarray()).save(buf, "JPEG", quality=80)
        out[index] = buf.getvalue()
        if on_thumbnail is not None:
            on_thumbnail(index, out[index])

    _walk(Path(path), frames, progress, take)
    return out


def decode_only(path: str | Path, frames: list[int], progress: Progress = NO_PROGRESS) -> int:
    """The baseline the benchmark compares with: the same decode, no thumbnail work."""
    return _walk(Path(path), frames, progress, lambda _i, _f: None)
