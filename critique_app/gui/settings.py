"""Every user preference of the window, typed, in one place (one QSettings file in the data folder).

No other module touches QSettings: they read and write these properties.
"""

from __future__ import annotations

from pathlib import Path

from PyQt6.QtCore import QByteArray, QSettings

from critique_app.media.frame_cache import MB, PLAYBACK_CACHE_BYTES
from critique_app.paths import user_data_dir

TIMECODE_MODES = ("smpte", "frames", "seconds")
RECENT_LIMIT = 10  # File ▸ Open Recent
LANGUAGES = ("system", "en", "fr")  # "system": the computer's language
THEMES = ("dark", "light", "system")  # "system": the computer's light or dark scheme
# Decoded pictures kept of the film on screen, in MB: below 32 a 1080p film keeps too few to
# step back without decoding again; above 8 GB is a typing slip, not a wish.
FRAME_CACHE_MB = (32, 8192)


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        file = path or user_data_dir() / "settings.ini"
        self._q = QSettings(str(file), QSettings.Format.IniFormat)

    def _get(self, key: str, default: object, kind: type) -> object:
        value = self._q.value(key, default)
        try:
            if kind is bool and isinstance(value, str):
                return value.lower() in ("1", "true", "yes")
            return kind(value)
        except (TypeError, ValueError):
            return default

    @property
    def timecode_mode(self) -> str:
        mode = str(self._get("player/timecode_mode", "smpte", str))
        return mode if mode in TIMECODE_MODES else "smpte"

    @timecode_mode.setter
    def timecode_mode(self, mode: str) -> None:
        self._q.setValue("player/timecode_mode", mode if mode in TIMECODE_MODES else "smpte")

    @property
    def volume(self) -> int:
        return max(0, min(100, int(self._get("player/volume", 80, int))))  # type: ignore[call-overload]

    @volume.setter
    def volume(self, value: int) -> None:
        self._q.setValue("player/volume", max(0, min(100, int(value))))

    @property
    def muted(self) -> bool:
        return bool(self._get("player/muted", False, bool))

    @muted.setter
    def muted(self, value: bool) -> None:
        self._q.setValue("player/muted", bool(value))

    @property
    def play_rate(self) -> float:
        rate = float(self._get("player/play_rate", 1.0, float))  # type: ignore[arg-type]
        return rate if 0.25 <= rate <= 4.0 else 1.0

    @play_rate.setter
    def play_rate(self, value: float) -> None:
        self._q.setValue("player/play_rate", float(value))

    @property
    def frame_cache_mb(self) -> int:
        """Memory for the decoded pictures of the film on screen (the frame cache), in MB."""
        low, high = FRAME_CACHE_MB
        size = int(self._get("player/frame_cache_mb", PLAYBACK_CACHE_BYTES // MB, int))  # type: ignore[call-overload]
        return max(low, min(high, size))

    @frame_cache_mb.setter
    def frame_cache_mb(self, size: int) -> None:
        low, high = FRAME_CACHE_MB
        self._q.setValue("player/frame_cache_mb", max(low, min(high, int(size))))

    @property
    def frame_cache_bytes(self) -> int:
        return self.frame_cache_mb * MB

    @property
    def last_project(self) -> Path | None:
        value = str(self._get("files/last_project", "", str))
        return Path(value) if value else None

    @last_project.setter
    def last_project(self, path: Path | None) -> None:
        self._q.setValue("files/last_project", str(path) if path else "")

    @property
    def recent_files(self) -> list[Path]:
        """Projects and films opened last, newest first (File ▸ Open Recent)."""
        value = self._q.value("files/recent", [])
        names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [Path(str(name)) for name in names if name][:RECENT_LIMIT]

    @recent_files.setter
    def recent_files(self, paths: list[Path]) -> None:
        self._q.setValue("files/recent", [str(p) for p in paths[:RECENT_LIMIT]])

    def add_recent(self, path: Path) -> None:
        """`path` first in Open Recent (once), the oldest falling off past the limit."""
        path = Path(path).resolve()
        self.recent_files = [path, *(p for p in self.recent_files if p != path)]

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self._q.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._q.setValue("window/geometry", value)

    @property
    def window_layout(self) -> QByteArray | None:
        """The docks as QMainWindow.saveState wrote them (with the layout's version inside)."""
        value = self._q.value("window/layout")
        return value if isinstance(value, QByteArray) else None

    @window_layout.setter
    def window_layout(self, value: QByteArray) -> None:
        self._q.setValue("window/layout", value)

    @property
    def window_splitter(self) -> QByteArray | None:
        """Picture above, timeline below: where the line between them was left."""
        value = self._q.value("window/splitter")
        return value if isinstance(value, QByteArray) else None

    @window_splitter.setter
    def window_splitter(self, value: QByteArray) -> None:
        self._q.setValue("window/splitter", value)

    @property
    def table_column_widths(self) -> dict[str, int]:
        """The annotation table's column widths by column title ("In:98;Category:130")."""
        widths: dict[str, int] = {}
        for pair in str(self._get("window/table_columns", "", str)).split(";"):
            name, _colon, width = pair.rpartition(":")
            if name and width.isdigit():
                widths[name] = int(width)
        return widths

    @table_column_widths.setter
    def table_column_widths(self, widths: dict[str, int]) -> None:
        text = ";".join(f"{name}:{int(width)}" for name, width in widths.items() if ";" not in name)
        self._q.setValue("window/table_columns", text)

    # -- the person at the keyboard, and how the window looks (Edit ▸ Preferences) ----------
    @property
    def user_name(self) -> str:
        """The name new annotations carry as their author ('' until the user gave one)."""
        return str(self._get("user/name", "", str)).strip()

    @user_name.setter
    def user_name(self, name: str) -> None:
        self._q.setValue("user/name", name.strip())

    @property
    def user_initials(self) -> str:
        return str(self._get("user/initials", "", str)).strip()

    @user_initials.setter
    def user_initials(self, initials: str) -> None:
        self._q.setValue("user/initials", initials.strip())

    @property
    def language(self) -> str:
        language = str(self._get("user/language", "system", str))
        return language if language in LANGUAGES else "system"

    @language.setter
    def language(self, language: str) -> None:
        self._q.setValue("user/language", language if language in LANGUAGES else "system")

    @property
    def theme(self) -> str:
        theme = str(self._get("view/theme", "dark", str))
        return theme if theme in THEMES else "dark"

    @theme.setter
    def theme(self, theme: str) -> None:
        self._q.setValue("view/theme", theme if theme in THEMES else "dark")

    @property
    def films_folder(self) -> Path | None:
        """Where file dialogs for films start when none was used yet."""
        value = str(self._get("folders/films", "", str))
        return Path(value) if value else None

    @films_folder.setter
    def films_folder(self, folder: Path | None) -> None:
        self._q.setValue("folders/films", str(folder) if folder else "")

    @property
    def exports_folder(self) -> Path | None:
        """Where file dialogs for exports start when none was used yet."""
        value = str(self._get("folders/exports", "", str))
        return Path(value) if value else None

    @exports_folder.setter
    def exports_folder(self, folder: Path | None) -> None:
        self._q.setValue("folders/exports", str(folder) if folder else "")

    def last_folder(self, purpose: str) -> Path | None:
        """The folder the file dialog for `purpose` ("open", "film", "export"...) was last in."""
        value = str(self._get(f"folders/last_{purpose}", "", str))
        return Path(value) if value else None

    def remember_folder(self, purpose: str, folder: Path) -> None:
        self._q.setValue(f"folders/last_{purpose}", str(folder))

    def sync(self) -> None:
        self._q.sync()
