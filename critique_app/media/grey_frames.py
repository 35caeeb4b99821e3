"""Decode a film into small grey frames, fast: the input of fingerprints and shot detection.

FFmpeg does the heavy lifting (multi-threaded decode, letterbox crop by a zero-copy `crop`
filter, area scaling to 64x64 grey); Python only collects the results into NumPy batches.
Frames are numbered by presentation order through the stream's packet timestamps, so a
decode that starts at a keyframe in the middle still knows which frame it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from critique_app.errors import UserError
from critique_app.i18n import _

GREY_SIDE = 64  # shots compare 64x64 frames; pHash uses them pooled to 32x32
SCALER = "AREA"  # never FAST_BILINEAR: it aliases and moves pHash by up to 16 bits
BATCH = 256  # frames hashed together: large enough for NumPy, small enough for progress
TEXT_FORMATS = {"tty"}
TEXT_CODECS = {"ansi", "bintext", "xbin", "idf"}


@dataclass(frozen=True)
class Crop:
    """The picture inside letterbox/pillarbox bars, in pixels of the decoded frame."""

    x: int
    y: int
    width: int
    height: int

    def to_json(self) -> list[int]:
        return [self.x, self.y, self.width, self.height]

    @classmethod
    def from_json(cls, value: list[int] | None) -> Crop | None:
        return cls(*value) if value else None


@dataclass(frozen=True)
class StreamLayout:
    """What demuxing alone tells about a video stream (no decoding)."""

    pts: list[int] | None  # presentation order; None when the container gives no timestamps
    keyframes: list[int]  # frame indices where decoding can start
    frame_count: int
    width: int
    height: int
    rate: Fraction
    declared: int = 0  # frames the container's index announces (0: unknown)

    @property
    def cut_short(self) -> bool:
        return self.declared > self.frame_count

    def index_of(self) -> dict[int, int]:
        return {p: i for i, p in enumerate(self.pts or [])}


class DecodingStopped(Exception):
    """The file stopped decoding before its end; `frames_done` frames were delivered."""

    def __init__(self, path: Path, frames_done: int, reason: str) -> None:
        super().__init__(
            _(
                "{name} stopped decoding at frame {frame} ({reason}); the frames before it "
                "were kept."
            ).format(name=path.name, frame=frames_done, reason=reason)
        )
        self.frames_done = frames_done


def open_video(path: str | Path) -> tuple[av.container.InputContainer, av.VideoStream]:
    """Open a file's first video stream, or raise a UserError naming the problem."""
    path = Path(path)
    if not path.is_file():
        raise UserError(_("{path} does not exist.").format(path=path))
    try:
        # a damaged file's tags may not be UTF-8: drop them rather than fail on them
        container = av.open(str(path), metadata_errors="ignore")
    except av.FFmpegError as err:
        raise UserError(
            _("{name} is not a readable image or video ({reason}).").format(
                name=path.name, reason=err.strerror
            )
        ) from err
    if not container.streams.video:
        container.close()
        raise UserError(_("{name} has no video stream.").format(name=path.name))
    stream = container.streams.video[0]
    # FFmpeg renders plain text files (.txt, .nfo) as "ANSI art" video: that is not a picture.
    if container.format.name in TEXT_FORMATS or stream.codec_context.name in TEXT_CODECS:
        container.close()
        raise UserError(_("{name} is a text file, not an image or a video.").format(name=path.name))
    return container, stream


def check_frames(path: Path, layout: StreamLayout, *frames: int) -> None:
    """Raise a UserError naming the first of `frames` the film does not have."""
    for frame in frames:
        if not 0 <= frame < layout.frame_count:
            raise UserError(
                _("{path} has frames 0 to {last}; frame {index} does not exist.").format(
                    path=path, last=layout.frame_count - 1, index=frame
                )
            )


def read_layout(path: str | Path) -> StreamLayout:
    """Packet timestamps in presentation order and keyframe positions, by demuxing only."""
    container, stream = open_video(path)
    try:
        pts: list[int] = []
        key_pts: set[int] = set()
        missing = False
        count = 0
        for packet in container.demux(stream):
            if packet.size == 0 or packet.is_discard:
                continue
            count += 1
            if packet.pts is None:
                missing = True
                continue
            pts.append(packet.pts)
            if packet.is_keyframe:
                key_pts.add(packet.pts)
        rate = stream.average_rate or stream.guessed_rate or Fraction(25)
        width, height = stream.codec_context.width, stream.codec_context.height
        declared = stream.frames or 0
    except av.FFmpegError:
        count = len(pts)  # a damaged tail: keep what was readable
        missing = missing or not pts
        rate, width, height = Fraction(25), stream.codec_context.width, stream.codec_context.height
        declared = stream.frames or 0
    finally:
        container.close()
    if missing:
        return StreamLayout(None, [0], count, width, height, Fraction(rate), declared)
    pts.sort()
    keyframes = [i for i, p in enumerate(pts) if p in key_pts] or [0]
    return StreamLayout(pts, keyframes, len(pts), width, height, Fraction(rate), declared)


def _cropper(stream: av.VideoStream, crop: Crop | None) -> av.filter.Graph | None:
    """A filter graph that only moves plane pointers (FFmpeg's `crop` copies nothing)."""
    if crop is None:
        return None
    graph = av.filter.Graph()
    ctx = stream.codec_context
    src = graph.add_buffer(
        width=ctx.width, height=ctx.height, format=ctx.format, time_base=stream.time_base
    )
    cut = graph.add("crop", f"{crop.width}:{crop.height}:{crop.x}:{crop.y}:exact=1")
    sink = graph.add("buffersink")
    src.link_to(cut)
    cut.link_to(sink)
    graph.configure()
    return graph


def grey_batches(
    path: str | Path,
    *,
    start: int = 0,
    stop: int | None = None,
    crop: Crop | None = None,
    layout: StreamLayout | None = None,
    batch: int | None = None,
    check: Callable[[], None] | None = None,
    threads: int | None = None,
    size: tuple[int, int] = (GREY_SIDE, GREY_SIDE),
    watch: Callable[[int, av.VideoFrame], None] | None = None,
) -> Iterator[tuple[int, NDArray[np.uint8]]]:
    """Yield (first frame index, N x 64 x 64 grey frames) for frames start..stop-1 in order.

    `size` (width, height) asks for larger grey frames: the lenses work at about 480 px wide.

    Raises DecodingStopped after the last good batch when the file breaks off early.
    `check()` runs after every decoded frame (a Cancel raises there: a 2-hour film stops at
    once, not at the end of a batch). `watch(n, frame)` sees the n-th decoded frame, uncropped
    (letterbox detection on the frames this pass decodes anyway).
    """
    path = Path(path)
    layout = layout or read_layout(path)
    stop = layout.frame_count if stop is None else min(stop, layout.frame_count)
    index_of = layout.index_of()
    container, stream = open_video(path)
    stream.thread_type = "AUTO"  # the default (SLICE) does not parallelise ordinary H.264
    if threads is not None:
        stream.codec_context.thread_count = threads
    graph = _cropper(stream, crop)
    batch = batch or BATCH
    width, height = size
    buf = np.empty((batch, height, width), dtype=np.uint8)
    filled, first, expected, decoded = 0, start, start, 0
    try:
        if start > 0 and layout.pts is not None:
            key = max(k for k in layout.keyframes if k <= start)
            container.seek(layout.pts[key], stream=stream, backward=True)
            expected = key
        elif start > 0:
            raise ValueError(_("cannot start in the middle of a file without timestamps"))
        try:
            for frame in container.decode(stream):
                if check is not None:
                    check()
                if watch is not None:
                    watch(decoded, frame)
                    decoded += 1
                index = index_of.get(frame.pts, expected) if frame.pts is not None else expected
                expected = index + 1
                if index < start:
                    continue
                if index >= stop:
                    break
                if index < first + filled:  # a repeated timestamp: keep the first picture
                    continue
                if graph is not None:
                    graph.vpush(frame)
                    frame = graph.vpull()
                small = frame.reformat(width, height, "gray", interpolation=SCALER, threads=1)
                # A frame the decoder dropped (damaged packet) is replaced by the next picture.
                for _repeat in range(index - (first + filled) + 1):
                    buf[filled] = small.to_ndarray()
                    filled += 1
                    if filled == batch:
                        yield first, buf.copy()
                        first, filled = first + filled, 0
        except av.FFmpegError as err:
            if filled:
                yield first, buf[:filled].copy()
            raise DecodingStopped(
                path, first + filled, err.strerror or _("decoding error")
            ) from err
        if filled:
            yield first, buf[:filled].copy()
        if first + filled < stop:
            raise DecodingStopped(path, first + filled, _("the file ends early"))
    finally:
        container.close()
