"""Write the README's table of formats from the format registry (exporters/formats.py),
between its two markers; `--check` only says whether the README is up to date.

Run: .venv/bin/python scripts/format_table.py   (tests/formats/test_readme_table.py fails while
the README's table differs from the registry)
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

BEGIN = "<!-- format table: made by scripts/format_table.py from exporters/formats.py -->"
END = "<!-- end of the format table -->"


def _cell(sentences: tuple[str, ...] | None) -> str:
    if not sentences:
        return "—"
    # a `|` inside a cell would end it, even in code
    return " ".join(sentences).replace("|", "\\|")


def markdown() -> str:
    from exporters.registry import all_formats

    lines = [
        "| Format | Files | Import keeps | Import leaves out (and says so) | Export writes "
        "| Export leaves out |",
        "|---|---|---|---|---|---|",
    ]
    for fmt in all_formats():
        files = " ".join(f"`{ext}`" for ext in fmt.extensions) or "a folder"
        if fmt.mime_types:
            files += " (" + ", ".join(f"`{mime}`" for mime in fmt.mime_types) + ")"
        name = f"{fmt.title}" + (f" (`--format {fmt.name}`)" if fmt.writes else "")
        read, written = fmt.on_import, fmt.on_export
        lines.append(
            "| "
            + " | ".join(
                [
                    name,
                    files.replace("|", "\\|"),
                    _cell(read.keeps if read else None),
                    _cell(read.leaves_out if read else None),
                    _cell(written.keeps if written else None),
                    _cell(written.leaves_out if written else None),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def readme_with_table(readme: str) -> str:
    """The README with the registry's table between the markers (which must be there)."""
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:start] + "\n" + markdown() + "\n" + readme[end:]


def main(argv: list[str]) -> int:
    path = REPO / "README.md"
    readme = path.read_text(encoding="utf-8")
    made = readme_with_table(readme)
    if "--check" in argv:
        if made != readme:
            print("README.md's format table differs from the registry: run scripts/format_table.py")
            return 1
        return 0
    if made != readme:
        path.write_text(made, encoding="utf-8")
        print("README.md: format table rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
