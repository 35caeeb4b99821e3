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

from jinja2 import Environment

from critique_app import __version__, i18n
from critique_app.errors import UserError
from critique_app.i18n import _
from critique_app.services.screening_table import ScreeningRow, csv_rows


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    csv: Path
    json: Path


def _env() -> Environment:
    """The exports' templates (autoescape on, the catalogue's `_()`): the report is written
    in the language of the messages."""
    from exporters.views import templates

    return templates()


def write_report(
    rows: list[ScreeningRow], out: str | Path, title: str = "", notes: list[str] | None = None
) -> ReportFiles:
    """OUT.html, plus OUT.csv and OUT.json beside it, rows in the order given (ranked);
    `notes`: sentences on what the screening could not look for, under the title."""
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm"):
        out = out.with_suffix(out.suffix + ".html") if out.suffix else out.with_suffix(".html")
    if not out.parent.is_dir():
        raise UserError(
            _("Cannot write the report: the folder {parent} does not exist.").format(
                parent=out.parent
            )
        )
    files = ReportFiles(out, out.with_suffix(".csv"), out.with_suffix(".json"))
    html = (
        _env()
        .get_template("screening.html.j2")
        .render(
            rows=rows,
            notes=notes or [],
            title=title or out.stem,
            needs_eye=sum(r.needs_eye for r in rows),
            written=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            version=__version__,
            language=i18n.babel_locale(),
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
        raise UserError(
            _("Cannot write the report {path}: {reason}.").format(path=out, reason=err.strerror)
        ) from None
    return files
