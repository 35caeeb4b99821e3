"""Right-click menus on the annotation table's rows, the timeline's tracks and lanes, and the
regions drawn on the picture.

An entry with a command in the action table (gui/actions.py) is that very action: one definition
of each command, and the key shown beside it is the real one. Those actions work on the
selection, so a right click on a row or a bar selects it first, as file managers do. Entries
about the place clicked (this row's first frame, a new annotation at this frame, this region)
are made here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PyQt6 import sip
from PyQt6.QtCore import QObject, QPoint, Qt
from PyQt6.QtWidgets import QApplication, QMenu

from critique_app.domain import commands as cmd
from critique_app.domain.model import FrameRange, Region
from critique_app.gui.annotate.annotation_table import AnnotationTable
from critique_app.gui.annotate.region_overlay import RegionOverlay, ShownRegion
from critique_app.gui.timeline.timeline import HEADER, TimelineCanvas
from critique_app.gui.window_context import WindowContext
from critique_app.i18n import _
from critique_app.services.workspace import ProjectWorkspace

if TYPE_CHECKING:  # names for mypy only
    from critique_app.gui.player.player_controller import PlayerController


class Workbench(Protocol):
    """The annotation workbench (gui/annotate/annotation_actions.py, which builds these menus) as they
    use it; naming its class here would make the two modules import each other."""

    window: WindowContext
    table: AnnotationTable
    canvas: TimelineCanvas
    overlay: RegionOverlay
    controller: PlayerController
    workspace: ProjectWorkspace | None

    def select(self, annotation_id: int | None, source: str = ...) -> None: ...

    def jump_to(self, annotation_id: int) -> None: ...

    def push(self, command: cmd.Command) -> bool: ...

    def create(
        self,
        frames: FrameRange,
        regions: tuple[Region, ...] = ...,
        label: str = ...,
        tier_id: int | None = ...,
        **fields: Any,
    ) -> int | None: ...


class AnnotationMenus(QObject):
    """The context menus of the annotation workbench's table, timeline and picture overlay."""

    def __init__(self, bench: Workbench) -> None:
        super().__init__(bench.table)
        self.bench = bench
        self.actions = bench.window.action_table
        self.menu: QMenu | None = None  # the menu on screen (tests trigger its entries)
        view = bench.table.view
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._table_clicked)
        canvas = bench.canvas
        canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        canvas.customContextMenuRequested.connect(self._timeline_clicked)
        bench.overlay.menu_requested.connect(self._regions_clicked)

    def _show(self, menu: QMenu, where: QPoint) -> None:
        old = self.menu
        if old is not None and not sip.isdeleted(old):
            old.close()
        menu.aboutToHide.connect(menu.deleteLater)  # after its action ran: deletion is queued
        self.menu = menu
        menu.popup(where)

    # -- the annotation table -----------------------------------------------------------------
    def _table_clicked(self, pos: QPoint) -> None:
        table = self.bench.table
        index = table.view.indexAt(pos)
        if not index.isValid() or index.row() >= len(table.model.ids):
            return
        viewport = table.view.viewport()
        assert viewport is not None  # a table view always has one
        self._show(self.table_menu(table.model.ids[index.row()]), viewport.mapToGlobal(pos))

    def table_menu(self, annotation_id: int) -> QMenu:
        """Go to, Add to seminar, Copy timecode, Delete: for one row, selected first."""
        self.bench.select(annotation_id)
        menu = QMenu(self.bench.table)
        go = menu.addAction(_("Go to its first frame"))
        assert go is not None
        go.triggered.connect(lambda: self.bench.jump_to(annotation_id))
        menu.addAction(self.actions["add_to_seminar"])
        copy = menu.addAction(_("Copy timecode"))
        assert copy is not None
        copy.triggered.connect(lambda: self.copy_timecode(annotation_id))
        menu.addSeparator()
        menu.addAction(self.actions["delete_annotation"])
        return menu

    def copy_timecode(self, annotation_id: int) -> None:
        """The annotation's in timecode (in – out for a passage) on the clipboard."""
        workspace = self.bench.workspace
        a = workspace.annotation(annotation_id) if workspace is not None else None
        clipboard = QApplication.clipboard()
        if workspace is None or a is None or clipboard is None:
            return
        film = workspace.film(a.film_id)
        text = film.timecode(a.range.start)
        if not a.range.is_single_frame:
            text = f"{text} – {film.timecode(a.range.end)}"
        clipboard.setText(text)
        self.bench.window.show_message(
            _("Copied {timecode} to the clipboard.").format(timecode=text)
        )

    # -- the timeline ---------------------------------------------------------------------------
    def _timeline_clicked(self, pos: QPoint) -> None:
        menu = self.timeline_menu(pos.x(), pos.y())
        if menu is not None:
            self._show(menu, self.bench.canvas.mapToGlobal(pos))

    def timeline_menu(self, x: float, y: float) -> QMenu | None:
        """On a bar: Add to seminar and Delete (the bar selected first); anywhere on the
        tracks: a new annotation at that frame on that tier, or over the lane's span."""
        canvas = self.bench.canvas
        if not canvas.frame_count or x < HEADER or self.bench.workspace is None:
            return None
        menu = QMenu(canvas)
        hit = canvas.bar_at(x, y)
        if hit is not None:
            self.bench.select(hit[0].id, source="timeline")
            menu.addAction(self.actions["add_to_seminar"])
            menu.addAction(self.actions["delete_annotation"])
            menu.addSeparator()
        span = canvas.span_at(x, y)
        tier: int | None
        if span is not None and span[1] != span[2]:
            frames = FrameRange(span[1], span[2])
            new = menu.addAction(_("New annotation on these frames"))
            tier = None
        else:
            frames = FrameRange.single(canvas.frame_at(x))
            new = menu.addAction(_("New annotation here"))
            tier = canvas.tier_at(y)
        assert new is not None
        new.triggered.connect(lambda: self.new_annotation(frames, tier))
        c = self.bench.controller
        if c.in_mark is not None and c.out_mark is not None:
            menu.addAction(self.actions["annotate_range"])
        return menu

    def new_annotation(self, frames: FrameRange, tier_id: int | None) -> int | None:
        """Stand on the first frame, then annotate it (on the tier clicked, when one was)."""
        c = self.bench.controller
        if c.playing:
            c.pause()
        c.show_frame(frames.start)
        return self.bench.create(frames, tier_id=tier_id)

    # -- regions on the picture -------------------------------------------------------------------
    def _regions_clicked(self, under: list[ShownRegion], where: QPoint) -> None:
        self._show(self.region_menu(under), where)

    def region_menu(self, under: list[ShownRegion]) -> QMenu:
        """Remove the region on top; select any annotation whose region is under the pointer."""
        top = under[0]
        menu = QMenu(self.bench.overlay)
        remove = menu.addAction(_("Remove region"))
        assert remove is not None
        remove.triggered.connect(lambda: self.remove_region(top.annotation_id, top.index))
        menu.addSeparator()
        seen: set[int] = set()
        for shown in under:
            ident = shown.annotation_id
            if ident in seen:
                continue
            seen.add(ident)
            named = shown.label and shown.label != f"#{ident}"
            pick = menu.addAction(
                _("Select annotation #{id}: {label}").format(id=ident, label=shown.label)
                if named
                else _("Select annotation #{id}").format(id=ident)
            )
            assert pick is not None
            pick.triggered.connect(lambda _c=False, i=ident: self.bench.select(i, "picture"))
        return menu

    def remove_region(self, annotation_id: int, index: int) -> None:
        workspace = self.bench.workspace
        a = workspace.annotation(annotation_id) if workspace is not None else None
        if a is None or index >= len(a.regions):
            return
        kept = [r for i, r in enumerate(a.regions) if i != index]
        if self.bench.push(cmd.set_regions(annotation_id, kept, _("Remove region"))):
            self.bench.window.show_message(
                _("Region removed from annotation #{id} (Ctrl+Z brings it back).").format(
                    id=annotation_id
                )
            )
