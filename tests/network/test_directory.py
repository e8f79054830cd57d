"""The directory: what a listing shows, its filters (plain GET, no JavaScript), and its cost."""

import pytest

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups.models import JoinPolicy, Scale, Visibility
from microsolidarity.groups.services import group_create
from microsolidarity.network.directory import Filters, local_entries, size_band
from microsolidarity.network.services import listing_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def berlin(network, host):
    return group_create(
        by=host,
        name="Kiez Congregation",
        scale=Scale.CONGREGATION,
        parent=network,
        join_policy=JoinPolicy.OPEN,
        languages=["de", "en"],
    )


@pytest.fixture
def online_only(network, host):
    return group_create(
        by=host,
        name="Dawn Call Congregation",
        scale=Scale.CONGREGATION,
        parent=network,
        join_policy=JoinPolicy.REQUEST,
        languages=["es"],
    )


def names(response) -> list[str]:
    return [entry.name for entry in response.context["entries"]]


def test_size_is_a_band_never_the_count():
    assert size_band(3) == "fewer than 15 people"
    assert size_band(15) == "15 to 50 people"
    assert size_band(150) == "50 to 150 people"
    assert size_band(151) == "more than 150 people"


def test_a_listing_needs_a_town_or_online(congregation, host):
    with pytest.raises(RuleBroken, match="a town, or that it meets online"):
        listing_save(by=host, group=congregation, listed=True, meets_online=False, town=None)


def test_only_hosts_change_a_listing(congregation, member, town):
    with pytest.raises(NotAllowed):
        listing_save(
            by=member,
            group=congregation,
            listed=True,
            meets_online=True,
            town=town("Lisbon, Portugal"),
        )


def test_a_crew_is_never_listed(congregation, host, member):
    crew = group_create(by=member, name="Tide", scale=Scale.CREW, parent=congregation)
    with pytest.raises(RuleBroken, match="Only congregations"):
        listing_save(by=host, group=crew, listed=True, meets_online=True, town=None)


def test_unlisted_congregations_stay_out(client, congregation, berlin, listed):
    listed(berlin, "Berlin, Germany")
    assert names(client.get("/network/")) == ["Kiez Congregation"]


def test_entry_shows_town_languages_band_rhythm_and_join(client, berlin, listed):
    listed(
        berlin,
        "Berlin, Germany",
        online=True,
        rhythm="Every second Sunday",
        contact="kiez@example.org",
    )
    page = client.get("/network/").content.decode()
    assert "Berlin, Germany" in page and "and online" in page
    assert "German, English" in page
    assert "fewer than 15 people" in page
    assert "Every second Sunday" in page
    assert 'href="mailto:kiez@example.org"' in page
    assert ">Join<" in page


def test_filters_by_language_mode_and_town_without_javascript(
    client, congregation, berlin, online_only, listed
):
    listed(congregation, "Lisbon, Portugal")
    listed(berlin, "Berlin, Germany")
    listed(online_only, None, online=True)
    assert names(client.get("/network/", {"language": "de"})) == ["Kiez Congregation"]
    assert names(client.get("/network/", {"mode": "online"})) == ["Dawn Call Congregation"]
    assert names(client.get("/network/", {"mode": "in_person"})) == [
        "Kiez Congregation",
        "Riverside Congregation",
    ]
    near = client.get("/network/", {"near": "Potsdam, Germany", "radius": "50"})
    assert names(near) == ["Kiez Congregation"]
    assert near.context["entries"][0].distance_km < 50


def test_nothing_near_shows_the_start_a_congregation_path(client, berlin, listed):
    listed(berlin, "Berlin, Germany")
    page = client.get("/network/", {"near": "Lisbon, Portugal", "radius": "100"})
    assert names(page) == []
    assert "None near you yet: start one" in page.content.decode()


def test_an_unknown_town_says_what_to_do(client, berlin, listed):
    listed(berlin, "Berlin, Germany")
    page = client.get("/network/", {"near": "Xqzzyville"})
    assert page.status_code == 200
    assert "We don&#x27;t know a town called Xqzzyville" in page.content.decode()
    # The search did not quietly drop the town: the unfiltered list is shown.
    assert names(page) == ["Kiez Congregation"]


def test_a_members_only_congregation_is_listed_only_to_its_members(
    client, network, host, make_person, listed
):
    hidden = group_create(
        by=host,
        name="Quiet Congregation",
        scale=Scale.CONGREGATION,
        parent=network,
        visibility=Visibility.MEMBERS,
        join_policy=JoinPolicy.OPEN,
    )
    listed(hidden, "Porto, Portugal")
    assert names(client.get("/network/")) == []
    client.force_login(host)
    assert names(client.get("/network/")) == ["Quiet Congregation"]
    outsider = make_person("Olu Outsider")
    client.force_login(outsider)
    assert names(client.get("/network/")) == []


def test_next_public_gatherings_show_but_members_only_ones_do_not(
    client, congregation, listed, make_gathering
):
    listed(congregation)
    make_gathering(congregation, "Open Spring Gathering")
    make_gathering(congregation, "Members Circle", audience="members")
    page = client.get("/network/").content.decode()
    assert "Open Spring Gathering" in page
    assert "Members Circle" not in page


def test_directory_queries_do_not_grow_with_congregations(
    client, network, host, listed, make_gathering, django_assert_max_num_queries
):
    for number in range(6):
        group = group_create(
            by=host, name=f"Congregation {number}", scale=Scale.CONGREGATION, parent=network
        )
        listed(group, "Lisbon, Portugal")
        make_gathering(group, f"Gathering {number}")
    with django_assert_max_num_queries(12):
        response = client.get("/network/")
    assert len(response.context["entries"]) == 6


def test_local_entries_sort_by_distance(congregation, berlin, listed, town):
    listed(congregation, "Lisbon, Portugal")
    listed(berlin, "Berlin, Germany")
    entries = local_entries(None, Filters(near=town("Madrid, Spain"), radius_km=5000))
    assert [e.name for e in entries] == ["Riverside Congregation", "Kiez Congregation"]


def test_a_long_directory_is_paged_and_keeps_its_filters(client, network, host, listed):
    from microsolidarity.network.views import DIRECTORY_PAGE

    for number in range(DIRECTORY_PAGE + 2):
        group = group_create(
            by=host, name=f"Congregation {number:03d}", scale=Scale.CONGREGATION, parent=network
        )
        listed(group, "Lisbon, Portugal")
    first = client.get("/network/", {"mode": "in_person"})
    assert len(first.context["entries"]) == DIRECTORY_PAGE
    assert f"{DIRECTORY_PAGE + 2} congregations listed here." in first.content.decode()
    assert "?mode=in_person&amp;page=2" in first.content.decode()
    second = client.get("/network/", {"mode": "in_person", "page": "2"})
    assert names(second) == [f"Congregation {DIRECTORY_PAGE + n:03d}" for n in range(2)]


def test_the_start_path_opens_a_form_each_viewer_may_use(client, network, host, member):
    client.force_login(member)
    page = client.get("/network/").content.decode()
    assert 'href="/groups/new/?scale=congregation"' in page
    client.force_login(host)
    page = client.get("/network/").content.decode()
    assert f'href="/groups/new/?scale=congregation&amp;parent={network.slug}"' in page
