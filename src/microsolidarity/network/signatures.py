"""HTTP signatures (draft-cavage, rsa-sha256): what ActivityPub servers sign requests with.

apsig does the cryptography. It checks only what the signature lists, so the rules that make a
signature mean something are added here: the request line, the host, the date and the body's
digest must all be signed, the date must be recent, and the digest must match the body.
"""

import email.utils
from dataclasses import dataclass
from functools import lru_cache

from apsig.draft import Signer, Verifier
from apsig.exceptions import MissingSignatureError, UnknownSignatureError, VerificationFailedError
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed

CLOCK_SKEW_SECONDS = 300
REQUIRED_ON_POST = {"(request-target)", "host", "date", "digest"}
REQUIRED_ON_GET = {"(request-target)", "host", "date"}


class SignatureRefused(NotAllowed):
    """A request's signature is missing, malformed, stale or does not verify."""


@dataclass(frozen=True)
class SignatureParts:
    key_id: str
    algorithm: str
    headers: tuple[str, ...]


def signature_parts(header: str) -> SignatureParts:
    """Read a Signature header's fields without trusting any of them yet."""
    parts: dict[str, str] = {}
    for item in header.split(","):
        key, sep, value = item.partition("=")
        if not sep:
            raise SignatureRefused(_("The Signature header is malformed."))
        parts[key.strip()] = value.strip().strip('"')
    if not parts.get("keyId") or not parts.get("signature"):
        raise SignatureRefused(_("The Signature header names no key or carries no signature."))
    return SignatureParts(
        key_id=parts["keyId"],
        algorithm=parts.get("algorithm", "rsa-sha256"),
        headers=tuple(parts.get("headers", "date").lower().split()),
    )


@lru_cache(maxsize=64)
def _private_key(pem: str):
    # Loading checks the key's mathematics (tens of milliseconds): once per key, not per request.
    return serialization.load_pem_private_key(pem.encode(), password=None)


def signed_headers(
    *, method: str, url: str, body: bytes, key_id: str, private_key_pem: str
) -> dict[str, str]:
    """The headers to send: Date, Host, Digest (with a body) and Signature."""
    private_key = _private_key(private_key_pem)
    headers = {"Date": email.utils.formatdate(usegmt=True)}
    if method.upper() != "GET":
        headers["Content-Type"] = "application/activity+json"
    signed = Signer(
        headers=headers,
        private_key=private_key,
        method=method.upper(),
        url=url,
        key_id=key_id,
        body=body,
    ).sign()
    # apsig adds Authorization too; ActivityPub servers read Signature.
    signed.pop("Authorization", None)
    return {key.title(): value for key, value in signed.items()}


def signature_verify(
    *, method: str, url: str, headers: dict[str, str], body: bytes, public_key_pem: str
) -> str:
    """Verify a request; return the key id that signed it, or raise SignatureRefused."""
    lowered = {key.lower(): value for key, value in headers.items()}
    header = lowered.get("signature")
    if not header:
        raise SignatureRefused(_("The request is not signed."))
    parts = signature_parts(header)
    required = REQUIRED_ON_GET if method.upper() == "GET" else REQUIRED_ON_POST
    missing = required - set(parts.headers)
    if missing:
        raise SignatureRefused(
            _("The signature must cover %(headers)s.") % {"headers": ", ".join(sorted(missing))}
        )
    if method.upper() != "GET" and not body:
        raise SignatureRefused(_("A signed post must carry a body."))
    if "date" not in lowered:
        raise SignatureRefused(_("The request has no Date header."))
    try:
        key_id = Verifier(
            public_pem=public_key_pem,
            method=method.upper(),
            url=url,
            headers=lowered,
            body=body,
            clock_skew=CLOCK_SKEW_SECONDS,
        ).verify(raise_on_fail=True)
    except (MissingSignatureError, UnknownSignatureError, VerificationFailedError) as refusal:
        raise SignatureRefused(
            _("The signature does not verify: %(why)s") % {"why": refusal}
        ) from refusal
    except (ValueError, TypeError) as refusal:
        raise SignatureRefused(
            _("The signature cannot be read: %(why)s") % {"why": refusal}
        ) from refusal
    return key_id
