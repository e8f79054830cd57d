"""Changing a group's settings: only its hosts may, and a refusal names the field it is about."""

import pytest

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups.models import Group, JoinPolicy, Scale, Visibility
from microsolidarity.groups.services import group_create, group_update


def test_host_changes_name_and_join_policy(congregation, host):
    group_update(
        by=host,
        group=congregation,
        changes={"name": "Riverbank Congregation", "join_policy": JoinPolicy.OPEN},
    )

    stored = Group.objects.get(pk=congregation.pk)
    assert stored.name == "Riverbank Congregation"
    assert stored.join_policy == JoinPolicy.OPEN


def test_member_who_does_not_host_is_refused(congregation, member):
    with pytest.raises(NotAllowed):
        group_update(by=member, group=congregation, changes={"name": "Taken Over"})

    assert Group.objects.get(pk=congregation.pk).name == "Riverside Congregation"


def test_visibility_wider_than_the_parent_is_refused_on_its_field(network, congregation, host):
    # The network narrowed behind the congregation's back (as data from before the rule).
    Group.objects.filter(pk=network.pk).update(visibility=Visibility.MEMBERS)
    congregation = Group.objects.select_related("parent").get(pk=congregation.pk)

    with pytest.raises(RuleBroken) as refusal:
        group_update(by=host, group=congregation, changes={"visibility": Visibility.PUBLIC})

    assert refusal.value.field == "visibility"


def test_narrowing_below_a_group_inside_is_refused(congregation, host, member):
    crew = group_create(by=member, name="Open Crew", scale=Scale.CREW, parent=congregation)
    assert crew.visibility == Visibility.PUBLIC

    with pytest.raises(RuleBroken) as refusal:
        group_update(by=host, group=congregation, changes={"visibility": Visibility.MEMBERS})

    assert refusal.value.field == "visibility"
    assert "Open Crew" in refusal.value.message


def test_unknown_time_zone_is_refused_on_its_field(congregation, host):
    with pytest.raises(RuleBroken) as refusal:
        group_update(by=host, group=congregation, changes={"timezone": "Mars/Olympus"})

    assert refusal.value.field == "timezone"


def test_tiers_belong_to_congregations_only(network, host):
    with pytest.raises(RuleBroken) as refusal:
        group_update(by=host, group=network, changes={"tiers": ["Friend"]})

    assert refusal.value.field == "tiers"


def test_an_empty_name_is_refused_by_the_model_on_its_field(congregation, host):
    with pytest.raises(RuleBroken) as refusal:
        group_update(by=host, group=congregation, changes={"name": ""})

    assert refusal.value.field == "name"
    assert Group.objects.get(pk=congregation.pk).name == "Riverside Congregation"


def test_a_field_it_does_not_edit_is_a_programming_error(congregation, host):
    with pytest.raises(ValueError, match="slug"):
        group_update(by=host, group=congregation, changes={"slug": "elsewhere"})
