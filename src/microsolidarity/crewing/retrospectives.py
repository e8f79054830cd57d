"""Retrospectives at the end of a cycle, and the rule that applies their outcome.

Each member writes what worked and what did not, and chooses: continue, split, re-form
or pause. Answers stay with their authors until everyone active has answered, or a
member closes the retrospective after the cycle's end; then the crew sees them together
and the outcome is applied at once:

1. Any "split" ends the crew: everyone goes back to the pool (alumni of the crew).
2. Otherwise, if more than half of the answers say "pause", the crew pauses: everyone
   stays, no new cycle starts until they begin one.
3. Otherwise, fewer than two "continue" ends the crew, as in 1.
4. Otherwise those who continue start a new cycle at the same weekday, time and rhythm;
   those who re-form leave the crew (alumni, back to the pool); those who chose pause,
   and those who did not answer, stay as paused members and can resume later.

Memberships are never deleted, so every pair who met stays recorded (see history.py).
"""

from datetime import datetime
from functools import partial

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.crewing import access, tasks
from microsolidarity.crewing.cycles import NOTICE, active_members, cycle_start
from microsolidarity.crewing.models import Choice, CrewCycle, CycleStatus, Retrospective, Rhythm
from microsolidarity.crewing.retrospective_outcomes import (
    CONTINUED,
    ENDED,
    PAUSED,
    outcome_decide,
)
from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings.models import OccurrenceStatus
from microsolidarity.groups.models import Group, Membership, MembershipState, Status
from microsolidarity.groups.services import membership_leave, membership_pause


def _lock(cycle: CrewCycle) -> CrewCycle:
    return (
        CrewCycle.objects.select_for_update(of=("self",))
        .select_related("crew", "crew__parent", "series", "template")
        .get(pk=cycle.pk)
    )


def last_meeting_start(cycle: CrewCycle) -> datetime | None:
    return (
        cycle.meetings.exclude(occurrence__status=OccurrenceStatus.CANCELLED)
        .order_by("-occurrence__starts_at")
        .values_list("occurrence__starts_at", flat=True)
        .first()
    )


def retrospective_is_open(cycle: CrewCycle, *, now: datetime | None = None) -> bool:
    """A retrospective opens when the cycle's last meeting has begun."""
    if cycle.closed_at is not None:
        return False
    last = last_meeting_start(cycle)
    return last is None or last <= (now or timezone.now())


def _cycle_over(cycle: CrewCycle, now: datetime) -> bool:
    return retrospective_is_open(cycle, now=now) and timezone.localdate(now) >= cycle.ends_on


@transaction.atomic
def retrospective_submit(
    *,
    person,
    cycle: CrewCycle,
    worked: str = "",
    did_not: str = "",
    choice: str,
    share_with_hosts: bool = False,
) -> Retrospective:
    """Write or rewrite one's retrospective; the last answer reveals them all."""
    cycle = _lock(cycle)
    if not access.can_write_retrospective(person, cycle):
        if cycle.closed_at is not None:
            raise RuleBroken(_("This retrospective is closed."))
        raise NotAllowed(_("Retrospectives are written by the crew's active members."))
    now = timezone.now()
    if not retrospective_is_open(cycle, now=now):
        raise RuleBroken(_("The retrospective opens with the cycle's last meeting."))
    if choice not in Choice.values:
        raise RuleBroken(_("Choose what comes next for you."), field="choice")
    retrospective, _created = Retrospective.objects.update_or_create(
        cycle=cycle,
        person=person,
        defaults={
            "worked": worked.strip()[:3000],
            "did_not": did_not.strip()[:3000],
            "choice": choice,
            "share_with_hosts": bool(share_with_hosts),
            "submitted_at": now,
        },
    )
    if cycle.status == CycleStatus.RUNNING:
        cycle.status = CycleStatus.RETROSPECTIVE
        cycle.save(update_fields=["status"])
    waiting = {p.pk for p in active_members(cycle.crew)} - set(
        cycle.retrospectives.values_list("person_id", flat=True)
    )
    if not waiting:
        _close(cycle, by=person, now=now)
    return retrospective


@transaction.atomic
def retrospective_close(*, by, cycle: CrewCycle) -> CrewCycle:
    """A member closes the retrospective after the cycle's end, without waiting for everyone."""
    cycle = _lock(cycle)
    if not access.is_crew_member(by, cycle.crew):
        raise NotAllowed(_("Only the crew's members can close its retrospective."))
    if cycle.closed_at is not None:
        raise RuleBroken(_("This retrospective is closed already."))
    now = timezone.now()
    if not _cycle_over(cycle, now):
        raise RuleBroken(
            _("The cycle runs until %(date)s: close the retrospective after that.")
            % {"date": cycle.ends_on}
        )
    if not cycle.retrospectives.exists():
        raise RuleBroken(_("Write your own retrospective first."))
    _close(cycle, by=by, now=now)
    return cycle


def _rhythm_of(cycle: CrewCycle) -> Rhythm:
    series = cycle.series
    rule = (series.recurrence if series is not None else "").upper()
    if "FREQ=MONTHLY" in rule:
        return Rhythm.MONTHLY
    if "INTERVAL=2" in rule:
        return Rhythm.FORTNIGHTLY
    return Rhythm.WEEKLY


def _next_start(cycle: CrewCycle, rhythm: Rhythm, now: datetime) -> tuple[datetime, int]:
    """The same weekday and time as the cycle's meetings, the first far enough ahead."""
    last = (
        cycle.meetings.select_related("occurrence")
        .order_by("-occurrence__original_starts_at")
        .first()
    )
    if last is None:
        raise RuleBroken(_("This cycle has no meetings to continue from: start a new one."))
    start = last.occurrence.original_starts_at
    minutes = int((last.occurrence.ends_at - last.occurrence.starts_at).total_seconds() // 60)
    step = {
        Rhythm.WEEKLY: relativedelta(weeks=1),
        Rhythm.FORTNIGHTLY: relativedelta(weeks=2),
        Rhythm.MONTHLY: relativedelta(months=1),
    }[rhythm]
    while start < now + NOTICE:
        start += step
    return start, minutes


def _end_crew(crew: Group, people) -> None:
    for person in people:
        membership_leave(person=person, group=crew)
    crew.status = Status.CLOSED
    crew.save(update_fields=["status"])


def _close(cycle: CrewCycle, *, by, now: datetime) -> None:
    crew = Group.objects.select_for_update(of=("self",)).get(pk=cycle.crew_id)
    memberships = list(
        crew.memberships.filter(state__in=Membership.MEMBER_STATES)
        .select_related("person")
        .order_by("started_at", "pk")
    )
    people = {m.person_id: m.person for m in memberships}
    choices = dict(cycle.retrospectives.values_list("person_id", "choice"))
    # Only the answers of people still in the crew count.
    choices = {pk: choice for pk, choice in choices.items() if pk in people}
    outcome = outcome_decide(choices, list(people))
    cycle.status = CycleStatus.CLOSED
    cycle.closed_at = now
    if outcome["result"] == ENDED:
        _end_crew(crew, people.values())
    elif outcome["result"] == PAUSED:
        crew.status = Status.PAUSED
        crew.save(update_fields=["status"])
    else:
        for pk in outcome["leaving"]:
            membership_leave(person=people[pk], group=crew)
        states = {m.person_id: m.state for m in memberships}
        for pk in outcome["pausing"]:
            if states[pk] == MembershipState.ACTIVE:
                membership_pause(person=people[pk], group=crew, paused=True)
    cycle.outcome = outcome
    cycle.save(update_fields=["status", "closed_at", "outcome"])
    if outcome["result"] == CONTINUED:
        rhythm = _rhythm_of(cycle)
        first, minutes = _next_start(cycle, rhythm, now)
        starter = people[outcome["continuing"][0]]
        following = cycle_start(
            crew=crew,
            by=starter,
            first_meeting_at=first,
            rhythm=rhythm,
            meeting_minutes=minutes,
            template=cycle.template,
            call_link=cycle.series.call_link if cycle.series is not None else "",
            agreements=cycle.agreements,
            formation_round=cycle.formation_round,
            call=cycle.call,
        )
        outcome["next_cycle"] = following.number
        cycle.outcome = outcome
        cycle.save(update_fields=["outcome"])
    transaction.on_commit(partial(tasks.retrospective_closed_notify.enqueue, cycle.pk))


def cycles_due_for_retrospective(congregation: Group, *, now: datetime | None = None):
    """Cycles of the congregation's crews whose end has passed with no outcome yet."""
    today = timezone.localdate(now or timezone.now())
    return (
        CrewCycle.objects.filter(
            crew__parent=congregation,
            closed_at__isnull=True,
            ends_on__lt=today,
        )
        .exclude(crew__status=Status.CLOSED)
        .select_related("crew")
        .order_by("ends_on")
    )
