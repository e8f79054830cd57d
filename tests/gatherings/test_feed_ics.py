"""Calendar feeds parse back, carry VTIMEZONE, and keep local times across daylight saving."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def monthly_call(congregation, host):
    """The first Thursday of each month at 19:30 Berlin time, from February 2026."""
    from microsolidarity.gatherings.models import Gathering, Occurrence

    gathering = Gathering.objects.create(
        group=congregation,
        title="Network call",
        slug="network-call",
        kind="call",
        mode="online",
        call_link="https://call.example.org/network",
        timezone="Europe/Berlin",
        starts_at=berlin(2026, 2, 5, 19, 30),
        ends_at=berlin(2026, 2, 5, 21, 0),
        recurrence="FREQ=MONTHLY;BYDAY=1TH",
        created_by=host,
    )
    gathering.hosts.add(host)
    for day in (date(2026, 2, 5), date(2026, 3, 5), date(2026, 4, 2), date(2026, 5, 7)):
        start = berlin(day.year, day.month, day.day, 19, 30)
        Occurrence.objects.create(
            gathering=gathering,
            original_starts_at=start,
            starts_at=start,
            ends_at=start + timedelta(minutes=90),
        )
    return gathering


def events_between(ics: bytes, start: date, end: date):
    calendar = icalendar.Calendar.from_ical(ics)
    return recurring_ical_events.of(calendar).between(start, end)


def utc_starts(events) -> list[datetime]:
    return sorted(event["DTSTART"].dt.astimezone(UTC) for event in events)


def test_recurring_call_keeps_local_time_on_both_sides_of_daylight_saving(monthly_call):
    from microsolidarity.gatherings.feeds import gathering_ics

    ics = gathering_ics(monthly_call, viewer=None, base_url="https://example.org")
    calendar = icalendar.Calendar.from_ical(ics)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]

    spring = events_between(ics, date(2026, 3, 1), date(2026, 4, 30))
    assert utc_starts(spring) == [
        datetime(2026, 3, 5, 18, 30, tzinfo=UTC),  # CET, UTC+1
        datetime(2026, 4, 2, 17, 30, tzinfo=UTC),  # CEST, UTC+2
    ]
    autumn = events_between(ics, date(2026, 10, 1), date(2026, 11, 30))
    assert utc_starts(autumn) == [
        datetime(2026, 10, 1, 17, 30, tzinfo=UTC),
        datetime(2026, 11, 5, 18, 30, tzinfo=UTC),
    ]
    for event in spring + autumn:
        local = event["DTSTART"].dt
        assert (local.hour, local.minute) == (19, 30)
        assert str(local.tzinfo) == "Europe/Berlin"


def test_cancelled_occurrence_is_excluded_and_moved_one_is_overridden(monthly_call):
    from microsolidarity.gatherings.feeds import gathering_ics

    march = monthly_call.occurrences.get(original_starts_at=berlin(2026, 3, 5, 19, 30))
    march.status = "cancelled"
    march.save(update_fields=["status"])
    april = monthly_call.occurrences.get(original_starts_at=berlin(2026, 4, 2, 19, 30))
    april.starts_at = berlin(2026, 4, 9, 18, 0)
    april.ends_at = berlin(2026, 4, 9, 19, 30)
    april.save(update_fields=["starts_at", "ends_at"])

    ics = gathering_ics(monthly_call, viewer=None, base_url="https://example.org")
    events = events_between(ics, date(2026, 3, 1), date(2026, 5, 31))
    assert utc_starts(events) == [
        datetime(2026, 4, 9, 16, 0, tzinfo=UTC),
        datetime(2026, 5, 7, 17, 30, tzinfo=UTC),
    ]


def test_one_occurrence_file_names_the_call_link_and_time_zone(monthly_call, host):
    from microsolidarity.gatherings.feeds import occurrence_ics

    occurrence = monthly_call.occurrences.get(original_starts_at=berlin(2026, 4, 2, 19, 30))
    calendar = icalendar.Calendar.from_ical(
        occurrence_ics(occurrence, viewer=host, base_url="https://x.org")
    )
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].dt == berlin(2026, 4, 2, 19, 30)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert "https://call.example.org/network" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert calendar.walk("VTIMEZONE")
