"""The jury's report of a screening: an HTML table, with CSV and JSON of the same rows beside it.

Every string is escaped (Jinja2 autoescape): file names and manifest fields come from
submitters and may hold markup.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from critique_app import __version__
from critique_app.errors import UserError
from critique_app.paths import resource
from critique_app.services.screening_table import ScreeningRow, csv_rows


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    csv: Path
    json: Path


def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(resource("templates"))),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def write_report(rows: list[ScreeningRow], out: str | Path, title: str = "") -> ReportFiles:
    """OUT.html, plus OUT.csv and OUT.json beside it, rows in the order given (ranked)."""
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm"):
        out = out.with_suffix(out.suffix + ".html") if out.suffix else out.with_suffix(".html")
    if not out.parent.is_dir():
        raise UserError(f"Cannot write the report: the folder {out.parent} does not exist.")
    files = ReportFiles(out, out.with_suffix(".csv"), out.with_suffix(".json"))
    html = (
        _env()
        .get_template("screening.html.j2")
        .render(
            rows=rows,
            title=title or out.stem,
            needs_eye=sum(r.needs_eye for r in rows),
            written=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            version=__version__,
        )
    )
    try:
        files.html.write_text(html, "utf-8")
        flat = csv_rows(rows)
        with files.csv.open("w", newline="", encoding="utf-8") as fh:
            fields = list(flat[0]) if flat else [f for f in ScreeningRow.__dataclass_fields__]
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(flat)
        files.json.write_text(
            json.dumps([r.to_json() for r in rows], indent=2, ensure_ascii=False), "utf-8"
        )
    except OSError as err:
        raise UserError(f"Cannot write the report {out}: {err.strerror}.") from None
    return files
