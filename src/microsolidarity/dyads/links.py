"""Signed one-click links in pairing emails: "we met" and "we couldn't" without signing in."""

from django.core import signing
from django.urls import reverse

from microsolidarity.dyads.models import Outcome

SALT = "microsolidarity.dyads.outcome"
MAX_AGE = 60 * 24 * 3600


def outcome_token(member_id: int, outcome: str) -> str:
    return signing.dumps({"m": member_id, "o": outcome}, salt=SALT, compress=True)


def outcome_url(member_id: int, outcome: str) -> str:
    return reverse("dyads_outcome_link", args=[outcome_token(member_id, outcome)])


def outcome_token_read(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("o") not in (Outcome.MET, Outcome.COULD_NOT):
        return None
    return int(data["m"]), data["o"]
