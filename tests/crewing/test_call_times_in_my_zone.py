"""A crew call's preferred times, written in the caller's zone, read in each viewer's own."""

from datetime import date

import pytest
from django.urls import reverse

from microsolidarity.crewing.calls import call_post
from microsolidarity.zones import weekly_times_in


@pytest.mark.parametrize(
    ("text", "written_in", "read_in", "week_of", "read"),
    [
        # Winter: Berlin is UTC+1, New York UTC-5.
        (
            "wed 19:00-21:00",
            "Europe/Berlin",
            "America/New_York",
            date(2027, 1, 13),
            "wed 13:00-15:00",
        ),
        # Past the reader's midnight: the window goes on the next day.
        ("mon 22:00-23:30", "UTC", "Asia/Tokyo", date(2027, 1, 13), "tue 07:00-08:30"),
        ("sun 23:00-23:59", "Asia/Tokyo", "UTC", date(2027, 1, 13), "sun 14:00-14:59"),
        ("tue 23:00-23:59", "UTC", "Europe/Berlin", date(2027, 1, 13), "wed 00:00-00:59"),
        (
            "mon 22:30-23:30",
            "UTC",
            "Europe/Berlin",
            date(2027, 1, 13),
            "mon 23:30-24:00; tue 00:00-00:30",
        ),
        # The one week Europe changed its clocks and New York had not yet: 5 hours, not 6.
        (
            "wed 19:00-21:00",
            "Europe/Berlin",
            "America/New_York",
            date(2027, 3, 10),
            "wed 13:00-15:00",
        ),
        (
            "wed 19:00-21:00",
            "Europe/Berlin",
            "America/New_York",
            date(2027, 3, 17),
            "wed 14:00-16:00",
        ),
        ("whenever suits", "Europe/Berlin", "UTC", date(2027, 1, 13), "whenever suits"),
        ("wed 19:00-21:00", "Europe/Berlin", "Europe/Berlin", date(2027, 1, 13), "wed 19:00-21:00"),
    ],
)
def test_weekly_times_are_moved_into_the_readers_zone_for_that_week(
    text, written_in, read_in, week_of, read
):
    assert weekly_times_in(text, written_in=written_in, read_in=read_in, week_of=week_of) == read


def test_the_call_page_shows_the_times_in_my_zone_and_the_callers(
    client, congregation, member, host, make_person, time_machine
):
    from microsolidarity.groups.services import membership_approve, membership_request

    time_machine.move_to("2027-01-13 12:00Z")
    call = call_post(
        by=member,
        congregation=congregation,
        intention="Parents of toddlers",
        preferred_times="wed 19:00-21:00",
        caller_timezone="Europe/Berlin",
    )
    reader = make_person("Nia", timezone="America/New_York")
    asked = membership_request(person=reader, group=congregation)
    membership_approve(by=host, membership=asked.membership)
    client.force_login(reader)

    page = client.get(reverse("crew_call_detail", args=[call.pk])).content.decode()

    assert "wed 13:00-15:00" in page
    assert "wed 19:00-21:00 in Berlin (Europe)" in page
