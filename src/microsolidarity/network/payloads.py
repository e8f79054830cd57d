"""Every document this instance sends or serves to other servers is built here, and only here.

What may leave: a public congregation (Group actor) and the occurrences of its public,
visible gatherings (Event objects, in the shape Mobilizon and Gancio read). Each builder
checks that rule itself and refuses anything else, so no caller can put a private group,
a members-only gathering or something the hosts hid into a payload by mistake. Never
included: members, names of people, RSVPs, call links, registration answers, contribution
notes, crews, dyads, journals, locations of people.
"""

import hashlib
import json
import uuid

from django.urls import reverse
from django.utils.html import linebreaks
from django.utils.timezone import now

from microsolidarity.errors import NotAllowed
from microsolidarity.gatherings.models import (
    Audience,
    GatheringStatus,
    Mode,
    Occurrence,
    OccurrenceStatus,
)
from microsolidarity.groups.models import Group
from microsolidarity.network.actors import (
    INSTANCE_USERNAME,
    group_actor_uri,
    group_followers_uri,
    group_is_actor,
    instance_actor_uri,
    key_id_for,
    signing_key,
    site_domain,
)
from microsolidarity.network.models import Listing
from microsolidarity.site import absolute_url, site_url

AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",
    {
        "mz": "https://joinmobilizon.org/ns#",
        "ical": "http://www.w3.org/2002/12/cal/ical#",
        "toot": "http://joinmastodon.org/ns#",
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "discoverable": "toot:discoverable",
        "timezone": {"@id": "mz:timezone", "@type": "sc:Text"},
        "sc": "http://schema.org#",
        "isOnline": {"@id": "mz:isOnline", "@type": "sc:Boolean"},
        "joinMode": {"@id": "mz:joinMode", "@type": "mz:joinModeType"},
        "externalParticipationUrl": {"@id": "mz:externalParticipationUrl", "@type": "sc:URL"},
        "commentsEnabled": {"@id": "mz:commentsEnabled", "@type": "sc:Boolean"},
    },
]


class NotShareable(NotAllowed):
    """Something that is not public was about to leave the instance."""


def occurrence_is_shareable(occurrence: Occurrence) -> bool:
    gathering = occurrence.gathering
    return (
        gathering.audience == Audience.PUBLIC
        and gathering.hidden_at is None
        and group_is_actor(gathering.group)
    )


def shareable_occurrences(group: Group, *, limit: int = 200):
    """Upcoming occurrences of this group's shareable gatherings, soonest first."""
    if not group_is_actor(group):
        return Occurrence.objects.none()
    return (
        Occurrence.objects.filter(
            gathering__group=group,
            gathering__audience=Audience.PUBLIC,
            gathering__hidden_at__isnull=True,
            ends_at__gte=now(),
        )
        .select_related("gathering", "gathering__group")
        .order_by("starts_at", "pk")[:limit]
    )


def event_uri(occurrence: Occurrence) -> str:
    return absolute_url(reverse("federation_event", args=[occurrence.pk]))


def _place(occurrence: Occurrence) -> dict | None:
    gathering = occurrence.gathering
    if gathering.mode == Mode.ONLINE:
        return None
    name = ", ".join(part for part in (gathering.place, gathering.town_name) if part)
    if not name:
        return None
    place: dict = {"type": "Place", "name": name}
    # A gathering's town centroid, never the venue's own coordinates.
    if gathering.town_latitude is not None and gathering.town_longitude is not None:
        place["latitude"] = gathering.town_latitude
        place["longitude"] = gathering.town_longitude
    return place


def event_object(occurrence: Occurrence) -> dict:
    if not occurrence_is_shareable(occurrence):
        raise NotShareable("This gathering is not public; it never leaves the instance.")
    gathering = occurrence.gathering
    group = gathering.group
    cancelled = (
        occurrence.status == OccurrenceStatus.CANCELLED
        or gathering.status == GatheringStatus.CANCELLED
    )
    page = absolute_url(occurrence.get_absolute_url())
    document = {
        "id": event_uri(occurrence),
        "type": "Event",
        "name": gathering.title,
        "content": linebreaks(gathering.description) if gathering.description else "",
        "mediaType": "text/html",
        "startTime": occurrence.starts_at.isoformat(),
        "endTime": occurrence.ends_at.isoformat(),
        "timezone": gathering.timezone,
        "url": page,
        "attributedTo": group_actor_uri(group),
        "to": [AS_PUBLIC],
        "cc": [group_followers_uri(group)],
        "published": gathering.created_at.isoformat(),
        "isOnline": gathering.mode in (Mode.ONLINE, Mode.BOTH),
        "ical:status": "CANCELLED" if cancelled else "CONFIRMED",
        # People sign up here: the other server links to the gathering's page.
        "joinMode": "external",
        "externalParticipationUrl": page,
        "commentsEnabled": False,
    }
    place = _place(occurrence)
    if place is not None:
        document["location"] = place
    return document


def event_digest(document: dict) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


def group_actor(group: Group) -> dict:
    if not group_is_actor(group):
        raise NotShareable("This group is not public; it never leaves the instance.")
    uri = group_actor_uri(group)
    listing = Listing.objects.filter(group=group).first()
    document = {
        "@context": CONTEXT,
        "id": uri,
        "type": "Group",
        "preferredUsername": group.slug,
        "name": group.name,
        "summary": linebreaks(group.description) if group.description else "",
        "url": absolute_url(group.get_absolute_url()),
        "inbox": absolute_url(reverse("federation_group_inbox", args=[group.slug])),
        "outbox": absolute_url(reverse("federation_group_outbox", args=[group.slug])),
        "followers": group_followers_uri(group),
        "endpoints": {"sharedInbox": absolute_url(reverse("federation_shared_inbox"))},
        "manuallyApprovesFollowers": True,
        "discoverable": bool(listing and listing.listed),
        "publicKey": {
            "id": key_id_for(uri),
            "owner": uri,
            "publicKeyPem": signing_key(group).public_key_pem,
        },
    }
    if listing is not None and listing.listed and listing.town_name:
        document["location"] = {
            "type": "Place",
            "name": listing.town_name,
            "latitude": listing.town_latitude,
            "longitude": listing.town_longitude,
        }
    return document


def instance_actor() -> dict:
    uri = instance_actor_uri()
    return {
        "@context": CONTEXT,
        "id": uri,
        "type": "Application",
        "preferredUsername": INSTANCE_USERNAME,
        "name": site_domain(),
        "url": site_url() + "/",
        "inbox": absolute_url(reverse("federation_instance_inbox")),
        "outbox": absolute_url(reverse("federation_instance_outbox")),
        "endpoints": {"sharedInbox": absolute_url(reverse("federation_shared_inbox"))},
        "manuallyApprovesFollowers": True,
        "publicKey": {
            "id": key_id_for(uri),
            "owner": uri,
            "publicKeyPem": signing_key(None).public_key_pem,
        },
    }


def create_or_update(occurrence: Occurrence, *, kind: str) -> dict:
    document = event_object(occurrence)
    digest = event_digest(document)
    return {
        "@context": CONTEXT,
        "id": f"{document['id']}#{kind.lower()}-{digest[:16]}",
        "type": kind,
        "actor": document["attributedTo"],
        "object": document,
        "to": document["to"],
        "cc": document["cc"],
        "published": now().isoformat(),
    }


def delete_event(group: Group, uri: str) -> dict:
    """A withdrawn event: it names only the address we shared before, nothing else."""
    actor = group_actor_uri(group)
    return {
        "@context": CONTEXT,
        "id": f"{uri}#delete-{uuid.uuid4().hex[:16]}",
        "type": "Delete",
        "actor": actor,
        "object": {"id": uri, "type": "Tombstone"},
        "to": [AS_PUBLIC],
        "cc": [group_followers_uri(group)],
    }


def follow_answer(group: Group, *, follow: dict, accepted: bool) -> dict:
    actor = group_actor_uri(group)
    kind = "Accept" if accepted else "Reject"
    return {
        "@context": CONTEXT,
        "id": f"{actor}#{kind.lower()}-{uuid.uuid4().hex[:16]}",
        "type": kind,
        "actor": actor,
        "object": {
            "id": follow["id"],
            "type": "Follow",
            "actor": follow["actor"],
            "object": actor,
        },
    }


def follow(remote_uri: str) -> dict:
    actor = instance_actor_uri()
    return {
        "@context": CONTEXT,
        "id": f"{actor}#follow-{uuid.uuid4().hex}",
        "type": "Follow",
        "actor": actor,
        "object": remote_uri,
    }


def undo_follow(follow_id: str, remote_uri: str) -> dict:
    actor = instance_actor_uri()
    return {
        "@context": CONTEXT,
        "id": f"{actor}#undo-{uuid.uuid4().hex[:16]}",
        "type": "Undo",
        "actor": actor,
        "object": {"id": follow_id, "type": "Follow", "actor": actor, "object": remote_uri},
    }


def outbox(group: Group) -> dict:
    items = [create_or_update(o, kind="Create") for o in shareable_occurrences(group, limit=50)]
    return {
        "@context": CONTEXT,
        "id": absolute_url(reverse("federation_group_outbox", args=[group.slug])),
        "type": "OrderedCollection",
        "totalItems": len(items),
        "orderedItems": items,
    }


def followers_collection(group: Group, count: int) -> dict:
    """How many follow, never who: followers are other servers' people."""
    return {
        "@context": CONTEXT,
        "id": group_followers_uri(group),
        "type": "OrderedCollection",
        "totalItems": count,
    }


def webfinger(resource: str, actor_uri: str, profile_url: str) -> dict:
    return {
        "subject": resource,
        "aliases": [actor_uri, profile_url],
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": actor_uri},
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": profile_url,
            },
        ],
    }
