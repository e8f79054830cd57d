"""Requests to other servers, refusing private addresses: the one door federation goes out by.

A remote server chooses the addresses we fetch (its actor's inbox, its keys), so each one is
resolved before it is used and refused when any address it resolves to is private, loopback,
link-local or otherwise not global, unless it falls in FEDERATION_ALLOW_PRIVATE_NETWORKS (for
tests and a private network of instances; empty in production). Plain http is only allowed to
those allow-listed networks. Redirects are not followed; answers are capped in size and time.
"""

import ipaddress
import json
import socket
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from microsolidarity.errors import DomainError
from microsolidarity.site import site_url

ACTIVITY_TYPES = ("application/activity+json", "application/ld+json", "application/json")
ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


class RemoteRefused(DomainError):
    """We will not, or could not, talk to that server."""


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(net, strict=False)
        for net in settings.FEDERATION_ALLOW_PRIVATE_NETWORKS
    ]


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise RemoteRefused(
            _("%(host)s cannot be found (%(why)s).") % {"host": host, "why": error}
        ) from error
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def destination_check(url: str) -> None:
    """Refuse a URL that is not http(s), or that leads to a private address not allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise RemoteRefused(
            _("Only http and https addresses can be reached: %(url)s") % {"url": url}
        )
    port = parts.port or (443 if parts.scheme == "https" else 80)
    allowed = _allowed_networks()
    for address in _addresses(parts.hostname, port):
        in_allow_list = any(address in network for network in allowed)
        if not address.is_global and not in_allow_list:
            raise RemoteRefused(
                _("%(host)s leads to a private address; federation only talks to public servers.")
                % {"host": parts.hostname}
            )
        if parts.scheme == "http" and not in_allow_list:
            raise RemoteRefused(
                _("%(host)s must be reached over https.") % {"host": parts.hostname}
            )


def _client() -> httpx.Client:
    return httpx.Client(
        timeout=settings.FEDERATION_TIMEOUT_SECONDS,
        follow_redirects=False,
        headers={"User-Agent": f"microsolidarity (+{site_url()})"},
    )


def _read_capped(response: httpx.Response) -> bytes:
    limit = settings.FEDERATION_MAX_BODY_BYTES
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise RemoteRefused(
                _("The answer is larger than we accept (%(n)s bytes).") % {"n": limit}
            )
        chunks.append(chunk)
    return b"".join(chunks)


def get_json(url: str, *, headers: dict[str, str] | None = None) -> dict:
    """GET an ActivityPub document (or a WebFinger answer)."""
    destination_check(url)
    try:
        with (
            _client() as client,
            client.stream("GET", url, headers={"Accept": ACCEPT, **(headers or {})}) as response,
        ):
            if response.status_code != 200:
                raise RemoteRefused(
                    _("%(url)s answered %(status)s.") % {"url": url, "status": response.status_code}
                )
            body = _read_capped(response)
    except httpx.HTTPError as error:
        raise RemoteRefused(
            _("%(url)s could not be reached (%(why)s).") % {"url": url, "why": error}
        ) from error
    try:
        document = json.loads(body)
    except ValueError:
        raise RemoteRefused(_("%(url)s did not answer with JSON.") % {"url": url}) from None
    if not isinstance(document, dict):
        raise RemoteRefused(_("%(url)s did not answer with a JSON object.") % {"url": url})
    return document


def post(url: str, *, body: bytes, headers: dict[str, str]) -> int:
    """POST a signed activity; return the status code."""
    destination_check(url)
    try:
        with (
            _client() as client,
            client.stream("POST", url, content=body, headers=headers) as response,
        ):
            # Read (and cap) whatever came back, so the connection closes cleanly.
            _read_capped(response)
            return response.status_code
    except httpx.HTTPError as error:
        raise RemoteRefused(
            _("%(url)s could not be reached (%(why)s).") % {"url": url, "why": error}
        ) from error
