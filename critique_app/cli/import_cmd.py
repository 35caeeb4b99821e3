"""`critique-app import P FILE`: annotations in any format the registry reads (exporters/formats.py)."""

from __future__ import annotations

import argparse
import sys
import textwrap

import exporters
from critique_app.i18n import _
from exporters import registry


def register(subparsers: argparse._SubParsersAction) -> None:
    # the formats come from the one registry the window's import dialog reads too
    readers = "\n".join(f"  {' '.join(f.extensions):<14} {_(f.title)}" for f in exporters.readers())
    parser = subparsers.add_parser(
        "import",
        help=_("import annotations ({formats})").format(formats=registry.reading_list()),
        description=textwrap.fill(
            _(
                "Import annotations into project P from FILE, in one of the formats below (a "
                "table may be Critique's own, or a spreadsheet with film, in, out, value or "
                "category, tier, author columns). Films are matched by content (SHA-256), then by "
                "name; annotations already in the project (same identifier) are skipped, so "
                "importing twice adds nothing. The whole file is added in one transaction, or "
                "nothing is."
            ),
            79,
        )
        + "\n\n"
        + _("formats:")
        + "\n"
        + readers,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("project", metavar="P", help=_("the project file (*.critique)"))
    parser.add_argument("file", metavar="FILE", help=_("the file to import"))
    parser.add_argument(
        "--film",
        metavar="F",
        help=_(
            "the film the annotations belong to, when "
            "the file does not say (title, file name, id or SHA-256 prefix)"
        ),
    )
    parser.add_argument(
        "--encoding",
        metavar="E",
        help=_(
            "the text encoding of FILE (for example utf-8, cp1252, shift_jis, utf-16-le), "
            "when the one Critique detects is wrong; the summary always names the encoding used"
        ),
    )
    parser.add_argument(
        "--format",
        metavar="NAME",
        choices=registry.reader_names(),
        help=_(
            "read FILE as this format ({names}) whatever its extension; by default the "
            "extension says, then the file's first bytes"
        ).format(names=", ".join(registry.reader_names())),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from critique_app.cli.projects import project_to_use
    from critique_app.progress import TerminalProgress
    from critique_app.services.import_annotations import import_file

    # Annotations go onto films already in the project: a new project could take none.
    needs = _("annotations are imported onto the films of an existing project")
    with project_to_use(args.project, needs=needs) as project:
        progress = TerminalProgress("import")
        try:
            summary = import_file(
                project,
                args.file,
                film=args.film,
                encoding=args.encoding,
                format_name=args.format,
                progress=progress,
                announce=lambda text: print(text, file=sys.stderr),
            )
        finally:
            progress.finish()
    print(summary.sentence(Path(args.file).name), file=sys.stderr)
    return 0
