"""The site's public address, and links built on it (emails, feeds, federation).

SITE_URL is read when a link is built, never at import time, so a test or a server that
sets it (`make run` on another port) is followed everywhere.
"""

from django.conf import settings


def site_url() -> str:
    """The public address without a trailing slash, e.g. 'https://community.example.org'."""
    return str(getattr(settings, "SITE_URL", "")).rstrip("/")


def absolute_url(path: str) -> str:
    """`path` (as `reverse()` or `get_absolute_url()` give it) as a full address."""
    return site_url() + path
