"""The profile page: good input is saved; bad input gets a message on its field, saves nothing."""

from html import unescape

import pytest
from django.forms.models import model_to_dict

from microsolidarity.people.models import Person, Profile


@pytest.fixture
def person(make_person):
    return make_person(
        "Pat Profile",
        pronouns="they/them",
        timezone="Europe/Lisbon",
        languages=["pt"],
        interests=["gardening"],
        availability="mon 18:00-20:00",
    )


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def _form_data(**changes):
    data = {
        "display_name": "Pat Changed",
        "pronouns": "she/her",
        "timezone": "Europe/Berlin",
        "languages_text": "German, en",
        "interests_text": "Open Source, parenting, open   source",
        "values": "care",
        "seeking": "a crew",
        "availability": "wed 07:00-09:30; mon 18:00-20:00; mon 19:00-21:00",
        "town": "Berlin, Germany",
        "pronouns_audience": "site",
        "languages_audience": "site",
        "interests_audience": "congregations",
        "values_audience": "congregations",
        "availability_audience": "crews",
        "location_audience": "only_me",
    }
    data.update(changes)
    return data


def _snapshot(person):
    profile = Profile.objects.get(person=person)
    saved = model_to_dict(profile)
    return Person.objects.get(pk=person.pk).display_name, saved


def test_a_good_profile_is_saved(signed_in, person):
    response = signed_in.post("/me/profile/", _form_data())

    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/"
    profile = Profile.objects.get(person=person)
    assert Person.objects.get(pk=person.pk).display_name == "Pat Changed"
    assert profile.languages == ["de", "en"]
    assert profile.interests == ["open source", "parenting"]
    assert profile.availability == "mon 18:00-21:00; wed 07:00-09:30"
    assert profile.town_name == "Berlin, Germany"
    assert profile.town_latitude is not None
    assert profile.location_audience == "only_me"


def test_clearing_the_town_forgets_it(signed_in, person):
    signed_in.post("/me/profile/", _form_data())

    signed_in.post("/me/profile/", _form_data(town=""))

    profile = Profile.objects.get(person=person)
    assert (profile.town_name, profile.town_geonameid, profile.town_latitude) == ("", None, None)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("languages_text", "German, Klingon", "We don't know these languages: Klingon."),
        ("town", "Nowhereville", "We can't find a town called 'Nowhereville'."),
        ("town", "Cambridge", "Several towns are called that:"),
        ("availability", "mon 18:00-20:00; someday 10:00-11:00", "At character 18:"),
        ("availability", "fri 22:00-02:00", "ends before it starts"),
        ("timezone", "Mars/Olympus_Mons", "We don't know the time zone"),
        ("pronouns_audience", "everyone", "Select a valid choice."),
        ("display_name", "", "This field is required."),
        ("interests_text", "x" * 41, "is long for a tag"),
    ],
    ids=[
        "unknown-language",
        "unknown-town",
        "ambiguous-town",
        "unknown-day",
        "crossing-midnight",
        "unknown-timezone",
        "unknown-audience",
        "no-name",
        "long-interest",
    ],
)
def test_bad_input_gets_a_message_on_its_field_and_saves_nothing(
    signed_in, person, field, value, message
):
    before = _snapshot(person)

    response = signed_in.post("/me/profile/", _form_data(**{field: value}))

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    assert message in unescape(response.content.decode())
    assert _snapshot(person) == before


def test_the_profile_page_needs_a_signed_in_person(client):
    response = client.get("/me/profile/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
