"""Plain, unsigned metadata (EXIF, XMP/IPTC, PNG text, MP4/MOV tags) and the AI hints in it.

Reported apart from C2PA and marked unsigned: anyone can write or strip these fields, so
they are hints for a jury, never proof.
"""

from __future__ import annotations

import io
import re
import zlib
from pathlib import Path
from typing import BinaryIO

from critique_app.i18n import _
from critique_app.provenance.report import Metadata
from critique_app.provenance.vocab import rubric

MAX_VALUE = 600  # characters kept per field; prompts and workflows can be huge
HEAD = 4 * 1024 * 1024  # XMP is looked for in the first and the last HEAD bytes
WHOLE = 2 * HEAD  # a file up to this size is read whole
# FFmpeg's probing reads and decodes packets for codec details; the tags are all in the header.
# `skip_frame` keeps the probe from decoding a frame per stream (a tenth of the cost, issue 24).
PROBE_LITTLE = {"probesize": "32", "analyzeduration": "1", "fpsprobesize": "0", "skip_frame": "all"}
XMP_RE = re.compile(rb"<x:xmpmeta.*?</x:xmpmeta>", re.S)
# XMP properties a jury cares about, written as attributes or as elements
XMP_FIELDS = (
    "Iptc4xmpExt:DigitalSourceType",
    "Iptc4xmpExt:AISystemUsed",
    "Iptc4xmpExt:AISystemVersionUsed",
    "Iptc4xmpExt:AIPromptInformation",
    "Iptc4xmpExt:AIPromptWriterName",
    "xmp:CreatorTool",
    "photoshop:Credit",
    "dc:creator",
    "dc:description",
    "dc:rights",
    "xmpRights:UsageTerms",
    "plus:DataMining",
)
# each property's attribute and element forms, compiled once (issue 24: escaping and looking
# up 24 patterns per file was a fifth of reading the XMP)
_XMP_PATTERNS = [
    (
        name,
        re.compile(rf'{re.escape(name)}="([^"]*)"'),
        re.compile(rf"<{re.escape(name)}[^>]*>(.*?)</{re.escape(name)}>", re.S),
    )
    for name in XMP_FIELDS
]
_TAG = re.compile(r"<[^>]+>")
GENERATORS = (
    "midjourney", "dall-e", "dall·e", "stable diffusion", "stablediffusion", "firefly",
    "chatgpt", "gpt-4o", "openai", "sora", "runway", "imagen", "made with google ai",
    "gemini", "flux", "comfyui", "automatic1111", "novelai", "leonardo.ai", "kling", "veo",
    "pika", "luma",
)  # fmt: skip


def _clip(value: object) -> str:
    text = str(value).replace("\x00", "").strip()
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "…"


def read_metadata(path: str | Path, fmt: str | None, data: bytes | None = None) -> Metadata:
    """Everything plain metadata says; read errors go in `errors`, never raise.
    `data`: the whole file when the caller read it already (at most WHOLE bytes)."""
    meta = Metadata()
    p = Path(path)
    if data is not None and len(data) <= WHOLE:
        head, tail = data[:HEAD], data[HEAD:]
    else:
        data = None
        try:
            head, tail = _ends(p)
        except OSError as err:
            meta.errors.append(_("cannot read the file ({reason})").format(reason=err.strerror))
            return meta
    if fmt in ("jpeg", "tiff", "dng", "heic", "webp", "png", "avif"):
        _exif(io.BytesIO(data) if data is not None else p, meta)
    if fmt == "png":
        _png_text(head, meta)
    _xmp(head + tail, meta)
    if fmt in ("mp4", "m4v", "mov", "mp4-init", "avi", "matroska"):
        _container(p, meta)
    _hints(meta)
    return meta


def _ends(path: Path) -> tuple[bytes, bytes]:
    """The first HEAD bytes and what follows of the last HEAD (nothing read twice)."""
    with open(path, "rb") as fh:
        head = fh.read(HEAD)
        size = path.stat().st_size
        tail = b""
        if size > HEAD:
            fh.seek(max(HEAD, size - HEAD))
            tail = fh.read()
    return head, tail


def _exif(source: Path | BinaryIO, meta: Metadata) -> None:
    try:
        import logging

        import exifread

        logging.getLogger("exifread").setLevel(logging.ERROR)  # "no exif data" is not news
        if isinstance(source, Path):
            with open(source, "rb") as fh:
                tags = exifread.process_file(fh, details=False)
        else:
            tags = exifread.process_file(source, details=False)
    except Exception as err:  # exifread raises many kinds on odd files
        meta.errors.append(f"EXIF: {err}")
        return
    for key, value in tags.items():
        if key.startswith("Thumbnail") or key in ("JPEGThumbnail", "TIFFThumbnail"):
            continue
        meta.fields[f"EXIF {key}"] = _clip(value)


def _png_text(data: bytes, meta: Metadata) -> None:
    """tEXt, zTXt and iTXt chunks: where A1111, ComfyUI and Midjourney write."""
    pos = 8
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        try:
            if kind == b"tEXt":
                key, _sep, value = body.partition(b"\x00")
                text = value.decode("latin-1")
            elif kind == b"zTXt":
                key, _sep, rest = body.partition(b"\x00")
                text = zlib.decompress(rest[1:]).decode("latin-1")
            elif kind == b"iTXt":
                key, _sep, rest = body.partition(b"\x00")
                compressed = rest[0] == 1
                rest = rest[2:]
                _lang, _sep, rest = rest.partition(b"\x00")
                _tkey, _sep, value = rest.partition(b"\x00")
                text = (zlib.decompress(value) if compressed else value).decode("utf-8", "replace")
            elif kind == b"IEND":
                break
            else:
                continue
        except (zlib.error, IndexError) as err:
            meta.errors.append(f"PNG text chunk: {err}")
            continue
        meta.fields[f"PNG {key.decode('latin-1')}"] = _clip(text)


def _xmp(data: bytes, meta: Metadata) -> None:
    found = XMP_RE.search(data)
    if not found:
        return
    xmp = found.group(0).decode("utf-8", "replace")
    for name, attribute, element in _XMP_PATTERNS:
        attr = attribute.search(xmp)
        elem = element.search(xmp)
        value = attr.group(1) if attr else None
        if value is None and elem:
            value = _TAG.sub(" ", elem.group(1))
            value = " ".join(value.split())
        if value:
            meta.fields[f"XMP {name}"] = _clip(value)


def _container(path: Path, meta: Metadata) -> None:
    try:
        import av

        # The tags are read with the header; probing packets for codec details (FFmpeg's
        # default) only doubled the time of a `verify` of films (issue 24).
        with av.open(str(path), metadata_errors="ignore", options=PROBE_LITTLE) as container:
            for key, value in container.metadata.items():
                meta.fields[f"container {key}"] = _clip(value)
            for stream in container.streams:
                for key, value in stream.metadata.items():
                    meta.fields[f"stream {stream.index} {key}"] = _clip(value)
    except Exception as err:  # FFmpeg errors on damaged files are hints, not failures
        meta.errors.append(f"container: {str(err) or type(err).__name__}")


def _hints(meta: Metadata) -> None:
    f = meta.fields
    hints = meta.ai_hints
    for key, value in f.items():
        if key.endswith("DigitalSourceType"):
            signal = rubric(value)
            label = value.strip().rstrip("/").rsplit("/", 1)[-1]
            hints.append(
                _("IPTC digital source type '{label}' ({signal}) in {field}").format(
                    label=label, signal=signal or _("unknown term"), field=key
                )
            )
        elif key.endswith(("AISystemUsed", "AIPromptInformation", "AISystemVersionUsed")):
            hints.append(
                _("IPTC AI field {field}: {value}").format(
                    field=key.split(":")[-1], value=value[:120]
                )
            )
    params = f.get("PNG parameters", "")
    if params and ("Steps:" in params or "Sampler:" in params or "Seed:" in params):
        model = re.search(r"Model: ([^,]+)", params)
        if model:
            hint = _(
                "Stable Diffusion (AUTOMATIC1111-style) generation parameters in PNG text "
                "'parameters', model {model}"
            ).format(model=model.group(1))
        else:
            hint = _(
                "Stable Diffusion (AUTOMATIC1111-style) generation parameters in PNG text "
                "'parameters'"
            )
        hints.append(hint)
    if "PNG prompt" in f or "PNG workflow" in f:
        hints.append(_("ComfyUI node graph in PNG text 'prompt'/'workflow'"))
    desc = f.get("PNG Description", "") + " " + f.get("XMP dc:description", "")
    job = re.search(r"Job ID: ?([0-9a-f-]{8,})", desc)
    if job:
        hints.append(_("Midjourney Job ID {job} in the description").format(job=job.group(1)))
    for key in ("EXIF Image Software", "XMP xmp:CreatorTool", "PNG Software", "XMP photoshop:Credit",
                "container encoder", "container comment", "EXIF Image Make", "PNG Comment"):  # fmt: skip
        value = f.get(key, "").lower()
        for name in GENERATORS:
            if name in value:
                hints.append(
                    _("'{value}' in {field} names a generative AI tool").format(
                        value=f[key][:80], field=key
                    )
                )
                break
