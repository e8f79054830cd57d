"""A member's place on the map is in their export and goes with their account."""

import pytest

from microsolidarity.network.mapdata import member_towns
from microsolidarity.network.models import MapChoice
from microsolidarity.network.services import map_choice_set
from microsolidarity.people.services import profile_town_set
from microsolidarity.rights.deletion import account_delete
from microsolidarity.rights.exports import export_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_the_map(make_person, town):
    people = []
    for _ in range(3):
        person = make_person()
        profile_town_set(profile=person.profile, town=town("Lisbon, Portugal"))
        person.profile.save()
        map_choice_set(person=person, on_map=True)
        people.append(person)
    return people


def test_the_export_says_whether_i_am_counted_on_the_map(on_the_map, make_person):
    files = export_files(person=on_the_map[0])
    assert files["network.json"]["counted_on_the_map"] is True
    assert files["network.json"]["counted_since"]
    assert export_files(person=make_person())["network.json"] == {
        "counted_on_the_map": False,
        "counted_since": None,
    }


def test_deleting_the_account_takes_the_person_off_the_map(on_the_map):
    assert [pin.count for pin in member_towns()] == [3]
    account_delete(person_id=on_the_map[0].pk, force=True)
    assert not MapChoice.objects.filter(person=on_the_map[0]).exists()
    assert member_towns() == []
