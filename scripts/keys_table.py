"""Print the window's keyboard shortcuts as a Markdown table, for the README.

Run: .venv/bin/python scripts/keys_table.py   (tests/gui/test_readme_keys.py keeps them in sync)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rows() -> list[tuple[str, str]]:
    from critique_app.gui import actions

    return actions.shortcut_table()


def markdown() -> str:
    lines = ["| Keys | What they do |", "|---|---|"]
    lines += [f"| {keys} | {text.replace('&', '')} |" for keys, text in rows()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
