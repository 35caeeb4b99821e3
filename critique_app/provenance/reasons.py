"""Every C2PA status code the SDK can report, and the reason a jury reads for it.

The codes come from the SDK itself (status_codes.json, extracted from c2pa-rs by
scripts/extract_status_codes.py); each failure code is named here explicitly so that a new
SDK code shows up as unmapped in the tests instead of being guessed. `tampered` is kept for
hash and signature mismatches (and signed parts gone missing): the pictures or the manifest
changed. `malformed` is for assertion, schema and CBOR errors: the manifest breaks the rules,
which says nothing about the pictures. CAWG identity codes never make a reason: they give an
identity its status, shown beside the reason.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

# Reasons from the strongest to the weakest, when several codes speak at once.
ORDER = (
    "tampered",
    "revoked",
    "malformed",
    "expired_credential",
    "remote_manifest",
    "ingredient_invalid",
    "untrusted_signer",
)

_TAMPERED = (
    "assertion.dataHash.mismatch",
    "assertion.bmffHash.mismatch",
    "assertion.boxesHash.mismatch",
    "assertion.boxesHash.unknownBox",  # bytes outside every hashed box appeared
    "assertion.collectionHash.mismatch",
    "assertion.collectionHash.incorrectFileCount",
    "assertion.hashedURI.mismatch",
    "hashedURI.mismatch",
    "claimSignature.mismatch",
    # signed parts gone or added since signing
    "claimSignature.missing",
    "assertion.missing",
    "hashedURI.missing",
    "claim.missing",
    "assertion.undeclared",
)
_MALFORMED = (
    "claim.cbor.invalid",
    "claim.malformed",
    "claim.multiple",
    "claim.required.missing",
    "claim.hardBindings.missing",
    "assertion.multipleHardBindings",
    "assertion.cbor.invalid",
    "assertion.json.invalid",
    "assertion.required.missing",
    "assertion.outsideManifest",
    "assertion.notRedacted",
    "assertion.selfRedacted",
    "assertion.metadata.disallowed",
    "assertion.timestamp.malformed",
    "assertion.action.malformed",
    "assertion.action.ingredientMismatch",
    "assertion.action.redacted",
    "assertion.action.redactionMismatch",
    "assertion.dataHash.malformed",
    "assertion.dataHash.redacted",
    "assertion.bmffHash.malformed",
    "assertion.boxesHash.malformed",
    "assertion.collectionHash.malformed",
    "assertion.collectionHash.invalidURI",
    "assertion.cloud-data.malformed",
    "assertion.cloud-data.hardBinding",
    "assertion.cloud-data.actions",
    "assertion.ingredient.malformed",
    "manifest.compressed.invalid",
    "manifest.multipleParents",
    "manifest.update.invalid",
    "manifest.update.wrongParents",
    "manifest.timestamp.invalid",
    "manifest.timestamp.wrongParents",
    "algorithm.unsupported",  # the SDK cannot check this signature at all
    "general.error",
)
_INGREDIENT = (
    "ingredient.manifest.missing",
    "ingredient.manifest.mismatch",
    "ingredient.claimSignature.missing",
    "ingredient.claimSignature.mismatch",
    "ingredient.hashedURI.mismatch",
)
_OTHER = {
    "signingCredential.untrusted": "untrusted_signer",
    "signingCredential.invalid": "untrusted_signer",  # an unacceptable certificate
    "signingCredential.ocsp.unknown": "untrusted_signer",  # nobody vouches for its status
    "signingCredential.expired": "expired_credential",
    "claimSignature.outsideValidity": "expired_credential",
    "signingCredential.ocsp.revoked": "revoked",
    "signingCredential.revoked": "revoked",  # the specification's spelling
    "manifest.inaccessible": "remote_manifest",
    "assertion.inaccessible": "remote_manifest",
}

FAILURE_REASON: dict[str, str] = {
    **{c: "tampered" for c in _TAMPERED},
    **{c: "malformed" for c in _MALFORMED},
    **{c: "ingredient_invalid" for c in _INGREDIENT},
    **_OTHER,
}

# CAWG identity codes -> the identity's status (never the C2PA reason).
IDENTITY_STATUS: dict[str, str] = {
    "cawg.x509.credential.trusted": "verified",
    "cawg.ica.credential_valid": "verified",
    "cawg.x509.credential.untrusted": "untrusted",
    "cawg.ica.untrusted_issuer": "untrusted",
    "cawg.ica.did_unavailable": "unverifiable_offline",
}
IDENTITY_STATUSES = ("invalid", "unverifiable_offline", "untrusted", "verified", "not_checked")


@lru_cache(maxsize=1)
def sdk_codes() -> dict[str, str]:
    """{code: success | informational | failure} as the SDK lists them (status_codes.json)."""
    data = json.loads((Path(__file__).with_name("status_codes.json")).read_text("utf-8"))
    return dict(data["codes"])


def sdk_codes_source() -> str:
    data = json.loads((Path(__file__).with_name("status_codes.json")).read_text("utf-8"))
    return str(data["source"])


def is_identity(code: str) -> bool:
    return code.startswith("cawg.")


def identity_status(code: str) -> str | None:
    """The status one CAWG code gives an identity; None for a code that says nothing bad."""
    if code in IDENTITY_STATUS:
        return IDENTITY_STATUS[code]
    if sdk_codes().get(code, "failure") == "failure":
        return "invalid"  # a broken identity assertion: signature, payload, CBOR, pad…
    return None


def reason_for_code(code: str) -> str | None:
    """The reason one failure code stands for; None for identity codes and non-failures."""
    if is_identity(code):
        return None
    if code in FAILURE_REASON:
        return FAILURE_REASON[code]
    if sdk_codes().get(code) in ("success", "informational"):
        return None
    # A code this SDK version does not list: judge by its shape, never call it "ok".
    if code.startswith("ingredient."):
        return "ingredient_invalid"
    if code.endswith(".mismatch"):
        return "tampered"
    return "malformed"


def strongest(reasons: list[str]) -> str | None:
    found = [r for r in ORDER if r in reasons]
    return found[0] if found else None
