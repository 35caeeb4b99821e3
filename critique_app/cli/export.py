"""`critique-app export P --format FMT [--seminar NAME | --film F] -o OUT`."""

from __future__ import annotations

import argparse
import sys

import exporters


def register(subparsers: argparse._SubParsersAction) -> None:
    formats = "\n".join(f"  {e.name:<6} {e.description}" for e in exporters.all_exporters())
    parser = subparsers.add_parser(
        "export",
        help="export a seminar or a film's annotations (handout, clips, timeline...)",
        description="Export a seminar (--seminar) or every annotation of a film (--film) of "
        "project P. The file is written whole or not at all: a cancelled or failed export "
        "leaves any previous OUT untouched.\n\nformats:\n" + formats,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("project", metavar="P", help="the project file (*.critique)")
    parser.add_argument(
        "--format",
        "-f",
        required=True,
        choices=exporters.names(),
        metavar="FMT",
        help="one of: " + ", ".join(exporters.names()),
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--seminar", metavar="NAME", help="the seminar to export (name or id)")
    which.add_argument(
        "--film",
        metavar="F",
        help="export all annotations of this film (title, file name, id or SHA-256 prefix)",
    )
    parser.add_argument(
        "--search",
        metavar="TEXT",
        help="with --film: only annotations whose note or tags contain these words",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="file to write (a folder for --format clips)",
    )
    parser.add_argument(
        "--sign-with",
        metavar="DIR",
        help="clips: sign each clip with the "
        "certificate in DIR (chain.pem, key.pem); default: the project setting",
    )
    parser.add_argument(
        "--agreement",
        nargs="?",
        const="author",
        choices=["author", "tier"],
        metavar="BY",
        help="html, pdf, md, pack: add the class's agreement on each film (alpha, kappa, passages "
        "of disagreement), by author (default) or by tier",
    )
    parser.add_argument(
        "--language",
        choices=["en", "fr"],
        default="en",
        help="language of category labels and definitions",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from critique_app.cli.projects import project_to_use
    from critique_app.errors import UserError
    from critique_app.progress import TerminalProgress
    from critique_app.services import export as service

    with project_to_use(args.project, needs="there is nothing to export") as project:
        if args.film is not None:
            filters = {"search": args.search} if args.search else {}
            doc = service.film_document(project, args.film, **filters)
        else:
            seminars = project.repo.seminars()
            if args.seminar is None and len(seminars) != 1:
                names = ", ".join(f"'{s.name}'" for s in seminars) or "none"
                raise UserError(
                    f"Choose what to export with --seminar NAME or --film F (seminars: {names})."
                )
            # the only seminar, when none is named: its name finds it
            doc = service.seminar_document(project, args.seminar or seminars[0].name)
        if args.agreement:
            if args.format not in ("html", "pdf", "md", "pack"):
                raise UserError(
                    "--agreement adds a section to the html, pdf and md handouts (and to the "
                    f"pack's); the {args.format} format has no place for it."
                )
            from critique_app.services.agreement import with_agreement

            doc = with_agreement(project, doc, args.agreement)
        signer = None
        if args.format in ("clips", "pack"):
            signer = service.configured_signer(project, args.sign_with)
        progress = TerminalProgress(f"export {args.format}")
        try:
            done = service.export_files(
                doc, args.format, args.output, progress, signer=signer, language=args.language
            )
        finally:
            progress.finish()
    for note in done.notes:
        print(note, file=sys.stderr)
    for path in done.files:
        print(f"wrote {path}", file=sys.stderr)
    return 0
