"""Where each scale may sit, and that a group is never more visible than its parent."""

import pytest

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups.models import Group, JoinPolicy, Scale, Visibility
from microsolidarity.groups.services import dyad_create, group_create, membership_join


@pytest.fixture
def crew(congregation, host):
    return group_create(
        by=host,
        name="Tuesday Crew",
        scale=Scale.CREW,
        parent=congregation,
        join_policy=JoinPolicy.OPEN,
    )


def test_a_crew_sits_in_a_congregation(congregation, host):
    crew = group_create(by=host, name="Tuesday Crew", scale=Scale.CREW, parent=congregation)

    assert crew.parent == congregation


@pytest.mark.parametrize("parent_name", ["network", "crew", None])
def test_a_crew_outside_a_congregation_is_refused(request, staff, parent_name):
    parent = request.getfixturevalue(parent_name) if parent_name else None

    with pytest.raises(RuleBroken, match="A crew sits in a congregation") as error:
        group_create(by=staff, name="Stray Crew", scale=Scale.CREW, parent=parent)

    assert error.value.field == "parent"
    assert not Group.objects.filter(name="Stray Crew").exists()


def test_a_congregation_sits_in_a_network(network, host):
    congregation = group_create(by=host, name="Hillside", scale=Scale.CONGREGATION, parent=network)

    assert congregation.parent == network


def test_a_congregation_may_stand_alone(make_person):
    congregation = group_create(by=make_person(), name="Island", scale=Scale.CONGREGATION)

    assert congregation.parent is None


@pytest.mark.parametrize("parent_name", ["congregation", "crew"])
def test_a_congregation_inside_a_congregation_or_crew_is_refused(request, staff, parent_name):
    parent = request.getfixturevalue(parent_name)

    with pytest.raises(RuleBroken, match="congregation sits in a network"):
        group_create(by=staff, name="Nested", scale=Scale.CONGREGATION, parent=parent)


def test_a_network_sits_at_the_top(staff):
    network = group_create(by=staff, name="Wide Network", scale=Scale.NETWORK)

    assert network.parent is None


@pytest.mark.parametrize("parent_name", ["network", "congregation"])
def test_a_network_with_a_parent_is_refused(request, staff, parent_name):
    parent = request.getfixturevalue(parent_name)

    with pytest.raises(RuleBroken, match="network sits at the top"):
        group_create(by=staff, name="Sub Network", scale=Scale.NETWORK, parent=parent)


def test_only_operators_start_networks(make_person):
    with pytest.raises(NotAllowed, match="Only the site's operators can start a network"):
        group_create(by=make_person(), name="My Network", scale=Scale.NETWORK)


def test_only_hosts_of_a_network_start_congregations_in_it(network, member):
    with pytest.raises(NotAllowed, match="Only hosts of Test Network can start a congregation"):
        group_create(by=member, name="Mine", scale=Scale.CONGREGATION, parent=network)


def test_only_members_of_a_congregation_call_crews_in_it(congregation, make_person):
    with pytest.raises(
        NotAllowed, match="Only active members of Riverside Congregation can start a crew"
    ):
        group_create(by=make_person(), name="Mine", scale=Scale.CREW, parent=congregation)


@pytest.mark.parametrize("parent_name", ["network", "congregation", "crew", None])
def test_a_dyad_sits_anywhere_or_nowhere(request, staff, host, member, parent_name):
    parent = request.getfixturevalue(parent_name) if parent_name else None
    if parent_name == "crew":
        membership_join(person=member, group=parent)
    # The network's members are its operator-founder and the host.
    by, partner = (host, staff) if parent_name == "network" else (host, member)

    dyad = dyad_create(by=by, partner=partner, parent=parent)

    assert dyad.scale == Scale.DYAD
    assert dyad.parent == parent
    assert set(dyad.memberships.values_list("person", flat=True)) == {by.pk, partner.pk}


def test_a_dyad_inside_a_group_needs_a_partner_from_that_group(congregation, host, make_person):
    stranger = make_person()

    with pytest.raises(RuleBroken, match="not an active member") as error:
        dyad_create(by=host, partner=stranger, parent=congregation)

    assert error.value.field == "partner"
    assert not Group.objects.filter(scale=Scale.DYAD).exists()


def test_a_dyad_with_yourself_is_refused(host):
    with pytest.raises(RuleBroken, match="someone other than you"):
        dyad_create(by=host, partner=host)


@pytest.mark.parametrize(
    ("parent_visibility", "child_visibility"),
    [
        (Visibility.PARENT, Visibility.PUBLIC),
        (Visibility.MEMBERS, Visibility.PUBLIC),
    ],
)
def test_a_child_can_not_be_more_visible_than_its_parent(
    staff, host, parent_visibility, child_visibility
):
    network = group_create(by=staff, name="Net", scale=Scale.NETWORK)
    parent = group_create(
        by=staff,
        name="Quiet Congregation",
        scale=Scale.CONGREGATION,
        parent=network,
        visibility=parent_visibility,
    )

    with pytest.raises(RuleBroken, match="can't be more visible than Quiet Congregation") as error:
        group_create(
            by=staff, name="Loud Crew", scale=Scale.CREW, parent=parent, visibility=child_visibility
        )

    assert error.value.field == "visibility"
    assert not Group.objects.filter(name="Loud Crew").exists()


@pytest.mark.parametrize(
    ("parent_visibility", "child_visibility"),
    [
        (Visibility.PUBLIC, Visibility.PUBLIC),
        (Visibility.PUBLIC, Visibility.PARENT),
        (Visibility.PUBLIC, Visibility.MEMBERS),
        (Visibility.PARENT, Visibility.PARENT),
        (Visibility.PARENT, Visibility.MEMBERS),
        # Seen only by the parent's members, who all see the parent: never wider than it.
        (Visibility.MEMBERS, Visibility.PARENT),
        (Visibility.MEMBERS, Visibility.MEMBERS),
    ],
)
def test_a_child_as_visible_as_its_parent_or_less_is_accepted(
    staff, parent_visibility, child_visibility
):
    network = group_create(by=staff, name="Net", scale=Scale.NETWORK)
    parent = group_create(
        by=staff,
        name="Congregation",
        scale=Scale.CONGREGATION,
        parent=network,
        visibility=parent_visibility,
    )

    crew = group_create(
        by=staff, name="Crew", scale=Scale.CREW, parent=parent, visibility=child_visibility
    )

    assert crew.visibility == child_visibility


def test_a_group_standing_alone_can_not_be_visible_to_its_parents_members(make_person):
    with pytest.raises(RuleBroken, match="Only a group inside another") as error:
        group_create(
            by=make_person(),
            name="Orphan",
            scale=Scale.CONGREGATION,
            visibility=Visibility.PARENT,
        )

    assert error.value.field == "visibility"


def test_a_group_needs_a_name(make_person):
    with pytest.raises(RuleBroken, match="Give the group a name") as error:
        group_create(by=make_person(), name="   ", scale=Scale.CONGREGATION)

    assert error.value.field == "name"


def test_the_creator_is_the_first_host_and_a_congregation_gets_the_default_tiers(make_person):
    from microsolidarity.groups import access

    founder = make_person()
    congregation = group_create(by=founder, name="Island", scale=Scale.CONGREGATION)

    assert access.is_host(founder, congregation)
    assert congregation.tiers == ["Friend", "Partner"]
    assert congregation.slug == "island"
    assert group_create(by=founder, name="Island", scale=Scale.CONGREGATION).slug == "island-2"
