"""`critique-app verify FILE... [--json] [--trust all|c2pa|interim|none|PEM]`: provenance for juries.

One block per file (or a JSON list, docs/verify-json.md); a folder verifies every media file
in it with a progress bar on stderr. Exit 1 when a file could not be processed at all.
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
    signer_name,
    signer_trust,
    trust_list_words,
    verdict_words,
    with_code,
)
from critique_app.i18n import _


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
        metavar="all|c2pa|interim|none|PEM",
        help=_(
            "trust lists: all (default; each shipped list checked separately), c2pa, "
            "interim, none, or a PEM file of your own anchors"
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
            "a project whose reference library may hold the signed original of a copy that "
            "lost its credentials (recovered by content; not cryptographically bound)"
        ),
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from critique_app.cli.projects import existing_project
    from critique_app.progress import NO_PROGRESS, TerminalProgress
    from critique_app.services.verify import verify_paths

    if args.project:  # before any work: a typo in P is said at once
        existing_project(args.project, _("--project needs an existing project"))
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
    if args.json:
        json.dump(blocks, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        from critique_app.services.recovered_credentials import recovered_lines

        for j in blocks:
            extra = recovered_lines(j["c2pa"].get("recovered_by_content", []))
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
                problems.append(f"{j['path']}: not matched against the library ({err})")
    return " ".join(problems) or None


def human_block(j: dict) -> str:
    c, m = j["c2pa"], j["metadata"]
    lines = [
        f"{j['path']}",
        f"  format {j['format']}, {j['size']:,} bytes, sha256 {j['sha256'][:16]}…",
        f"  Content Credentials: {with_code(verdict_words, c['reason'])}"
        + (f" (state {c['state']})" if c["state"] else "")
        + (
            " — the library's state is lowered by identity codes only"
            if c["reason"] == "ok" and c["state"] != "Trusted"
            else ""
        ),
        f"    {c['summary']}",
    ]
    if c["trust_list"]:
        lines.append(f"    vouched for by: {trust_list_words(c['trust_list'])}")
    if signer_trust(c["reason"], c["trust_list"]):
        lines.append(f"    {signer_trust(c['reason'], c['trust_list'])}")
        lines.append(f"    {lists_consulted(j.get('trust_dates'))}")
    if j.get("sidecar"):
        lines.append(f"    manifest from the sidecar {j['sidecar']}")
    if c.get("remote_url"):
        lines.append(f"    remote manifest (not fetched): {c['remote_url']}")
    for ident in c.get("identities", []):
        who = ident.get("name") or "unnamed"
        lines.append(
            f"  Identity ({with_code(identity_kind_words, ident.get('type'))}): {who}"
            + (f", issued by {ident['issuer']}" if ident.get("issuer") else "")
            + f" — {with_code(identity_words, ident['status'])}"
            + (f" ({', '.join(ident['codes'])})" if ident.get("codes") else "")
        )
    lines.append(
        f"  AI signal: {with_code(ai_signal_words, c['ai_signal'])} — {c['ai_signal_summary']}"
    )
    if c["present"] and c["signer"]:
        s = c["signer"]
        when = c["signed_at"] or "time unknown"
        ts = "timestamped" if c["timestamped"] else "no timestamp"
        lines.append(
            f"  Signer: {signer_name(s)}, certificate issued by "
            f"{s.get('issuer') or 'an issuer it does not name'}; signed {when} ({ts}); "
            f"{s.get('algorithm') or 'algorithm not stated'}"
        )
        lines.append(f"  Generator: {c['generator'] or 'not stated'}")
    for a in c["actions"]:
        extra = ", ".join(
            x for x in (a.get("when"), a.get("software_agent"), a.get("digital_source_type")) if x
        )
        lines.append(
            f"    action {with_code(action_words, a['action'])}" + (f": {extra}" if extra else "")
        )
    for p in c["permissions"]:
        lines.append(f"    permission (not an AI disclosure): {p['permission']} = {p.get('use')}")
    lines += _ingredient_lines(c["ingredients"], 2)
    if c["failures"]:
        lines.append(f"  Status codes: {', '.join(c['failures'])}")
    files = [
        f"{f['file']} ({f['anchors']} cert., sha256 {f['sha256'][:12]}…, {f['origin']})"
        for f in j.get("trust_files", [])
    ]
    if files:
        lines.append(f"  Trust files used: {'; '.join(files)}")
    n = len(m["fields"])
    lines.append(f"  Plain metadata (unsigned, easy to forge): {n} field{'s' * (n != 1)}")
    for hint in m["ai_hints"]:
        lines.append(f"    hint: {hint}")
    return "\n".join(lines) + "\n"


def _ingredient_lines(ingredients: list[dict], depth: int) -> list[str]:
    out = []
    for ing in ingredients:
        pad = "  " * depth
        out.append(
            f"{pad}ingredient '{ing['title']}' ({ing['relationship']}): "
            f"{with_code(verdict_words, ing['reason'])}; "
            f"AI signal {with_code(ai_signal_words, ing.get('ai_signal', 'unknown'))}"
        )
        out += _ingredient_lines(ing.get("ingredients", []), depth + 1)
    return out
