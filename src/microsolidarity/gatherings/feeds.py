"""iCalendar (RFC 5545) for gatherings: one occurrence, one gathering, a group, a person.

Events carry their host's time zone (with VTIMEZONE components), so a calendar
shows a monthly 19:30 Berlin call at 19:30 Berlin time on both sides of a
daylight-saving change. A recurring gathering is one event with its RRULE,
EXDATEs for cancelled occurrences and overrides for moved ones.
"""

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from icalendar import Calendar, Event, vRecur

from microsolidarity.gatherings.access import can_see_call_link
from microsolidarity.gatherings.models import (
    Audience,
    CalendarFeed,
    Gathering,
    GatheringStatus,
    Occurrence,
    OccurrenceStatus,
    Rsvp,
    RsvpState,
)
from microsolidarity.groups.models import Group, Membership, Scale, Visibility
from microsolidarity.groups.queries import not_hidden_for
from microsolidarity.site import site_url

PRODID = "-//Microsolidarity//Gatherings//EN"
UID_DOMAIN = "microsolidarity"
PAST_DAYS_IN_FEEDS = 60
FEED_KEY_BYTES = 32
FEED_KEY_SALT = "microsolidarity.gatherings.calendar-feed"


# RFC 5545 allows no control character in a text value but HTAB (newlines are escaped).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _one_line(text: str) -> str:
    """A title or place on one line, whatever was stored: a calendar line never breaks."""
    return " ".join(_CONTROLS.sub(" ", text or "").split())


def _lines(text: str) -> str:
    """Text that may hold newlines (icalendar escapes them), without other controls."""
    return _CONTROLS.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _one_line(name))
    return calendar


def _finish(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def _series_uid(gathering: Gathering) -> str:
    return f"gathering-{gathering.pk}@{UID_DOMAIN}"


def _occurrence_uid(occurrence: Occurrence) -> str:
    stamp = occurrence.original_starts_at.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")
    return f"gathering-{occurrence.gathering_id}-{stamp}@{UID_DOMAIN}"


def _describe(gathering: Gathering, url: str, *, link: bool) -> str:
    parts = [gathering.description.strip()]
    if link and gathering.call_link:
        parts.append(f"Call link: {gathering.call_link}")
    if gathering.contribution_url:
        note = gathering.contribution_note or ""
        parts.append(f"Contribute: {gathering.contribution_url} {note}".strip())
    parts.append(url)
    return "\n\n".join(part for part in parts if part)


def _location(gathering: Gathering, *, link: bool) -> str:
    place = ", ".join(part for part in (gathering.place, gathering.town_name) if part)
    return place or (gathering.call_link if link else "")


def _event(
    gathering: Gathering, *, uid: str, starts: datetime, ends: datetime, url: str, link: bool
) -> Event:
    """One event; the call link only when `link` (`can_see_call_link` for the reader)."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("summary", _one_line(gathering.title))
    event.add("dtstart", _local(starts, gathering.timezone))
    event.add("dtend", _local(ends, gathering.timezone))
    event.add("description", _lines(_describe(gathering, url, link=link)))
    location = _one_line(_location(gathering, link=link))
    if location:
        event.add("location", location)
    if link and gathering.call_link:
        event.add("url", gathering.call_link)
    return event


def _absolute(path: str, base_url: str) -> str:
    return base_url.rstrip("/") + path


def _series_events(gathering: Gathering, base_url: str, *, link: bool) -> list[Event]:
    """The recurring event with its rule, plus cancelled and moved exceptions."""
    occurrences = list(gathering.occurrences.all())
    url = _absolute(gathering.get_absolute_url(), base_url)
    length = gathering.ends_at - gathering.starts_at
    master = _event(
        gathering,
        uid=_series_uid(gathering),
        starts=gathering.starts_at,
        ends=gathering.starts_at + length,
        url=url,
        link=link,
    )
    master.add("rrule", vRecur.from_ical(gathering.recurrence))
    if gathering.status == GatheringStatus.CANCELLED:
        master.add("status", "CANCELLED")
    events = [master]
    for occurrence in occurrences:
        original = _local(occurrence.original_starts_at, gathering.timezone)
        if occurrence.status == OccurrenceStatus.CANCELLED:
            master.add("exdate", original)
        elif occurrence.is_moved or occurrence.ends_at - occurrence.starts_at != length:
            moved = _event(
                gathering,
                uid=_series_uid(gathering),
                starts=occurrence.starts_at,
                ends=occurrence.ends_at,
                url=url,
                link=link,
            )
            moved.add("recurrence-id", original)
            events.append(moved)
    return events


def _occurrence_event(
    occurrence: Occurrence, base_url: str, *, viewer, tentative: bool = False
) -> Event:
    gathering = occurrence.gathering
    event = _event(
        gathering,
        uid=_occurrence_uid(occurrence),
        starts=occurrence.starts_at,
        ends=occurrence.ends_at,
        url=_absolute(occurrence.get_absolute_url(), base_url),
        link=can_see_call_link(viewer, occurrence),
    )
    cancelled = (
        occurrence.status == OccurrenceStatus.CANCELLED
        or gathering.status == GatheringStatus.CANCELLED
    )
    event.add("status", "CANCELLED" if cancelled else ("TENTATIVE" if tentative else "CONFIRMED"))
    return event


def _gathering_events(gathering: Gathering, base_url: str, *, viewer) -> list[Event]:
    if gathering.is_recurring:
        return _series_events(gathering, base_url, link=can_see_call_link(viewer, gathering))
    occurrence = gathering.occurrences.first()
    if occurrence is None:
        event = _event(
            gathering,
            uid=_series_uid(gathering),
            starts=gathering.starts_at,
            ends=gathering.ends_at,
            url=_absolute(gathering.get_absolute_url(), base_url),
            link=can_see_call_link(viewer, gathering),
        )
        return [event]
    return [_occurrence_event(occurrence, base_url, viewer=viewer)]


def occurrence_ics(occurrence: Occurrence, *, viewer, base_url: str = "") -> bytes:
    """One occurrence as a calendar file for `viewer` (None: anyone), for email attachments
    and the download link."""
    calendar = _calendar(occurrence.gathering.title)
    calendar.add("method", "PUBLISH")
    calendar.add_component(_occurrence_event(occurrence, base_url or site_url(), viewer=viewer))
    return _finish(calendar)


def gathering_ics(gathering: Gathering, *, viewer, base_url: str = "") -> bytes:
    calendar = _calendar(gathering.title)
    for event in _gathering_events(gathering, base_url or site_url(), viewer=viewer):
        calendar.add_component(event)
    return _finish(calendar)


def group_ics(group: Group, gatherings: Iterable[Gathering], *, base_url: str = "") -> bytes:
    """A group's public feed: read by calendars nobody signed in to, so no call links."""
    calendar = _calendar(group.name)
    for gathering in gatherings:
        for event in _gathering_events(gathering, base_url or site_url(), viewer=None):
            calendar.add_component(event)
    return _finish(calendar)


def public_group_gatherings(group: Group):
    """What a public group's feed shows: its public gatherings, nothing members-only."""
    if group.visibility != Visibility.PUBLIC:
        return Gathering.objects.none()
    return (
        Gathering.objects.filter(group=group, audience=Audience.PUBLIC, hidden_at__isnull=True)
        .prefetch_related("occurrences")
        .order_by("starts_at")
    )


def person_ics(person, *, base_url: str = "") -> bytes:
    """What I'm going to (waitlisted shows as tentative) and my crews' gatherings."""
    base_url = base_url or site_url()
    since = timezone.now() - timedelta(days=PAST_DAYS_IN_FEEDS)
    calendar = _calendar(f"{person} · Microsolidarity")
    rsvps = (
        Rsvp.objects.filter(
            person=person,
            state__in=[RsvpState.GOING, RsvpState.WAITLISTED],
            occurrence__ends_at__gte=since,
        )
        .filter(
            not_hidden_for(
                person, "occurrence__gathering__group", "occurrence__gathering__hidden_at"
            )
        )
        .select_related("occurrence__gathering")
        .order_by("occurrence__starts_at")
    )
    included: set[int] = set()
    for rsvp in rsvps:
        included.add(rsvp.occurrence_id)
        calendar.add_component(
            _occurrence_event(
                rsvp.occurrence,
                base_url,
                viewer=person,
                tentative=rsvp.state == RsvpState.WAITLISTED,
            )
        )
    crews = Membership.objects.filter(
        person=person, state__in=Membership.MEMBER_STATES, group__scale__in=[Scale.CREW]
    ).values("group")
    crew_occurrences = (
        Occurrence.objects.filter(gathering__group__in=crews, ends_at__gte=since)
        .filter(not_hidden_for(person, "gathering__group", "gathering__hidden_at"))
        .exclude(pk__in=included)
        .select_related("gathering")
        .order_by("starts_at")
    )
    for occurrence in crew_occurrences:
        calendar.add_component(_occurrence_event(occurrence, base_url, viewer=person))
    return _finish(calendar)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _derived_key(feed: CalendarFeed) -> str:
    """The feed's key, made again from SECRET_KEY whenever the page shows it: the database
    alone (a backup, a leak) holds only its hash, never a working address."""
    made_of = f"{feed.person_id}:{feed.pk}:{feed.created_at.isoformat()}"
    return salted_hmac(FEED_KEY_SALT, made_of, algorithm="sha256").hexdigest()


@transaction.atomic
def calendar_feed_reset(*, person) -> str:
    """A new secret feed address; every earlier one stops working. Returns its key."""
    CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    # A random placeholder until the row has the id the key is made from.
    feed = CalendarFeed.objects.create(person=person, key_hash=secrets.token_hex(FEED_KEY_BYTES))
    key = _derived_key(feed)
    feed.key_hash = _hash(key)
    feed.save(update_fields=["key_hash"])
    return key


def calendar_feed_key(person) -> str | None:
    """The key of the person's feed, to show its address again; None without a feed, or for
    one whose key cannot be made again (made before keys were derived, or under an earlier
    SECRET_KEY): it still works, and making a new address shows one."""
    feed = CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).first()
    if feed is None:
        return None
    key = _derived_key(feed)
    return key if _hash(key) == feed.key_hash else None


def calendar_feed_revoke(*, person) -> int:
    return CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def calendar_feed_person(key: str):
    """The person behind an active feed key, or None."""
    feed = (
        CalendarFeed.objects.select_related("person")
        .filter(Q(key_hash=_hash(key)), revoked_at__isnull=True, person__is_active=True)
        .first()
    )
    return feed.person if feed else None


def calendar_feed_active(person) -> bool:
    return CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).exists()
