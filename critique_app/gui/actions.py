"""Every window action with its shortcut, in one table: menus, the README and tests read it here.

The texts are marked with N_() and translated where they are shown (`_()` in ActionCollection,
menu_title and shortcut_table), in the language chosen when the window starts; a translation
writes its own Alt letter with `&`, one per menu (tests/gui/test_menus_and_help.py).

The main window connects `triggered` to the panel that does the work (the annotation workbench
wires the Annotate menu's); nothing else defines keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from PyQt6.QtCore import QKeyCombination, QObject, Qt
from PyQt6.QtGui import QAction, QKeySequence
from PyQt6.QtWidgets import QMenu, QMenuBar

from critique_app.i18n import N_, _


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
HELP = "Help"
LENSES = "Lenses"  # View ▸ Lenses: the montage and décor lenses, aids to look
PROVENANCE = "Provenance"

SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("new_project", N_("&New project…"), ("Ctrl+N",), "File"),
    ActionSpec("open", N_("&Open project or film…"), ("Ctrl+O",), "File"),
    ActionSpec(
        "open_recent", N_("Open &Recent"), (), "File"
    ),  # a submenu (gui/project_commands.py)
    ActionSpec("add_film", N_("&Add a film to the project…"), ("Ctrl+Shift+O",), "File"),
    ActionSpec("relink", N_("&Find moved films by their content…"), (), "File"),
    # the formats it reads are in its tooltip, from the format registry (gui/format_filters.py)
    ActionSpec("import_annotations", N_("&Import annotations…"), (), "File"),
    # wired by gui/panels/exports/annotation_export.py; enabled while a film is on screen
    ActionSpec("export_annotations", N_("&Export annotations…"), (), "File"),
    ActionSpec("screen_folder", N_("&Screen a folder of submissions…"), (), "File"),
    ActionSpec("save_copy", N_("Sa&ve a copy of the project as…"), ("Ctrl+Shift+S",), "File"),
    ActionSpec("close_project", N_("&Close project"), ("Ctrl+W",), "File"),
    ActionSpec("quit", N_("&Quit"), ("Ctrl+Q",), "File"),
    ActionSpec("undo", N_("&Undo"), ("Ctrl+Z",), "Edit"),
    ActionSpec("redo", N_("&Redo"), ("Ctrl+Shift+Z", "Ctrl+Y"), "Edit"),
    # no key: Ctrl+, (the usual one) is Slower, next to Ctrl+. Faster
    ActionSpec("preferences", N_("&Preferences…"), (), "Edit"),
    ActionSpec("play_pause", N_("&Play / pause"), ("Space",), "Playback", repeats=False),
    ActionSpec("shuttle_back", N_("Play &backwards (J, again: faster)"), ("J",), "Playback"),
    ActionSpec(
        "shuttle_stop", N_("&Stop (K; hold K + J/L: one frame)"), ("K",), "Playback", repeats=False
    ),
    ActionSpec("shuttle_forward", N_("Play &forwards (L, again: 2×, 4×, 8×)"), ("L",), "Playback"),
    ActionSpec("frame_back", N_("Pre&vious frame"), ("Left",), "Playback"),
    ActionSpec("frame_forward", N_("&Next frame"), ("Right",), "Playback"),
    ActionSpec("second_back", N_("Back &one second"), ("Shift+Left",), "Playback"),
    ActionSpec("second_forward", N_("Forward one se&cond"), ("Shift+Right",), "Playback"),
    ActionSpec("go_start", N_("Go to s&tart"), ("Home",), "Playback"),
    ActionSpec("go_end", N_("Go to &end"), ("End",), "Playback"),
    ActionSpec("previous_mark", N_("Previous &annotation or marker"), ("Up",), "Playback"),
    ActionSpec("next_mark", N_("Ne&xt annotation or marker"), ("Down",), "Playback"),
    ActionSpec("go_to", N_("&Go to timecode, frame or seconds…"), ("Ctrl+G",), "Playback"),
    ActionSpec("slower", N_("S&lower"), ("Ctrl+,",), "Playback"),
    ActionSpec("faster", N_("Faste&r"), ("Ctrl+.",), "Playback"),
    ActionSpec("mute", N_("&Mute"), ("Ctrl+M",), "Playback", checkable=True),
    ActionSpec("volume_up", N_("Vol&ume up"), ("Ctrl+Up",), "Playback"),
    ActionSpec("volume_down", N_("Volume &down"), ("Ctrl+Down",), "Playback"),
    ActionSpec("set_in", N_("Set &in point"), ("I",), "Marks"),
    ActionSpec("set_out", N_("Set &out point"), ("O",), "Marks"),
    ActionSpec("go_in", N_("&Go to in point"), ("Shift+I",), "Marks"),
    ActionSpec("go_out", N_("Go to o&ut point"), ("Shift+O",), "Marks"),
    ActionSpec("clear_marks", N_("&Clear in and out"), ("Alt+X",), "Marks"),
    ActionSpec("loop", N_("&Loop in → out"), ("Ctrl+L",), "Marks", checkable=True),
    ActionSpec("fullscreen", N_("&Full screen"), ("F",), "View", checkable=True, repeats=False),
    # Esc brings the keys back to the picture from any field (and leaves full screen).
    ActionSpec(
        "back_to_picture", N_("Back to the &picture (and out of full screen)"), ("Esc",), "View"
    ),
    ActionSpec(
        "timecode_mode",
        N_("Cycle &timecode display (SMPTE / frames / seconds)"),
        ("Ctrl+T",),
        "View",
    ),
    ActionSpec("zoom_in", N_("Zoom timeline &in"), ("+", "="), "View"),
    ActionSpec("zoom_out", N_("Zoom timeline &out"), ("-",), "View"),
    ActionSpec("zoom_fit", N_("Fit &whole film in timeline"), ("Ctrl+0",), "View"),
    ActionSpec("thumbnails", N_("Generate timeline t&humbnails"), ("Ctrl+Shift+T",), "View"),
    ActionSpec("compare_with", N_("&Compare with…"), (), "View", repeats=False),
    ActionSpec("nudge_back", N_("Nudge the compared film one frame &back"), ("Alt+Left",), "View"),
    ActionSpec(
        "nudge_forward", N_("Nudge the compared film one frame forw&ard"), ("Alt+Right",), "View"
    ),
    # wired by gui/panels/lenses/instability_dock.py: the décor lens's heat over the picture
    ActionSpec(
        "instability_lens",
        N_("Instability &lens: where the picture changes without moving…"),
        (),
        LENSES,
        repeats=False,
    ),
    # wired by gui/panels/lenses/rhythm_lane.py: the montage lens's bars on the timeline
    ActionSpec(
        "rhythm_lane",
        N_("&Rhythm lane: a bar per shot on the timeline"),
        (),
        LENSES,
        repeats=False,
    ),
    # wired by gui/panels/lenses/rhythm_compare.py
    ActionSpec(
        "compare_rhythm",
        N_("&Compare the rhythm of two films or passages…"),
        (),
        LENSES,
        repeats=False,
    ),
    ActionSpec("reset_layout", N_("Reset layout"), (), "View", repeats=False),
    # The Annotate menu: built and wired by gui/annotate/annotation_actions.py (the tools form a group).
    ActionSpec(
        "annotate_range", N_("&New annotation from in → out"), ("N",), ANNOTATE, repeats=False
    ),
    ActionSpec(
        "annotate_frame", N_("New annotation on this &frame"), ("Shift+N",), ANNOTATE, repeats=False
    ),
    ActionSpec(
        "delete_annotation",
        N_("&Delete the selected annotation"),
        ("Delete",),
        ANNOTATE,
        repeats=False,
    ),
    # Return, as in ELAN and in an NLE's marker list: the keys go into the note, Esc brings them back.
    ActionSpec(
        "write_note",
        N_("&Write the note of the selected annotation"),
        ("Return", "Enter"),
        ANNOTATE,
        repeats=False,
    ),
    # Ctrl+Shift+S is left for File ▸ Save a copy as…, as in most applications.
    ActionSpec(
        "add_to_seminar", N_("Add &to seminar…"), ("Ctrl+Shift+A",), ANNOTATE, repeats=False
    ),
    ActionSpec(
        "tool_select", N_("&Select and move regions"), ("V",), ANNOTATE, True, repeats=False
    ),
    ActionSpec("tool_rectangle", N_("Draw a &rectangle"), ("R",), ANNOTATE, True, repeats=False),
    ActionSpec("tool_ellipse", N_("Draw an &ellipse"), ("E",), ANNOTATE, True, repeats=False),
    ActionSpec(
        "tool_polygon",
        N_("Draw a &polygon (double-click closes)"),
        ("P",),
        ANNOTATE,
        True,
        repeats=False,
    ),
    ActionSpec("tool_freehand", N_("Draw free&hand"), ("D",), ANNOTATE, True, repeats=False),
    # wired by gui/annotate/region_tracker.py: the selected annotation's region follows the picture
    ActionSpec(
        "track_forward",
        N_("Track the region forward to the &out point"),
        (),
        ANNOTATE,
        repeats=False,
    ),
    ActionSpec(
        "track_backward",
        N_("Track the region &backward to the in point"),
        (),
        ANNOTATE,
        repeats=False,
    ),
    ActionSpec(
        "find_annotations", N_("Se&arch annotations…"), ("Ctrl+F",), ANNOTATE, repeats=False
    ),
    ActionSpec("edit_vocabulary", N_("Edit &vocabularies…"), (), ANNOTATE, repeats=False),
    ActionSpec("merge_projects", N_("&Merge students' projects…"), (), ANNOTATE, repeats=False),
    # The Help menu (gui/keys/help_menu.py): the last of the menu bar.
    ActionSpec("keyboard_shortcuts", N_("&Keyboard shortcuts"), ("F1",), HELP, repeats=False),
    ActionSpec("messages", N_("&Messages of this session…"), (), HELP, repeats=False),
    ActionSpec("about", N_("&About Critique"), (), HELP, repeats=False),
    # The Provenance menu: built by gui/panels/matches/matches_dock.py; Check a file… is wired by the window.
    ActionSpec(
        "check_file",
        N_("Check a fi&le…"),
        (),
        PROVENANCE,
        tip=N_("Check the Content Credentials of any still or film in the provenance panel"),
        repeats=False,
    ),
)

MENUS = ("File", "Edit", "Playback", "Marks", "View")  # the main window's; Annotate is added later
SUBMENUS = {LENSES: "View"}  # a submenu -> the menu it opens from, where its first entry is listed

# Each menu of the bar opens with its own Alt letter (Playback, Provenance and Panels all start
# with P); the items of every menu have theirs too, written in the texts above.
MENU_TITLES = {
    "File": N_("&File"),
    "Edit": N_("&Edit"),
    "Playback": N_("&Playback"),
    "Marks": N_("&Marks"),
    "View": N_("&View"),
    ANNOTATE: N_("&Annotate"),
    "Provenance": N_("P&rovenance"),
    "Panels": N_("Pa&nels"),
    HELP: N_("&Help"),
}


# A submenu's Alt letter is apart from its siblings' in the menu it opens from, not from the bar's.
SUBMENU_TITLES = {LENSES: N_("&Lenses")}


def menu_title(menu: str) -> str:
    """The menu's title as the menu bar shows it, in the language in use, with its Alt letter."""
    title = MENU_TITLES.get(menu) or SUBMENU_TITLES.get(menu)
    return _(title) if title else f"&{menu}"


def add_menu(bar: QMenuBar, menu: str) -> QMenu:
    """Menu `menu` ("File", ANNOTATE...) added to the bar with its title in the language in
    use; its object name keeps the English key, so `find_menu` finds it in any language."""
    added = bar.addMenu(menu_title(menu))
    assert added is not None
    added.setObjectName(f"menu_{menu}")
    return added


def add_submenu(parent: QMenu, menu: str) -> QMenu:
    """Submenu `menu` (a key of SUBMENUS) added to its parent, named as `add_menu` names one."""
    added = parent.addMenu(menu_title(menu))
    assert added is not None
    added.setObjectName(f"menu_{menu}")
    return added


def find_menu(bar: QMenuBar | QMenu, menu: str) -> QMenu | None:
    """The menu `menu` (a key of MENU_TITLES) of the bar or of a menu, whatever language its
    title is in."""
    for action in bar.actions():
        found = action.menu()
        if isinstance(found, QMenu) and found.objectName() == f"menu_{menu}":
            return found
    return None


def plain(text: str) -> str:
    """An action's text without its Alt letter marker (for tooltips and tables)."""
    return text.replace("&&", "\x00").replace("&", "").replace("\x00", "&")


# A single key (a letter, Space, an arrow, Home/End, Delete, + or -, with or without Shift) is a
# command only where the focus is on the picture, the timeline or the annotation table: anywhere
# else it is typing (gui/keys/focus_rules.py enforces it). Keys with Ctrl, Alt or Meta, the
# F-keys and Esc act wherever the focus is in the window.
_ANYWHERE_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def acts_everywhere(combination: QKeyCombination) -> bool:
    """True for a key that acts wherever the focus is; False for a single key."""
    if combination.keyboardModifiers() & _ANYWHERE_MODIFIERS:
        return True
    key = combination.key()
    return key == Qt.Key.Key_Escape or Qt.Key.Key_F1.value <= key.value <= Qt.Key.Key_F35.value


def is_single_key(shortcut: str) -> bool:
    """A shortcut of the table that acts only on the picture, the timeline or the table."""
    return not acts_everywhere(QKeySequence(shortcut)[0])


class ActionCollection:
    """QActions by name, owned by the main window so their shortcuts work while it is active."""

    def __init__(self, parent: QObject) -> None:
        self._actions: dict[str, QAction] = {}
        for spec in SPECS:
            text = _(spec.text)
            action = QAction(text, parent)
            action.setObjectName(spec.name)
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setCheckable(spec.checkable)
            keys = " / ".join(spec.shortcuts)
            action.setToolTip(f"{plain(text)} ({keys})" if keys else plain(text))
            action.setAutoRepeat(spec.repeats)
            self._actions[spec.name] = action

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def in_menu(self, menu: str) -> list[QAction]:
        return [self._actions[s.name] for s in SPECS if s.menu == menu]

    def entries(self, menu: str) -> list[QAction | str]:
        """The menu's actions in the table's order, with the name of each of its submenus
        (SUBMENUS) where its first action is listed."""
        out: list[QAction | str] = []
        for spec in SPECS:
            if spec.menu == menu:
                out.append(self._actions[spec.name])
            elif SUBMENUS.get(spec.menu) == menu and spec.menu not in out:
                out.append(spec.menu)
        return out

    def all(self) -> list[QAction]:
        return list(self._actions.values())


def shortcut_table(menu: str | None = None) -> list[tuple[str, str]]:
    """(keys, what they do) for the README and Help ▸ Keyboard shortcuts (one menu's when
    `menu` is given), actions without keys left out."""
    return [
        (" / ".join(s.shortcuts), _(s.text))
        for s in SPECS
        if s.shortcuts and (menu is None or s.menu == menu)
    ]


def shortcut_menus() -> list[str]:
    """The menus that hold keyed actions, in the table's order (the sheet's sections)."""
    return list(dict.fromkeys(s.menu for s in SPECS if s.shortcuts))
