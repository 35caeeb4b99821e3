"""The annotation table: a QAbstractTableModel over the project's annotations, with filters.

The model holds only the ids the repository returns for the current filters (tier, category,
author, status, full-text search over notes and tags through SQLite FTS5) and reads rows in
pages as the view scrolls, so 100,000 annotations open at once. A search lists its hits a
window at a time, already in film order from SQLite, and fetches more as the view scrolls
(the letter "m" matches most of a class's notes); in the window, a search typed and the next
windows run on the task runner, a newer text dropping an older search. An annotation edit moves, adds or removes
only the rows it touched; other changes re-run the query. Double-click asks the window to
jump to the annotation's first frame; selection is reported so the timeline follows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PyQt6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    pyqtSignal,
)
from PyQt6.QtGui import QColor, QFont, QIcon, QPixmap
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from critique_app.domain.annotation_words import confidence_word, status_word
from critique_app.domain.model import STATUSES, Annotation, Category, Film
from critique_app.gui import colours
from critique_app.gui.keys.focus_rules import take_single_keys
from critique_app.gui.worker import Task, TaskRunner
from critique_app.i18n import N_, _, current, format_number, ngettext
from critique_app.services.table_search import (
    FirstPage,
    Key,
    NextPage,
    first_page,
    first_page_in_background,
    next_page,
    next_page_in_background,
)
from critique_app.services.workspace import ProjectWorkspace

_MARKUP = re.compile(r"^#+\s*|[*_`]+")
PAGE = 200  # rows read from the project at a time
WINDOW = 500  # search hits listed first; more (as many again) as the view scrolls to the end
SEARCH_PAUSE_MS = 150  # typing this fast is one search, not one per key
# Each column's English title is its key (the code and the saved widths use it); the header
# shows it translated.
COLUMNS = (
    N_("In"),
    N_("Out"),
    N_("Film"),
    N_("Tier"),
    N_("Category"),
    N_("Status"),
    N_("Conf."),
    N_("Author"),
    N_("Tags"),
    N_("Value"),
    N_("Note"),
)
_MONO = QFont("DejaVu Sans Mono")
_MONO.setStyleHint(QFont.StyleHint.Monospace)


@dataclass(frozen=True)
class TableFilters:
    """What the table shows; None means 'any'."""

    film_id: int | None = None
    tier_ids: tuple[int, ...] | None = None
    category_ids: tuple[int, ...] | None = None
    authors: tuple[str, ...] | None = None
    statuses: tuple[str, ...] | None = None
    search: str = ""


def filter_args(f: TableFilters) -> dict[str, Any]:
    """The filters as the project's queries take them."""
    return {
        "film_id": f.film_id,
        "tier_ids": f.tier_ids,
        "category_ids": f.category_ids,
        "authors": f.authors,
        "statuses": f.statuses,
        "search": f.search or None,
    }


def category_branch(categories: list[Category], category_id: int) -> tuple[int, ...]:
    """A category and everything under it: filtering on a level shows all its values."""
    by_key = {c.key: c for c in categories}
    chosen = next((c for c in categories if c.id == category_id), None)
    if chosen is None:
        return (category_id,)
    ids = []
    for cat in categories:
        node: Category | None = cat
        while node is not None:
            if node.key == chosen.key and node.vocabulary_id == chosen.vocabulary_id:
                ids.append(cat.id or 0)
                break
            node = by_key.get(node.parent_key) if node.parent_key else None
    return tuple(ids)


def colour_swatch(colour: str, size: int = 10) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def read_annotations(workspace: ProjectWorkspace, ids: list[int]) -> list[Annotation]:
    """Annotations by id in one query (tags and regions included)."""
    return list(workspace.annotations_by_id(list(ids)))


MANY_EDITED = 100  # rows an edit may place one by one; beyond, the table is listed afresh


class _Stale(Exception):
    """The listed rows no longer match the project (another program edited it)."""


class AnnotationTableModel(QAbstractTableModel):
    """Rows = annotation ids for the filters; columns = what a student scans for."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace: ProjectWorkspace | None = None
        self.filters = TableFilters()
        self.ids: list[int] = []  # the rows listed so far, in listing order
        self.matches = 0  # how many annotations the filters keep (listed or not yet)
        self.in_project = 0  # how many annotations the project holds
        self._more = False  # a search has hits beyond the listed window
        # whole listings queried again (opening, other filters, another program's edits): an
        # annotation edit, its undo or redo never adds one (tests count them)
        self.reloads = 0
        # with the window's task runner, more hits are listed on a worker as the view scrolls
        self.runner: TaskRunner | None = None
        self._fetching: Task | None = None
        # changes taken in (edits, re-reads, another project): a search that ran on a worker
        # meanwhile read the project as it was before, so its rows are asked for again
        self.edits = 0
        self._edge: Key | None = None  # with more to fetch: the listed rows are the hits
        # up to this listing key (the last one fetched), whatever was edited since
        self._rows: dict[int, Annotation] = {}
        self.films: dict[int, Film] = {}
        self.tiers: dict[int, Any] = {}
        self.categories: dict[int, Category] = {}
        self.colours: dict[int, str] = {}  # category id -> colour (the timeline's colours)

    # -- data in -------------------------------------------------------------------------------

    @property
    def bound(self) -> ProjectWorkspace:
        """The project this is bound to, where the caller knows one is."""
        assert self.workspace is not None
        return self.workspace

    def bind(self, workspace: ProjectWorkspace | None, colour_of: Any = None) -> None:
        """A project was opened (or closed: workspace None)."""
        self.beginResetModel()
        self._drop_fetch()
        self.workspace = workspace
        self._rows.clear()
        self.ids, self._more, self.matches, self.in_project = [], False, 0, 0
        self._edge = None
        self.edits += 1
        if workspace is not None:
            self.reloads += 1
            self._load_names(colour_of)
            self._take(self._query())
        self.endResetModel()

    def _load_names(self, colour_of: Any = None) -> None:
        workspace = self.bound
        self.films = {f.id or 0: f for f in workspace.films()}
        self.tiers = {t.id or 0: t for t in workspace.tiers()}
        cats = workspace.categories()
        self.categories = {c.id or 0: c for c in cats}
        if colour_of is not None:
            self.colours = {c.id or 0: colour_of(c) for c in cats}

    def set_filters(self, filters: TableFilters) -> None:
        if filters != self.filters:
            self.filters = filters
            self.refresh(new_filters=True)

    def _filter_args(self) -> dict[str, Any]:
        return filter_args(self.filters)

    def _query(self, at_least: int = 0) -> FirstPage:
        """What the current filters list now (a search: a window of its hits)."""
        return first_page(self.bound, self._filter_args(), max(WINDOW, at_least))

    def _take(self, page: FirstPage) -> None:
        self.ids, self._more, self.matches = page.ids, page.more, page.matches
        self._edge, self.in_project = page.edge, page.in_project

    def show_found(self, filters: TableFilters, page: FirstPage) -> None:
        """A search run on a worker for these filters came back (the project unchanged since
        it started): its first page replaces the listed rows, one reset of a window of rows."""
        self.filters = filters
        self.beginResetModel()
        self._drop_fetch()
        self._take(page)
        self.endResetModel()

    def refresh(
        self, modified: set[int] | None = None, names: bool = False, *, new_filters: bool = False
    ) -> None:
        """Re-run the filters; rows whose content changed are re-read. The same search keeps
        as many hits listed as were (the view stays where it was); a new one lists a window."""
        if self.workspace is None:
            return
        self.reloads += 1
        self.edits += 1
        if names:
            self._load_names()
        for ident in modified or set(self._rows):
            self._rows.pop(ident, None)
        page = self._query(at_least=0 if new_filters else len(self.ids))
        if page.ids == self.ids:
            self._take(page)
            if modified and len(modified) > MANY_EDITED and self.ids:  # one repaint of them all
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self.ids) - 1, len(COLUMNS) - 1)
                )
            elif modified:
                for ident in modified:
                    row = self.row_of(ident)
                    if row is not None:
                        self._row_changed(row)
            return
        self.beginResetModel()
        self._take(page)
        self.endResetModel()

    def _listed(self, key: Key) -> bool:
        """Whether a hit with this key belongs among the listed rows (not behind them)."""
        return not self._more or (self._edge is not None and key <= self._edge)

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # -- an annotation edit, row by row --------------------------------------------------------
    def apply_edit(
        self, added: Iterable[int] = (), modified: Iterable[int] = (), removed: Iterable[int] = ()
    ) -> None:
        """Annotations were added, changed or removed (and nothing else): put exactly those
        rows where a fresh query would, without re-running it over the whole project.

        Whether a touched annotation still passes the filters is asked of the project for
        those ids only; its place is found by bisecting the listed rows on their listing
        keys (film, first frame, id), read a few rows at a time."""
        if self.workspace is None:
            return
        added, modified, removed = set(added), set(modified), set(removed)
        touched = added | modified | removed
        if not touched:
            return
        if len(touched) > MANY_EDITED:
            # an import, its undo, a bulk change: placing each row (a bisection each) on the
            # window's thread would freeze it for minutes; one fresh listing costs a query
            self.refresh(touched)
            return
        self.edits += 1
        try:
            self._apply_edit(added, modified, removed)
        except _Stale:
            self.refresh(touched)

    def _apply_edit(self, added: set[int], modified: set[int], removed: set[int]) -> None:
        touched = added | modified | removed
        for ident in touched:
            self._rows.pop(ident, None)
        alive = touched - removed
        kept = (
            set(self.bound.annotation_ids(**self._filter_args(), among=alive)) if alive else set()
        )
        keys = self.bound.listing_keys(kept)
        # Rows of annotations now gone or moved are where their old places were: looked for
        # in the list. New ones can only be listed already where a re-read (another program's
        # edit) brought them in, in their place: found by their keys.
        found = {ident: self._scan(ident) for ident in modified | removed}
        known = dict(keys)
        found |= {ident: self._bisect_row(ident, keys[ident], known) for ident in added & kept}
        rows = {ident: row for ident, row in found.items() if row is not None}
        if self._stays_in_place(rows, kept, keys):
            for row in rows.values():
                self._row_changed(row)
            return
        for row in sorted(rows.values(), reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.ids[row]
            self.endRemoveRows()
        for ident in sorted(kept, key=keys.__getitem__):
            if not self._listed(keys[ident]):
                continue  # behind the listed window: it comes with the next fetch
            row = self._place_of(keys[ident], known)
            self.beginInsertRows(QModelIndex(), row, row)
            self.ids.insert(row, ident)
            self.endInsertRows()
        # counted again, not added up: a worker's import read in by another program's re-read
        # before its step reached the undo stack would count twice (a count costs microseconds)
        self.in_project = self.bound.count_annotations()
        if self._more:  # hits behind the window may have come or gone: count them again
            self.matches = self.bound.count_annotation_ids(**self._filter_args())
        else:
            self.matches = len(self.ids)

    def _stays_in_place(self, rows: dict[int, int], kept: set[int], keys: dict[int, Key]) -> bool:
        """One listed row edited, still kept and still between its neighbours (a note or a
        tag typed): the common edit, answered with a repaint of that row."""
        if len(rows) != 1 or set(rows) != kept:
            return False
        ((ident, row),) = rows.items()
        key = keys[ident]
        around = [self.ids[r] for r in (row - 1, row + 1) if 0 <= r < len(self.ids)]
        near = self.bound.listing_keys(around)
        before = near.get(self.ids[row - 1]) if row > 0 else None
        after = near.get(self.ids[row + 1]) if row + 1 < len(self.ids) else None
        if (row > 0 and before is None) or (row + 1 < len(self.ids) and after is None):
            return False  # a neighbour is gone (another program): place it the long way
        return (
            (before is None or before < key)
            and (after is None or key < after)
            and self._listed(key)
        )

    def _place_of(self, key: Key, known: dict[int, Key]) -> int:
        """Where a row with this listing key goes among the listed rows (they are sorted):
        a bisection that reads the keys it compares, some 17 rows of 100,000."""
        low, high = 0, len(self.ids)
        while low < high:
            middle = (low + high) // 2
            ident = self.ids[middle]
            if ident not in known:
                known.update(self.bound.listing_keys([ident]))
            if ident not in known:
                raise _Stale  # another program deleted a listed row: re-run the query
            if known[ident] < key:
                low = middle + 1
            else:
                high = middle
        return low

    # -- fetching more search hits as the view scrolls ------------------------------------------
    def canFetchMore(self, parent: QModelIndex | None = None) -> bool:  # noqa: N802
        if parent is not None and parent.isValid():
            return False
        return self._more and self.workspace is not None

    def fetchMore(self, parent: QModelIndex | None = None) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return
        # Each window asks the full-text index again: one as long as the list so far keeps
        # a long scroll to a few of them.
        limit = max(WINDOW, len(self.ids))
        path = self.bound.path
        if self.runner is None or path is None:
            self._insert(next_page(self.bound, self._filter_args(), self._edge, limit))
        elif self._fetching is None:  # the view asks on every scroll: one fetch at a time
            self._fetch_in_background(path, limit)

    def _fetch_in_background(self, path: Path, limit: int) -> None:
        """The next window on a worker ("m" over 100,000 notes: some 100 ms the scrolling
        view would stand still); taken only if nothing changed the listing meanwhile, else
        asked again."""
        assert self.runner is not None
        before = (self.edits, self.filters, self._edge)

        def fetched(page: NextPage) -> None:
            if self._fetching is not task:
                return  # the listing was replaced (another search, another project)
            self._fetching = None
            if (self.edits, self.filters, self._edge) != before:
                self.fetchMore()
                return
            self._insert(page)

        def failed(_sentence: str) -> None:
            if self._fetching is task:  # the window's own connection says what is wrong
                self._fetching = None
                self._insert(next_page(self.bound, self._filter_args(), self._edge, limit))

        task = self.runner.run(
            _("Listing more search hits"),
            next_page_in_background,
            path,
            self._filter_args(),
            self._edge,
            limit,
            scope="project",
            visible=False,
            on_done=fetched,
            on_error=failed,
        )
        self._fetching = task

    @property
    def fetching(self) -> bool:
        """More hits are being listed on a worker; the rows come when it ends."""
        return self._fetching is not None

    def _drop_fetch(self) -> None:
        if self._fetching is not None:
            self._fetching.drop()
            self._fetching = None

    def _fetch(self, limit: int | None) -> None:
        """List the next `limit` hits behind the listed ones (None: all the rest)."""
        self._drop_fetch()
        self._insert(next_page(self.bound, self._filter_args(), self._edge, limit))

    def _insert(self, page: NextPage) -> None:
        if not page.ids:
            self._more, self._edge = False, None
            return
        found = page.ids
        self.beginInsertRows(QModelIndex(), len(self.ids), len(self.ids) + len(found) - 1)
        self.ids.extend(found)
        self._more, self._edge = page.more, page.edge  # before the view hears: it may ask again
        self.endInsertRows()

    def reveal(self, annotation_id: int) -> int | None:
        """The row of this annotation; when it is a search hit not listed yet (the timeline
        selected it), the hits up to it are listed first. None when the filters hide it."""
        row = self.row_of(annotation_id)
        if row is not None or not self._more or self.workspace is None:
            return row
        if not self.bound.annotation_ids(**self._filter_args(), among=[annotation_id]):
            return None
        self._fetch(None)  # one query for the rest, not a window at a time
        return self.row_of(annotation_id)

    # -- reading -------------------------------------------------------------------------------
    def annotation(self, row: int) -> Annotation | None:
        if not 0 <= row < len(self.ids) or self.workspace is None:
            return None
        ident = self.ids[row]
        if ident not in self._rows:
            first = row - row % PAGE
            page = [i for i in self.ids[first : first + PAGE] if i not in self._rows]
            for a in read_annotations(self.workspace, page):
                self._rows[a.id or 0] = a
            if len(self._rows) > 20 * PAGE:  # keep memory flat while scrolling 100k rows
                keep = set(self.ids[max(0, first - PAGE) : first + 2 * PAGE])
                self._rows = {k: v for k, v in self._rows.items() if k in keep}
        return self._rows.get(ident)

    def row_of(self, annotation_id: int) -> int | None:
        """The row listing this annotation (None: none does), found by bisecting the listed
        rows on their listing keys, a few of them read: scanning 100,000 rows for one they do
        not hold (one just deleted, or filtered out) took 2.5 ms, several times a key press."""
        if self.workspace is None:
            return self._scan(annotation_id)
        key = self.bound.listing_keys([annotation_id]).get(annotation_id)
        if key is None:
            return None  # not in the project (any more)
        return self._bisect_row(annotation_id, key, {annotation_id: key})

    def _bisect_row(self, annotation_id: int, key: Key, known: dict[int, Key]) -> int | None:
        try:
            row = self._place_of(key, known)
        except _Stale:  # another program deleted a listed row: look row by row
            return self._scan(annotation_id)
        return row if row < len(self.ids) and self.ids[row] == annotation_id else None

    def _scan(self, annotation_id: int) -> int | None:
        try:
            return self.ids.index(annotation_id)
        except ValueError:
            return None

    def rowCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802
        if parent is not None and parent.isValid():
            return 0
        return len(self.ids)

    def columnCount(self, parent: QModelIndex | None = None) -> int:  # noqa: N802
        if parent is not None and parent.isValid():
            return 0
        return len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return _(COLUMNS[section])
            if role == Qt.ItemDataRole.UserRole:
                return COLUMNS[section]
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled  # into a seminar
        )

    def mimeTypes(self) -> list[str]:  # noqa: N802
        from critique_app.gui.panels.seminars.seminar_panel import ANNOTATION_MIME

        return [ANNOTATION_MIME]

    def mimeData(self, indexes: Any) -> QMimeData:  # noqa: N802
        """The dragged rows' annotation ids, in the form the seminar panel accepts."""
        from critique_app.gui.panels.seminars.seminar_panel import annotation_mime

        rows = sorted({i.row() for i in indexes if i.isValid() and i.row() < len(self.ids)})
        return annotation_mime([self.ids[r] for r in rows])

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(COLUMNS):
            return None
        a = self.annotation(index.row())
        if a is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(a, column)
        if role == Qt.ItemDataRole.UserRole:
            return a.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(a, column)
        if role == Qt.ItemDataRole.FontRole and column in ("In", "Out"):
            return _MONO
        if role == Qt.ItemDataRole.DecorationRole and column == "Category" and a.category_id:
            return colour_swatch(self.colours.get(a.category_id, "#6b7280"))
        if role == Qt.ItemDataRole.ForegroundRole and column == "Status":
            palette = colours.current()
            return QColor(palette.status.get(a.status, palette.text))
        if role == Qt.ItemDataRole.ForegroundRole and a.conflict_of:
            return QColor(colours.current().conflict)  # a merged conflict stays visible
        return None

    def _timecode(self, a: Annotation, frame: int) -> str:
        film = self.films.get(a.film_id)
        return film.timecode(frame) if film is not None else str(frame)

    def _text(self, a: Annotation, column: str) -> str:
        if column == "In":
            return self._timecode(a, a.range.start)
        if column == "Out":
            return self._timecode(a, a.range.end)
        if column == "Film":
            film = self.films.get(a.film_id)
            return film.title if film else _("film {id}").format(id=a.film_id)
        if column == "Tier":
            tier = self.tiers.get(a.tier_id)
            return tier.name if tier else ""
        if column == "Category":
            cat = self.categories.get(a.category_id or -1)
            return cat.label(current()) if cat else "—"
        if column == "Status":
            if a.conflict_of:
                return _("{status} · conflict").format(status=status_word(a.status))
            return status_word(a.status)
        if column == "Conf.":
            return confidence_word(a.confidence)
        if column == "Author":
            return a.author
        if column == "Tags":
            return ", ".join(a.tags)
        if column == "Value":  # the annotator's words (ELAN value, subtitle text)
            words = " ".join(a.value.split())[:160]
            return f"↳ {words}" if a.parent_uuid else words  # a child of another annotation
        first = a.note.strip().splitlines()[0] if a.note.strip() else ""
        return _MARKUP.sub("", first).strip()[:160]  # the words, not the Markdown signs

    def _tooltip(self, a: Annotation, column: str) -> str:
        if column in ("In", "Out"):
            count = a.range.length
            return ngettext(
                "frames {start}–{end} ({count} frame)",
                "frames {start}–{end} ({count} frames)",
                count,
            ).format(start=a.range.start, end=a.range.end, count=count)
        if column == "Category":
            cat = self.categories.get(a.category_id or -1)
            return cat.definition(current()) if cat else ""
        if column == "Value":
            parent = self.bound.annotation_by_uuid(a.parent_uuid) if a.parent_uuid else None
            if parent is None:
                return a.value[:800]
            tier = self.tiers.get(parent.tier_id)
            said = " ".join(parent.value.split())[:120] or f"#{parent.id}"
            part_of = _("part of: {said} ({tier})").format(
                said=said, tier=tier.name if tier else _("tier")
            )
            return f"{a.value[:800]}\n\n{part_of}"
        return a.note[:800]


class AnnotationTable(QWidget):
    """The filter bar and the table; reports selection and double-clicks."""

    selected = pyqtSignal(object)  # annotation id or None
    activated = pyqtSignal(int)  # double-click: jump to this annotation

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AnnotationTable")
        self.model = AnnotationTableModel(self)
        self.current_film_id: int | None = None
        self._quiet = False  # selecting from elsewhere (timeline, picture): do not echo it
        self._categories: list[Category] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search notes, values and tags…"))
        self.search.setClearButtonEnabled(True)
        self.tier_box = QComboBox()
        self.category_box = QComboBox()
        self.category_box.setMinimumContentsLength(14)
        self.author_box = QComboBox()
        self.status_box = QComboBox()
        self.all_films = QCheckBox(_("All films"))
        self.all_films.setToolTip(
            _("Show annotations of every film in the project, not only this one")
        )
        self.count = QLabel()
        self.count.setObjectName("TableCount")
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 4)
        bar.addWidget(self.search, 2)  # 3 squeezed the French filters ("Toutes les pistes")
        for box, tip, every in (
            (self.tier_box, _("Tier"), _("All tiers")),
            (
                self.category_box,
                _("Category (a level shows everything under it)"),
                _("All categories"),
            ),
            (self.author_box, _("Author"), _("All authors")),
            (self.status_box, _("Status"), _("Any status")),
        ):
            box.setToolTip(tip)
            # Its whole text when there is room, down to its first entry ("Toutes les
            # catégories") when there is not: as its minimum, its longest entry (a long
            # category name) widened the window past a laptop's screen, and a few letters cut
            # the French filters at 1280 px. The categories ask for their 14 letters only: a
            # long name would squeeze the other filters. The search gives up its room first.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
                if box is self.category_box
                else QComboBox.SizeAdjustPolicy.AdjustToContents
            )
            box.setMinimumWidth(box.fontMetrics().horizontalAdvance(every) + 40)
            bar.addWidget(box, 1)
        bar.addWidget(self.all_films)
        bar.addWidget(self.count)
        self.view = QTableView()
        take_single_keys(self.view)  # N, Delete, J/K/L... act on the selected row's film
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setDragEnabled(True)  # drag a row onto the seminar panel
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)  # type: ignore[union-attr]
        self.view.verticalHeader().setDefaultSectionSize(22)  # type: ignore[union-attr]
        header = self.view.horizontalHeader()
        assert header is not None
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        from PyQt6.QtGui import QFontMetrics

        timecode = QFontMetrics(_MONO).horizontalAdvance("00:00:00:00") + 18
        for i, width in enumerate((timecode, timecode, 130, 110, 190, 90, 70, 90, 130)):
            header.resizeSection(i, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Colours come from the theme (resources/qss: QTableView#AnnotationTableView).
        self.view.setObjectName("AnnotationTableView")
        self.view.setStyleSheet("QTableView::item { padding: 0 6px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        # A burst of keys is one search: the query runs once typing pauses (or on Enter).
        self._search_pause = QTimer(self)
        self._search_pause.setSingleShot(True)
        self._search_pause.setInterval(SEARCH_PAUSE_MS)
        self._search_pause.timeout.connect(self._search)
        self.search.textChanged.connect(lambda _text: self._search_pause.start())
        self.search.returnPressed.connect(self._search)
        # With the window's task runner, a search typed runs on a worker: the rows stay as
        # they are until its first page comes back, a newer search drops an older one.
        self._runner: TaskRunner | None = None
        self._running: Task | None = None
        for box in (self.tier_box, self.category_box, self.author_box, self.status_box):
            box.currentIndexChanged.connect(self._apply)
        self.all_films.toggled.connect(self._apply)
        self.view.doubleClicked.connect(self._double_clicked)
        selection = self.view.selectionModel()
        assert selection is not None
        selection.currentRowChanged.connect(self._row_changed)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)  # more hits fetched, a row added
        self.model.rowsRemoved.connect(self._update_count)
        self._fill_boxes()

    # -- project ---------------------------------------------------------------------------------
    def use_runner(self, runner: TaskRunner) -> None:
        """Search on the window's task runner from now on (a table alone searches at once)."""
        self._runner = self.model.runner = runner

    def bind(self, workspace: ProjectWorkspace | None, colour_of: Any = None) -> None:
        self._drop_search()
        # listed once, as wanted: the filters a former project left would list (and count)
        # rows of no use, 100,000 of them when the project opens on its only film
        self.model.filters = self._wanted()
        self.model.bind(workspace, colour_of)
        self._fill_boxes()
        self._apply()

    def set_film(self, film_id: int | None) -> None:
        self.current_film_id = film_id
        self._apply()

    def refresh(self, modified: set[int] | None = None, names: bool = False) -> None:
        keep = self.selected_id()
        self._quiet = True  # rows going away move Qt's current row: not the user's choice
        try:
            if names:
                self.model.refresh(modified, names=True)
                self._fill_boxes()
            else:
                self.model.refresh(modified)
        finally:
            self._quiet = False
        self._update_count()
        if keep is not None:
            self.select(keep, quiet=True, reveal=False)

    def refresh_edit(
        self, added: Iterable[int] = (), modified: Iterable[int] = (), removed: Iterable[int] = ()
    ) -> None:
        """Only annotations changed: move, add or remove just their rows (no full query)."""
        keep = self.selected_id()
        self._quiet = True
        try:
            self.model.apply_edit(added, modified, removed)
        finally:
            self._quiet = False
        self._update_count()
        if keep is not None and keep != self.selected_id():
            self.select(keep, quiet=True, reveal=False)

    def _fill_boxes(self) -> None:
        workspace = self.model.workspace
        keep = {
            box: box.currentData()
            for box in (self.tier_box, self.category_box, self.author_box, self.status_box)
        }
        for box in keep:
            box.blockSignals(True)
            box.clear()
        self.tier_box.addItem(_("All tiers"), None)
        self.category_box.addItem(_("All categories"), None)
        self.author_box.addItem(_("All authors"), None)
        self.status_box.addItem(_("Any status"), None)
        for status in STATUSES:
            self.status_box.addItem(status_word(status), status)
        if workspace is not None:
            for tier in workspace.tiers():
                self.tier_box.addItem(colour_swatch(tier.color), tier.name, tier.id)
            self._categories = workspace.categories()
            depth: dict[str, int] = {}
            for cat in self._categories:
                depth[cat.key] = depth.get(cat.parent_key or "", -1) + 1 if cat.parent_key else 0
                self.category_box.addItem("    " * depth[cat.key] + cat.label(current()), cat.id)
            for author in workspace.authors():
                if author:
                    self.author_box.addItem(author, author)
        for box, data in keep.items():
            found = box.findData(data)
            box.setCurrentIndex(max(0, found))
            box.blockSignals(False)

    # -- filters ---------------------------------------------------------------------------------
    def filters(self) -> TableFilters:
        tier = self.tier_box.currentData()
        cat = self.category_box.currentData()
        author = self.author_box.currentData()
        status = self.status_box.currentData()
        return TableFilters(
            film_id=None if self.all_films.isChecked() else self.current_film_id,
            tier_ids=None if tier is None else (tier,),
            category_ids=None if cat is None else category_branch(self._categories, cat),
            authors=None if author is None else (author,),
            statuses=None if status is None else (status,),
            search=self.search.text().strip(),
        )

    def _wanted(self) -> TableFilters:
        filters = self.filters()
        if self.current_film_id is None and not self.all_films.isChecked():
            filters = replace(filters, film_id=-1)  # no film on screen yet: nothing to list
        return filters

    def _apply(self, *_args: object) -> None:
        self._search_pause.stop()
        self._drop_search()
        self._show(lambda: self.model.set_filters(self._wanted()))

    def _show(self, change: Any) -> None:
        """Change the rows, keeping the selected annotation selected where it is still listed."""
        keep = self.selected_id()
        change()
        self.view.setColumnHidden(COLUMNS.index("Film"), not self.all_films.isChecked())
        self._update_count()
        if keep is not None:
            self.select(keep, quiet=True, reveal=False)

    @property
    def searching(self) -> bool:
        """A search typed runs on a worker; its rows are not shown yet."""
        return self._running is not None

    def _search(self) -> None:
        """Typing paused (or Enter): search on a worker, or at once without a runner."""
        self._search_pause.stop()
        workspace = self.model.workspace
        path = workspace.path if workspace is not None else None
        if self._runner is None or path is None:
            self._apply()
            return
        self._drop_search()
        filters = self._wanted()
        if filters == self.model.filters:
            return  # typed back to what is listed
        self._start_search(path, filters)

    def _start_search(self, path: Path, filters: TableFilters) -> None:
        assert self._runner is not None
        model = self.model
        edits = model.edits

        def found(page: FirstPage) -> None:
            if self._running is not task:
                return  # a late answer to an older search: a newer one runs or ran
            self._running = None
            if model.edits != edits:  # the project changed while it ran: ask again
                self._start_search(path, filters)
                return
            self._show(lambda: model.show_found(filters, page))

        def failed(_sentence: str) -> None:
            if self._running is task:  # the window's own connection says what is wrong
                self._running = None
                self._apply()

        task = self._runner.run(
            _("Searching the annotations"),
            first_page_in_background,
            path,
            filter_args(filters),
            WINDOW,
            scope="project",
            visible=False,
            on_done=found,
            on_error=failed,
        )
        self._running = task

    def _drop_search(self) -> None:
        if self._running is not None:
            self._running.drop()
            self._running = None

    def _update_count(self, *_args: object) -> None:
        model = self.model
        total, shown, matches = model.in_project, model.rowCount(), model.matches
        if shown < matches:  # a search listed its first hits; scrolling lists more
            self.count.setText(
                _("{shown} of {matches} shown").format(
                    shown=format_number(shown), matches=format_number(matches)
                )
            )
            self.count.setToolTip(
                ngettext(
                    "{matches} of the project's {total} annotation match; scroll down to list more",
                    "{matches} of the project's {total} annotations match; "
                    "scroll down to list more",
                    total,
                ).format(matches=format_number(matches), total=format_number(total))
            )
            return
        self.count.setText(
            _("{shown} of {total}").format(shown=format_number(shown), total=format_number(total))
            if shown != total
            else format_number(total)
        )
        self.count.setToolTip("")

    # -- selection -------------------------------------------------------------------------------
    def selected_id(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isSelected(index):  # type: ignore[union-attr]
            return None
        return self.model.ids[index.row()] if index.row() < len(self.model.ids) else None

    def select(self, annotation_id: int | None, quiet: bool = False, reveal: bool = True) -> bool:
        """Select and show a row (from the timeline or the picture); False when filtered out.
        A search hit not listed yet is listed first, unless `reveal` is False: the table
        keeping its selection through a new search or an edit does not list every hit."""
        if annotation_id is None:
            row = None
        elif reveal:
            row = self.model.reveal(annotation_id)
        else:
            row = self.model.row_of(annotation_id)
        self._quiet = quiet
        try:
            if row is None:
                self.view.clearSelection()
                self.view.setCurrentIndex(self.model.index(-1, -1))
                return False
            index = self.model.index(row, 0)
            self.view.setCurrentIndex(index)
            self.view.selectRow(row)
            self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
            return True
        finally:
            self._quiet = False

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        if current.isValid() and current.row() < len(self.model.ids):
            self.selected.emit(self.model.ids[current.row()])
        else:
            self.selected.emit(None)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.row() < len(self.model.ids):
            self.activated.emit(self.model.ids[index.row()])
