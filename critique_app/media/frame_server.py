"""Exact frames by index on PyAV: seek to the keyframe before, decode forward to the frame's PTS.

Stepping forward keeps decoding from where the decoder stands; stepping backward is served from
the cached group of pictures (a whole GOP is kept when it is decoded). One lock guards the
decoder, so the GUI thread and a worker may share a server.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from critique_app.domain.timecode import frame_to_smpte
from critique_app.errors import UserError
from critique_app.media import packets
from critique_app.media.probe import MediaInfo, probe

_RGB_KEPT = 4  # converted pictures kept for repeated asks (GUI and a worker on the same frame)


@dataclass(frozen=True)
class Frame:
    """One decoded picture and where it sits in the film.

    `image` is shared with the server's small cache of recent pictures: copy it before drawing
    on it. It is not rotated: apply `MediaInfo.rotation` when showing it.
    """

    index: int
    pts: int
    time: Fraction  # seconds from the first frame
    image: np.ndarray  # H x W x 3 uint8 RGB, full resolution, C-contiguous


class _Run:
    """One decoding pass started at a keyframe: yields (index, frame) in presentation order."""

    def __init__(self, frames: Iterator[tuple[int, av.VideoFrame]], start: int) -> None:
        self.frames = frames
        self.start = start  # index of the keyframe it started from
        self.last = start - 1  # index of the last frame it delivered
        self.ended = False  # reached the end of the file


class FrameServer:
    """Exact frames of one film by index (presentation order, 0-based)."""

    def __init__(
        self, path: str | Path, info: MediaInfo | None = None, cache_frames: int = 96
    ) -> None:
        self.path = Path(path)
        self.info = info if info is not None else probe(self.path)
        table = packets.scan(self.path)
        self.pts: list[int] = list(table.pts)
        self._time_base = table.time_base
        self._index_of = {pts: index for index, pts in enumerate(self.pts)}
        self._decode_rank = table.decode_rank
        self._keys = sorted(self._index_of[pts] for pts in table.key_pts) or [0]
        self._cache_frames = max(2, cache_frames)
        self._cache: OrderedDict[int, av.VideoFrame] = OrderedDict()
        self._rgb: OrderedDict[int, Frame] = OrderedDict()
        self._lock = threading.RLock()
        self._run: _Run | None = None
        self.decodable_until: int | None = None
        self._container = av.open(str(self.path), metadata_errors="ignore")
        self._stream = self._container.streams.video[0]
        self._stream.thread_type = "AUTO"

    # -- public ------------------------------------------------------------------------------

    def frame(self, index: int) -> Frame:
        """The exact frame `index`; UserError past the end or where the file stops decoding."""
        with self._lock:
            self._check_index(index)
            if index in self._rgb:
                self._rgb.move_to_end(index)
                return self._rgb[index]
            picture = self._cache.get(index)
            if picture is None:
                picture = self._decode_to(index)
            else:
                self._cache.move_to_end(index)
            return self._remember(index, picture)

    def frame_at_time(self, seconds: float) -> Frame:
        return self.frame(self.index_at_time(seconds))

    def index_at_time(self, seconds: float) -> int:
        """The frame shown at that instant (seconds from the first frame), from the PTS table."""
        target = self.pts[0] + Fraction(seconds) / self._time_base
        if isinstance(seconds, float) and abs(target - round(target)) < Fraction(1, 10**6):
            target = Fraction(round(target))  # binary noise: a frame's own start time may be short
        return max(0, min(len(self.pts) - 1, bisect.bisect_right(self.pts, target) - 1))

    def time_of(self, index: int) -> Fraction:
        """Seconds from the first frame to frame `index` (its real timestamp, VFR-safe)."""
        return (self.pts[index] - self.pts[0]) * self._time_base

    def close(self) -> None:
        with self._lock:
            self._drop_run()
            self._cache.clear()
            self._rgb.clear()
            self._container.close()

    def __enter__(self) -> FrameServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- decoding ----------------------------------------------------------------------------

    def _check_index(self, index: int) -> None:
        count = len(self.pts)
        if not 0 <= index < count:
            raise UserError(
                f"{self.path} has frames 0 to {count - 1}; frame {index} does not exist."
            )
        if self.decodable_until is not None and index >= self.decodable_until:
            raise UserError(self._broken_sentence(self.decodable_until))

    def _broken_sentence(self, index: int) -> str:
        info = self.info
        timecode = frame_to_smpte(
            index, info.rate, drop_frame=info.drop_frame, start=info.start_frame
        )
        return (
            f"{self.path} stops decoding at frame {index} ({timecode}); "
            "the frames from there on cannot be shown."
        )

    def _key_before(self, index: int) -> int:
        return self._keys[bisect.bisect_right(self._keys, index) - 1]

    def _decode_to(self, index: int) -> av.VideoFrame:
        key = self._key_before(index)
        run = self._run
        # Keep decoding when the target lies ahead with no keyframe in between: a seek would only
        # restart the same work (this is what makes a forward step one frame's decode).
        if run is None or run.ended or not (run.last < index and key <= run.last + 1):
            run = self._start_run(key)
        for found, picture in run.frames:
            run.last = found
            self._store(found, picture)
            if found == index:
                return picture
            if found > index:
                break  # the target never came out: its data is damaged
        else:  # the file ended before the target: it stops decoding there
            run.ended = True
            self._run = None
            self.decodable_until = max(run.start, min(index, run.last + 1))
            raise UserError(self._broken_sentence(self.decodable_until))
        raise UserError(f"{self.path}: frame {index} is damaged and cannot be decoded.")

    def _start_run(self, key: int) -> _Run:
        self._drop_run()
        run = _Run(self._frames_from(key), key)
        self._run = run
        return run

    def _drop_run(self) -> None:
        if self._run is not None:
            self._run.frames.close()  # type: ignore[attr-defined]
            self._run = None

    def _frames_from(self, key: int) -> Iterator[tuple[int, av.VideoFrame]]:
        """Seek so that demuxing starts at or before keyframe `key`, then decode forward.

        Demuxers seek by different clocks (MP4 by decode time, Matroska by presentation time),
        so the first packet is checked against the packet table and an earlier keyframe is
        tried when the seek went past the one wanted.
        """
        ctx = self._stream.codec_context
        wanted_rank = self._decode_rank.get(self.pts[key], 0)
        position = bisect.bisect_left(self._keys, key)
        while True:
            start_key = self._keys[position]
            try:
                self._container.seek(self.pts[start_key], backward=True, stream=self._stream)
            except av.error.FFmpegError:
                # A damaged index can refuse a seek (EPERM, EINVAL): try an earlier keyframe,
                # and at the first one read the file again from its start.
                if position > 0:
                    position -= 1
                    continue
                self._reopen()
                ctx = self._stream.codec_context
            ctx.flush_buffers()
            packets_in = self._container.demux(self._stream)
            first = next((p for p in packets_in if p.size), None)
            if first is None:
                return
            rank = self._decode_rank.get(first.pts) if first.pts is not None else None
            if (rank is not None and rank <= wanted_rank and first.is_keyframe) or position == 0:
                break
            position -= 1
        # Frames shown before the keyframe we start from (open-GOP leading pictures) reference
        # the previous GOP: they come out of the decoder wrong, so they are never kept.
        valid_from = first.pts if first.pts in self._index_of else self.pts[start_key]
        if position == 0 and rank is None:
            valid_from = self.pts[0]
        yield from self._decode_packets(first, packets_in, valid_from)

    def _reopen(self) -> None:
        """A fresh demuxer at the start of the file, for when seeking to its start fails."""
        self._container.close()
        try:
            self._container = av.open(str(self.path), metadata_errors="ignore")
        except av.error.FFmpegError as err:
            raise UserError(f"{self.path} can no longer be read ({err.strerror}).") from None
        self._stream = self._container.streams.video[0]
        self._stream.thread_type = "AUTO"

    def _decode_packets(
        self, first: av.Packet, rest: Iterator[av.Packet], valid_from: int
    ) -> Iterator[tuple[int, av.VideoFrame]]:
        ctx = self._stream.codec_context

        def packets_then_flush() -> Iterator[av.Packet | None]:
            yield first
            try:
                yield from rest
            except av.error.FFmpegError:
                pass  # unreadable tail: decode what came before
            yield None  # drain the frames the decoder still holds

        for packet in packets_then_flush():
            if packet is not None and packet.is_corrupt:
                continue
            try:
                pictures = ctx.decode(packet)
            except av.error.FFmpegError:
                continue  # a damaged packet: FFmpeg conceals what depends on it
            for picture in pictures:
                pts = picture.pts
                index = self._index_of.get(pts) if pts is not None else None
                if index is not None and pts is not None and pts >= valid_from:
                    yield index, picture

    # -- cache -------------------------------------------------------------------------------

    def _store(self, index: int, picture: av.VideoFrame) -> None:
        self._cache[index] = picture
        self._cache.move_to_end(index)
        while len(self._cache) > self._cache_frames:
            self._cache.popitem(last=False)

    def _remember(self, index: int, picture: av.VideoFrame) -> Frame:
        image = np.ascontiguousarray(picture.to_ndarray(format="rgb24"))
        frame = Frame(index=index, pts=self.pts[index], time=self.time_of(index), image=image)
        self._rgb[index] = frame
        while len(self._rgb) > _RGB_KEPT:
            self._rgb.popitem(last=False)
        return frame
