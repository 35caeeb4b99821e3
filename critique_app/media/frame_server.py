"""Exact frames by index on PyAV: seek to the keyframe before, decode forward to the frame's PTS.

Stepping forward keeps decoding from where the decoder stands; stepping backward is served from
the decoded pictures kept (media/frame_cache.py, a budget in bytes). While the user looks at a
frame, `look_behind` fills the frames before it on a second decoder, so a step back across a
keyframe is a cached picture, not a whole GOP's decode, and the forward decoder stays where a
step forward continues. One lock guards both decoders, so the GUI thread and a worker may share
a server.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from critique_app.domain.timecode import frame_to_smpte
from critique_app.errors import UserError
from critique_app.i18n import _
from critique_app.media import packets
from critique_app.media.frame_cache import PLAYBACK_CACHE_BYTES, FrameCache
from critique_app.media.probe import MediaInfo, probe

_RGB_KEPT = 4  # converted pictures kept for repeated asks (GUI and a worker on the same frame)
# Of what the budget holds beside the pictures shown, a quarter stays for frames after the
# playhead (a step forward again after stepping back is a cached picture too); the rest is
# what a look behind the playhead may fill.
_AHEAD_SHARE = 4


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


class _Decoder:
    """A demuxer and its decoder, and the pass it is on (None between passes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.run: _Run | None = None
        self.container = av.open(str(path), metadata_errors="ignore")
        self.stream = self.container.streams.video[0]
        self.stream.thread_type = "AUTO"

    def reaches(self, index: int, key: int) -> bool:
        """Whether its pass goes on to frame `index` (whose keyframe is `key`) with no seek."""
        run = self.run
        return run is not None and not run.ended and run.last < index and key <= run.last + 1

    def heads_for(self, lo: int, hi: int, key: int) -> bool:
        """Whether its pass, going on, decodes frames of lo..hi (`key` the keyframe before `lo`)
        with none of it that a seek to `key` would skip."""
        run = self.run
        return run is not None and not run.ended and run.last < hi and key <= run.last + 1

    def drop_run(self) -> None:
        if self.run is not None:
            self.run.frames.close()  # type: ignore[attr-defined]
            self.run = None

    def reopen(self) -> None:
        """A fresh demuxer at the start of the file, for when seeking to its start fails."""
        self.container.close()
        try:
            self.container = av.open(str(self.path), metadata_errors="ignore")
        except av.error.FFmpegError as err:
            raise UserError(
                _("{path} can no longer be read ({reason}).").format(
                    path=self.path, reason=err.strerror
                )
            ) from None
        self.stream = self.container.streams.video[0]
        self.stream.thread_type = "AUTO"

    def close(self) -> None:
        self.drop_run()
        self.container.close()


class FrameServer:
    """Exact frames of one film by index (presentation order, 0-based).

    `cache_bytes` bounds the decoded and converted pictures it keeps (media/frame_cache.py):
    PLAYBACK_CACHE_BYTES for a window, ONE_SHOT_CACHE_BYTES for a command that saves a frame.
    """

    def __init__(
        self,
        path: str | Path,
        info: MediaInfo | None = None,
        cache_bytes: int = PLAYBACK_CACHE_BYTES,
    ) -> None:
        self.path = Path(path)
        self.info = info if info is not None else probe(self.path)
        table = packets.scan(self.path)
        self.pts: list[int] = list(table.pts)
        self._time_base = table.time_base
        self._index_of = {pts: index for index, pts in enumerate(self.pts)}
        self._decode_rank = table.decode_rank
        self._keys = sorted(self._index_of[pts] for pts in table.key_pts) or [0]
        self._cache = FrameCache(cache_bytes)
        self._rgb: OrderedDict[int, Frame] = OrderedDict()
        self._lock = threading.RLock()
        self._closed = False
        self.decodable_until: int | None = None
        self._playhead = _Decoder(self.path)  # the pass a step forward goes on with
        self._behind: _Decoder | None = None  # the look behind the playhead's, opened on first use

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
            return self._remember(index, picture)

    def look_behind(self, index: int, stop: Callable[[], bool] = lambda: False) -> bool:
        """While the user looks at frame `index`, decode the frames before it into the cache,
        so that stepping back (across a keyframe too) finds them decoded. Fills what the byte
        budget has room for beside the frames shown and a quarter kept for frames ahead, on a
        decoder of its own (a step forward still goes on with one frame's decode). Nothing is
        done while more than half of that stretch is kept already.

        `stop` is asked between frames. False when it said stop first (a newer request; the
        same call later goes on where this one stopped), True once nothing is left to do. A
        frame that cannot be decoded is left for when it is really asked for."""
        with self._lock:
            todo = self._behind_todo(index)
            if todo is None:
                return True
            lo, hi, keep = todo
            try:
                decoder = self._behind_pass(lo, hi)
            except Exception:  # noqa: BLE001  # a damaged file: said when really asked for
                return True
        while not stop():
            with self._lock:
                run = decoder.run
                if self._closed or run is None or run.ended or run.last >= hi:
                    return True  # done, or a request took the pass further
                try:
                    if not self._behind_step(decoder, lo, hi, keep):
                        return True
                except Exception:  # noqa: BLE001  # a damaged file: said when really asked for
                    decoder.drop_run()
                    return True
        return False

    def is_kept(self, index: int) -> bool:
        """Whether frame `index` is decoded already (a step to it decodes nothing)."""
        with self._lock:
            return index in self._cache or index in self._rgb

    @property
    def cache_bytes(self) -> int:
        """The budget for the pictures kept, in bytes."""
        return self._cache.budget

    def set_cache_bytes(self, budget: int) -> None:
        with self._lock:
            self._cache.set_budget(budget)
            self._fit_rgb()

    @property
    def kept_bytes(self) -> int:
        """Bytes of the pictures kept now (never more than `cache_bytes`, but for one shown)."""
        with self._lock:
            return self._cache.used + self._cache.reserved

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
            self._closed = True
            for decoder in (self._playhead, self._behind):
                if decoder is not None:
                    decoder.close()
            self._behind = None
            self._cache.clear()
            self._rgb.clear()

    def __enter__(self) -> FrameServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- decoding ----------------------------------------------------------------------------

    def _check_index(self, index: int) -> None:
        count = len(self.pts)
        if not 0 <= index < count:
            raise UserError(
                _("{path} has frames 0 to {last}; frame {index} does not exist.").format(
                    path=self.path, last=count - 1, index=index
                )
            )
        if self.decodable_until is not None and index >= self.decodable_until:
            raise UserError(self._broken_sentence(self.decodable_until))

    def _broken_sentence(self, index: int) -> str:
        info = self.info
        timecode = frame_to_smpte(
            index, info.rate, drop_frame=info.drop_frame, start=info.start_frame
        )
        return _(
            "{path} stops decoding at frame {index} ({timecode}); the frames from there on "
            "cannot be shown."
        ).format(path=self.path, index=index, timecode=timecode)

    def _key_before(self, index: int) -> int:
        return self._keys[bisect.bisect_right(self._keys, index) - 1]

    def _decode_to(self, index: int) -> av.VideoFrame:
        key = self._key_before(index)
        decoder = self._playhead
        # Keep decoding when the target lies ahead with no keyframe in between: a seek would only
        # restart the same work (this is what makes a forward step one frame's decode).
        if not decoder.reaches(index, key):
            behind = self._behind
            if behind is not None and behind.reaches(index, key):
                decoder = behind  # the user stepped back faster than the look behind: join it
            else:
                self._start_run(key)
        run = decoder.run
        assert run is not None
        for found, picture in run.frames:
            run.last = found
            self._cache.put(found, picture)
            if found == index:
                return picture
            if found > index:
                break  # the target never came out: its data is damaged
        else:  # the file ended before the target: it stops decoding there
            run.ended = True
            decoder.run = None
            self.decodable_until = max(run.start, min(index, run.last + 1))
            raise UserError(self._broken_sentence(self.decodable_until))
        raise UserError(
            _("{path}: frame {index} is damaged and cannot be decoded.").format(
                path=self.path, index=index
            )
        )

    def _start_run(self, key: int) -> _Run:
        """A new pass of the playhead's decoder from keyframe `key` (a seek)."""
        return self._start_pass(self._playhead, key)

    def _start_pass(self, decoder: _Decoder, key: int) -> _Run:
        decoder.drop_run()
        run = _Run(self._frames_from(decoder, key), key)
        decoder.run = run
        return run

    # -- the look behind the playhead ----------------------------------------------------------

    def _behind_todo(self, index: int) -> tuple[int, int, range] | None:
        """(lo, hi, keep): the frames lo..hi before `index` to decode, and the stretch whose
        pictures may not be dropped to make room for them; None when nothing is to be done."""
        size = self._cache.picture_size
        if self._closed or size is None or not 0 < index < len(self.pts):
            return None
        shown = next(iter(self._rgb.values()), None)
        shown_size = shown.image.nbytes if shown is not None else 2 * size
        room = (self._cache.budget - _RGB_KEPT * shown_size) // size
        ahead = max(1, room // _AHEAD_SHARE)
        behind = room - ahead - 1  # the frame shown is kept too
        if behind < 1:
            return None  # a budget for one-shot work: nothing to spare
        lo = max(0, index - behind)
        hi = index - 1
        while hi >= lo and hi in self._cache:
            hi -= 1
        if hi < lo:
            return None  # all of it is kept
        key = self._key_before(lo)
        going = self._behind is not None and self._behind.heads_for(lo, hi, key)
        if index - 1 - hi >= behind // 2 and not going:
            return None  # enough kept for now: fill again when half of it has been stepped over
        return lo, hi, range(lo, index + ahead + 1)

    def _behind_pass(self, lo: int, hi: int) -> _Decoder:
        """The look-behind decoder, on a pass that reaches `hi` (a new one from the keyframe
        before `lo` unless an earlier look, stopped half-way, goes there already)."""
        decoder = self._behind
        if decoder is None:
            decoder = self._behind = _Decoder(self.path)
        key = self._key_before(lo)
        if not decoder.heads_for(lo, hi, key):
            self._start_pass(decoder, key)
        return decoder

    def _behind_step(self, decoder: _Decoder, lo: int, hi: int, keep: range) -> bool:
        """Decode one more frame of the look behind; False when it is finished."""
        run = decoder.run
        assert run is not None
        found, picture = next(run.frames, (None, None))
        if found is None or picture is None:
            decoder.drop_run()  # the file ended early: the frame asked for will say so
            return False
        run.last = found
        # Decoding goes towards the playhead, so the frames nearest it come last: the stretch
        # was sized for the budget to hold them all, and what would push kept ones out stops.
        wanted = lo <= found <= hi and found not in self._cache
        if wanted and not self._cache.put_within(found, picture, keep):
            return False
        return found < hi

    def _frames_from(self, decoder: _Decoder, key: int) -> Iterator[tuple[int, av.VideoFrame]]:
        """Seek so that demuxing starts at or before keyframe `key`, then decode forward.

        Demuxers seek by different clocks (MP4 by decode time, Matroska by presentation time),
        so the first packet is checked against the packet table and an earlier keyframe is
        tried when the seek went past the one wanted.
        """
        wanted_rank = self._decode_rank.get(self.pts[key], 0)
        position = bisect.bisect_left(self._keys, key)
        while True:
            start_key = self._keys[position]
            try:
                decoder.container.seek(self.pts[start_key], backward=True, stream=decoder.stream)
            except av.error.FFmpegError:
                # A damaged index can refuse a seek (EPERM, EINVAL): try an earlier keyframe,
                # and at the first one read the file again from its start.
                if position > 0:
                    position -= 1
                    continue
                decoder.reopen()
            decoder.stream.codec_context.flush_buffers()
            packets_in = decoder.container.demux(decoder.stream)
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
        yield from self._decode_packets(decoder, first, packets_in, valid_from)

    def _decode_packets(
        self, decoder: _Decoder, first: av.Packet, rest: Iterator[av.Packet], valid_from: int
    ) -> Iterator[tuple[int, av.VideoFrame]]:
        ctx = decoder.stream.codec_context

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

    # -- pictures shown ----------------------------------------------------------------------

    def _remember(self, index: int, picture: av.VideoFrame) -> Frame:
        image = np.ascontiguousarray(picture.to_ndarray(format="rgb24"))
        frame = Frame(index=index, pts=self.pts[index], time=self.time_of(index), image=image)
        self._rgb[index] = frame
        self._fit_rgb()
        return frame

    def _fit_rgb(self) -> None:
        """At most _RGB_KEPT converted pictures, and never more than half the budget (but the
        newest): they count in the same budget as the decoded ones."""
        budget = self._cache.budget
        while len(self._rgb) > _RGB_KEPT or (
            len(self._rgb) > 1 and sum(f.image.nbytes for f in self._rgb.values()) > budget // 2
        ):
            self._rgb.popitem(last=False)
        self._cache.reserve(sum(f.image.nbytes for f in self._rgb.values()))
