"""The README's table of keys is the window's: every shortcut a user can press is documented."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_readme_lists_every_shortcut() -> None:
    spec = importlib.util.spec_from_file_location("keys_table", REPO / "scripts" / "keys_table.py")
    assert spec is not None and spec.loader is not None
    keys_table = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(keys_table)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [row for row in keys_table.markdown().splitlines()[2:] if row not in readme]
    assert not missing, "README lacks (run scripts/keys_table.py):\n" + "\n".join(missing)
