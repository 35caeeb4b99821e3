"""The matches list: passages of the film on screen that look like items of the reference
library (perceptual hashes), with the numbers a jury checks, and one click to annotate one.
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import pyqtSignal
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from critique_app.domain.provenance_words import (
    ai_signal_words,
    signer_name,
    trust_list_words,
    verdict_words,
)
from critique_app.gui.flow_layout import FlowLayout
from critique_app.i18n import N_, _, format_number, ngettext
from critique_app.services.stored_matches import StoredMatch

COLUMNS = (
    N_("Library item"),
    N_("Film in – out"),
    N_("Distance"),
    N_("Item range"),
    N_("Variant"),
    N_("Shown as"),
)
HEADER_TIPS = (
    N_("The reference item these frames look like"),
    N_("The matched passage of this film (SMPTE timecode)"),
    N_("pHash distance in bits: median / worst over the matched frames (≤ the frame threshold)"),
    N_("Where in the library item: a still, or the clip's frames"),
    N_(
        "'mirrored': the film shows the item flipped left-right; 'inset': shown smaller inside "
        "the picture (picture-in-picture)"
    ),
    N_("How the passage shows the item: forward or backwards, at what speed, or held still"),
)
VARIANTS = {
    "plain": N_("as is"),
    "mirror": N_("mirrored"),
    "inset": N_("inset"),
    "inset-mirror": N_("inset, mirrored"),
    "panel": N_("one panel of a split screen"),
}
CAVEAT = N_(
    "A match means frames of this film look like a known item (pHash distance). "
    "No match proves nothing: material may be new, or changed past recognition."
)


def original_text(match: StoredMatch | None) -> str:
    """The library original's Content Credentials, said as what they are: an inference."""
    from critique_app.services.recovered_credentials import RECOVERED_WORDING

    o = match.original_credentials if match is not None else None
    if not o:
        return ""
    return _(
        "Original's Content Credentials ({recovered}) {verdict}; signed by {signer}; "
        "vouched for by {trust_list}; AI signal {ai_signal}; manifest {manifest}."
    ).format(
        recovered=_(RECOVERED_WORDING),
        verdict=verdict_words(o.get("reason")),
        signer=signer_name(o.get("signer")),
        trust_list=trust_list_words(o.get("trust_list")),
        ai_signal=ai_signal_words(o.get("ai_signal")),
        manifest=o.get("manifest_label"),
    )


def original_codes(match: StoredMatch | None) -> str:
    """The same credentials' codes, for experts (the label's tooltip)."""
    o = match.original_credentials if match is not None else None
    if not o:
        return ""
    return _("C2PA codes: reason {reason}, AI signal {ai_signal}").format(
        reason=o.get("reason"), ai_signal=o.get("ai_signal")
    )


def item_range(match: StoredMatch) -> str:
    """Where in the library item: a still is one picture; a clip has frames (and a time)."""
    s = match.segment
    if match.kind == "still":
        return _("still")
    if match.item_rate:
        a, b = float(s.item_start / match.item_rate), float(s.item_end / match.item_rate)
        return _("frames {start}–{end} ({from_s}–{to_s} s)").format(
            start=s.item_start,
            end=s.item_end,
            from_s=format_number(round(a, 2)),
            to_s=format_number(round(b, 2)),
        )
    return _("frames {start}–{end}").format(start=s.item_start, end=s.item_end)


class MatchesPanel(QWidget):
    """Rows = matches of one film; selecting one asks to look at it, the button annotates it."""

    look_requested = pyqtSignal(int, int)  # first and last frame of the film
    annotate_requested = pyqtSignal(object)  # StoredMatch
    find_requested = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MatchesPanel")
        self.matches: list[StoredMatch] = []
        self.film_id: int | None = None  # the film whose matches are listed (None: none yet)
        self.annotated: dict[tuple[int, int], int] = {}  # (in, out) -> annotation id
        self._quiet = False
        self.summary = QLabel(_("Open a project with a film, then Find matches."))
        self.summary.setWordWrap(True)
        # what older hashes could not find, in `match`'s own sentences (nothing hidden)
        self.not_searched = QLabel("")
        self.not_searched.setObjectName("MatchesNotSearched")
        self.not_searched.setWordWrap(True)
        self.not_searched.setVisible(False)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        for col, tip in enumerate(HEADER_TIPS):
            header_item = self.table.horizontalHeaderItem(col)
            if header_item is not None:
                header_item.setToolTip(_(tip))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)  # type: ignore[union-attr]
        header = self.table.horizontalHeader()
        assert header is not None
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.find_button = QPushButton(_("Find matches"))
        self.find_button.setToolTip(_("Fingerprint this film and match it against the library"))
        self.annotate_button = QPushButton(_("Annotate this match"))
        self.annotate_button.setToolTip(
            _(
                "A new annotation on the matched frames: evidence 'perceptual match' "
                "(double-click a row does the same)"
            )
        )
        self.annotate_button.setEnabled(False)
        # the selected match's reading in full: the column is cut short in a laptop's dock, and
        # "Library frames 122–206 show one still picture; …" is what a jury must read whole
        self.reading = QLabel("")
        self.reading.setObjectName("MatchReading")
        self.reading.setWordWrap(True)
        self.reading.setVisible(False)
        self._rate: Any = None
        self.original = QLabel("")
        self.original.setObjectName("MatchOriginalCredentials")
        self.original.setWordWrap(True)
        self.original.setVisible(False)
        caveat = QLabel(_(CAVEAT))
        caveat.setWordWrap(True)
        caveat.setObjectName("Muted")  # the theme colours it (resources/qss)
        # the buttons wrap: side by side, their French words were wider than a laptop's column
        buttons_row = QWidget()
        buttons = FlowLayout(buttons_row, spacing=6)
        buttons.addWidget(self.find_button)
        buttons.addWidget(self.annotate_button)
        column = QVBoxLayout(self)
        column.addWidget(self.summary)
        column.addWidget(self.not_searched)
        column.addWidget(self.table, 1)
        column.addWidget(self.reading)
        column.addWidget(self.original)
        column.addWidget(buttons_row)
        column.addWidget(caveat)
        self.find_button.clicked.connect(self.find_requested)
        self.annotate_button.clicked.connect(self._annotate_current)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.cellDoubleClicked.connect(lambda row, _col: self._annotate(row))

    # -- showing ---------------------------------------------------------------------------
    def clear(self, sentence: str, film_id: int | None = None) -> None:
        """No match listed (a film switch, no project): `sentence` says why; a list of the
        previous film never stays beside another film's picture."""
        self.film_id = film_id
        self.matches = []
        self.annotated = {}
        self.table.setRowCount(0)
        self.summary.setText(sentence)
        self._set_not_searched([])
        self._selection_changed()

    def set_matches(
        self,
        matches: list[StoredMatch],
        film: Any,
        library_size: int,
        not_searched: list[str] | None = None,
    ) -> None:
        """The film's matches; `film` gives timecodes, `library_size` the summary's words,
        `not_searched` the service's sentences on what older hashes could not look for."""
        self._set_not_searched(not_searched or [])
        self.film_id = getattr(film, "id", None)
        self._rate = getattr(film, "rate", None)
        self.matches = sorted(matches, key=lambda m: (m.segment.start, m.segment.item_id))
        self.table.setRowCount(len(self.matches))
        for row, match in enumerate(self.matches):
            s = match.segment
            cells = (  # narrow: the dock shares the right column with the editor
                s.label,
                f"{film.timecode(s.start)} – {film.timecode(s.end)}",
                f"{s.median_distance:g} / {s.worst_distance} (≤ {s.threshold})",
                item_range(match),
                _(VARIANTS[s.variant]) if s.variant in VARIANTS else s.variant,
                match.playback(self._rate),
            )
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(
                    ngettext(
                        "film frames {start}–{end}, {count} frame matched; library file {file}",
                        "film frames {start}–{end}, {count} frames matched; library file {file}",
                        s.matched_frames,
                    ).format(start=s.start, end=s.end, count=s.matched_frames, file=match.item_path)
                )
                self.table.setItem(row, col, cell)
        self._mark_annotated()
        if not library_size:
            self.summary.setText(
                _("{title}: the reference library is empty, add stills or clips first.").format(
                    title=film.title
                )
            )
        elif not self.matches:
            self.summary.setText(
                ngettext(
                    "No passage of {title} matches the {count} library item.",
                    "No passage of {title} matches the {count} library items.",
                    library_size,
                ).format(title=film.title, count=library_size)
            )
        else:
            count = len(self.matches)
            self.summary.setText(
                ngettext(
                    "{count} passage of {title} matches the reference library.",
                    "{count} passages of {title} match the reference library.",
                    count,
                ).format(count=count, title=film.title)
            )
        self._selection_changed()

    def _set_not_searched(self, sentences: list[str]) -> None:
        self.not_searched.setText("\n".join(sentences))
        self.not_searched.setVisible(bool(sentences))

    def set_annotated(self, annotated: dict[tuple[int, int], int]) -> None:
        self.annotated = annotated
        self._mark_annotated()
        self._selection_changed()

    def _mark_annotated(self) -> None:
        for row, match in enumerate(self.matches):
            ident = self.annotated.get((match.segment.start, match.segment.end))
            cell = self.table.item(row, 0)
            if cell is not None:
                mark = _("  · annotation #{id}").format(id=ident) if ident else ""
                cell.setText(match.segment.label + mark)

    # -- selecting -----------------------------------------------------------------------------
    def current(self) -> StoredMatch | None:
        row = self.table.currentRow()
        rows = self.table.selectionModel().selectedRows()  # type: ignore[union-attr]
        return self.matches[row] if rows and 0 <= row < len(self.matches) else None

    def select_span(self, start: int, end: int) -> bool:
        """Select the match covering these frames (clicked on the timeline) without echo."""
        for row, match in enumerate(self.matches):
            if (match.segment.start, match.segment.end) == (start, end):
                self._quiet = True
                try:
                    self.table.selectRow(row)
                finally:
                    self._quiet = False
                return True
        return False

    def _selection_changed(self) -> None:
        match = self.current()
        taken = match is not None and (match.segment.start, match.segment.end) in self.annotated
        self.annotate_button.setEnabled(match is not None and not taken)
        self.reading.setText(
            _("{item}, {where}: {reading}").format(
                item=match.segment.label,
                where=item_range(match),
                reading=match.playback(self._rate),
            )
            if match is not None
            else ""
        )
        self.reading.setVisible(bool(self.reading.text()))
        self.original.setText(original_text(match))
        self.original.setToolTip(original_codes(match))
        self.original.setVisible(bool(self.original.text()))
        if match is not None and not self._quiet:
            self.look_requested.emit(match.segment.start, match.segment.end)

    def _annotate_current(self) -> None:
        self._annotate(self.table.currentRow())

    def _annotate(self, row: int) -> None:
        if 0 <= row < len(self.matches):
            self.annotate_requested.emit(self.matches[row])
