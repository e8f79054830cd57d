"""Who sees a gathering: who can see its group, or only its members when it is for members."""

from datetime import timedelta

import pytest
from django.utils import timezone

from microsolidarity.errors import NotAllowed
from microsolidarity.gatherings import access, queries
from microsolidarity.gatherings.services import gathering_create
from microsolidarity.groups.models import JoinPolicy, Scale, Visibility
from microsolidarity.groups.services import group_create


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make(by, group, title, **extra):
    start = timezone.now() + timedelta(days=2)
    return gathering_create(
        by=by,
        group=group,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        **extra,
    )


@pytest.fixture
def world(host, congregation, member, make_person):
    crew = group_create(
        by=member,
        name="Quiet crew",
        scale=Scale.CREW,
        parent=congregation,
        join_policy=JoinPolicy.OPEN,
        visibility=Visibility.MEMBERS,
    )
    return {
        "open": make(host, congregation, "Open evening"),
        "members": make(host, congregation, "Members' evening", audience="members"),
        "crew": make(member, crew, "Crew check-in"),
        "stranger": make_person("Stranger"),
    }


def titles(person) -> set[str]:
    return set(queries.gatherings_visible_to(person).values_list("title", flat=True))


def test_anonymous_visitors_see_public_gatherings_of_public_groups(world):
    from django.contrib.auth.models import AnonymousUser

    assert titles(AnonymousUser()) == {"Open evening"}


def test_a_signed_in_stranger_sees_what_an_anonymous_visitor_sees(world):
    assert titles(world["stranger"]) == {"Open evening"}


def test_members_see_their_members_gatherings_and_their_crews(world, member):
    assert titles(member) == {"Open evening", "Members' evening", "Crew check-in"}


def test_operators_see_every_gathering_but_those_of_crews_they_are_not_in(world, staff):
    # A crew's gatherings are its members' alone (docs/security.md), even for operators.
    assert titles(staff) == {"Open evening", "Members' evening"}


def test_the_rule_and_the_query_agree(world, member, host, staff):
    from django.contrib.auth.models import AnonymousUser

    for person in (AnonymousUser(), world["stranger"], member, host, staff):
        for key in ("open", "members", "crew"):
            gathering = world[key]
            assert access.gathering_visible(person, gathering) == (
                gathering.title in titles(person)
            ), (person, key)


def test_only_hosts_call_gatherings_in_a_congregation_but_any_crew_member_in_a_crew(
    world, member, congregation
):
    with pytest.raises(NotAllowed):
        make(member, congregation, "Not mine to call")
    assert access.can_host_in(member, world["crew"].group)


def test_hidden_gatherings_answer_404_on_their_page(client, world):
    client.force_login(world["stranger"])

    assert client.get(world["members"].get_absolute_url()).status_code == 404
    assert client.get(world["crew"].get_absolute_url()).status_code == 404
    assert client.get(world["open"].get_absolute_url()).status_code == 200
