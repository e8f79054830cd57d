"""The site's public address, and links built on it (emails, feeds, federation).

SITE_URL is read when a link is built, never at import time, so a test or a server that
sets it (`make run` on another port) is followed everywhere.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_url() -> str:
    """The public address without a trailing slash, e.g. 'https://community.example.org'."""
    return str(getattr(settings, "SITE_URL", "")).rstrip("/")


def absolute_url(path: str) -> str:
    """`path` (as `reverse()` or `get_absolute_url()` give it) as a full address."""
    return site_url() + path


# Names that all mean this machine: a SITE_URL with one and a server on another still agree.
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ANY_ADDRESS = {"0.0.0.0", "::"}  # noqa: S104 (compared with, never bound)


def _host_port(addrport: str) -> tuple[str, str]:
    host, _, port = addrport.rpartition(":")
    if not port.isdigit():
        return addrport.strip("[]") or "127.0.0.1", "8000"
    # runserver's own default host, for an address that is only a port.
    return host.strip("[]") or "127.0.0.1", port


def served_url(addrport: str) -> str:
    """The address a development server started with `addrport` ('8000', '127.0.0.1:8000',
    '[::1]:8000', '0.0.0.0:8000') answers at, as links should write it."""
    host, port = _host_port(addrport)
    if host in _ANY_ADDRESS:
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def site_url_disagrees(given: str, addrport: str) -> bool:
    """True when links built on the SITE_URL `given` would not reach a server started with
    `addrport` (a server on every address is reached by any name, on its port)."""
    mine = urlsplit(given)
    host, port = _host_port(addrport)
    if (mine.port or _DEFAULT_PORTS.get(mine.scheme)) != int(port):
        return True
    if host in _ANY_ADDRESS:
        return False
    hosts = {mine.hostname or "", host}
    return len(hosts) > 1 and not hosts <= _LOOPBACK
