"""Who is annotating, at the right of the status bar: the initials, the name in a tooltip.

On a lab machine several students sit at one keyboard in a day; the badge shows whose name
the next annotation will carry before one is made, and a click opens Edit ▸ Preferences to
change it. The name comes from the annotation workbench's `annotator` (Preferences, else the
project's setting, else the login name): the badge never tells a story of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from PyQt6.QtWidgets import QStatusBar, QToolButton

from critique_app.gui.settings import Settings
from critique_app.gui.welcome import suggest_initials
from critique_app.i18n import _


def initials_of(name: str, settings: Settings) -> str:
    """The initials the user chose for their own name; for any other name, suggested ones."""
    if name and name == settings.user_name and settings.user_initials:
        return settings.user_initials
    return suggest_initials(name) or name[:2].upper() or "?"


class YouBadge(QToolButton):
    def __init__(
        self, annotator: Callable[[], str], settings: Settings, status_bar: QStatusBar
    ) -> None:
        super().__init__(status_bar)
        self.setObjectName("YouBadge")
        self.setAutoRaise(True)
        self._annotator, self._settings = annotator, settings
        status_bar.addPermanentWidget(self)
        self.refresh()

    def refresh(self) -> None:
        name = self._annotator()
        self.setText(initials_of(name, self._settings))
        if self._settings.user_name:
            tip = _("New annotations are by {name} (the name set in Edit ▸ Preferences).")
        else:
            tip = _("New annotations are by {name} (no name is set yet: click to give yours).")
        self.setToolTip(tip.format(name=name))
        self.setAccessibleName(_("Annotating as {name}").format(name=name))
