"""Remote actors: fetched from their own server, checked, and kept with their public key."""

from urllib.parse import urlsplit

import nh3
from django.utils.timezone import now
from django.utils.translation import gettext as _

from microsolidarity.network.actors import instance_actor_uri, key_id_for, signing_key
from microsolidarity.network.models import RemoteActor, RemoteServer
from microsolidarity.network.remote_http import RemoteRefused, get_json
from microsolidarity.network.signatures import signed_headers

ACTOR_TYPES = ("Person", "Group", "Organization", "Application", "Service")


def domain_of(uri: str) -> str:
    return urlsplit(uri).netloc.lower()


def plain_text(html: str, *, limit: int) -> str:
    """Remote text is HTML from a stranger: keep only its words."""
    return nh3.clean(html or "", tags=set()).strip()[:limit]


def server_for(domain: str) -> RemoteServer:
    server, _created = RemoteServer.objects.get_or_create(domain=domain.lower())
    return server


def is_blocked(domain: str) -> bool:
    return RemoteServer.objects.filter(domain=domain.lower(), blocked_at__isnull=False).exists()


def signed_get(url: str) -> dict:
    """Fetch as our instance actor, for servers that only answer signed requests."""
    key = signing_key(None)
    headers = signed_headers(
        method="GET",
        url=url,
        body=b"",
        key_id=key_id_for(instance_actor_uri()),
        private_key_pem=key.private_key_pem,
    )
    return get_json(url, headers=headers)


def actor_fetch(uri: str) -> RemoteActor:
    """Fetch an actor document and store it; refuse one that does not hold together."""
    uri = uri.split("#", 1)[0]
    domain = domain_of(uri)
    if is_blocked(domain):
        raise RemoteRefused(_("%(domain)s is blocked here.") % {"domain": domain})
    document = signed_get(uri)
    actor_id = document.get("id")
    if not isinstance(actor_id, str) or domain_of(actor_id) != domain:
        raise RemoteRefused(
            _("The actor at %(uri)s names another server as its home.") % {"uri": uri}
        )
    key = document.get("publicKey") or {}
    if isinstance(key, list):
        key = next((k for k in key if isinstance(k, dict)), {})
    pem, key_id = key.get("publicKeyPem"), key.get("id")
    if not isinstance(pem, str) or not isinstance(key_id, str) or domain_of(key_id) != domain:
        raise RemoteRefused(_("The actor at %(uri)s has no usable public key.") % {"uri": uri})
    if key.get("owner", actor_id) != actor_id:
        raise RemoteRefused(_("The key of %(uri)s belongs to someone else.") % {"uri": uri})
    inbox = document.get("inbox")
    if not isinstance(inbox, str):
        raise RemoteRefused(_("The actor at %(uri)s has no inbox.") % {"uri": uri})
    endpoints = document.get("endpoints") if isinstance(document.get("endpoints"), dict) else {}
    actor_type = document.get("type") if document.get("type") in ACTOR_TYPES else "Person"

    def text(name: str, limit: int) -> str:
        value = document.get(name)
        return value[:limit] if isinstance(value, str) else ""

    url = document.get("url")
    if isinstance(url, list):
        url = next((u for u in url if isinstance(u, str)), "")
    fields = {
        "server": server_for(domain),
        "actor_type": actor_type,
        "preferred_username": text("preferredUsername", 200),
        "name": plain_text(text("name", 300), limit=300),
        "summary": plain_text(text("summary", 8000), limit=4000),
        "url": url if isinstance(url, str) and url.startswith(("https://", "http://")) else "",
        "inbox": inbox,
        "shared_inbox": endpoints.get("sharedInbox", "")
        if isinstance(endpoints.get("sharedInbox"), str)
        else "",
        "outbox": text("outbox", 500),
        "key_id": key_id,
        "public_key_pem": pem[:10000],
        "fetched_at": now(),
    }
    # A key id moves with its actor: drop a stale row that claimed this key.
    RemoteActor.objects.filter(key_id=key_id).exclude(uri=actor_id).delete()
    actor, _created = RemoteActor.objects.update_or_create(uri=actor_id, defaults=fields)
    return actor


def actor_for_key(key_id: str, *, refresh: bool = False) -> RemoteActor:
    """The actor whose key this is, fetched on first sight (or when asked to refresh)."""
    if not refresh:
        known = RemoteActor.objects.select_related("server").filter(key_id=key_id).first()
        if known is not None:
            return known
    actor = actor_fetch(key_id)
    if actor.key_id != key_id:
        raise RemoteRefused(_("That key does not belong to the actor it points to."))
    return actor


def actor_resolve(address: str) -> RemoteActor:
    """An actor from a handle (group@server.example) or its address (https://...)."""
    address = address.strip()
    if address.startswith(("https://", "http://")):
        return actor_fetch(address)
    handle = address.lstrip("@")
    user, sep, host = handle.partition("@")
    if not sep or not user or not host:
        raise RemoteRefused(
            _(
                "Write a handle like group@server.example, or the group's address starting with https://."
            )
        )
    resource = f"acct:{user}@{host}"
    answer = None
    for scheme in ("https", "http"):
        try:
            answer = get_json(f"{scheme}://{host}/.well-known/webfinger?resource={resource}")
            break
        except RemoteRefused:
            if scheme == "http":
                raise
    links = answer.get("links") if isinstance(answer.get("links"), list) else []
    for link in links:
        if (
            isinstance(link, dict)
            and link.get("rel") == "self"
            and "json" in str(link.get("type", ""))
            and isinstance(link.get("href"), str)
        ):
            return actor_fetch(link["href"])
    raise RemoteRefused(_("%(handle)s did not tell us where its actor lives.") % {"handle": handle})
