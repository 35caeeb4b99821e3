"""Labels that fit the room they are given, never a text cut mid-word.

`FittingLabel` shows the longest of several wordings that fits, for read-outs that give way
when the window is narrow (the in/out marks beside the transport): "IN 00:00:15:00   OUT
00:00:22:23" becomes "IN→OUT 192 frames" rather than "IN (". `ElidedLabel` keeps a fixed number
of lines, ends a longer text with "…" and shows all of it in its tooltip: the category's
definition in the editor, which must not push the fields under the pointer down.
"""

from __future__ import annotations

from PyQt6.QtCore import QEvent, QRect, QSize, Qt
from PyQt6.QtGui import QPainter, QPaintEvent
from PyQt6.QtWidgets import QLabel, QWidget


class FittingLabel(QLabel):
    def __init__(
        self,
        parent: QWidget | None = None,
        side: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignRight,
    ) -> None:
        super().__init__(parent)
        self.variants: list[str] = []
        self.side = side  # the edge the shown wording keeps to

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
        align = Qt.AlignmentFlag.AlignVCenter | self.side
        painter.drawText(self.contentsRect(), align, self.shown_text())
        painter.end()


class SteadyLabel(QLabel):
    """As narrow as the widest of the texts it can show, whichever it shows now: a status badge
    whose minimum grew from nothing to "EXACT" once a film opened made the main window give the
    editor column 30 px less at the next layout, and the editor's fields jumped under the pointer."""

    def __init__(self, texts: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts = texts
        self._steady: int | None = None  # measured again when the font or style changes
        self._measuring = False

    def changeEvent(self, event: QEvent | None) -> None:  # noqa: N802
        super().changeEvent(event)
        if event is not None and event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._steady = None

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        if self._measuring:
            return hint
        if self._steady is None:
            # each text measured as QLabel measures it (a style sheet's padding included)
            self._measuring, shown, widths = True, self.text(), [hint.width()]
            for text in self.texts:
                super().setText(text)
                widths.append(super().minimumSizeHint().width())
            super().setText(shown)
            self._measuring, self._steady = False, max(widths)
        return QSize(self._steady, hint.height())


class ElidedLabel(QLabel):
    """Always `lines` lines high, whatever the text: the widgets below it never move."""

    def __init__(self, lines: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines = lines  # drawn wrapped by paintEvent: no word wrap, so no height for width
        self._fix_height()

    def _fix_height(self) -> None:
        margins = self.contentsMargins()
        lines = self.fontMetrics().lineSpacing() * self.lines
        self.setFixedHeight(lines + margins.top() + margins.bottom() + 2)

    def changeEvent(self, event: QEvent | None) -> None:  # noqa: N802
        super().changeEvent(event)
        if event is not None and event.type() == QEvent.Type.FontChange:
            self._fix_height()  # a style sheet's font (the editor's title) arrives when shown

    def setText(self, text: str | None) -> None:  # noqa: N802
        super().setText(text or "")
        self.setToolTip(text or "")  # the whole definition, however long

    def shown_text(self) -> str:
        """The text as drawn: all of it when it fits the lines, else its first words and "…"."""
        text, room = self.text(), self.contentsRect()
        if self._fits(text, room):
            return text
        words = text.split(" ")
        low, high = 0, len(words)  # the most words that fit with the ellipsis
        while low < high:
            middle = (low + high + 1) // 2
            if self._fits(" ".join(words[:middle]) + "…", room):
                low = middle
            else:
                high = middle - 1
        if low == 0:  # not even one word: cut the first one
            return self.fontMetrics().elidedText(
                words[0], Qt.TextElideMode.ElideRight, room.width()
            )
        return " ".join(words[:low]).rstrip(" ,;:") + "…"

    def _fits(self, text: str, room: QRect) -> bool:
        flags = int(Qt.TextFlag.TextWordWrap.value)
        needed = self.fontMetrics().boundingRect(QRect(0, 0, room.width(), 100000), flags, text)
        return needed.height() <= room.height() and needed.width() <= room.width()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(120, self.minimumHeight())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(40, self.minimumHeight())

    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.setFont(self.font())
        flags = (
            Qt.AlignmentFlag.AlignTop.value
            | Qt.AlignmentFlag.AlignLeft.value
            | Qt.TextFlag.TextWordWrap.value
        )
        painter.drawText(self.contentsRect(), int(flags), self.shown_text())
        painter.end()
