"""How API tokens are stored: a keyed hash, fast enough to check on every API call.

A token is 32 random bytes, so it needs no slow password hasher against guessing; what a
stolen database must not give is a way to test tokens offline, hence HMAC-SHA256 keyed from
SECRET_KEY. The HMAC is taken over the token's SHA-256 (what was stored before keys), so the
migration 0002 could rehash every stored token without knowing any of them.
"""

import hashlib

from django.conf import settings
from django.utils.crypto import salted_hmac

_KEY_SALT = "microsolidarity.people.ApiToken"


def token_digest_keyed(sha256_hex: str, *, secret: str | None = None) -> str:
    """The stored form of a token whose plain SHA-256 is `sha256_hex` (64 hex characters)."""
    return salted_hmac(_KEY_SALT, sha256_hex, secret=secret, algorithm="sha256").hexdigest()


def token_digest(raw: str) -> str:
    """What is stored for a token made now, under the current SECRET_KEY."""
    return token_digest_keyed(hashlib.sha256(raw.encode()).hexdigest())


def token_digests_accepted(raw: str) -> list[str]:
    """The current key's digest first, then one per SECRET_KEY_FALLBACKS (a key rotation)."""
    inner = hashlib.sha256(raw.encode()).hexdigest()
    return [token_digest_keyed(inner)] + [
        token_digest_keyed(inner, secret=old) for old in settings.SECRET_KEY_FALLBACKS
    ]
