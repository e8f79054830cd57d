"""The gatherings list's visibility rule from the viewer's memberships equals the rule with
subqueries, for a host, a co-host, a member, an outsider, an operator and an anonymous visitor."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from microsolidarity.gatherings import queries
from microsolidarity.gatherings.models import Gathering
from microsolidarity.gatherings.services import gathering_create
from microsolidarity.groups import queries as group_queries
from microsolidarity.groups.models import JoinPolicy, Role, Scale, Visibility
from microsolidarity.groups.services import (
    group_create,
    host_assign,
    membership_approve,
    membership_request,
)


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
    co_host = make_person("Co-host")
    joined = membership_request(person=co_host, group=congregation)
    membership_approve(by=host, membership=joined.membership)
    host_assign(by=host, group=congregation, person=co_host, role=Role.CO_HOST)
    crew = group_create(
        by=member,
        name="Quiet crew",
        scale=Scale.CREW,
        parent=congregation,
        join_policy=JoinPolicy.OPEN,
        visibility=Visibility.MEMBERS,
    )
    nearby = group_create(
        by=member,
        name="Nearby crew",
        scale=Scale.CREW,
        parent=congregation,
        join_policy=JoinPolicy.OPEN,
        visibility=Visibility.PARENT,
    )
    make(host, congregation, "Open evening")
    make(host, congregation, "Members' evening", audience="members")
    make(member, crew, "Crew check-in")
    make(member, nearby, "Nearby check-in")
    hidden = make(co_host, congregation, "Hidden evening")
    Gathering.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    return {"co_host": co_host, "outsider": make_person("Outsider")}


@pytest.fixture
def people(world, host, member, staff):
    """One viewer of each kind the visibility rules tell apart."""
    return {
        "host": host,
        "co-host": world["co_host"],
        "member": member,
        "outsider": world["outsider"],
        "operator": staff,
        "anonymous": AnonymousUser(),
    }


def test_the_rule_from_memberships_equals_the_rule_with_subqueries(people):
    seen = {}
    for name, person in people.items():
        given = queries.gatherings_visible_given(person, group_queries.viewer_memberships(person))
        titles = set(given.values_list("title", flat=True))
        assert titles == set(
            queries.gatherings_visible_to(person).values_list("title", flat=True)
        ), name
        seen[name] = titles
    # The rule is not vacuous: each kind of viewer sees a different set.
    assert seen["host"] == {
        "Open evening",
        "Members' evening",
        "Nearby check-in",
        "Hidden evening",
    }
    assert seen["co-host"] == seen["host"]
    assert seen["member"] == {
        "Open evening",
        "Members' evening",
        "Crew check-in",
        "Nearby check-in",
    }
    assert seen["outsider"] == seen["anonymous"] == {"Open evening"}
    assert seen["operator"] == {"Open evening", "Members' evening", "Hidden evening"}


def test_the_upcoming_list_is_the_same_with_and_without_the_memberships(world, member):
    with_them = queries.upcoming_for(member, memberships=group_queries.viewer_memberships(member))
    assert [o.pk for o in with_them] == [o.pk for o in queries.upcoming_for(member)]
    assert len(with_them) == 4


def test_the_home_page_hands_on_every_membership_it_read(world, host, member, make_person):
    from microsolidarity.groups.queries import home_for
    from microsolidarity.home.dashboard import memberships_read

    for person in (host, member, world["co_host"], world["outsider"]):
        read = {m.pk for m in memberships_read(home_for(person))}
        assert read == {m.pk for m in group_queries.viewer_memberships(person)}


def test_one_groups_rule_from_memberships_equals_the_rule_with_subqueries(people, congregation):
    from microsolidarity.groups.models import Group

    groups = list(Group.objects.filter(pk=congregation.pk) | congregation.children.all())
    assert len(groups) == 3
    shown = 0
    for name, person in people.items():
        memberships = group_queries.viewer_memberships(person)
        for group in groups:
            given = queries.group_gatherings_visible_given(person, group, memberships)
            titles = sorted(given.values_list("title", flat=True))
            expected = queries.gatherings_visible_to(person).filter(group=group)
            assert titles == sorted(expected.values_list("title", flat=True)), (name, group.name)
            shown += len(titles)
    # Not vacuous: most viewers see something in some group.
    assert shown >= 10


def test_the_groups_rule_from_memberships_equals_the_rule_with_subqueries(people):
    from microsolidarity.groups.models import Group

    seen = []
    for person in people.values():
        memberships = group_queries.viewer_memberships(person)
        given = set(Group.objects.visible_given(person, memberships).values_list("name", flat=True))
        assert given == set(Group.objects.visible_to(person).values_list("name", flat=True))
        seen.append(given)
    # Not vacuous: the member sees the quiet crew, the outsider does not.
    assert "Quiet crew" in seen[2] and "Quiet crew" not in seen[3]
