"""Seats are never overbooked: 50 people answer at once for 10 seats (PostgreSQL, real threads)."""

from datetime import timedelta

import pytest
from at_once import at_once
from django.db import connection
from django.utils import timezone

from microsolidarity.gatherings.models import Rsvp, RsvpState
from microsolidarity.gatherings.rsvp import rsvp_cancel, rsvp_set
from microsolidarity.gatherings.services import gathering_create

PEOPLE = 50
SEATS = 10


@pytest.fixture(autouse=True)
def _postgres_only(settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Row locks (select_for_update) need PostgreSQL; SQLite runs one writer at once."
        )
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_answers_at_once_fill_ten_seats_and_queue_forty(host, congregation, make_person):
    start = timezone.now() + timedelta(days=7)
    gathering = gathering_create(
        by=host,
        group=congregation,
        title="Ten seats",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=SEATS,
    )
    occurrence = gathering.occurrences.get()
    people = [make_person(f"Racer {n}") for n in range(PEOPLE)]

    results = at_once(
        lambda person: rsvp_set(person=person, occurrence=occurrence, state=RsvpState.GOING),
        people,
    )

    rows = Rsvp.objects.filter(occurrence=occurrence)
    assert rows.filter(state=RsvpState.GOING).count() == SEATS
    assert rows.filter(state=RsvpState.WAITLISTED).count() == PEOPLE - SEATS
    assert rows.count() == PEOPLE
    assert len(set(rows.values_list("person_id", flat=True))) == PEOPLE
    positions = sorted(r.waitlist_position for r in results if r.waitlist_position)
    assert positions == list(range(1, PEOPLE - SEATS + 1))

    going = list(rows.filter(state=RsvpState.GOING).select_related("person"))
    first_waiting = rows.filter(state=RsvpState.WAITLISTED).order_by("queued_at", "pk").first()
    # One cancellation, raced by everyone asking again at once: exactly one is promoted.
    at_once(
        lambda person: (
            rsvp_cancel(person=person, occurrence=occurrence)
            if person == going[0].person
            else rsvp_set(person=person, occurrence=occurrence, state=RsvpState.GOING)
        ),
        [going[0].person, *[p for p in people if p != going[0].person][:20]],
    )

    assert rows.filter(state=RsvpState.GOING).count() == SEATS
    assert rows.filter(state=RsvpState.WAITLISTED).count() == PEOPLE - SEATS - 1
    first_waiting.refresh_from_db()
    assert first_waiting.state == RsvpState.GOING
