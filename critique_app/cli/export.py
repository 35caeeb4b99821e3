"""`critique-app export P --format FMT [--seminar NAME | --film F] -o OUT`."""

from __future__ import annotations

import argparse
import sys

import exporters
from critique_app import i18n
from critique_app.i18n import LANGUAGES, _


def register(subparsers: argparse._SubParsersAction) -> None:
    formats = "\n".join(f"  {e.name:<6} {_(e.description)}" for e in exporters.all_exporters())
    parser = subparsers.add_parser(
        "export",
        help=_("export a seminar or a film's annotations (handout, clips, timeline...)"),
        description=_(
            "Export a seminar (--seminar) or every annotation of a film (--film) of "
            "project P. The file is written whole or not at all: a cancelled or failed export "
            "leaves any previous OUT untouched."
        )
        + "\n\n"
        + _("formats:")
        + "\n"
        + formats,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("project", metavar="P", help=_("the project file (*.critique)"))
    parser.add_argument(
        "--format",
        "-f",
        required=True,
        choices=exporters.names(),
        metavar="FMT",
        help=_("one of: {formats}").format(formats=", ".join(exporters.names())),
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--seminar", metavar="NAME", help=_("the seminar to export (name or id)"))
    which.add_argument(
        "--film",
        metavar="F",
        help=_("export all annotations of this film (title, file name, id or SHA-256 prefix)"),
    )
    parser.add_argument(
        "--search",
        metavar="TEXT",
        help=_("with --film: only annotations whose note or tags contain these words"),
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help=_("file to write (a folder for --format clips)"),
    )
    parser.add_argument(
        "--sign-with",
        metavar="DIR",
        help=_(
            "clips: sign each clip with the "
            "certificate in DIR (chain.pem, key.pem); default: the project setting"
        ),
    )
    parser.add_argument(
        "--agreement",
        nargs="?",
        const="author",
        choices=["author", "tier"],
        metavar="BY",
        help=_(
            "html, pdf, md, pack: add the class's agreement on each film (alpha, kappa, passages "
            "of disagreement), by author (default) or by tier"
        ),
    )
    parser.add_argument(
        "--rhythm",
        action="store_true",
        help=_(
            "html, pdf: add each film's rhythm plot (shot lengths over its time, as shots "
            "--plot draws it)"
        ),
    )
    parser.add_argument(
        "--heat",
        action="store_true",
        help=_(
            "html, pdf: each still beside the same frame under the instability lens's heat "
            "(where the picture changes without moving)"
        ),
    )
    parser.add_argument(
        "--language",
        choices=list(LANGUAGES),
        default=None,
        help=_(
            "the language of the export (headings, captions, category labels and "
            "definitions): en or fr; default: the language of the messages"
        ),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from critique_app.cli.projects import project_to_use
    from critique_app.errors import UserError
    from critique_app.progress import TerminalProgress
    from critique_app.services import export as service

    with project_to_use(args.project, needs=_("there is nothing to export")) as project:
        if args.film is not None:
            filters = {"search": args.search} if args.search else {}
            doc = service.film_document(project, args.film, **filters)
        else:
            seminars = project.repo.seminars()
            if args.seminar is None and len(seminars) != 1:
                names = ", ".join(f"'{s.name}'" for s in seminars) or "none"
                raise UserError(
                    _(
                        "Choose what to export with --seminar NAME or --film F (seminars: {names})."
                    ).format(names=names)
                )
            # the only seminar, when none is named: its name finds it
            doc = service.seminar_document(project, args.seminar or seminars[0].name)
        if args.agreement and args.format not in ("html", "pdf", "md", "pack"):
            raise UserError(
                _(
                    "--agreement adds a section to the html, pdf and md handouts (and to the pack's); the {format} format has no place for it."
                ).format(format=args.format)
            )
        # the export speaks the language asked for, else the one of the messages
        language = args.language or i18n.babel_locale()
        if args.agreement:
            from critique_app.services.agreement import with_agreement

            doc = with_agreement(project, doc, args.agreement, language)
        for flag, asked in (("--rhythm", args.rhythm), ("--heat", args.heat)):
            if asked and args.format not in ("html", "pdf"):
                raise UserError(
                    _(
                        "{flag} adds pictures to the html and pdf handouts; the {format} format "
                        "has no place for them."
                    ).format(flag=flag, format=args.format)
                )
        signer = None
        if args.format in ("clips", "pack"):
            signer = service.configured_signer(project, args.sign_with)
        progress = TerminalProgress(f"export {args.format}")
        try:
            done = service.export_files(
                doc,
                args.format,
                args.output,
                progress,
                signer=signer,
                language=language,
                rhythm=args.rhythm,
                heat=args.heat,
            )
        finally:
            progress.finish()
    for note in done.notes:
        print(note, file=sys.stderr)
    for path in done.files:
        print(_("wrote {path}").format(path=path), file=sys.stderr)
    return 0
