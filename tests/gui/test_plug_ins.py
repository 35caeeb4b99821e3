"""The window installs its panels from one list (gui/plug_ins.py), and keeps each one typed."""

from __future__ import annotations

from typing import Any

from critique_app.gui.main_window import MainWindow
from critique_app.gui.plug_ins import PLUG_INS


def test_every_plug_in_is_declared_on_the_window_with_the_type_its_installer_returns() -> None:
    """mypy checks `window.matches.load()` only through these declarations: a plug-in added to
    the list without one (or with another type) would be an untyped attribute."""
    declared = MainWindow.__annotations__
    for plug_in in PLUG_INS:
        assert declared.get(plug_in.attribute) == plug_in.install.__annotations__["return"]
    assert len({p.attribute for p in PLUG_INS}) == len(PLUG_INS)


def test_the_window_holds_what_each_installer_returned(open_window: Any) -> None:
    window = open_window(None).window
    for plug_in in PLUG_INS:
        installed = getattr(window, plug_in.attribute)
        assert type(installed).__name__ == plug_in.install.__annotations__["return"]
