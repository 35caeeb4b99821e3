"""The strip under the picture: buttons, timecode, the exact/approximate badge, go-to, speed, sound."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from PyQt6.QtCore import QSize, Qt, pyqtSignal
from PyQt6.QtGui import QAction, QIcon
from PyQt6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSlider,
    QToolButton,
    QWidget,
)

from critique_app.domain.timecode import frame_to_seconds, frame_to_smpte, parse_position
from critique_app.gui.actions import ActionCollection
from critique_app.gui.fitting_label import FittingLabel, SteadyLabel
from critique_app.gui.player.player_controller import PLAY_RATES
from critique_app.i18n import N_, _, ngettext
from critique_app.paths import resource


def icon(name: str) -> QIcon:
    return QIcon(str(resource("icons", f"{name}.svg")))


# (badge, tooltip) by mode, translated when shown.
BADGES = {
    "exact": (
        N_("EXACT"),
        N_("Paused on the exact decoded frame: this is the frame an annotation stores."),
    ),
    "loading": ("…", N_("Decoding the exact frame")),
    "scrubbing": (
        N_("SCRUB"),
        N_("Scrubbing: the picture catches up; release for the exact frame"),
    ),
    # one short word (the tooltip says the rest): the badge's room is kept for its widest word
    "playing": (N_("PLAYING"), N_("Playing: the position is approximate until you pause")),
}


def format_position(index: int, info: Any, mode: str) -> str:
    """The frame as the user chose to read it: SMPTE (with source start), frames or seconds."""
    if info is None:
        return "--:--:--:--"
    rate = Fraction(info.rate)
    if mode == "frames":
        return f"{index}"
    if mode == "seconds":
        return f"{float(frame_to_seconds(index, rate)):.3f} s"
    return frame_to_smpte(index, rate, drop_frame=info.drop_frame, start=info.start_frame)


class TransportBar(QWidget):
    go_to = pyqtSignal(int)
    rate_chosen = pyqtSignal(float)
    volume_chosen = pyqtSignal(int)
    mode_cycled = pyqtSignal()
    message = pyqtSignal(str)

    def __init__(self, actions: ActionCollection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TransportBar")
        self.info: Any = None
        self.mode = "smpte"
        self.index = 0
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.setSpacing(4)
        for name, icon_name in (
            ("go_start", "go-start"),
            ("frame_back", "frame-back"),
            ("play_pause", "play"),
            ("frame_forward", "frame-forward"),
            ("go_end", "go-end"),
        ):
            button = self._button(actions[name], icon_name)
            row.addWidget(button)
            if name == "play_pause":
                self.play_button = button
        row.addSpacing(10)
        self.timecode = QLabel("--:--:--:--")
        self.timecode.setObjectName("Timecode")
        self.timecode.setToolTip(_("Click to switch SMPTE / frames / seconds (Ctrl+T)"))
        self.timecode.mousePressEvent = lambda _e: self.mode_cycled.emit()  # type: ignore[assignment,method-assign]
        row.addWidget(self.timecode)
        # "frame 12  /  47" gives way to "frame 12", then to the bare number (kept): on a
        # 1280-pixel laptop the transport bar beside the editor was wider than the screen.
        self.detail = FittingLabel(side=Qt.AlignmentFlag.AlignLeft)
        self.detail.setObjectName("TimecodeDetail")
        self.detail.setMinimumWidth(self.detail.fontMetrics().horizontalAdvance("0000000"))
        row.addWidget(self.detail)
        self.badge = SteadyLabel([_(text) for text, _tip in BADGES.values()])
        self.badge.setObjectName("Badge")
        row.addWidget(self.badge)
        row.addStretch(1)
        self.marks = FittingLabel()
        self.marks.setObjectName("Marks")
        # the in/out read-out gives way first when the window is narrow (frame number never)
        self.marks.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.marks.setMinimumWidth(64)  # room for the shortest wording, '192 f'
        row.addWidget(self.marks)
        self.goto = QLineEdit()
        self.goto.setObjectName("GoTo")
        # short enough to be read whole at its narrowest (1280 px, French); the tooltip says
        # what it takes
        self.goto.setPlaceholderText(_("Go to…"))
        self.goto.setToolTip(
            _("Go to a timecode (00:01:10:00), a frame number (1680) or seconds (83.5s): Ctrl+G")
        )
        self.goto.setClearButtonEnabled(True)
        # gives way down to a typed timecode's width, so that the editor column keeps its width
        # at 1280 px in French too (the window's minimum was 1284 px there with 120)
        self.goto.setMinimumWidth(self.goto.fontMetrics().horizontalAdvance("00:00:00:00") + 14)
        self.goto.setMaximumWidth(180)
        self.goto.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Ctrl+G or a click; never by default
        self.goto.returnPressed.connect(self._go)
        row.addWidget(self.goto)
        self.speed = QComboBox()
        self.speed.setObjectName("Speed")
        for rate in PLAY_RATES:
            self.speed.addItem(f"{rate:g}×", rate)
        self.speed.setCurrentIndex(PLAY_RATES.index(1.0))
        self.speed.setToolTip(_("Playback speed (Ctrl+, slower / Ctrl+. faster)"))
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.speed.activated.connect(lambda i: self.rate_chosen.emit(float(self.speed.itemData(i))))
        row.addWidget(self.speed)
        row.addWidget(self._button(actions["loop"], "loop"))
        self.mute_button = self._button(actions["mute"], "volume")
        row.addWidget(self.mute_button)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setObjectName("Volume")
        self.volume.setRange(0, 100)
        self.volume.setMinimumWidth(40)
        self.volume.setMaximumWidth(80)
        self.volume.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.volume.valueChanged.connect(self.volume_chosen)
        row.addWidget(self.volume)
        self.set_mode("loading")

    def _button(self, action: QAction, icon_name: str) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setIcon(icon(icon_name))
        button.setIconSize(QSize(18, 18))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the window's shortcuts
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        return button

    def _go(self) -> None:
        text = self.goto.text().strip()
        if not text or self.info is None:
            return
        try:
            index = parse_position(
                text,
                Fraction(self.info.rate),
                drop_frame=self.info.drop_frame,
                start=self.info.start_frame,
            )
        except ValueError as err:
            self.message.emit(str(err))
            return
        self.goto.clear()
        self.goto.clearFocus()
        self.go_to.emit(index)

    # -- updates from the controller --------------------------------------------------------
    def set_film(self, info: Any) -> None:
        self.info = info
        self.show_index(0)

    def show_index(self, index: int) -> None:
        self.index = index
        self.timecode.setText(format_position(index, self.info, self.mode))
        if self.info is None:
            self.detail.set_variants([])
            return
        smpte = format_position(index, self.info, "smpte")
        other = _("frame {index}").format(index=index) if self.mode != "frames" else smpte
        last = self.info.frame_count - 1
        short = str(index) if self.mode != "frames" else ""  # frames mode: the number is shown
        self.detail.set_variants([f"{other}  /  {last}", other, short])

    def set_timecode_mode(self, mode: str) -> None:
        self.mode = mode
        self.show_index(self.index)

    def set_mode(self, mode: str) -> None:
        text, tip = BADGES.get(mode, ("", ""))
        self.badge.setText(_(text) if text else "")
        self.badge.setToolTip(_(tip) if tip else "")
        self.badge.setProperty("mode", mode)
        style = self.badge.style()
        if style is not None:
            style.unpolish(self.badge)
            style.polish(self.badge)

    def set_playing(self, playing: bool) -> None:
        self.play_button.setIcon(icon("pause" if playing else "play"))

    def set_marks(self, in_mark: int | None, out_mark: int | None) -> None:
        parts = []
        for label, mark in ((_("IN"), in_mark), (_("OUT"), out_mark)):
            if mark is not None:
                parts.append(f"{label} {format_position(mark, self.info, self.mode)}")
        variants = ["   ".join(parts)]
        if in_mark is not None and out_mark is not None:  # narrow window: say how long instead
            frames = out_mark - in_mark + 1
            variants += [
                ngettext("IN→OUT {count} frame", "IN→OUT {count} frames", frames).format(
                    count=frames
                ),
                # Translators: "f" is the short for frames ("i" for images in French)
                _("IN→OUT {count} f").format(count=frames),
                _("{count} f").format(count=frames),
            ]
        elif parts:
            variants.append(_("IN") if in_mark is not None else _("OUT"))
        self.marks.set_variants(variants)

    def set_rate(self, rate: float) -> None:
        if rate in PLAY_RATES:
            self.speed.setCurrentIndex(PLAY_RATES.index(rate))

    def set_audio(self, volume: int, muted: bool) -> None:
        self.mute_button.setIcon(icon("mute" if muted else "volume"))
        self.volume.blockSignals(True)
        self.volume.setValue(volume)
        self.volume.blockSignals(False)
