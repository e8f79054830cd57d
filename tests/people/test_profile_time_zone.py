"""The profile's time zone: a searchable list of readable names, a city understood, a clear
refusal, and the browser's zone offered while the profile is still on UTC."""

import pytest
from django.urls import reverse

from microsolidarity.people.forms import ProfileForm
from microsolidarity.zones import zone_from_text, zone_label


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Europe/Berlin", "Berlin (Europe)"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires (America, Argentina)"),
        ("UTC", "UTC"),
        ("Etc/GMT+5", "Etc/GMT+5"),
    ],
)
def test_zone_names_read_as_a_place(name, label):
    assert zone_label(name) == label


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("Buenos Aires (America, Argentina)", "America/Argentina/Buenos_Aires"),
        ("  new   york ", "America/New_York"),
        ("Mars/Olympus_Mons", None),
        ("", None),
    ],
)
def test_what_a_person_types_is_understood_as_a_zone(typed, zone):
    assert zone_from_text(typed) == zone


def _data(person, timezone):
    return {
        "display_name": person.display_name,
        "timezone": timezone,
        "pronouns_audience": "only_me",
        "languages_audience": "only_me",
        "interests_audience": "only_me",
        "values_audience": "only_me",
        "availability_audience": "only_me",
        "location_audience": "only_me",
    }


def test_a_city_is_saved_as_its_zone_and_a_wrong_name_gets_a_clear_message(make_person):
    person = make_person("Zoe")

    form = ProfileForm(_data(person, "Lisbon"), instance=person.profile, person=person)
    wrong = ProfileForm(_data(person, "Atlantis"), instance=person.profile, person=person)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["timezone"] == "Europe/Lisbon"
    assert not wrong.is_valid()
    assert wrong.errors["timezone"] == [
        "We don't know the time zone “Atlantis”: pick one from the list, like Europe/Berlin."
    ]


def test_the_profile_page_offers_readable_names_and_the_browser_zone_while_on_utc(
    client, make_person
):
    person = make_person("Uta")
    client.force_login(person)

    page = client.get(reverse("profile_edit")).content.decode()

    assert 'list="zone-options"' in page
    assert '<option value="Europe/Berlin">Berlin (Europe)</option>' in page
    assert "data-zone-from-browser" in page
    assert "microsolidarity/timezone-default.js" in page


def test_a_chosen_zone_is_never_replaced_by_the_browser_one(client, make_person):
    person = make_person("Ina", timezone="Asia/Tokyo")
    client.force_login(person)

    page = client.get(reverse("profile_edit")).content.decode()

    assert "data-zone-from-browser" not in page
    assert 'value="Asia/Tokyo"' in page
