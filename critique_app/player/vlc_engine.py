"""libvlc plays the film at speed, with sound, into a native window. The ONLY module importing vlc.

VLC is the projector, not the source of truth: its clock moves in ~250 ms steps and its seeks
land a few frames off, so positions it reports are approximate and the window replaces the
picture with the exact frame whenever playback stops. libvlc calls our event handlers on its
own threads; they only forward plain numbers to the listener (never call libvlc back).
"""

from __future__ import annotations

import collections
import os
import sys
import threading
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from critique_app.i18n import _
from critique_app.player.engine import EngineListener, EngineState, EngineUnavailable
from critique_app.player.sound_devices import NO_SOUND, silence_alsa_lib, sound_output_found

if TYPE_CHECKING:
    from critique_app.media.probe import MediaInfo

_ARGS = [
    "--no-osd",
    "--no-snapshot-preview",
    "--quiet",
    "--verbose=-1",
    "--no-video-title-show",
    "--no-stats",
]
# Per film: no hardware decoding. libvlc probes VA-API and VDPAU drivers at every film (and
# libvdpau prints "Failed to open VDPAU backend" itself where there is none); VLC here only
# projects (exact frames are decoded by FFmpeg), and software decoding plays HD at speed.
# As an instance option libvlc 3.0 ignores it: only the media option is heard.
MEDIA_OPTIONS = (":avcodec-hw=none",)
LIBVLC_ERROR = 4  # libvlc's log levels: debug 0, notice 2, warning 3, error 4


def _silent_audio() -> bool:
    """Play without sound: asked for (tests), or nothing here can play it."""
    return os.environ.get("CRITIQUE_VLC_AOUT") == "dummy" or not sound_output_found()


def _make_instance(silent_audio: bool | None = None) -> Any:
    """A libvlc instance, or EngineUnavailable with a sentence saying what to install."""
    if os.environ.get("CRITIQUE_NO_VLC") == "1":
        raise EngineUnavailable(_("VLC playback is turned off (CRITIQUE_NO_VLC=1)."))
    try:
        import vlc
    except Exception as err:  # python-vlc itself missing
        raise EngineUnavailable(
            _("python-vlc is not installed ({reason}).").format(reason=err)
        ) from err
    args = list(_ARGS)
    silence_alsa_lib()  # its lines go to the terminal whatever libvlc's verbosity
    if _silent_audio() if silent_audio is None else silent_audio:
        args.append("--aout=dummy")
    try:
        # `import vlc` succeeds without libvlc; the failure shows only here (NameError or None)
        instance = vlc.Instance(args)
    except Exception as err:
        instance = None
        reason = str(err)
    else:
        reason = _("libvlc returned no instance (VLC plugins missing?)")
    if instance is None:
        raise EngineUnavailable(
            _(
                "libvlc is not available ({reason}); install VLC (Debian: libvlc5 vlc-plugin-base "
                "vlc-plugin-video-output) for playback with sound."
            ).format(reason=reason)
        )
    return instance


class VlcLog:
    """libvlc's messages, kept instead of printed: the last errors (their message templates,
    enough for a bug report), never the terminal. Called on libvlc's threads: it only
    appends to a bounded deque."""

    def __init__(self, vlc: Any) -> None:
        self.errors: collections.deque[str] = collections.deque(maxlen=50)
        decorate: Callable[[Any], Any] = vlc.CallbackDecorators.LogCb
        self.callback = decorate(self._log)  # kept alive as long as libvlc may call it

    def _log(self, _data: Any, level: int, _ctx: Any, fmt: bytes | None, _args: Any) -> None:
        if level >= LIBVLC_ERROR and fmt:
            self.errors.append(fmt.decode("utf-8", "replace"))


def vlc_available() -> tuple[bool, str]:
    """Whether libvlc can play here, and if not, the sentence to show in the status bar."""
    try:
        instance = _make_instance(silent_audio=True)
    except EngineUnavailable as err:
        return False, str(err)
    instance.release()
    return True, ""


class VlcEngine:
    name = "vlc"
    plays_audio = True
    draws_itself = True

    def __init__(self) -> None:
        import vlc

        self._vlc = vlc
        silent = _silent_audio()
        self._instance = _make_instance(silent)
        self.log = VlcLog(vlc)
        self._instance.log_set(self.log.callback, None)
        self.plays_audio = not silent
        # said once, in the window's status bar (not at every film); empty when asked for
        self.audio_note = _(NO_SOUND) if silent and not os.environ.get("CRITIQUE_VLC_AOUT") else ""
        self._player = self._instance.media_player_new()
        self._player.video_set_mouse_input(False)
        self._player.video_set_key_input(False)
        self._listener = EngineListener()
        self._path: Path | None = None
        self._rate_fps = Fraction(24)
        self._frame_count = 0
        self._rate = 1.0
        self._state = EngineState.STOPPED
        self._started = False  # VLC has a decoded stream (seek/set_pause work)
        self._want_frame = 0
        # last time VLC reported, and when: positions in between are interpolated
        self._lock = threading.Lock()
        self._last_ms = 0
        self._last_clock = time.monotonic()
        events = self._player.event_manager()
        et = vlc.EventType
        events.event_attach(et.MediaPlayerTimeChanged, self._on_time)
        events.event_attach(et.MediaPlayerEndReached, self._on_end)
        events.event_attach(et.MediaPlayerEncounteredError, self._on_error)
        self._events = events

    # -- libvlc callbacks (libvlc's threads): plain data out, no libvlc calls ----------------
    def _on_time(self, event: Any) -> None:
        ms = int(event.u.new_time)
        with self._lock:
            self._last_ms = ms
            self._last_clock = time.monotonic()
        if self._state is EngineState.PLAYING:
            self._listener.on_position(self.position_frame)

    def _on_end(self, event: Any) -> None:
        self._state = EngineState.ENDED
        self._started = False
        with self._lock:
            self._last_ms = int(1000 * self._frame_count / self._rate_fps)
        self._listener.on_state(EngineState.ENDED)
        self._listener.on_end()

    def _on_error(self, event: Any) -> None:
        self._state = EngineState.PAUSED
        self._listener.on_error(_("VLC could not play {path}.").format(path=self._path))
        self._listener.on_state(EngineState.PAUSED)

    # -- protocol ---------------------------------------------------------------------
    def set_listener(self, listener: EngineListener) -> None:
        self._listener = listener

    def load(self, path: str | Path, info: MediaInfo | None = None) -> None:
        if info is None:
            from critique_app.media.probe import probe

            info = probe(path)
        self._path = Path(path)
        self._rate_fps = Fraction(info.rate)
        self._frame_count = info.frame_count
        self._player.stop()
        self._player.set_media(self._media())
        self._started = False
        self._want_frame = 0
        self._state = EngineState.PAUSED

    def _media(self) -> Any:
        media = self._instance.media_new(str(self._path))
        for option in MEDIA_OPTIONS:
            media.add_option(option)
        return media

    def attach(self, window_id: int) -> None:
        if sys.platform.startswith("linux"):
            self._player.set_xwindow(int(window_id))
        elif sys.platform == "win32":
            self._player.set_hwnd(int(window_id))
        elif sys.platform == "darwin":
            self._player.set_nsobject(int(window_id))

    def _ms_of(self, index: int) -> int:
        # the middle of the frame's display interval, so rounding cannot land on the one before
        return int((Fraction(index) + Fraction(1, 2)) * 1000 / self._rate_fps)

    def play(self) -> None:
        ms = self._ms_of(self._want_frame)
        if self._started:
            self._player.set_time(ms)
            self._player.set_pause(0)
        else:
            media = self._media()
            media.add_option(f":start-time={ms / 1000:.3f}")
            self._player.set_media(media)
            self._player.play()
            self._player.set_rate(self._rate)
            self._started = True
        with self._lock:
            self._last_ms = ms
            self._last_clock = time.monotonic()
        self._state = EngineState.PLAYING
        self._listener.on_state(EngineState.PLAYING)

    def pause(self) -> None:
        if self._state is not EngineState.PLAYING:
            return
        self._want_frame = self.position_frame
        self._state = EngineState.PAUSED
        self._player.set_pause(1)
        self._listener.on_state(EngineState.PAUSED)

    @property
    def is_playing(self) -> bool:
        return self._state is EngineState.PLAYING

    def set_rate(self, rate: float) -> None:
        if rate <= 0:
            raise ValueError(_("VLC cannot play backwards; the exact-frame engine does that."))
        with self._lock:  # re-anchor the interpolation at the old rate before switching
            now = time.monotonic()
            self._last_ms += (
                int((now - self._last_clock) * 1000 * self._rate) if self.is_playing else 0
            )
            self._last_clock = now
        self._rate = float(rate)
        self._player.set_rate(self._rate)

    @property
    def rate(self) -> float:
        return self._rate

    def seek_frame(self, index: int) -> None:
        self._want_frame = max(0, min(int(index), self._frame_count - 1))
        with self._lock:
            self._last_ms = self._ms_of(self._want_frame)
            self._last_clock = time.monotonic()
        if self._state is EngineState.PLAYING:
            self._player.set_time(self._last_ms)

    @property
    def position_frame(self) -> int:
        if self._state is not EngineState.PLAYING:
            return self._want_frame
        with self._lock:
            ms = self._last_ms + (time.monotonic() - self._last_clock) * 1000 * self._rate
        index = int(Fraction(ms).limit_denominator(1000) * self._rate_fps / 1000)
        return max(0, min(index, self._frame_count - 1))

    def set_volume(self, volume: int) -> None:
        self._player.audio_set_volume(max(0, min(100, int(volume))))

    def set_mute(self, mute: bool) -> None:
        self._player.audio_set_mute(bool(mute))

    @property
    def released(self) -> bool:
        """close() has stopped and released the libvlc player."""
        return isinstance(self._player, _Released)

    def close(self) -> None:
        """Stop and release the player for good (a second call does nothing). In this order:
        no more callbacks into Python, playback stopped (libvlc joins its decoder and video
        threads), the native window detached (nothing draws into a window Qt may destroy
        next), then the player and the instance released."""
        player, self._player = self._player, _Released()
        if isinstance(player, _Released):
            return
        et = self._vlc.EventType
        for kind in (
            et.MediaPlayerTimeChanged,
            et.MediaPlayerEndReached,
            et.MediaPlayerEncounteredError,
        ):
            self._events.event_detach(kind)
        player.stop()
        if sys.platform.startswith("linux"):
            player.set_xwindow(0)
        elif sys.platform == "win32":
            player.set_hwnd(None)
        elif sys.platform == "darwin":
            player.set_nsobject(None)
        player.release()
        self._instance.log_unset()  # no more calls into Python once released
        self._instance.release()
        self._instance = _Released()
        self._state = EngineState.STOPPED


class _Released:
    """Stands in for a released libvlc object: a late call does nothing (calling the freed
    one would be a use-after-free in libvlc)."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None
