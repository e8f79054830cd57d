"""What leaves the site: event payloads built from public fields only, as nobody signed in sees.

Every outbound thing (a webhook body, a chat post) is built here, from a fresh row, through
the owning app's own visibility rule asked for an anonymous viewer. Content of crews, dyads
and members-only groups or gatherings, what hosts hid, and any person's name, email, call
link or exact place never appear. A crew call is members-only on the site, so its event says
only that a call is open, how often it meets and how big a crew it wants: never its
intention, its text or its caller.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q

from microsolidarity.crewing.models import CallStatus, CrewCall
from microsolidarity.gatherings import access as gathering_access
from microsolidarity.gatherings.models import Gathering, GatheringStatus, Occurrence, RsvpState
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group, Membership, Scale
from microsolidarity.site import absolute_url

GATHERING_CREATED = "gathering.created"
GATHERING_UPDATED = "gathering.updated"
GATHERING_CANCELLED = "gathering.cancelled"
RSVP_COUNTS = "gathering.rsvp_counts"
CREW_CALL_OPENED = "crew_call.opened"
MEMBER_JOINED = "member.joined"
TEST_EVENT = "test.ping"

EVENT_TYPES = (
    GATHERING_CREATED,
    GATHERING_UPDATED,
    GATHERING_CANCELLED,
    RSVP_COUNTS,
    CREW_CALL_OPENED,
    MEMBER_JOINED,
)
# Scales whose public content may leave the site; a crew's or a dyad's never does.
OUTWARD_SCALES = (Scale.CONGREGATION, Scale.NETWORK)
DESCRIPTION_LIMIT = 1000


def _nobody() -> AnonymousUser:
    return AnonymousUser()


def group_is_outward(group: Group | None) -> bool:
    """A public congregation or network: the only groups whose news may leave the site."""
    return (
        group is not None
        and group.scale in OUTWARD_SCALES
        and group_access.group_visible(_nobody(), group)
    )


def group_summary(group: Group) -> dict:
    return {
        "slug": group.slug,
        "name": group.name,
        "scale": group.scale,
        "url": absolute_url(group.get_absolute_url()),
    }


def gathering_is_outward(gathering: Gathering) -> bool:
    return group_is_outward(gathering.group) and gathering_access.gathering_visible(
        _nobody(), gathering
    )


def gathering_payload(gathering: Gathering) -> dict | None:
    """A public gathering as anyone sees it, minus its call link and exact place."""
    if not gathering_is_outward(gathering):
        return None
    return {
        "id": gathering.pk,
        "slug": gathering.slug,
        "title": gathering.title,
        "description": gathering.description[:DESCRIPTION_LIMIT],
        "kind": gathering.kind,
        "mode": gathering.mode,
        "town": gathering.town_name,
        "starts_at": gathering.starts_at.isoformat(),
        "ends_at": gathering.ends_at.isoformat(),
        "timezone": gathering.timezone,
        "recurrence": gathering.recurrence,
        "capacity": gathering.capacity,
        "cancelled": gathering.status == GatheringStatus.CANCELLED,
        "url": absolute_url(gathering.get_absolute_url()),
        "group": group_summary(gathering.group),
    }


def rsvp_counts_payload(occurrence: Occurrence) -> dict | None:
    """How many go and wait, never who."""
    gathering = occurrence.gathering
    if not gathering_is_outward(gathering):
        return None
    counts = occurrence.rsvps.aggregate(
        going=Count("pk", filter=Q(state=RsvpState.GOING)),
        waitlisted=Count("pk", filter=Q(state=RsvpState.WAITLISTED)),
    )
    return {
        "occurrence_id": occurrence.pk,
        "starts_at": occurrence.starts_at.isoformat(),
        "going": counts["going"],
        "waitlisted": counts["waitlisted"],
        "capacity": gathering.capacity,
        "gathering": {
            "id": gathering.pk,
            "slug": gathering.slug,
            "title": gathering.title,
            "url": absolute_url(gathering.get_absolute_url()),
        },
        "group": group_summary(gathering.group),
    }


def crew_call_payload(call: CrewCall) -> dict | None:
    """That a crew call is open in a public congregation; its words stay with the members."""
    if call.status != CallStatus.OPEN or call.hidden_at is not None:
        return None
    if not group_is_outward(call.congregation) or call.congregation.scale != Scale.CONGREGATION:
        return None
    return {
        "id": call.pk,
        "rhythm": call.rhythm,
        "meeting_minutes": call.meeting_minutes,
        "size_min": call.size_min,
        "size_max": call.size_max,
        "url": absolute_url(call.get_absolute_url()),
        "group": group_summary(call.congregation),
    }


def member_joined_payload(membership: Membership) -> dict | None:
    """A count for the hosts' tools: someone joined, never who."""
    if membership.state not in Membership.MEMBER_STATES or not group_is_outward(membership.group):
        return None
    count = Membership.objects.filter(
        group_id=membership.group_id, state__in=Membership.MEMBER_STATES
    ).count()
    return {
        "membership_id": membership.pk,
        "joined_via": membership.joined_via,
        "tier": membership.tier,
        "member_count": count,
        "group": group_summary(membership.group),
    }


def payload_for(event_type: str, object_id: int) -> tuple[dict, Group] | None:
    """The payload of an event about this object, and the group it belongs to; None when the
    object is gone or nothing of it is public."""
    if event_type in (GATHERING_CREATED, GATHERING_UPDATED, GATHERING_CANCELLED):
        gathering = Gathering.objects.select_related("group").filter(pk=object_id).first()
        payload = gathering and gathering_payload(gathering)
        return (payload, gathering.group) if payload else None
    if event_type == RSVP_COUNTS:
        occurrence = (
            Occurrence.objects.select_related("gathering", "gathering__group")
            .filter(pk=object_id)
            .first()
        )
        payload = occurrence and rsvp_counts_payload(occurrence)
        return (payload, occurrence.gathering.group) if payload else None
    if event_type == CREW_CALL_OPENED:
        call = CrewCall.objects.select_related("congregation").filter(pk=object_id).first()
        payload = call and crew_call_payload(call)
        return (payload, call.congregation) if payload else None
    if event_type == MEMBER_JOINED:
        membership = Membership.objects.select_related("group").filter(pk=object_id).first()
        payload = membership and member_joined_payload(membership)
        return (payload, membership.group) if payload else None
    return None
