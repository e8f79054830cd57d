"""Demo programs: the Vibes and Crewing templates, and a Vibes cohort under way in Lisbon.

The cohort is started the ordinary way (sessions ahead, people signing up), then its
sessions are moved back by whole weeks, so the weekly rule still matches them and the
first ones are past; a breakout round is run for each past session, as the clock would.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import timezone

from microsolidarity.gatherings.models import Gathering, Occurrence
from microsolidarity.groups.models import Group, MembershipState, Scale
from microsolidarity.people.models import Person
from microsolidarity.programs.breakouts import breakouts_run
from microsolidarity.programs.cohorts import cohort_create, sessions_of
from microsolidarity.programs.seats import seat_request
from microsolidarity.programs.services import program_copy

PARTICIPANTS = 11


def demo_programs_load(network: Group, *, host_email: str, member_email: str) -> None:
    host = Person.objects.get(email=host_email)
    member = Person.objects.get(email=member_email)
    congregation = (
        Group.objects.filter(parent=network, scale=Scale.CONGREGATION).order_by("pk").first()
    )
    program_copy(by=host, owner=network, key="crewing")
    vibes = program_copy(by=host, owner=congregation, key="vibes")
    people = [
        m.person
        for m in congregation.memberships.filter(state=MembershipState.ACTIVE)
        .exclude(person__in=[host, member])
        .select_related("person")
        .order_by("pk")
    ]
    co_facilitator, participants = people[0], [member, *people[1 : PARTICIPANTS + 1]]
    zone = ZoneInfo(congregation.timezone)
    today = timezone.localdate(timezone=zone)
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    cohort = cohort_create(
        by=host,
        program=vibes,
        title="Vibes in Lisbon, winter cohort",
        first_session_at=datetime.combine(monday, time(18, 30), tzinfo=zone),
        host_timezone=congregation.timezone,
        capacity=16,
        session_days="MO,WE,FR",
        call_link="https://call.example.org/vibes-lisbon",
        contribution_url="https://example.org/contribute/vibes-lisbon",
        contribution_note=(
            "Pay what you can, from nothing upwards; a share goes to the common fund."
        ),
        co_facilitators=[co_facilitator],
    )
    for person in participants:
        seat_request(person=person, cohort=cohort)
    _move_back(cohort)
    for session in sessions_of(cohort):
        if session.starts_at < timezone.now():
            breakouts_run(
                cohort_id=cohort.pk, today=timezone.localdate(session.starts_at, timezone=zone)
            )


def _move_back(cohort) -> None:
    """Whole weeks back, until the first session is past and the last still ahead."""
    now = timezone.now()
    occurrences = cohort.series.occurrences.order_by("starts_at")
    first, last = occurrences.first(), occurrences.last()
    shift = timedelta(weeks=1)
    while first.starts_at - shift > now - timedelta(hours=2):
        shift += timedelta(weeks=1)
    if last.starts_at - shift <= now:
        shift -= timedelta(weeks=1)
    occurrences.update(
        original_starts_at=F("original_starts_at") - shift,
        starts_at=F("starts_at") - shift,
        ends_at=F("ends_at") - shift,
    )
    Gathering.objects.filter(pk=cohort.series_id).update(
        starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift
    )
    assert Occurrence.objects.filter(gathering=cohort.series_id, starts_at__gt=now).exists()
