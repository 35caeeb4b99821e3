"""The first start: who is annotating? The name (and initials) becomes the author of every
annotation made in this window, instead of the computer's login name ("root" on many lab
machines). Asked once, when the Settings hold no name; Edit ▸ Preferences changes it later.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from critique_app.gui.settings import Settings
from critique_app.i18n import _


def suggest_initials(name: str) -> str:
    """'Agnès Varda' → 'AV'; 'Jean-Luc Godard' → 'JLG'."""
    words = name.replace("-", " ").split()
    return "".join(w[0].upper() for w in words if w[0].isalpha())[:4]


class NameFields:
    """The name and initials fields (the first-run dialog and Preferences share them): the
    initials follow the name until the user types initials of their own."""

    def __init__(self, form: QFormLayout, name: str = "", initials: str = "") -> None:
        self.name = QLineEdit(name)
        self.name.setObjectName("UserName")
        self.name.setPlaceholderText(_("First name and last name"))
        self.initials = QLineEdit(initials)
        self.initials.setObjectName("UserInitials")
        self.initials.setMaxLength(6)
        self.initials.setPlaceholderText(_("For example AV"))
        self._own_initials = bool(initials) and initials != suggest_initials(name)
        form.addRow(_("Your name:"), self.name)
        form.addRow(_("Initials:"), self.initials)
        self.name.textEdited.connect(self._name_typed)
        self.initials.textEdited.connect(self._initials_typed)

    def _name_typed(self, name: str) -> None:
        if not self._own_initials:
            self.initials.setText(suggest_initials(name))

    def _initials_typed(self, initials: str) -> None:
        self._own_initials = bool(initials)

    def store(self, settings: Settings) -> None:
        name = self.name.text().strip()
        settings.user_name = name
        settings.user_initials = self.initials.text().strip() or suggest_initials(name)


class WelcomeDialog(QDialog):
    """Asks the user's name on the first start; nothing is stored unless they give one."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("WelcomeDialog")
        self.setWindowTitle(_("Welcome to Critique"))
        column = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Who is annotating? Your name is written as the author of every annotation "
                "you make, so that a teacher or a jury can tell the class's readings apart."
            )
        )
        intro.setWordWrap(True)
        column.addWidget(intro)
        form = QFormLayout()
        self.fields = NameFields(form, settings.user_name, settings.user_initials)
        column.addLayout(form)
        later = QLabel(_("You can change it at any time in Edit ▸ Preferences."))
        later.setWordWrap(True)
        column.addWidget(later)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        self.ok = ok
        self.ok.setText(_("Start annotating"))
        self.ok.setEnabled(bool(self.fields.name.text().strip()))
        later_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert later_button is not None
        later_button.setText(_("Later"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.fields.name.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        column.addWidget(buttons)
        self.setMinimumWidth(420)
        self.fields.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        if not self.fields.name.text().strip():
            return  # Enter in an empty field: nothing to store, the dialog stays
        self.fields.store(self.settings)
        self.settings.sync()
        super().accept()


def ask_name_on_first_run(parent: QWidget, settings: Settings) -> WelcomeDialog | None:
    """Show the welcome dialog over the window when no name is stored (the window keeps
    opening its film behind it); None when a name is stored already."""
    if settings.user_name:
        return None
    dialog = WelcomeDialog(settings, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
