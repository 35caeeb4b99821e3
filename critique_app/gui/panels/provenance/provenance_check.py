"""Provenance ▸ Check a file…: the dialog that picks any still or film to check.

The window shows the chosen file's report in the provenance panel (ProvenanceDock.check_file),
exactly as a file dropped on the panel; the film on screen stays where it is.
"""

from __future__ import annotations

from PyQt6.QtWidgets import QWidget

from critique_app.gui import file_dialogs
from critique_app.i18n import N_, _
from critique_app.provenance.formats import MEDIA_SUFFIXES

# Every kind of file the reader knows, then anything (the bytes decide the format).
FILTER = N_("Stills and films ({patterns});;All files (*)")
TITLE = N_("Check the Content Credentials of a still or a film")


def choose_file(parent: QWidget | None) -> str | None:
    """The file the user chose, or None when they cancelled."""
    patterns = " ".join(f"*{s}" for s in sorted(MEDIA_SUFFIXES))
    path = file_dialogs.open_file(parent, "check", _(TITLE), _(FILTER).format(patterns=patterns))
    return str(path) if path is not None else None
