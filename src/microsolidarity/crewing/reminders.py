"""A day before each crew meeting, the members are told who hosts, who is focus, and the link.

Idempotent through `gatherings.ReminderSent`: the row is claimed in a transaction (its
unique constraint decides between two runners), the email is sent, and only then does the
claim commit; a failed email rolls it back and the next pass tries again.

Crew series are created with no reminder times of their own, but the gatherings
reminder loop falls back to its defaults (a day and an hour before) for them. So the
crew reminder goes out a little more than a day ahead and marks those default
reminders as covered: members get the crew's own reminder, once, and no generic copy.
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from microsolidarity.crewing import emails
from microsolidarity.crewing.cycles import departures_settle
from microsolidarity.crewing.models import CrewMeeting, CycleStatus
from microsolidarity.gatherings.models import (
    DEFAULT_REMINDER_MINUTES,
    GatheringStatus,
    OccurrenceStatus,
    ReminderSent,
)
from microsolidarity.groups.models import MembershipState
from microsolidarity.periodic import each_survives

logger = logging.getLogger(__name__)

DAY_MINUTES = 24 * 60
# Sent from 25 hours ahead, so it reaches people before the generic 24-hour reminder would.
LEAD = timedelta(hours=25)


def due_meetings(now: datetime):
    return (
        CrewMeeting.objects.filter(
            cycle__status__in=(CycleStatus.RUNNING, CycleStatus.RETROSPECTIVE),
            occurrence__status=OccurrenceStatus.SCHEDULED,
            occurrence__gathering__status=GatheringStatus.SCHEDULED,
            occurrence__starts_at__gt=now,
            occurrence__starts_at__lte=now + LEAD,
        )
        .select_related(
            "cycle", "cycle__crew", "cycle__series", "occurrence", "occurrence__gathering"
        )
        .select_related("focus", "host")
        .order_by("occurrence__starts_at")
    )


def _remind(meeting: CrewMeeting) -> int:
    crew = meeting.cycle.crew
    members = [
        membership.person
        for membership in crew.memberships.filter(state=MembershipState.ACTIVE).select_related(
            "person", "person__profile"
        )
    ]
    return each_survives(
        members,
        partial(_remind_one, meeting),
        what=f"The reminder of crew meeting {meeting.pk} for person",
    )


@transaction.atomic
def _remind_one(meeting: CrewMeeting, person) -> int:
    """Mark and send: the marks commit only once the email went (a failed one rolls back)."""
    _row, created = ReminderSent.objects.get_or_create(
        occurrence=meeting.occurrence, person=person, minutes_before=DAY_MINUTES
    )
    if not created:
        return 0
    ReminderSent.objects.bulk_create(
        [
            ReminderSent(occurrence=meeting.occurrence, person=person, minutes_before=minutes)
            for minutes in DEFAULT_REMINDER_MINUTES
            if minutes != DAY_MINUTES
        ],
        ignore_conflicts=True,
    )
    emails.meeting_reminder_email_send(meeting=meeting, person=person)
    return 1


def crew_reminders_send(*, now: datetime | None = None) -> int:
    """Send every crew reminder that is due and not sent yet; returns how many went out.

    First settles cycles whose focus or host people left from the group page, so the
    reminder names the right host and no reminder goes out for a cancelled meeting.
    One meeting (or one cycle to settle) that fails is logged and the others go on.
    """
    now = now or timezone.now()
    try:
        departures_settle(now=now)
    except Exception:
        logger.exception("Settling departures failed; the reminders go on")
    return each_survives(due_meetings(now), _remind, what="The reminders of crew meeting")
