"""RSVPs: seats, the waitlist in order, promotion with an email, idempotency, deadlines."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings.models import Kind, RsvpState
from microsolidarity.gatherings.rsvp import rsvp_cancel, rsvp_set
from microsolidarity.gatherings.services import gathering_create, gathering_update

GOING, WAITLISTED, NOT_GOING = RsvpState.GOING, RsvpState.WAITLISTED, RsvpState.NOT_GOING


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def small_call(host, congregation):
    start = timezone.now() + timedelta(days=3)
    return gathering_create(
        by=host,
        group=congregation,
        title="Small call",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=2,
        call_link="https://call.example.org/small",
    )


@pytest.fixture
def occurrence(small_call):
    return small_call.occurrences.get()


@pytest.fixture
def people(make_person):
    return [make_person(f"Guest {n}") for n in range(4)]


def test_the_first_answers_take_the_seats_and_the_rest_wait_in_order(occurrence, people):
    states = [rsvp_set(person=p, occurrence=occurrence, state=GOING) for p in people]

    assert [r.rsvp.state for r in states] == [GOING, GOING, WAITLISTED, WAITLISTED]
    assert [r.waitlist_position for r in states] == [None, None, 1, 2]


def test_saying_going_twice_changes_nothing(occurrence, people):
    first = rsvp_set(person=people[0], occurrence=occurrence, state=GOING)
    again = rsvp_set(person=people[0], occurrence=occurrence, state=GOING)

    assert again.rsvp.pk == first.rsvp.pk
    assert again.rsvp.state == GOING
    assert occurrence.rsvps.count() == 1


def test_asking_again_while_waitlisted_keeps_the_place_in_the_queue(occurrence, people):
    for person in people[:4]:
        rsvp_set(person=person, occurrence=occurrence, state=GOING)

    again = rsvp_set(person=people[2], occurrence=occurrence, state=GOING)

    assert again.rsvp.state == WAITLISTED
    assert again.waitlist_position == 1


def test_waitlisted_member_is_promoted_when_a_seat_frees_and_is_emailed(
    occurrence, people, django_capture_on_commit_callbacks
):
    for person in people:
        rsvp_set(person=person, occurrence=occurrence, state=GOING)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = rsvp_cancel(person=people[0], occurrence=occurrence)

    states = dict(occurrence.rsvps.values_list("person_id", "state"))
    assert result.rsvp.state == NOT_GOING
    assert result.promoted.person == people[2]
    assert states == {
        people[0].pk: NOT_GOING,
        people[1].pk: GOING,
        people[2].pk: GOING,
        people[3].pk: WAITLISTED,
    }
    assert [m.to for m in mail.outbox] == [[people[2].email]]
    assert "A seat came free" in mail.outbox[0].body
    assert "https://call.example.org/small" in mail.outbox[0].body


def test_leaving_the_waitlist_promotes_nobody(
    occurrence, people, django_capture_on_commit_callbacks
):
    for person in people:
        rsvp_set(person=person, occurrence=occurrence, state=GOING)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = rsvp_cancel(person=people[2], occurrence=occurrence)

    assert result.promoted is None
    assert mail.outbox == []
    assert occurrence.rsvps.get(person=people[3]).state == WAITLISTED


def test_cancelling_twice_promotes_only_once(occurrence, people):
    for person in people:
        rsvp_set(person=person, occurrence=occurrence, state=GOING)

    rsvp_cancel(person=people[0], occurrence=occurrence)
    second = rsvp_cancel(person=people[0], occurrence=occurrence)

    assert second.promoted is None
    assert occurrence.rsvps.filter(state=GOING).count() == 2
    assert occurrence.rsvps.get(person=people[3]).state == WAITLISTED


def test_not_going_without_an_earlier_answer_is_recorded(occurrence, people):
    result = rsvp_set(person=people[0], occurrence=occurrence, state=NOT_GOING)

    assert result.rsvp.state == NOT_GOING
    assert result.waitlist_position is None


def test_going_again_after_cancelling_joins_the_end_of_the_queue(occurrence, people):
    for person in people[:3]:
        rsvp_set(person=person, occurrence=occurrence, state=GOING)
    rsvp_cancel(person=people[0], occurrence=occurrence)  # people[2] is promoted
    rsvp_set(person=people[3], occurrence=occurrence, state=GOING)

    back = rsvp_set(person=people[0], occurrence=occurrence, state=GOING)

    assert back.rsvp.state == WAITLISTED
    assert back.waitlist_position == 2


def test_more_seats_promote_the_waiting_in_order(small_call, occurrence, people, host):
    for person in people:
        rsvp_set(person=person, occurrence=occurrence, state=GOING)

    gathering_update(by=host, gathering=small_call, capacity=3)

    states = dict(occurrence.rsvps.values_list("person_id", "state"))
    assert states[people[2].pk] == GOING
    assert states[people[3].pk] == WAITLISTED


def test_no_capacity_means_everyone_goes(host, congregation, people):
    start = timezone.now() + timedelta(days=1)
    gathering = gathering_create(
        by=host, group=congregation, title="Open", starts_at=start, ends_at=start + timedelta(1)
    )
    occurrence = gathering.occurrences.get()

    states = {rsvp_set(person=p, occurrence=occurrence, state=GOING).rsvp.state for p in people}

    assert states == {GOING}


def test_answers_close_at_the_deadline(host, congregation, people):
    start = timezone.now() + timedelta(hours=5)
    gathering = gathering_create(
        by=host,
        group=congregation,
        title="Closes early",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        rsvp_closes_before=timedelta(hours=6),
    )

    with pytest.raises(RuleBroken, match="RSVPs have closed"):
        rsvp_set(person=people[0], occurrence=gathering.occurrences.get(), state=GOING)


def test_a_past_gathering_takes_no_answers(occurrence, people):
    later = occurrence.ends_at + timedelta(minutes=1)

    with pytest.raises(RuleBroken, match="over"):
        rsvp_set(person=people[0], occurrence=occurrence, state=GOING, now=later)


def test_only_going_and_not_going_can_be_asked_for(occurrence, people):
    with pytest.raises(RuleBroken):
        rsvp_set(person=people[0], occurrence=occurrence, state=WAITLISTED)


def test_a_camp_asks_its_required_questions_before_going(host, congregation, people):
    start = timezone.now() + timedelta(days=30)
    camp = gathering_create(
        by=host,
        group=congregation,
        title="Summer camp",
        kind=Kind.CAMP,
        mode="in_person",
        town_name="Hamburg",
        starts_at=start,
        ends_at=start + timedelta(days=4),
        registration_questions=[
            {"key": "dietary", "label": "Dietary needs"},
            {"key": "arrival", "label": "When you arrive", "required": True},
        ],
    )
    occurrence = camp.occurrences.get()

    with pytest.raises(RuleBroken, match="When you arrive"):
        rsvp_set(person=people[0], occurrence=occurrence, state=GOING, answers={"dietary": "vegan"})
    result = rsvp_set(
        person=people[0],
        occurrence=occurrence,
        state=GOING,
        answers={"arrival": "Friday evening", "dietary": "vegan", "unasked": "dropped"},
    )

    assert result.rsvp.answers == {"arrival": "Friday evening", "dietary": "vegan"}


def test_a_members_only_gathering_refuses_outsiders(host, congregation, member, make_person):
    start = timezone.now() + timedelta(days=2)
    gathering = gathering_create(
        by=host,
        group=congregation,
        title="Members' evening",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        audience="members",
    )
    occurrence = gathering.occurrences.get()

    assert rsvp_set(person=member, occurrence=occurrence, state=GOING).rsvp.state == GOING
    with pytest.raises(NotAllowed):
        rsvp_set(person=make_person("Stranger"), occurrence=occurrence, state=GOING)
