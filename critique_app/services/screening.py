"""A jury's screening of submissions, one pure task per file: SHA-256, verify, fingerprint, match.

`screen_file` is a pure function of (submission, library snapshot, settings) that returns a
ScreeningResult (plain data) and never touches the project: it runs unchanged here, on a Dask
worker of this machine or on another machine. The Dask side (scheduling, retries, progress)
is services/screening_cluster.py; storing results is the client's job (db/screening_store.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from critique_app import __version__
from critique_app.domain.screening import ScreeningResult
from critique_app.i18n import _
from critique_app.media.fingerprint import FrameHashes
from critique_app.provenance import matching

# Bump when a task's result would change for the same file and settings.
TASK_VERSION = 3  # 2: sidecar manifests are read; 3: insets, centres, variants, recovery

# Formats (critique_app.provenance.formats names) a jury screens.
PICTURE_FORMATS = {"jpeg", "png", "gif", "webp", "avif", "heic", "tiff", "dng", "jxl"}
FILM_FORMATS = {"mp4", "m4v", "mov", "avi", "matroska", "mp4-init", "mpeg-ts", "mpeg-ps"}
SOUND_FORMATS = {"wav", "mp3", "flac", "m4a"}
MEDIA_FORMATS = PICTURE_FORMATS | FILM_FORMATS | SOUND_FORMATS | {"svg", "mp4-fragment"}
SIDECAR_SUFFIX = ".c2pa"


@dataclass(frozen=True)
class Submission:
    """One file to screen, with what belongs to it (plain data: it travels to workers)."""

    path: str
    format: str
    sidecar: str | None = None  # a .c2pa manifest beside the file
    fragments: tuple[str, ...] = ()  # media segments of a fragmented MP4 init
    size: int = 0
    mtime_ns: int = 0


@dataclass
class Discovery:
    submissions: list[Submission] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one sentence per file not screened


@dataclass(frozen=True)
class ScreeningSettings:
    """Everything besides the file's bytes that a result depends on (part of the result key)."""

    trust: str = "all"
    frame_threshold: int = matching.FRAME_THRESHOLD
    median_threshold: int = matching.MEDIAN_THRESHOLD
    min_frames: int = matching.MIN_FRAMES
    library_digest: str = ""
    task_version: int = TASK_VERSION

    def key(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class SnapshotItem:
    """One library item as plain bytes: its frames' hashes and the variants `library add`
    computed (crops, rotations, centres), so workers match exactly as `match` does."""

    id: int
    label: str
    kind: str
    hashes: bytes  # N little-endian uint64
    rate: str | None
    variants: bytes | None = None  # K x N little-endian uint64, row by row
    credentials: str | None = None  # the original's Content Credentials summary, JSON

    def digest_into(self, h: Any) -> None:
        h.update(f"{self.id}|{self.label}|{self.kind}|{self.rate}|".encode())
        for blob in (self.hashes, self.variants or b"", (self.credentials or "").encode()):
            h.update(hashlib.sha256(blob).digest())


@dataclass(frozen=True)
class LibrarySnapshot:
    """The project's reference library as plain data, sent to every worker once."""

    items: tuple[SnapshotItem, ...]
    digest: str

    @staticmethod
    def of(items: list[SnapshotItem]) -> LibrarySnapshot:
        h = hashlib.sha256()
        for item in items:
            item.digest_into(h)
        return LibrarySnapshot(tuple(items), h.hexdigest()[:16])

    def __len__(self) -> int:
        return len(self.items)

    def credentials(self) -> dict[int, dict[str, Any]]:
        return {i.id: json.loads(i.credentials) for i in self.items if i.credentials}


# ---- finding submissions by their content -------------------------------------------------


def _extra_format(head: bytes) -> str | None:
    """Film containers the provenance detector does not name (no C2PA there, but pictures)."""
    if len(head) >= 377 and head[0] == 0x47 and head[188] == 0x47 and head[376] == 0x47:
        return "mpeg-ts"
    if head.startswith(b"\x00\x00\x01\xba"):
        return "mpeg-ps"
    return None


def content_format(path: Path) -> str | None:
    """The format by the file's first bytes (never by its name); None when not media."""
    from critique_app.provenance.formats import detect_format_bytes

    with path.open("rb") as fh:
        head = fh.read(65536)
    fmt = detect_format_bytes(head, path.suffix.lower()) or _extra_format(head)
    if fmt == "matroska" or fmt is None:
        return fmt or _probe_format(path, head)
    return fmt


def _probe_format(path: Path, head: bytes) -> str | None:
    """Unknown magic bytes: ask FFmpeg whether it sees a video stream (e.g. raw .h264)."""
    if not head or head[:1] in (b"{", b"<", b"#") or head.isascii():
        return None  # text files: JSON, XML, notes, subtitles
    import av

    try:
        with av.open(str(path), timeout=5) as container:
            if container.streams.video and container.format.name not in ("image2", "tty"):
                return "film"
    except (av.error.FFmpegError, OSError, ValueError):
        return None
    return None


def find_submissions(folders: list[str | Path]) -> Discovery:
    """Every media file under the folders (recursively), by content; sidecars and fragments
    paired with their file. Anything else is named in `skipped`, never dropped silently."""
    from critique_app.errors import UserError

    found = Discovery()
    files: list[Path] = []
    for raw in folders:
        p = Path(raw)
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.is_file() or f.is_symlink())
        elif p.is_file():
            files.append(p)
        else:
            raise UserError(_("{path} does not exist.").format(path=p))
    sidecars = {f for f in files if f.suffix.lower() == SIDECAR_SUFFIX}
    formats: dict[Path, str] = {}
    for f in files:
        if f in sidecars:
            continue
        if f.name.startswith("."):
            found.skipped.append(_("{file} is hidden; it was not screened.").format(file=f))
            continue
        try:
            fmt = content_format(f)
        except OSError as err:
            found.skipped.append(
                _("{file} cannot be read ({reason}); it was not screened.").format(
                    file=f, reason=err.strerror
                )
            )
            continue
        if fmt is None or fmt not in MEDIA_FORMATS | {"film"}:
            what = (
                _("a {format} document").format(format=fmt.upper())
                if fmt
                else _("not a picture, film or sound")
            )
            found.skipped.append(
                _("{file} is {what} by its content; it was not screened.").format(file=f, what=what)
            )
            continue
        formats[f] = fmt
    fragments = _pair_fragments(formats)
    used_sidecars: set[Path] = set()
    in_fragments = {x for frags in fragments.values() for x in frags}
    for f, fmt in formats.items():
        if f in in_fragments:
            continue
        sidecar = _sidecar_for(f, sidecars)
        if sidecar is not None:
            used_sidecars.add(sidecar)
        st = f.stat()
        found.submissions.append(
            Submission(
                str(f.resolve()),
                fmt,
                str(sidecar.resolve()) if sidecar else None,
                tuple(str(x.resolve()) for x in fragments.get(f, [])),
                st.st_size,
                st.st_mtime_ns,
            )
        )
    for s in sorted(sidecars - used_sidecars):
        found.skipped.append(
            _(
                "{path} is a C2PA sidecar manifest with no media file of the same name beside it; it "
                "was not screened."
            ).format(path=s)
        )
    return found


def _sidecar_for(path: Path, sidecars: set[Path]) -> Path | None:
    """film.mp4 takes film.c2pa or film.mp4.c2pa from the same folder."""
    for name in (path.stem + SIDECAR_SUFFIX, path.name + SIDECAR_SUFFIX):
        for s in sidecars:
            if s.parent == path.parent and s.name.lower() == name.lower():
                return s
    return None


def _pair_fragments(formats: dict[Path, str]) -> dict[Path, list[Path]]:
    """Fragmented MP4: the init segment takes the fragments whose name starts like its own
    (dashinit.mp4 + dash1.m4s), as `verify` pairs them."""
    inits = [f for f, fmt in formats.items() if fmt == "mp4-init"]
    paired: dict[Path, list[Path]] = {}
    for frag in (f for f, fmt in formats.items() if fmt == "mp4-fragment"):
        for init in inits:
            stem = init.stem.lower().split("init")[0].rstrip("_-. ")
            if frag.parent == init.parent and stem and frag.stem.lower().startswith(stem):
                paired.setdefault(init, []).append(frag)
                break
    return {k: sorted(v) for k, v in paired.items()}


# ---- the task --------------------------------------------------------------------------------

_LIBRARIES: dict[str, matching.ReferenceLibrary] = {}


def _library(snapshot: LibrarySnapshot, max_distance: int) -> matching.ReferenceLibrary:
    """The matching index, built once per worker process and snapshot (not once per file)."""
    key = f"{snapshot.digest}/{max_distance}"
    if key not in _LIBRARIES:
        items = []
        for item in snapshot.items:
            hashes = np.frombuffer(item.hashes, dtype="<u8").astype(np.uint64)
            variants = None
            if item.variants and len(hashes):
                variants = np.frombuffer(item.variants, dtype="<u8").astype(np.uint64)
                variants = variants.reshape(-1, len(hashes))
            rate = Fraction(item.rate) if item.rate else None
            items.append(matching.ReferenceItem(item.id, item.label, hashes, rate, variants))
        _LIBRARIES.clear()
        _LIBRARIES[key] = matching.ReferenceLibrary(items, max_distance)
    return _LIBRARIES[key]


def screen_file(
    submission: Submission,
    library: LibrarySnapshot,
    settings: ScreeningSettings,
    known: frozenset[str] = frozenset(),
) -> ScreeningResult:
    """Screen one file: plain data, never an exception for a bad file (a reason instead).

    `known` holds the SHA-256 of contents already screened with these settings (a file moved
    or copied since): for those only the digest is computed and `already_screened` is set.
    """
    started, cpu0 = time.perf_counter(), time.process_time()
    path = Path(submission.path)
    result = begin_result(submission, settings).with_(worker=socket.gethostname())
    if not path.exists():
        result = result.with_(
            visible=False,
            problem=(
                _(
                    "the worker on {host} cannot see {path}: workers read submissions from a "
                    "shared path, so that folder must be mounted at the same place on every machine of "
                    "the cluster."
                ).format(host=socket.gethostname(), path=path)
            ),
        )
        return _timed(result, started, cpu0)
    try:
        from critique_app.digest import sha256_file

        result = result.with_(size=path.stat().st_size)
        result = result.with_(sha256=sha256_file(path))
    except OSError as err:
        problem = _("{name} cannot be read ({reason}); nothing was checked.").format(
            name=path.name, reason=err.strerror
        )
        return _timed(result.with_(problem=problem), started, cpu0)
    if result.sha256 in known:
        return _timed(result.with_(already_screened=True), started, cpu0)
    verify = _verify(submission, settings.trust, sidecar=submission.sidecar)
    result = result.with_(verify=verify)
    try:
        picture, segments, rate = _fingerprint_and_match(submission, library, settings)
        kinds = {item.id: item.kind for item in library.items}
        result = result.with_(
            picture=picture,
            matches=tuple(_match_json(s, rate, kinds.get(s.item_id, "")) for s in segments),
        )
        recovered = _recovered(verify, segments, library)
        if recovered:
            verify["c2pa"]["recovered_by_content"] = recovered
        if picture.get("problem"):
            result = result.with_(problem=picture["problem"])
    except Exception as err:  # a hostile or damaged file: a reason, never a failed run
        result = result.with_(
            problem=_("{name} could not be fingerprinted: {sentence}").format(
                name=path.name, sentence=_sentence(err)
            )
        )
    return _timed(result, started, cpu0)


def begin_result(
    submission: Submission, settings: ScreeningSettings, *, size: int | None = None
) -> ScreeningResult:
    """A file's result before anything was read: where it is, and with which settings."""
    return ScreeningResult(
        path=submission.path,
        format=submission.format,
        sidecar=submission.sidecar,
        fragments=tuple(submission.fragments),
        settings_key=settings.key(),
        size=size,
    )


def _timed(result: ScreeningResult, started: float, cpu0: float) -> ScreeningResult:
    return result.with_(
        seconds=round(time.perf_counter() - started, 3),
        cpu_seconds=round(time.process_time() - cpu0, 3),
        screened_by=f"critique {__version__}, pid {os.getpid()}",
    )


def _sentence(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return text if text.endswith(".") else text + "."


def _verify(submission: Submission, trust: str, *, sidecar: str | None = None) -> dict[str, Any]:
    """The same report as `critique-app verify` (with the `.c2pa` sidecar beside the file when
    there is one), read in the isolated child process."""
    from critique_app.services.verify import both_manifests, verify_file

    report = verify_file(
        submission.path, trust, submission.fragments, thumbnails=False, sidecar=sidecar
    )
    if sidecar:  # the file's own manifest is checked too, and the report says which one speaks
        own = verify_file(submission.path, trust, submission.fragments, thumbnails=False)
        report = both_manifests(own, report, sidecar_asked=False)
    report.fragments = list(submission.fragments)
    return report.to_json()


def _fingerprint_and_match(
    submission: Submission, snapshot: LibrarySnapshot, settings: ScreeningSettings
) -> tuple[dict[str, Any], list[matching.MatchSegment], Fraction | None]:
    """What the file's pictures are, the segments matching the library, the film's rate."""
    fmt = submission.format
    if fmt in SOUND_FORMATS or fmt in ("svg", "mp4-init"):
        why = (
            _("a sound file")
            if fmt in SOUND_FORMATS
            else _("{format}: no decodable picture here").format(format=fmt)
        )
        return (
            {
                "kind": "none",
                "frames": 0,
                "note": _("not fingerprinted ({reason})").format(reason=why),
            },
            [],
            None,
        )
    if fmt in PICTURE_FORMATS:
        hashes, rate, kind, crop, problem = _hash_still(Path(submission.path))
    else:
        hashes, rate, kind, crop, problem = _hash_film(Path(submission.path))
    if hashes is None:
        return {"kind": kind, "frames": 0, "problem": problem}, [], rate
    library = _library(snapshot, settings.frame_threshold)
    segments = (
        matching.segments_of_hashes(
            hashes,
            library,
            frame_threshold=settings.frame_threshold,
            median_threshold=settings.median_threshold,
            min_frames=1 if kind == "still" else settings.min_frames,
            film_rate=rate,
        )
        if len(library)
        else []
    )
    picture = {
        "kind": kind,
        "frames": int(len(hashes.phash)),
        "rate": f"{rate.numerator}/{rate.denominator}" if rate else None,
        "crop": crop,
        "usable_frames": int(matching.usable_frames(hashes.contrast).sum()),
        "problem": problem,
    }
    return picture, segments, rate


def _recovered(
    verify: dict[str, Any] | None,
    segments: list[matching.MatchSegment],
    snapshot: LibrarySnapshot,
) -> list[dict[str, Any]]:
    """`verify --project`'s `c2pa.recovered_by_content` for a submission without standing
    credentials of its own whose pictures match signed library originals."""
    from critique_app.services.recovered_credentials import needs_recovery, recovered_entries

    if not verify or not segments or not needs_recovery(verify):
        return []
    credentials = snapshot.credentials()
    labels = {item.id: (item.label, item.kind) for item in snapshot.items}
    return recovered_entries(
        segments,
        credentials.get,
        lambda i: {"id": i, "label": labels[i][0], "kind": labels[i][1]},
    )


def _match_json(s: matching.MatchSegment, rate: Fraction | None, kind: str) -> dict[str, Any]:
    from critique_app.domain.timecode import frame_to_smpte

    row = {**s.to_row(), "label": s.label, "item_kind": kind, "matched_frames": s.matched_frames}
    row["start_timecode"] = frame_to_smpte(s.start, rate) if rate else None
    row["end_timecode"] = frame_to_smpte(s.end, rate) if rate else None
    return row


def _hash_still(
    path: Path,
) -> tuple[FrameHashes | None, None, str, list[int] | None, str | None]:
    from critique_app.media.fingerprint import hash_frames
    from critique_app.provenance.reference_library import _open_image, grey_still

    rgb = _open_image(path)
    if rgb is None:
        return (
            None,
            None,
            "still",
            None,
            _("{name} does not decode as a picture.").format(name=path.name),
        )
    return hash_frames(grey_still(rgb)[None]), None, "still", None, None


def _hash_film(
    path: Path,
) -> tuple[FrameHashes | None, Fraction | None, str, list[int] | None, str | None]:
    """Every frame hashed in this process, by one decoding thread: Dask spreads files over
    the cores (one worker process per core), so FFmpeg's own threads would only compete."""
    from critique_app.errors import UserError
    from critique_app.media.film_hashes import _concat, hash_batches
    from critique_app.media.grey_frames import read_layout
    from critique_app.media.letterbox import detect_film_bars

    try:
        layout = read_layout(path)
    except UserError as err:
        return None, None, "film", None, str(err)
    if layout.frame_count == 0:
        return (
            None,
            layout.rate,
            "film",
            None,
            _("{name} has no decodable frame.").format(name=path.name),
        )
    crop = detect_film_bars(path, layout)
    runs = list(hash_batches(path, 0, None, crop, layout, threads=1))
    problem = next((r.stopped for r in runs if r.stopped), None)
    if layout.cut_short and problem is None:
        problem = _(
            "{name} is cut short: {declared} frames are announced but only {frame_count} could "
            "be read; those were fingerprinted."
        ).format(name=path.name, declared=layout.declared, frame_count=layout.frame_count)
    runs = [r for r in runs if len(r)]
    if not runs:
        return (
            None,
            layout.rate,
            "film",
            None,
            problem or _("{name} has no decodable frame.").format(name=path.name),
        )
    hashes = _concat(runs, 0, None).hashes
    return hashes, layout.rate, "film", crop.to_json() if crop else None, problem


def unexpected_failure(
    submission: Submission, settings: ScreeningSettings, why: str
) -> ScreeningResult:
    """The result for a task that never came back (its worker died on every try)."""
    return begin_result(submission, settings, size=submission.size).with_(problem=why)
