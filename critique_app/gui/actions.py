"""Every window action with its shortcut, in one table: menus, the README and tests read it here.

The main window connects `triggered` to the panel that does the work (the annotation workbench
wires the Annotate menu's); nothing else defines keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from PyQt6.QtCore import QObject, Qt
from PyQt6.QtGui import QAction, QKeySequence


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    shortcuts: tuple[str, ...]
    menu: str
    checkable: bool = False
    tip: str = ""
    repeats: bool = True  # held down, the key triggers again (stepping frames, zooming)


ANNOTATE = "Annotate"

SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("open", "&Open project or film…", ("Ctrl+O",), "File"),
    ActionSpec("add_film", "&Add a film to the project…", ("Ctrl+Shift+O",), "File"),
    ActionSpec("relink", "Find moved films by their content…", (), "File"),
    ActionSpec(
        "import_annotations",
        "&Import annotations (ELAN, W3C/IIIF JSON, VTT/SRT, CSV)…",
        (),
        "File",
    ),
    ActionSpec("screen_folder", "&Screen a folder of submissions…", (), "File"),
    ActionSpec("quit", "&Quit", ("Ctrl+Q",), "File"),
    ActionSpec("undo", "&Undo", ("Ctrl+Z",), "Edit"),
    ActionSpec("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Edit"),
    # no key: Ctrl+, (the usual one) is Slower, next to Ctrl+. Faster
    ActionSpec("preferences", "&Preferences…", (), "Edit"),
    ActionSpec("play_pause", "Play / pause", ("Space",), "Playback", repeats=False),
    ActionSpec("shuttle_back", "Play backwards (J, again: faster)", ("J",), "Playback"),
    ActionSpec(
        "shuttle_stop", "Stop (K; hold K + J/L: one frame)", ("K",), "Playback", repeats=False
    ),
    ActionSpec("shuttle_forward", "Play forwards (L, again: 2×, 4×, 8×)", ("L",), "Playback"),
    ActionSpec("frame_back", "Previous frame", ("Left",), "Playback"),
    ActionSpec("frame_forward", "Next frame", ("Right",), "Playback"),
    ActionSpec("second_back", "Back one second", ("Shift+Left",), "Playback"),
    ActionSpec("second_forward", "Forward one second", ("Shift+Right",), "Playback"),
    ActionSpec("go_start", "Go to start", ("Home",), "Playback"),
    ActionSpec("go_end", "Go to end", ("End",), "Playback"),
    ActionSpec("previous_mark", "Previous annotation or marker", ("Up",), "Playback"),
    ActionSpec("next_mark", "Next annotation or marker", ("Down",), "Playback"),
    ActionSpec("go_to", "Go to timecode, frame or seconds…", ("Ctrl+G",), "Playback"),
    ActionSpec("slower", "Slower", ("Ctrl+,",), "Playback"),
    ActionSpec("faster", "Faster", ("Ctrl+.",), "Playback"),
    ActionSpec("mute", "Mute", ("Ctrl+M",), "Playback", checkable=True),
    ActionSpec("volume_up", "Volume up", ("Ctrl+Up",), "Playback"),
    ActionSpec("volume_down", "Volume down", ("Ctrl+Down",), "Playback"),
    ActionSpec("set_in", "Set in point", ("I",), "Marks"),
    ActionSpec("set_out", "Set out point", ("O",), "Marks"),
    ActionSpec("go_in", "Go to in point", ("Shift+I",), "Marks"),
    ActionSpec("go_out", "Go to out point", ("Shift+O",), "Marks"),
    ActionSpec("clear_marks", "Clear in and out", ("Alt+X",), "Marks"),
    ActionSpec("loop", "Loop in → out", ("Ctrl+L",), "Marks", checkable=True),
    ActionSpec("fullscreen", "Full screen", ("F",), "View", checkable=True, repeats=False),
    ActionSpec("leave_fullscreen", "Leave full screen", ("Esc",), "View"),
    ActionSpec(
        "timecode_mode", "Cycle timecode display (SMPTE / frames / seconds)", ("Ctrl+T",), "View"
    ),
    ActionSpec("zoom_in", "Zoom timeline in", ("+", "="), "View"),
    ActionSpec("zoom_out", "Zoom timeline out", ("-",), "View"),
    ActionSpec("zoom_fit", "Fit whole film in timeline", ("Ctrl+0",), "View"),
    ActionSpec("thumbnails", "Generate timeline thumbnails", ("Ctrl+Shift+T",), "View"),
    ActionSpec("compare_with", "Compare with…", (), "View", repeats=False),
    ActionSpec("nudge_back", "Nudge the compared film one frame back", ("Alt+Left",), "View"),
    ActionSpec(
        "nudge_forward", "Nudge the compared film one frame forward", ("Alt+Right",), "View"
    ),
    # The Annotate menu: built and wired by gui/annotation_actions.py (the tools form a group).
    ActionSpec("annotate_range", "New annotation from in → out", ("N",), ANNOTATE, repeats=False),
    ActionSpec(
        "annotate_frame", "New annotation on this frame", ("Shift+N",), ANNOTATE, repeats=False
    ),
    ActionSpec(
        "delete_annotation", "Delete the selected annotation", ("Delete",), ANNOTATE, repeats=False
    ),
    ActionSpec("tool_select", "Select and move regions", ("V",), ANNOTATE, True, repeats=False),
    ActionSpec("tool_rectangle", "Draw a rectangle", ("R",), ANNOTATE, True, repeats=False),
    ActionSpec("tool_ellipse", "Draw an ellipse", ("E",), ANNOTATE, True, repeats=False),
    ActionSpec(
        "tool_polygon",
        "Draw a polygon (double-click closes)",
        ("P",),
        ANNOTATE,
        True,
        repeats=False,
    ),
    ActionSpec("tool_freehand", "Draw freehand", ("D",), ANNOTATE, True, repeats=False),
    ActionSpec("find_annotations", "Search annotations…", ("Ctrl+F",), ANNOTATE, repeats=False),
    ActionSpec("edit_vocabulary", "Edit vocabularies…", (), ANNOTATE, repeats=False),
    ActionSpec("merge_projects", "Merge students' projects…", (), ANNOTATE, repeats=False),
)

MENUS = ("File", "Edit", "Playback", "Marks", "View")  # the main window's; Annotate is added later


class ActionCollection:
    """QActions by name, owned by the main window so their shortcuts work while it is active."""

    def __init__(self, parent: QObject) -> None:
        self._actions: dict[str, QAction] = {}
        for spec in SPECS:
            action = QAction(spec.text, parent)
            action.setObjectName(spec.name)
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setCheckable(spec.checkable)
            keys = " / ".join(spec.shortcuts)
            action.setToolTip(f"{spec.text} ({keys})" if keys else spec.text)
            action.setAutoRepeat(spec.repeats)
            self._actions[spec.name] = action

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def in_menu(self, menu: str) -> list[QAction]:
        return [self._actions[s.name] for s in SPECS if s.menu == menu]

    def all(self) -> list[QAction]:
        return list(self._actions.values())


def shortcut_table() -> list[tuple[str, str]]:
    """(keys, what they do) for the README and the Help menu, actions without keys left out."""
    return [(" / ".join(s.shortcuts), s.text) for s in SPECS if s.shortcuts]
