"""Help ▸ Messages of this session: every sentence the status bar said, with its time, as
VLC's Tools ▸ Messages keeps them. An import's summary (what came in, what was left out and
why) is longer than a laptop's status bar and is replaced by the next message; here it stays
whole, selectable and copyable, until the window closes."""

from __future__ import annotations

from collections import deque
from datetime import datetime

from PyQt6.QtGui import QFontDatabase
from PyQt6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from critique_app.i18n import _

KEPT = 500  # the oldest go first: a day of work says far fewer


class SessionMessages:
    """The sentences said in the status bar, oldest first; the dialog that shows them."""

    def __init__(self) -> None:
        self.said: deque[tuple[datetime, str]] = deque(maxlen=KEPT)
        self.dialog: MessagesDialog | None = None

    def add(self, text: str) -> None:
        if not text:
            return
        self.said.append((datetime.now(), text))
        if self.dialog is not None:
            self.dialog.show_lines(self.lines())

    def lines(self) -> list[str]:
        return [f"{when:%H:%M:%S}  {text}" for when, text in self.said]

    def show(self, parent: QWidget) -> MessagesDialog:
        if self.dialog is None:
            self.dialog = MessagesDialog(parent)
        self.dialog.show_lines(self.lines())
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog


class MessagesDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SessionMessages")
        self.setWindowTitle(_("Messages of this session"))
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
        self.text.setPlaceholderText(_("The window has said nothing yet."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        column = QVBoxLayout(self)
        column.addWidget(self.text, 1)
        column.addWidget(buttons)
        self.resize(760, 420)  # fits a 1280×800 screen with room around it

    def show_lines(self, lines: list[str]) -> None:
        self.text.setPlainText("\n".join(lines))
        bar = self.text.verticalScrollBar()
        if bar is not None:
            bar.setValue(bar.maximum())  # the latest, as a log is read
