"""The map: outlines decoded from world-atlas, pins by town, members counted only from three."""

import re

import pytest

from microsolidarity.network.mapdata import member_towns
from microsolidarity.network.models import MapChoice
from microsolidarity.network.services import map_choice_set
from microsolidarity.network.world import HEIGHT, WIDTH, project, world_outlines
from microsolidarity.people.services import profile_town_set

pytestmark = pytest.mark.django_db


def test_the_projection_puts_the_corners_and_the_middle_where_they_belong():
    assert project(-180, 84) == (0, 0)
    assert project(180, -60) == (WIDTH, round(HEIGHT, 1))
    assert project(0, 12) == (500, round(HEIGHT / 2, 1))
    # Beyond the cropped latitudes a pin sits on the edge, never off the map.
    assert project(0, 89)[1] == 0


def test_outlines_come_from_the_atlas_one_path_per_country():
    outlines = world_outlines()
    by_name = {outline.name: outline.path for outline in outlines}
    assert len(outlines) > 150
    assert {"Portugal", "Germany", "Brazil", "Japan"} <= set(by_name)
    for path in by_name.values():
        assert re.fullmatch(r"(M[-\d.]+,[-\d.]+(L[-\d.]+,[-\d.]+)+Z)+", path)
    # Portugal's outline lies around its real longitude and latitude.
    xs = [float(x) for x in re.findall(r"[ML]([-\d.]+),", by_name["Portugal"])]
    ys = [float(y) for y in re.findall(r",([-\d.]+)", by_name["Portugal"])]
    west, north = project(-9.6, 42.2)
    east, south = project(-6.1, 36.9)
    assert west - 2 <= min(xs) and max(xs) <= east + 2
    assert north - 2 <= min(ys) and max(ys) <= south + 2


def _in_town(make_person, town, label: str, count: int, *, on_map: bool = True):
    people = []
    for _ in range(count):
        person = make_person()
        profile_town_set(profile=person.profile, town=town(label))
        person.profile.save()
        if on_map:
            map_choice_set(person=person, on_map=True)
        people.append(person)
    return people


def test_a_town_shows_only_from_three_members_who_chose_the_map(make_person, town):
    _in_town(make_person, town, "Lisbon, Portugal", 3)
    _in_town(make_person, town, "Porto, Portugal", 2)
    _in_town(make_person, town, "Braga, Portugal", 5, on_map=False)
    shown = {pin.label: pin.count for pin in member_towns()}
    assert shown == {"Lisbon, Portugal": 3}


def test_leaving_the_map_takes_a_town_below_three_off_it(make_person, town):
    people = _in_town(make_person, town, "Lisbon, Portugal", 3)
    map_choice_set(person=people[0], on_map=False)
    assert member_towns() == []


def test_the_map_asks_for_a_town_first(make_person):
    from microsolidarity.errors import RuleBroken

    with pytest.raises(RuleBroken, match="Add your town"):
        map_choice_set(person=make_person(), on_map=True)
    assert not MapChoice.objects.exists()


def test_the_map_page_draws_svg_pins_and_counts_and_names_no_other_host(
    client, congregation, listed, make_person, town
):
    listed(congregation, "Lisbon, Portugal")
    _in_town(make_person, town, "Porto, Portugal", 4)
    response = client.get("/network/map/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<path d=") > 150
    x, y = project(town("Lisbon, Portugal").longitude, town("Lisbon, Portugal").latitude)
    assert f'cx="{x}" cy="{y}" r="6"' in page
    assert "Porto, Portugal: 4 members" in page
    assert "Riverside Congregation (Lisbon, Portugal)" in page
    # Every script, style and image is our own: no tile server, no CDN.
    for address in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert not address.startswith(("http://", "https://", "//")), address
    assert "<script>" not in page and " style=" not in page


def test_counting_yourself_on_the_map_from_the_page(client, make_person, town):
    person = _in_town(make_person, town, "Lisbon, Portugal", 1, on_map=False)[0]
    client.force_login(person)
    response = client.post("/network/map/me/", {"on_map": "1"}, follow=True)
    assert MapChoice.objects.filter(person=person).exists()
    assert "You are counted in your town" in response.content.decode()
    client.post("/network/map/me/", {"on_map": "0"})
    assert not MapChoice.objects.filter(person=person).exists()


def test_map_page_queries_stay_flat(
    client, network, host, listed, make_person, town, django_assert_max_num_queries
):
    from microsolidarity.groups.models import Scale
    from microsolidarity.groups.services import group_create

    for number, label in enumerate(["Lisbon, Portugal", "Berlin, Germany", "Porto, Portugal"]):
        group = group_create(by=host, name=f"C{number}", scale=Scale.CONGREGATION, parent=network)
        listed(group, label)
        _in_town(make_person, town, label, 3)
    with django_assert_max_num_queries(6):
        response = client.get("/network/map/")
    assert len(response.context["towns"]) == 3
