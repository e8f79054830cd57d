"""Inbound activities: verified first, then each kind handled by one small function.

Order matters: the size and rate limits are checked by the view before anything else; here a
blocked server is refused before any request goes out to it, the signature is verified with
the key its actor publishes (fetched once, fetched again once if the key changed), and the
activity must come from the actor that signed it. Only then is anything stored.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve
from django.utils.dateparse import parse_datetime
from django.utils.timezone import now
from django.utils.translation import gettext as _

from microsolidarity.errors import DomainError, NotAllowed
from microsolidarity.groups.models import Group
from microsolidarity.network.actors import group_is_actor, site_domain
from microsolidarity.network.models import (
    Follower,
    Following,
    FollowState,
    InboundActivity,
    RemoteActor,
    RemoteEvent,
)
from microsolidarity.network.publishing import follow_answer_send
from microsolidarity.network.remote_actors import (
    actor_for_key,
    domain_of,
    is_blocked,
    plain_text,
    signed_get,
)
from microsolidarity.network.remote_http import RemoteRefused
from microsolidarity.network.signatures import SignatureRefused, signature_parts, signature_verify


class Blocked(NotAllowed):
    """The sending server is blocked here."""


class Unprocessable(DomainError):
    """The activity is well signed but makes no sense here."""


@dataclass(frozen=True)
class Inbound:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes


def sender_verify(request: Inbound) -> RemoteActor:
    """The remote actor that signed this request, or raise."""
    header = {k.lower(): v for k, v in request.headers.items()}.get("signature", "")
    if not header:
        raise SignatureRefused(_("The request is not signed."))
    parts = signature_parts(header)
    domain = domain_of(parts.key_id)
    if not domain:
        raise SignatureRefused(_("The key id is not an address."))
    if is_blocked(domain):
        raise Blocked(_("%(domain)s is blocked here.") % {"domain": domain})
    try:
        actor = actor_for_key(parts.key_id)
    except RemoteRefused as refusal:
        raise SignatureRefused(
            _("The signing key cannot be fetched: %(why)s") % {"why": refusal.message}
        ) from refusal
    try:
        signature_verify(
            method=request.method,
            url=request.url,
            headers=request.headers,
            body=request.body,
            public_key_pem=actor.public_key_pem,
        )
    except SignatureRefused:
        # The actor may have rotated its key since we stored it: look once more.
        try:
            actor = actor_for_key(parts.key_id, refresh=True)
        except RemoteRefused as refusal:
            raise SignatureRefused(
                _("The signing key cannot be fetched: %(why)s") % {"why": refusal.message}
            ) from refusal
        signature_verify(
            method=request.method,
            url=request.url,
            headers=request.headers,
            body=request.body,
            public_key_pem=actor.public_key_pem,
        )
    return actor


def _id_of(value) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def local_group_for(uri: str) -> Group | None:
    """The congregation a local actor address names, if it is one that federates."""

    parts = urlsplit(uri)
    if parts.netloc != site_domain():
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.url_name != "federation_group":
        return None
    group = Group.objects.filter(slug=match.kwargs["slug"]).first()
    return group if group is not None and group_is_actor(group) else None


def activity_receive(*, sender: RemoteActor, activity: dict) -> str:
    """Handle one verified activity; return what was done, in a word, for the log and tests."""
    if _id_of(activity.get("actor")) != sender.uri:
        raise NotAllowed(_("An activity must come from the actor that signed it."))
    activity_id = activity.get("id")
    if not isinstance(activity_id, str) or domain_of(activity_id) != sender.server.domain:
        raise Unprocessable(_("The activity has no id on its own server."))
    kind = activity.get("type")
    try:
        with transaction.atomic():
            InboundActivity.objects.create(
                activity_id=activity_id[:500], actor=sender, activity_type=str(kind)[:40]
            )
    except IntegrityError:
        return "repeated"
    handler = HANDLERS.get(str(kind))
    if handler is None:
        return "ignored"
    return handler(sender, activity)


def _follow(sender: RemoteActor, activity: dict) -> str:
    group = local_group_for(_id_of(activity.get("object")))
    if group is None:
        raise Unprocessable(_("There is no public congregation at that address to follow."))
    follower, created = Follower.objects.get_or_create(
        group=group, actor=sender, defaults={"follow_id": activity["id"][:500]}
    )
    if not created:
        follower.follow_id = activity["id"][:500]
        follower.save(update_fields=["follow_id"])
        if follower.state == FollowState.ACCEPTED:
            # They asked again (perhaps they lost our Accept): answer again.
            follow_answer_send(follower=follower, accepted=True)
            return "accepted-again"
    return "pending"


def _undo(sender: RemoteActor, activity: dict) -> str:
    inner = activity.get("object")
    if not isinstance(inner, dict) or inner.get("type") != "Follow":
        return "ignored"
    group = local_group_for(_id_of(inner.get("object")))
    deleted, _rows = (
        Follower.objects.filter(actor=sender, group=group).delete() if group else (0, {})
    )
    return "unfollowed" if deleted else "ignored"


def _answer(sender: RemoteActor, activity: dict, *, accepted: bool) -> str:
    follow_id = _id_of(activity.get("object"))
    following = Following.objects.filter(follow_id=follow_id, actor=sender).first()
    if following is None:
        following = Following.objects.filter(actor=sender, state=FollowState.PENDING).first()
    if following is None:
        return "ignored"
    following.state = FollowState.ACCEPTED if accepted else FollowState.REJECTED
    following.accepted_at = now() if accepted else None
    following.save(update_fields=["state", "accepted_at"])
    if accepted:
        transaction.on_commit(lambda: following_backfill(following_id=following.pk))
    return "following" if accepted else "refused"


def _followed_group_for(sender: RemoteActor, event: dict) -> RemoteActor | None:
    """The followed group an event belongs to: sent by the group itself, or by one of its
    members on the same server (as Mobilizon does), never by a stranger elsewhere."""
    candidates = {sender.uri, _id_of(event.get("attributedTo"))}
    for uri in candidates:
        following = (
            Following.objects.filter(actor__uri=uri, state=FollowState.ACCEPTED)
            .select_related("actor__server")
            .first()
        )
        if following is not None and following.actor.server_id == sender.server_id:
            return following.actor
    return None


def _time(value) -> datetime | None:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def event_store(*, group: RemoteActor, event: dict) -> RemoteEvent:
    uri = _id_of(event)
    if not uri or domain_of(uri) != group.server.domain:
        raise Unprocessable(_("The event has no address on its own server."))
    starts_at = _time(event.get("startTime"))
    if starts_at is None:
        raise Unprocessable(_("The event has no start time with a time zone."))
    ends_at = _time(event.get("endTime"))
    found = event.get("location")
    location: dict = found if isinstance(found, dict) else {}
    place = location.get("name") if isinstance(location.get("name"), str) else ""
    address = location.get("address")
    if not place and isinstance(address, dict):
        place = ", ".join(
            str(address.get(k)) for k in ("streetAddress", "addressLocality") if address.get(k)
        )
    url = event.get("url")
    if isinstance(url, list):
        url = next((u.get("href") if isinstance(u, dict) else u for u in url), "")
    status = str(event.get("ical:status") or event.get("status") or "").upper()
    fields = {
        "actor": group,
        "name": plain_text(str(event.get("name") or ""), limit=300) or _("Untitled"),
        "summary": plain_text(str(event.get("content") or event.get("summary") or ""), limit=8000),
        "url": url if isinstance(url, str) and url.startswith(("https://", "http://")) else "",
        "starts_at": starts_at,
        "ends_at": ends_at if ends_at and ends_at > starts_at else None,
        "timezone": str(event.get("timezone") or "")[:64],
        "is_online": bool(event.get("isOnline")),
        "place": plain_text(str(place or ""), limit=300),
        "cancelled": status == "CANCELLED",
        "updated_at": now(),
    }
    stored, _created = RemoteEvent.objects.update_or_create(uri=uri[:500], defaults=fields)
    return stored


def _create_or_update(sender: RemoteActor, activity: dict) -> str:
    event = activity.get("object")
    if not isinstance(event, dict) or event.get("type") != "Event":
        return "ignored"
    group = _followed_group_for(sender, event)
    if group is None:
        return "ignored"
    event_store(group=group, event=event)
    return "stored"


def _announce(sender: RemoteActor, activity: dict) -> str:
    inner = activity.get("object")
    if isinstance(inner, dict) and inner.get("type") in ("Create", "Update"):
        inner = inner.get("object")
    if not isinstance(inner, dict) or inner.get("type") != "Event":
        return "ignored"
    group = _followed_group_for(sender, inner)
    if group is None:
        return "ignored"
    event_store(group=group, event=inner)
    return "stored"


def _delete(sender: RemoteActor, activity: dict) -> str:
    uri = _id_of(activity.get("object"))
    if not uri or domain_of(uri) != sender.server.domain:
        return "ignored"
    if uri == sender.uri:
        # The actor itself is gone: forget what it told us.
        Following.objects.filter(actor=sender).delete()
        Follower.objects.filter(actor=sender).delete()
        RemoteEvent.objects.filter(actor=sender).delete()
        return "actor-deleted"
    deleted, _rows = RemoteEvent.objects.filter(uri=uri, actor__server=sender.server).delete()
    return "deleted" if deleted else "ignored"


HANDLERS = {
    "Follow": _follow,
    "Undo": _undo,
    "Accept": lambda sender, activity: _answer(sender, activity, accepted=True),
    "Reject": lambda sender, activity: _answer(sender, activity, accepted=False),
    "Create": _create_or_update,
    "Update": _create_or_update,
    "Announce": _announce,
    "Delete": _delete,
}


# What a newly followed group's outbox may add at once.
BACKFILL_LIMIT = 100


def following_backfill(*, following_id: int) -> int:
    """Once a remote group accepts us, read its outbox for what is already announced."""
    following = Following.objects.select_related("actor__server").filter(pk=following_id).first()
    if following is None or following.state != FollowState.ACCEPTED or not following.actor.outbox:
        return 0
    try:
        outbox = signed_get(following.actor.outbox)
        items = outbox.get("orderedItems")
        if items is None and isinstance(outbox.get("first"), str):
            items = signed_get(outbox["first"]).get("orderedItems")
        elif items is None and isinstance(outbox.get("first"), dict):
            items = outbox["first"].get("orderedItems")
    except RemoteRefused:
        return 0
    stored = 0
    for item in (items if isinstance(items, list) else [])[:BACKFILL_LIMIT]:
        event = (
            item.get("object")
            if isinstance(item, dict) and item.get("type") in ("Create", "Update")
            else item
        )
        if not isinstance(event, dict) or event.get("type") != "Event":
            continue
        if domain_of(str(event.get("id", ""))) != following.actor.server.domain:
            continue
        try:
            event_store(group=following.actor, event=event)
            stored += 1
        except Unprocessable:
            continue
    return stored
