"""Emails about gatherings: reminders before each occurrence, promotions, changes.

Reminders are idempotent through `ReminderSent`: the row is claimed in a transaction (a
unique constraint decides between two runners), the email is sent, and only then is the
claim committed; a failed email rolls it back, is logged, and the others go on. When
several reminders are due at once (someone said going 30 minutes before), only the
closest one is sent and the others are marked as covered.
"""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from microsolidarity.gatherings.access import can_see_call_link
from microsolidarity.gatherings.feeds import occurrence_ics
from microsolidarity.gatherings.models import (
    Gathering,
    GatheringStatus,
    Mode,
    Occurrence,
    OccurrenceStatus,
    ReminderSent,
    Rsvp,
    RsvpState,
)
from microsolidarity.mail import Attachment, email_send, greeting
from microsolidarity.periodic import each_survives
from microsolidarity.site import absolute_url
from microsolidarity.zones import moment_text, person_zone

LOOKAHEAD = timedelta(days=31)


def reminder_offsets(gathering: Gathering) -> list[int]:
    minutes = gathering.reminder_minutes
    return sorted({int(m) for m in minutes if int(m) > 0}, reverse=True)


def _when(occurrence: Occurrence, person) -> str:
    """The time in the reader's zone, and the hosts' when it differs."""
    return moment_text(
        occurrence.starts_at, person_zone(person), also=occurrence.gathering.timezone
    )


def _where(occurrence: Occurrence, person) -> list[str]:
    gathering = occurrence.gathering
    lines = []
    online = gathering.mode in (Mode.ONLINE, Mode.BOTH) and gathering.call_link
    if online and can_see_call_link(person, occurrence):
        lines.append(_("Call link: %(link)s") % {"link": gathering.call_link})
    if gathering.mode in (Mode.IN_PERSON, Mode.BOTH):
        place = ", ".join(p for p in (gathering.place, gathering.town_name) if p)
        if place:
            lines.append(_("Place: %(place)s") % {"place": place})
    return lines


def _send(person, subject: str, lines: list[str], occurrence: Occurrence) -> None:
    ics = partial(occurrence_ics, occurrence, viewer=person)
    email_send(
        to=[person.email], subject=subject, lines=lines, attachments=[Attachment("invite.ics", ics)]
    )


def reminder_email(*, occurrence: Occurrence, person, minutes_before: int) -> None:
    gathering = occurrence.gathering
    lead = _("in a day") if minutes_before >= 24 * 60 else _("soon")
    lines = [
        greeting(person),
        "",
        _("%(title)s starts %(lead)s: %(when)s.")
        % {"title": gathering.title, "lead": lead, "when": _when(occurrence, person)},
        *_where(occurrence, person),
        "",
        _("If you can't come, please say so on the page so someone waiting gets your seat:"),
        absolute_url(occurrence.get_absolute_url()),
    ]
    _send(person, _("Reminder: %(title)s") % {"title": gathering.title}, lines, occurrence)


def reminders_send(*, now: datetime | None = None, occurrence_ids=None) -> int:
    """Send every reminder that is due now and was not sent yet; returns how many went out."""
    now = now or timezone.now()
    occurrences = Occurrence.objects.filter(
        status=OccurrenceStatus.SCHEDULED,
        gathering__status=GatheringStatus.SCHEDULED,
        # Nothing reminds people of what the hosts hid; unhidden, the reminders resume.
        gathering__hidden_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + LOOKAHEAD,
    ).select_related("gathering")
    if occurrence_ids is not None:
        occurrences = occurrences.filter(pk__in=occurrence_ids)
    due: dict[int, list[int]] = {}
    for occurrence in occurrences:
        offsets = reminder_offsets(occurrence.gathering)
        due[occurrence.pk] = [
            m for m in offsets if occurrence.starts_at - timedelta(minutes=m) <= now
        ]
    return each_survives(
        [occurrence for occurrence in occurrences if due[occurrence.pk]],
        lambda occurrence: _remind(occurrence, due[occurrence.pk]),
        what="The reminders of occurrence",
    )


def _remind(occurrence: Occurrence, due: list[int]) -> int:
    closest = min(due)
    going = Rsvp.objects.filter(occurrence=occurrence, state=RsvpState.GOING).select_related(
        "person", "person__profile"
    )
    sent_before: dict[int, set[int]] = {}
    for person_id, minutes in ReminderSent.objects.filter(occurrence=occurrence).values_list(
        "person_id", "minutes_before"
    ):
        sent_before.setdefault(person_id, set()).add(minutes)
    waiting = [
        rsvp
        for rsvp in going
        if not any(m <= closest for m in sent_before.get(rsvp.person_id, set()))
    ]
    return each_survives(
        waiting,
        partial(_remind_one, occurrence, due, sent_before),
        what=f"The reminder of occurrence {occurrence.pk} for RSVP",
    )


@transaction.atomic
def _remind_one(occurrence: Occurrence, due: list[int], sent_before: dict, rsvp: Rsvp) -> int:
    """Mark and send one reminder: the marks are committed only once the email went, so a
    failed email leaves the person unmarked for the next pass (never "reminded" unsent)."""
    closest = min(due)
    already = sent_before.get(rsvp.person_id, set())
    _row, created = ReminderSent.objects.get_or_create(
        occurrence=occurrence, person=rsvp.person, minutes_before=closest
    )
    if not created:
        return 0
    # Earlier reminders that were never sent are covered by this one.
    ReminderSent.objects.bulk_create(
        [
            ReminderSent(occurrence=occurrence, person=rsvp.person, minutes_before=m)
            for m in due
            if m != closest and m not in already
        ],
        ignore_conflicts=True,
    )
    reminder_email(occurrence=occurrence, person=rsvp.person, minutes_before=closest)
    return 1


def promotion_notify(*, rsvp_id: int) -> bool:
    """Tell someone that a seat freed and they are going now."""
    rsvp = (
        Rsvp.objects.filter(pk=rsvp_id, state=RsvpState.GOING)
        .select_related("person", "person__profile", "occurrence", "occurrence__gathering")
        .first()
    )
    if rsvp is None:
        return False
    occurrence, person = rsvp.occurrence, rsvp.person
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            greeting(person),
            "",
            _("A seat came free: you are going to %(title)s on %(when)s.")
            % {"title": occurrence.gathering.title, "when": _when(occurrence, person)},
            *_where(occurrence, person),
            "",
            _("If you can't come after all, say so here and the seat goes to the next person:"),
            absolute_url(occurrence.get_absolute_url()),
        ]
        _send(
            person,
            _("You're in: %(title)s") % {"title": occurrence.gathering.title},
            lines,
            occurrence,
        )
    return True


def occurrence_change_notify(*, occurrence_id: int) -> int:
    """Tell everyone going or waiting that an occurrence was cancelled or moved."""
    occurrence = Occurrence.objects.filter(pk=occurrence_id).select_related("gathering").first()
    if occurrence is None:
        return 0
    rsvps = Rsvp.objects.filter(
        Q(state=RsvpState.GOING) | Q(state=RsvpState.WAITLISTED), occurrence=occurrence
    ).select_related("person", "person__profile")
    title = occurrence.gathering.title
    count = 0
    for rsvp in rsvps:
        person = rsvp.person
        if occurrence.status == OccurrenceStatus.CANCELLED:
            subject = _("Cancelled: %(title)s") % {"title": title}
            news = _("%(title)s on %(when)s is cancelled.")
        else:
            subject = _("New time: %(title)s") % {"title": title}
            news = _("%(title)s has moved to %(when)s.")
        lines = [
            greeting(person),
            "",
            news % {"title": title, "when": _when(occurrence, person)},
            occurrence.note,
            "",
            absolute_url(occurrence.get_absolute_url()),
        ]
        _send(person, subject, lines, occurrence)
        count += 1
    return count
