"""Demo crewing: crews meeting in cycles, one due for its retrospective, open crew calls with
interest, and a formation round whose proposal waits in preview for its host."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from microsolidarity.crewing.calls import call_post, interest_express
from microsolidarity.crewing.cycles import cycle_start
from microsolidarity.crewing.models import CrewCycle, CycleStatus
from microsolidarity.crewing.round_lifecycle import round_open, round_opt_in, round_propose
from microsolidarity.gatherings.models import Occurrence
from microsolidarity.groups.models import Group, Membership, MembershipState, Role, Scale, Status

CALLS = [
    ("A crew for parents of small children", "mon 20:30-22:00; thu 20:30-22:00"),
    ("Peer coaching for people changing careers", "tue 07:00-08:30; sat 09:00-11:00"),
]


def _next_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _active_people(group: Group) -> list:
    return [
        m.person
        for m in group.memberships.filter(state=MembershipState.ACTIVE)
        .select_related("person__profile")
        .order_by("started_at", "pk")
    ]


def demo_crewing_load(rng: random.Random, network: Group) -> None:
    today = timezone.localdate()
    for congregation in network.children.filter(scale=Scale.CONGREGATION).order_by("pk"):
        _cycles(congregation, today)
        _calls(rng, congregation)
        if congregation.name.startswith("Lisbon"):
            _round_in_preview(rng, congregation, today)


def _cycles(congregation: Group, today: date) -> None:
    zone = ZoneInfo(congregation.timezone)
    crews = Group.objects.filter(parent=congregation, scale=Scale.CREW, status=Status.ACTIVE)
    for number, crew in enumerate(crews.order_by("pk")):
        host = crew.memberships.filter(role=Role.HOST).select_related("person").first()
        start_day = _next_weekday(today, 1 + number % 3)
        cycle = cycle_start(
            crew=crew,
            by=host.person if host else _active_people(crew)[0],
            first_meeting_at=datetime.combine(start_day, time(19, 0), tzinfo=zone),
            call_link=f"https://call.example.org/{crew.slug}",
        )
        if number == 0:
            _move_into_the_past(cycle)


def _move_into_the_past(cycle: CrewCycle) -> None:
    """One crew met already: its cycle ended last week, so its retrospective is due."""
    weeks = (cycle.ends_on - cycle.starts_on).days // 7 + 2
    shift = timedelta(weeks=weeks)
    for occurrence in Occurrence.objects.filter(crew_meeting__cycle=cycle):
        Occurrence.objects.filter(pk=occurrence.pk).update(
            original_starts_at=occurrence.original_starts_at - shift,
            starts_at=occurrence.starts_at - shift,
            ends_at=occurrence.ends_at - shift,
        )
    if cycle.series_id:
        series = cycle.series
        type(series).objects.filter(pk=series.pk).update(
            starts_at=series.starts_at - shift, ends_at=series.ends_at - shift
        )
    CrewCycle.objects.filter(pk=cycle.pk).update(
        starts_on=cycle.starts_on - shift,
        ends_on=cycle.ends_on - shift,
        status=CycleStatus.RUNNING,
    )


def _crewless(congregation: Group) -> list:
    in_crews = Membership.objects.filter(
        group__parent=congregation,
        group__scale=Scale.CREW,
        state__in=[MembershipState.ACTIVE, MembershipState.INVITED],
    ).values("person")
    crewed = set(in_crews.values_list("person", flat=True))
    return [person for person in _active_people(congregation) if person.pk not in crewed]


def _calls(rng: random.Random, congregation: Group) -> None:
    people = _crewless(congregation)
    for (intention, times), caller in zip(CALLS, people[1:3], strict=False):
        call = call_post(
            by=caller,
            congregation=congregation,
            intention=intention,
            description="Six meetings, one focus each, then we see.",
            preferred_times=times,
            caller_timezone=caller.profile.timezone,
            cycle_ends_on=timezone.localdate() + timedelta(weeks=8),
        )
        for person in rng.sample(people[3:], min(3, len(people) - 3)):
            interest_express(person=person, call=call, message="This is what I need right now.")
    member = next((p for p in people if p.email.startswith("member@")), None)
    first_call = congregation.crew_calls.order_by("created_at").first()
    if member is not None and first_call is not None and first_call.caller != member:
        interest_express(person=member, call=first_call, message="Count me in, I'd love this.")


def _round_in_preview(rng: random.Random, congregation: Group, today: date) -> None:
    host = congregation.memberships.filter(role=Role.HOST).select_related("person").first().person
    round_ = round_open(
        by=host,
        congregation=congregation,
        title="Winter crews",
        deadline=timezone.now() + timedelta(days=10),
        size_min=3,
        size_max=4,
        first_meeting_after=today + timedelta(days=14),
    )
    for person in _crewless(congregation)[:24]:
        profile = person.profile
        round_opt_in(
            person=person,
            formation_round=round_,
            timezone_name=profile.timezone,
            languages=profile.languages,
            interests=profile.interests,
            availability=profile.availability,
            show_to_hosts=rng.random() < 0.5,
        )
    round_propose(by=host, formation_round=round_)
