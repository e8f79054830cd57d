"""One HTTP request out, with its result as people read it: a status code or what went wrong."""

import time
from dataclasses import dataclass

import httpx
from django.utils.translation import gettext as _

from microsolidarity.errors import DomainError
from microsolidarity.outreach.targets import target_check

TIMEOUT_SECONDS = 10
USER_AGENT = "microsolidarity-outreach/1"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int
    body: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def retryable(self) -> bool:
        """Worth trying again: the receiver was down, busy or unreachable."""
        if self.status_code is None:
            return True
        return self.status_code in (408, 425, 429) or self.status_code >= 500

    def describe(self) -> str:
        if self.ok:
            return _("Delivered (HTTP %(code)s).") % {"code": self.status_code}
        if self.status_code is not None:
            return _("The receiver answered HTTP %(code)s.") % {"code": self.status_code}
        return _("Could not reach the receiver: %(error)s") % {"error": self.error}


def send(
    method: str,
    url: str,
    *,
    content: bytes,
    headers: dict[str, str],
    discord: bool = False,
    transport: httpx.BaseTransport | None = None,
) -> Outcome:
    """Send once, never following redirects (a redirect could lead into a private network)."""
    started = time.monotonic()
    try:
        target_check(url, discord=discord)
    except DomainError as error:
        return Outcome(None, error.message[:300], 0)
    headers = {"User-Agent": USER_AGENT, "Content-Type": "application/json", **headers}
    try:
        with httpx.Client(
            timeout=TIMEOUT_SECONDS, follow_redirects=False, transport=transport
        ) as client:
            response = client.request(method, url, content=content, headers=headers)
    except httpx.HTTPError as error:
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(None, (str(error) or type(error).__name__)[:300], elapsed)
    elapsed = int((time.monotonic() - started) * 1000)
    return Outcome(response.status_code, "", elapsed, response.text[:300])
