"""`critique-app verify FILE... [--json] [--trust all|c2pa|interim|user|none|PEM] [--project P
[--changes]]`: provenance for juries.

One block per file (or a JSON list, docs/verify-json.md); a folder verifies every media file
in it with a progress bar on stderr. With --project each report is kept in the project, and
--changes says what changed since the file's previous check there. Exit 1 when a file could
not be processed at all, 2 for a usage error (refused before any work).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from critique_app.domain.provenance_words import (
    action_words,
    ai_signal_words,
    identity_kind_words,
    identity_words,
    lists_consulted,
    manifest_sources,
    signer_name,
    signer_trust,
    trust_list_words,
    verdict_words,
    with_code,
)
from critique_app.i18n import _, format_number, join_items, ngettext
from critique_app.provenance.trust import origin_words


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "verify",
        help=_("check C2PA Content Credentials, trust, AI disclosure and plain metadata"),
        description=_(
            "Check C2PA Content Credentials (intact? signer trusted, by which list? "
            "generator, actions, ingredients, declared AI) and plain metadata, offline. "
            "A missing manifest proves nothing."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help=_("media files or folders"))
    p.add_argument(
        "--json", action="store_true", help=_("a JSON list on stdout, one object a file")
    )
    p.add_argument(
        "--trust",
        default="all",
        metavar="all|c2pa|interim|user|none|PEM",
        help=_(
            "trust lists: all (default; each list checked separately, your own list from "
            "`trust update --list user` last), c2pa, interim, user, none, or a PEM file of "
            "your own anchors"
        ),
    )
    p.add_argument(
        "--cawg-trust",
        default="installed",
        metavar="installed|none|PEM",
        help=_(
            "trust list for CAWG identities, apart from the C2PA lists: installed (the "
            "CAWG list installed with `trust update`, if any), none, or a PEM file"
        ),
    )
    p.add_argument(
        "--manifest",
        metavar="SIDECAR.c2pa",
        help=_(
            "a sidecar manifest store to verify the one FILE against (a folder scan pairs "
            "name.c2pa with name.ext by itself)"
        ),
    )
    p.add_argument(
        "--project",
        metavar="P",
        help=_(
            "a project that keeps each report (so a later check can say what changed) and "
            "whose reference library may hold the signed original of a copy that lost its "
            "credentials (recovered by content; not cryptographically bound)"
        ),
    )
    p.add_argument(
        "--changes",
        action="store_true",
        help=_(
            "with --project: say what changed since the file's last check kept in the "
            "project (verdict, trust list, problems found, trust files)"
        ),
    )
    p.set_defaults(func=run)


def _usage(args: argparse.Namespace) -> None:
    """Refuse, before any work, what the command cannot use at all (exit status 2)."""
    from pathlib import Path

    from critique_app.cli.projects import UsageError, existing_project
    from critique_app.errors import UserError
    from critique_app.provenance.trust import lists_for

    if args.changes and not args.project:
        raise UsageError(
            _("--changes compares with the checks kept in a project: add --project P.")
        )
    if args.project:  # a typo in P is said at once
        existing_project(args.project, _("--project needs an existing project"))
    if args.manifest is not None:
        if len(args.files) != 1 or Path(args.files[0]).is_dir():
            raise UsageError(_("--manifest goes with exactly one asset."))
        if not Path(args.manifest).is_file():
            raise UsageError(
                _("The sidecar manifest {sidecar} does not exist.").format(sidecar=args.manifest)
            )
    try:
        lists_for(args.trust, args.cawg_trust)
    except UserError as err:
        raise UsageError(str(err)) from None


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from critique_app.progress import NO_PROGRESS, TerminalProgress
    from critique_app.services.verify import verify_paths

    _usage(args)
    many = len(args.files) > 1 or any(Path(f).is_dir() for f in args.files)
    progress = TerminalProgress("verify") if many else NO_PROGRESS
    try:
        reports = verify_paths(
            args.files, args.trust, progress, manifest=args.manifest, cawg_trust=args.cawg_trust
        )
    finally:
        if isinstance(progress, TerminalProgress):
            progress.finish()
    blocks = [r.to_json() for r in reports]
    recovered = _recover(args, blocks)
    records = _keep(args, blocks)
    if args.json:
        if args.changes:
            for j, record in zip(blocks, records, strict=True):
                j["changes"] = record.to_json()
        json.dump(blocks, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        from critique_app.services.recovered_credentials import recovered_lines

        for i, j in enumerate(blocks):
            extra = recovered_lines(j["c2pa"].get("recovered_by_content", []))
            if args.changes:
                extra += records[i].lines()
            print(human_block(j) + "".join(line + "\n" for line in extra))
    if recovered is not None:
        print(f"critique-app: {recovered}", file=sys.stderr)
    failed = [r for r in reports if r.verdict.reason in ("unreadable", "sidecar_without_asset")]
    for r in failed:
        print(
            f"critique-app: {r.path}: {r.verdict.sentence}",
            file=sys.stderr,
        )
    return 1 if failed else 0


def _keep(args: argparse.Namespace, blocks: list[dict]) -> list[Any]:
    """With --project: store each report in the project; how each compares with the file's
    previous check there (services.provenance_history.CheckRecord)."""
    if not args.project:
        return []
    from critique_app.services.provenance_history import record_checks

    return record_checks(args.project, blocks)


def _recover(args: argparse.Namespace, blocks: list[dict]) -> str | None:
    """With --project: add `c2pa.recovered_by_content` to files whose own credentials do not
    stand. Returns a sentence naming the files whose pictures could not be read for matching
    (their reports are kept, without the key)."""
    if not getattr(args, "project", None):
        return None
    from critique_app.errors import UserError
    from critique_app.services.recovered_credentials import needs_recovery, recover_by_content

    problems = []
    for j in blocks:
        if needs_recovery(j) and j.get("path"):
            try:
                j["c2pa"]["recovered_by_content"] = recover_by_content(args.project, j["path"])
            except UserError as err:
                problems.append(
                    _("{path}: not matched against the library ({error})").format(
                        path=j["path"], error=err
                    )
                )
    return " ".join(problems) or None


def human_block(j: dict) -> str:
    """A file's report as a jury reads it, in the language of the messages (codes in brackets
    stay as they are, for experts)."""
    c, m = j["c2pa"], j["metadata"]
    n_bytes = int(j["size"] or 0)
    lines = [
        f"{j['path']}",
        "  "
        + ngettext(
            "format {format}, {size} byte, sha256 {digest}…",
            "format {format}, {size} bytes, sha256 {digest}…",
            n_bytes,
        ).format(format=j["format"], size=format_number(n_bytes), digest=j["sha256"][:16]),
        "  " + _credentials_line(c),
        f"    {c['summary']}",
    ]
    if c["trust_list"]:
        words = trust_list_words(c["trust_list"])
        lines.append("    " + _("vouched for by: {trust_list}").format(trust_list=words))
    if signer_trust(c["reason"], c["trust_list"]):
        lines.append(f"    {signer_trust(c['reason'], c['trust_list'])}")
        lines.append(f"    {lists_consulted(j.get('trust_dates'))}")
    # where the manifest judged came from: the screening report tells the same story
    lines += ["    " + line for line in manifest_sources(j, lambda r: with_code(verdict_words, r))]
    if c.get("remote_url"):
        lines.append("    " + _("remote manifest (not fetched): {url}").format(url=c["remote_url"]))
    for ident in c.get("identities", []):
        lines.append("  " + _identity_line(ident))
    signal = with_code(ai_signal_words, c["ai_signal"])
    lines.append(
        "  "
        + _("AI signal: {signal} — {summary}").format(signal=signal, summary=c["ai_signal_summary"])
    )
    if c["present"] and c["signer"]:
        s = c["signer"]
        lines.append(
            "  "
            + _(
                "Signer: {signer}, certificate issued by {issuer}; signed {when} ({timestamp}); "
                "{algorithm}"
            ).format(
                signer=signer_name(s),
                issuer=s.get("issuer") or _("an issuer it does not name"),
                when=c["signed_at"] or _("time unknown"),
                timestamp=_("timestamped") if c["timestamped"] else _("no timestamp"),
                algorithm=s.get("algorithm") or _("algorithm not stated"),
            )
        )
        generator = c["generator"] or _("not stated")
        lines.append("  " + _("Generator: {generator}").format(generator=generator))
    for a in c["actions"]:
        extra = ", ".join(
            x for x in (a.get("when"), a.get("software_agent"), a.get("digital_source_type")) if x
        )
        action = with_code(action_words, a["action"])
        line = (
            _("action {action}: {details}").format(action=action, details=extra)
            if extra
            else _("action {action}").format(action=action)
        )
        lines.append(f"    {line}")
    for p in c["permissions"]:
        lines.append(
            "    "
            + _("permission (not an AI disclosure): {permission} = {use}").format(
                permission=p["permission"], use=p.get("use")
            )
        )
    lines += _ingredient_lines(c["ingredients"], 2)
    if c.get("soft_bindings"):
        from critique_app.provenance.soft_bindings import heading, sentence

        lines.append("  " + heading())
        for sb in c["soft_bindings"]:
            lines.append("    " + sentence(sb))
            lines.append("      " + sb["note"])
    if c["failures"]:
        lines.append("  " + _("Status codes: {codes}").format(codes=", ".join(c["failures"])))
    files = [
        _("{file} ({anchors} cert., sha256 {digest}…, {origin})").format(
            file=f["file"],
            anchors=f["anchors"],
            digest=f["sha256"][:12],
            origin=origin_words(f["origin"]),
        )
        for f in j.get("trust_files", [])
    ]
    if files:
        lines.append("  " + _("Trust files used: {files}").format(files=join_items(files)))
    n = len(m["fields"])
    lines.append(
        "  "
        + ngettext(
            "Plain metadata (unsigned, easy to forge): {count} field",
            "Plain metadata (unsigned, easy to forge): {count} fields",
            n,
        ).format(count=n)
    )
    for hint in m["ai_hints"]:
        lines.append("    " + _("hint: {hint}").format(hint=hint))
    return "\n".join(lines) + "\n"


def _credentials_line(c: dict) -> str:
    """The verdict on the Content Credentials, with the library's state when it has one."""
    verdict = with_code(verdict_words, c["reason"])
    lowered = c["reason"] == "ok" and c["state"] != "Trusted"
    if c["state"] and lowered:
        sentence = _(
            "Content Credentials: {verdict} (state {state}) — the library's state is lowered "
            "by identity codes only"
        )
    elif c["state"]:
        sentence = _("Content Credentials: {verdict} (state {state})")
    elif lowered:
        sentence = _(
            "Content Credentials: {verdict} — the library's state is lowered by identity codes only"
        )
    else:
        sentence = _("Content Credentials: {verdict}")
    return sentence.format(verdict=verdict, state=c["state"])


def _identity_line(ident: dict) -> str:
    """A CAWG identity: its kind, who, who issued it, its status (and codes, for experts)."""
    kind = with_code(identity_kind_words, ident.get("type"))
    who = ident.get("name") or _("unnamed")
    status = with_code(identity_words, ident["status"])
    if ident.get("issuer"):
        line = _("Identity ({kind}): {who}, issued by {issuer} — {status}").format(
            kind=kind, who=who, issuer=ident["issuer"], status=status
        )
    else:
        line = _("Identity ({kind}): {who} — {status}").format(kind=kind, who=who, status=status)
    return line + (f" ({', '.join(ident['codes'])})" if ident.get("codes") else "")


def _ingredient_lines(ingredients: list[dict], depth: int) -> list[str]:
    out = []
    for ing in ingredients:
        pad = "  " * depth
        out.append(
            pad
            + _("ingredient '{title}' ({relationship}): {verdict}; AI signal {signal}").format(
                title=ing["title"],
                relationship=ing["relationship"],
                verdict=with_code(verdict_words, ing["reason"]),
                signal=with_code(ai_signal_words, ing.get("ai_signal", "unknown")),
            )
        )
        out += _ingredient_lines(ing.get("ingredients", []), depth + 1)
    return out
