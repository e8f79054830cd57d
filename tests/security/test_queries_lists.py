"""Gatherings and pairing lists run the same number of queries for one row as for many."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer():
    from microsolidarity.people.services import token_create

    def headers(person) -> dict[str, str]:
        _token, raw = token_create(person=person, name="tests")
        return {"Authorization": f"Bearer {raw}"}

    return headers


def queries_for(client, url: str, **headers) -> int:
    """Queries of a warm request (the first one of a session also touches the session)."""
    client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def _gathering(host, congregation, *, recurrence: str = "", title: str = "Evening circle"):
    from microsolidarity.gatherings.services import gathering_create

    starts = timezone.now() + timedelta(days=2)
    return gathering_create(
        by=host,
        group=congregation,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        recurrence=recurrence,
    )


def _people_going(occurrence, make_person, congregation, count: int) -> None:
    from microsolidarity.gatherings.rsvp import rsvp_set
    from microsolidarity.groups.services import membership_join

    congregation.join_policy = "open"
    congregation.save(update_fields=["join_policy"])
    for _ in range(count):
        person = make_person()
        membership_join(person=person, group=congregation)
        rsvp_set(person=person, occurrence=occurrence, state="going")


def test_the_gathering_page_does_not_grow_with_people_going(
    client, host, congregation, member, make_person
):
    gathering = _gathering(host, congregation)
    occurrence = gathering.occurrences.first()
    client.force_login(host)
    _people_going(occurrence, make_person, congregation, 1)
    few = queries_for(client, f"/gatherings/{gathering.slug}/")
    _people_going(occurrence, make_person, congregation, 12)

    assert queries_for(client, f"/gatherings/{gathering.slug}/") == few


def test_the_api_occurrence_list_does_not_grow_with_occurrences(
    client, host, congregation, member, bearer
):
    one = _gathering(host, congregation, title="Once")
    weekly = _gathering(host, congregation, title="Weekly", recurrence="FREQ=WEEKLY;COUNT=12")
    auth = bearer(member)["Authorization"]

    few = queries_for(client, f"/api/v1/gatherings/{one.pk}/occurrences", Authorization=auth)
    many = queries_for(client, f"/api/v1/gatherings/{weekly.pk}/occurrences", Authorization=auth)

    assert weekly.occurrences.count() > 1
    assert many == few


def test_the_poll_list_does_not_grow_with_polls(client, host, congregation, member):
    from microsolidarity.gatherings.models import PollSlot, TimePoll

    def poll(number: int) -> None:
        made = TimePoll.objects.create(
            group=congregation,
            title=f"When {number}?",
            duration=timedelta(hours=1),
            created_by=host,
        )
        starts = timezone.now() + timedelta(days=3 + number)
        PollSlot.objects.create(poll=made, starts_at=starts, ends_at=starts + timedelta(hours=1))

    client.force_login(member)
    poll(0)
    few = queries_for(client, f"/g/{congregation.slug}/polls/")
    for number in range(1, 10):
        poll(number)

    assert queries_for(client, f"/g/{congregation.slug}/polls/") == few


def _congregations_with_pairing(host, network, person, count: int, start: int = 0) -> None:
    from microsolidarity.dyads.services import program_save
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create, membership_join

    for number in range(start, start + count):
        group = group_create(
            by=host,
            name=f"Pairing circle {number}",
            scale=Scale.CONGREGATION,
            parent=network,
            join_policy=JoinPolicy.OPEN,
        )
        program_save(by=host, group=group, every_weeks=2, prompts="What is alive for you?")
        membership_join(person=person, group=group)


def test_the_pairing_home_does_not_grow_with_programs(client, host, network, make_person):
    person = make_person()
    client.force_login(person)
    _congregations_with_pairing(host, network, person, 1)
    few = queries_for(client, "/dyads/")
    _congregations_with_pairing(host, network, person, 6, start=1)

    assert queries_for(client, "/dyads/") == few


def test_the_api_program_list_does_not_grow_with_programs(
    client, host, network, make_person, bearer
):
    person = make_person()
    auth = bearer(person)["Authorization"]
    _congregations_with_pairing(host, network, person, 1)
    few = queries_for(client, "/api/v1/dyads/programs", Authorization=auth)
    _congregations_with_pairing(host, network, person, 6, start=1)

    assert queries_for(client, "/api/v1/dyads/programs", Authorization=auth) == few
