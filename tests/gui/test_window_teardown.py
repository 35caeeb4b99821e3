"""A window's C++ side may be destroyed after Python's cyclic garbage collector has already
cleared the wrapper's attributes (a window caught in a reference cycle): sip then calls
__dtor__ on a wrapper with nothing left in it. Seen once in a full suite run under load, as
"AttributeError: 'MainWindow' object has no attribute 'is_shut_down'" in the Qt event loop."""

from __future__ import annotations

from typing import Any

from PyQt6 import sip

from critique_app.gui.main_window import MainWindow
from critique_app.gui.settings import Settings
from critique_app.player.fake_engine import FakeEngine


def test_a_window_whose_attributes_the_collector_cleared_is_destroyed_quietly(qtbot: Any) -> None:
    fake = FakeEngine()
    window = MainWindow(settings=Settings(), engines=(fake, None))
    window.shutdown()  # what closing it does: workers joined, libvlc released
    vars(window).clear()  # what the cyclic collector's tp_clear does before the C++ side goes
    sip.delete(window)  # sip calls __dtor__: it must find nothing to do, and say nothing
    assert sip.isdeleted(window)
