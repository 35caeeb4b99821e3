"""Find letterbox (top/bottom) and pillarbox (left/right) bars, so hashes see only the picture.

Bars move a 64-bit pHash by 12-30 bits; cropped away, the same picture hashes within a few
bits. Bars are found on a few frames spread over the film: a row or column is a bar when it
is black in every sampled frame that is not black as a whole (fades do not count).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from critique_app.media.grey_frames import Crop, StreamLayout, open_video, read_layout

DARK_MEAN = 24  # grey level (0-255, full range) a bar row stays under on average...
DARK_MAX = 56  # ...and everywhere, allowing for compression ringing at the edge
MIN_BAR = 0.01  # bars thinner than 1% of the side are encoder padding, not letterbox
DARK_FRAME = 16.0  # mean grey under which a frame says nothing about bars (as regions.run_bars:
# the black around the Earth turning in space is not a bar; cropped in the library only, it
# left the library frame a picture of the globe alone where every copy keeps the sky, issue 24)
MIN_PICTURE = 0.3  # never crop to less than 30% of a side
# (a 9:16 phone clip pillarboxed into 16:9 keeps 32% of the width: left uncropped, its bars
# brought it within 4 bits of a dark library shot, issue 24)
SAMPLE_WIDTH = 480  # bars are looked for on pictures reduced to about this width
SAMPLES = 9  # frames spread over the film


def _dark_lines(grey: NDArray[np.uint8], axis: int) -> NDArray[np.bool_]:
    return (grey.mean(axis=axis) <= DARK_MEAN) & (grey.max(axis=axis) <= DARK_MAX)


def _leading(flags: NDArray[np.bool_]) -> int:
    """How many True values the array starts with."""
    false = np.flatnonzero(~flags)
    return int(false[0]) if len(false) else len(flags)


def detect_bars(frames: Sequence[NDArray[np.uint8]]) -> Crop | None:
    """The crop that removes bars common to all full-resolution grey frames, else None."""
    if not frames:
        return None
    height, width = frames[0].shape
    top = bottom = left = right = None
    for grey in frames:
        rows, cols = _dark_lines(grey, 1), _dark_lines(grey, 0)
        if rows.all() or cols.all() or grey.mean() <= DARK_FRAME:  # nor does a dark one
            continue
        t, b = _leading(rows), _leading(rows[::-1])
        lf, r = _leading(cols), _leading(cols[::-1])
        top = t if top is None else min(top, t)
        bottom = b if bottom is None else min(bottom, b)
        left = lf if left is None else min(left, lf)
        right = r if right is None else min(right, r)
    if top is None or bottom is None or left is None or right is None:
        return None
    top, bottom = (v if v >= MIN_BAR * height else 0 for v in (top, bottom))
    left, right = (v if v >= MIN_BAR * width else 0 for v in (left, right))
    # Even edges keep chroma planes aligned for the crop filter; rounding inward drops any
    # half-dark line at the bar's edge.
    top, left = top + top % 2, left + left % 2
    bottom, right = bottom + bottom % 2, right + right % 2
    w, h = width - left - right, height - top - bottom
    if (
        (top, bottom, left, right) == (0, 0, 0, 0)
        or w < MIN_PICTURE * width
        or h < MIN_PICTURE * height
    ):
        return None
    return Crop(left, top, w, h)


def sample_frames(
    path: str | Path, layout: StreamLayout | None = None, count: int = SAMPLES
) -> list[NDArray[np.uint8]]:
    """Grey pictures (at most SAMPLE_WIDTH wide) of up to `count` frames spread over the film.

    Keyframes are used where there are enough of them (a seek lands there without decoding a
    whole group of pictures); otherwise frames from the first few seconds."""
    layout = layout or read_layout(path)
    container, stream = open_video(path)
    factor = _factor(layout.width)
    frames: list[NDArray[np.uint8]] = []
    try:
        keys = layout.keyframes
        if layout.pts is not None and not decodes_from_start(layout, count):
            # One frame per seek: frame threads would make each seek decode several frames.
            stream.thread_type = "SLICE"
            picks = [keys[round(i * (len(keys) - 1) / (count - 1))] for i in range(count)]
            for index in dict.fromkeys(picks):
                container.seek(layout.pts[index], stream=stream, backward=True)
                # Decode the keyframe's packet alone and drain: no waiting for the packets
                # a decoder with B-frame delay would otherwise want first.
                packet = next((p for p in container.demux(stream) if p.size), None)
                if packet is None:
                    continue
                ctx = stream.codec_context
                decoded = [*ctx.decode(packet), *ctx.decode(None)]
                ctx.flush_buffers()
                if decoded:
                    frames.append(_grey(decoded[0], factor))
        else:
            stream.thread_type = "AUTO"
            first = _first_picks(layout, count)
            for i, frame in enumerate(container.decode(stream)):
                if i in first:
                    frames.append(_grey(frame, factor))
                if len(frames) >= count:
                    break
    except (av.FFmpegError, StopIteration):
        pass  # a damaged file: decide on what was readable
    finally:
        container.close()
    return frames


def decodes_from_start(layout: StreamLayout, count: int = SAMPLES) -> bool:
    """Whether the samples are frames from the first seconds (too few keyframes to seek to)."""
    return layout.pts is None or len(layout.keyframes) < count


def _first_picks(layout: StreamLayout, count: int) -> range:
    every = max(1, min(layout.frame_count, 400) // count)
    return range(0, every * count, every)


class BarsOnTheWay:
    """Bars found on the frames a pass from the film's start decodes anyway: the same sampled
    frames as `detect_film_bars`, hence the same crop, without decoding them a second time.

    `see` each decoded frame (uncropped, in decoding order); `decided` once the samples are
    in (or `decide()` when the film ended first), then `crop` is the film's crop."""

    def __init__(self, layout: StreamLayout, count: int = SAMPLES) -> None:
        self.layout, self.count = layout, count
        self.picks = _first_picks(layout, count)
        self.frames: list[NDArray[np.uint8]] = []
        self.decided = False
        self.crop: Crop | None = None

    def see(self, decoded: int, frame: av.VideoFrame) -> None:
        if self.decided or decoded not in self.picks:
            return
        self.frames.append(_grey(frame, _factor(self.layout.width)))
        if len(self.frames) >= self.count:
            self.decide()

    def decide(self) -> None:
        if not self.decided:
            self.crop = _in_film_pixels(detect_bars(self.frames), self.layout)
            self.decided = True


def _factor(width: int) -> int:
    return max(1, width // SAMPLE_WIDTH)


def _grey(frame: av.VideoFrame, factor: int) -> NDArray[np.uint8]:
    small = frame.reformat(
        frame.width // factor, frame.height // factor, "gray", interpolation="AREA"
    )
    return np.asarray(small.to_ndarray(), dtype=np.uint8)


def detect_film_bars(path: str | Path, layout: StreamLayout | None = None) -> Crop | None:
    """Letterbox/pillarbox crop of a film (None when it has no bars), in the film's pixels.

    Found on reduced pictures: a row half bar, half picture is not dark there, so the crop
    errs on keeping up to `factor - 1` dark lines, never on cutting picture."""
    layout = layout or read_layout(path)
    return _in_film_pixels(detect_bars(sample_frames(path, layout)), layout)


def _in_film_pixels(found: Crop | None, layout: StreamLayout) -> Crop | None:
    f = _factor(layout.width)
    if found is None or f == 1:
        return found
    right = (layout.width // f - found.x - found.width) * f
    bottom = (layout.height // f - found.y - found.height) * f
    x, y = found.x * f, found.y * f
    return Crop(x, y, layout.width - x - right, layout.height - y - bottom)
