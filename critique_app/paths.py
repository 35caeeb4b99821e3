"""Where Critique finds its own resources and keeps the user's data.

One helper so that the same code works from a source checkout, an installed
wheel and the PyInstaller bundle (where files live under `sys._MEIPASS`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

IS_FROZEN = bool(getattr(sys, "frozen", False))


def resources_dir() -> Path:
    """The `resources/` folder shipped with the app."""
    if IS_FROZEN:
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "resources"
    import resources  # the package next to critique_app, also in the wheel

    return Path(resources.__file__).resolve().parent


def resource(*parts: str) -> Path:
    """A file inside `resources/`, e.g. `resource("vocabularies", "ai_regimes.json")`."""
    return resources_dir().joinpath(*parts)


def user_data_dir() -> Path:
    """The user's data folder (XDG on Linux), overridable with CRITIQUE_DATA_DIR."""
    override = os.environ.get("CRITIQUE_DATA_DIR")
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "Critique"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "Critique"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "critique"
    base.mkdir(parents=True, exist_ok=True)
    return base


def demo_dir() -> Path:
    """Where `critique-app demo` builds the demo project once."""
    return user_data_dir() / "demo"


def log_file() -> Path:
    return user_data_dir() / "critique.log"
