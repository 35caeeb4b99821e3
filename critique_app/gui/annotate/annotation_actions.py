"""Annotating in the window: the Annotate menu (its keys are in gui/actions.py's one table) and the
workbench that ties the table, the editor, the region overlay and the timeline to one project.

Every edit goes through the project's domain UndoStack (the window's Ctrl+Z / Ctrl+Shift+Z
undo and redo it) and is written to the project file at once. `install_annotation_tools(window)`
is the one hook the main window calls.
"""

from __future__ import annotations

import getpass
from typing import Any

from PyQt6.QtCore import QObject, Qt
from PyQt6.QtGui import QAction, QActionGroup

from critique_app.domain import commands as cmd
from critique_app.domain.model import Annotation, FrameRange, Keyframe, Region
from critique_app.errors import UserError
from critique_app.gui.actions import ANNOTATE, SPECS, add_menu
from critique_app.gui.annotate.annotation_editor import AnnotationEditor
from critique_app.gui.annotate.annotation_menus import AnnotationMenus
from critique_app.gui.annotate.annotation_table import MANY_EDITED, AnnotationTable
from critique_app.gui.annotate.region_overlay import TOOLS, RegionOverlay, ShownRegion
from critique_app.gui.window_context import WindowContext
from critique_app.i18n import N_, _, current
from critique_app.services.workspace import ProjectWorkspace

TOOL_LABELS = {"select": "▸", "rectangle": "▭", "ellipse": "◯", "polygon": "⬠", "freehand": "✎"}
NOT_EXACT = N_("Pause first: regions are drawn on the exact frame (the badge says EXACT).")
# One whole sentence per drawing tool: the shape's name changes its article in French.
DRAW_HINTS = {
    "rectangle": N_("Drag on the picture to draw a rectangle."),
    "ellipse": N_("Drag on the picture to draw an ellipse."),
    "polygon": N_("Click on the picture to draw a polygon (a double-click closes it)."),
    "freehand": N_("Drag on the picture to draw freehand."),
}
ADDED = {
    "rectangle": N_("Rectangle added to annotation #{id}."),
    "ellipse": N_("Ellipse added to annotation #{id}."),
    "polygon": N_("Polygon added to annotation #{id}."),
    "freehand": N_("Freehand region added to annotation #{id}."),
}
FALLBACK_COLOUR = "#ffd166"


def keyframed(region: Region, frame: int, points: tuple[tuple[float, float], ...]) -> Region:
    """The region with its shape at `frame` set to `points` (a new keyframe, or the one there)."""
    keys = [k for k in region.keyframes if k.frame != frame]
    keys.append(Keyframe(frame, tuple((float(x), float(y)) for x, y in points)))
    return Region(region.shape, tuple(sorted(keys, key=lambda k: k.frame)), region.label)


class AnnotationWorkbench(QObject):
    """One project's annotations in the window: create, select, edit, draw, undo."""

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.as_widget())
        self.window = window
        self.session = window.session
        self.controller = window.controller
        self.canvas = window.timeline.canvas
        self.workspace: ProjectWorkspace | None = None
        self.selected_id: int | None = None
        self._with_regions: list[Annotation] = []  # the film's annotations that have regions
        self._pending_jump: int | None = None
        self._colours: dict[int, str] = {}
        self.actions = self._make_actions()
        self.table = AnnotationTable()
        self.table.use_runner(window.tasks)  # a search typed runs on a worker
        self.editor = AnnotationEditor()
        self.overlay = RegionOverlay(window.video.picture)
        self.overlay.drawing_refused = self._drawing_refused
        self.overlay.show()
        self.editor.add_tool_actions([self.actions[f"tool_{t}"] for t in ("select", *TOOLS)])
        self.editor.set_seminar_action(self.actions["add_to_seminar"])  # the seminar dock acts
        self.editor_dock = window.add_panel(N_("Annotation"), self.editor)
        self.table_dock = window.add_panel(
            N_("Annotations"), self.table, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        # A comfortable editor column and a short table: the picture keeps most of the room.
        window.resizeDocks([self.editor_dock], [400], Qt.Orientation.Horizontal)
        window.resizeDocks([self.table_dock], [190], Qt.Orientation.Vertical)
        self._build_menu()
        self._wire()
        # right-click menus on the table, the timeline and the regions: the same actions
        self.menus = AnnotationMenus(self)

    # -- actions and menu ----------------------------------------------------------------------

    @property
    def bound(self) -> ProjectWorkspace:
        """The project this is bound to, where the caller knows one is."""
        assert self.workspace is not None
        return self.workspace

    def _make_actions(self) -> dict[str, QAction]:
        """The Annotate menu's actions (window-owned, from the one table): tools form a group."""
        actions = {
            spec.name: self.window.action_table[spec.name]
            for spec in SPECS
            if spec.menu == ANNOTATE
        }
        tools = QActionGroup(self)
        tools.setExclusive(True)
        for tool, label in TOOL_LABELS.items():
            tools.addAction(actions[f"tool_{tool}"])
            actions[f"tool_{tool}"].setIconText(label)
        actions["tool_select"].setChecked(True)
        return actions

    def _build_menu(self) -> None:
        bar = self.window.menuBar()
        assert bar is not None
        menu = add_menu(bar, ANNOTATE)
        assert menu is not None
        panels = self.window.panels_menu
        if panels is not None:  # keep Panels last
            bar.insertMenu(panels.menuAction(), menu)
        for name, action in self.actions.items():
            if name in ("tool_select", "track_forward", "find_annotations", "edit_vocabulary"):
                menu.addSeparator()
            menu.addAction(action)

    def _wire(self) -> None:
        a = self.actions
        a["annotate_range"].triggered.connect(self.annotate_range)
        a["annotate_frame"].triggered.connect(self.annotate_frame)
        a["write_note"].triggered.connect(self.write_note)
        a["delete_annotation"].triggered.connect(self.delete_selected)
        for tool in ("select", *TOOLS):
            a[f"tool_{tool}"].triggered.connect(lambda _c=False, t=tool: self.set_tool(t))
        a["find_annotations"].triggered.connect(self._focus_search)
        a["edit_vocabulary"].triggered.connect(self.open_vocabulary_editor)
        a["merge_projects"].triggered.connect(self.open_merge_dialog)
        self.session.project_opened.connect(self._project_opened)
        self.session.changed.connect(self._changed)
        self.session.content_changed.connect(self.project_content_changed)
        self.session.project_closed.connect(self._project_closed)
        self.controller.film_opened.connect(self._film_opened)
        self.controller.frame_changed.connect(lambda _i: self.update_overlay())
        self.controller.mode_changed.connect(lambda _m: self.update_overlay())
        self.canvas.bar_clicked.connect(lambda ident: self.select(ident, source="timeline"))
        self.table.selected.connect(lambda ident: self.select(ident, source="table"))
        self.table.activated.connect(self.jump_to)
        self.editor.open_annotation.connect(self.jump_to)
        self.editor.go_to_frame.connect(self.controller.show_frame)
        self.editor.delete_requested.connect(self.delete)
        self.editor.message.connect(self.window.show_message)
        self.overlay.drawn.connect(self._region_drawn)
        self.overlay.edited.connect(self._region_edited)
        self.overlay.picked.connect(lambda ident: self.select(ident, source="picture"))
        self.overlay.refused.connect(self.window.show_message)

    # -- project and film ------------------------------------------------------------------------
    def _project_opened(self, project: ProjectWorkspace) -> None:
        self.workspace = project
        self.selected_id = None
        self._colours = {}
        self.table.bind(self.workspace, self.colour_of)
        self.editor.bind(self.workspace, self.push)

    def _project_closed(self) -> None:
        self.workspace = None
        self.selected_id = None
        self.table.bind(None)
        self.editor.bind(None, self.push)
        self._with_regions = []

    def _film_opened(self, _info: Any) -> None:
        if self.session.project is None:  # a bare film: nothing to annotate into
            self.workspace = None
            self.table.bind(None)
            self.editor.bind(None, self.push)
            self._with_regions = []
        film = self.session.film
        self.table.set_film(film.id if film is not None else None)
        self._load_regions()
        if self._pending_jump is not None:
            frame, self._pending_jump = self._pending_jump, None
            self.controller.show_frame(frame)

    def colour_of(self, category: Any) -> str:
        from critique_app.gui.timeline.timeline_presenter import (
            colour_for,  # the timeline's colours
        )

        if category is None:
            return FALLBACK_COLOUR
        return str(category.color or colour_for(category.key))

    @property
    def annotator(self) -> str:
        """Who is annotating: the name in Preferences, else the project's 'annotator'
        setting, else the login name.

        In that order because the name in Preferences is the person at this keyboard, who
        said so; a project file travels (a teacher hands one project to a class, students
        hand theirs back to be merged), so its setting names who set it up, which is only a
        better guess than the login name, often "root" or a shared account on lab machines."""
        preferred = self.window.settings.user_name
        if preferred:
            return preferred
        name = self.bound.annotator() if self.workspace is not None else None
        return str(name or getpass.getuser())

    # -- pushing edits ---------------------------------------------------------------------------
    def push(self, command: cmd.Command) -> bool:
        """Run one edit on the undo stack; a user's mistake becomes a status-bar sentence."""
        stack = self.session.undo_stack
        if stack is None:
            self.window.show_message(_("Open or create a project (*.critique) to annotate."))
            return False
        try:
            stack.push(command)
        except (UserError, ValueError) as err:
            self.window.show_message(str(err))
            return False
        return True

    def _changed(self, change: cmd.Change) -> None:
        """After every do/undo/redo: redraw what it touched."""
        kinds = {kind for kind, _ident in change.refs()}
        touched = {ident for kind, ident in change.modified if kind == "annotation"}
        if kinds and kinds <= {"annotation", "relation"}:  # the table lists no relations
            self.table.refresh_edit(
                added={i for kind, i in change.added if kind == "annotation"},
                modified=touched,
                removed={i for kind, i in change.removed if kind == "annotation"},
            )
        else:
            self.table.refresh(touched, names="tier" in kinds)
        if "tier" in kinds:
            self.editor.reload_lists()
        edited = {ident for _kind, ident in change.refs()}
        if kinds == {"annotation"} and len(edited) <= MANY_EDITED:
            self._reload_regions_of(edited)
        else:  # an import: one query for the film's regions, not every imported annotation read
            self._load_regions()
        removed = {ident for kind, ident in change.removed if kind == "annotation"}
        if self.selected_id in removed:
            self.select(None)
        else:
            self.editor.show_annotation(self.selected_id)
            self.canvas_select(self.selected_id)
        self.update_overlay()

    def project_content_changed(self) -> None:
        """Vocabulary edited or projects merged: re-read names, rows and tracks."""
        self._colours = {}
        if self.workspace is not None:
            self.table.bind(self.workspace, self.colour_of)
            self.table.set_film(self.session.film.id if self.session.film else None)
            if self.selected_id is not None:  # re-read rows, same selection
                self.table.select(self.selected_id, quiet=True)
            self.editor.reload_lists()
        self.window.tracks.reload()
        self._load_regions()
        self.update_overlay()

    # -- creating and deleting ---------------------------------------------------------------------
    def annotate_range(self) -> None:
        c = self.controller
        if c.in_mark is None or c.out_mark is None:
            self.window.show_message(
                _(
                    "Set an in point (I) and an out point (O) first — or press Shift+N "
                    "to annotate the frame on screen."
                )
            )
            return
        self.create(FrameRange(c.in_mark, c.out_mark))

    def annotate_frame(self) -> None:
        if self.controller.playing:
            self.controller.pause()
        self.create(FrameRange.single(self.controller.current))

    def create(
        self,
        frames: FrameRange,
        regions: tuple[Region, ...] = (),
        label: str = N_("New annotation"),
        tier_id: int | None = None,
        **fields: Any,
    ) -> int | None:
        """A new annotation on the film on screen, in the current tier; selected once made.

        `fields` fill it in at once (category, note, evidence... of a match taken over)."""
        film = self.session.film
        if self.workspace is not None and film is None and self.session.film_path is not None:
            self.window.show_message(
                _(
                    "The film on screen is still being added to the project: annotate it in a moment."
                )
            )
            return None
        if self.workspace is None or film is None:
            self.window.show_message(_("Open a project with a film to annotate it."))
            return None
        tiers_before = len(self.bound.tiers())
        if tier_id is None:  # not a tier the user pointed at (a right click on its track)
            tier_id = self._tier_for_new()
        if tier_id is None:
            return None
        new_tier = len(self.bound.tiers()) > tiers_before  # the first: named after the annotator
        pts: dict[str, Any] = {}
        fetcher = self.controller.fetcher
        if fetcher.timing is not None:  # exact presentation times, as annotations store them
            try:
                pts = {
                    "start_pts": fetcher.time_of(frames.start),
                    "end_pts": fetcher.time_of(frames.end),
                }
            except (IndexError, UserError):
                pts = {}
        annotation = Annotation.create(
            film.id, tier_id, frames, author=self.annotator, regions=regions, **pts, **fields
        )
        command = cmd.CreateAnnotation(annotation, _(label))
        if not self.push(command):
            return None
        ident = command.annotation_id
        self.select(ident)
        where = film.timecode(frames.start)
        if not frames.is_single_frame:
            where += f" – {film.timecode(frames.end)}"
        if new_tier:
            self.window.show_message(
                _(
                    "Annotation #{id} created at {where} in a new tier, “{tier}”, "
                    "made for your annotations; press Enter to write its note."
                ).format(id=ident, where=where, tier=self.annotator)
            )
        else:
            self.window.show_message(
                _("Annotation #{id} created at {where}; press Enter to write its note.").format(
                    id=ident, where=where
                )
            )
        return ident

    def _tier_for_new(self) -> int | None:
        """The selected annotation's tier, else the annotator's own, else the first; else a new one."""
        tiers = [t for t in self.bound.tiers() if t.visible]
        chosen = self.bound.annotation(self.selected_id) if self.selected_id else None
        if chosen is not None and any(t.id == chosen.tier_id for t in tiers):
            return int(chosen.tier_id)
        mine = [t for t in tiers if t.author == self.annotator or t.name == self.annotator]
        if mine or tiers:
            return int((mine or tiers)[0].id or 0)
        make = cmd.CreateTier(self.annotator, author=self.annotator)
        return make.tier_id if self.push(make) else None

    def write_note(self) -> None:
        """N and Shift+N leave the keys on the picture, to mark one frame after another as in
        an NLE; Return then opens the selected annotation's note for typing."""
        if self.selected_id is None:
            self.window.show_message(
                _("Select an annotation first, then press Enter to write its note.")
            )
            return
        self.editor.write_note()

    def delete_selected(self) -> None:
        if self.selected_id is None:
            self.window.show_message(_("Select the annotation to delete first."))
            return
        self.delete(self.selected_id)

    def delete(self, annotation_id: int) -> None:
        if self.push(cmd.DeleteAnnotation(annotation_id)):
            self.window.show_message(
                _("Annotation #{id} deleted (Ctrl+Z brings it back).").format(id=annotation_id)
            )

    # -- selection and jumping -------------------------------------------------------------------
    def select(self, annotation_id: int | None, source: str = "") -> None:
        """One selection for table, timeline, editor and picture."""
        self.selected_id = annotation_id
        if source != "table":
            self.table.select(annotation_id, quiet=True)
        self.canvas_select(annotation_id)
        self.editor.show_annotation(annotation_id)
        self.update_overlay()

    def canvas_select(self, annotation_id: int | None) -> None:
        setter = getattr(self.canvas, "set_selected", None)
        if setter is not None:
            setter(annotation_id)

    def jump_to(self, annotation_id: int) -> None:
        """Show the annotation's first frame exactly (opening its film when it is another one)."""
        if self.workspace is None:
            return
        a = self.bound.annotation(annotation_id)
        if a is None:
            return
        self.select(annotation_id)
        film = self.session.film
        if film is None or film.id != a.film_id:
            self._pending_jump = a.range.start
            self.session.show_film(self.bound.film(a.film_id))
            return
        self.controller.show_frame(a.range.start)

    def _focus_search(self) -> None:
        self.table_dock.show()
        self.table.search.setFocus()
        self.table.search.selectAll()

    # -- regions on the picture ------------------------------------------------------------------
    def set_tool(self, tool: str) -> None:
        self.actions[f"tool_{tool}"].setChecked(True)
        self.overlay.set_tool(None if tool == "select" else tool)
        if tool != "select":
            refusal = self._drawing_refused()
            self.window.show_message(refusal or _(DRAW_HINTS[tool]))

    def _drawing_refused(self) -> str | None:
        c = self.controller
        if self.workspace is None or self.session.film is None:
            return _("Open a project with a film to draw regions.")
        if c.playing or c.mode != "exact" or self.window.video.picture.index != c.current:
            return _(NOT_EXACT)
        return None

    def _load_regions(self) -> None:
        film = self.session.film
        if self.workspace is None or film is None:
            self._with_regions = []
            return
        self._with_regions = self.bound.annotations_with_regions(film.id)

    def _reload_regions_of(self, ids: set[int]) -> None:
        """After an edit of these annotations: re-read only them (not every annotation of the
        film that has a region), in the order `_load_regions` lists them."""
        film = self.session.film
        if self.workspace is None or film is None:
            self._with_regions = []
            return
        edited = [
            a
            for a in self.bound.annotations_by_id(sorted(ids))
            if a.film_id == film.id and a.regions
        ]
        kept = [a for a in self._with_regions if a.id not in ids]
        self._with_regions = sorted([*kept, *edited], key=lambda a: (a.range.start, a.id or 0))

    def update_overlay(self) -> None:
        """Show the regions of every annotation whose range holds the current frame."""
        frame = self.controller.current
        if self.session.project is None:  # closed (a late picture after the window closed)
            self.workspace = None
        hidden = {t.id for t in self.bound.tiers() if not t.visible} if self.workspace else set()
        shown: list[ShownRegion] = []
        for a in self._with_regions:
            if frame not in a.range or a.tier_id in hidden:
                continue
            cat = self.bound.category(a.category_id) if a.category_id else None
            colour = self.colour_of(cat)
            label = cat.label(current()) if cat else f"#{a.id}"
            for i, region in enumerate(a.regions):
                shown.append(
                    ShownRegion(
                        a.id or 0,
                        i,
                        region.shape,
                        region.interpolate(frame),
                        colour,
                        region.label or label,
                        a.id == self.selected_id,
                        any(k.frame == frame for k in region.keyframes),
                    )
                )
        self.overlay.set_regions(shown)

    def _region_drawn(self, shape: str, points: tuple[tuple[float, float], ...]) -> None:
        frame = self.controller.current
        region = Region.still(shape, list(points), frame)
        chosen = self.bound.annotation(self.selected_id) if self.selected_id else None
        film = self.session.film
        if (
            chosen is not None
            and film is not None
            and chosen.film_id == film.id
            and frame in chosen.range
        ):
            self.push(cmd.set_regions(chosen.id or 0, (*chosen.regions, region), _("Draw region")))
            added = ADDED.get(shape, N_("Region added to annotation #{id}."))
            self.window.show_message(_(added).format(id=chosen.id))
            return
        c = self.controller
        marks = (
            c.in_mark is not None and c.out_mark is not None and c.in_mark <= frame <= c.out_mark
        )
        frames = FrameRange(c.in_mark, c.out_mark) if marks else FrameRange.single(frame)  # type: ignore[arg-type]
        self.create(frames, (region,))

    def _region_edited(self, annotation_id: int, index: int, points: Any) -> None:
        a = self.bound.annotation(annotation_id)
        if a is None or index >= len(a.regions):
            return
        frame = self.controller.current
        region = a.regions[index]
        new_key = all(k.frame != frame for k in region.keyframes)
        regions = list(a.regions)
        regions[index] = keyframed(region, frame, tuple(points))
        label = _("Keyframe region") if new_key else _("Move region")
        if self.push(cmd.set_regions(annotation_id, regions, label)) and new_key:
            self.window.show_message(
                _("Keyframe added at frame {frame}: the region moves in between.").format(
                    frame=frame
                )
            )

    # -- dialogs -----------------------------------------------------------------------------------
    def open_vocabulary_editor(self) -> None:
        if self.workspace is None:
            self.window.show_message(_("Open a project to edit its vocabularies."))
            return
        from critique_app.gui.annotate.vocabulary_editor import VocabularyEditor

        dialog = VocabularyEditor(self.workspace, self.window.as_widget())
        dialog.changed.connect(self.project_content_changed)
        dialog.show()
        self.vocabulary_dialog = dialog

    def open_merge_dialog(self) -> None:
        if self.session.project is None:
            self.window.show_message(_("Open the teacher's project first, then merge into it."))
            return
        from critique_app.gui.panels.merge.merge_dialog import MergeDialog

        film = self.session.film
        dialog = MergeDialog(
            self.session.project,
            self.window.as_widget(),
            runner=self.window.tasks,
            film_id=film.id if film is not None else None,
            stack=self.session.undo_stack,
        )
        dialog.merged.connect(lambda _summary: self.project_content_changed())
        dialog.show()
        self.merge_dialog = dialog


def install_annotation_tools(window: WindowContext) -> AnnotationWorkbench:
    """Add the annotation panels, keys and drawing tools to the main window."""
    return AnnotationWorkbench(window)
