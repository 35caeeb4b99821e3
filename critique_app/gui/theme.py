"""The window's look: the dark or the light stylesheet (resources/qss), or the computer's own
scheme, applied to the whole application at once (Edit ▸ Preferences changes it live)."""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QApplication

from critique_app.paths import resource

# When the computer does not say whether it is light or dark, the app keeps its NLE-like dark
# look: neutral greys let the picture's colours read true.
FALLBACK = "dark"


def resolved(app: QApplication, theme: str) -> str:
    """The theme to draw: the one chosen, or for "system" the computer's own scheme."""
    if theme in ("dark", "light"):
        return theme
    hints = app.styleHints()
    if hints is None:
        return FALLBACK
    if hasattr(hints, "unsetColorScheme"):  # Qt 6.8: forget an earlier override, ask the system
        hints.unsetColorScheme()
    scheme = hints.colorScheme()
    if scheme == Qt.ColorScheme.Light:
        return "light"
    if scheme == Qt.ColorScheme.Dark:
        return "dark"
    return FALLBACK


def apply_theme(app: QApplication, theme: str = "dark") -> str:
    """Style every widget (dialogs included) with the theme's stylesheet; the name applied."""
    name = resolved(app, theme)
    hints = app.styleHints()
    if hints is not None and hasattr(hints, "setColorScheme"):  # Qt 6.8: Fusion's palette too
        hints.setColorScheme(Qt.ColorScheme.Dark if name == "dark" else Qt.ColorScheme.Light)
    qss = resource("qss", f"{name}.qss")
    app.setStyleSheet(qss.read_text(encoding="utf-8") if qss.is_file() else "")
    app.setProperty("critique_theme", name)
    return name
