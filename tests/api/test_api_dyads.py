"""/api/v1/dyads: programs, rounds, opting in and out, my current partner, and outcomes."""

from datetime import date

import pytest

from microsolidarity.dyads.models import PairingOptIn
from microsolidarity.dyads.services import pairing_join, pairing_round_run, program_save
from microsolidarity.groups.models import JoinPolicy, Scale
from microsolidarity.groups.services import group_create, membership_join

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 3, 2)


@pytest.fixture
def circle(host, network):
    group = group_create(
        by=host,
        name="Api Circle",
        scale=Scale.CONGREGATION,
        parent=network,
        join_policy=JoinPolicy.OPEN,
    )
    program_save(by=host, group=group, every_weeks=1)
    return group


@pytest.fixture
def pair(make_person, circle):
    people = []
    for name, zone in (("Ana", "Europe/Lisbon"), ("Ben", "Europe/Berlin")):
        person = make_person(name, timezone=zone, availability="tue 18:00-20:00", languages=["en"])
        membership_join(person=person, group=circle)
        pairing_join(person=person, program=circle.pairing_program)
        people.append(person)
    return people


def test_members_list_programs_and_opt_in_and_out(client, circle, make_person, bearer):
    person = make_person("Cleo")
    membership_join(person=person, group=circle)
    headers = bearer(person)
    listing = client.get("/api/v1/dyads/programs", headers=headers).json()
    assert listing == [
        {
            "group": circle.slug,
            "group_name": "Api Circle",
            "every_weeks": 1,
            "active": True,
            "next_round_on": listing[0]["next_round_on"],
            "opted_in": False,
        }
    ]
    url = f"/api/v1/dyads/programs/{circle.slug}"
    assert client.post(f"{url}/opt-in", headers=headers).json()["opted_in"] is True
    assert PairingOptIn.objects.get(person=person).is_in
    assert client.post(f"{url}/opt-out", headers=headers).json()["opted_in"] is False


def test_outsiders_get_404_for_a_program(client, circle, make_person, bearer):
    headers = bearer(make_person("Stranger"))
    url = f"/api/v1/dyads/programs/{circle.slug}"
    assert client.get(url, headers=headers).status_code == 404
    assert client.post(f"{url}/opt-in", headers=headers).status_code == 404


def test_my_partner_shows_shared_times_in_my_zone_and_takes_an_outcome(
    client, pair, circle, bearer
):
    ana, ben = pair
    pairing_round_run(program_id=circle.pairing_program.pk, today=MONDAY)
    headers = bearer(ana)
    (place,) = client.get("/api/v1/dyads/partner", headers=headers).json()
    assert place["partners"][0]["name"] == "Ben"
    assert place["timezone"] == "Europe/Lisbon"
    assert place["shared_times"] == ["Tue 3 Mar, 18:00–19:00"]
    assert place["round"]["number"] == 1
    marked = client.post(
        f"/api/v1/dyads/places/{place['id']}/outcome",
        {"outcome": "met"},
        content_type="application/json",
        headers=headers,
    )
    assert marked.status_code == 200 and marked.json()["outcome"] == "met"
    other = client.post(
        f"/api/v1/dyads/places/{place['id']}/outcome",
        {"outcome": "met"},
        content_type="application/json",
        headers=bearer(ben),
    )
    assert other.status_code == 404


def test_rounds_are_listed_newest_first(client, pair, circle, bearer):
    pairing_round_run(program_id=circle.pairing_program.pk, today=MONDAY)
    rounds = client.get(f"/api/v1/dyads/programs/{circle.slug}/rounds", headers=bearer(pair[0]))
    assert [r["number"] for r in rounds.json()] == [1]
