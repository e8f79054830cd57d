"""Gathering pages: calling one, the detail in two time zones, RSVP with and without htmx."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from microsolidarity.gatherings.models import Gathering, RsvpState
from microsolidarity.gatherings.services import gathering_create


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def call(host, congregation):
    start = datetime(timezone.now().year + 1, 1, 7, 18, 30, tzinfo=UTC)
    return gathering_create(
        by=host,
        group=congregation,
        title="Network call",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        host_timezone="Europe/Berlin",
        recurrence="FREQ=MONTHLY;BYDAY=1TH",
        capacity=1,
        contribution_url="https://give.example.org",
        contribution_note="If money is a barrier, write to the hosts.",
    )


def test_a_host_calls_a_monthly_gathering_in_their_own_time_zone(client, host, congregation):
    client.force_login(host)
    year = timezone.now().year + 1
    first_thursday = date(year, 1, 1) + timedelta((3 - date(year, 1, 1).weekday()) % 7)

    response = client.post(
        reverse("gathering_create") + f"?group={congregation.slug}",
        {
            "group": congregation.slug,
            "title": "First Thursday",
            "kind": "call",
            "mode": "online",
            "call_link": "https://call.example.org/x",
            "timezone": "Europe/Berlin",
            "starts": f"{first_thursday}T19:30",
            "ends": f"{first_thursday}T21:00",
            "repeat": "monthly",
            "audience": "public",
            "reminders_text": "1440, 60",
        },
    )

    gathering = Gathering.objects.get(title="First Thursday")
    assert response.status_code == 302
    assert gathering.recurrence == "FREQ=MONTHLY;BYDAY=1TH"
    assert gathering.starts_at == datetime(year, 1, first_thursday.day, 18, 30, tzinfo=UTC)
    assert list(gathering.hosts.all()) == [host]


def test_a_bad_rule_is_shown_on_the_form(client, host, congregation):
    client.force_login(host)
    response = client.post(
        reverse("gathering_create") + f"?group={congregation.slug}",
        {
            "group": congregation.slug,
            "title": "Odd",
            "kind": "call",
            "mode": "online",
            "timezone": "UTC",
            "starts": "2030-01-01T19:30",
            "ends": "2030-01-01T20:30",
            "repeat": "custom",
            "recurrence": "FREQ=NEVER",
            "audience": "public",
        },
    )

    assert response.status_code == 200
    assert "repeat rule" in response.content.decode()


def test_members_cannot_call_gatherings_of_a_congregation(client, member, congregation):
    client.force_login(member)

    response = client.get(reverse("gathering_create") + f"?group={congregation.slug}")

    assert response.status_code == 302


def test_the_detail_shows_both_time_zones_seats_and_the_contribution_note(
    client, call, make_person
):
    viewer = make_person("Lisbon", timezone="America/New_York")
    client.force_login(viewer)

    page = client.get(call.get_absolute_url()).content.decode()

    assert "13:30" in page  # New York
    assert "19:30" in page  # Berlin, for the hosts
    assert "1 seat left" in page
    assert "If money is a barrier, write to the hosts." in page
    assert "Follow the whole series" in page


def test_rsvp_without_javascript_redirects_and_with_htmx_swaps_the_partial(
    client, call, member, make_person
):
    occurrence = call.occurrences.order_by("starts_at").first()
    url = reverse("rsvp_answer", args=[call.slug, occurrence.pk])
    client.force_login(member)

    plain = client.post(url, {"state": "going"})
    other = make_person("Second")
    client.force_login(other)
    partial = client.post(url, {"state": "going"}, headers={"HX-Request": "true"})

    assert plain.status_code == 302
    assert occurrence.rsvps.get(person=member).state == RsvpState.GOING
    assert partial.status_code == 200
    assert "number 1 on the waitlist" in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_hosts_move_one_date_from_its_page(client, call, host):
    occurrence = call.occurrences.order_by("starts_at")[1]
    client.force_login(host)
    local = occurrence.starts_at.astimezone(timezone.get_fixed_timezone(0))

    client.post(
        reverse("occurrence_move", args=[call.slug, occurrence.pk]),
        {"starts": f"{local:%Y-%m-%d}T20:00"},
    )

    occurrence.refresh_from_db()
    assert occurrence.is_moved
    assert "moved" in client.get(occurrence.get_absolute_url()).content.decode()


def test_the_list_page_does_not_grow_in_queries(
    client, host, congregation, member, django_assert_max_num_queries
):
    start = timezone.now() + timedelta(days=3)
    for n in range(12):
        gathering_create(
            by=host,
            group=congregation,
            title=f"Call {n}",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
    client.force_login(member)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("gathering_list"))

    assert response.content.decode().count("<article>") == 12
