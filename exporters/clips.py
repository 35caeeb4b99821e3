"""One clip file per item, cut at the exact frames and re-encoded (so the cut needs no keyframe).

Frames are decoded forward from the keyframe before the in-frame and identified by their
presentation timestamp against the film's packet table, so the first frame of a clip is the
in-frame and the last is the out-frame, whatever the GOP. Each clip gets a sidecar JSON (its W3C
annotation, the source film's SHA-256 and range) and, when a signer is configured, a C2PA
manifest naming the source film as its parent ingredient.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from critique_app.digest import sha256_file
from critique_app.errors import UserError
from critique_app.media import packets
from exporters.document import ExportContext, ExportDocument, ExportItem, ProgressLike, safe_name
from exporters.w3c import annotation_json

CRF = "18"  # visually lossless for projection; the cut, not the quality, is the point
PRESET = "veryfast"


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
            raise UserError(f"The film {self.path} is missing: relink it before exporting clips.")
        table = packets.scan(self.path)
        self.pts = list(table.pts)
        self.index_of = {pts: i for i, pts in enumerate(self.pts)}
        self.keys = sorted(self.index_of[p] for p in table.key_pts) or [0]

    def frames(self, start: int, end: int) -> Any:
        """Decoded frames start..end inclusive, in order (PyAV VideoFrames)."""
        if end >= len(self.pts):
            raise UserError(
                f"{self.path.name} has {len(self.pts)} frames; frame {end} does not exist."
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
                raise UserError(f"{self.path.name}: frames {wanted}-{end} cannot be decoded.")
        raise UserError(f"{self.path.name}: frame {start} cannot be reached by seeking.")


def encode(
    frames: Any,
    out: Path,
    rate: Fraction,
    count: int,
    progress: ProgressLike,
    done: int,
    total: int,
) -> int:
    """Encode frames to H.264 MP4 at `rate`, one output frame per input frame."""
    with av.open(str(out), "w", format="mp4", options={"movflags": "+faststart"}) as container:
        stream: Any = None
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
            if (
                frame.format.name != "yuv420p"
                or frame.width != stream.width
                or frame.height != stream.height
            ):
                frame = frame.reformat(width=stream.width, height=stream.height, format="yuv420p")
            frame.pts, frame.time_base = n, 1 / rate
            frame.pict_type = av.video.frame.PictureType.NONE  # let x264 choose
            container.mux(stream.encode(frame))
            if n % 12 == 0:
                progress.update(done + n, total, out.name)
        if stream is not None:
            container.mux(stream.encode(None))
    return done + count


def sidecar(item: ExportItem, clip: Path) -> dict[str, Any]:
    film = item.film
    return {
        "clip": {
            "file": clip.name,
            "sha256": file_sha256(clip),
            "frames": item.range.length,
            "rate": str(film.rate),
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
        done = encode(
            cutter.frames(item.range.start, item.range.end),
            clip,
            item.film.rate,
            item.range.length,
            ctx.progress,
            done,
            total,
        )
        if ctx.signer is not None:
            ctx.signer.sign_clip(str(clip), item.film.path, clip.stem)
        clip.with_suffix(".json").write_text(
            json.dumps(sidecar(item, clip), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        written.append(clip)
    ctx.progress.update(total, total, "clips written")
    return written


def write(doc: ExportDocument, out: Path, ctx: ExportContext) -> None:
    export_clips(doc, out, ctx)
