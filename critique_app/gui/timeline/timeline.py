"""The timeline: ruler, thumbnail strip, lanes (shots, provenance matches, markers) and one track
per tier with annotations as bars. Custom painted; zooms from the whole film to single frames.

It shows data and reports gestures (seek, scrub, edge drags); the window decides what they do.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from PyQt6.QtCore import QEvent, QPointF, QRectF, Qt, pyqtSignal
from PyQt6.QtGui import (
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PyQt6.QtWidgets import QGridLayout, QScrollBar, QWidget

from critique_app.domain.timecode import frame_to_smpte, nominal_fps
from critique_app.gui import colours
from critique_app.gui.keys.focus_rules import take_single_keys
from critique_app.gui.timeline.timeline_density import DenseTracks
from critique_app.gui.timeline.timeline_rows import pack_rows, repack_rows, row_count
from critique_app.i18n import _

HEADER = 116  # track names column
RULER = 24
THUMBS = 50
LANE = 16
BAR_LANE = 40  # a lane of bars of different heights (the rhythm: one bar per shot)
TRACK = 24  # a tier's track when none of its annotations overlap
SUB_ROW = 18  # each sub-row of a track whose annotations overlap (stacked, never hidden)
TRACKS_ASKED = 6 * TRACK  # the tracks area asks for at most this height; the rest scrolls
EDGE_GRAB = 5  # pixels either side of a bar edge that start an edge drag
MAX_PX_PER_FRAME = 40.0

BG = QColor(colours.TIMELINE_BACKGROUND)  # every text colour here is checked against these
HEADER_BG = QColor(colours.TIMELINE_HEADER)
LINE = QColor("#33363d")
TEXT = QColor(colours.TIMELINE_TEXT)
DIM = QColor(colours.TIMELINE_DIM)
PLAYHEAD = QColor("#ff5a36")
IN_OUT = QColor(255, 196, 64, 46)
IN_OUT_EDGE = QColor("#ffc440")


@dataclass
class TimelineBar:
    """One annotation as the timeline draws it."""

    id: int
    tier_id: int
    start: int
    end: int  # inclusive
    color: str
    label: str = ""
    row: int = 0  # sub-row in its tier's track: overlapping annotations stack


def pack_tier(bars: list[TimelineBar]) -> list[list[TimelineBar]]:
    """A tier's bars (sorted by `_bar_order`) in their sub-rows, each row sorted by start;
    sets each bar's `row`. Plain Python: a worker may pack a whole film."""
    rows = pack_rows([(b.start, b.end) for b in bars])
    per_row: list[list[TimelineBar]] = [[] for _ in range(row_count(rows))]
    for bar, row in zip(bars, rows, strict=True):
        bar.row = row
        per_row[row].append(bar)  # stays sorted by start
    return per_row


def _bar_order(bar: TimelineBar) -> tuple[int, int, int]:
    """Where an edited bar goes in its tier: by start and end, then in the order the project
    lists annotations (start, then id), so an edit packs as a reload of everything does."""
    return (bar.start, bar.end, bar.id)


@dataclass
class _TierEdit:
    """One tier's part of an edit: its bars as they were (packed), those taken out, those
    put in; `rows` its sub-rows before the edit, once re-packed."""

    before: list[TimelineBar]
    gone: list[TimelineBar] = field(default_factory=list)
    brought: list[TimelineBar] = field(default_factory=list)
    rows: list[list[TimelineBar]] = field(default_factory=list)


def track_height(rows: int) -> int:
    """The height of a tier's track with `rows` sub-rows (one sub-row: TRACK)."""
    return 6 + rows * SUB_ROW


def sub_row_band(top: float, rows: int, row: int) -> tuple[float, float]:
    """Top and height of the bars of sub-row `row` in a track starting at `top`."""
    if rows <= 1:
        return top + 3, TRACK - 6
    return top + 4 + row * SUB_ROW, SUB_ROW - 2


@dataclass
class Lane:
    key: str
    title: str
    spans: list[tuple[int, int, str, str]]  # start, end (inclusive), colour, label
    # a bar lane: each span's height as a share of the lane's (0-1), in the spans' order
    levels: list[float] = field(default_factory=list)

    @property
    def height(self) -> int:
        return BAR_LANE if self.levels else LANE

    def span_at(self, frame_of: Any, x: float) -> tuple[int, int, str, str] | None:
        for span in self.spans:
            if frame_of(span[0]) - 3 <= x <= frame_of(span[1] + 1) + 3:  # thin: a little slack
                return span
        return None


class TimelineCanvas(QWidget):
    seek = pyqtSignal(int)  # click: land exactly here
    scrub = pyqtSignal(int)  # dragging the playhead
    scrub_released = pyqtSignal(int)
    range_edited = pyqtSignal(int, int, int)  # annotation id, new start, new end
    bar_clicked = pyqtSignal(int)
    lane_clicked = pyqtSignal(str, int, int)  # lane key, first and last frame of the span
    view_changed = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Timeline")
        self.setMouseTracking(True)
        # a click takes the focus (out of a text field) so the window's single keys act here
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.frame_count = 0
        self.rate = Fraction(24)
        self.start_frame = 0
        self.drop_frame = False
        self.current = 0
        self.in_mark: int | None = None
        self.out_mark: int | None = None
        self.tiers: list[tuple[int, str, str]] = []  # id, name, colour
        self._bars: dict[int, list[TimelineBar]] = {}  # tier -> bars sorted by start
        # Packed once per set_tracks (never per paint): per tier its top in the tracks area,
        # its sub-rows and its first line; per line (tier, sub-row) its band and its bars.
        self._tracks: list[tuple[int, int, int, int]] = []  # tier, top, sub-rows, first line
        self._lines: list[tuple[int, float, float, list[TimelineBar]]] = []
        # tier -> its top and sub-rows: a bar's band is worked out from them and its row when
        # asked (a dict of every bar's band cost a pass over all 100,000 bars whenever an
        # edit moved the tiers below it, 40 ms a key press)
        self._track_of: dict[int, tuple[int, int]] = {}
        self._rows: dict[int, list[list[TimelineBar]]] = {}  # tier -> its sub-rows' bars
        self._bar_of: dict[int, TimelineBar] = {}  # annotation id -> its bar
        self._content_height = 0
        self.v_scroll = 0.0  # pixels of the tracks area scrolled up (many tiers, many sub-rows)
        self.lanes: dict[str, Lane] = {
            "shots": Lane("shots", _("Shots"), []),
            "matches": Lane("matches", _("Matches"), []),
            "markers": Lane("markers", _("Markers"), []),
        }
        self.thumbs: dict[int, QImage] = {}
        self._thumb_frames: list[int] = []
        self.thumb_progress: float | None = None  # 0..1 while generating
        self.waiting: str | None = None  # said over the tracks while their bars are read
        self.fpp = 1.0  # frames per pixel
        self.offset = 0.0  # frame at the left edge of the tracks area
        self._drag: tuple[str, Any] | None = None
        self._fit = True  # showing the whole film: stays so when the widget is resized
        self.selected: int | None = None  # the annotation selected in the table/editor (outlined)
        self._dense: DenseTracks | None = None
        self._dense_before: DenseTracks | None = None  # after an edit: its unchanged lines
        self._wide: tuple[DenseTracks, tuple[Any, ...], QImage] | None = None  # _paint_tracks
        self.setMinimumHeight(RULER + THUMBS + 3 * LANE + 2 * TRACK)

    # -- data in ------------------------------------------------------------------------
    def set_film(
        self, frame_count: int, rate: Fraction, start_frame: int = 0, drop_frame: bool = False
    ) -> None:
        self.frame_count = max(0, frame_count)
        self.rate, self.start_frame, self.drop_frame = Fraction(rate), start_frame, drop_frame
        self.thumbs.clear()
        self._thumb_frames = []
        self.zoom_fit()

    def set_tracks(self, tiers: list[tuple[int, str, str]], bars: list[TimelineBar]) -> None:
        by_tier: dict[int, list[TimelineBar]] = {tid: [] for tid, _n, _c in tiers}
        for bar in sorted(bars, key=lambda b: (b.start, b.end)):  # stable: listing order
            by_tier.setdefault(bar.tier_id, []).append(bar)
        self.set_packed_tracks(tiers, by_tier, {tid: pack_tier(by_tier[tid]) for tid, *_ in tiers})

    def set_packed_tracks(
        self,
        tiers: list[tuple[int, str, str]],
        bars: dict[int, list[TimelineBar]],
        rows: dict[int, list[list[TimelineBar]]],
    ) -> None:
        """Tracks whose bars are sorted (`_bar_order`) and packed already (`pack_tier`, each
        shown tier's), e.g. on a worker: only their bands are placed here."""
        self.tiers = list(tiers)
        self._bars = {tid: [] for tid, _n, _c in tiers} | bars
        self._bar_of = {bar.id: bar for tier_bars in bars.values() for bar in tier_bars}
        self._rows, self._tracks = dict(rows), []
        self._pack(set())  # no tier packed again: each is new, so every band is placed
        self._dense = self._dense_before = None  # rebuilt at the next paint
        self.waiting = None
        self._fit_height()
        self.update()

    def replace_bars(self, bars: list[TimelineBar], removed: set[int]) -> None:
        """Some annotations were edited (a new one, a moved edge, an undo, a redo): put in
        `bars` (new, or replacing the bar of the same id), take out the bars of `removed`, and
        re-pack only the stretch of the tiers they were or are in that the edit moves. The same
        bars, sub-rows and bands as a `set_tracks` of everything, without re-reading 100,000
        annotations per key press."""
        gone = set(removed) | {b.id for b in bars}
        old_bars = [self._bar_of.pop(i) for i in gone if i in self._bar_of]
        edits: dict[int, _TierEdit] = {}
        for tier_id in {b.tier_id for b in (*old_bars, *bars)}:
            # the list as packed stays as it was: the tier gets a new one
            before = self._bars.get(tier_id, [])
            edits[tier_id] = _TierEdit(before)
            self._bars[tier_id] = [b for b in before if b.id not in gone]
        for bar in old_bars:
            edits[bar.tier_id].gone.append(bar)
        for bar in bars:
            edits[bar.tier_id].brought.append(bar)
            bisect.insort(self._bars[bar.tier_id], bar, key=_bar_order)
            self._bar_of[bar.id] = bar
        self._pack(set(edits), edits)
        # rebuilt at the next paint, from the lines of untouched tiers as they are
        self._dense_before, self._dense = self._dense or self._dense_before, None
        self._fit_height()
        self.update()

    def all_bars(self) -> list[list[TimelineBar]]:
        """Every tier's bars (hidden tiers' too), each list sorted by start."""
        return list(self._bars.values())

    def bar_of(self, annotation_id: int) -> TimelineBar | None:
        """The bar drawn for an annotation (None when it has none)."""
        return self._bar_of.get(annotation_id)

    def _pack(
        self, tiers: set[int] | None = None, edits: dict[int, _TierEdit] | None = None
    ) -> None:
        """Stack each tier's overlapping annotations in sub-rows (once per data change): every
        tier, or only `tiers` (the others keep their sub-rows; only their tops may move); a
        tier with its `edits` known only where they move sub-rows."""
        if tiers is None:
            self._rows = {}
        self._tracks, self._lines, self._track_of = [], [], {}
        top = 0
        for tier_id, _name, _colour in self.tiers:
            repacked = tiers is None or tier_id in tiers or tier_id not in self._rows
            edit = (edits or {}).get(tier_id)
            if edit is not None and tier_id in self._rows:
                self._repack(tier_id, edit)
            elif repacked:
                self._rows[tier_id] = pack_tier(self._bars.get(tier_id, []))
            per_row = self._rows[tier_id]
            count = len(per_row)
            self._tracks.append((tier_id, top, count, len(self._lines)))
            self._track_of[tier_id] = (top, count)
            for row, row_bars in enumerate(per_row):
                y, h = sub_row_band(top, count, row)
                self._lines.append((tier_id, y, h, row_bars))
            top += track_height(count)
        self._content_height = top

    def _repack(self, tier_id: int, edit: _TierEdit) -> None:
        """Move the bars an edit of this tier re-placed between its sub-rows (each sub-row
        touched is a new list: the dense painting keeps the arrays of the lists it knows)."""
        old, new = edit.before, self._bars.get(tier_id, [])
        edit.rows = rows = list(self._rows[tier_id])
        keys = [_bar_order(b) for b in (*edit.gone, *edit.brought)]
        first = bisect.bisect_left(new, min(keys), key=_bar_order)
        old_stop = bisect.bisect_right(old, max(keys), key=_bar_order)
        new_stop = bisect.bisect_right(new, max(keys), key=_bar_order)
        changes = repack_rows(old, new, first, old_stop, new_stop, len(rows))
        copied: set[int] = set()

        def row_list(row: int) -> list[TimelineBar]:
            while len(rows) <= row:
                rows.append([])
                copied.add(len(rows) - 1)
            if row not in copied:
                rows[row] = list(rows[row])
                copied.add(row)
            return rows[row]

        def take_out(bar: TimelineBar) -> None:
            listed = row_list(bar.row)
            at = bisect.bisect_left(listed, _bar_order(bar), key=_bar_order)
            if at < len(listed) and listed[at] is bar:
                del listed[at]

        brought = {id(b) for b in edit.brought}
        for bar in edit.gone:
            take_out(bar)
        for j, row in changes:
            bar = new[j]
            if id(bar) not in brought:
                if bar.row == row:
                    continue
                take_out(bar)
            bar.row = row
            bisect.insort(row_list(row), bar, key=_bar_order)
        while len(rows) > 1 and not rows[-1]:
            rows.pop()
        self._rows[tier_id], edit.rows = rows, self._rows[tier_id]

    def _fit_height(self) -> None:
        asked = max(TRACK, min(self._content_height, TRACKS_ASKED))
        self.setMinimumHeight(self._tracks_top() + asked + 4)
        self._clamp_v()
        self.view_changed.emit()  # the tracks' scroll bar follows

    def set_lane(
        self, key: str, spans: list[tuple[int, int, str, str]], title: str | None = None
    ) -> None:
        """Fill a lane: 'shots' (cuts as zero-length spans), 'matches', 'markers' or a new one."""
        lane = self.lanes.setdefault(key, Lane(key, title or key.title(), []))
        if title:
            lane.title = title
        lane.spans = sorted(spans)
        self._fit_height()
        self.update()

    def set_bar_lane(
        self, key: str, title: str, bars: list[tuple[int, int, str, str, float]]
    ) -> None:
        """Fill a lane of bars of their own heights: (start, end, colour, label, share of the
        lane's height) each, sorted by start and never overlapping (shots)."""
        ordered = sorted(bars)
        self.set_lane(key, [bar[:4] for bar in ordered], title)
        self.lanes[key].levels = [min(1.0, max(0.0, bar[4])) for bar in ordered]
        self._fit_height()

    def remove_lane(self, key: str) -> None:
        """A lane that means nothing any more (the compared film closed)."""
        if self.lanes.pop(key, None) is not None:
            self._fit_height()
            self.update()

    def set_shot_cuts(self, cuts: list[int]) -> None:
        """Shot boundaries (first frame of each shot after the first) from the shots detector."""
        self.set_lane("shots", [(c, c, "#9fb4ff", "cut") for c in cuts])

    def set_matches(self, spans: list[tuple[int, int, str]]) -> None:
        """Provenance matches: (start, end, label) frame ranges found in the reference library."""
        self.set_lane("matches", [(s, e, "#e0637a", label) for s, e, label in spans])

    def add_thumbnail(self, frame: int, image: QImage) -> None:
        self.thumbs[frame] = image
        bisect.insort(self._thumb_frames, frame)
        self.update()

    def set_current(self, index: int) -> None:
        if index != self.current:
            old = self.current
            self.current = index
            self._follow_playhead()
            self._update_columns(old, index)

    def set_selected(self, annotation_id: int | None) -> None:
        """Outline the bar of the annotation selected elsewhere (annotation table, editor)."""
        if annotation_id != self.selected:
            self.selected = annotation_id
            band = self._band(annotation_id) if annotation_id is not None else None
            if band is not None:  # scrolled out of the tracks area: bring its sub-row in
                y, h = band
                if y < self.v_scroll or y + h > self.v_scroll + self.tracks_view_height():
                    self.scroll_tracks_to(y - 3)
            self.update()

    def set_marks(self, in_mark: int | None, out_mark: int | None) -> None:
        self.in_mark, self.out_mark = in_mark, out_mark
        self.update()

    # -- geometry -------------------------------------------------------------------------
    @property
    def track_width(self) -> int:
        return max(1, self.width() - HEADER)

    def _tracks_top(self) -> int:
        return RULER + THUMBS + sum(lane.height for lane in self.lanes.values())

    def tracks_view_height(self) -> int:
        """The height of the tracks area on screen (below the lanes)."""
        return max(0, self.height() - self._tracks_top())

    def tracks_content_height(self) -> int:
        """The height every tier's track needs, sub-rows included."""
        return self._content_height + 4

    def scroll_tracks_to(self, y: float) -> None:
        """Scroll the tracks area (ruler, thumbnails and lanes stay put)."""
        self.v_scroll = y
        self._clamp_v()
        self._changed()

    def _clamp_v(self) -> None:
        top = max(0, self.tracks_content_height() - self.tracks_view_height())
        self.v_scroll = max(0.0, min(self.v_scroll, float(top)))

    def bar_rect(self, annotation_id: int) -> QRectF | None:
        """Where an annotation's bar is drawn on the widget (None: not on this film's tracks)."""
        band = self._band(annotation_id)
        bar = self._bar_of.get(annotation_id)
        if band is None or bar is None:
            return None
        x0, x1 = self.x_of(bar.start), self.x_of(bar.end + 1)
        y = self._tracks_top() - self.v_scroll + band[0]
        return QRectF(x0, y, max(2.0, x1 - x0), band[1])

    def _band(self, annotation_id: int) -> tuple[float, float] | None:
        """The top and height of an annotation's bar in the tracks area (None: no bar, or its
        tier not shown)."""
        bar = self._bar_of.get(annotation_id)
        track = self._track_of.get(bar.tier_id) if bar is not None else None
        if bar is None or track is None:
            return None
        return sub_row_band(track[0], track[1], bar.row)

    def x_of(self, frame: float) -> float:
        return HEADER + (frame - self.offset) / self.fpp

    def frame_at(self, x: float) -> int:
        frame = int(self.offset + (x - HEADER) * self.fpp)
        return max(0, min(frame, self.frame_count - 1))

    def zoom_fit(self) -> None:
        self.fpp = (
            max(1.0 / MAX_PX_PER_FRAME, self.frame_count / self.track_width)
            if self.frame_count
            else 1.0
        )
        self.offset = 0.0
        self._fit = True
        self._changed()

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """factor > 1 zooms in; the frame under `anchor_x` (default: the playhead) stays put."""
        if not self.frame_count:
            return
        anchor = self.x_of(self.current) if anchor_x is None else anchor_x
        anchor_frame = self.offset + (anchor - HEADER) * self.fpp
        fit = max(1.0 / MAX_PX_PER_FRAME, self.frame_count / self.track_width)
        self.fpp = min(fit, max(1.0 / MAX_PX_PER_FRAME, self.fpp / factor))
        self._fit = self.fpp >= fit
        self.offset = anchor_frame - (anchor - HEADER) * self.fpp
        self._clamp()
        self._changed()

    def scroll_to(self, offset: float) -> None:
        self.offset = offset
        self._clamp()
        self._changed()

    def visible_frames(self) -> float:
        return self.track_width * self.fpp

    def _clamp(self) -> None:
        self.offset = max(0.0, min(self.offset, self.frame_count - self.visible_frames()))

    def _follow_playhead(self) -> None:
        # page along like an NLE when the playhead leaves the view
        if self.frame_count and not (
            self.offset <= self.current < self.offset + self.visible_frames()
        ):
            self.offset = self.current - self.visible_frames() * 0.1
            self._clamp()
            self._changed()

    def _changed(self) -> None:
        self.view_changed.emit()
        self.update()

    def _update_columns(self, *frames: int) -> None:
        for f in frames:  # repaint only the playhead's old and new column
            x = int(self.x_of(f))
            self.update(x - 8, 0, 16 + int(1 / self.fpp) + 1, self.height())

    def resizeEvent(self, event: QResizeEvent | None) -> None:  # noqa: N802
        self._clamp_v()
        if self._fit:
            self.zoom_fit()
        else:
            self._clamp()
            self.view_changed.emit()

    # -- painting ---------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), BG)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        p.setFont(font)
        if self.frame_count:
            self._paint_in_out(p)
            self._paint_ruler(p)
            self._paint_thumbs(p)
            self._paint_lanes(p)
            self._paint_tracks(p)
            self._paint_waiting(p)
            self._paint_playhead(p)
        self._paint_headers(p)
        p.end()

    def _paint_in_out(self, p: QPainter) -> None:
        if self.in_mark is None and self.out_mark is None:
            return
        start = self.in_mark if self.in_mark is not None else 0
        end = self.out_mark if self.out_mark is not None else self.frame_count - 1
        x0, x1 = self.x_of(start), self.x_of(end + 1)
        p.fillRect(QRectF(x0, 0, x1 - x0, self.height()), IN_OUT)
        p.setPen(QPen(IN_OUT_EDGE, 1))
        for mark, x in ((self.in_mark, x0), (self.out_mark, x1)):
            if mark is not None:
                p.drawLine(QPointF(x, 0), QPointF(x, self.height()))

    def _tick_step(self) -> int:
        fps = nominal_fps(self.rate)
        for step in (
            1,
            2,
            5,
            10,
            fps,
            2 * fps,
            5 * fps,
            10 * fps,
            30 * fps,
            60 * fps,
            120 * fps,
            300 * fps,
            600 * fps,
            1800 * fps,
            3600 * fps,
        ):
            if step / self.fpp >= 90:
                return max(1, step)
        return 3600 * fps

    def _paint_ruler(self, p: QPainter) -> None:
        p.fillRect(QRectF(HEADER, 0, self.track_width, RULER), QColor(colours.TIMELINE_RULER))
        step = self._tick_step()
        first = int(self.offset // step) * step
        p.setPen(DIM)
        f = first
        right = self.offset + self.visible_frames()
        minor = max(1, step // 5)
        while f <= right + step:
            x = self.x_of(f)
            if x >= HEADER:
                p.drawLine(QPointF(x, RULER - 9), QPointF(x, RULER))
                label = frame_to_smpte(
                    f, self.rate, drop_frame=self.drop_frame, start=self.start_frame
                )
                if step < nominal_fps(self.rate):
                    label = f"{label}  ({f})"
                p.setPen(TEXT)
                p.drawText(QPointF(x + 3, RULER - 11), label)
                p.setPen(DIM)
            for m in range(1, 5):
                xm = self.x_of(f + m * minor)
                if minor * m < step and xm >= HEADER:
                    p.drawLine(QPointF(xm, RULER - 4), QPointF(xm, RULER))
            f += step
        p.setPen(LINE)
        p.drawLine(HEADER, RULER, self.width(), RULER)

    def _paint_thumbs(self, p: QPainter) -> None:
        top = RULER + 1
        if not self._thumb_frames:
            p.setPen(DIM)
            msg = (
                _("thumbnails: generating…")
                if self.thumb_progress is not None
                else _("no thumbnails yet")
            )
            p.drawText(QRectF(HEADER + 8, top, 300, THUMBS), Qt.AlignmentFlag.AlignVCenter, msg)
        else:
            sample = self.thumbs[self._thumb_frames[0]]
            tw = max(8, int(sample.width() * (THUMBS - 2) / max(1, sample.height())))
            x = HEADER - (self.x_of(0) - HEADER) % tw if self.offset > 0 else HEADER
            while x < self.width():
                frame = self.frame_at(x + tw / 2)
                i = bisect.bisect_right(self._thumb_frames, frame) - 1
                key = self._thumb_frames[max(0, i)]
                p.drawImage(QRectF(x, top, tw - 1, THUMBS - 2), self.thumbs[key])
                x += tw
        if self.thumb_progress is not None:
            p.fillRect(
                QRectF(HEADER, top + THUMBS - 4, self.track_width * self.thumb_progress, 3),
                QColor("#4f8cc9"),
            )
        p.setPen(LINE)
        p.drawLine(HEADER, RULER + THUMBS, self.width(), RULER + THUMBS)

    def _paint_lanes(self, p: QPainter) -> None:
        top = RULER + THUMBS
        right = self.offset + self.visible_frames()
        for lane in self.lanes.values():
            for n, (start, end, colour, _label) in enumerate(lane.spans):
                if end < self.offset or start > right:
                    continue
                x0, x1 = self.x_of(start), self.x_of(end + 1)
                if lane.levels:  # standing on the lane's floor, a pixel apart from the next
                    tall = max(2.0, (lane.height - 6) * lane.levels[n])
                    bottom = top + lane.height - 3
                    p.fillRect(
                        QRectF(x0, bottom - tall, max(1.0, x1 - x0 - 1), tall), QColor(colour)
                    )
                elif start == end or x1 - x0 < 2:
                    p.fillRect(QRectF(x0 - 1, top + 2, 2, LANE - 4), QColor(colour))
                else:
                    p.fillRect(QRectF(x0, top + 3, x1 - x0, LANE - 6), QColor(colour))
            top += lane.height
            p.setPen(LINE)
            p.drawLine(HEADER, top, self.width(), top)

    def _paint_waiting(self, p: QPainter) -> None:
        if self.waiting is None:
            return
        area = QRectF(HEADER + 8, self._tracks_top(), self.track_width - 16, TRACK)
        p.setPen(DIM)
        p.drawText(
            area, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), self.waiting
        )

    def _paint_tracks(self, p: QPainter) -> None:
        area = self._tracks_top()
        top = area - self.v_scroll  # where the first track would start, scrolled
        p.save()
        p.setClipRect(QRectF(HEADER, area, self.track_width, self.tracks_view_height()))
        if self._dense is None:
            lines = [(y, h, bars) for _t, y, h, bars in self._lines]
            self._dense, self._dense_before = DenseTracks(lines, self._dense_before), None
        # Slivers of crowded tracks go in one NumPy-drawn image (100,000 annotations: repaint
        # <= 30 ms); only bars wide enough for an outline or a label are painted one by one.
        wide = self._dense.paint(
            p,
            left=HEADER,
            top=top,
            width=self.track_width,
            offset=self.offset,
            fpp=self.fpp,
            selected=self.selected,
            shown=(self.v_scroll, self.v_scroll + self.tracks_view_height()),
        )
        # The bars drawn one by one and the tiers' lines, as one picture kept while the view
        # and the data stay (the data's change makes a new `_dense`): a repaint for the
        # playhead alone (playback) draws it again, where it drew ~900 bars with their labels
        # at a minute's zoom, 2.6x the widget without bars.
        width, height = self.track_width, self.tracks_view_height()
        key: tuple[Any, ...] = (self.offset, self.fpp, self.v_scroll, width, height)
        key += (self.selected, self.devicePixelRatioF(), p.font().key())
        if self._wide is None or self._wide[0] is not self._dense or self._wide[1] != key:
            self._wide = (self._dense, key, self._wide_picture(p, wide, area, top, key))
        p.drawImage(QPointF(HEADER, area), self._wide[2])
        p.restore()

    def _wide_picture(
        self, p: QPainter, wide: list[Any], area: int, top: float, key: tuple[Any, ...]
    ) -> QImage:
        """The bars wide enough for an outline or a label, and the tiers' lines, on a
        transparent picture of the tracks area (drawn over the slivers' images)."""
        ratio = self.devicePixelRatioF()
        width, height = key[3], key[4]
        image = QImage(
            max(1, round(width * ratio)),
            max(1, round(height * ratio)),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        q = QPainter(image)
        q.setRenderHints(p.renderHints())
        q.setFont(p.font())
        q.translate(-HEADER, -area)
        for (_tier, y, h, bars), indices in zip(self._lines, wide, strict=True):
            for i in indices:
                bar = bars[i]
                x0, x1 = self.x_of(bar.start), self.x_of(bar.end + 1)
                colour = QColor(bar.color)
                if bar.start == bar.end and x1 - x0 < 6:  # a single-frame annotation: a tick
                    tick = QColor("#ffffff") if bar.id == self.selected else colour
                    q.fillRect(QRectF(x0 - 1, top + y, 3, h), tick)
                    continue
                rect = QRectF(x0, top + y, max(2.0, x1 - x0), h)
                chosen = bar.id == self.selected
                q.setPen(QPen(QColor("#ffffff"), 2) if chosen else QPen(colour.lighter(140), 1))
                q.setBrush(colour.darker(115))
                q.drawRoundedRect(rect, 3, 3)
                if rect.width() > 30 and bar.label:
                    q.setPen(QColor(colours.label_on(colour.darker(115).name())))
                    q.drawText(rect.adjusted(5, 0, -3, 0), Qt.AlignmentFlag.AlignVCenter, bar.label)
        q.setPen(LINE)
        for _tier, track_top, rows, _first in self._tracks:
            y = top + track_top + track_height(rows)
            q.drawLine(QPointF(HEADER, y), QPointF(self.width(), y))
        q.end()
        return image

    def _paint_playhead(self, p: QPainter) -> None:
        x = self.x_of(self.current)
        width = max(1.0, 1 / self.fpp)
        if width > 3:  # zoomed to single frames: show the frame's whole extent
            p.fillRect(QRectF(x, RULER, width, self.height() - RULER), QColor(255, 90, 54, 50))
        p.setPen(QPen(PLAYHEAD, 1.5))
        p.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        p.setBrush(PLAYHEAD)
        p.drawPolygon(QPolygonF([QPointF(x - 6, 0), QPointF(x + 6, 0), QPointF(x, 9)]))

    def _paint_headers(self, p: QPainter) -> None:
        p.fillRect(QRectF(0, 0, HEADER, self.height()), HEADER_BG)
        p.setPen(DIM)
        p.drawText(
            QRectF(8, RULER + 1, HEADER - 10, THUMBS), Qt.AlignmentFlag.AlignVCenter, _("Picture")
        )
        top = RULER + THUMBS
        for lane in self.lanes.values():
            height = lane.height
            p.drawText(
                QRectF(8, top, HEADER - 10, height), Qt.AlignmentFlag.AlignVCenter, lane.title
            )
            top += height
        p.save()
        p.setClipRect(QRectF(0, top, HEADER, self.tracks_view_height()))
        names = {tid: (name, colour) for tid, name, colour in self.tiers}
        for tier_id, track_top, rows, _first in self._tracks:
            y = top - self.v_scroll + track_top
            name, colour = names[tier_id]
            p.fillRect(QRectF(0, y + 4, 4, track_height(rows) - 8), QColor(colour))
            p.setPen(TEXT)
            # a tall tier scrolled part way keeps its name in sight, as an NLE's track header
            # does (scrolled to a bar in its last sub-rows, the name was above the view)
            at = min(max(y, float(top)), y + track_height(rows) - TRACK)
            p.drawText(QRectF(10, at, HEADER - 12, TRACK), Qt.AlignmentFlag.AlignVCenter, name)
        p.restore()
        p.setPen(LINE)
        p.drawLine(HEADER, 0, HEADER, self.height())

    # -- mouse ------------------------------------------------------------------------------
    def bar_at(self, x: float, y: float) -> tuple[TimelineBar, str] | None:
        """The bar under the pointer and which part: 'start' edge, 'end' edge or 'body'.

        Only the sub-row under the pointer is searched: overlapping bars are stacked, so the
        one clicked is the one seen."""
        if y < self._tracks_top():
            return None
        inside = y - self._tracks_top() + self.v_scroll
        line = None
        for _tier, top, rows, first in self._tracks:
            if top <= inside < top + track_height(rows):
                row = 0 if rows == 1 else int((inside - top - 4) // SUB_ROW)
                line = first + max(0, min(row, rows - 1))
                break
        if line is None:
            return None
        for bar in self._lines[line][3]:
            x0, x1 = self.x_of(bar.start), self.x_of(bar.end + 1)
            if x0 - EDGE_GRAB <= x <= x1 + EDGE_GRAB:
                if abs(x - x0) <= EDGE_GRAB and x1 - x0 > 2 * EDGE_GRAB:
                    return bar, "start"
                if abs(x - x1) <= EDGE_GRAB:
                    return bar, "end"
                if x0 <= x <= x1:
                    return bar, "body"
        return None

    def tier_at(self, y: float) -> int | None:
        """The id of the tier whose track is at height `y` (None above or below the tracks)."""
        if y < self._tracks_top():
            return None
        inside = y - self._tracks_top() + self.v_scroll  # tracks grow with their sub-rows
        for tier_id, track_top, rows, _first in self._tracks:
            if track_top <= inside < track_top + track_height(rows):
                return tier_id
        return None

    def span_at(self, x: float, y: float) -> tuple[str, int, int] | None:
        """The lane span (a match, a marker, a cut) under the pointer: key, start, end."""
        top = RULER + THUMBS
        if not top <= y < self._tracks_top():
            return None
        lane = self.lane_at(y)
        span = lane.span_at(self.x_of, x) if lane is not None else None
        return (lane.key, span[0], span[1]) if lane is not None and span is not None else None

    def lane_at(self, y: float) -> Lane | None:
        top = RULER + THUMBS
        for lane in self.lanes.values():
            if top <= y < top + lane.height:
                return lane
            top += lane.height
        return None

    def _tip_at(self, x: float, y: float) -> str:
        """What a lane mark is, in words (a red bar alone says nothing)."""
        span = self.span_at(x, y) if x >= HEADER else None
        if span is None:
            return ""
        key, start, end = span
        label = next((lbl for s, e, _c, lbl in self.lanes[key].spans if (s, e) == (start, end)), "")
        if self.lanes[key].levels:  # a bar lane's labels are whole sentences
            return label
        if key == "matches":
            return _(
                "Frames {start}–{end} look like library item “{label}” (click: go there)"
            ).format(start=start, end=end, label=label)
        if key == "shots":
            return _("Cut: a new shot starts at frame {frame}").format(frame=start)
        if start == end:
            return _("{label} — frame {frame}").format(label=label, frame=start)
        return _("{label} — frames {start}–{end}").format(label=label, start=start, end=end)

    def mousePressEvent(self, event: QMouseEvent | None) -> None:  # noqa: N802
        if event is None or event.button() != Qt.MouseButton.LeftButton or not self.frame_count:
            return
        pos = event.position()
        if pos.x() < HEADER:
            return
        hit = self.bar_at(pos.x(), pos.y())
        if hit is not None and hit[1] in ("start", "end"):
            bar, edge = hit
            self._drag = ("edge", [bar, edge, bar.start, bar.end])
            return
        if hit is not None:
            self.bar_clicked.emit(hit[0].id)
            self.seek.emit(hit[0].start)
            return
        span = self.span_at(pos.x(), pos.y())
        if span is not None and span[0] != "shots":  # a cut is a place to scrub from, not a span
            self.seek.emit(span[1])
            self.lane_clicked.emit(*span)
            return
        frame = self.frame_at(pos.x())
        self._drag = ("playhead", frame)
        self.current = frame
        self.update()
        self.scrub.emit(frame)

    def mouseMoveEvent(self, event: QMouseEvent | None) -> None:  # noqa: N802
        if event is None:
            return
        pos = event.position()
        if self._drag is None:
            hit = self.bar_at(pos.x(), pos.y()) if pos.x() >= HEADER else None
            edge = hit is not None and hit[1] != "body"
            self.setCursor(Qt.CursorShape.SizeHorCursor if edge else Qt.CursorShape.ArrowCursor)
            self.setToolTip(self._tip_at(pos.x(), pos.y()) if hit is None else "")
            return
        kind, data = self._drag
        frame = self.frame_at(pos.x())
        if kind == "playhead":
            if frame != data:
                self._drag = ("playhead", frame)
                self.current = frame
                self.update()
                self.scrub.emit(frame)
        else:
            bar, edge, _s, _e = data
            snapped = int(round(self.offset + (pos.x() - HEADER) * self.fpp))  # nearest frame line
            self._dense = self._dense_before = None  # the dragged bar moved
            if edge == "start":
                bar.start = max(0, min(snapped, bar.end))
            else:
                bar.end = max(bar.start, min(snapped - 1, self.frame_count - 1))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent | None) -> None:  # noqa: N802
        if self._drag is None:
            return
        kind, data = self._drag
        self._drag = None
        if kind == "playhead":
            self.scrub_released.emit(data)
        else:
            bar, _edge, old_start, old_end = data
            if (bar.start, bar.end) != (old_start, old_end):
                self.range_edited.emit(bar.id, bar.start, bar.end)

    def wheelEvent(self, event: QWheelEvent | None) -> None:  # noqa: N802
        if event is None:
            return
        delta = event.angleDelta()
        pos = event.position()
        if pos.x() < HEADER and pos.y() >= self._tracks_top() and delta.y() and not delta.x():
            self.scroll_tracks_to(self.v_scroll - delta.y() / 120 * TRACK)  # over the tier names
        elif delta.x() or event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            amount = delta.x() or delta.y()
            self.scroll_to(self.offset - amount / 120 * self.visible_frames() * 0.1)
        elif delta.y():
            self.zoom(1.25 if delta.y() > 0 else 0.8, event.position().x())
        event.accept()

    def event(self, event: QEvent | None) -> bool:
        # a trackpad pinch (macOS, Wayland, X11 with libinput) zooms around the fingers
        if (
            isinstance(event, QNativeGestureEvent)
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):
            self.zoom(1.0 + event.value(), event.position().x())
            event.accept()
            return True
        return super().event(event)


class Timeline(QWidget):
    """The canvas with its horizontal scroll bar, and a vertical one for the tracks when
    the tiers and their sub-rows need more height than the window gives them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = TimelineCanvas(self)
        take_single_keys(self)
        self.scrollbar = QScrollBar(Qt.Orientation.Horizontal, self)
        self.tracks_scrollbar = QScrollBar(Qt.Orientation.Vertical, self)
        self.tracks_scrollbar.hide()
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.canvas, 0, 0)
        layout.addWidget(self.tracks_scrollbar, 0, 1)
        layout.addWidget(self.scrollbar, 1, 0)
        self.canvas.view_changed.connect(self._sync_scrollbar)
        self.scrollbar.valueChanged.connect(lambda v: self.canvas.scroll_to(float(v)))
        self.tracks_scrollbar.valueChanged.connect(lambda v: self.canvas.scroll_tracks_to(float(v)))

    def _sync_scrollbar(self) -> None:
        c = self.canvas
        visible = int(c.visible_frames())
        self.scrollbar.blockSignals(True)
        self.scrollbar.setRange(0, max(0, c.frame_count - visible))
        self.scrollbar.setPageStep(max(1, visible))
        self.scrollbar.setSingleStep(max(1, visible // 10))
        self.scrollbar.setValue(int(c.offset))
        self.scrollbar.blockSignals(False)
        view, hidden = c.tracks_view_height(), c.tracks_content_height() - c.tracks_view_height()
        bar = self.tracks_scrollbar
        bar.blockSignals(True)
        bar.setRange(0, max(0, hidden))
        bar.setPageStep(max(1, view))
        bar.setSingleStep(TRACK)
        bar.setValue(int(c.v_scroll))
        bar.blockSignals(False)
        bar.setVisible(hidden > 0)
