"""A cohort is never overbooked: 16 people sign up at once for 5 places (PostgreSQL, threads)."""

import pytest
from at_once import at_once
from django.db import connection

from microsolidarity.programs.models import Seat, SeatState

PEOPLE = 16
PLACES = 5


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
def test_sign_ups_at_once_fill_the_places_and_queue_the_rest(make_cohort, make_person):
    from microsolidarity.gatherings.models import Rsvp, RsvpState
    from microsolidarity.groups.models import Membership, MembershipState
    from microsolidarity.programs.seats import seat_leave, seat_request

    cohort = make_cohort(capacity=PLACES)
    racers = [make_person(f"Racer {n}") for n in range(PEOPLE)]
    results = at_once(lambda person: seat_request(person=person, cohort=cohort), racers)

    going = [r for r in results if r.seat.state == SeatState.GOING]
    waiting = sorted(r.waitlist_position for r in results if r.seat.state == SeatState.WAITLISTED)
    assert len(going) == PLACES
    assert waiting == list(range(1, PEOPLE - PLACES + 1))
    members = Membership.objects.filter(group=cohort.group, state=MembershipState.ACTIVE)
    assert members.count() == PLACES + 1  # and the facilitator
    first = cohort.series.occurrences.order_by("starts_at").first()
    assert Rsvp.objects.filter(occurrence=first, state=RsvpState.GOING).count() == PLACES + 1

    # Three leave at once while three more ask: still never more than the places.
    leavers = [r.seat.person for r in going[:3]]
    more = [make_person(f"Late {n}") for n in range(3)]
    at_once(
        lambda item: (
            seat_leave(person=item[1], cohort=cohort)
            if item[0] == "leave"
            else seat_request(person=item[1], cohort=cohort)
        ),
        [("leave", p) for p in leavers] + [("ask", p) for p in more],
    )
    assert Seat.objects.filter(cohort=cohort, state=SeatState.GOING).count() == PLACES
    promoted = Seat.objects.filter(cohort=cohort, state=SeatState.GOING, person__in=racers)
    # The places went to the first in the queue, not to the late askers.
    assert not Seat.objects.filter(cohort=cohort, state=SeatState.GOING, person__in=more).exists()
    assert promoted.count() == PLACES
