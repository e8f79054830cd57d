"""Signed links to a member's moderation notice, for those who cannot sign in (suspended)."""

from django.core import signing
from django.urls import reverse

SALT = "microsolidarity.moderation.notice"
MAX_AGE = 60 * 24 * 3600


def notice_token(person_id: int) -> str:
    return signing.dumps({"p": person_id}, salt=SALT, compress=True)


def notice_url(person_id: int) -> str:
    return reverse("moderation_notice", args=[notice_token(person_id)])


def notice_token_read(token: str) -> int | None:
    """The person id a link was made for, or None when it is forged or older than MAX_AGE."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    return data["p"]
