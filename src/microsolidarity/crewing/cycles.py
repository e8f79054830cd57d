"""Cycles of crew meetings: one meeting per member as focus, hosting rotating, as a series.

`cycle_start` is the one entry point for every way a crew begins meeting: a call
formed, a formation round published, a retrospective that chose to continue.

Hosting rule: the host of each meeting is the previous meeting's focus person, and
the first meeting is hosted by the last meeting's focus (the order wraps round). So in
a cycle everyone hosts exactly once, nobody hosts their own focus meeting, and the
person who was just helped gives back by keeping time for the next.
"""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.crewing import access, tasks
from microsolidarity.crewing.meeting_length import meeting_length_check
from microsolidarity.crewing.models import (
    CONFIDENTIALITY,
    Attendance,
    CrewCall,
    CrewCycle,
    CrewMeeting,
    CycleStatus,
    FormationRound,
    MeetingTemplate,
    Rhythm,
)
from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings import occurrences as occurrence_services
from microsolidarity.gatherings import rsvp
from microsolidarity.gatherings.models import (
    Audience,
    CallLinkAudience,
    Kind,
    Mode,
    OccurrenceStatus,
)
from microsolidarity.gatherings.services import gathering_create, gathering_host_remove
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group, Membership, MembershipState, Scale, Status
from microsolidarity.groups.services import membership_leave
from microsolidarity.matching.availability import (
    AvailabilityError,
    parse_availability,
    week_minutes_utc,
)
from microsolidarity.zones import zone_named

# Keyed by the rhythm's value: a form or the API passes the plain string.
RULES: dict[str, str] = {
    Rhythm.WEEKLY: "FREQ=WEEKLY",
    Rhythm.FORTNIGHTLY: "FREQ=WEEKLY;INTERVAL=2",
    Rhythm.MONTHLY: "FREQ=MONTHLY",
}
# A first meeting found from availability is at least this far ahead, so people can plan.
NOTICE = timedelta(days=2)
WEEKS_SEARCHED = 3


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


def current_member_ids(crew: Group) -> set[int]:
    """Everyone still in the crew, paused included: leaving is what frees a meeting."""
    return set(
        crew.memberships.filter(state__in=Membership.MEMBER_STATES).values_list(
            "person_id", flat=True
        )
    )


def hosts_for(focus_people: list) -> list:
    """Each meeting's host is the previous meeting's focus; the first wraps to the last."""
    if not focus_people:
        return []
    return [focus_people[index - 1] for index in range(len(focus_people))]


def _may_start(by, crew: Group) -> bool:
    # Operators get no say in a crew: its members and its congregation's hosts start cycles.
    return group_access.is_active_member(by, crew) or (
        crew.parent is not None and group_access.can_manage(by, crew.parent)
    )


def _zone(crew: Group) -> str:
    return zone_named(crew.timezone).key


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
    meeting_minutes = meeting_length_check(meeting_minutes)
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
        call_link_audience=CallLinkAudience.MEMBERS,
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


def _spans(text: str, zone_name: str, monday: date) -> list[tuple[int, int]] | None:
    """A person's weekly windows as UTC minutes of that week; None when unknown or unreadable."""
    try:
        windows = parse_availability(text or "")
        zoneinfo.ZoneInfo(zone_name or "UTC")
    except (AvailabilityError, zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    if not windows:
        return None
    return week_minutes_utc(windows, zone_name or "UTC", monday)


def _intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    shared = []
    for start_a, end_a in a:
        for start_b, end_b in b:
            start, end = max(start_a, start_b), min(end_a, end_b)
            if start < end:
                shared.append((start, end))
    return sorted(shared)


def _quarter_up(moment: datetime) -> datetime:
    quarter = 15 * 60
    seconds = int((moment - moment.replace(minute=0, second=0, microsecond=0)).total_seconds())
    if moment.microsecond:
        seconds += 1
    rounded = -(-seconds // quarter) * quarter
    return moment.replace(minute=0, second=0, microsecond=0) + timedelta(seconds=rounded)


def shared_start_find(
    *,
    people,
    meeting_minutes: int,
    after: datetime,
    preferred: tuple[str, str] | None = None,
) -> datetime | None:
    """The earliest start, at least two days after `after`, when everyone is free.

    Each person's stored weekly availability (in their own zone) is placed in UTC for the
    concrete week, so daylight-saving changes land right. People who gave none don't
    constrain the time, but somebody must have given some. The call's preferred times
    (text and zone) narrow the choice when they leave a time; otherwise they are ignored.
    Starts are on the quarter hour.
    """
    earliest = after + NOTICE
    first_monday = earliest.date() - timedelta(days=earliest.weekday())
    for week in range(WEEKS_SEARCHED):
        monday = first_monday + timedelta(weeks=week)
        known = [
            spans
            for person in people
            if (spans := _spans(person.profile.availability, person.profile.timezone, monday))
        ]
        if not known:
            return None
        shared = known[0]
        for spans in known[1:]:
            shared = _intersect(shared, spans)
        candidates = [shared]
        if preferred is not None and (wanted := _spans(preferred[0], preferred[1], monday)):
            candidates.insert(0, _intersect(shared, wanted))
        week_start = datetime.combine(monday, time(0), tzinfo=UTC)
        for windows in candidates:
            for start, end in windows:
                begin = _quarter_up(max(week_start + timedelta(minutes=start), earliest))
                if begin + timedelta(minutes=meeting_minutes) <= week_start + timedelta(
                    minutes=end
                ):
                    return begin
    return None


def _future_meetings(cycle: CrewCycle, now: datetime) -> list[CrewMeeting]:
    return list(
        cycle.meetings.filter(
            occurrence__starts_at__gt=now, occurrence__status=OccurrenceStatus.SCHEDULED
        )
        .select_related("occurrence", "occurrence__gathering", "focus", "host")
        .order_by("number")
    )


def _new_host(meeting: CrewMeeting, remaining: list, load: dict[int, int]):
    """Whoever hosts least in what is left of the cycle, never the focus; join order breaks ties."""
    candidates = [person for person in remaining if person.pk != meeting.focus_id] or remaining
    return min(candidates, key=lambda person: (load.get(person.pk, 0), remaining.index(person)))


@transaction.atomic
def meetings_settle(*, cycle: CrewCycle, now: datetime | None = None) -> list[str]:
    """After someone left: cancel their focus meetings ahead, re-host the meetings they held.

    Safe to run again (the reminders run does, for people who left from the group page).
    Returns what changed, as lines people can read.
    """
    now = now or timezone.now()
    cycle = CrewCycle.objects.select_related("crew", "series").get(pk=cycle.pk)
    if cycle.status != CycleStatus.RUNNING:
        return []
    remaining = active_members(cycle.crew)
    remaining_ids = current_member_ids(cycle.crew)
    upcoming = _future_meetings(cycle, now)
    changes: list[str] = []
    if len(remaining) < 2:
        for meeting in upcoming:
            _cancel(meeting, _("Too few members remain in the crew."))
        if upcoming:
            changes.append(_("The remaining meetings are called off: a crew needs two or more."))
        return changes
    gone = [m for m in upcoming if m.focus_id is not None and m.focus_id not in remaining_ids]
    for meeting in gone:
        name = meeting.focus.public_name if meeting.focus is not None else ""
        _cancel(meeting, _("%(person)s has left the crew.") % {"person": name})
        changes.append(
            _("Meeting %(number)s, with %(person)s as focus, is cancelled.")
            % {"number": meeting.number, "person": name}
        )
    kept = [m for m in upcoming if m not in gone]
    load: dict[int, int] = {}
    for meeting in kept:
        if meeting.host_id in remaining_ids:
            load[meeting.host_id] = load.get(meeting.host_id, 0) + 1
    for meeting in kept:
        if meeting.host_id in remaining_ids:
            continue
        host = _new_host(meeting, remaining, load)
        load[host.pk] = load.get(host.pk, 0) + 1
        meeting.host = host
        meeting.save(update_fields=["host"])
        changes.append(
            _("%(host)s now hosts meeting %(number)s.")
            % {"host": host.public_name, "number": meeting.number}
        )
    return changes


def _cancel(meeting: CrewMeeting, note: str) -> None:
    # Any host of the series may call a meeting off; the series' first host always can.
    by = meeting.occurrence.gathering.hosts.order_by("pk").first()
    occurrence_services.occurrence_cancel(by=by, occurrence=meeting.occurrence, note=note)


@transaction.atomic
def crew_leave(*, person, crew: Group) -> Membership:
    """Leave a crew, mid-cycle or not: you stay in its history as alumni.

    Your remaining focus meeting is cancelled, the meetings you were to host get
    another host, and the others are told by email.
    """
    if crew.scale != Scale.CREW:
        raise RuleBroken(_("This is for leaving a crew."))
    membership = membership_leave(person=person, group=crew)
    cycle = crew.crew_cycles.filter(status=CycleStatus.RUNNING).first()
    changes = meetings_settle(cycle=cycle) if cycle is not None else []
    series = cycle.series if cycle is not None else None
    if series is not None:
        rsvp.series_unsubscribe(person=person, gathering=series)
        if series.hosts.exclude(pk=person.pk).exists():
            gathering_host_remove(by=person, gathering=series, person=person)
    departure_tell(crew=crew, leaver_name=person.public_name, changes=changes)
    return membership


def departure_tell(*, crew: Group, leaver_name: str, changes: list[str]) -> None:
    """After commit, tell the crew's active members who left and what changes for them."""
    transaction.on_commit(
        partial(
            tasks.member_left_notify.enqueue,
            crew.pk,
            leaver_name,
            [person.pk for person in active_members(crew)],
            [str(line) for line in changes],
        )
    )


def departures_settle(*, now: datetime | None = None) -> int:
    """Settle running cycles whose focus or host people left from the group page."""
    now = now or timezone.now()
    settled = 0
    running = CrewCycle.objects.filter(status=CycleStatus.RUNNING).select_related("crew")
    for cycle in running:
        active_ids = current_member_ids(cycle.crew)
        left = {
            meeting.focus if meeting.focus_id not in active_ids else meeting.host
            for meeting in _future_meetings(cycle, now)
            if meeting.focus_id not in active_ids or meeting.host_id not in active_ids
        } - {None}
        if not left:
            continue
        with transaction.atomic():
            changes = meetings_settle(cycle=cycle, now=now)
            if changes:
                names = ", ".join(sorted(p.public_name for p in left if p is not None))
                departure_tell(crew=cycle.crew, leaver_name=names, changes=changes)
                settled += 1
    return settled


@transaction.atomic
def attendance_record(*, by, meeting: CrewMeeting, present_ids) -> list[Attendance]:
    """Who came to a meeting, recorded by one of the crew once it has begun."""
    if not access.can_record_attendance(by, meeting):
        raise NotAllowed(_("Attendance is recorded by the crew's members."))
    if meeting.occurrence.starts_at > timezone.now():
        raise RuleBroken(_("Record who came once the meeting has begun."))
    present = {int(pk) for pk in present_ids}
    people = active_members(meeting.cycle.crew)
    rows = []
    for person in people:
        row, _created = Attendance.objects.update_or_create(
            meeting=meeting,
            person=person,
            defaults={"present": person.pk in present, "recorded_by": by},
        )
        rows.append(row)
    return rows


@transaction.atomic
def meeting_template_create(
    *,
    by,
    congregation: Group,
    name: str,
    steps: list[dict],
    description: str = "",
    journal_prompt: str = "",
) -> MeetingTemplate:
    """A congregation's own meeting format, written by its hosts."""
    if not access.can_write_templates(by, congregation):
        raise NotAllowed(
            _("Hosts of %(name)s write its meeting formats.") % {"name": congregation.name}
        )
    name = name.strip()
    if not name:
        raise RuleBroken(_("Give the format a name."), field="name")
    if not steps:
        raise RuleBroken(_("Write at least one step."), field="steps")
    if MeetingTemplate.objects.filter(congregation=congregation, name__iexact=name).exists():
        raise RuleBroken(
            _("%(name)s already has a format by that name.") % {"name": congregation.name},
            field="name",
        )
    return MeetingTemplate.objects.create(
        congregation=congregation,
        name=name[:120],
        description=description.strip()[:2000],
        steps=[
            {
                "minutes": int(step["minutes"]),
                "title": str(step["title"])[:120],
                "who": str(step.get("who", ""))[:120],
                "guide": str(step.get("guide", ""))[:600],
            }
            for step in steps
        ],
        journal_prompt=journal_prompt.strip()[:300],
        created_by=by,
    )
