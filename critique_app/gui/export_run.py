"""What every export from the window shares: where to write (a file, or a folder for the
formats that write one), and the run on the window's task runner with progress and Cancel.

The seminar panel and File ▸ Export annotations… both come through here, and both end in the
same service call as `critique-app export` (services.export.export_files): one code path, so
the window writes exactly what the command line writes, whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PyQt6.QtWidgets import QWidget

import exporters
from critique_app.gui.file_dialogs import choose_folder, save_file
from critique_app.gui.format_filters import export_filter
from critique_app.gui.worker import Task, TaskRunner
from critique_app.i18n import _
from critique_app.progress import Progress
from critique_app.services import export as export_service

SIGNED_FORMATS = ("clips", "pack")  # the formats that sign their clips (Content Credentials)


def format_label(exporter: exporters.Exporter) -> str:
    """How a format is listed to the user: its name and what it makes."""
    return f"{exporter.name} — {_(exporter.description)}"


def ask_target(parent: QWidget | None, fmt: str, name: str) -> Path | None:
    """Where to export in `fmt`: a folder for the formats that write one (clips), else a file
    named `name` + the format's extension; None when the user cancelled. Purpose "export": the
    dialog starts in the last export folder, else the Preferences exports folder."""
    exporter = exporters.get(fmt)
    if exporter.writes_folder:
        return choose_folder(parent, "export", _("Export {format} into").format(format=fmt))
    return save_file(
        parent,
        "export",
        _("Export"),
        export_filter(exporter),
        f"{name}{exporter.extension}",
    )


def signer_for(project: Any, fmt: str) -> Any:
    """The project's clip signer for the formats that sign (None for the others)."""
    return export_service.configured_signer(project) if fmt in SIGNED_FORMATS else None


def _export_job(
    progress: Progress,
    doc: Any,
    fmt: str,
    out: Path,
    signer: Any,
    rhythm: bool = False,
    heat: bool = False,
) -> export_service.Exported:
    if callable(doc):  # read on this worker, from its own connection
        doc = doc()
    return export_service.export_files(
        doc, fmt, out, progress, signer=signer, rhythm=rhythm, heat=heat
    )


def start_export(
    runner: TaskRunner,
    doc: Any,
    fmt: str,
    out: Path,
    signer: Any = None,
    *,
    visible: bool = True,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    on_finished: Callable[[], None] | None = None,
    rhythm: bool = False,
    heat: bool = False,
) -> Task:
    """Write `doc` in `fmt` to `out` on a worker (a "project" task: closing the project
    cancels it); `doc` may be a function reading it there (services.export.read_on_worker);
    `on_done` receives the service's `Exported` (its path, files and notes). `rhythm` and
    `heat` add the handout's pictures (gui/handout_extras.py), made on the worker."""
    return runner.run(
        _("Export {format}").format(format=fmt),
        _export_job,
        doc,
        fmt,
        out,
        signer,
        rhythm,
        heat,
        scope="project",
        visible=visible,
        on_done=on_done,
        on_error=on_error,
        on_cancelled=on_cancelled,
        on_finished=on_finished,
    )


def notes_of(done: Any) -> str:
    """What the export has to tell beside the path (a long EDL split into several files)."""
    return " ".join(getattr(done, "notes", ()))
