"""Keys that never surprise: a single key is a command on the picture, the timeline and the
annotation table only; in a text field it is typing, on any other control of the editor it is
never a command; Ctrl, Alt and F-keys act everywhere; Esc brings the keys back to the picture."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PyQt6.QtCore import Qt
from PyQt6.QtGui import QTextCursor
from PyQt6.QtWidgets import QApplication, QWidget

from critique_app.gui.keys.focus_rules import single_keys_act_on
from tests.gui.annotation_projects import make_project

K = Qt.Key
NO = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier

# Every single key of the action table a student could type by accident, with Shift+N.
COMMAND_KEYS = (
    (K.Key_F, NO),  # full screen
    (K.Key_Space, NO),  # play
    (K.Key_L, NO),  # play forwards
    (K.Key_J, NO),  # play backwards
    (K.Key_N, NO),  # annotate in -> out
    (K.Key_N, SHIFT),  # annotate this frame
    (K.Key_R, NO),  # rectangle tool
    (K.Key_E, NO),  # ellipse tool
    (K.Key_I, NO),  # in point
    (K.Key_O, NO),  # out point
    (K.Key_Right, NO),  # next frame
    (K.Key_End, NO),  # last frame
    (K.Key_Delete, NO),  # delete the selected annotation
)


class Witness:
    """What a stray shortcut would have changed in the window."""

    def __init__(self, h: Any) -> None:
        self.h = h
        self.played: list[bool] = []
        h.controller.playing_changed.connect(self.played.append)
        self.before = self.state()

    def state(self) -> dict[str, Any]:
        w, c = self.h.window, self.h.controller
        bench = w.annotations
        return {
            "annotations": len(bench.bound.annotations()),
            "frame": c.current,
            "marks": (c.in_mark, c.out_mark),
            "full screen": w.isFullScreen(),
            "tool": bench.overlay.tool,
        }

    def nothing_happened(self) -> None:
        assert self.state() == self.before
        assert not self.h.controller.playing and self.played == []


def open_annotated(open_window: Any, clip: Path, tmp_path: Path) -> tuple[Any, int]:
    """The study project on its film, paused on frame 20, its first annotation selected."""
    h = open_window(make_project(tmp_path, clip))
    h.controller.show_frame(20)
    h.at(20)
    bench = h.window.annotations
    first = min(a.id for a in bench.bound.annotations())
    bench.select(first)
    return h, first


def focus(h: Any, widget: QWidget) -> None:
    h.window.activateWindow()
    widget.setFocus()
    h.qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_the_note_takes_every_key_typed_into_it(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h, first = open_annotated(open_window, clip, tmp_path)
    note = h.window.annotations.editor.note
    note.clear()
    witness = Witness(h)
    focus(h, note)
    typed = "Jules kicks lamps, Nora fades JKL NF jkl nf"
    h.qtbot.keyClicks(note, typed)
    for key, modifier in COMMAND_KEYS[:6]:  # F, Space, L, J, N, Shift+N as keys, not text
        h.qtbot.keyClick(note, key, modifier)
    expected = typed + "f ljnn"  # QTest gives Shift+N the text 'n'
    assert note.toPlainText() == expected
    witness.nothing_happened()
    assert h.window.annotations.bound.annotation(first).note == expected  # saved


def test_the_go_to_box_and_the_search_field_keep_their_text(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h, _first = open_annotated(open_window, clip, tmp_path)
    witness = Witness(h)
    goto, search = h.window.transport.goto, h.window.annotations.table.search
    for field in (goto, search):
        focus(h, field)
        h.qtbot.keyClicks(field, "fjkl n")
        h.qtbot.keyClick(field, K.Key_Home)  # the cursor to the start, not the first frame
        h.qtbot.keyClick(field, K.Key_Delete)  # one character, not the annotation
        assert field.text() == "jkl n"
        field.clear()
    witness.nothing_happened()


def test_no_control_of_the_editor_turns_typing_into_commands(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    """The category just chosen, the list of relations, the Delete button: a single key pressed
    there is never full screen, play, a new annotation or a drawing tool."""
    h, _first = open_annotated(open_window, clip, tmp_path)
    editor = h.window.annotations.editor
    witness = Witness(h)
    category, selected = editor.category.currentIndex(), h.window.annotations.selected_id
    # the controls' own keys (Space presses a button and opens a combo, End picks the last
    # category) are theirs, as everywhere in Qt
    own = {editor.category: {K.Key_Space, K.Key_End}, editor.delete_button: {K.Key_Space}}
    for control in (editor.category, editor.relations, editor.delete_button, editor):
        assert not single_keys_act_on(control)
        for key, modifier in COMMAND_KEYS:
            if key not in own.get(control, set()):
                focus(h, control)  # an arrow moves the focus on from a button: back to it
                h.qtbot.keyClick(control, key, modifier)
    witness.nothing_happened()
    assert editor.category.currentIndex() == category
    assert h.window.annotations.selected_id == selected


def test_single_keys_act_on_the_picture_the_timeline_and_the_table(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h, _first = open_annotated(open_window, clip, tmp_path)
    w = h.window
    surfaces = (w.video, w.timeline.canvas, w.annotations.table.view)
    for steps, surface in enumerate(surfaces, start=1):
        assert single_keys_act_on(surface)
        focus(h, surface)
        h.qtbot.keyClick(surface, K.Key_Right)
        h.at(20 + steps)
    w.annotations.table.view.clearFocus()  # no widget has the focus: the window itself
    assert QApplication.focusWidget() is None
    h.qtbot.keyClick(w, K.Key_Right)
    h.at(24)
    focus(h, w.annotations.table.view)
    h.qtbot.keyClick(w.annotations.table.view, K.Key_F)
    assert w.isFullScreen()
    h.qtbot.keyClick(w.annotations.table.view, K.Key_Escape)
    assert not w.isFullScreen()


def test_a_click_on_the_timeline_takes_the_keys_out_of_the_note(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h, _first = open_annotated(open_window, clip, tmp_path)
    focus(h, h.window.annotations.editor.note)
    canvas = h.window.timeline.canvas
    h.qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=canvas.rect().center())
    h.qtbot.waitUntil(lambda: canvas.hasFocus())
    shown = h.settle()
    h.qtbot.keyClick(canvas, K.Key_Right)
    h.at(shown + 1)


def test_ctrl_and_function_keys_act_from_a_text_field(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h, _first = open_annotated(open_window, clip, tmp_path)
    note = h.window.annotations.editor.note
    focus(h, note)
    h.qtbot.keyClick(note, K.Key_M, CTRL)  # mute
    assert h.fake.muted
    h.qtbot.keyClick(note, K.Key_F1)  # the sheet of shortcuts
    sheet = h.window.help_menu.sheet
    assert sheet is not None and sheet.isVisible()
    sheet.close()
    focus(h, note)
    h.qtbot.keyClick(note, K.Key_G, CTRL)  # go to
    assert h.window.transport.goto.hasFocus()
    assert note.toPlainText() == h.window.annotations.bound.annotation(_first).note


def test_esc_brings_the_keys_back_to_the_picture_and_leaves_full_screen(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h, first = open_annotated(open_window, clip, tmp_path)
    w = h.window
    note = w.annotations.editor.note
    for field in (note, w.transport.goto, w.annotations.table.search, w.annotations.editor.tags):
        focus(h, field)
        h.qtbot.keyClick(field, K.Key_Escape)
        h.qtbot.waitUntil(lambda: QApplication.focusWidget() is w.video)
    h.key(K.Key_F)
    assert w.isFullScreen()
    focus(h, note)
    note.moveCursor(QTextCursor.MoveOperation.End)
    h.qtbot.keyClicks(note, " ok")
    h.qtbot.keyClick(note, K.Key_Escape)
    h.qtbot.waitUntil(lambda: not w.isFullScreen() and QApplication.focusWidget() is w.video)
    assert w.annotations.bound.annotation(first).note.endswith(" ok")  # nothing typed was lost
    h.qtbot.keyClick(w.video, K.Key_Right)
    h.at(21)


def _new_project_with_a_film(h: Any, clip: Path, tmp_path: Path) -> None:
    film = tmp_path / "first film.mp4"
    shutil.copy(clip, film)
    assert h.window.add_film(film)
    h.qtbot.waitUntil(lambda: h.window.session.film is not None)  # probed and hashed
    h.settle()
    assert h.window.annotations.bound.tiers() == []


def test_n_on_a_project_without_tiers_makes_a_tier_named_after_the_annotator(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h = open_window(None)
    _new_project_with_a_film(h, clip, tmp_path)
    bench = h.window.annotations
    h.key(K.Key_Right)
    h.key(K.Key_I)
    h.key(K.Key_Right)
    h.key(K.Key_O)
    h.key(K.Key_N)
    (tier,) = bench.bound.tiers()
    (made,) = bench.bound.annotations()
    assert tier.name == bench.annotator and made.tier_id == tier.id
    assert (made.range.start, made.range.end) == (1, 2)
    message = h.window.statusBar().currentMessage()
    assert f"#{made.id}" in message and f"new tier, “{bench.annotator}”" in message
    h.key(K.Key_N, SHIFT)  # the next one goes into the same tier, and says nothing of tiers
    assert len(bench.bound.tiers()) == 1 and len(bench.bound.annotations()) == 2
    assert "tier" not in h.window.statusBar().currentMessage()


def test_shift_n_on_a_project_without_tiers_makes_the_tier_too(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h = open_window(None)
    _new_project_with_a_film(h, clip, tmp_path)
    bench = h.window.annotations
    h.key(K.Key_N, SHIFT)
    (tier,) = bench.bound.tiers()
    (made,) = bench.bound.annotations()
    assert tier.name == bench.annotator and made.range.is_single_frame
    assert f"new tier, “{bench.annotator}”" in h.window.statusBar().currentMessage()


def test_shift_n_keeps_the_keys_on_the_picture_and_enter_opens_the_note(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    """Marking frame after frame as in an NLE (Shift+N, →, Shift+N), then Enter to write the
    note of the last one, Esc back to the picture: every key where the student expects it."""
    h, _first = open_annotated(open_window, clip, tmp_path)
    w = h.window
    bench = w.annotations
    focus(h, w.video)
    before = len(bench.bound.annotations())
    h.qtbot.keyClick(w.video, K.Key_N, SHIFT)
    h.qtbot.keyClick(w.video, K.Key_Right)
    h.at(21)
    h.qtbot.keyClick(w.video, K.Key_N, SHIFT)
    assert len(bench.bound.annotations()) == before + 2
    assert QApplication.focusWidget() is w.video
    assert "press Enter to write its note" in w.statusBar().currentMessage()
    made = bench.selected_id
    h.qtbot.keyClick(w.video, K.Key_Return)
    note = bench.editor.note
    h.qtbot.waitUntil(lambda: QApplication.focusWidget() is note)
    h.qtbot.keyClicks(note, "the face drifts: jkl n")
    h.qtbot.keyClick(note, K.Key_Escape)
    h.qtbot.waitUntil(lambda: QApplication.focusWidget() is w.video)
    assert bench.bound.annotation(made).note == "the face drifts: jkl n"
    assert len(bench.bound.annotations()) == before + 2 and h.controller.current == 21
    h.qtbot.keyClick(w.video, K.Key_Right)
    h.at(22)


def test_enter_with_nothing_selected_says_what_to_do(
    open_window: Any, clip: Path, tmp_path: Path
) -> None:
    h, _first = open_annotated(open_window, clip, tmp_path)
    w = h.window
    w.annotations.select(None)
    focus(h, w.video)
    h.qtbot.keyClick(w.video, K.Key_Return)
    assert "Select an annotation first" in w.statusBar().currentMessage()
    assert QApplication.focusWidget() is w.video
