"""Regions drawn over the exact paused frame: rectangle, ellipse, polygon, freehand.

A transparent child of the frame picture. Coordinates are fractions (0..1) of the displayed
picture, not of the widget: the picture is letterboxed, so the black bars never count and a
region drawn on a 1920x1080 copy lands on the same picture area of a 1280x720 copy.
The overlay only draws and reports gestures; the annotation workbench turns them into
undoable commands (a new region, or a keyframe at the current frame when one is edited).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PyQt6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, pyqtSignal
from PyQt6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PyQt6.QtWidgets import QWidget

from critique_app.gui import colours
from critique_app.i18n import _

Point = tuple[float, float]
TOOLS = ("rectangle", "ellipse", "polygon", "freehand")
HANDLE = 5.0  # half size of a corner/vertex handle, in pixels
MIN_DRAG = 4.0  # smaller gestures are clicks, not shapes
MAX_FREEHAND_POINTS = 240


@dataclass(frozen=True)
class ShownRegion:
    """One region as it is on the current frame (points already interpolated)."""

    annotation_id: int
    index: int  # position of the region in the annotation's regions
    shape: str
    points: tuple[Point, ...]
    color: str
    label: str = ""
    selected: bool = False
    keyframe_here: bool = False  # the current frame is one of the region's keyframes


def _box(points: tuple[Point, ...] | list[Point]) -> tuple[Point, Point]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys)), (max(xs), max(ys))


def _thin(points: list[Point], limit: int = MAX_FREEHAND_POINTS) -> list[Point]:
    """Keep a freehand outline light: at most `limit` points, first and last kept."""
    if len(points) <= limit:
        return points
    step = (len(points) - 1) / (limit - 1)
    return [points[round(i * step)] for i in range(limit)]


class RegionOverlay(QWidget):
    drawn = pyqtSignal(str, object)  # shape, tuple of normalised points
    edited = pyqtSignal(int, int, object)  # annotation id, region index, new normalised points
    picked = pyqtSignal(int)  # a region of this annotation was clicked
    refused = pyqtSignal(str)  # why drawing is not possible now (a sentence)
    # right click on regions: the regions under the pointer (topmost first), global position
    menu_requested = pyqtSignal(object, object)  # list[ShownRegion], QPoint

    def __init__(self, picture: QWidget) -> None:
        super().__init__(picture)
        self.setObjectName("RegionOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setStyleSheet("background: transparent;")
        self.setMouseTracking(True)
        self.picture = picture  # a FramePicture: knows where the frame lands (picture_rect)
        self.tool: str | None = None
        self.regions: list[ShownRegion] = []
        # The window says whether the frame on screen is the exact paused one (None = yes).
        self.drawing_refused: Callable[[], str | None] = lambda: None
        self._draft: list[Point] = []  # normalised points of the shape being drawn
        self._press: QPointF | None = None
        self._hover: Point | None = None
        self._drag: tuple[ShownRegion, int | None, Point, list[Point]] | None = None
        self._took_back = False  # the last right click removed a polygon point
        self.setGeometry(picture.rect())
        picture.installEventFilter(self)

    # -- geometry: widget pixels <-> fractions of the displayed picture ---------------------
    def picture_rect(self) -> QRectF:
        rect: QRectF = self.picture.picture_rect()  # type: ignore[attr-defined]
        return rect

    def to_normalised(self, pos: QPointF) -> Point:
        r = self.picture_rect()
        x = (pos.x() - r.x()) / max(1e-9, r.width())
        y = (pos.y() - r.y()) / max(1e-9, r.height())
        return (min(1.0, max(0.0, x)), min(1.0, max(0.0, y)))

    def to_widget(self, point: Point) -> QPointF:
        r = self.picture_rect()
        return QPointF(r.x() + point[0] * r.width(), r.y() + point[1] * r.height())

    def pixel_rect(self, annotation_id: int, index: int = 0) -> QRectF | None:
        """The on-screen bounding box of a shown region (what a viewer sees), in widget pixels."""
        for shown in self.regions:
            if shown.annotation_id == annotation_id and shown.index == index:
                (x0, y0), (x1, y1) = _box(shown.points)
                return QRectF(self.to_widget((x0, y0)), self.to_widget((x1, y1)))
        return None

    def eventFilter(self, watched: QObject | None, event: QEvent | None) -> bool:  # noqa: N802
        if watched is self.picture and event is not None and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.picture.rect())
        return False

    # -- state in ---------------------------------------------------------------------------
    def set_tool(self, tool: str | None) -> None:
        if tool is not None and tool not in TOOLS:
            raise ValueError(f"'{tool}' is not a drawing tool ({', '.join(TOOLS)}).")
        self.tool = tool
        self._draft, self._press = [], None
        self.setCursor(Qt.CursorShape.CrossCursor if tool else Qt.CursorShape.ArrowCursor)
        self.update()

    def set_regions(self, regions: list[ShownRegion]) -> None:
        if self._drag is None:  # never yank a region from under the pointer
            self.regions = regions
            self.update()

    # -- painting ---------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802
        if not self.regions and not self._draft:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setClipRect(self.picture_rect())
        for shown in self.regions:
            self._paint_region(p, shown)
        if self._draft:
            self._paint_draft(p)
        p.end()

    def _path(self, shape: str, points: tuple[Point, ...] | list[Point]) -> QPainterPath:
        path = QPainterPath()
        if shape in ("rectangle", "ellipse"):
            a, b = _box(points)
            rect = QRectF(self.to_widget(a), self.to_widget(b))
            if shape == "rectangle":
                path.addRect(rect)
            else:
                path.addEllipse(rect)
        else:
            path.addPolygon(QPolygonF([self.to_widget(pt) for pt in points]))
            if shape == "polygon":
                path.closeSubpath()
        return path

    def _paint_region(self, p: QPainter, shown: ShownRegion) -> None:
        colour = QColor(shown.color)
        fill = QColor(colour)
        fill.setAlpha(60 if shown.selected else 28)
        pen = QPen(
            colour.lighter(125) if shown.selected else colour, 2.5 if shown.selected else 1.6
        )
        path = self._path(shown.shape, shown.points)
        # a dark halo under the coloured line keeps it readable on any picture
        p.setPen(QPen(QColor(0, 0, 0, 150), pen.widthF() + 2.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.setPen(pen)
        p.setBrush(QBrush(fill))
        p.drawPath(path)
        if shown.label:
            self._paint_label(p, shown, colour)
        if shown.selected:
            p.setPen(QPen(QColor("#101214"), 1))
            p.setBrush(QColor("#ffffff") if shown.keyframe_here else colour.lighter(150))
            for pt in self._handles(shown):
                c = self.to_widget(pt)
                p.drawRect(QRectF(c.x() - HANDLE, c.y() - HANDLE, 2 * HANDLE, 2 * HANDLE))

    def _paint_label(self, p: QPainter, shown: ShownRegion, colour: QColor) -> None:
        (x0, y0), _ = _box(shown.points)
        corner = self.to_widget((x0, y0))
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.9))
        p.setFont(font)
        width = p.fontMetrics().horizontalAdvance(shown.label) + 10
        height = p.fontMetrics().height() + 4
        top = corner.y() - height - 2 if corner.y() - height - 2 >= 0 else corner.y() + 2
        box = QRectF(corner.x(), top, width, height)
        back = QColor(colour.darker(160))
        back.setAlpha(215)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(back)
        p.drawRoundedRect(box, 3, 3)
        p.setPen(QColor(colours.label_on(colour.darker(160).name())))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, shown.label)

    def _paint_draft(self, p: QPainter) -> None:
        pen = QPen(QColor("#ffd166"), 1.8, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(QColor(255, 209, 102, 40))
        points = list(self._draft)
        if self.tool == "polygon" and self._hover is not None:
            points.append(self._hover)
        if self.tool in ("rectangle", "ellipse") and len(points) >= 2:
            p.drawPath(self._path(self.tool, points[:2]))
        elif len(points) >= 2:
            p.drawPolyline(QPolygonF([self.to_widget(pt) for pt in points]))
        p.setBrush(QColor("#ffd166"))
        if self.tool == "polygon":
            for pt in self._draft:
                c = self.to_widget(pt)
                p.drawEllipse(c, 3, 3)

    def _handles(self, shown: ShownRegion) -> list[Point]:
        if shown.shape in ("rectangle", "ellipse"):
            (x0, y0), (x1, y1) = _box(shown.points)
            return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        if shown.shape == "polygon":
            return list(shown.points)
        return []  # a freehand outline moves as a whole

    # -- mouse --------------------------------------------------------------------------------
    def _refusal(self) -> str | None:
        return self.drawing_refused()

    def mousePressEvent(self, event: QMouseEvent | None) -> None:  # noqa: N802
        if event is None:
            return
        parent = self.parentWidget()
        focus = parent.parentWidget() if parent is not None else None
        if focus is not None:
            focus.setFocus()  # the player keys keep working after a click on the picture
        pos = event.position()
        self._took_back = False
        if event.button() == Qt.MouseButton.RightButton and self.tool == "polygon" and self._draft:
            self._draft = self._draft[:-1]  # right click takes back the last point
            self._took_back = True  # and opens no menu
            self.update()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.tool is not None:
            reason = self._refusal()
            if reason:
                self.refused.emit(reason)
                return
            if not self.picture_rect().contains(pos):
                return
            point = self.to_normalised(pos)
            if self.tool == "polygon":
                self._draft.append(point)
            else:
                self._press = pos
                self._draft = [point, point] if self.tool != "freehand" else [point]
            self.update()
            return
        self._start_edit(pos)

    def mouseMoveEvent(self, event: QMouseEvent | None) -> None:  # noqa: N802
        if event is None:
            return
        pos = event.position()
        point = self.to_normalised(pos)
        if self._drag is not None:
            self._move_edit(point)
            return
        if self.tool == "polygon" and self._draft:
            self._hover = point
            self.update()
            return
        if self._press is None or not self._draft:
            return
        if self.tool in ("rectangle", "ellipse"):
            self._draft[1] = point
        elif self.tool == "freehand":
            last = self.to_widget(self._draft[-1])
            if abs(last.x() - pos.x()) + abs(last.y() - pos.y()) >= 2:
                self._draft.append(point)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent | None) -> None:  # noqa: N802
        if event is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if self._drag is not None:
            self._finish_edit()
            return
        if self._press is None or self.tool in (None, "polygon"):
            return
        moved = event.position() - self._press
        self._press = None
        draft, self._draft = self._draft, []
        self.update()
        if abs(moved.x()) < MIN_DRAG and abs(moved.y()) < MIN_DRAG:
            return  # a click, not a shape
        if self.tool in ("rectangle", "ellipse"):
            draft[1] = self.to_normalised(event.position())
            (x0, y0), (x1, y1) = _box(draft)
            self.drawn.emit(self.tool, ((x0, y0), (x1, y1)))
        elif len(draft) >= 2:
            self.drawn.emit("freehand", tuple(_thin(draft)))

    def mouseDoubleClickEvent(self, event: QMouseEvent | None) -> None:  # noqa: N802
        if self.tool != "polygon":
            return
        points = list(self._draft)
        if event is not None and self.picture_rect().contains(event.position()):
            points.append(self.to_normalised(event.position()))
        # the double click's own press usually added this point already: drop exact repeats
        unique = [pt for i, pt in enumerate(points) if i == 0 or pt != points[i - 1]]
        self._draft, self._hover = [], None
        self.update()
        if len(unique) >= 3:
            self.drawn.emit("polygon", tuple(unique))
        else:
            self.refused.emit(_("A polygon needs at least three points: click each corner."))

    def finish_polygon(self) -> None:
        """Close the polygon being drawn (Return)."""
        if self.tool == "polygon" and len(self._draft) >= 3:
            draft, self._draft, self._hover = self._draft, [], None
            self.update()
            self.drawn.emit("polygon", tuple(draft))

    # -- editing a shown region (no tool): move it, or drag one corner / vertex ----------------
    def _start_edit(self, pos: QPointF) -> None:
        for shown in sorted(self.regions, key=lambda s: not s.selected):
            if shown.selected:
                for i, pt in enumerate(self._handles(shown)):
                    c = self.to_widget(pt)
                    if abs(c.x() - pos.x()) <= HANDLE + 2 and abs(c.y() - pos.y()) <= HANDLE + 2:
                        self._begin_drag(shown, i, pos)
                        return
            if self._path(shown.shape, shown.points).contains(pos):
                if not shown.selected:
                    self.picked.emit(shown.annotation_id)
                    return
                self._begin_drag(shown, None, pos)
                return

    def regions_at(self, pos: QPointF) -> list[ShownRegion]:
        """The shown regions under a point of the widget, the selected ones first."""
        return [
            shown
            for shown in sorted(self.regions, key=lambda s: not s.selected)
            if self._path(shown.shape, shown.points).contains(pos)
        ]

    def contextMenuEvent(self, event: QContextMenuEvent | None) -> None:  # noqa: N802
        if event is None:
            return
        under = self.regions_at(QPointF(event.pos()))
        if self._took_back or not under:
            event.ignore()  # a polygon being drawn: the right click took back a point
            return
        event.accept()
        self.menu_requested.emit(under, event.globalPos())

    def _begin_drag(self, shown: ShownRegion, handle: int | None, pos: QPointF) -> None:
        reason = self._refusal()
        if reason:
            self.refused.emit(reason)
            return
        self._drag = (shown, handle, self.to_normalised(pos), list(shown.points))

    def _move_edit(self, point: Point) -> None:
        assert self._drag is not None
        shown, handle, start, original = self._drag
        if handle is None:
            dx, dy = point[0] - start[0], point[1] - start[1]
            (x0, y0), (x1, y1) = _box(original)
            dx = min(max(dx, -x0), 1 - x1)  # the whole shape stays on the picture
            dy = min(max(dy, -y0), 1 - y1)
            points = [(x + dx, y + dy) for x, y in original]
        elif shown.shape in ("rectangle", "ellipse"):
            (x0, y0), (x1, y1) = _box(original)
            corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
            opposite = corners[(handle + 2) % 4]
            (a0, b0), (a1, b1) = _box([opposite, point])
            points = [(a0, b0), (a1, b1)]
        else:
            points = list(original)
            points[handle] = point
        index = self.regions.index(shown) if shown in self.regions else -1
        moved = ShownRegion(
            shown.annotation_id,
            shown.index,
            shown.shape,
            tuple(points),
            shown.color,
            shown.label,
            True,
            shown.keyframe_here,
        )
        if index >= 0:
            self.regions[index] = moved
        self._drag = (moved, handle, start, original)
        self.update()

    def _finish_edit(self) -> None:
        assert self._drag is not None
        shown, _handle, _start, original = self._drag
        self._drag = None
        if list(shown.points) != original:
            self.edited.emit(shown.annotation_id, shown.index, shown.points)
