"""Run a screening on Dask distributed: a LocalCluster of this machine, or a cluster by address.

The only module that imports Dask. The client plans the work (files not screened yet with
these settings), sends the library to every worker once, submits one task per file and stores
each result as it arrives, one transaction per file: it is the only writer to the project.
A worker that dies mid-file has its task retried elsewhere by Dask; a client that dies leaves
every stored file done, and the next run skips them.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from critique_app.domain.screening import ScreeningResult
from critique_app.errors import UserError
from critique_app.i18n import _, ngettext
from critique_app.progress import NO_PROGRESS, Progress
from critique_app.services.screening import (
    LibrarySnapshot,
    ScreeningSettings,
    SnapshotItem,
    Submission,
    find_submissions,
    screen_file,
    unexpected_failure,
)
from critique_app.services.screening_table import rank_of
from db import fingerprint_store
from db import screening_store as store
from db.project import Project

# Dask starts its worker processes with MALLOC_TRIM_THRESHOLD_=65536 (to hand memory back to
# the system sooner). Setting it turns off glibc's adaptive mmap threshold, so every decoded
# frame's buffers are mapped and unmapped again: measured here, a screening task ran 37 %
# slower (7 s of system time in 37 s). Our workers start without it (a LocalCluster; on a
# cluster started apart, see docs/scaling.md).
WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
RETRIES = 2  # a task that raised is tried again this many times (a worker's death: Dask's own)
RESUBMITS = 2  # a result lost to the cluster itself (not to the file): screened again
CONNECT_TIMEOUT = "20s"


@dataclass
class RunStatus:
    """What a person follows while it runs."""

    done: int
    total: int
    failures: int
    started: float
    dashboard: str | None = None

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 and self.done else 0.0

    @property
    def eta_seconds(self) -> float | None:
        return (self.total - self.done) / self.rate if self.rate else None

    def line(self) -> str:
        eta = self.eta_seconds
        left = (
            _("{minutes}:{seconds} left").format(
                minutes=int(eta // 60), seconds=f"{int(eta % 60):02d}"
            )
            if eta is not None
            else _("time left unknown")
        )
        line = _("{done}/{total} files, {rate} files/s, {left}").format(
            done=self.done, total=self.total, rate=f"{self.rate:.2f}", left=left
        )
        if self.failures:
            line += ", " + ngettext("{count} failed", "{count} failed", self.failures).format(
                count=self.failures
            )
        return line


@dataclass
class ScreeningSummary:
    settings_key: str
    found: int  # media files found
    skipped: list[str] = field(default_factory=list)  # not media, hidden, unpaired sidecars
    already_done: int = 0  # skipped: screened earlier with the same settings
    moved: int = 0  # content screened earlier under another name (only hashed)
    screened: int = 0  # screened in this run and stored
    failed: list[str] = field(default_factory=list)  # stored with a problem: one sentence each
    not_seen: list[str] = field(default_factory=list)  # a worker could not see the file
    workers: int = 0
    dashboard: str | None = None
    seconds: float = 0.0
    plain_items: list[str] = field(default_factory=list)  # library items too plain to be found

    def sentences(self) -> list[str]:
        found = ngettext(
            "{count} media file found;", "{count} media files found;", self.found
        ).format(count=self.found)
        if self.workers:
            run = ngettext(
                "{screened} screened in this run on {count} worker in {seconds} s.",
                "{screened} screened in this run on {count} workers in {seconds} s.",
                self.workers,
            ).format(screened=self.screened, count=self.workers, seconds=f"{self.seconds:.1f}")
        else:
            run = _("nothing left to screen.")
        out = [f"{found} {run}"]
        if self.already_done:
            out.append(
                ngettext(
                    "{count} file was already screened with the same settings and library, "
                    "and skipped.",
                    "{count} files were already screened with the same settings and library, "
                    "and skipped.",
                    self.already_done,
                ).format(count=self.already_done)
            )
        if self.moved:
            out.append(
                ngettext(
                    "{count} file had the same content as a file screened before under another "
                    "name (moved or copied): only hashed, and listed under the first name.",
                    "{count} files had the same content as a file screened before under another "
                    "name (moved or copied): only hashed, and listed under the first name.",
                    self.moved,
                ).format(count=self.moved)
            )
        if self.skipped:
            count = len(self.skipped)
            out.append(
                ngettext("{count} file not screened:", "{count} files not screened:", count).format(
                    count=count
                )
            )
            out += [f"  {s}" for s in self.skipped]
        if self.not_seen:
            count = len(self.not_seen)
            out.append(
                ngettext(
                    "{count} file could not be seen by a worker (not stored; run again once the "
                    "folder is shared):",
                    "{count} files could not be seen by a worker (not stored; run again once "
                    "the folder is shared):",
                    count,
                ).format(count=count)
            )
            out += [f"  {s}" for s in self.not_seen]
        return out + self.library_notes()

    def library_notes(self) -> list[str]:
        """What the library cannot find, for the terminal and the report alike."""
        from critique_app.services.fingerprinting import plain_items_sentence

        return [plain_items_sentence(self.plain_items)] if self.plain_items else []


def library_snapshot(project: Project) -> LibrarySnapshot:
    """The library as workers need it: hashes, the variants `library add` computed, and the
    originals' credentials (for `recovered_by_content`)."""
    import json

    items = [
        SnapshotItem(
            item.id,
            item.label,
            item.kind,
            fingerprint_store.to_blob(item.hashes),
            f"{item.rate.numerator}/{item.rate.denominator}" if item.rate else None,
            fingerprint_store.to_blob(item.variants.reshape(-1))
            if item.variants is not None
            else None,
            json.dumps(item.credentials, sort_keys=True) if item.credentials else None,
        )
        for item in fingerprint_store.library_items(project.db)
    ]
    return LibrarySnapshot.of(items)


def has_dashboard() -> bool:
    """Dask's dashboard needs bokeh, an optional extra."""
    return importlib.util.find_spec("bokeh") is not None


def quiet_dask() -> None:
    """Keep Dask's own log lines (worker start, shutdown chatter) off the terminal."""
    for name in ("distributed", "dask", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def run_screening(
    project: Project,
    folders: Iterable[str | Path],
    *,
    trust: str = "all",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress = NO_PROGRESS,
    on_status: Callable[[RunStatus], None] | None = None,
    on_client: Callable[[Any], None] | None = None,
) -> ScreeningSummary:
    """Screen every media file under the folders into the project; return what happened.

    `workers` processes on a LocalCluster started and stopped here (default: one per core),
    or the existing cluster at `scheduler`. `on_client(client)` lets a caller (tests) look
    at the cluster while it runs. Raises `Cancelled` when progress is cancelled: every file
    stored by then stays stored.
    """
    from critique_app.provenance.trust import lists_for

    lists_for(trust)  # a bad trust setting fails before any work
    if workers is not None and workers < 1:
        raise UserError(_("--workers must be 1 or more."))
    started = time.monotonic()
    found = find_submissions(list(folders))
    snapshot = library_snapshot(project)
    settings = ScreeningSettings(trust=trust, library_digest=snapshot.digest)
    key = settings.key()
    summary = ScreeningSummary(key, len(found.submissions), skipped=list(found.skipped))
    summary.plain_items = fingerprint_store.plain_library_labels(project.db)
    done = store.done_files(project.db, key)
    pending = [s for s in found.submissions if (s.path, s.size, s.mtime_ns) not in done]
    summary.already_done = len(found.submissions) - len(pending)
    if pending:
        _run_on_dask(
            project, pending, snapshot, settings, summary, workers, scheduler, progress,
            on_status, on_client, started,
        )  # fmt: skip
    summary.seconds = time.monotonic() - started
    return summary


def _run_on_dask(
    project: Project,
    pending: list[Submission],
    snapshot: LibrarySnapshot,
    settings: ScreeningSettings,
    summary: ScreeningSummary,
    workers: int | None,
    scheduler: str | None,
    progress: Progress,
    on_status: Callable[[RunStatus], None] | None,
    on_client: Callable[[Any], None] | None,
    started: float,
) -> None:
    import dask
    from distributed import Client, LocalCluster, as_completed

    quiet_dask()
    cluster = None
    client = None
    futures: list[Any] = []
    total = len(pending)
    status = RunStatus(0, total, 0, started)
    progress.update(0, total, _("Starting the workers"))
    with dask.config.set(
        {
            "distributed.scheduler.allowed-failures": 3,
            "distributed.comm.timeouts.connect": CONNECT_TIMEOUT,
            **WORKER_CONFIG,
        }
    ):
        try:
            if scheduler:
                try:
                    client = Client(scheduler, timeout=CONNECT_TIMEOUT)
                except (OSError, TimeoutError) as err:
                    raise UserError(
                        _(
                            "No Dask scheduler answered at {scheduler} ({reason}); start one with `dask "
                            "scheduler` and its workers with `dask worker ADDRESS`."
                        ).format(scheduler=scheduler, reason=err)
                    ) from None
                summary.workers = len(client.scheduler_info().get("workers", {}))
                if summary.workers == 0:
                    try:
                        client.wait_for_workers(1, timeout=60)
                    except TimeoutError:
                        raise UserError(
                            _(
                                "The Dask scheduler at {scheduler} has no workers; start them with `dask worker "
                                "{scheduler}` on each machine."
                            ).format(scheduler=scheduler)
                        ) from None
                    summary.workers = len(client.scheduler_info().get("workers", {}))
                _check_workers(client)
            else:
                n = workers or os.cpu_count() or 1
                cluster = LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # a free port: never "8787 is already in use"
                    silence_logs=logging.CRITICAL,
                    host="127.0.0.1",
                )
                client = Client(cluster)
                summary.workers = n
            summary.dashboard = _dashboard(client, local=cluster is not None)
            status.dashboard = summary.dashboard
            if on_client is not None:
                on_client(client)
            # The library goes to every worker once, not with every task.
            # (in a list: scatter spreads a bare collection item by item)
            library, known = client.scatter(
                [snapshot, store.done_digests(project.db, settings.key())],
                broadcast=True,
                hash=False,
            )
            run = uuid.uuid4().hex[:8]
            futures = client.map(
                screen_file,
                pending,
                library=library,
                settings=settings,
                known=known,
                retries=RETRIES,
                pure=False,
                key=[f"screen-{run}-{i}-{Path(s.path).name[:40]}" for i, s in enumerate(pending)],
            )
            by_key = {f.key: s for f, s in zip(futures, pending, strict=True)}
            progress.update(0, total, status.line())
            arriving = as_completed(futures)
            again: dict[str, int] = {}
            for future in arriving:
                sub = by_key[future.key]
                tries = again.get(sub.path, 0)
                result = _result_of(future, sub, settings, lost=tries < RESUBMITS)
                if result is None:
                    # screen_file turns every problem of the file into a reason, so an error
                    # here is the cluster's (a worker killed mid-transfer, a restart race):
                    # the file is screened again, not reported as failed
                    again[sub.path] = tries + 1
                    retry = client.submit(
                        screen_file,
                        sub,
                        library=library,
                        settings=settings,
                        known=known,
                        retries=RETRIES,
                        pure=False,
                        key=f"{future.key}-again-{tries + 1}",
                    )
                    by_key[retry.key] = sub
                    futures.append(retry)
                    arriving.add(retry)
                    future.release()
                    continue
                future.release()
                _keep(project, result, sub, summary)
                status.done += 1
                status.failures = len(summary.failed) + len(summary.not_seen)
                if on_status is not None:
                    on_status(status)
                progress.update(status.done, total, status.line())
        finally:
            for f in futures:
                f.cancel()
            if client is not None:
                _quietly(client.close, timeout=10)
            if cluster is not None:
                _quietly(cluster.close, timeout=20)


def _worker_version() -> str | None:
    try:
        from critique_app import __version__ as version
    except ImportError:
        return None
    return version


def _check_workers(client: Any) -> None:
    """Workers of a cluster must run the same Critique: say which do not, before any work."""
    from critique_app import __version__

    try:
        versions = client.run(_worker_version)
    except Exception:  # the function itself could not be loaded there: no Critique at all
        versions = {"a worker": None}
    wrong = sorted(w for w, v in versions.items() if v != __version__)
    if wrong:
        raise UserError(
            ngettext(
                "{count} Dask worker ({names}) does not run Critique {version}: install the same "
                "version on every worker machine.",
                "{count} Dask workers ({names}) do not run Critique {version}: install the same "
                "version on every worker machine.",
                len(wrong),
            ).format(count=len(wrong), names=", ".join(wrong[:3]), version=__version__)
        )


def _quietly(close: Callable[..., Any], **kw: Any) -> None:
    try:
        close(**kw)
    except Exception:  # shutting down a cluster that is already going: nothing to keep
        pass


def _dashboard(client: Any, local: bool) -> str | None:
    """The link when a dashboard really runs (without bokeh, the page only says it's missing)."""
    if local and not has_dashboard():
        return None
    try:
        services = client.scheduler_info().get("services", {})
    except Exception:
        return None
    return str(client.dashboard_link) if "dashboard" in services else None


def _result_of(
    future: Any, sub: Submission, settings: ScreeningSettings, lost: bool = False
) -> ScreeningResult | None:
    """The task's result; a task that never came back becomes a result with a reason. With
    `lost`, an error of the cluster's (not KilledWorker: the file killed its workers) gives
    None instead, and the caller screens the file again."""
    from distributed import KilledWorker

    try:
        result: ScreeningResult = future.result()
        return result
    except KilledWorker:
        why = _(
            "{name}: the worker process died on this file on every try (a crash or out of memory "
            "while reading it); nothing was checked."
        ).format(name=Path(sub.path).name)
    except Exception as err:  # a bug or a resource problem on the worker: say it, carry on
        if lost:
            return None
        why = _("{name}: screening failed on the worker ({error_type}: {reason}).").format(
            name=Path(sub.path).name, error_type=type(err).__name__, reason=err
        )
    return unexpected_failure(sub, settings, why)


def _keep(
    project: Project, result: ScreeningResult, sub: Submission, summary: ScreeningSummary
) -> None:
    """Store one result in its own transaction (the client is the only writer)."""
    if not result.visible:
        summary.not_seen.append(str(result.problem))
        return
    if result.already_screened:
        store.same_content(
            project.db, str(result.sha256), result.settings_key, sub.path, sub.size, sub.mtime_ns
        )
        summary.moved += 1
        return
    if result.sha256 is None:
        result = result.with_(sha256=_client_digest(sub.path))
    if result.problem:
        summary.failed.append(str(result.problem))
    if result.sha256 is None:  # not even the client can read it: nothing to key it by
        summary.failed.append(_("{path} cannot be read; it was not stored.").format(path=sub.path))
        return
    rank, why = rank_of(result)
    store.store_result(project.db, result, rank=rank, rank_reason=why, mtime_ns=sub.mtime_ns)
    summary.screened += 1


def _client_digest(path: str) -> str | None:
    from critique_app.digest import sha256_file

    try:
        return sha256_file(path)
    except OSError:
        return None


def screen_folders(
    progress: Progress,
    project_path: str | Path,
    folders: list[str | Path],
    workers: int | None = None,
    scheduler: str | None = None,
) -> ScreeningSummary:
    """`run_screening` on a connection of its own, for the window's task runner (a worker
    thread: the window's own connection stays on the GUI thread). Cancel stops the cluster;
    files stored by then stay stored."""
    from db.project import open_project

    with open_project(project_path) as project:
        return run_screening(
            project, folders, workers=workers, scheduler=scheduler, progress=progress
        )
