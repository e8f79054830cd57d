"""profile_update: what a person changes on their profile is stored, and nothing else moves."""

import pytest

from microsolidarity.people.models import Person, Profile
from microsolidarity.people.services import profile_update
from microsolidarity.people.towns import town_resolve


@pytest.fixture
def person(make_person):
    return make_person("Pat Profile", pronouns="they/them", timezone="Europe/Lisbon")


def test_changes_names_and_lists_are_stored(person):
    profile_update(
        person=person,
        changes={"pronouns": "she/her", "languages": ["de", "en"], "interests": ["gardening"]},
        display_name="Pat Changed",
    )

    profile = Profile.objects.get(person=person)
    assert profile.pronouns == "she/her"
    assert profile.languages == ["de", "en"]
    assert profile.interests == ["gardening"]
    assert profile.timezone == "Europe/Lisbon"
    assert Person.objects.get(pk=person.pk).display_name == "Pat Changed"


def test_the_town_stays_unless_it_changed_and_clears_when_asked(person):
    berlin = town_resolve("Berlin, Germany")[0]
    profile_update(person=person, changes={}, town=berlin, town_changed=True)
    assert Profile.objects.get(person=person).town_geonameid == berlin.geonameid

    profile_update(person=person, changes={"pronouns": "he/him"})
    assert Profile.objects.get(person=person).town_geonameid == berlin.geonameid

    profile_update(person=person, changes={}, town=None, town_changed=True)
    stored = Profile.objects.get(person=person)
    assert stored.town_geonameid is None
    assert stored.town_name == ""


def test_a_field_it_does_not_edit_is_a_programming_error(person):
    with pytest.raises(ValueError, match="person"):
        profile_update(person=person, changes={"person": None})
