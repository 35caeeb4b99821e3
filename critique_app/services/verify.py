"""Verify files for a jury: C2PA verdict, AI signal and plain metadata, one report per file.

Shared by `critique-app verify` and the provenance panel. Reading happens in the isolated
worker (critique_app.provenance.isolation) unless a caller asks for in-process reading.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import ExitStack, closing
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from critique_app import __version__
from critique_app.digest import sha256_file
from critique_app.domain.provenance_words import trust_list_words
from critique_app.errors import UserError
from critique_app.i18n import N_, _, current
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.provenance import verdict as verdicts
from critique_app.provenance.examine import Examination, Request
from critique_app.provenance.formats import detect_format, is_media_file
from critique_app.provenance.isolation import IsolatedReader, examine_in_process, shared_reader
from critique_app.provenance.reader_pool import ReaderPool, workers_for
from critique_app.provenance.report import ProvenanceReport, Verdict
from critique_app.provenance.trust import (
    TrustList,
    dates_of,
    files_of,
    lists_for,
    trust_dates,
    trust_files,
)

INIT_ALONE = N_(
    "{sentence} This is only the init segment of a fragmented MP4: its hashes cover the media "
    "fragments, so verify it together with them."
)
FRAGMENT_ALONE = N_(
    "this is a fragment of a fragmented MP4; verify it together with its init segment ({error})"
)


@dataclass(frozen=True)
class TrustSetUp:
    """The trust lists of one setting and what a report records of them, made once per batch
    (issue 24: rebuilding them for every report cost about a tenth of a `verify` run)."""

    trust: str
    cawg_trust: str | None
    lists: list[TrustList]
    dates: dict[str, str]
    files: list[dict]

    @classmethod
    def of(cls, trust: str, cawg_trust: str | None = None) -> TrustSetUp:
        """Raises UserError for a bad setting."""
        lists = lists_for(trust, cawg_trust)  # the installed lists looked at once, not thrice
        return cls(trust, cawg_trust, lists, dates_of(lists), [asdict(f) for f in files_of(lists)])


def verify_file(
    path: str | Path,
    trust: str = "all",
    fragments: Iterable[str | Path] = (),
    reader: IsolatedReader | None = None,
    isolated: bool = True,
    thumbnails: bool = True,
    sidecar: str | Path | None = None,
    cawg_trust: str | None = None,
    progress: Progress = NO_PROGRESS,
    setup: TrustSetUp | None = None,
) -> ProvenanceReport:
    """The full report for one file (with its `.c2pa` sidecar manifest when given).
    Raises UserError only for a bad trust setting or a sidecar that does not exist, and
    Cancelled when `progress` is cancelled (the child reading the file is stopped).
    `setup`: the trust set-up of `trust` and `cawg_trust`, when a batch made it already."""
    if setup is None or (setup.trust, setup.cawg_trust) != (trust, cawg_trust):
        setup = TrustSetUp.of(trust, cawg_trust)
    req = _request(path, setup, fragments, thumbnails, sidecar)
    if isolated:
        exam = (reader or shared_reader()).examine(req, progress=progress)
    else:
        exam = examine_in_process(req)
    progress.check()
    return _report(exam, setup, isolated, sidecar)


def _request(
    path: str | Path,
    setup: TrustSetUp,
    fragments: Iterable[str | Path] = (),
    thumbnails: bool = True,
    sidecar: str | Path | None = None,
    pictures: bool = True,
) -> Request:
    """What the reader is asked for one file; raises UserError for a missing sidecar.
    `pictures`: the ingredients' thumbnails themselves, for a window that shows them; without,
    only the format and size a report holds."""
    if sidecar is not None and not Path(sidecar).is_file():
        raise UserError(_("The sidecar manifest {sidecar} does not exist.").format(sidecar=sidecar))
    side = str(sidecar) if sidecar is not None else None
    return Request(
        str(path), setup.lists, [str(f) for f in fragments], thumbnails, side,
        language=current(), thumbnail_pictures=pictures,
    )  # fmt: skip


def _report(
    exam: Examination, setup: TrustSetUp, isolated: bool, sidecar: str | Path | None
) -> ProvenanceReport:
    report = build_report(exam, setup.trust, isolated, setup.cawg_trust, setup)
    report.sidecar = str(Path(sidecar).resolve()) if sidecar is not None else None
    return report


def build_report(
    exam: Examination,
    trust: str,
    isolated: bool = True,
    cawg_trust: str | None = None,
    setup: TrustSetUp | None = None,
) -> ProvenanceReport:
    if not exam.sha256:
        _fill_identity(exam)  # the worker died before it could say
    vouched = exam.vouched_by
    finding = exam.finding
    if exam.format == "mp4-fragment" and finding.error_kind == "unreadable":
        finding.error = _(FRAGMENT_ALONE).format(error=finding.error)
    # the list is named by the one function that names lists (a user's own list says so)
    state, reason, sentence = verdicts.classify(
        finding, trust_list_words(vouched) if vouched else None
    )
    if exam.format == "mp4-init" and not finding.error and reason == "tampered":
        sentence = _(INIT_ALONE).format(sentence=sentence)
    signal, source, signal_sentence = verdicts.ai_signal(finding)
    verdict = Verdict(
        state=state,
        reason=reason,
        sentence=sentence,
        trust_list=vouched,
        ai_signal=signal,
        ai_signal_source=source,
        ai_signal_sentence=signal_sentence,
    )
    return ProvenanceReport(
        path=str(Path(exam.path).resolve()) if exam.path else exam.path,
        sha256=exam.sha256,
        size=exam.size,
        format=exam.format or "unknown",
        mime=exam.mime,
        trust=trust,
        c2pa=finding,
        verdict=verdict,
        metadata=exam.metadata,
        fragments=[],
        checked_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        tool_versions={**exam.versions, "critique": __version__},
        trust_dates=dict(setup.dates) if setup else trust_dates(trust),
        trust_files=[dict(f) for f in setup.files]
        if setup
        else [asdict(f) for f in trust_files(trust, cawg_trust)],
        cawg_trust=cawg_trust or "installed",
        isolated=isolated,
    )


def _fill_identity(exam: Examination) -> None:
    p = Path(exam.path)
    try:
        if not p.is_file():
            return
        exam.sha256 = sha256_file(p)
        exam.size = p.stat().st_size
        exam.format = detect_format(p)
    except OSError:
        pass


@dataclass
class Job:
    """One file to verify, with what belongs to it."""

    path: Path
    fragments: list[Path] = field(default_factory=list)
    sidecar: Path | None = None


def collect(paths: Iterable[str | Path]) -> list[Job]:
    """The files to verify, folders expanded; each fragmented-MP4 init paired with its
    fragments, and each `name.c2pa` sidecar with the `name.ext` asset beside it.

    A fragment sits in the same folder as its init segment and shares the part of the init's
    name before 'init' (dashinit.mp4 + dash1.m4s, video_init.mp4 + video_001.m4s). A sidecar
    with no asset of its name stays in the list alone and is reported as such.
    """
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if is_media_file(f))
        elif p.exists() or os.path.lexists(p):
            files.append(p)
        else:
            raise UserError(_("{path} does not exist.").format(path=p))
    formats = {f: _safe_format(f) for f in files}
    inits = [f for f in files if formats[f] == "mp4-init"]
    paired: dict[Path, list[Path]] = {i: [] for i in inits}
    for frag in (f for f in files if formats[f] == "mp4-fragment"):
        for init in inits:
            stem = init.stem.lower().split("init")[0].rstrip("_-. ")
            if frag.parent == init.parent and stem and frag.stem.lower().startswith(stem):
                paired[init].append(frag)
                break
    sidecars: dict[Path, Path] = {}
    for side in (f for f in files if f.suffix.lower() == ".c2pa"):
        assets = [f for f in files if f.parent == side.parent and f.stem == side.stem and f != side]
        if assets:
            sidecars[assets[0]] = side
    used = {f for frags in paired.values() for f in frags} | set(sidecars.values())
    return [Job(f, sorted(paired.get(f, [])), sidecars.get(f)) for f in files if f not in used]


def _brief(report: ProvenanceReport, source: str, path: str | None) -> dict:
    """The other manifest's verdict, as a report that is about one manifest mentions it."""
    v = report.verdict
    return {"source": source, "path": path, "state": v.state, "reason": v.reason,
            "summary": v.sentence, "trust_list": v.trust_list}  # fmt: skip


def both_manifests(
    own: ProvenanceReport, with_sidecar: ProvenanceReport, sidecar_asked: bool
) -> ProvenanceReport:
    """One report for an asset checked twice: alone (its embedded manifest) and against the
    `name.c2pa` beside it. Both are checked and the report says which one its verdict is about
    (issue 24: a stray sidecar once made a scan say `tampered` while the file's own, valid
    manifest went unmentioned). A sidecar given with --manifest is what the user asked about;
    one a folder scan found beside an asset that carries its own manifest is the second
    opinion, since the embedded manifest is the one the asset carries wherever it goes."""
    embedded = own.c2pa.present or own.verdict.reason == "remote_manifest"
    sidecar = with_sidecar.sidecar
    if not embedded:
        with_sidecar.verdict_about = "sidecar"
        return with_sidecar
    if sidecar_asked:
        with_sidecar.verdict_about = "sidecar"
        with_sidecar.other_manifest = _brief(own, "embedded", own.path)
        return with_sidecar
    own.verdict_about = "embedded"
    own.other_manifest = _brief(with_sidecar, "sidecar", sidecar)
    return own


def _safe_format(path: Path) -> str | None:
    try:
        return detect_format(path) if path.is_file() else None
    except OSError:
        return None


def verify_paths(
    paths: Iterable[str | Path],
    trust: str = "all",
    progress: Progress = NO_PROGRESS,
    reader: IsolatedReader | ReaderPool | None = None,
    manifest: str | Path | None = None,
    cawg_trust: str | None = None,
) -> list[ProvenanceReport]:
    """Reports for every file (folders expanded), in order, with progress and cancel.
    `manifest`: a sidecar `.c2pa` for the one asset given. Without a `reader`, a batch gets a
    worker a core (reader_pool), all stopped when it ends; a single file, the app's one."""
    setup = TrustSetUp.of(trust, cawg_trust)  # a bad setting fails before any work
    jobs = collect(paths)
    if manifest is not None:
        if len(jobs) != 1:
            raise UserError(_("--manifest goes with exactly one asset."))
        jobs[0].sidecar = Path(manifest)
    # Every file's requests first, so the worker reads the next file while this one's report
    # is built (issue 24); an asset with a sidecar is read with it, then alone.
    # A batch's reports are written out, never shown: the thumbnails' sizes are enough.
    reqs = []
    for job in jobs:
        reqs.append(_request(job.path, setup, job.fragments, sidecar=job.sidecar, pictures=False))
        if job.sidecar is not None:
            reqs.append(_request(job.path, setup, job.fragments, pictures=False))
    reports = []
    with ExitStack() as stack:
        if reader is None:
            workers = workers_for(len(reqs))
            reader = (
                shared_reader()
                if workers == 1
                else stack.enter_context(closing(ReaderPool(workers)))  # its own: stopped here
            )
        exams = stack.enter_context(closing(reader.examine_many(reqs, progress)))
        for done, job in enumerate(jobs):
            progress.update(done, len(jobs), job.path.name)
            report = _report(next(exams), setup, True, job.sidecar)
            if job.sidecar is not None:
                own = _report(next(exams), setup, True, None)
                report = both_manifests(own, report, sidecar_asked=manifest is not None)
            report.fragments = [str(f.resolve()) for f in job.fragments]
            reports.append(report)
    progress.update(len(jobs), len(jobs), _("done"))
    return reports
