"""Reads for the directory: listed congregations with their next gatherings and open calls."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.crewing.models import CallStatus, CrewCall
from microsolidarity.gatherings.models import Mode, Occurrence, OccurrenceStatus
from microsolidarity.gatherings.queries import gatherings_visible_to
from microsolidarity.groups.models import Group, Membership, Scale
from microsolidarity.groups.queries import not_hidden_for
from microsolidarity.network.models import Following, FollowState, Listing, RemoteEvent
from microsolidarity.people.languages import language_names
from microsolidarity.people.towns import Town

NEXT_GATHERINGS = 3
NEAR_RADII_KM = (25, 50, 100, 250, 500)
DEFAULT_RADIUS_KM = 100


def size_band(members: int) -> str:
    """A band, never the exact count: what a newcomer needs to picture the room."""
    if members < 15:
        return _("fewer than 15 people")
    if members < 50:
        return _("15 to 50 people")
    if members <= 150:
        return _("50 to 150 people")
    return _("more than 150 people")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two towns' centroids (haversine, Earth radius 6371 km)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@dataclass
class Entry:
    """One congregation in the directory, local or on another server."""

    name: str
    url: str
    summary: str
    town: str
    online: bool
    languages: list[str]
    size: str
    rhythm: str
    join_policy: str
    join_label: str
    contact: str
    remote_domain: str = ""
    group: Group | None = None
    distance_km: float | None = None
    gatherings: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    calls_count: int = 0

    @property
    def is_remote(self) -> bool:
        return bool(self.remote_domain)


@dataclass(frozen=True)
class Filters:
    language: str = ""
    mode: str = ""  # "", "online" or "in_person"
    near: Town | None = None
    radius_km: int = DEFAULT_RADIUS_KM


def listed_congregations(viewer):
    """Congregations that chose to be listed and this viewer may see."""
    return (
        Group.objects.visible_to(viewer)
        .filter(scale=Scale.CONGREGATION, network_listing__listed=True)
        .exclude(status="closed")
        .select_related("network_listing")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__state__in=Membership.MEMBER_STATES)
            )
        )
        .order_by("name")
    )


def _next_gatherings(viewer, groups: list[Group]) -> dict[int, list[Occurrence]]:
    """The next few visible occurrences of each group, in one query."""
    by_group: dict[int, list[Occurrence]] = defaultdict(list)
    if not groups:
        return by_group
    gatherings = gatherings_visible_to(viewer).filter(group__in=groups).exclude(status="cancelled")
    occurrences = (
        Occurrence.objects.filter(
            gathering__in=gatherings.values("pk"),
            ends_at__gte=timezone.now(),
            status=OccurrenceStatus.SCHEDULED,
        )
        .select_related("gathering")
        .order_by("starts_at", "pk")
    )
    seen: set[int] = set()
    for occurrence in occurrences[:500]:
        group_id = occurrence.gathering.group_id
        if occurrence.gathering_id in seen or len(by_group[group_id]) >= NEXT_GATHERINGS:
            continue
        seen.add(occurrence.gathering_id)
        by_group[group_id].append(occurrence)
    return by_group


def _open_calls(viewer, groups: list[Group]) -> tuple[dict[int, list[CrewCall]], dict[int, int]]:
    """The newest few open calls of each group, and how many it has open in all."""
    by_group: dict[int, list[CrewCall]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    if not groups:
        return by_group, counts
    calls = (
        CrewCall.objects.filter(congregation__in=groups, status=CallStatus.OPEN)
        .filter(not_hidden_for(viewer, "congregation"))
        .only("pk", "congregation_id", "intention", "created_at")
        .order_by("-created_at")
    )
    for call in calls[:2000]:
        counts[call.congregation_id] += 1
        if len(by_group[call.congregation_id]) < NEXT_GATHERINGS:
            by_group[call.congregation_id].append(call)
    return by_group, counts


def _online(group: Group, listing: Listing, occurrences: list[Occurrence]) -> bool:
    if listing.meets_online:
        return True
    return any(o.gathering.mode in (Mode.ONLINE, Mode.BOTH) for o in occurrences)


def local_entries(viewer, filters: Filters) -> list[Entry]:
    groups = list(listed_congregations(viewer))
    if filters.language:
        groups = [g for g in groups if filters.language in (g.languages or [])]
    gatherings = _next_gatherings(viewer, groups)
    calls, call_counts = _open_calls(viewer, groups)
    names = language_names()
    entries = []
    for group in groups:
        listing = group.network_listing
        next_ones = gatherings.get(group.pk, [])
        online = _online(group, listing, next_ones)
        in_person = bool(listing.town_name)
        if filters.mode == "online" and not online:
            continue
        if filters.mode == "in_person" and not in_person:
            continue
        distance = None
        if filters.near is not None:
            if listing.town_latitude is None:
                continue
            distance = distance_km(
                filters.near.latitude,
                filters.near.longitude,
                listing.town_latitude,
                listing.town_longitude,
            )
            if distance > filters.radius_km:
                continue
        entries.append(
            Entry(
                name=group.name,
                url=group.get_absolute_url(),
                summary=group.description,
                town=listing.town_name,
                online=online,
                languages=[names.get(code, code) for code in group.languages or []],
                size=size_band(group.member_count),
                rhythm=listing.rhythm,
                join_policy=group.join_policy,
                join_label=group.get_join_policy_display(),
                contact=listing.contact,
                group=group,
                distance_km=round(distance) if distance is not None else None,
                gatherings=next_ones,
                calls=calls.get(group.pk, []),
                calls_count=call_counts.get(group.pk, 0),
            )
        )
    if filters.near is not None:
        entries.sort(key=lambda entry: entry.distance_km or 0)
    return entries


def remote_entries(filters: Filters) -> list[Entry]:
    """Followed groups on other servers. Their servers tell us neither languages nor a town we
    could trust for distance, so a search by language or by town leaves them out."""

    if filters.language or filters.near is not None:
        return []
    followings = (
        Following.objects.filter(state=FollowState.ACCEPTED, actor__server__blocked_at__isnull=True)
        .select_related("actor", "actor__server")
        .order_by("actor__name")
    )
    actors = [following.actor for following in followings]
    events: dict[int, list[RemoteEvent]] = defaultdict(list)
    upcoming = RemoteEvent.objects.filter(
        actor__in=actors, starts_at__gte=timezone.now() - timedelta(hours=6)
    ).order_by("starts_at")
    for event in upcoming[:500]:
        if len(events[event.actor_id]) < NEXT_GATHERINGS:
            events[event.actor_id].append(event)
    entries = []
    for actor in actors:
        next_ones = events.get(actor.pk, [])
        online = any(event.is_online for event in next_ones)
        if filters.mode == "online" and not online:
            continue
        if filters.mode == "in_person" and not any(not e.is_online for e in next_ones):
            continue
        entries.append(
            Entry(
                name=actor.name or actor.preferred_username,
                url=actor.url or actor.uri,
                summary=actor.summary,
                town="",
                online=online,
                languages=[],
                size="",
                rhythm="",
                join_policy="",
                join_label=_("Ask on its own server"),
                contact="",
                remote_domain=actor.server.domain,
                gatherings=next_ones,
            )
        )
    return entries


def directory_languages() -> list[tuple[str, str]]:
    """The languages listed congregations use, for the filter's choices."""
    names = language_names()
    codes: set[str] = set()
    for languages in Group.objects.filter(
        scale=Scale.CONGREGATION, network_listing__listed=True
    ).values_list("languages", flat=True):
        codes.update(languages or [])
    return sorted(((code, names.get(code, code)) for code in codes), key=lambda pair: pair[1])
