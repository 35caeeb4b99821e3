"""Everything that touches an untrusted file's bytes, in one call that can run in a child process.

Format from the magic numbers, SHA-256, C2PA under the trust lists (the first list under
which the file is Trusted is the one that vouched; mostly found in one reading, see
one_read.py), and plain metadata.
"""

from __future__ import annotations

import hashlib
import os
import threading
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from critique_app.i18n import _, speaking
from critique_app.provenance import one_read
from critique_app.provenance.formats import detect_format_bytes, mime_for
from critique_app.provenance.metadata import WHOLE, read_metadata
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
    per_list: bool = False  # read under each list in turn, never once for all (tests compare)
    # the thumbnails' pictures cross the pipe only for a window that shows them; a batch
    # report holds their format and size (issue 24: 1.6 MB of the 1.85 MB a corpus pass sent)
    thumbnail_pictures: bool = True


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


def _hash(path: str) -> tuple[str, int, bytes | None]:
    """SHA-256, size, and the bytes themselves when the metadata can be read from them: a file
    that small is read once for both (issue 24)."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size <= WHOLE:
            data = fh.read()
            digest.update(data)
            return digest.hexdigest(), len(data), data
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size, None


def _head(path: str) -> tuple[bytes, int]:
    with open(path, "rb") as fh:
        return fh.read(65536), os.fstat(fh.fileno()).st_size


class _Beside(threading.Thread):
    """The SHA-256 and the plain metadata, read while the C2PA library reads the same file:
    both libraries let go of the interpreter while they work, so a second core does this
    (issue 24: PyAV opening a film took a fifth of a `verify` run). Started here or run by a
    kept thread (the worker's); always waited for."""

    def __init__(self, path: str, fmt: str | None, language: str) -> None:
        super().__init__(name="critique-verify-beside", daemon=True)
        self.path, self.fmt = path, fmt
        self.language = language  # `speaking` is per thread: the hints in the asker's language
        self.digest: tuple[str, int] | None = None
        self.metadata: Metadata | None = None
        self.error: OSError | None = None
        self.failure: BaseException | None = None  # raised again by the caller, as before

    def run(self) -> None:
        try:
            digest, size, data = _hash(self.path)
            self.digest = digest, size
            with speaking(self.language):
                self.metadata = read_metadata(self.path, self.fmt, data)
        except OSError as err:
            self.error = err
        except BaseException as err:  # MemoryError under the worker's limit, a bug
            self.failure = err


def examine(req: Request, helper: Executor | None = None) -> Examination:
    """Read one file completely; never raises for a bad file (problems go in the result).
    `helper`: a thread kept for the hash and metadata (the worker's), else one per file."""
    with speaking(req.language):
        return _examine(req, helper)


def _examine(req: Request, helper: Executor | None) -> Examination:
    from critique_app.provenance import c2pa_reader  # the only door to the native library

    out = Examination(path=req.path, versions=c2pa_reader.versions())
    try:
        head, size = _head(req.path)
    except OSError as err:
        out.finding = _cannot_read(req.path, err)
        return out
    out.format = detect_format_bytes(head, Path(req.path).suffix.lower())
    out.mime = mime_for(out.format)
    beside = _Beside(req.path, out.format, req.language)
    # a kept thread is handed the work at once; a new one is waited for until it runs
    running = helper.submit(beside.run) if helper is not None else None
    if running is None:
        beside.start()
    try:
        out.finding, out.vouched_by = _c2pa(req, out, size)
        if not req.thumbnail_pictures:
            _sizes_only(out.finding)
    finally:
        if running is not None:
            running.result()
        else:
            beside.join()
    if beside.failure is not None:
        raise beside.failure
    if beside.error is not None or beside.digest is None:
        out.finding, out.vouched_by = _cannot_read(req.path, beside.error), None
        return out
    out.sha256, out.size = beside.digest
    if beside.metadata is not None:
        out.metadata = beside.metadata
    return out


def _sizes_only(finding: C2paFinding) -> None:
    for manifest in finding.manifests.values():
        for ing in manifest.ingredients:
            ing.thumbnail = None  # its size and format stay


def _cannot_read(path: str, err: OSError | None) -> C2paFinding:
    why = err.strerror if err is not None else None
    return C2paFinding(
        error=_("cannot read {name} ({reason})").format(name=Path(path).name, reason=why),
        error_kind="unreadable",
    )


def _c2pa(req: Request, out: Examination, size: int) -> tuple[C2paFinding, str | None]:
    """The C2PA finding and the list that vouched (None when none did)."""
    from critique_app.provenance import c2pa_reader

    if out.format == "c2pa" and not req.sidecar:
        return C2paFinding(
            present=True,
            error=_("a sidecar manifest without its asset"),
            error_kind="sidecar_without_asset",
        ), None
    if size == 0:
        return C2paFinding(error=_("the file is empty"), error_kind="unreadable"), None
    if out.format not in C2PA_FORMATS:
        return C2paFinding(
            error=_("the format is not one that can carry Content Credentials")
            if out.format
            else _("the bytes are not a known image, video or audio format"),
            error_kind="unreadable",
        ), None

    def read(trust: TrustList, evidence: one_read.Evidence | None) -> C2paFinding:
        return c2pa_reader.read_c2pa(req.path, out.mime, trust, req.fragments,
                                     req.thumbnails, req.sidecar, evidence)  # fmt: skip

    how = one_read.per_list if req.per_list else one_read.read_once
    return how(read, req.trust_lists)
