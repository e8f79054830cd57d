"""Times a pair shares in a concrete week, shown in each person's own time zone."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import formats

from microsolidarity.matching import Person
from microsolidarity.matching.availability import week_minutes_utc
from microsolidarity.zones import zone_named

MIN_MINUTES = 30
SHOWN = 3


@dataclass(frozen=True, slots=True)
class SharedTime:
    start: datetime  # aware, UTC
    end: datetime

    def text_in(self, zone_name: str) -> str:
        zone = zone_named(zone_name)
        start, end = self.start.astimezone(zone), self.end.astimezone(zone)
        day = formats.date_format(start, "D j M")
        first = formats.time_format(start, "H:i")
        if end.date() == start.date():
            last = formats.time_format(end, "H:i")
        else:
            last = formats.date_format(end, "D H:i")
        return f"{day}, {first}–{last}"


def _intersect(first: list[tuple[int, int]], second: list[tuple[int, int]]):
    out = []
    for s1, e1 in first:
        for s2, e2 in second:
            start, end = max(s1, s2), min(e1, e2)
            if end > start:
                out.append((start, end))
    return sorted(out)


def shared_times(people: list[Person], week_monday: date) -> list[SharedTime]:
    """The longest times of at least 30 minutes that everyone shares that week, in time order."""
    if len(people) < 2 or any(not p.availability for p in people):
        return []
    spans = week_minutes_utc(people[0].availability, people[0].timezone, week_monday)
    for person in people[1:]:
        spans = _intersect(
            spans, week_minutes_utc(person.availability, person.timezone, week_monday)
        )
    spans = [span for span in spans if span[1] - span[0] >= MIN_MINUTES]
    longest = sorted(spans, key=lambda span: (span[0] - span[1], span[0]))[:SHOWN]
    week_start = datetime.combine(week_monday, time(0), tzinfo=UTC)
    return [
        SharedTime(week_start + timedelta(minutes=s), week_start + timedelta(minutes=e))
        for s, e in sorted(longest)
    ]
