"""Time zones: a zone from a stored name, each person's own zone, a moment written in it.

Zone names come from profiles, gatherings and forms filled in long ago; a name the zone
database no longer knows must never stop a page or an email, so it reads as UTC.
"""

import zoneinfo
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.errors import RuleBroken

UTC = zoneinfo.ZoneInfo("UTC")

# Day, date and time, as emails write them (the reader may be in another country).
LONG_FORMAT = "%A %d %B %Y, %H:%M"


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
