"""Whether this machine has somewhere to send sound, and keeping alsa-lib's own complaints off
the terminal: without a sound card it printed 24,176 lines at the first film.

No libvlc here: the VLC engine asks before it makes its instance, and plays without sound
(libvlc's dummy output) when nothing can play it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from pathlib import Path
from typing import Any

from critique_app.i18n import N_

NO_SOUND = N_("No sound device was found: films play without sound.")  # shown through _()


def sound_output_found() -> bool:
    """A sound server or a playback device is there (always true off Linux, where the
    system's default output exists or libvlc says so itself)."""
    if not sys.platform.startswith("linux"):
        return True
    if os.environ.get("PULSE_SERVER"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and any(Path(runtime, name).exists() for name in ("pulse/native", "pipewire-0")):
        return True
    snd = Path("/dev/snd")
    return snd.is_dir() and any(snd.glob("pcmC*D*p"))  # an ALSA playback device


# alsa-lib's error handler: file, line, function, error, format (then printf arguments,
# which a handler that prints nothing never reads)
_HANDLER = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
_kept: list[Any] = []  # the handler must outlive every call alsa-lib makes to it


def _say_nothing(_file: bytes, _line: int, _function: bytes, _err: int, _fmt: bytes) -> None:
    return None


def silence_alsa_lib() -> bool:
    """Route alsa-lib's own error lines nowhere (libvlc still reports a failed output in its
    log). Once per process; False when there is no alsa-lib to silence."""
    if _kept:
        return True
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("asound") or "libasound.so.2"
    try:
        alsa = ctypes.CDLL(name)
    except OSError:
        return False
    handler = _HANDLER(_say_nothing)
    alsa.snd_lib_error_set_handler(handler)
    _kept.append(handler)
    return True
