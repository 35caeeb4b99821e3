"""The verdict a jury reads: the library's state plus a reason to act on, and the AI signal.

Pure functions over the plain report data. Tampering (a hash or signature mismatch) is kept
apart from an expired credential without a timestamp, an untrusted signer, a remote-only
manifest and a missing manifest (which proves nothing).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from critique_app.domain.provenance_words import identity_kind_words, identity_words
from critique_app.i18n import N_, _, join_items, ngettext
from critique_app.provenance import reasons
from critique_app.provenance.manifests import C2paFinding, Identity, Ingredient, Manifest
from critique_app.provenance.vocab import AI_SIGNALS, rubric, stronger

SENTENCES = {
    "ok": N_("Content Credentials intact and signed by a signer on {list}."),
    "untrusted_signer": N_(
        "Content Credentials intact, but the signer is not on any trust list "
        "used here: the file is unchanged since signing, not vouched for."
    ),
    "tampered": N_(
        "Content Credentials invalid: the file or its manifest changed after signing ({codes})."
    ),
    "malformed": N_(
        "Content Credentials invalid: the manifest breaks the C2PA rules ({codes}); "
        "this says nothing about whether the pictures were changed."
    ),
    "expired_credential": N_(
        "Content Credentials invalid because the signing certificate has "
        "expired and no trusted timestamp proves it was signed in time; this is not tampering."
    ),
    "revoked": N_("Content Credentials invalid: the signing certificate was revoked."),
    "ingredient_invalid": N_(
        "The file's own credentials are intact, but an ingredient's "
        "credentials are invalid ({codes})."
    ),
    "remote_manifest": N_(
        "The file points to Content Credentials stored online ({url}); Critique "
        "works offline and did not fetch them, so nothing was checked."
    ),
    "sidecar_without_asset": N_(
        "A sidecar manifest without its asset: there are no pictures to "
        "check it against. Put it beside its asset with the same name, or verify ASSET "
        "--manifest THIS.c2pa."
    ),
    "unreadable": N_("The file could not be read for Content Credentials: {error}."),
    "no_manifest": N_(
        "No Content Credentials. This proves nothing: most tools and platforms "
        "strip them, and most files never had any."
    ),
}


def _tolerated(code: str) -> bool:
    """Failures that leave the credentials intact: an untrusted signer (the reason says so
    separately) and CAWG identity codes (shown beside the reason, never changing it)."""
    return code == "signingCredential.untrusted" or reasons.is_identity(code)


def reason_for_codes(codes: list[str]) -> str | None:
    """The strongest reason among failure codes, or None if all are tolerated."""
    found = [reasons.reason_for_code(c) for c in codes if not _tolerated(c)]
    return reasons.strongest([r for r in found if r])


def classify(finding: C2paFinding, trust_list: str | None) -> tuple[str | None, str, str]:
    """(state, reason, sentence) for the file as a whole."""
    if finding.error_kind == "no_manifest" or (not finding.present and not finding.error):
        return None, "no_manifest", _(SENTENCES["no_manifest"])
    if finding.error_kind == "sidecar_without_asset":
        return None, "sidecar_without_asset", _(SENTENCES["sidecar_without_asset"])
    if finding.error_kind == "remote":
        sentence = _(SENTENCES["remote_manifest"]).format(url=finding.remote_url)
        return None, "remote_manifest", sentence
    if finding.error_kind == "unreadable" or finding.error:
        error = (finding.error or _("unknown error")).rstrip(".")
        return None, "unreadable", _(SENTENCES["unreadable"]).format(error=error)
    state = finding.state
    hard = [c for c in finding.failures if not _tolerated(c)]
    reason = reason_for_codes(finding.failures)
    if reason == "ingredient_invalid":
        hard = [c for c in hard if reasons.reason_for_code(c) == "ingredient_invalid"]
    broken = _broken_ingredients(finding) if reason is None else []
    if broken:
        reason, hard = "ingredient_invalid", broken
    if reason is None:
        reason = "ok" if finding.signer_trusted else "untrusted_signer"
    codes = ", ".join(sorted(set(hard))) or _("no detail from the library")
    sentence = _(SENTENCES[reason]).format(codes=codes, list=trust_list or _("a trust list"))
    return state, reason, sentence


def _broken_ingredients(finding: C2paFinding) -> list[str]:
    """Hard failure codes of the ingredients under the active manifest, at any depth: those
    the library found since signing (deltas) and those recorded when each was placed (a
    parent signature vouches that it recorded a broken ingredient, not that it is sound)."""
    codes = [c for c in finding.ingredient_failures if not _tolerated(c)]
    seen: set[str] = set()
    todo = [finding.active_label or ""]
    while todo:
        label = todo.pop()
        m = finding.manifests.get(label)
        if m is None or label in seen:
            continue
        seen.add(label)
        for ing in m.ingredients:
            _state, reason = ingredient_verdict(ing, finding.manifests)
            if reason not in QUIET_INGREDIENT_REASONS:
                mine = finding.manifests.get(ing.manifest_label or "")
                found = set(ing.failures) | set(mine.failures if mine else [])
                codes += [c for c in sorted(found) if not _tolerated(c)]
            if ing.manifest_label:
                todo.append(ing.manifest_label)
    return sorted(set(codes))


# Ingredient reasons that do not make the file's reason `ingredient_invalid`.
QUIET_INGREDIENT_REASONS = ("ok", "untrusted_signer", "no_manifest", "not_revalidated")


def ingredient_verdict(ing: Ingredient, manifests: dict[str, Manifest]) -> tuple[str | None, str]:
    """An ingredient's own state and reason, from evidence only.

    Trusted only when this reading's codes say its signer is trusted under the list used
    (the reader never sets that under `--trust none`); `not_revalidated` when the SDK only
    checked that the ingredient's manifest is the one recorded (its codes were written when
    it was placed, under someone else's trust settings); `manifest_missing` when the
    ingredient points to a manifest the file no longer holds.
    """
    m = manifests.get(ing.manifest_label or "")
    if "ingredient.manifest.missing" in ing.failures or (ing.manifest_label and m is None):
        return None, "manifest_missing"
    if m is None:
        return None, "no_manifest"
    codes = sorted(set(ing.failures) | set(m.failures))
    codes = [c for c in codes if c != "ingredient.manifest.missing"]
    reason = reason_for_codes(codes)
    if reason is not None:
        return "Invalid", reason
    if m.signer_trust == "trusted":
        return "Trusted", "ok"
    if m.signer_trust == "untrusted":
        return "Valid", "untrusted_signer"
    return None, "not_revalidated"


def _own_signal(m: Manifest) -> str | None:
    best: str | None = None
    for a in m.actions:
        sig = rubric(a.digital_source_type)
        if sig is None:
            continue
        # AI material placed or edited into something is partial; created from it is full.
        if sig == "fully_genai" and a.action not in ("c2pa.created", "c2pa.opened"):
            sig = "partly_genai"
        best = sig if best is None else stronger(best, sig)
    return best


def signal_of(
    label: str, manifests: dict[str, Manifest], seen: frozenset[str] = frozenset()
) -> tuple[str, str | None]:
    """(AI signal, label of the manifest that said it) for a manifest and everything under it."""
    m = manifests.get(label)
    if m is None or label in seen:
        return "none_declared", None
    seen = seen | {label}
    own = _own_signal(m)
    result, source = (own, label) if own else (None, None)
    if own == "fully_genai":
        return own, label
    for ing in m.ingredients:
        if not ing.manifest_label or ing.manifest_label not in manifests:
            continue
        sub, sub_source = signal_of(ing.manifest_label, manifests, seen)
        if sub == "none_declared":
            continue
        if own is None and ing.relationship == "parentOf" and result is None:
            # A manifest that only re-signs its parent (ChatGPT's outer 'opened') inherits it.
            result, source = sub, sub_source
            continue
        if sub in AI_SIGNALS:
            sub = "partly_genai"  # an AI ingredient inside something else
        if result is None or stronger(sub, result) == sub and sub != result:
            result, source = sub, sub_source
    return (result, source) if result else ("none_declared", None)


def ai_signal(finding: C2paFinding) -> tuple[str, str | None, str]:
    """(signal, source manifest label, sentence) over every manifest of the file."""
    if not finding.present or not finding.active_label or finding.error:
        return "unknown", None, _("No readable Content Credentials, so no declared AI signal.")
    signal, source = signal_of(finding.active_label, finding.manifests)
    # the declaration starts the sentence; where it sits and a warning may follow
    text = _(DECLARATIONS[signal])
    if source and source != finding.active_label:
        name = _manifest_name(finding.manifests, source)
        text = _("{declaration} in an ingredient's manifest ({manifest})").format(
            declaration=text, manifest=name
        )
    elif source:
        text = _("{declaration} in the file's own (active) manifest").format(declaration=text)
    if reason_for_codes(finding.failures) is not None:  # CAWG identity codes do not count
        text = _(
            "{declaration}; the credentials are invalid, so treat this declaration with care"
        ).format(declaration=text)
    # Translators: the end of the sentence on the AI signal (its full stop, in your script)
    return signal, source, _("{declaration}.").format(declaration=text)


# What the manifests declare, by AI signal (the start of the sentence ai_signal makes).
DECLARATIONS = {
    # Translators: the start of a sentence, which may go on with where it was declared
    "fully_genai": N_("Declared as created by generative AI (trainedAlgorithmicMedia)"),
    "partly_genai": N_("Declared as partly made with generative AI"),
    "may_contain_genai": N_("Declared as a composite that may contain generative AI"),
    "captured": N_("Declared as captured by a camera or recorder"),
    "non_genai_creation": N_("Declared as a digital creation without generative AI"),
    "none_declared": N_("No manifest declares how the content was made"),
}


def _manifest_name(manifests: dict[str, Manifest], label: str) -> str:
    m = manifests[label]
    return m.generator or m.title or label


def manifest_to_json(
    ing: Ingredient, manifests: dict[str, Manifest], seen: set[str]
) -> dict[str, Any]:
    """An ingredient and, recursively, its own ingredients, in the shape of `c2pa`."""
    state, reason = ingredient_verdict(ing, manifests)
    m = manifests.get(ing.manifest_label or "")
    out: dict[str, Any] = {
        "title": ing.title,
        "format": ing.format,
        "relationship": ing.relationship,
        "active_manifest": ing.manifest_label,
        "present": m is not None,
        "state": state,
        "reason": reason,
        "failures": sorted(set(ing.failures) | set(m.failures if m else [])),
        "recorded_codes": ing.recorded,
        "signer_trust": m.signer_trust if m else None,
        "thumbnail": {"format": ing.thumbnail_format, "bytes": ing.thumbnail_size}
        if ing.thumbnail_size
        else None,
    }
    if m is None or m.label in seen:
        out.update(ai_signal="unknown", ingredients=[])
        return out
    signal, source = signal_of(m.label, manifests)
    out.update(
        ai_signal=signal,
        ai_signal_source=source,
        digital_source_types=sorted(
            {a.digital_source_type for a in m.actions if a.digital_source_type}
        ),
        generator=m.generator,
        signer=asdict(m.signature),
        signed_at=m.signature.signed_at,
        timestamped=m.signature.timestamped,
        actions=[asdict(a) for a in m.actions],
        permissions=m.permissions,
        identities=[asdict(i) for i in m.identities],
        authors=m.authors,
        watermarks=m.watermarks,
        ingredients=[manifest_to_json(i, manifests, seen | {m.label}) for i in m.ingredients],
    )
    return out


def all_identities(finding: C2paFinding) -> list[Identity]:
    """Every identity assertion under the active manifest, at any depth, active first."""
    out: list[Identity] = []
    seen: set[str] = set()
    todo = [finding.active_label or ""]
    while todo:
        label = todo.pop(0)
        m = finding.manifests.get(label)
        if m is None or label in seen:
            continue
        seen.add(label)
        out += m.identities
        todo += [i.manifest_label for i in m.ingredients if i.manifest_label]
    return out


def identity_sentence(identities: list[Identity]) -> str:
    """One sentence on the identities, shown beside the C2PA reason (never changing it)."""
    if not identities:
        return ""
    parts = []
    for i in identities:
        who = i.name or (i.identifiers[0].get("uri") if i.identifiers else None) or _("unnamed")
        # a whole translatable piece: French puts a space before the colon
        parts.append(
            _("{who} ({kind}): {status}").format(
                who=who, kind=identity_kind_words(i.type), status=identity_words(i.status)
            )
        )
    n = len(identities)
    said = ngettext(
        "{count} identity apart from the signer: {identities}.",
        "{count} identities apart from the signer: {identities}.",
        n,
    ).format(count=n, identities=join_items(parts))
    unchanged = _("This does not change the verdict on the credentials.")
    return f"{said} {unchanged}"
