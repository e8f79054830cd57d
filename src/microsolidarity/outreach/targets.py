"""Where outreach may send: https addresses on the public internet, never the site's own network.

A webhook or chat address is typed by a host, and the worker requests it: without this
check a host could make the server fetch addresses inside its own network (SSRF).
Loopback and private addresses are allowed only when `OUTREACH_ALLOW_LOCAL_TARGETS` is on
(a development machine, the tests' local receivers).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from microsolidarity.errors import RuleBroken

DISCORD_HOSTS = {"discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com"}


def local_targets_allowed() -> bool:
    return bool(getattr(settings, "OUTREACH_ALLOW_LOCAL_TARGETS", False))


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise RuleBroken(
            _("The address %(host)s could not be found.") % {"host": host}, field="url"
        ) from error
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def target_check(url: str, *, discord: bool = False) -> str:
    """The address, if outreach may send to it; else a RuleBroken saying why."""
    url = (url or "").strip()
    parts = urlsplit(url)
    local = local_targets_allowed()
    if parts.scheme not in (("https", "http") if local else ("https",)) or not parts.hostname:
        raise RuleBroken(_("Give a full address starting with https://."), field="url")
    if parts.username or parts.password:
        raise RuleBroken(_("Leave names and passwords out of the address."), field="url")
    if (
        discord
        and not local
        and (parts.hostname not in DISCORD_HOSTS or not parts.path.startswith("/api/webhooks/"))
    ):
        raise RuleBroken(
            _(
                "A Discord address looks like https://discord.com/api/webhooks/…: copy it from "
                "the channel's settings, Integrations, Webhooks."
            ),
            field="url",
        )
    if not local:
        for address in _addresses(parts.hostname):
            if not address.is_global:
                raise RuleBroken(
                    _(
                        "This address is inside a private network; outreach sends only to the "
                        "public internet."
                    ),
                    field="url",
                )
    return url
