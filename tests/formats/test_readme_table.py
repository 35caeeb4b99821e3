"""The README's table of formats is the registry's: run scripts/format_table.py after changing
exporters/formats.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "format_table", REPO / "scripts" / "format_table.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_table_is_made_from_the_registry() -> None:
    script = _script()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert script.BEGIN in readme and script.END in readme
    assert script.readme_with_table(readme) == readme, (
        "README.md's format table is out of date: run scripts/format_table.py"
    )


def test_the_table_has_a_row_per_format() -> None:
    from exporters.registry import all_formats

    rows = _script().markdown().splitlines()[2:]
    assert len(rows) == len(all_formats())
    for fmt, row in zip(all_formats(), rows, strict=True):
        assert row.startswith(f"| {fmt.title}")
