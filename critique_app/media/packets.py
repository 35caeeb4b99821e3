"""One pass over a video stream's packets, without decoding: every frame's PTS in presentation
order, where the keyframes are, and whether the file ends early.

Shared by `probe` (frame count, rate, VFR) and the frame server (seeking by PTS).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av

from critique_app.i18n import _


@dataclass(frozen=True)
class PacketTable:
    """What demuxing one video stream found."""

    pts: tuple[int, ...]  # every shown frame, presentation order (index i -> pts[i])
    key_pts: tuple[int, ...]  # pts of the random-access points (keyframes), ascending
    decode_rank: dict[int, int] = field(repr=False)  # pts -> position in decode order
    time_base: Fraction
    durations: tuple[int, ...] = ()  # last packet's duration when the container knows it
    declared_frames: int = 0  # the container's own frame count (0 when it has none)
    ended_early: str | None = None  # why demuxing stopped before the declared end


_CACHE: OrderedDict[tuple[str, int, int], PacketTable] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def _demux(container: av.container.InputContainer, stream: av.VideoStream) -> PacketTable:
    rows: list[tuple[int, int | None, bool]] = []  # (pts, dts, keyframe) in decode order
    declared = stream.frames or 0
    if "mov" in container.format.name.split(",") and 0 < len(stream.index_entries) < declared:
        # an edit list starting late: FFmpeg leaves out of the index the samples before the
        # keyframe it needs, and never returns them; the header still counts them
        declared = len(stream.index_entries)
    ended_early = None
    last_duration = 0
    seen = 0  # packets read, shown or not
    try:
        for packet in container.demux(stream):
            if packet.size == 0:
                continue  # the demuxer's end-of-stream marker
            if packet.is_corrupt:
                ended_early = _("its last frame is cut off")
                break
            seen += 1
            if packet.is_discard:
                continue  # before an edit list's start: decoded as reference, never shown
            pts = packet.pts if packet.pts is not None else packet.dts
            if pts is None:
                continue
            rows.append((pts, packet.dts, packet.is_keyframe))
            last_duration = packet.duration or 0
    except av.error.FFmpegError as err:
        ended_early = _("reading stops with an error ({reason})").format(reason=err.strerror)
    pts_sorted = sorted({row[0] for row in rows})
    if ended_early is None and declared > seen:
        ended_early = _("the file ends before the frames its header announces")
    if ended_early is None and len(pts_sorted) > 1:
        ended_early = _short_of_declared_duration(stream, pts_sorted)
    if ended_early is not None and rows:
        pts_sorted = _complete_prefix(pts_sorted, rows)
    shown = set(pts_sorted)
    return PacketTable(
        pts=tuple(pts_sorted),
        key_pts=tuple(sorted(pts for pts, _dts, key in rows if key and pts in shown)),
        decode_rank={pts: rank for rank, (pts, _dts, _key) in enumerate(rows)},
        time_base=Fraction(stream.time_base or Fraction(1, 1)),
        durations=(last_duration,),
        declared_frames=declared,
        ended_early=ended_early,
    )


def _short_of_declared_duration(stream: av.VideoStream, pts_sorted: list[int]) -> str | None:
    """Matroska/WebM write the stream's duration up front: a cut-off file covers less of it."""
    text = str(stream.metadata.get("DURATION", ""))
    try:
        hours, minutes, seconds = text.split(":")
        declared = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    except ValueError:
        return None
    tb = float(stream.time_base or 0)
    step = (pts_sorted[-1] - pts_sorted[0]) / (len(pts_sorted) - 1) * tb
    covered = (pts_sorted[-1] - pts_sorted[0]) * tb + step
    if declared - covered > max(2 * step, 0.1):
        return _("the file ends before the duration its header announces")
    return None


def _complete_prefix(pts_sorted: list[int], rows: list[tuple[int, int | None, bool]]) -> list[int]:
    """Frames certainly complete in a cut-off stream.

    A missing packet comes after the last one read in decode order, so its dts, and hence its
    pts, is at least that packet's dts: every frame shown before that instant is present.
    """
    last_dts = next((dts for _pts, dts, _key in reversed(rows) if dts is not None), None)
    if last_dts is None:
        return pts_sorted
    return [pts for pts in pts_sorted if pts <= last_dts]


def scan(path: str | Path) -> PacketTable:
    """The packet table of the first video stream (cached while the file is unchanged).

    Raises av.error.FFmpegError when the file cannot be opened and LookupError when it has no
    video stream; callers turn those into user sentences.
    """
    path = Path(path)
    stat = os.stat(path)
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    with av.open(str(path), metadata_errors="ignore") as container:
        if not container.streams.video:
            raise LookupError(_("no video stream"))
        table = _demux(container, container.streams.video[0])
    with _CACHE_LOCK:
        _CACHE[key] = table
        while len(_CACHE) > 8:
            _CACHE.popitem(last=False)
    return table
