"""What a media file is: container, codec, size, exact frame count, rational rate, start timecode,
variable frame rate — read from the container's index where it is exact (MP4/MOV at a steady
rate), else by demuxing every packet; no decoding beyond the first frame.

Bad input (missing, empty, not media, no video, cut short) gets one sentence naming the file.
"""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from critique_app.domain.timecode import is_drop_frame_rate, parse_rate, smpte_to_frame
from critique_app.errors import UserError
from critique_app.i18n import _, ngettext
from critique_app.media import packets
from critique_app.media.stream_index import IndexCount, NoIndexCount, count_from_index

_FRIENDLY_FORMATS = {"matroska": "mkv", "mpegts": "ts", "mpeg": "mpg"}


@dataclass(frozen=True)
class MediaInfo:
    """The facts about a film the rest of the app relies on."""

    path: Path
    container: str
    codec: str
    width: int
    height: int
    rotation: int  # degrees, counter-clockwise, from the display matrix (0, 90, 180, 270)
    frame_count: int  # exact: shown frames, from the index or the packets (presentation order)
    rate: Fraction  # rational frame rate (average for VFR)
    time_base: Fraction
    duration: float  # seconds
    start_timecode: str | None  # from metadata (tmcd track / 'timecode' tag), else None
    start_frame: int  # start_timecode as a frame count (0 when none)
    drop_frame: bool
    has_audio: bool
    vfr: bool  # variable frame rate: indices follow the file's timestamps, not rate x time
    problem: str | None = None  # the file is cut short or damaged: a sentence saying how
    counted_from: str = "packets"  # 'index' (the container's index) or 'packets' (read them all)
    counted_why: str | None = None  # why every packet was read: a key of COUNTING_SENTENCES

    def counting_sentence(self) -> str:
        """How the frames were counted, for people ("120 (exact, counted from ...)")."""
        key = "index" if self.counted_from == "index" else self.counted_why or "format"
        return COUNTING_SENTENCES[key]().format(count=self.frame_count)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "container": self.container,
            "codec": self.codec,
            "width": self.width,
            "height": self.height,
            "rotation": self.rotation,
            "frame_count": self.frame_count,
            "rate": f"{self.rate.numerator}/{self.rate.denominator}",
            "fps": round(float(self.rate), 6),
            "time_base": f"{self.time_base.numerator}/{self.time_base.denominator}",
            "duration": round(self.duration, 6),
            "start_timecode": self.start_timecode,
            "start_frame": self.start_frame,
            "drop_frame": self.drop_frame,
            "has_audio": self.has_audio,
            "vfr": self.vfr,
            "problem": self.problem,
            "frames_counted_from": self.counted_from,
            "frames_counted_why": self.counted_why,
        }


# Built when asked (the user's language is chosen after import).
COUNTING_SENTENCES = {
    "index": lambda: _("{count} (exact, counted from the file's index)"),
    "format": lambda: _(
        "{count} (exact, counted by reading every packet: this kind of file does not "
        "index every frame)"
    ),
    "partial": lambda: _(
        "{count} (exact, counted by reading every packet: the file's index does not list "
        "every frame)"
    ),
    "edit_list": lambda: _(
        "{count} (exact, counted by reading every packet: the file's edit list hides some frames)"
    ),
    "variable": lambda: _(
        "{count} (exact, counted by reading every packet: the frame rate varies)"
    ),
    "cut": lambda: _(
        "{count} (exact, counted by reading every packet: the file's index points past its end)"
    ),
}


@dataclass(frozen=True)
class _Timing:
    """The stream's frames and times, from the index or from every packet (time-base units)."""

    frames: int
    span: int  # last shown frame's time minus the first one's
    last_duration: int
    vfr: bool
    measured: Fraction | None  # frames per second the timestamps give
    time_base: Fraction
    counted_from: str
    counted_why: str | None = None
    ended_early: str | None = None
    declared: int = 0


def probe(path: str | Path) -> MediaInfo:
    """Read a film's facts; UserError with one sentence when it is not a readable video."""
    path = Path(path)
    _check_file(path)
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.video:
                raise LookupError(_("no video stream"))
            stream = container.streams.video[0]
            found = count_from_index(container, stream, path.stat().st_size)
            if isinstance(found, IndexCount):
                timing = _from_index(found, Fraction(stream.time_base or Fraction(1, 1)))
            else:
                timing = _from_packets(path, packets.scan(path), found)
            return _describe(path, container, timing)
    except LookupError:
        raise UserError(
            _("{path} has no video stream (it holds no pictures to show).").format(path=path)
        ) from None
    except av.error.FFmpegError as err:
        raise UserError(_why_unreadable(path, err)) from None


def _from_index(found: IndexCount, tb: Fraction) -> _Timing:
    measured = None
    if found.frames > 1 and found.span > 0:
        measured = Fraction(found.frames - 1) / (found.span * tb)
    return _Timing(
        frames=found.frames,
        span=found.span,
        last_duration=found.frame_duration,
        vfr=False,
        measured=measured,
        time_base=tb,
        counted_from="index",
        declared=found.frames,
    )


def _from_packets(path: Path, table: packets.PacketTable, why: NoIndexCount) -> _Timing:
    if not table.pts:
        if table.ended_early:
            raise UserError(
                _("{path} has a video stream but not one readable frame: {reason}.").format(
                    path=path, reason=str(table.ended_early).rstrip(".")
                )
            )
        raise UserError(
            _("{path} has a video stream but not one readable frame.").format(path=path)
        )
    tb = table.time_base
    deltas = [b - a for a, b in zip(table.pts, table.pts[1:], strict=False)]
    measured = None
    if deltas and sum(deltas) > 0:
        measured = Fraction(len(deltas)) / (sum(deltas) * tb)
    last_duration = table.durations[-1] if table.durations and table.durations[-1] > 0 else 0
    if not last_duration:
        last_duration = int(statistics.median(deltas)) if deltas else 0
    return _Timing(
        frames=len(table.pts),
        span=table.pts[-1] - table.pts[0],
        last_duration=last_duration,
        vfr=_is_variable(deltas),
        measured=measured,
        time_base=tb,
        counted_from="packets",
        counted_why=why.reason,
        ended_early=table.ended_early,
        declared=table.declared_frames,
    )


def _check_file(path: Path) -> None:
    if not path.exists():
        raise UserError(_("{path} does not exist.").format(path=path))
    if path.is_dir():
        raise UserError(_("{path} is a folder, not a media file.").format(path=path))
    if not os.access(path, os.R_OK):
        raise UserError(_("{path} cannot be read (permission denied).").format(path=path))
    if path.stat().st_size == 0:
        raise UserError(_("{path} is empty (0 bytes), so it holds no video.").format(path=path))


def _describe(path: Path, container: av.container.InputContainer, timing: _Timing) -> MediaInfo:
    stream = container.streams.video[0]
    tb = timing.time_base
    try:
        rate = _frame_rate(stream, timing.measured, timing.vfr)
    except ValueError as err:  # timestamps a damaged or odd muxer wrote, e.g. 5760 fps
        reason = str(err).rstrip(".")
        raise UserError(
            _(
                "{path} cannot be shown frame by frame: its timestamps give no usable frame rate ({reason})."
            ).format(path=path, reason=reason)
        ) from None
    duration = (
        float((timing.span + timing.last_duration) * tb) if timing.frames > 1 else float(1 / rate)
    )
    timecode = _start_timecode(container)
    start_frame, drop_frame = 0, is_drop_frame_rate(rate)
    if timecode is not None:
        drop_frame = ";" in timecode or "." in timecode
        try:
            start_frame = smpte_to_frame(timecode, rate, drop_frame=drop_frame)
        except ValueError:  # a label that does not fit this rate: better none than a wrong one
            timecode, drop_frame = None, is_drop_frame_rate(rate)
    ctx = stream.codec_context
    problem = None
    if timing.ended_early:
        if timing.declared:
            problem = ngettext(
                "{path} is cut short or damaged ({reason}): only its first {count} of {declared} "
                "frames can be read.",
                "{path} is cut short or damaged ({reason}): only its first {count} of {declared} "
                "frames can be read.",
                timing.frames,
            )
        else:
            problem = ngettext(
                "{path} is cut short or damaged ({reason}): only its first {count} frame can be "
                "read.",
                "{path} is cut short or damaged ({reason}): only its first {count} frames can be "
                "read.",
                timing.frames,
            )
        problem = problem.format(
            path=path, reason=timing.ended_early, count=timing.frames, declared=timing.declared
        )
    return MediaInfo(
        path=path,
        container=_container_name(path, container),
        codec=ctx.name,
        width=ctx.width,
        height=ctx.height,
        rotation=_rotation(container, stream),
        frame_count=timing.frames,
        rate=rate,
        time_base=tb,
        duration=duration,
        start_timecode=timecode,
        start_frame=start_frame,
        drop_frame=drop_frame,
        has_audio=bool(container.streams.audio),
        vfr=timing.vfr,
        problem=problem,
        counted_from=timing.counted_from,
        counted_why=timing.counted_why,
    )


def _is_variable(deltas: list[int]) -> bool:
    """True when frame durations really differ, not just by the rounding of a coarse time base
    (Matroska's 1 ms ticks give 41/42 ms at 23.976)."""
    if len(deltas) < 2:
        return False
    typical = statistics.median(deltas)
    tolerance = max(1.5, 0.02 * typical)
    return any(abs(delta - typical) > tolerance for delta in deltas)


def _frame_rate(stream: av.VideoStream, measured: Fraction | None, vfr: bool) -> Fraction:
    declared = stream.average_rate or stream.guessed_rate
    if not vfr and declared and declared > 0:
        declared = Fraction(declared)
        if measured is None or abs(declared - measured) / measured < Fraction(1, 200):
            return parse_rate(declared.limit_denominator(100000))
    if measured is None:
        return parse_rate(Fraction(declared)) if declared else Fraction(25)
    # an average over irregular durations: keep it readable, it is only a display hint
    return parse_rate(measured.limit_denominator(1001 if vfr else 100000))


def _start_timecode(container: av.container.InputContainer) -> str | None:
    """The source timecode: on the video stream (MOV tmcd), the container (MXF) or a data track."""
    places = [container.streams.video[0].metadata, container.metadata]
    places += [s.metadata for s in container.streams if s.type not in ("video", "audio")]
    for metadata in places:
        value = metadata.get("timecode")
        if value:
            return str(value).strip()
    return None


def _rotation(container: av.container.InputContainer, stream: av.VideoStream) -> int:
    """The display matrix reaches decoded frames as side data; PyAV has no stream getter."""
    try:
        for frame in container.decode(stream):
            return int(round(frame.rotation)) % 360
    except av.error.FFmpegError:
        pass  # an undecodable first frame is the frame server's to report
    return 0


def _container_name(path: Path, container: av.container.InputContainer) -> str:
    names = container.format.name.split(",")
    suffix = path.suffix.lower().lstrip(".")
    if suffix in names:
        return suffix
    if "mov" in names:  # the MOV/MP4 family shares one demuxer: QuickTime files say 'qt  '
        brand = str(container.metadata.get("major_brand", "")).strip()
        return "mov" if brand == "qt" else "mp4"
    return _FRIENDLY_FORMATS.get(names[0], names[0])


def _why_unreadable(path: Path, err: av.error.FFmpegError) -> str:
    if _iso_media_without_index(path):
        return _(
            "{path} is cut short or damaged: its index (the MP4 'moov' box) is missing, so not "
            "one frame can be read."
        ).format(path=path)
    if isinstance(err, av.error.InvalidDataError):
        return _(
            "{path} is not a video file that can be read (no known media format in it)."
        ).format(path=path)
    return _("{path} cannot be read as video ({reason}).").format(path=path, reason=err.strerror)


def _iso_media_without_index(path: Path) -> bool:
    """An MP4/MOV (starts with an 'ftyp' box) whose top-level boxes lack 'moov': a file cut
    before the index the muxer writes at the end."""
    boxes: list[bytes] = []
    size = path.stat().st_size
    with open(path, "rb") as f:
        offset = 0
        while offset + 8 <= size and len(boxes) < 1000:
            f.seek(offset)
            header = f.read(16)
            box_size, kind = int.from_bytes(header[:4], "big"), header[4:8]
            if box_size == 1 and len(header) == 16:
                box_size = int.from_bytes(header[8:16], "big")
            elif box_size == 0:
                box_size = size - offset
            if box_size < 8:
                break
            boxes.append(kind)
            offset += box_size
    return bool(boxes) and boxes[0] == b"ftyp" and b"moov" not in boxes
