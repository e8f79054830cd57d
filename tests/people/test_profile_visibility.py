"""Each part of a profile has its own audience; a person's location is never finer than a town."""

import pytest
from django.contrib.auth.models import AnonymousUser

from microsolidarity.groups.models import JoinPolicy, Scale
from microsolidarity.groups.queries import closeness, visible_parts
from microsolidarity.groups.services import (
    dyad_create,
    group_create,
    membership_join,
    membership_leave,
)
from microsolidarity.people.models import Audience, Profile
from microsolidarity.people.services import profile_town_set
from microsolidarity.people.towns import town_resolve

ALL_PARTS = set(Profile.PARTS)


@pytest.fixture
def subject(make_person, congregation, host):
    """Someone in `congregation` whose parts have one of each audience."""
    from microsolidarity.groups.services import membership_approve, membership_request

    person = make_person(
        "Sam Subject",
        pronouns_audience=Audience.SITE,
        languages_audience=Audience.SITE,
        interests_audience=Audience.CONGREGATIONS,
        values_audience=Audience.CONGREGATIONS,
        availability_audience=Audience.CREWS,
        location_audience=Audience.ONLY_ME,
    )
    request = membership_request(person=person, group=congregation).membership
    membership_approve(by=host, membership=request)
    return person


@pytest.fixture
def crew(congregation, host):
    return group_create(
        by=host, name="Crew", scale=Scale.CREW, parent=congregation, join_policy=JoinPolicy.OPEN
    )


def test_a_person_sees_all_of_their_own_profile(subject):
    assert visible_parts(subject, subject.profile) == ALL_PARTS


def test_someone_sharing_no_group_sees_only_site_wide_parts(subject, make_person):
    stranger = make_person()

    assert visible_parts(stranger, subject.profile) == {"pronouns", "languages"}


def test_anonymous_visitors_see_no_part(subject):
    assert closeness(AnonymousUser(), subject) is None
    assert visible_parts(AnonymousUser(), subject.profile) == set()


def test_a_congregation_mate_sees_congregation_parts_but_not_crew_parts(subject, member):
    assert visible_parts(member, subject.profile) == {
        "pronouns",
        "languages",
        "interests",
        "values",
    }


def test_a_crew_mate_sees_crew_parts_but_never_only_me_parts(subject, member, crew):
    membership_join(person=subject, group=crew)
    membership_join(person=member, group=crew)

    assert visible_parts(member, subject.profile) == ALL_PARTS - {"location"}


def test_a_dyad_partner_counts_as_a_crew_mate(subject, make_person):
    partner = make_person()
    dyad_create(by=subject, partner=partner)

    assert "availability" in visible_parts(partner, subject.profile)
    assert "location" not in visible_parts(partner, subject.profile)


def test_a_former_crew_mate_no_longer_sees_crew_parts(subject, member, crew):
    membership_join(person=subject, group=crew)
    membership_join(person=member, group=crew)

    membership_leave(person=member, group=crew)

    assert "availability" not in visible_parts(member, subject.profile)


def test_sharing_only_a_network_is_not_sharing_a_congregation(subject, network, staff):
    """The audience reads "People in my congregations": a whole network is wider than that."""
    membership_join(person=subject, group=network)

    assert visible_parts(staff, subject.profile) == {"pronouns", "languages"}


@pytest.fixture
def berlin():
    (town,) = town_resolve("Berlin, Germany")
    return town


def _with_town(person, town, audience):
    profile = person.profile
    profile_town_set(profile=profile, town=town)
    profile.location_audience = audience
    profile.save()
    return profile


def test_the_person_page_shows_a_town_and_nothing_finer(client, subject, member, berlin):
    _with_town(subject, berlin, Audience.CONGREGATIONS)
    client.force_login(member)

    page = client.get(f"/people/{subject.pk}/").content.decode()

    assert "Berlin, Germany" in page
    assert str(berlin.latitude) not in page
    assert str(berlin.longitude) not in page
    assert str(berlin.geonameid) not in page


def test_the_person_page_hides_a_town_from_those_outside_its_audience(
    client, subject, make_person, berlin
):
    _with_town(subject, berlin, Audience.CONGREGATIONS)
    client.force_login(make_person())

    page = client.get(f"/people/{subject.pk}/").content.decode()

    assert "Sam Subject" in page
    assert "Berlin" not in page


def test_the_person_page_shows_a_crew_mate_the_availability(client, subject, member, crew):
    subject.profile.availability = "tue 19:00-21:00"
    subject.profile.save()
    membership_join(person=subject, group=crew)
    client.force_login(member)
    assert "tue 19:00-21:00" not in client.get(f"/people/{subject.pk}/").content.decode()

    membership_join(person=member, group=crew)

    assert "tue 19:00-21:00" in client.get(f"/people/{subject.pk}/").content.decode()


def test_the_person_page_asks_visitors_to_sign_in(client, subject):
    response = client.get(f"/people/{subject.pk}/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_only_a_town_and_its_centroid_are_stored(subject, berlin):
    profile = _with_town(subject, berlin, Audience.SITE)
    profile.refresh_from_db()

    assert profile.town_name == "Berlin, Germany"
    assert (profile.town_latitude, profile.town_longitude) == (berlin.latitude, berlin.longitude)
    # A centroid with four decimals is the same for everyone in the town.
    assert round(profile.town_latitude, 4) == profile.town_latitude

    profile_town_set(profile=profile, town=None)
    profile.save()
    profile.refresh_from_db()
    assert (profile.town_name, profile.town_geonameid, profile.town_latitude) == ("", None, None)
