"""Writes on gatherings: create, update, cancel, and who hosts them."""

from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings import access, occurrences, rsvp, tasks
from microsolidarity.gatherings.models import (
    Audience,
    CallLinkAudience,
    Gathering,
    GatheringStatus,
    Kind,
    Mode,
    OccurrenceStatus,
    default_reminder_minutes,
)
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Group
from microsolidarity.periodic import each_survives
from microsolidarity.zones import zone_checked

# Fields a host may change with `gathering_update`; the schedule ones move occurrences.
EDITABLE = {
    "title",
    "description",
    "kind",
    "mode",
    "call_link",
    "call_link_audience",
    "place",
    "town_name",
    "timezone",
    "starts_at",
    "ends_at",
    "recurrence",
    "capacity",
    "rsvp_closes_before",
    "audience",
    "contribution_url",
    "contribution_note",
    "registration_questions",
    "reminder_minutes",
}
SCHEDULE = {"timezone", "starts_at", "ends_at", "recurrence"}
MAX_REMINDER_MINUTES = 14 * 24 * 60
MAX_QUESTIONS = 20
# Addresses under /gatherings/ that are pages, not gatherings.
RESERVED_SLUGS = {"new"}


def _unique_slug(title: str) -> str:
    base = slugify(title)[:140] or "gathering"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Gathering.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _https_or_http(url: str, field: str) -> str:
    url = (url or "").strip()
    if url and urlsplit(url).scheme not in ("http", "https"):
        raise RuleBroken(_("Give a link that starts with https://."), field=field)
    return url


def questions_check(questions) -> list[dict]:
    """Registration questions: [{"key", "label", "required"}], keys unique."""
    if not questions:
        return []
    if not isinstance(questions, list) or len(questions) > MAX_QUESTIONS:
        raise RuleBroken(_("Ask at most 20 questions."), field="registration_questions")
    tidy, keys = [], set()
    for question in questions:
        label = str(question.get("label", "")).strip()[:200] if isinstance(question, dict) else ""
        if not label:
            raise RuleBroken(_("Each question needs words to ask."), field="registration_questions")
        key = slugify(str(question.get("key") or label)).replace("-", "_")[:40] or "question"
        if key in keys:
            raise RuleBroken(
                _("Two questions share the name %(key)s.") % {"key": key},
                field="registration_questions",
            )
        keys.add(key)
        tidy.append({"key": key, "label": label, "required": bool(question.get("required"))})
    return tidy


def reminders_check(minutes) -> list[int]:
    try:
        values = sorted({int(m) for m in (minutes or [])}, reverse=True)
    except (TypeError, ValueError) as error:
        raise RuleBroken(
            _("Give reminder times as minutes before the start, like 1440, 60."),
            field="reminder_minutes",
        ) from error
    if any(m <= 0 or m > MAX_REMINDER_MINUTES for m in values):
        raise RuleBroken(
            _("Reminders can go from 1 minute to 14 days before the start."),
            field="reminder_minutes",
        )
    return values


def _check(gathering: Gathering) -> None:
    if not gathering.title.strip():
        raise RuleBroken(_("Give the gathering a title."), field="title")
    zone_checked(gathering.timezone)
    for value, field in ((gathering.starts_at, "starts_at"), (gathering.ends_at, "ends_at")):
        if value is None or timezone.is_naive(value):
            raise RuleBroken(_("Give the time with its time zone."), field=field)
    if gathering.ends_at <= gathering.starts_at:
        raise RuleBroken(_("The end must come after the start."), field="ends_at")
    if gathering.ends_at - gathering.starts_at > timedelta(days=31):
        raise RuleBroken(_("A gathering can last up to 31 days."), field="ends_at")
    if gathering.capacity is not None and gathering.capacity < 1:
        raise RuleBroken(_("Leave seats empty for no limit, or give 1 or more."), field="capacity")
    if gathering.rsvp_closes_before is not None and gathering.rsvp_closes_before < timedelta(0):
        raise RuleBroken(
            _("RSVPs can close before the start, not after."), field="rsvp_closes_before"
        )
    gathering.recurrence = occurrences.recurrence_check(
        gathering.recurrence, zone_name=gathering.timezone
    )
    gathering.call_link = _https_or_http(gathering.call_link, "call_link")
    if gathering.call_link_audience not in CallLinkAudience.values:
        raise RuleBroken(
            _("Show the call link to people going or to all members."), field="call_link_audience"
        )
    gathering.contribution_url = _https_or_http(gathering.contribution_url, "contribution_url")
    if gathering.mode in (Mode.IN_PERSON, Mode.BOTH) and not (
        gathering.place.strip() or gathering.town_name.strip()
    ):
        raise RuleBroken(_("Say where people meet: a place or a town."), field="place")
    gathering.registration_questions = questions_check(gathering.registration_questions)
    gathering.reminder_minutes = reminders_check(gathering.reminder_minutes)


def _co_hosts_check(group: Group, co_hosts) -> list:
    people = list(co_hosts or [])
    for person in people:
        if not group_access.is_active_member(person, group):
            raise RuleBroken(
                _("%(person)s is not an active member of %(group)s, so can't co-host.")
                % {"person": person, "group": group.name},
                field="co_hosts",
            )
    return people


@transaction.atomic
def gathering_create(
    *,
    by,
    group: Group,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    host_timezone: str = "UTC",
    recurrence: str = "",
    description: str = "",
    kind: str = Kind.GATHERING,
    mode: str = Mode.ONLINE,
    call_link: str = "",
    call_link_audience: str = CallLinkAudience.GOING,
    place: str = "",
    town_name: str = "",
    capacity: int | None = None,
    rsvp_closes_before: timedelta | None = None,
    audience: str = Audience.PUBLIC,
    contribution_url: str = "",
    contribution_note: str = "",
    registration_questions: list | None = None,
    reminder_minutes: list[int] | None = None,
    co_hosts=(),
) -> Gathering:
    """Call a gathering in a group; the caller hosts it, with any co-hosts from the group."""
    if not access.can_host_in(by, group):
        raise NotAllowed(
            _("Only the hosts of %(name)s can call its gatherings.") % {"name": group.name}
        )
    gathering = Gathering(
        group=group,
        title=title.strip(),
        description=description.strip(),
        kind=kind,
        mode=mode,
        call_link=call_link,
        call_link_audience=call_link_audience,
        place=place.strip(),
        town_name=town_name.strip(),
        timezone=host_timezone,
        starts_at=starts_at,
        ends_at=ends_at,
        recurrence=recurrence,
        capacity=capacity,
        rsvp_closes_before=rsvp_closes_before,
        audience=audience,
        contribution_url=contribution_url,
        contribution_note=contribution_note.strip(),
        registration_questions=list(registration_questions or []),
        reminder_minutes=(
            default_reminder_minutes() if reminder_minutes is None else list(reminder_minutes)
        ),
        created_by=by,
    )
    _check(gathering)
    people = _co_hosts_check(group, co_hosts)
    gathering.slug = _unique_slug(gathering.title)
    gathering.save()
    gathering.hosts.add(by, *people)
    occurrences.occurrences_materialise(gathering=gathering)
    return gathering


def _lock(gathering: Gathering) -> Gathering:
    return (
        Gathering.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=gathering.pk)
    )


@transaction.atomic
def gathering_update(*, by, gathering: Gathering, **changes) -> Gathering:
    """Change what hosts may change; a new time or rule moves the future occurrences."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise RuleBroken(_("These can't be changed: %(fields)s.") % {"fields": ", ".join(unknown)})
    gathering = _lock(gathering)
    if not access.can_manage_gathering(by, gathering):
        raise NotAllowed(_("Only the hosts can change this gathering."))
    if gathering.status == GatheringStatus.CANCELLED:
        raise RuleBroken(_("This gathering is cancelled."))
    old_capacity = gathering.capacity
    old_schedule = {field: getattr(gathering, field) for field in SCHEDULE}
    for field, value in changes.items():
        setattr(gathering, field, value.strip() if isinstance(value, str) else value)
    _check(gathering)
    gathering.save(update_fields=sorted(changes))
    if any(getattr(gathering, field) != old_schedule[field] for field in SCHEDULE):
        occurrences.occurrences_reschedule(gathering=gathering)
    grew = gathering.capacity is None or (
        old_capacity is not None and gathering.capacity > old_capacity
    )
    if grew and old_capacity is not None:
        for occurrence in gathering.occurrences.filter(
            starts_at__gt=timezone.now(), status=OccurrenceStatus.SCHEDULED
        ).order_by("starts_at", "pk"):
            rsvp.seats_refill(occurrence=occurrence)
    return gathering


@transaction.atomic
def gathering_cancel(*, by, gathering: Gathering, note: str = "") -> Gathering:
    """Call off the whole gathering: every future occurrence is cancelled and people told."""
    gathering = _lock(gathering)
    if not access.can_manage_gathering(by, gathering):
        raise NotAllowed(_("Only the hosts can cancel this gathering."))
    if gathering.status == GatheringStatus.CANCELLED:
        return gathering
    gathering.status = GatheringStatus.CANCELLED
    gathering.save(update_fields=["status"])
    note = note.strip()[:300] or _("The hosts cancelled this gathering.")
    future = gathering.occurrences.filter(
        ends_at__gt=timezone.now(), status=OccurrenceStatus.SCHEDULED
    )
    for occurrence_id in list(future.values_list("pk", flat=True)):
        transaction.on_commit(partial(tasks.occurrence_changed_notify.enqueue, occurrence_id))
    future.update(status=OccurrenceStatus.CANCELLED, note=note)
    return gathering


@transaction.atomic
def gathering_host_add(*, by, gathering: Gathering, person) -> Gathering:
    if not access.can_manage_gathering(by, gathering):
        raise NotAllowed(_("Only the hosts can share hosting."))
    _co_hosts_check(gathering.group, [person])
    gathering.hosts.add(person)
    gathering.__dict__.pop("_host_ids", None)
    return gathering


@transaction.atomic
def gathering_host_remove(*, by, gathering: Gathering, person) -> Gathering:
    if not (access.can_manage_gathering(by, gathering) or by == person):
        raise NotAllowed(_("Only the hosts can change who hosts."))
    if gathering.hosts.exclude(pk=person.pk).count() == 0:
        raise RuleBroken(_("A gathering keeps at least one host: add another first."))
    gathering.hosts.remove(person)
    gathering.__dict__.pop("_host_ids", None)
    return gathering


def occurrences_extend_all(*, now: datetime | None = None) -> int:
    """Roll every repeating gathering's horizon forward (run daily, with reminders)."""
    return each_survives(
        Gathering.objects.filter(status=GatheringStatus.SCHEDULED).exclude(recurrence=""),
        lambda gathering: occurrences.occurrences_materialise(gathering=gathering, now=now),
        what="Extending the occurrences of gathering",
    )
