"""Who sees which group: the query and the per-group rule agree, and pages hide what is hidden."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from microsolidarity.groups import access
from microsolidarity.groups.models import (
    Group,
    JoinPolicy,
    Membership,
    MembershipState,
    Scale,
    Visibility,
)
from microsolidarity.groups.services import (
    group_create,
    membership_accept,
    membership_invite,
)
from microsolidarity.people.models import Person


@st.composite
def small_worlds(draw):
    """A few groups nested any which way the database allows, and people in any state."""
    people = draw(st.integers(min_value=1, max_value=3))
    groups = []
    for index in range(draw(st.integers(min_value=1, max_value=6))):
        scale = draw(st.sampled_from(Scale.values))
        parent = None
        if scale != Scale.NETWORK and index > 0:
            parent = draw(st.none() | st.integers(min_value=0, max_value=index - 1))
        if scale == Scale.CREW and parent is None:
            scale = Scale.CONGREGATION
        groups.append((scale, parent, draw(st.sampled_from(Visibility.values))))
    memberships = {}
    for person in range(people):
        for group in range(len(groups)):
            state = draw(st.none() | st.sampled_from(MembershipState.values))
            if state is not None:
                memberships[person, group] = state
    viewer = draw(st.sampled_from(["anonymous", "staff", *range(people)]))
    return people, groups, memberships, viewer


@pytest.mark.django_db
@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=small_worlds())
# Invited to, or asking to join, the parent is not yet membership of it.
@example(
    world=(1, [("congregation", None, "public"), ("crew", 0, "parent")], {(0, 0): "invited"}, 0)
)
@example(world=(1, [("network", None, "members"), ("dyad", 0, "parent")], {(0, 0): "paused"}, 0))
def test_the_visibility_query_and_the_per_group_rule_agree(world):
    people_count, group_specs, membership_specs, viewer_spec = world
    with transaction.atomic():
        people = [Person.objects.create(email=f"p{i}@example.org") for i in range(people_count)]
        groups: list[Group] = []
        for index, (scale, parent, visibility) in enumerate(group_specs):
            groups.append(
                Group.objects.create(
                    name=f"G{index}",
                    slug=f"g{index}",
                    scale=scale,
                    parent=groups[parent] if parent is not None else None,
                    visibility=visibility,
                )
            )
        for (person, group), state in membership_specs.items():
            Membership.objects.create(
                person=people[person],
                group=groups[group],
                state=state,
                joined_via="added",
                started_at=timezone.now(),
            )
        if viewer_spec == "anonymous":
            viewer = AnonymousUser()
        elif viewer_spec == "staff":
            viewer = Person.objects.create(email="staff@example.org", is_staff=True)
        else:
            viewer = people[viewer_spec]

        by_query = set(Group.objects.visible_to(viewer).values_list("slug", flat=True))
        by_rule = {group.slug for group in groups if access.group_visible(viewer, group)}

        assert by_query == by_rule
        transaction.set_rollback(True)


def test_anonymous_visitors_see_only_public_groups(network, congregation, host):
    hidden = group_create(
        by=host,
        name="Hidden Crew",
        scale=Scale.CREW,
        parent=congregation,
        visibility=Visibility.MEMBERS,
    )

    assert hidden not in Group.objects.visible_to(None)
    assert hidden not in Group.objects.visible_to(AnonymousUser())
    assert not access.group_visible(AnonymousUser(), hidden)
    assert set(Group.objects.visible_to(None)) == {network, congregation}


def test_operators_see_every_congregation_but_no_crew_that_is_not_theirs(
    staff, network, congregation, host
):
    quiet = group_create(
        by=host, name="Quiet", scale=Scale.CONGREGATION, parent=network, visibility="members"
    )
    hidden = group_create(
        by=host, name="Hidden", scale=Scale.CREW, parent=congregation, visibility="members"
    )

    assert quiet in Group.objects.visible_to(staff)
    assert access.group_visible(staff, quiet)
    # A crew is its members' alone (docs/security.md): operators get no back door.
    assert hidden not in Group.objects.visible_to(staff)
    assert not access.group_visible(staff, hidden)


@pytest.fixture
def other_host(staff):
    """The network's operator starts and hosts the quiet congregation."""
    return staff


@pytest.fixture
def quiet_congregation(network, other_host):
    """A members-only congregation in the same network as `congregation`."""
    return group_create(
        by=other_host,
        name="Quiet Congregation",
        scale=Scale.CONGREGATION,
        parent=network,
        join_policy=JoinPolicy.INVITATION,
        visibility=Visibility.MEMBERS,
    )


@pytest.fixture
def quiet_member(quiet_congregation, other_host, make_person):
    person = make_person("Quinn Quiet")
    membership_invite(by=other_host, group=quiet_congregation, person=person)
    membership_accept(person=person, group=quiet_congregation)
    return person


def test_a_member_of_another_congregation_can_not_see_a_members_only_one(
    quiet_congregation, member
):
    assert not access.group_visible(member, quiet_congregation)
    assert quiet_congregation not in Group.objects.visible_to(member)


def test_a_members_only_group_page_is_not_found_for_a_member_of_another_congregation(
    client, quiet_congregation, member
):
    client.force_login(member)

    response = client.get(f"/g/{quiet_congregation.slug}/")

    assert response.status_code == 404
    assert b"Quiet Congregation" not in response.content


def test_a_members_only_group_page_is_not_found_for_anonymous_visitors(client, quiet_congregation):
    assert client.get(f"/g/{quiet_congregation.slug}/").status_code == 404


def test_a_members_only_group_page_shows_to_its_members(client, quiet_congregation, quiet_member):
    client.force_login(quiet_member)

    response = client.get(f"/g/{quiet_congregation.slug}/")

    assert response.status_code == 200
    assert "Quiet Congregation" in response.content.decode()


def test_an_invited_person_sees_the_group_they_are_invited_to(
    client, quiet_congregation, other_host, member
):
    membership_invite(by=other_host, group=quiet_congregation, person=member)
    client.force_login(member)

    assert client.get(f"/g/{quiet_congregation.slug}/").status_code == 200


def test_a_former_member_no_longer_sees_a_members_only_group(
    client, quiet_congregation, quiet_member
):
    from microsolidarity.groups.services import membership_leave

    membership_leave(person=quiet_member, group=quiet_congregation)
    client.force_login(quiet_member)

    assert client.get(f"/g/{quiet_congregation.slug}/").status_code == 404


def test_actions_on_a_hidden_group_are_not_found(client, quiet_congregation, member):
    client.force_login(member)

    response = client.post(f"/g/{quiet_congregation.slug}/request/")

    assert response.status_code == 404
    assert not Membership.objects.filter(person=member, group=quiet_congregation).exists()


def test_the_group_list_does_not_show_a_hidden_group(
    client, quiet_congregation, quiet_member, member
):
    client.force_login(member)
    hidden_from_member = client.get("/groups/").content.decode()
    client.force_login(quiet_member)
    shown_to_quiet_member = client.get("/groups/").content.decode()

    assert "Riverside Congregation" in hidden_from_member
    assert "Quiet Congregation" not in hidden_from_member
    assert "Quiet Congregation" in shown_to_quiet_member


def test_the_group_list_search_does_not_reveal_a_hidden_group(client, quiet_congregation, member):
    client.force_login(member)

    response = client.get("/groups/", {"q": "Quiet", "scale": "congregation"})

    assert response.status_code == 200
    assert "Quiet Congregation" not in response.content.decode()


def test_the_network_page_does_not_list_a_hidden_congregation(
    client, network, congregation, quiet_congregation, member
):
    client.force_login(member)

    page = client.get(f"/g/{network.slug}/").content.decode()

    assert "Riverside Congregation" in page
    assert "Quiet Congregation" not in page


def test_a_crew_visible_to_its_congregation_shows_to_members_and_no_one_else(
    client, congregation, host, member, quiet_member
):
    crew = group_create(
        by=host,
        name="Parent Crew",
        scale=Scale.CREW,
        parent=congregation,
        visibility=Visibility.PARENT,
    )

    client.force_login(member)
    assert client.get(f"/g/{crew.slug}/").status_code == 200
    client.force_login(quiet_member)
    assert client.get(f"/g/{crew.slug}/").status_code == 404
