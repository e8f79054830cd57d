"""Writes of the network app: listings, the map choice, and what operators decide on federation."""

from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups.models import Group, Scale
from microsolidarity.network import payloads
from microsolidarity.network.access import can_manage_listing, can_operate_federation
from microsolidarity.network.delivery import delivery_enqueue
from microsolidarity.network.models import (
    Follower,
    Following,
    FollowState,
    Listing,
    MapChoice,
    RemoteEvent,
    RemoteServer,
)
from microsolidarity.network.publishing import follow_answer_send, follower_backfill
from microsolidarity.network.remote_actors import actor_resolve, server_for
from microsolidarity.people.towns import Town


def _operator(by) -> None:
    if not can_operate_federation(by):
        raise NotAllowed(_("Only the operators of this server decide on federation."))


@transaction.atomic
def listing_save(
    *,
    by,
    group: Group,
    listed: bool,
    meets_online: bool,
    town: Town | None,
    rhythm: str = "",
    contact: str = "",
    federated: bool = True,
) -> Listing:
    """How a congregation shows in the directory; its hosts (and operators) decide."""
    if group.scale != Scale.CONGREGATION:
        raise RuleBroken(_("Only congregations are listed in the network's directory."))
    if not can_manage_listing(by, group):
        raise NotAllowed(_("Only the hosts of %(name)s can change its listing.") % {"name": group})
    if listed and town is None and not meets_online:
        raise RuleBroken(
            _("Say where it meets: a town, or that it meets online, or both."), field="town"
        )
    listing, _created = Listing.objects.get_or_create(group=group)
    listing.listed = listed
    listing.meets_online = meets_online
    listing.town_geonameid = town.geonameid if town else None
    listing.town_name = town.label if town else ""
    listing.town_latitude = town.latitude if town else None
    listing.town_longitude = town.longitude if town else None
    listing.rhythm = rhythm.strip()
    listing.contact = contact.strip()
    listing.federated = federated
    listing.save()
    return listing


@transaction.atomic
def map_choice_set(*, person, on_map: bool) -> bool:
    """Count this person on the map in their town (only where 3 or more chose so), or not."""
    if on_map:
        profile = getattr(person, "profile", None)
        if profile is None or profile.town_geonameid is None:
            raise RuleBroken(
                _("Add your town to your profile first; the map counts people per town.")
            )
        MapChoice.objects.get_or_create(person=person)
        return True
    MapChoice.objects.filter(person=person).delete()
    return False


@transaction.atomic
def follower_approve(*, by, follower: Follower) -> int:
    """Accept a remote follow and send the congregation's upcoming public gatherings."""
    _operator(by)
    follower = (
        Follower.objects.select_for_update().select_related("group", "actor").get(pk=follower.pk)
    )
    if follower.actor.server.is_blocked:
        raise RuleBroken(
            _("%(domain)s is blocked; unblock it first.") % {"domain": follower.actor.server}
        )
    if not payloads.group_is_actor(follower.group):
        raise RuleBroken(
            _("%(name)s is no longer public, so nobody can follow it.") % {"name": follower.group}
        )
    follower.state = FollowState.ACCEPTED
    follower.decided_at = now()
    follower.decided_by = by
    follower.save(update_fields=["state", "decided_at", "decided_by"])
    follow_answer_send(follower=follower, accepted=True)
    return follower_backfill(follower=follower)


@transaction.atomic
def follower_reject(*, by, follower: Follower) -> None:
    _operator(by)
    follower.state = FollowState.REJECTED
    follower.decided_at = now()
    follower.decided_by = by
    follower.save(update_fields=["state", "decided_at", "decided_by"])
    follow_answer_send(follower=follower, accepted=False)


def following_create(*, by, address: str) -> Following:
    """Follow a group on another server (this software, Mobilizon or Gancio) as the instance."""
    _operator(by)
    actor = actor_resolve(address)
    if actor.server.is_blocked:
        raise RuleBroken(_("%(domain)s is blocked; unblock it first.") % {"domain": actor.server})
    # Groups (Mobilizon, this software) and calendars' server actors (Gancio); not people.
    if actor.actor_type not in ("Group", "Organization", "Application", "Service"):
        raise RuleBroken(_("That address is not a group we can follow."))
    with transaction.atomic():
        following = Following.objects.filter(actor=actor).first()
        if following is not None and following.state != FollowState.REJECTED:
            return following
        activity = payloads.follow(actor.uri)
        if following is None:
            following = Following.objects.create(
                actor=actor, follow_id=activity["id"], created_by=by
            )
        else:
            following.follow_id = activity["id"]
            following.state = FollowState.PENDING
            following.save(update_fields=["follow_id", "state"])
        delivery_enqueue(inbox=actor.inbox, activity=activity, signer=None)
    return following


@transaction.atomic
def following_remove(*, by, following: Following) -> None:
    _operator(by)
    delivery_enqueue(
        inbox=following.actor.inbox,
        activity=payloads.undo_follow(following.follow_id, following.actor.uri),
        signer=None,
    )
    RemoteEvent.objects.filter(actor=following.actor).delete()
    following.delete()


@transaction.atomic
def server_block(*, by, domain: str, reason: str = "") -> RemoteServer:
    """Refuse everything from a server and send it nothing; forget what it told us."""
    _operator(by)
    domain = domain.strip().lower()
    if not domain or "/" in domain or " " in domain:
        raise RuleBroken(_("Write the server's domain, like events.example.org."), field="domain")
    server = server_for(domain)
    server.blocked_at = now()
    server.blocked_reason = reason.strip()[:300]
    server.save(update_fields=["blocked_at", "blocked_reason"])
    Follower.objects.filter(actor__server=server).delete()
    Following.objects.filter(actor__server=server).delete()
    RemoteEvent.objects.filter(actor__server=server).delete()
    return server


@transaction.atomic
def server_unblock(*, by, server: RemoteServer) -> RemoteServer:
    _operator(by)
    server.blocked_at = None
    server.blocked_reason = ""
    server.save(update_fields=["blocked_at", "blocked_reason"])
    return server
