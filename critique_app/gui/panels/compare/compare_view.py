"""Two exact pictures in one widget: side by side, a wipe, their difference, or a 50% blend.

Pane A is the film on screen, pane B the compared film. B is normalised before it is drawn:
its bars cropped, its mirroring undone and its picture scaled onto A's, so corresponding
pictures overlap (the crop and mirror come from the comparison's mapping). Where B has no
corresponding frame, its pane carries a sentence instead of a picture. Regions are given as
fractions of each film's whole frame, like the region overlay's, and drawn on their pane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PyQt6.QtCore import QPointF, QRectF, QSize, Qt, pyqtSignal
from PyQt6.QtGui import (
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PyQt6.QtWidgets import QWidget

from critique_app.gui.keys.focus_rules import take_single_keys
from critique_app.i18n import N_

MODES = ("side", "wipe", "difference", "blend")
MODE_NAMES = {
    "side": N_("Side by side"),
    "wipe": N_("Wipe"),
    "difference": N_("Difference"),
    "blend": N_("Blend 50%"),
}
GAP = 6  # pixels between the panes side by side
Crop = tuple[int, int, int, int] | None  # x, y, width, height of the picture inside the frame


@dataclass(frozen=True)
class PaneRegion:
    """A region as it is on the pane's frame: points in fractions of that film's whole frame."""

    shape: str  # rectangle | ellipse | polygon | freehand
    points: tuple[tuple[float, float], ...]
    color: str
    label: str = ""


@dataclass
class _Pane:
    array: Any = None  # the normalised pixels (kept alive for the QImage view)
    image: QImage | None = None
    index: int | None = None
    message: str = ""  # shown instead of a picture (B lacks the passage, still matching…)
    caption: str = ""
    full: tuple[int, int] = (1, 1)  # width, height of the film's whole frame
    crop: Crop = None
    mirror: bool = False
    regions: tuple[PaneRegion, ...] = ()


def fit_crop(crop: Crop, aspect: float, full: tuple[int, int], slack: float = 0.03) -> Crop:
    """A copy's picture box grown about its centre to the original's aspect when they differ
    by under `slack`: bar detection trims a row or two of the encoder's blur at the edges,
    and that small a scale error is already a visible shift in a difference view."""
    if crop is None or aspect <= 0:
        return crop
    x, y, w, h = crop
    if w <= 0 or h <= 0 or abs(w / h / aspect - 1) > slack:
        return crop
    if w / h > aspect:
        grown = min(full[1], round(w / aspect))
        y = max(0, min(full[1] - grown, y - (grown - h) // 2))
        h = grown
    else:
        grown = min(full[0], round(h * aspect))
        x = max(0, min(full[0] - grown, x - (grown - w) // 2))
        w = grown
    return (x, y, w, h)


def _normalise(image: Any, crop: Crop, mirror: bool) -> Any:
    """The picture without its bars, mirroring undone: contiguous RGB for a QImage."""
    if crop is not None:
        x, y, w, h = crop
        image = image[y : y + h, x : x + w]
    if mirror:
        image = image[:, ::-1]
    return np.ascontiguousarray(image)


def _qimage(array: Any) -> QImage:
    h, w = array.shape[:2]
    return QImage(array.data, w, h, array.strides[0], QImage.Format.Format_RGB888)


class CompareView(QWidget):
    wipe_moved = pyqtSignal(float)  # the handle's place, 0..1 across (or down) the picture

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CompareView")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(320, 180)
        self.setMouseTracking(True)
        self.setFocusPolicy(
            Qt.FocusPolicy.StrongFocus
        )  # stands in for the picture: keys start here
        take_single_keys(self)
        self.a, self.b = _Pane(), _Pane()
        self.mode = "side"
        self.overlap = True  # B scaled onto A's picture (copies); False: B letterboxed
        self.wipe = 0.5
        self.vertical = False  # False: the wipe line is upright and moves across
        self.gain = 3.0
        self._dragging = False
        self._difference: tuple[tuple[int, float], Any, QImage] | None = None
        self.paint_count = 0  # tests and the benchmark watch this to know a frame was painted
        self.painted_b: int | None = None  # B's index at the last paint (None: a sentence)
        self._version = 0  # counts pictures set: the cached difference is of one pair

    # -- state in ---------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"'{mode}' is not a compare mode ({', '.join(MODES)}).")
        self.mode = mode
        self.setCursor(
            Qt.CursorShape.SplitHCursor
            if mode == "wipe" and not self.vertical
            else Qt.CursorShape.SplitVCursor
            if mode == "wipe"
            else Qt.CursorShape.ArrowCursor
        )
        self.update()

    def set_wipe_vertical(self, vertical: bool) -> None:
        self.vertical = bool(vertical)
        self.set_mode(self.mode)

    def set_wipe(self, position: float) -> None:
        self.wipe = min(1.0, max(0.0, float(position)))
        self.wipe_moved.emit(self.wipe)
        self.update()

    def set_gain(self, gain: float) -> None:
        self.gain = max(1.0, float(gain))
        self.update()

    def set_normalisation(
        self, crop_a: Crop, crop_b: Crop, mirror_b: bool, overlap: bool = True
    ) -> None:
        """How B's picture is brought onto A's (from the comparison's mapping). Without a
        mapping (`overlap` False: films that are not copies) B keeps its own shape."""
        self.a.crop, self.b.crop, self.b.mirror = crop_a, crop_b, bool(mirror_b)
        self.overlap = overlap

    def set_frame(self, pane: str, image: Any, index: int, caption: str = "") -> None:
        """An exact frame (H x W x 3 RGB) for pane 'a' or 'b'."""
        p = self._pane(pane)
        p.full = (image.shape[1], image.shape[0])
        p.array = _normalise(image, p.crop, p.mirror)
        p.image = _qimage(p.array)
        p.index, p.message, p.caption = index, "", caption
        self._version += 1
        self.update()

    def set_message(self, pane: str, text: str, caption: str = "") -> None:
        """A sentence instead of a picture: never a wrong frame."""
        p = self._pane(pane)
        p.array = p.image = p.index = None
        p.message, p.caption = text, caption
        self.update()

    def set_regions(self, pane: str, regions: tuple[PaneRegion, ...]) -> None:
        self._pane(pane).regions = tuple(regions)
        self.update()

    def clear(self) -> None:
        crops = (self.a.crop, self.b.crop, self.b.mirror, self.overlap)
        self.a, self.b = _Pane(), _Pane()
        self.set_normalisation(*crops)
        self._difference = None
        self.update()

    def _pane(self, pane: str) -> _Pane:
        if pane not in ("a", "b"):
            raise ValueError(f"'{pane}' is not a pane (a or b).")
        return self.a if pane == "a" else self.b

    # -- geometry ---------------------------------------------------------------------------
    def _aspect_size(self) -> QSize:
        image = self.a.image or self.b.image
        if image is None:
            return QSize(16, 9)
        return QSize(image.width(), image.height())

    def _fit(self, area: QRectF) -> QRectF:
        size = self._aspect_size()
        size.scale(QSize(int(area.width()), int(area.height())), Qt.AspectRatioMode.KeepAspectRatio)
        return QRectF(
            area.x() + (area.width() - size.width()) / 2,
            area.y() + (area.height() - size.height()) / 2,
            size.width(),
            size.height(),
        )

    def pane_rect(self, pane: str) -> QRectF:
        """Where pane 'a' or 'b' draws its picture (the same rectangle except side by side)."""
        w, h = self.width(), self.height()
        if self.mode != "side":
            return self._fit(QRectF(0, 0, w, h))
        half = (w - GAP) / 2
        left = 0.0 if pane == "a" else half + GAP
        return self._fit(QRectF(left, 0, half, h))

    def picture_rect(self, pane: str) -> QRectF:
        """Where the pane's picture itself lands: its pane's rectangle, or for B when it does
        not overlap A (not a copy), B's own shape letterboxed inside it."""
        rect = self.pane_rect(pane)
        image = self.b.image
        if pane == "a" or self.overlap or image is None or image.width() == 0:
            return rect
        size = QSize(image.width(), image.height())
        size.scale(QSize(int(rect.width()), int(rect.height())), Qt.AspectRatioMode.KeepAspectRatio)
        return QRectF(
            rect.x() + (rect.width() - size.width()) / 2,
            rect.y() + (rect.height() - size.height()) / 2,
            size.width(),
            size.height(),
        )

    def handle_position(self) -> QPointF:
        """The wipe handle's centre in widget pixels."""
        r = self.pane_rect("a")
        if self.vertical:
            return QPointF(r.center().x(), r.y() + self.wipe * r.height())
        return QPointF(r.x() + self.wipe * r.width(), r.center().y())

    # -- painting ---------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802 (Qt name)
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(18, 18, 20))
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        if self.mode == "side":
            self._draw_pane(p, self.a, self.pane_rect("a"))
            self._draw_pane(p, self.b, self.pane_rect("b"))
            self._draw_regions(p, self.a, self.pane_rect("a"))
            self._draw_regions(p, self.b, self.picture_rect("b"))
        else:
            rect = self.pane_rect("a")
            if self.mode == "wipe":
                self._draw_wipe(p, rect)
            elif self.mode == "difference":
                self._draw_difference(p, rect)
            else:
                self._draw_pane(p, self.a, rect)
                if self.b.image is not None:
                    p.setOpacity(0.5)
                    p.drawImage(self.picture_rect("b"), self.b.image)
                    p.setOpacity(1.0)
                else:
                    self._draw_message(p, self.b, rect)
            self._draw_regions(p, self.a, rect)
            self._draw_regions(p, self.b, self.picture_rect("b"), dashed=True)
        self._draw_captions(p)
        p.end()
        self.paint_count += 1
        self.painted_b = self.b.index

    def _draw_pane(self, p: QPainter, pane: _Pane, rect: QRectF) -> None:
        if pane.image is not None:
            if pane is self.b and not self.overlap:
                p.fillRect(rect, QColor(0, 0, 0))
                rect = self.picture_rect("b")
            p.drawImage(rect, pane.image)
        else:
            self._draw_message(p, pane, rect)

    def _draw_message(self, p: QPainter, pane: _Pane, rect: QRectF) -> None:
        p.fillRect(rect, QColor(60, 60, 60))
        if pane.message:
            p.setPen(QColor(255, 255, 255))
            font = QFont(self.font())
            font.setPointSizeF(max(9.0, min(16.0, rect.height() / 18)))
            p.setFont(font)
            inner = rect.adjusted(16, 16, -16, -16)
            p.drawText(inner, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, pane.message)

    def _draw_wipe(self, p: QPainter, rect: QRectF) -> None:
        self._draw_pane(p, self.a, rect)
        if self.vertical:
            cut = rect.y() + self.wipe * rect.height()
            b_part = QRectF(rect.x(), cut, rect.width(), rect.bottom() - cut)
        else:
            cut = rect.x() + self.wipe * rect.width()
            b_part = QRectF(cut, rect.y(), rect.right() - cut, rect.height())
        p.save()
        p.setClipRect(b_part)
        self._draw_pane(p, self.b, rect)
        p.restore()
        p.setPen(QPen(QColor(255, 255, 255), 2))
        if self.vertical:
            p.drawLine(QPointF(rect.x(), cut), QPointF(rect.right(), cut))
        else:
            p.drawLine(QPointF(cut, rect.y()), QPointF(cut, rect.bottom()))
        centre = self.handle_position()
        p.setBrush(QColor(255, 255, 255))
        p.setPen(QPen(QColor(30, 30, 30), 1))
        p.drawEllipse(centre, 9, 9)
        p.setPen(QPen(QColor(30, 30, 30), 2))
        arrows = "⇕" if self.vertical else "⇔"
        p.drawText(
            QRectF(centre.x() - 9, centre.y() - 9, 18, 18), Qt.AlignmentFlag.AlignCenter, arrows
        )

    def difference_image(self) -> QImage | None:
        """|A − B| × gain (None while either picture is missing), at the smaller picture's
        resolution: a copy's lost detail is not what the view is for, its changed content is."""
        a, b = self.a, self.b
        if a.image is None or b.image is None:
            return None
        key = (self._version, self.gain)
        if self._difference is not None and self._difference[0] == key:
            return self._difference[2]
        small = min((a.image, b.image), key=lambda i: i.width() * i.height())
        w, h = small.width(), small.height()
        while w >= 640:  # halved: re-encoding noise and edges fade, changed content stays
            w, h = w // 2, h // 2

        def scaled(image: QImage) -> Any:
            if image.width() == w and image.height() == h:
                return rgb_pixels(image).astype(np.int16)
            smooth = Qt.TransformationMode.SmoothTransformation
            fitted = image.scaled(w, h, Qt.AspectRatioMode.IgnoreAspectRatio, smooth)
            return rgb_pixels(fitted).astype(np.int16)

        diff = np.abs(scaled(a.image) - scaled(b.image))
        out = np.ascontiguousarray(np.minimum(diff * self.gain, 255).astype(np.uint8))
        image = _qimage(out)
        self._difference = (key, out, image)
        return image

    def _draw_difference(self, p: QPainter, rect: QRectF) -> None:
        image = self.difference_image()
        if image is not None:
            p.drawImage(rect, image)
        elif self.b.image is None:
            self._draw_message(p, self.b, rect)
        else:
            self._draw_pane(p, self.a, rect)

    def _draw_captions(self, p: QPainter) -> None:
        font = QFont(self.font())
        font.setPointSizeF(9.0)
        p.setFont(font)
        metrics = p.fontMetrics()
        # At the bottom: the top of a picture is where titles and burnt-in codes usually are.
        places = [
            ("a", self.pane_rect("a"), False),
            ("b", self.pane_rect("b"), self.mode != "side"),
        ]
        for name, rect, right in places:
            text = self._pane(name).caption
            if not text:
                continue
            width = min(rect.width() - 8, metrics.horizontalAdvance(text) + 16)
            height = metrics.height() + 6
            y = rect.bottom() - height - 4
            x = rect.right() - width - 4 if right else rect.x() + 4
            box = QRectF(x, y, width, height)
            p.fillRect(box, QColor(0, 0, 0, 160))
            p.setPen(QColor(255, 255, 255))
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width - 12))
            p.drawText(box.adjusted(6, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter, elided)

    def _to_pane(self, pane: _Pane, rect: QRectF, point: tuple[float, float]) -> QPointF:
        """A point in fractions of the film's whole frame → widget pixels on the pane."""
        w, h = pane.full
        cx, cy, cw, ch = pane.crop or (0, 0, w, h)
        u = (point[0] * w - cx) / max(1, cw)
        v = (point[1] * h - cy) / max(1, ch)
        if pane.mirror:
            u = 1.0 - u
        return QPointF(rect.x() + u * rect.width(), rect.y() + v * rect.height())

    def _draw_regions(self, p: QPainter, pane: _Pane, rect: QRectF, dashed: bool = False) -> None:
        if pane.image is None:
            return
        font = QFont(self.font())
        font.setPointSizeF(9.0)
        p.setFont(font)
        for region in pane.regions:
            points = [self._to_pane(pane, rect, pt) for pt in region.points]
            if not points:
                continue
            pen = QPen(QColor(region.color), 2)
            if dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            if region.shape in ("rectangle", "ellipse") and len(points) >= 2:
                box = QRectF(points[0], points[1]).normalized()
                if region.shape == "rectangle":
                    p.drawRect(box)
                else:
                    p.drawEllipse(box)
                corner = box.topLeft()
            else:
                polygon = QPolygonF(points)
                if region.shape == "polygon":
                    p.drawPolygon(polygon)
                else:
                    p.drawPolyline(polygon)
                corner = polygon.boundingRect().topLeft()
            if region.label:  # on a dark band: a coloured word on a busy picture is unreadable
                at = corner + QPointF(0, -4)
                band = QRectF(p.fontMetrics().boundingRect(region.label)).translated(at)
                p.fillRect(band.adjusted(-3, -1, 3, 1), QColor(0, 0, 0, 170))
                p.drawText(at, region.label)

    # -- the wipe handle ----------------------------------------------------------------------
    def _position_at(self, pos: QPointF) -> float:
        r = self.pane_rect("a")
        if self.vertical:
            return (pos.y() - r.y()) / max(1.0, r.height())
        return (pos.x() - r.x()) / max(1.0, r.width())

    def mousePressEvent(self, event: QMouseEvent | None) -> None:  # noqa: N802
        if event is None or self.mode != "wipe" or event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position()
        # Anywhere on the picture takes the handle there: a thin line is hard to hit.
        if self.pane_rect("a").contains(pos):
            self._dragging = True
            self.set_wipe(self._position_at(pos))

    def mouseMoveEvent(self, event: QMouseEvent | None) -> None:  # noqa: N802
        if event is None:
            return
        if self._dragging:
            self.set_wipe(self._position_at(event.position()))

    def mouseReleaseEvent(self, event: QMouseEvent | None) -> None:  # noqa: N802
        if event is not None and self._dragging:
            self.set_wipe(self._position_at(event.position()))
        self._dragging = False

    # -- what the panes show, for tests and screenshots ---------------------------------------
    def pane_pixels(self, pane: str) -> Any:
        """The pane's picture as painted on screen (H x W x 3 RGB), from a grab of the widget."""
        rect = self.picture_rect(pane).toRect()
        return rgb_pixels(self.grab().toImage().copy(rect))


def rgb_pixels(image: QImage) -> Any:
    """An H x W x 3 RGB array copied out of a QImage of any format."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    ptr = image.constBits()
    assert ptr is not None
    data = np.frombuffer(ptr.asstring(image.sizeInBytes()), np.uint8)
    rows = data.reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3)
