"""What the home page suggests next: each part is one query, however many groups a person has."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from microsolidarity.crewing.models import CallStatus, CrewCall, CrewCycle, Retrospective
from microsolidarity.gatherings import queries as gathering_queries
from microsolidarity.gatherings.models import PollAnswer, TimePoll
from microsolidarity.groups.models import Scale
from microsolidarity.groups.queries import HomeView, not_hidden_given
from microsolidarity.matching.availability import (
    AvailabilityError,
    parse_availability,
    week_minutes_utc,
)

SHOWN = 3
# Calls read to find the few that fit: a congregation rarely has more open at once.
CALLS_READ = 20


@dataclass
class Guidance:
    """What changes only with the person's own groups, profile and crews. The polls to answer
    and the gatherings coming up change with everyone's answers all evening: they are fresh
    parts of the home page (home/parts.py), read by the two functions below."""

    profile_empty: bool = False
    due_retrospectives: list = field(default_factory=list)
    fitting_calls: list = field(default_factory=list)


def profile_is_empty(profile) -> bool:
    """Nothing that helps others find you: no interests, no values or wishes, no times."""
    return not (profile.interests or profile.values or profile.seeking or profile.availability)


def _week_spans(text: str, zone: str, monday: date) -> list[tuple[int, int]]:
    try:
        return week_minutes_utc(parse_availability(text or ""), zone or "UTC", monday)
    except (AvailabilityError, ValueError, KeyError):
        # A call's times were checked when it was posted; an old unreadable one just doesn't fit.
        return []


def shared_minutes(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> int:
    """The longest stretch two sorted, joined lists of weekly spans have in common."""
    best, i, j = 0, 0, 0
    while i < len(first) and j < len(second):
        start, stop = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        best = max(best, stop - start)
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return best


def calls_that_fit(person, profile, calls) -> list:
    """Calls whose preferred times hold one of the call's meetings inside my weekly times."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    mine = _week_spans(profile.availability, profile.timezone, monday)
    if not mine:
        return []
    fitting = []
    for call in calls:
        theirs = _week_spans(call.preferred_times, call.timezone, monday)
        if shared_minutes(mine, theirs) >= call.meeting_minutes:
            fitting.append(call)
    return fitting


def open_polls_in(member_of: list[int]) -> list:
    """Time polls of my groups that are open, answered or not: enough of them that SHOWN are
    left once those I answered are set aside (`answered_polls`)."""
    if not member_of:
        return []
    return list(
        TimePoll.objects.filter(group_id__in=member_of, closed_at__isnull=True)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now()))
        .select_related("group")
        .order_by("closes_at", "-created_at")[: SHOWN * 4]
    )


def answered_polls(person, poll_ids: list[int]) -> set[int]:
    """Which of these polls the person has answered."""
    if not poll_ids or not person.is_authenticated:
        return set()
    return set(
        PollAnswer.objects.filter(person=person, slot__poll_id__in=poll_ids)
        .values_list("slot__poll_id", flat=True)
        .distinct()
    )


def gatherings_in_my_groups(person, memberships, member_of: list[int]) -> list:
    """The next gatherings of my groups, enough of them that SHOWN are left once those I am
    going to are set aside (`memberships`: all but alumni, as `viewer_memberships` reads
    them). Without counts: the home page shows none."""
    if not member_of:
        return []
    # Only my groups' gatherings are read: the network's others are never shown here.
    return gathering_queries.upcoming_for(
        person, limit=SHOWN * 4, memberships=memberships, group_ids=member_of, counts=False
    )


def memberships_read(home: HomeView) -> list:
    """Every membership but alumni, as `home_for` read them: the visibility rule of the
    gatherings needs no subqueries to find them again."""
    members = [m for memberships in home.by_scale.values() for m in memberships]
    return members + home.invitations + home.my_requests


def guidance_for(person, home: HomeView) -> Guidance:
    """The next steps for a member: the home page shows them first."""
    profile = person.profile
    guidance = Guidance(profile_empty=profile_is_empty(profile))
    member_of = home.member_of
    hosting_ids = [m.group_id for m in home.hosting]
    if not member_of:
        return guidance
    crews = [m.group_id for m in home.by_scale.get(Scale.CREW, [])]
    if crews:
        written = Retrospective.objects.filter(cycle=OuterRef("pk"), person=person)
        guidance.due_retrospectives = list(
            CrewCycle.objects.filter(
                crew_id__in=crews, closed_at__isnull=True, ends_on__lte=timezone.localdate()
            )
            .exclude(Exists(written))
            .select_related("crew")
            .order_by("ends_on")[:SHOWN]
        )
    without_crew = [group.pk for group in home.congregations_without_my_crew]
    if without_crew and profile.availability:
        calls = (
            CrewCall.objects.filter(congregation_id__in=without_crew, status=CallStatus.OPEN)
            .exclude(caller=person)
            .filter(not_hidden_given(person, hosting_ids, "congregation"))
            .select_related("congregation")
            .order_by("-created_at")[:CALLS_READ]
        )
        guidance.fitting_calls = calls_that_fit(person, profile, calls)[:SHOWN]
    return guidance
