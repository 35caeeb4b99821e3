"""A label that shows the longest of several wordings that fits, never a text cut mid-word.

For read-outs that give way when the window is narrow (the in/out marks beside the transport):
"IN 00:00:15:00   OUT 00:00:22:23" becomes "IN→OUT 192 frames" rather than "IN (".
"""

from __future__ import annotations

from PyQt6.QtCore import QSize, Qt
from PyQt6.QtGui import QPainter, QPaintEvent
from PyQt6.QtWidgets import QLabel, QWidget


class FittingLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.variants: list[str] = []

    def set_variants(self, variants: list[str]) -> None:
        """Wordings from the fullest to the shortest; the full one is also the tooltip."""
        self.variants = [v for v in variants if v]
        self.setText(self.variants[0] if self.variants else "")
        self.setToolTip(self.variants[0] if len(self.variants) > 1 else "")

    def shown_text(self) -> str:
        """The wording that fits the width the layout gave (empty when none does)."""
        room = self.contentsRect().width()
        metrics = self.fontMetrics()
        return next((v for v in self.variants if metrics.horizontalAdvance(v) <= room), "")

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.minimumWidth() or hint.width()), hint.height())

    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.setFont(self.font())
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight
        painter.drawText(self.contentsRect(), align, self.shown_text())
        painter.end()
