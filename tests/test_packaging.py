"""The wheel carries everything the app reads at run time (not just the Python modules)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _source_tree(dest: Path) -> Path:
    """The files git would ship (tracked or new, not ignored): no caches, no build leftovers."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    for name in listed:
        source = REPO / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def test_wheel_ships_packages_and_resources(tmp_path: Path) -> None:
    tree = _source_tree(tmp_path / "src")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(tree), "--no-deps", "-q", "-w", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("critique_app-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in ("critique_app/cli/__init__.py", "db/project.py", "exporters/__init__.py"):
        assert package in names
    for pattern in (
        "resources/trust/C2PA-TRUST-LIST.",
        "resources/trust/cai-interim-anchors.",
        "resources/vocabularies/ai_visual_regimes.json",
        "db/migrations/0001_initial.sql",
        "resources/templates/",
        "resources/icons/",
    ):
        assert any(n.startswith(pattern) for n in names), f"{pattern} is missing from the wheel"
    assert not any("__pycache__" in n for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert (
        "critique-app = critique_app.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    )
