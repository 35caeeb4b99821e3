"""The picture: libvlc's native window while VLC plays, otherwise the exact frame painted by Qt.

Two pages of a stacked layout, never overlapping: a native child window (WA_NativeWindow) that
libvlc draws into, and a plain widget painting the exact frame's QImage letterboxed on black.
"""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QRectF, QSize, Qt
from PyQt6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PyQt6.QtWidgets import QFrame, QStackedLayout, QWidget

from critique_app.gui.keys.focus_rules import take_single_keys


def frame_to_qimage(image: Any) -> QImage:
    """Wrap an H x W x 3 uint8 RGB array without copying (the caller keeps the array alive)."""
    height, width = image.shape[:2]
    return QImage(image.data, width, height, image.strides[0], QImage.Format.Format_RGB888)


class FramePicture(QWidget):
    """Paints one decoded frame, aspect kept, centred on black."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._array: Any = None
        self._image: QImage | None = None
        self.index: int | None = None
        self.smooth = True
        self.paint_count = 0  # benchmarks and tests watch this to know a frame reached the screen

    def set_frame(self, frame: Any) -> None:
        self._array = frame.image  # keeps the pixels alive for the QImage view
        self._image = frame_to_qimage(frame.image)
        self.index = frame.index
        self.update()

    @property
    def pixels(self) -> Any:
        """The exact frame on screen (H x W x 3 RGB), None while a rough hint is shown."""
        return self._array

    def set_image(self, image: QImage, index: int | None = None) -> None:
        self._array, self._image, self.index = None, image, index
        self.update()

    def clear(self) -> None:
        self._array = self._image = None
        self.index = None
        self.update()

    def picture_rect(self, area: QSize | None = None) -> QRectF:
        """Where the frame lands inside the widget (or an `area` of that size), letterboxed."""
        area = area if area is not None else self.size()
        if self._image is None or self._image.width() == 0:
            return QRectF(0, 0, area.width(), area.height())
        size = QSize(self._image.width(), self._image.height())
        size.scale(area, Qt.AspectRatioMode.KeepAspectRatio)
        x = (area.width() - size.width()) / 2
        y = (area.height() - size.height()) / 2
        return QRectF(x, y, size.width(), size.height())

    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0))
        if self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.smooth)
            painter.drawImage(self.picture_rect(), self._image)
        painter.end()
        self.paint_count += 1


class VideoView(QWidget):
    """The stacked pair; `show_native(True)` while a self-drawing engine (VLC) plays."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("VideoView")
        self.setMinimumSize(320, 180)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the window's keys start here
        take_single_keys(self)
        self.native = QFrame(self)
        self.native.setObjectName("VlcSurface")
        self.native.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        self.native.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)
        self.native.setStyleSheet("background: black;")
        self.picture = FramePicture(self)
        self._stack = QStackedLayout(self)
        self._stack.setContentsMargins(0, 0, 0, 0)
        self._stack.addWidget(self.picture)
        self._stack.addWidget(self.native)
        self._stack.setCurrentWidget(self.picture)

    def native_window_id(self) -> int:
        return int(self.native.winId())

    def show_native(self, native: bool) -> None:
        self._stack.setCurrentWidget(self.native if native else self.picture)

    @property
    def showing_native(self) -> bool:
        return self._stack.currentWidget() is self.native

    def show_frame(self, frame: Any) -> None:
        self.picture.set_frame(frame)

    def picture_rect(self) -> QRectF:
        """Where the film's picture sits in this view, whichever page shows it (VLC fits alike)."""
        return self.picture.picture_rect(self.size())
