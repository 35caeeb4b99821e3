"""After an export from the window: the status bar says where the file went and offers to
Open it (in the program the computer opens it with) or to Show it in its folder."""

from __future__ import annotations

from pathlib import Path

from PyQt6.QtCore import QUrl
from PyQt6.QtGui import QDesktopServices
from PyQt6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QWidget

from critique_app.i18n import _


def open_url(url: QUrl) -> bool:
    """Hand a file or folder to the desktop (tests replace this)."""
    return QDesktopServices.openUrl(url)


class ExportOffer(QWidget):
    """The sentence and its two buttons, at the left of the status bar until dismissed or
    replaced by the next export."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ExportOffer")
        self.path: Path | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.sentence = QLabel()
        self.open_button = QPushButton(_("Open"))
        self.folder_button = QPushButton(_("Show in folder"))
        close = QPushButton("×")
        close.setToolTip(_("Dismiss"))
        close.setFlat(True)
        row.addWidget(self.sentence)
        row.addWidget(self.open_button)
        row.addWidget(self.folder_button)
        row.addWidget(close)
        self.open_button.clicked.connect(self.open_file)
        self.folder_button.clicked.connect(self.show_folder)
        close.clicked.connect(self.hide)

    def offer(self, path: Path, sentence: str) -> None:
        self.path = path
        self.sentence.setText(sentence)
        self.setToolTip(str(path))
        self.show()

    def open_file(self) -> bool:
        return self.path is not None and open_url(QUrl.fromLocalFile(str(self.path)))

    def show_folder(self) -> bool:
        """The folder holding the export (a folder of clips: that folder's own parent)."""
        if self.path is None:
            return False
        return open_url(QUrl.fromLocalFile(str(self.path.parent)))


def offer_exported(window: QMainWindow, path: str | Path, sentence: str) -> ExportOffer | None:
    """Say `sentence` in the window's status bar with Open and Show in folder for `path`."""
    bar = window.statusBar()
    if bar is None:
        return None
    offer = bar.findChild(ExportOffer, "ExportOffer")
    if offer is None:
        offer = ExportOffer()
        # permanent: a status-bar message (a frame stepped, a task done) must not hide it
        bar.insertPermanentWidget(0, offer)
    offer.offer(Path(path), sentence)
    return offer
