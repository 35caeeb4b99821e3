"""The Reference library panel's widget: the known AI material films are matched against, one
row per still or clip (label, kind, the jury's note; the file and its stored matches in the
label's tooltip), the items too plain to be found said above them in the sentence every match
list says, with buttons and a right-click menu for what can be done to one item.

A thin view: it shows the rows it is given and asks, by signals, for the work to be done
(gui/panels/library/library_dock.py does it through services).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QBrush, QColor
from PyQt6.QtWidgets import QHeaderView, QLabel, QPushButton, QWidget

from critique_app.gui.panels.entry_list import EntryModel, EntryPanel
from critique_app.i18n import N_, _, ngettext

if TYPE_CHECKING:  # the rows are plain data; the service (and NumPy) load when listing
    from critique_app.services.library_list import LibraryEntry

COLUMNS = (N_("Label"), N_("Kind"), N_("Note"))  # fits a laptop's right column
PLAIN_COLOUR = "#8d6e63"  # a warning, not an error: the item is still searched
NO_PROJECT = N_("Open or make a project (File ▸ New project…) to see its reference library here.")
NO_ITEMS = N_(
    "The reference library is empty: Add stills or clips… puts known AI-generated material "
    "in it, and Provenance ▸ Find matches looks for it in the film."
)


def kind_words(entry: LibraryEntry) -> str:
    """Still, or Clip with its frames."""
    if entry.kind == "still":
        return _("Still")
    return ngettext("Clip, {count} frame", "Clip, {count} frames", entry.frames).format(
        count=entry.frames
    )


def _plain_sentence(labels: list[str]) -> str:
    from critique_app.services.fingerprinting import plain_items_sentence  # NumPy, PyAV

    return plain_items_sentence(labels)


class LibraryModel(EntryModel):
    """The library's items, one row each, read-only."""

    COLUMNS = COLUMNS

    def cell(self, entry: LibraryEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (entry.label, kind_words(entry), entry.note)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.ForegroundRole and entry.too_plain and column < 2:
            return QBrush(QColor(PLAIN_COLOUR))
        return None

    @staticmethod
    def _tooltip(entry: LibraryEntry, column: int) -> str | None:
        if column == 2:
            return entry.note or None
        if column == 1 and entry.too_plain:
            return _plain_sentence([entry.label])
        if column != 0:
            return None
        if entry.present:
            where = entry.path
        else:
            where = _(
                "The file is not at {path} any more; its fingerprints are in the project, so "
                "films are still matched against it."
            ).format(path=entry.path)
        matches = ngettext(
            "{count} match of the project's films with this item is stored.",
            "{count} matches of the project's films with this item are stored.",
            entry.matches,
        ).format(count=entry.matches)
        return f"{where}\n{matches}"


class LibraryPanel(EntryPanel):
    """Asks for work by signals carrying an item's id; the dock does it."""

    ADD = N_("Add stills or clips…")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Library", LibraryModel(), NO_PROJECT, NO_ITEMS, parent)
        self.model.setParent(self)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        assert header is not None
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the note takes the rest
        # the items too plain to be found, in the sentence the Matches panel says beside them
        self.plain = QLabel()
        self.plain.setObjectName("LibraryPlain")
        self.plain.setWordWrap(True)
        self.plain.hide()
        self.remove_button = QPushButton(_("Remove from the library…"))
        self.reveal_button = QPushButton(_("Reveal in folder"))
        self.lay_out(
            [self.plain],
            [
                (self.remove_button, self.remove_requested),
                (self.reveal_button, self.reveal_requested),
            ],
        )

    def show_entries(self, entries: list[LibraryEntry]) -> None:
        super().show_entries(entries)
        plain = [e.label for e in entries if e.too_plain]
        self.plain.setText(_plain_sentence(plain) if plain else "")
        self.plain.setVisible(bool(plain))

    def row_commands(self) -> list[tuple[str, Any]]:
        return [
            (_("Remove from the library…"), self.remove_requested),
            (_("Reveal in folder"), self.reveal_requested),
        ]
