"""The two pictures a handout can add, as `export --rhythm` and `export --heat` add them: each
film's rhythm plot, and each still beside the instability lens's heat of its passage.

Shown only while an html or pdf handout is chosen (no other format has a place for pictures),
in the seminar panel and in File ▸ Export annotations…, so the window offers what the command
line offers.
"""

from __future__ import annotations

from PyQt6.QtWidgets import QCheckBox, QSizePolicy, QVBoxLayout, QWidget

from critique_app.i18n import _

HANDOUT_FORMATS = ("html", "pdf")


class HandoutExtras(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HandoutExtras")
        self.rhythm = QCheckBox(_("Rhythm plot"))
        self.rhythm.setToolTip(
            _(
                "Each film's rhythm plot: its shot lengths over its time, as the Rhythm lane shows them "
                "(each film is decoded once)."
            )
        )
        self.heat = QCheckBox(_("Heat beside each still"))
        self.heat.setToolTip(
            _(
                "Each still beside the same frame under the instability lens's heat (where the picture changes without moving), measured over its passage."
            )
        )
        for box in (self.rhythm, self.heat):  # short labels; a dock never grows for them
            box.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.rhythm)
        column.addWidget(self.heat)

    def follow(self, fmt: str | None) -> None:
        """Offered for handouts only."""
        self.setVisible(fmt in HANDOUT_FORMATS)

    def chosen(self, fmt: str | None) -> dict[str, bool]:
        """What to add for `fmt`: nothing for a format without pictures."""
        handout = fmt in HANDOUT_FORMATS
        return {
            "rhythm": handout and self.rhythm.isChecked(),
            "heat": handout and self.heat.isChecked(),
        }
