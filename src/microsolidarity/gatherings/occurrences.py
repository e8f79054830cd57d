"""Occurrences of a gathering: RRULE expansion in the host's zone, materialising, cancel, move."""

import re
import zoneinfo
from datetime import UTC, datetime, timedelta
from functools import partial

from dateutil.rrule import rrulestr
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings import access, tasks
from microsolidarity.gatherings import rsvp as rsvps
from microsolidarity.gatherings.models import (
    Gathering,
    GatheringStatus,
    Occurrence,
    OccurrenceStatus,
    ReminderSent,
    RsvpState,
)
from microsolidarity.zones import zone_checked

HORIZON = timedelta(days=365)
MAX_FUTURE_OCCURRENCES = 50
ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_UNTIL = re.compile(r"UNTIL=(\d{8}(?:T\d{6})?)(Z?)", re.IGNORECASE)


def _normalised_rule(rule: str, zone: zoneinfo.ZoneInfo) -> str:
    """An UNTIL without Z is read in the host's zone; dateutil wants UTC next to an aware start."""
    rule = rule.strip().removeprefix("RRULE:").removeprefix("rrule:").strip()

    def to_utc(match: re.Match) -> str:
        value, utc = match.group(1), match.group(2)
        if utc:
            return match.group(0)
        parsed = datetime.strptime(value, "%Y%m%dT%H%M%S" if "T" in value else "%Y%m%d")
        if "T" not in value:
            parsed = parsed.replace(hour=23, minute=59, second=59)
        local = parsed.replace(tzinfo=zone)
        return "UNTIL=" + local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    return _UNTIL.sub(to_utc, rule)


def recurrence_check(rule: str, *, zone_name: str = "UTC") -> str:
    """Parse an RFC 5545 RRULE value; return it tidied, or refuse with a readable message."""
    rule = rule.strip()
    if not rule:
        return ""
    if "\n" in rule or "DTSTART" in rule.upper():
        raise RuleBroken(
            _("Give one rule line such as FREQ=WEEKLY;BYDAY=TH, without DTSTART."),
            field="recurrence",
        )
    zone = zone_checked(zone_name)
    normalised = _normalised_rule(rule, zone)
    try:
        rrulestr(normalised, dtstart=datetime(2026, 1, 1, tzinfo=zone))
    except (ValueError, TypeError) as error:
        raise RuleBroken(
            _("That repeat rule is not one we can read (%(error)s). Try FREQ=WEEKLY;BYDAY=TH.")
            % {"error": error},
            field="recurrence",
        ) from error
    frequency = normalised.upper().split("FREQ=", 1)[-1].split(";", 1)[0]
    if frequency not in ALLOWED_FREQUENCIES:
        raise RuleBroken(
            _("A gathering can repeat daily, weekly, monthly or yearly."), field="recurrence"
        )
    return normalised.removeprefix("RRULE:")


def expand(
    gathering: Gathering,
    *,
    after: datetime,
    until: datetime,
    limit: int = MAX_FUTURE_OCCURRENCES,
) -> list[tuple[datetime, datetime]]:
    """(start, end) pairs in UTC of occurrences ending after `after` and starting before `until`.

    The rule runs on the wall clock of the host's zone, so 19:30 stays 19:30 there on both
    sides of a daylight-saving change; each occurrence keeps the wall-clock length.
    """
    zone = zone_checked(gathering.timezone)
    local_start = gathering.starts_at.astimezone(zone)
    local_end = gathering.ends_at.astimezone(zone)
    wall_length = local_end.replace(tzinfo=None) - local_start.replace(tzinfo=None)
    if not gathering.recurrence:
        if gathering.ends_at > after:
            return [(gathering.starts_at, gathering.ends_at)]
        return []
    rule = rrulestr(_normalised_rule(gathering.recurrence, zone), dtstart=local_start)
    pairs = []
    for start in rule:
        start_utc = start.astimezone(UTC)
        if start_utc >= until:
            break
        end_utc = (start.replace(tzinfo=None) + wall_length).replace(tzinfo=zone).astimezone(UTC)
        if end_utc <= start_utc:
            end_utc = start_utc + (gathering.ends_at - gathering.starts_at)
        if end_utc <= after:
            continue
        pairs.append((start_utc, end_utc))
        if len(pairs) >= limit:
            break
    return pairs


@transaction.atomic
def occurrences_materialise(*, gathering: Gathering, now: datetime | None = None) -> int:
    """Create the occurrences of the coming year (at most 50 ahead); safe to run again."""

    if gathering.status == GatheringStatus.CANCELLED:
        return 0
    now = now or timezone.now()
    pairs = expand(gathering, after=now, until=now + HORIZON)
    existing = set(
        gathering.occurrences.filter(
            original_starts_at__in=[start for start, _end in pairs]
        ).values_list("original_starts_at", flat=True)
    )
    new = [
        Occurrence(gathering=gathering, original_starts_at=start, starts_at=start, ends_at=end)
        for start, end in pairs
        if start not in existing
    ]
    Occurrence.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        created = gathering.occurrences.filter(
            original_starts_at__in=[occurrence.original_starts_at for occurrence in new]
        ).order_by("starts_at")
        rsvps.series_fill(gathering=gathering, occurrences=list(created))
        soon = [o.pk for o in created if o.starts_at < now + timedelta(days=2)]
        for occurrence_id in soon:
            transaction.on_commit(partial(tasks.schedule_reminders, occurrence_id))
    return len(new)


@transaction.atomic
def occurrences_reschedule(*, gathering: Gathering, now: datetime | None = None) -> None:
    """After the time or rule changed: future occurrences follow the new schedule.

    Occurrences the rule no longer makes are removed when nobody answered them, and
    cancelled (so the people who did are told) otherwise. Moved occurrences stay moved.
    """
    now = now or timezone.now()
    wanted = {start: end for start, end in expand(gathering, after=now, until=now + HORIZON)}
    future = gathering.occurrences.select_for_update().filter(starts_at__gt=now)
    for occurrence in future:
        if occurrence.original_starts_at in wanted:
            if not occurrence.is_moved:
                end = wanted[occurrence.original_starts_at]
                if occurrence.ends_at != end:
                    occurrence.ends_at = end
                    occurrence.save(update_fields=["ends_at"])
            continue
        if occurrence.is_moved:
            continue
        if occurrence.rsvps.filter(state__in=[RsvpState.GOING, RsvpState.WAITLISTED]).exists():
            _cancel(occurrence, note=_("The schedule changed."))
        else:
            occurrence.delete()
    occurrences_materialise(gathering=gathering, now=now)


def _cancel(occurrence: Occurrence, *, note: str) -> None:
    occurrence.status = OccurrenceStatus.CANCELLED
    occurrence.note = note[:300]
    occurrence.save(update_fields=["status", "note"])
    transaction.on_commit(partial(tasks.occurrence_changed_notify.enqueue, occurrence.pk))


def _lock(occurrence: Occurrence) -> Occurrence:
    return (
        Occurrence.objects.select_for_update(of=("self",))
        .select_related("gathering", "gathering__group")
        .get(pk=occurrence.pk)
    )


@transaction.atomic
def occurrence_cancel(*, by, occurrence: Occurrence, note: str = "") -> Occurrence:
    """Call off one occurrence; everyone who answered going or waitlisted is told."""
    occurrence = _lock(occurrence)
    if not access.can_manage_gathering(by, occurrence.gathering):
        raise NotAllowed(_("Only the hosts can cancel a gathering."))
    if occurrence.status == OccurrenceStatus.CANCELLED:
        return occurrence
    if occurrence.ends_at <= timezone.now():
        raise RuleBroken(_("This one is over already."))
    _cancel(occurrence, note=note.strip() or _("The hosts cancelled this one."))
    return occurrence


@transaction.atomic
def occurrence_restore(*, by, occurrence: Occurrence) -> Occurrence:
    occurrence = _lock(occurrence)
    if not access.can_manage_gathering(by, occurrence.gathering):
        raise NotAllowed(_("Only the hosts can change a gathering."))
    occurrence.status = OccurrenceStatus.SCHEDULED
    occurrence.note = ""
    occurrence.save(update_fields=["status", "note"])
    return occurrence


@transaction.atomic
def occurrence_move(
    *,
    by,
    occurrence: Occurrence,
    starts_at: datetime,
    ends_at: datetime | None = None,
    note: str = "",
) -> Occurrence:
    """Move one occurrence; the others stay where the rule puts them. people are told."""
    if timezone.is_naive(starts_at) or (ends_at is not None and timezone.is_naive(ends_at)):
        raise RuleBroken(_("Give the new time with its time zone."), field="starts_at")
    occurrence = _lock(occurrence)
    if not access.can_manage_gathering(by, occurrence.gathering):
        raise NotAllowed(_("Only the hosts can move a gathering."))
    if occurrence.status == OccurrenceStatus.CANCELLED:
        raise RuleBroken(_("This one is cancelled: restore it before moving it."))
    if starts_at <= timezone.now():
        raise RuleBroken(_("Choose a time that is still ahead."), field="starts_at")
    ends_at = ends_at or starts_at + (occurrence.ends_at - occurrence.starts_at)
    if ends_at <= starts_at:
        raise RuleBroken(_("The end must come after the start."), field="ends_at")
    occurrence.starts_at = starts_at
    occurrence.ends_at = ends_at
    occurrence.note = note.strip()[:300] or _("Moved by the hosts.")
    occurrence.save(update_fields=["starts_at", "ends_at", "note"])
    # Reminders follow the new time.
    ReminderSent.objects.filter(occurrence=occurrence).delete()
    transaction.on_commit(partial(tasks.occurrence_changed_notify.enqueue, occurrence.pk))
    transaction.on_commit(partial(tasks.schedule_reminders, occurrence.pk))
    return occurrence
