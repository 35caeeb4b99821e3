"""What changed between two checks of the same file, in sentences a jury reads.

`db.provenance_store.diff` says which fields of two stored reports differ; this module says
each difference in words: verdicts, trust lists, AI signals and identity statuses by the
domain's words (provenance_words), status codes by the verdict they lead to (the code stays
in brackets for experts, as everywhere on the command line). Plain data in, sentences out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from critique_app.domain.provenance_words import (
    ai_signal_words,
    identity_words,
    trust_list_words,
    verdict_words,
)
from critique_app.i18n import N_, _, join_items, ngettext
from critique_app.provenance import reasons

# the library's states (c2pa `validation_state`), said as a jury reads them
STATE_WORDS = {
    "Trusted": N_("Trusted (intact, and the signer is on a trust list used)"),
    "Valid": N_("Valid (intact, but the signer is on no trust list used)"),
    "Invalid": N_("Invalid"),
}


def state_words(state: str | None) -> str:
    if not state:
        return _("no state (there was nothing the library could judge)")
    return _(STATE_WORDS[state]) if state in STATE_WORDS else state


def code_words(code: str) -> str:
    """A status code by what it means for the verdict, the code in brackets for experts."""
    reason = reasons.reason_for_code(code)
    if reasons.is_identity(code):
        return _("an identity problem ({code})").format(code=code)
    if reason is None:
        return _("a finding that does not change the verdict ({code})").format(code=code)
    return f"{verdict_words(reason)} ({code})"


def _codes_sentences(
    before: Iterable[str] | None, after: Iterable[str] | None, own: bool
) -> list[str]:
    old, new = set(before or []), set(after or [])
    out = []
    found, gone = sorted(new - old), sorted(old - new)
    if found:
        words = join_items(code_words(c) for c in found)
        out.append(
            (
                _("New problems found in the file's own credentials: {problems}.")
                if own
                else _("New problems found in its ingredients: {problems}.")
            ).format(problems=words)
        )
    if gone:
        words = join_items(code_words(c) for c in gone)
        out.append(
            (
                _("Problems no longer found in the file's own credentials: {problems}.")
                if own
                else _("Problems no longer found in its ingredients: {problems}.")
            ).format(problems=words)
        )
    return out


def _file_words(f: Mapping[str, Any]) -> str:
    n = int(f.get("anchors") or 0)
    certificates = ngettext("{count} certificate", "{count} certificates", n).format(count=n)
    if f.get("role") == "config":  # a list's settings, no certificate in it
        certificates = _("its settings")
    return _("{file} ({trust_list}, dated {date}, {certificates})").format(
        file=f.get("file"),
        trust_list=trust_list_words(f.get("list")),
        date=f.get("date") or _("undated"),
        certificates=certificates,
    )


def _trust_file_sentences(before: list[dict] | None, after: list[dict] | None) -> list[str]:
    old = {(f.get("list"), f.get("file")): f for f in before or []}
    new = {(f.get("list"), f.get("file")): f for f in after or []}
    out = []
    for key in sorted(set(new) - set(old), key=str):
        out.append(_("Trust file now used: {file}.").format(file=_file_words(new[key])))
    for key in sorted(set(old) - set(new), key=str):
        out.append(_("Trust file no longer used: {file}.").format(file=_file_words(old[key])))
    for key in sorted(set(old) & set(new), key=str):
        if old[key].get("sha256") != new[key].get("sha256"):
            out.append(
                _("The trust file {file} has the same name but different content.").format(
                    file=_file_words(new[key])
                )
            )
    return out


def _trust_list_sentences(before: dict | None, after: dict | None) -> list[str]:
    old, new = dict(before or {}), dict(after or {})
    out = []
    for key in sorted(set(old) | set(new)):
        name = trust_list_words(key)
        if key not in old:
            out.append(_("Now consulted: {trust_list}, dated {date}.").format(
                trust_list=name, date=new[key]))  # fmt: skip
        elif key not in new:
            out.append(_("No longer consulted: {trust_list} (was dated {date}).").format(
                trust_list=name, date=old[key]))  # fmt: skip
        elif old[key] != new[key]:
            out.append(_("{trust_list}: dated {before} then, {after} now.").format(
                trust_list=name, before=old[key], after=new[key]))  # fmt: skip
    return out


def _identities(items: list[dict] | None) -> str:
    named = [
        f"{i.get('name') or _('unnamed')} ({identity_words(i.get('status'))})" for i in items or []
    ]
    return join_items(named) or _("none")


def _versions(v: dict | None) -> str:
    return ", ".join(f"{k} {x}" for k, x in sorted((v or {}).items())) or _("not recorded")


def change_sentences(field: str, before: Any, after: Any) -> list[str]:
    """One difference (a `db.provenance_store.Change`'s field, before, after) in sentences."""
    if field == "sha256":
        return [
            _(
                "The file's content is not the same as at the last check (its SHA-256 "
                "changed): what follows compares two different files at the same place."
            )
        ]
    if field == "state":
        return [
            _("The library's state was {before}; it is now {after}.").format(
                before=state_words(before), after=state_words(after)
            )
        ]
    if field == "reason":
        return [
            _("The verdict was “{before}”; it is now “{after}”.").format(
                before=verdict_words(before), after=verdict_words(after)
            )
        ]
    if field == "trust list":
        return [
            _("Vouched for by {before} then; by {after} now.").format(
                before=trust_list_words(before), after=trust_list_words(after)
            )
        ]
    if field == "AI signal":
        return [
            _("The AI signal was “{before}”; it is now “{after}”.").format(
                before=ai_signal_words(before), after=ai_signal_words(after)
            )
        ]
    if field == "AI signal source":
        return [_("The AI signal is now declared by another manifest than before.")]
    if field == "generator":
        return [
            _("The generator named was {before}; it is now {after}.").format(
                before=before or _("none"), after=after or _("none")
            )
        ]
    if field in ("failures", "ingredient failures"):
        return _codes_sentences(before, after, own=field == "failures")
    if field == "metadata AI hints":
        return [
            _("The hints in the unsigned metadata changed: {before} then; {after} now.").format(
                before=join_items(before or []) or _("none"),
                after=join_items(after or []) or _("none"),
            )
        ]
    if field == "trust lists":
        return _trust_list_sentences(before, after)
    if field == "trust files":
        return _trust_file_sentences(before, after)
    if field == "identities":
        return [
            _("The identities named were: {before}; they are now: {after}.").format(
                before=_identities(before), after=_identities(after)
            )
        ]
    if field == "tool versions":
        return [
            _("The tools that checked it changed: {before} then; {after} now.").format(
                before=_versions(before), after=_versions(after)
            )
        ]
    return [_("Something else changed in the report ({field}).").format(field=field)]
