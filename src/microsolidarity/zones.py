"""Time zones: a zone from a stored name, each person's own zone, a moment written in it.

Zone names come from profiles, gatherings and forms filled in long ago; a name the zone
database no longer knows must never stop a page or an email, so it reads as UTC.
"""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.errors import RuleBroken
from microsolidarity.matching.availability import (
    MINUTES_PER_DAY,
    AvailabilityError,
    Window,
    format_availability,
    parse_availability,
    week_minutes_utc,
)

UTC = zoneinfo.ZoneInfo("UTC")

# Day, date and time, as emails write them (the reader may be in another country).
LONG_FORMAT = "%A %d %B %Y, %H:%M"


def zone_choices() -> list[tuple[str, str]]:
    """Every zone a person may choose, named as people read them (no underscores)."""
    names = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [(name, zone_label(name)) for name in names]


def zone_named(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone called `name`; UTC when it is empty or unknown."""
    if not name:
        return UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC


def zone_checked(name: str, *, field: str = "timezone") -> zoneinfo.ZoneInfo:
    """The zone called `name`, for a name a person just gave; refused when it is unknown."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise RuleBroken(
            _("%(name)s is not a time zone name; pick one like Europe/Berlin.") % {"name": name},
            field=field,
        ) from None


def zone_label(name: str) -> str:
    """A zone name as a person reads it: 'Buenos Aires (America, Argentina)' for
    'America/Argentina/Buenos_Aires'; names without a place ('UTC', 'Etc/GMT+5') as they are."""
    parts = name.replace("_", " ").split("/")
    if len(parts) == 1 or parts[0] == "Etc":
        return name
    return f"{parts[-1]} ({', '.join(parts[:-1])})"


def zone_from_text(text: str) -> str | None:
    """The zone a person meant by what they typed: its name ('Europe/Berlin', any case),
    its label, or its city alone when only one zone has it ('Berlin'); None otherwise."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    names = zoneinfo.available_timezones() - {"localtime", "Factory"}
    by_city: dict[str, list[str]] = {}
    for name in names:
        if wanted in (name.casefold(), zone_label(name).casefold()):
            return name
        by_city.setdefault(name.rsplit("/", 1)[-1].replace("_", " ").casefold(), []).append(name)
    found = by_city.get(wanted, [])
    return found[0] if len(found) == 1 else None


def local_to_utc(moment: datetime, zone: zoneinfo.ZoneInfo, field_name: str) -> datetime:
    """A wall-clock time read in `zone`, in UTC; an aware time is only converted."""
    if timezone.is_aware(moment):
        return moment.astimezone(UTC)
    local = moment.replace(tzinfo=zone)
    # A wall time skipped by a daylight-saving change does not survive the round trip.
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment:
        raise RuleBroken(
            _("%(time)s does not exist in %(zone)s: the clocks change then. Pick another time.")
            % {"time": moment.strftime("%Y-%m-%d %H:%M"), "zone": zone.key},
            field=field_name,
        )
    return local.astimezone(UTC)


def person_zone(person, *, confirmed: str = "") -> zoneinfo.ZoneInfo:
    """The zone a person reads times in: the one they `confirmed` for a round, else their
    profile's, else UTC (no profile, or a zone that no longer exists)."""
    profile = getattr(person, "profile", None)
    return zone_named(confirmed or getattr(profile, "timezone", "") or "")


def moment_text(moment: datetime, zone: zoneinfo.ZoneInfo, *, also: str = "") -> str:
    """'Monday 01 June 2026, 18:00 (Europe/Paris)'; with `also` naming another zone, its
    hour too ('= 17:00 Europe/London'), so a reader and a host can check each other."""
    text = f"{moment.astimezone(zone):{LONG_FORMAT}} ({zone.key})"
    if also and also != zone.key:
        other = zone_named(also)
        if other.key == also:
            text += f" = {moment.astimezone(other):%H:%M} {also}"
    return text


def moment_for(moment: datetime, person) -> str:
    """The moment in the person's own zone: 'this time in each member's own time'."""
    return moment_text(moment, person_zone(person))


def weekly_times_in(text: str, *, written_in: str, read_in: str, week_of: date) -> str:
    """Weekly times ('wed 19:00-21:00') written in one zone, as they fall in another in the
    week of `week_of` (a daylight-saving change moves them); as written when unreadable."""
    if not text or zone_named(written_in).key == zone_named(read_in).key:
        return text
    try:
        windows = parse_availability(text)
    except AvailabilityError:
        return text
    monday = week_of - timedelta(days=week_of.weekday())
    week_start = datetime.combine(monday, time(0), tzinfo=UTC)
    zone = zone_named(read_in)
    moved: list[Window] = []
    for start, stop in week_minutes_utc(windows, zone_named(written_in).key, monday):
        begin = (week_start + timedelta(minutes=start)).astimezone(zone).replace(tzinfo=None)
        end = (week_start + timedelta(minutes=stop)).astimezone(zone).replace(tzinfo=None)
        while begin < end:  # a window past the reader's midnight goes on the next day
            midnight = datetime.combine(begin.date() + timedelta(days=1), time(0))
            piece_end = min(end, midnight)
            first = begin.hour * 60 + begin.minute
            last = (
                MINUTES_PER_DAY if piece_end == midnight else piece_end.hour * 60 + piece_end.minute
            )
            moved.append(Window(begin.weekday(), first, last))
            begin = piece_end
    return format_availability(moved)
