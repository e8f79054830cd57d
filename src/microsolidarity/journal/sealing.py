"""Sealing journal text at rest: AES-256-GCM with keys derived from the server's secret settings.

The key is HKDF-SHA256 over `JOURNAL_KEY` when it is set, else over `SECRET_KEY`
(see docs/decisions/0006-journal-encryption.md). Older keys (`JOURNAL_KEY_FALLBACKS`,
else `SECRET_KEY_FALLBACKS`) still open what they sealed, so keys can be rotated.
A sealed value is `v1.<key id>.<base64url(nonce + ciphertext + tag)>`; the author's id
is the associated data, so a sealed value moved to another person's row does not open.

Nothing here ever puts plain text into an exception or a log line.
"""

import base64
import hashlib
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = "v1"
_INFO = b"microsolidarity journal v1"
_SALT = b"microsolidarity.journal"


class SealBroken(Exception):
    """A sealed value could not be opened (wrong key or altered); it carries no content."""


def _secrets() -> list[str]:
    primary = getattr(settings, "JOURNAL_KEY", "") or ""
    if primary:
        fallbacks = list(getattr(settings, "JOURNAL_KEY_FALLBACKS", []) or [])
    else:
        primary = settings.SECRET_KEY
        fallbacks = list(getattr(settings, "SECRET_KEY_FALLBACKS", []) or [])
    if not primary:
        raise ImproperlyConfigured("The journal needs JOURNAL_KEY or SECRET_KEY to be set.")
    return [primary, *fallbacks]


@lru_cache(maxsize=8)
def _derive(secret: str) -> tuple[str, AESGCM]:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(secret.encode())
    key_id = hashlib.sha256(b"key id" + key).hexdigest()[:8]
    return key_id, AESGCM(key)


def _keys() -> list[tuple[str, AESGCM]]:
    return [_derive(secret) for secret in _secrets()]


def _context(author_id: int, purpose: str) -> bytes:
    # A purpose other than the journal's own rows (a kept rendering of a page) is sealed
    # apart: what is sealed for one never opens as the other.
    return f"journal:{author_id}".encode() + (f":{purpose}".encode() if purpose else b"")


def seal(text: str, *, author_id: int, purpose: str = "") -> str:
    """Encrypt `text` for this author with the current key; empty text stays empty."""
    if text == "":
        return ""
    key_id, cipher = _keys()[0]
    nonce = os.urandom(12)
    sealed = cipher.encrypt(nonce, text.encode(), _context(author_id, purpose))
    body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    return f"{VERSION}.{key_id}.{body}"


def open_sealed(value: str, *, author_id: int, purpose: str = "") -> str:
    """Decrypt a value made by `seal`, trying the current key and then the fallbacks."""
    if value == "":
        return ""
    try:
        version, key_id, body = value.split(".", 2)
    except ValueError:
        raise SealBroken("This journal value is not in a sealed form.") from None
    if version != VERSION:
        raise SealBroken("This journal value was sealed by an unknown version.")
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError:
        raise SealBroken("This journal value is damaged.") from None
    nonce, sealed = raw[:12], raw[12:]
    for candidate_id, cipher in _keys():
        if candidate_id != key_id:
            continue
        try:
            return cipher.decrypt(nonce, sealed, _context(author_id, purpose)).decode()
        except InvalidTag:
            break
    raise SealBroken("A journal value could not be opened: the key or the row does not match.")


def needs_reseal(value: str) -> bool:
    """True when the value was sealed with another key than the current one (see
    `journal_reseal`)."""
    return bool(value) and value.split(".", 2)[1:2] != [current_key_id()]


def current_key_id() -> str:
    return _keys()[0][0]
