"""Cycles of crew meetings: one meeting per member as focus, hosting rotating, as a series.

`cycle_start` is the one entry point for every way a crew begins meeting: a call
formed, a formation round published, a retrospective that chose to continue.

Hosting rule: the host of each meeting is the previous meeting's focus person, and
the first meeting is hosted by the last meeting's focus (the order wraps round). So in
a cycle everyone hosts exactly once, nobody hosts their own focus meeting, and the
person who was just helped gives back by keeping time for the next.
"""

import zoneinfo
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.crewing import tasks
from microsolidarity.crewing.models import (
    CONFIDENTIALITY,
    CrewCall,
    CrewCycle,
    CrewMeeting,
    CycleStatus,
    FormationRound,
    MeetingTemplate,
    Rhythm,
)
from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings import rsvp
from microsolidarity.gatherings.models import Audience, Kind, Mode
from microsolidarity.gatherings.services import gathering_create
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group, MembershipState, Scale, Status

RULES = {
    Rhythm.WEEKLY: "FREQ=WEEKLY",
    Rhythm.FORTNIGHTLY: "FREQ=WEEKLY;INTERVAL=2",
    Rhythm.MONTHLY: "FREQ=MONTHLY",
}
SHORTEST_MEETING = 15
LONGEST_MEETING = 6 * 60


def default_template(congregation: Group | None = None) -> MeetingTemplate | None:
    """The format a cycle uses when nobody chose one: the shipped Case Clinic."""
    return (
        MeetingTemplate.objects.filter(congregation__isnull=True, name="Case Clinic").first()
        or MeetingTemplate.objects.filter(congregation__isnull=True).first()
    )


def active_members(crew: Group) -> list:
    """The crew's active members in the order they joined: the order of focus."""
    return [
        membership.person
        for membership in crew.memberships.filter(state=MembershipState.ACTIVE)
        .select_related("person", "person__profile")
        .order_by("started_at", "pk")
    ]


def hosts_for(focus_people: list) -> list:
    """Each meeting's host is the previous meeting's focus; the first wraps to the last."""
    if not focus_people:
        return []
    return [focus_people[index - 1] for index in range(len(focus_people))]


def _may_start(by, crew: Group) -> bool:
    return (
        getattr(by, "is_staff", False)
        or group_access.is_active_member(by, crew)
        or (crew.parent is not None and group_access.can_manage(by, crew.parent))
    )


def _zone(crew: Group) -> str:
    try:
        zoneinfo.ZoneInfo(crew.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return crew.timezone


@transaction.atomic
def cycle_start(
    *,
    crew: Group,
    by,
    first_meeting_at: datetime,
    rhythm: str = Rhythm.WEEKLY,
    meeting_minutes: int = 75,
    template: MeetingTemplate | None = None,
    call_link: str = "",
    agreements: str = "",
    formation_round: FormationRound | None = None,
    call: CrewCall | None = None,
) -> CrewCycle:
    """Start a cycle: a members-only series with one meeting per active member as focus.

    Members are subscribed to the series and, after commit, each gets an email with the
    whole cycle and the first meeting as an .ics. Crewing sends its own reminders.
    """
    # Lock the crew row: two cycles must not start at once for the same crew.
    crew = Group.objects.select_for_update(of=("self",)).select_related("parent").get(pk=crew.pk)
    if crew.scale != Scale.CREW:
        raise RuleBroken(_("Cycles of meetings are for crews."))
    if crew.status == Status.CLOSED:
        raise RuleBroken(_("%(name)s has closed.") % {"name": crew.name})
    if not _may_start(by, crew):
        raise NotAllowed(
            _("Only members of %(name)s or its congregation's hosts can start a cycle.")
            % {"name": crew.name}
        )
    if rhythm not in RULES:
        raise RuleBroken(_("Choose how often the crew meets."), field="rhythm")
    if not SHORTEST_MEETING <= int(meeting_minutes) <= LONGEST_MEETING:
        raise RuleBroken(
            _("A meeting can last from 15 minutes to 6 hours."), field="meeting_minutes"
        )
    if first_meeting_at is None or timezone.is_naive(first_meeting_at):
        raise RuleBroken(_("Give the first meeting's time with its time zone."), field="starts_at")
    if first_meeting_at <= timezone.now():
        raise RuleBroken(_("Choose a first meeting that is still ahead."), field="starts_at")
    if crew.crew_cycles.filter(status=CycleStatus.RUNNING).exists():
        raise RuleBroken(
            _("%(name)s is in a cycle already: close it with a retrospective first.")
            % {"name": crew.name}
        )
    members = active_members(crew)
    if len(members) < 2:
        raise RuleBroken(_("A crew needs two or more active members to start a cycle."))

    template = (
        template
        or (call.template if call is not None else None)
        or (formation_round.template if formation_round is not None else None)
        or default_template(crew.parent)
    )
    agreements = (
        agreements.strip() or (call.agreements if call is not None else "") or str(CONFIDENTIALITY)
    )
    number = (
        crew.crew_cycles.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    hosts = hosts_for(members)
    zone_name = _zone(crew)
    # The series is created by the first meeting's host, and every member co-hosts it:
    # in a crew all are peers, and any of them may move or call off one meeting.
    series = gathering_create(
        by=hosts[0],
        group=crew,
        title=_("%(crew)s: cycle %(number)s") % {"crew": crew.name, "number": number},
        description=agreements,
        starts_at=first_meeting_at,
        ends_at=first_meeting_at + timedelta(minutes=int(meeting_minutes)),
        host_timezone=zone_name,
        recurrence=f"{RULES[rhythm]};COUNT={len(members)}",
        kind=Kind.CALL,
        mode=Mode.ONLINE,
        call_link=call_link,
        audience=Audience.MEMBERS,
        reminder_minutes=[],
        co_hosts=[person for person in members if person != hosts[0]],
    )
    occurrences = list(series.occurrences.order_by("starts_at", "pk"))
    if len(occurrences) != len(members):
        raise RuleBroken(
            _("The meetings don't all fit in the coming year: choose an earlier start or rhythm."),
            field="starts_at",
        )
    zone = zoneinfo.ZoneInfo(zone_name)
    cycle = CrewCycle.objects.create(
        crew=crew,
        number=number,
        template=template,
        series=series,
        starts_on=occurrences[0].starts_at.astimezone(zone).date(),
        ends_on=occurrences[-1].ends_at.astimezone(zone).date(),
        agreements=agreements,
        formation_round=formation_round,
        call=call,
    )
    CrewMeeting.objects.bulk_create(
        CrewMeeting(cycle=cycle, occurrence=occurrence, number=index + 1, focus=focus, host=host)
        for index, (occurrence, focus, host) in enumerate(
            zip(occurrences, members, hosts, strict=True)
        )
    )
    for person in members:
        rsvp.series_subscribe(person=person, gathering=series)
    if crew.status != Status.ACTIVE:
        crew.status = Status.ACTIVE
        crew.save(update_fields=["status"])
    transaction.on_commit(partial(tasks.cycle_started_notify.enqueue, cycle.pk))
    return cycle


def cycle_current(crew: Group) -> CrewCycle | None:
    """The crew's latest cycle, whatever its state."""
    return crew.crew_cycles.order_by("-number").first()
