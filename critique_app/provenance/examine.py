"""Everything that touches an untrusted file's bytes, in one call that can run in a child process.

Format from the magic numbers, SHA-256, C2PA under each trust list in turn (the first list
under which the file is Trusted is the one that vouched), and plain metadata.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from critique_app.i18n import _, speaking
from critique_app.provenance.formats import detect_format_bytes, mime_for
from critique_app.provenance.metadata import read_metadata
from critique_app.provenance.report import C2paFinding, Metadata
from critique_app.provenance.trust import TrustList

C2PA_FORMATS = {
    "jpeg", "png", "gif", "webp", "avif", "heic", "tiff", "dng", "svg", "jxl", "mp4", "m4v",
    "mp4-init", "mp4-fragment", "mov", "avi", "wav", "mp3", "flac", "m4a", "pdf", "c2pa",
}  # fmt: skip


@dataclass
class Request:
    path: str
    trust_lists: list[TrustList]
    fragments: list[str] = field(default_factory=list)
    thumbnails: bool = True
    sidecar: str | None = None  # a `.c2pa` manifest store beside the asset
    # the reader runs in a process of its own, which never chose a language: its sentences
    # (metadata hints, reasons a file cannot be read) are written in the asker's
    language: str = "en"


@dataclass
class Examination:
    path: str
    sha256: str = ""
    size: int = 0
    format: str | None = None
    mime: str | None = None
    finding: C2paFinding = field(default_factory=C2paFinding)
    vouched_by: str | None = None  # key of the trust list under which the file is Trusted
    metadata: Metadata = field(default_factory=Metadata)
    versions: dict[str, str] = field(default_factory=dict)


def _hash(path: str) -> tuple[str, int, bytes]:
    digest = hashlib.sha256()
    size = 0
    head = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            if not head:
                head = chunk[:65536]
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size, head


def examine(req: Request) -> Examination:
    """Read one file completely; never raises for a bad file (problems go in the result)."""
    with speaking(req.language):
        return _examine(req)


def _examine(req: Request) -> Examination:
    from critique_app.provenance import c2pa_reader  # the only door to the native library

    out = Examination(path=req.path, versions=c2pa_reader.versions())
    try:
        out.sha256, out.size, head = _hash(req.path)
    except OSError as err:
        out.finding = C2paFinding(
            error=_("cannot read {name} ({reason})").format(
                name=Path(req.path).name, reason=err.strerror
            ),
            error_kind="unreadable",
        )
        return out
    out.format = detect_format_bytes(head, Path(req.path).suffix.lower())
    out.mime = mime_for(out.format)
    if out.format == "c2pa" and not req.sidecar:
        out.finding = C2paFinding(
            present=True,
            error=_("a sidecar manifest without its asset"),
            error_kind="sidecar_without_asset",
        )
    elif out.size == 0:
        out.finding = C2paFinding(error=_("the file is empty"), error_kind="unreadable")
    elif out.format not in C2PA_FORMATS:
        out.finding = C2paFinding(
            error=_("the format is not one that can carry Content Credentials")
            if out.format
            else _("the bytes are not a known image, video or audio format"),
            error_kind="unreadable",
        )
    else:
        for trust in req.trust_lists:
            finding = c2pa_reader.read_c2pa(
                req.path, out.mime, trust, req.fragments, req.thumbnails, req.sidecar
            )
            out.finding = finding
            if finding.signer_trusted:
                out.vouched_by = trust.key
                break
            # Another list can only change the outcome when the signer was the problem.
            if not finding.present or not finding.untrusted_urls:
                break
    out.metadata = read_metadata(req.path, out.format)
    return out
