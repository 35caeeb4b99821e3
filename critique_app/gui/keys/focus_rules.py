"""Where a single key is a command: on the picture, the timeline and the annotation table.

Everywhere else in the window (the note, the values, the go-to box, the search field, but also
a label, a list or a button just clicked in the editor) a single key is the focused widget's
own: typing stays typing. Keys with Ctrl, Alt or Meta, the F-keys and Esc act everywhere
(`actions.acts_everywhere`, next to the action table).

Why one guard rather than shortcuts bound to the three widgets (WidgetWithChildrenShortcut):
the actions stay window-wide, so every key also works when nothing has the focus, in full
screen, from the menus, and from widgets that stand in for the picture (the compare view), and
a widget that is not a surface gets its keys exactly as Qt gives them (arrows step a spin box
or a list, Space presses a focused button) instead of losing them. Qt asks the focused widget
first whether it wants a key (a ShortcutOverride event); the guard answers "yes, it is typing"
for a single key whenever the focus is off the surfaces, and Qt then delivers the key to that
widget instead of firing the shortcut.
"""

from __future__ import annotations

from PyQt6.QtCore import QEvent, QObject
from PyQt6.QtGui import QKeyEvent
from PyQt6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QKeySequenceEdit,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from critique_app.gui.actions import acts_everywhere

SURFACE = "critique_single_keys"  # a Qt property: this widget and its children take them


def take_single_keys(widget: QWidget) -> None:
    """Let single keys act as the window's commands while `widget` (or a child of it that is
    not a text field) has the focus: the picture, the timeline, the annotation table."""
    widget.setProperty(SURFACE, True)


def takes_typing(widget: QWidget) -> bool:
    """A text field (or a field that edits a number or a key) wants every key typed into it."""
    if isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)):
        return True
    if isinstance(widget, QKeySequenceEdit):
        return True
    return isinstance(widget, QComboBox) and widget.isEditable()


def single_keys_act_on(focus: QWidget | None) -> bool:
    """Whether a single key pressed with the focus on `focus` is a command."""
    if focus is None:
        return True  # no widget has the focus: the window itself
    if takes_typing(focus):
        return False
    widget: QWidget | None = focus
    while widget is not None:
        if widget.property(SURFACE):
            return True
        if widget.isWindow():
            return widget is focus  # the window itself has the focus
        widget = widget.parentWidget()
    return False


class FocusRules:
    """The window's guard; `keeps_typing` sees every event the application filters."""

    def __init__(self, window: QWidget) -> None:
        self.window = window

    def _in_window(self, widget: QWidget) -> bool:
        """In this window, its floating docks included (another window keeps its own rules)."""
        found: QWidget | None = widget
        while found is not None:
            if found is self.window:
                return True
            found = found.parentWidget()
        return False

    def keeps_typing(self, receiver: QObject | None, event: QEvent | None) -> bool:
        """True (and the event accepted) when a single key must stay the widget's own: Qt then
        fires no shortcut and delivers the key to that widget as typing.

        Qt asks the focused widget first, then each of its parents in turn while none accepts:
        the guard answers for the focused widget only (its parents have no say)."""
        if (
            event is None
            or event.type() != QEvent.Type.ShortcutOverride
            or not isinstance(event, QKeyEvent)
            or not isinstance(receiver, QWidget)
            or acts_everywhere(event.keyCombination())
            or not self._in_window(receiver)
        ):
            return False
        # A text field is asked only for a key typed into it (Qt asks the focused widget; a key
        # sent to the field itself, as a test or an input method sends it, is typing too).
        focused = receiver is QApplication.focusWidget() or takes_typing(receiver)
        if not focused or single_keys_act_on(receiver):
            return False
        event.accept()
        return True
