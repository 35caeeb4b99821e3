"""Everything plugged into the main window, in one list: a new panel joins the window here.

The window installs them in this order (the Provenance dock, then the annotation workbench:
the others use both) and keeps what each installer returns under the entry's attribute
(`window.matches`…). At shutdown it closes, last installed first, those that hold work (they
have a `close()`). Picard's extension points and Anki's operations are the model: no hand call
per panel in main_window.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from critique_app.gui.annotate.anchor_keeper import install_anchor_keeper
from critique_app.gui.annotate.annotation_actions import install_annotation_tools
from critique_app.gui.annotate.region_tracker import install_region_tracker
from critique_app.gui.panels.agreement.agreement_dock import install_agreement
from critique_app.gui.panels.compare.compare_dock import install_compare
from critique_app.gui.panels.copies.copy_dialog import install_copy_mover
from critique_app.gui.panels.exports.annotation_export import install_annotation_export
from critique_app.gui.panels.films.films_dock import FilmsWindow, install_films
from critique_app.gui.panels.lenses.instability_dock import install_instability_lens
from critique_app.gui.panels.lenses.rhythm_compare import install_rhythm_comparison
from critique_app.gui.panels.lenses.rhythm_lane import install_rhythm_lane
from critique_app.gui.panels.library.library_dock import LibraryWindow, install_library
from critique_app.gui.panels.matches.matches_dock import MatchesWindow, install_matches
from critique_app.gui.panels.provenance.provenance_dock import install_provenance
from critique_app.gui.panels.screening.screening_dock import install_screening
from critique_app.gui.panels.seminars.seminar_dock import install_seminar_dock
from critique_app.gui.preferences import install_preferences
from critique_app.gui.project_commands import ProjectWindow, install_project_commands
from critique_app.gui.undo_history import install_undo_history


class PlugInHost(ProjectWindow, FilmsWindow, MatchesWindow, LibraryWindow, Protocol):
    """Every part of the window some installer needs (the main window offers them all: mypy
    checks it where the window loops over the list)."""


@dataclass(frozen=True)
class PlugIn:
    attribute: str  # the window attribute that keeps what `install` returns
    install: Callable[[PlugInHost], object]  # each takes the part of the window it needs


PLUG_INS: tuple[PlugIn, ...] = (
    # Panels ▸ Provenance, Provenance ▸ Check a file…: first, so its dock heads the Panels menu
    # as it always has (the Matches tab joins it); it needs the annotations only when clicked
    PlugIn("provenance", install_provenance),
    PlugIn("annotations", install_annotation_tools),  # table, editor, drawing tools, their keys
    PlugIn("seminars", install_seminar_dock),
    PlugIn("anchor_keeper", install_anchor_keeper),  # annotations kept on a changed film
    PlugIn("matches", install_matches),
    PlugIn("library", install_library),  # Panels ▸ Reference library, beside the Matches tab
    PlugIn("copies", install_copy_mover),  # Provenance ▸ Move annotations onto another copy
    PlugIn("screening", install_screening),  # File ▸ Screen a folder…, the Screening panel
    PlugIn("agreement", install_agreement),  # Panels ▸ Agreement: where a class differs
    PlugIn("compare", install_compare),  # View ▸ Compare with…, the compare panel
    PlugIn("instability", install_instability_lens),  # View ▸ Lenses ▸ Instability lens
    PlugIn("rhythm", install_rhythm_lane),  # View ▸ Lenses ▸ Rhythm lane: a bar per shot
    PlugIn("rhythm_comparison", install_rhythm_comparison),  # View ▸ Lenses ▸ Compare the rhythm
    PlugIn("region_tracker", install_region_tracker),  # Annotate ▸ Track the region forward…
    PlugIn("project_commands", install_project_commands),  # File ▸ New, Recent, Copy, Close
    PlugIn("films", install_films),  # Panels ▸ Films: the project's films
    PlugIn("preferences", install_preferences),  # Edit ▸ Preferences…
    PlugIn("history", install_undo_history),  # named Undo/Redo, Panels ▸ Undo history
    PlugIn("annotation_export", install_annotation_export),  # File ▸ Export annotations…
)
