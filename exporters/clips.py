"""One clip file per item, cut at the exact frames and re-encoded (so the cut needs no keyframe).

Frames are decoded forward from the keyframe before the in-frame and identified by their
presentation timestamp against the film's packet table, so the first frame of a clip is the
in-frame and the last is the out-frame, whatever the GOP. The film's sound is cut to the same
span, to the sample (a clip is projected in class: a passage without its sound is another
passage), and re-encoded as AAC. Each clip gets a sidecar JSON (its W3C annotation, the source
film's SHA-256 and range) and, when a signer is configured, a C2PA manifest naming the source
film as its parent ingredient.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from critique_app.digest import sha256_file
from critique_app.errors import UserError
from critique_app.i18n import _
from critique_app.media import packets
from exporters.document import ExportContext, ExportDocument, ExportItem, ProgressLike, safe_name
from exporters.w3c import annotation_json

CRF = "18"  # visually lossless for projection; the cut, not the quality, is the point
PRESET = "veryfast"
AUDIO_KBPS_PER_CHANNEL = 96  # AAC: transparent enough for a lecture hall


def clip_name(item: ExportItem) -> str:
    """e.g. '003_My-Film_01-00-12-05_identity-drift.mp4': sortable, safe on every system."""
    tc = item.in_tc.replace(":", "-").replace(";", "-")
    category = safe_name(item.category_label, 32) if item.category else "passage"
    return f"{item.position:03d}_{safe_name(item.film.title, 32)}_{tc}_{category}.mp4"


def file_sha256(path: Path) -> str:
    return sha256_file(path)


class FilmCutter:
    """Cuts frame-exact excerpts out of one film, reusing its packet table."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise UserError(
                _("The film {path} is missing: relink it before exporting clips.").format(
                    path=self.path
                )
            )
        table = packets.scan(self.path)
        self.pts = list(table.pts)
        self.time_base = table.time_base
        self._audio: tuple[int, str] | tuple[()] | None = None  # read once, when first needed
        self.index_of = {pts: i for i, pts in enumerate(self.pts)}
        self.keys = sorted(self.index_of[p] for p in table.key_pts) or [0]

    def frames(self, start: int, end: int) -> Any:
        """Decoded frames start..end inclusive, in order (PyAV VideoFrames)."""
        if end >= len(self.pts):
            raise UserError(
                _("{name} has {count} frames; frame {end} does not exist.").format(
                    name=self.path.name, count=len(self.pts), end=end
                )
            )
        candidates = [k for k in self.keys if k <= start] or [0]
        for key in reversed(candidates):
            wanted = start
            with av.open(str(self.path), metadata_errors="ignore") as container:
                stream = container.streams.video[0]
                stream.thread_type = "AUTO"
                container.seek(self.pts[key], backward=True, stream=stream)
                for frame in container.decode(stream):
                    index = self.index_of.get(frame.pts) if frame.pts is not None else None
                    if index is None or index < wanted:
                        continue
                    if index > wanted:
                        break  # the seek landed past the in-frame, or a frame is missing
                    yield frame
                    wanted += 1
                    if wanted > end:
                        return
            if wanted > start:  # some frames came out, then the file broke off
                raise UserError(
                    _("{name}: frames {wanted}-{end} cannot be decoded.").format(
                        name=self.path.name, wanted=wanted, end=end
                    )
                )
        raise UserError(
            _("{name}: frame {start} cannot be reached by seeking.").format(
                name=self.path.name, start=start
            )
        )

    def sound(self, start: int, count: int, rate: Fraction) -> Sound | None:
        """The film's first audio track under frames start..start+count-1, or None if silent."""
        if self._audio is None:
            self._audio = _audio_format(self.path)
        if not self._audio:
            return None
        sample_rate, layout = self._audio
        begin = Fraction(self.pts[start]) * self.time_base  # the in-frame's presentation time
        return Sound(self.path, begin, count / rate, sample_rate, layout)


def _audio_format(path: Path) -> tuple[int, str] | tuple[()]:
    """The clip's sample rate and layout for the film's first audio track; () when the film
    is silent or its sound cannot be read (the clip is then written without it).

    Mono stays mono; anything else becomes stereo (surround is down-mixed): what a lecture
    hall plays, and a layout every AAC encoder takes."""
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                return ()
            context = container.streams.audio[0].codec_context
            rate, channels = int(context.sample_rate or 0), int(context.channels or 0)
    except (av.FFmpegError, OSError):
        return ()
    if not rate or not channels:
        return ()
    return rate, "mono" if channels == 1 else "stereo"


class Sound:
    """A span of a film's sound, decoded and cut to the sample, as planar float frames.

    The clip's sound starts at the in-frame's presentation time and lasts exactly as long as
    its frames; a gap in the film's audio becomes silence, so sound and picture stay in step."""

    def __init__(
        self, path: Path, begin: Fraction, duration: Fraction, sample_rate: int, layout: str
    ) -> None:
        self.path, self.begin, self.sample_rate, self.layout = path, begin, sample_rate, layout
        self.samples = round(duration * sample_rate)

    def frames(self) -> Iterator[av.AudioFrame]:
        cursor = 0  # samples written so far
        resampler = av.AudioResampler(format="fltp", layout=self.layout, rate=self.sample_rate)
        try:
            with av.open(str(self.path), metadata_errors="ignore") as container:
                stream = container.streams.audio[0]
                tb = stream.time_base or Fraction(1, self.sample_rate)
                # from a little before: a decoder's first frame after a seek lacks the overlap
                # of the one before it (AAC, Opus), and would open the clip with a fade-in
                warm_up = max(Fraction(0), self.begin - Fraction(1, 4))
                container.seek(int(warm_up / tb), backward=True, stream=stream)
                for decoded in container.decode(stream):
                    if decoded.pts is None:
                        continue
                    at = round(
                        (Fraction(decoded.pts) * (decoded.time_base or tb) - self.begin)
                        * self.sample_rate
                    )
                    for frame in resampler.resample(decoded):
                        data = frame.to_ndarray()
                        skip = max(0, cursor - at)  # before the in-frame, or already written
                        if at > cursor:  # a hole in the film's sound: silence, not a shift
                            yield self._frame(
                                np.zeros((data.shape[0], at - cursor), np.float32), cursor
                            )
                            cursor = at
                        keep = data[:, skip : skip + self.samples - cursor]
                        if keep.shape[1]:
                            yield self._frame(keep, cursor)
                            cursor += keep.shape[1]
                        at += data.shape[1]
                    if cursor >= self.samples:
                        return
        except av.FFmpegError:
            pass  # the sound breaks off: what was decoded stands, the rest is silence
        if cursor < self.samples:
            channels = len(av.AudioLayout(self.layout).channels)
            yield self._frame(np.zeros((channels, self.samples - cursor), np.float32), cursor)

    def _frame(self, data: np.ndarray, pts: int) -> av.AudioFrame:
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(data, dtype=np.float32), format="fltp", layout=self.layout
        )
        frame.sample_rate, frame.pts, frame.time_base = (
            self.sample_rate,
            pts,
            Fraction(1, self.sample_rate),
        )
        return frame


def encode(
    frames: Any,
    out: Path,
    rate: Fraction,
    count: int,
    progress: ProgressLike,
    done: int,
    total: int,
    sound: Sound | None = None,
) -> int:
    """Encode frames to H.264 MP4 at `rate`, one output frame per input frame, with `sound`
    (AAC) interleaved by time."""
    with av.open(str(out), "w", format="mp4", options={"movflags": "+faststart"}) as container:
        stream: Any = None
        pending: deque[Any] = deque()  # the sound's packets, muxed beside the pictures they go with
        audio_tb = Fraction(1, sound.sample_rate) if sound else Fraction(1)
        for n, frame in enumerate(frames):
            if stream is None:
                stream = container.add_stream("libx264", rate=rate)
                stream.width, stream.height = (
                    frame.width - frame.width % 2,
                    frame.height - frame.height % 2,
                )
                stream.pix_fmt = "yuv420p"
                stream.time_base = 1 / rate
                stream.codec_context.thread_type = "FRAME"
                stream.options = {"crf": CRF, "preset": PRESET}
                if sound is not None:
                    pending = deque(_encode_sound(container, sound))
            if (
                frame.format.name != "yuv420p"
                or frame.width != stream.width
                or frame.height != stream.height
            ):
                frame = frame.reformat(width=stream.width, height=stream.height, format="yuv420p")
            frame.pts, frame.time_base = n, 1 / rate
            frame.pict_type = av.video.frame.PictureType.NONE  # let x264 choose
            container.mux(stream.encode(frame))
            until = Fraction(n + 1) / rate
            while pending and (pending[0].pts or 0) * audio_tb < until:
                container.mux(pending.popleft())
            if n % 12 == 0:
                progress.update(done + n, total, out.name)
        if stream is not None:
            container.mux(stream.encode(None))
            container.mux(list(pending))
    return done + count


def _encode_sound(container: Any, sound: Sound) -> list[Any]:
    """The whole span's AAC packets (a few hundred kB a minute), ready to interleave."""
    audio = container.add_stream("aac", rate=sound.sample_rate, layout=sound.layout)
    channels = len(audio.codec_context.layout.channels)
    audio.bit_rate = AUDIO_KBPS_PER_CHANNEL * 1000 * min(channels, 2)
    packets: list[Any] = []
    for frame in sound.frames():
        packets += audio.encode(frame)
    packets += audio.encode(None)
    return packets


def sidecar(item: ExportItem, clip: Path, sound: bool) -> dict[str, Any]:
    film = item.film
    return {
        "clip": {
            "file": clip.name,
            "sha256": file_sha256(clip),
            "frames": item.range.length,
            "rate": str(film.rate),
            "sound": sound,
        },
        "source": {
            "title": film.title,
            "file": Path(film.path).name,
            "sha256": film.sha256,
            "frames": {"in": item.range.start, "out": item.range.end},
            "timecode": {"in": item.in_tc, "out": item.out_tc},
        },
        "annotation": annotation_json(item),
    }


def export_clips(doc: ExportDocument, folder: Path, ctx: ExportContext) -> list[Path]:
    """Write every item's clip and sidecar into `folder`; returns the clip paths in order."""
    folder.mkdir(parents=True, exist_ok=True)
    total = sum(i.range.length for i in doc.items) or 1
    cutters: dict[str, FilmCutter] = {}
    done = 0
    written = []
    for item in doc.items:
        ctx.progress.check()
        cutter = cutters.get(item.film.path) or cutters.setdefault(
            item.film.path, FilmCutter(item.film.path)
        )
        clip = folder / clip_name(item)
        sound = cutter.sound(item.range.start, item.range.length, item.film.rate)
        done = encode(
            cutter.frames(item.range.start, item.range.end),
            clip,
            item.film.rate,
            item.range.length,
            ctx.progress,
            done,
            total,
            sound,
        )
        if ctx.signer is not None:
            ctx.signer.sign_clip(str(clip), item.film.path, clip.stem)
        clip.with_suffix(".json").write_text(
            json.dumps(sidecar(item, clip, sound is not None), ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
        written.append(clip)
    ctx.progress.update(total, total, _("clips written"))
    return written


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    export_clips(doc, out, ctx)
