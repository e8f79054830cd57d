"""Repeating gatherings: RRULE in the host's zone across DST, series following, cancel and move."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings.models import OccurrenceStatus, RsvpState
from microsolidarity.gatherings.occurrences import (
    occurrence_cancel,
    occurrence_move,
    occurrences_materialise,
)
from microsolidarity.gatherings.rsvp import rsvp_set, series_subscribe, series_unsubscribe
from microsolidarity.gatherings.services import gathering_create, gathering_update

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def monthly_call(host, congregation):
    """The first Thursday of each month, 19:30 Berlin time, from January 2027."""
    with time_machine.travel(datetime(2026, 12, 10, tzinfo=UTC), tick=False):
        return gathering_create(
            by=host,
            group=congregation,
            title="Network call",
            starts_at=datetime(2027, 1, 7, 19, 30, tzinfo=BERLIN),
            ends_at=datetime(2027, 1, 7, 21, 0, tzinfo=BERLIN),
            host_timezone="Europe/Berlin",
            recurrence="FREQ=MONTHLY;BYDAY=1TH",
            capacity=2,
            call_link="https://call.example.org/network",
        )


def starts_in_utc(gathering) -> dict[str, str]:
    return {
        f"{o.starts_at:%Y-%m}": f"{o.starts_at.astimezone(UTC):%d %H:%M}"
        for o in gathering.occurrences.order_by("starts_at")
    }


def test_first_thursday_at_1930_berlin_is_right_on_both_sides_of_each_dst_change(monthly_call):
    utc = starts_in_utc(monthly_call)

    # Winter time (UTC+1) until the last Sunday of March, summer time (UTC+2) until October's.
    assert utc["2027-03"] == "04 18:30"
    assert utc["2027-04"] == "01 17:30"
    assert utc["2027-10"] == "07 17:30"
    assert utc["2027-11"] == "04 18:30"
    local = {
        o.starts_at.astimezone(BERLIN).strftime("%H:%M") for o in monthly_call.occurrences.all()
    }
    assert local == {"19:30"}
    ends = {o.ends_at.astimezone(BERLIN).strftime("%H:%M") for o in monthly_call.occurrences.all()}
    assert ends == {"21:00"}


def test_a_year_of_occurrences_is_materialised_once(monthly_call):
    assert monthly_call.occurrences.count() == 12
    with time_machine.travel(datetime(2026, 12, 10, tzinfo=UTC), tick=False):
        assert occurrences_materialise(gathering=monthly_call) == 0
    assert monthly_call.occurrences.count() == 12


def test_the_horizon_rolls_forward(monthly_call):
    with time_machine.travel(datetime(2027, 6, 15, tzinfo=UTC), tick=False):
        made = occurrences_materialise(gathering=monthly_call)

    assert made == 6
    assert monthly_call.occurrences.count() == 18


def test_a_weekly_series_stops_at_fifty_ahead(host, congregation):
    start = timezone.now() + timedelta(days=1)
    daily = gathering_create(
        by=host,
        group=congregation,
        title="Morning sit",
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        recurrence="FREQ=DAILY",
    )

    assert daily.occurrences.count() == 50


def test_an_unreadable_rule_is_refused_with_a_message(host, congregation):
    start = timezone.now() + timedelta(days=1)
    for rule in ("FREQ=SOMETIMES", "FREQ=MINUTELY", "DTSTART:20260101T000000Z\nFREQ=DAILY"):
        with pytest.raises(RuleBroken) as refused:
            gathering_create(
                by=host,
                group=congregation,
                title="Odd",
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                recurrence=rule,
            )
        assert refused.value.field == "recurrence"


def test_following_the_series_answers_every_date_seats_permitting(monthly_call, make_person):
    first, second, third = (make_person(name) for name in ("A", "B", "C"))
    with time_machine.travel(datetime(2026, 12, 11, tzinfo=UTC), tick=False):
        march = monthly_call.occurrences.get(starts_at__month=3)
        rsvp_set(person=first, occurrence=march, state=RsvpState.GOING)
        rsvp_set(person=second, occurrence=march, state=RsvpState.GOING)

        made = series_subscribe(person=third, gathering=monthly_call)

    states = dict(third.rsvps.values_list("occurrence__starts_at__month", "state"))
    assert made == 12
    assert states[3] == RsvpState.WAITLISTED
    assert {state for month, state in states.items() if month != 3} == {RsvpState.GOING}
    assert third.rsvps.filter(from_series=True).count() == 12


def test_following_keeps_an_answer_given_before(monthly_call, member):
    with time_machine.travel(datetime(2026, 12, 11, tzinfo=UTC), tick=False):
        may = monthly_call.occurrences.get(starts_at__month=5)
        rsvp_set(person=member, occurrence=may, state=RsvpState.NOT_GOING)

        series_subscribe(person=member, gathering=monthly_call)

    assert member.rsvps.get(occurrence=may).state == RsvpState.NOT_GOING


def test_new_dates_of_a_followed_series_are_answered_for_the_follower(monthly_call, member):
    with time_machine.travel(datetime(2026, 12, 11, tzinfo=UTC), tick=False):
        series_subscribe(person=member, gathering=monthly_call)
    with time_machine.travel(datetime(2027, 3, 10, tzinfo=UTC), tick=False):
        occurrences_materialise(gathering=monthly_call)

    assert member.rsvps.filter(state=RsvpState.GOING).count() == 15


def test_unfollowing_frees_the_series_seats_and_promotes(monthly_call, make_person):
    a, b, c = (make_person(name) for name in "ABC")
    with time_machine.travel(datetime(2026, 12, 11, tzinfo=UTC), tick=False):
        series_subscribe(person=a, gathering=monthly_call)
        series_subscribe(person=b, gathering=monthly_call)
        series_subscribe(person=c, gathering=monthly_call)

        freed = series_unsubscribe(person=a, gathering=monthly_call)

    assert freed == 12
    assert c.rsvps.filter(state=RsvpState.GOING).count() == 12


def test_cancelling_one_date_leaves_the_others_and_tells_the_people_coming(
    monthly_call, member, host, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2027, 1, 10, tzinfo=UTC), tick=False):
        february = monthly_call.occurrences.get(starts_at__month=2)
        rsvp_set(person=member, occurrence=february, state=RsvpState.GOING)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            occurrence_cancel(by=host, occurrence=february, note="Snowed in.")

    february.refresh_from_db()
    assert february.status == OccurrenceStatus.CANCELLED
    assert monthly_call.occurrences.filter(status=OccurrenceStatus.SCHEDULED).count() == 11
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "cancelled" in mail.outbox[0].body
    assert "Snowed in." in mail.outbox[0].body
    with (
        pytest.raises(RuleBroken, match="cancelled"),
        time_machine.travel(datetime(2027, 1, 10, tzinfo=UTC), tick=False),
    ):
        rsvp_set(person=host, occurrence=february, state=RsvpState.GOING)


def test_moving_one_date_keeps_its_rsvps_and_its_place_in_the_series(
    monthly_call, member, host, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime(2027, 1, 10, tzinfo=UTC), tick=False):
        march = monthly_call.occurrences.get(starts_at__month=3)
        rsvp_set(person=member, occurrence=march, state=RsvpState.GOING)
        with django_capture_on_commit_callbacks(execute=True):
            occurrence_move(
                by=host, occurrence=march, starts_at=datetime(2027, 3, 11, 18, 0, tzinfo=BERLIN)
            )
        occurrences_materialise(gathering=monthly_call)

    march.refresh_from_db()
    assert march.is_moved
    assert march.starts_at == datetime(2027, 3, 11, 17, 0, tzinfo=UTC)
    assert march.ends_at - march.starts_at == timedelta(minutes=90)
    assert member.rsvps.get(occurrence=march).state == RsvpState.GOING
    assert monthly_call.occurrences.filter(original_starts_at__year=2027).count() == 12
    assert "has moved" in mail.outbox[-1].body


def test_only_hosts_cancel_or_move(monthly_call, member):
    occurrence = monthly_call.occurrences.first()
    with time_machine.travel(datetime(2026, 12, 11, tzinfo=UTC), tick=False):
        with pytest.raises(NotAllowed):
            occurrence_cancel(by=member, occurrence=occurrence)
        with pytest.raises(NotAllowed):
            occurrence_move(
                by=member, occurrence=occurrence, starts_at=occurrence.starts_at + timedelta(1)
            )


def test_a_new_time_moves_the_future_dates_and_keeps_answers(monthly_call, host, member):
    with time_machine.travel(datetime(2026, 12, 11, tzinfo=UTC), tick=False):
        april = monthly_call.occurrences.get(starts_at__month=4)
        rsvp_set(person=member, occurrence=april, state=RsvpState.GOING)

        gathering_update(
            by=host,
            gathering=monthly_call,
            starts_at=datetime(2027, 1, 7, 18, 0, tzinfo=BERLIN),
            ends_at=datetime(2027, 1, 7, 19, 0, tzinfo=BERLIN),
        )

    scheduled = monthly_call.occurrences.filter(status=OccurrenceStatus.SCHEDULED)
    assert {o.starts_at.astimezone(BERLIN).strftime("%H:%M") for o in scheduled} == {"18:00"}
    assert scheduled.count() == 12
    april.refresh_from_db()
    assert april.status == OccurrenceStatus.CANCELLED  # its people are told, and can answer anew
