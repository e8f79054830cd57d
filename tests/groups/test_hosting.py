"""Hosting is temporary: terms end, crews rotate their host, a leaving host hands on."""

import datetime as dt

import pytest
import time_machine

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups import access, queries
from microsolidarity.groups.models import HostTerm, JoinPolicy, Membership, Role, Scale
from microsolidarity.groups.services import (
    crew_host_rotate,
    group_create,
    host_assign,
    membership_approve,
    membership_join,
    membership_leave,
    membership_request,
)

START = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    """Time stands still at START unless a test moves it."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def crew_of_four(clock, congregation, host, make_person):
    """A crew started by `host`, then joined by three more, one a day apart."""
    crew = group_create(
        by=host,
        name="Four Crew",
        scale=Scale.CREW,
        parent=congregation,
        join_policy=JoinPolicy.OPEN,
    )
    people = [host]
    for name in ("Bea", "Cai", "Dee"):
        clock.shift(dt.timedelta(days=1))
        person = make_person(name)
        request = membership_request(person=person, group=congregation).membership
        membership_approve(by=host, membership=request)
        membership_join(person=person, group=crew)
        people.append(person)
    return crew, people


def _host_names(crew):
    return [
        m.person.display_name
        for m in Membership.objects.filter(group=crew, role=Role.HOST).select_related("person")
    ]


def _forget(people):
    for person in people:
        access.forget_memberships(person)


def test_crew_hosting_rotates_round_in_join_order(crew_of_four):
    crew, people = crew_of_four
    bea = people[1]

    order = [crew_host_rotate(by=bea, group=crew).person.display_name for _ in range(5)]

    assert order == ["Bea", "Cai", "Dee", "Hana Host", "Bea"]
    assert _host_names(crew) == ["Bea"]


def test_rotation_records_host_terms_with_start_and_end(clock, crew_of_four):
    crew, people = crew_of_four
    clock.move_to(START + dt.timedelta(days=10))
    crew_host_rotate(by=people[0], group=crew)
    clock.shift(dt.timedelta(days=7))
    crew_host_rotate(by=people[0], group=crew)

    terms = [
        (t.person.display_name, t.starts_on, t.ends_on, t.ended_on)
        for t in HostTerm.objects.filter(group=crew).select_related("person").order_by("pk")
    ]
    assert terms == [
        ("Hana Host", dt.date(2026, 5, 4), dt.date(2026, 6, 1), dt.date(2026, 5, 14)),
        ("Bea", dt.date(2026, 5, 14), dt.date(2026, 6, 11), dt.date(2026, 5, 21)),
        ("Cai", dt.date(2026, 5, 21), dt.date(2026, 6, 18), None),
    ]


def test_only_crew_members_rotate_its_host(crew_of_four, member):
    crew, _people = crew_of_four

    with pytest.raises(NotAllowed):
        crew_host_rotate(by=member, group=crew)


def test_a_crew_of_one_can_not_rotate(congregation, host):
    crew = group_create(by=host, name="Solo", scale=Scale.CREW, parent=congregation)

    with pytest.raises(RuleBroken, match="two or more"):
        crew_host_rotate(by=host, group=crew)


def test_hosting_rotates_only_in_crews(congregation, host, member):
    with pytest.raises(RuleBroken, match="rotates in crews"):
        crew_host_rotate(by=host, group=congregation)


def test_a_leaving_crew_host_hands_hosting_to_the_next_member(crew_of_four):
    crew, people = crew_of_four
    host = people[0]

    membership_leave(person=host, group=crew)

    assert _host_names(crew) == ["Bea"]
    _forget(people)
    assert access.is_host(people[1], crew)
    assert HostTerm.objects.get(group=crew, person=host).ended_on is not None
    assert Membership.objects.get(group=crew, person=host).role == Role.MEMBER


def test_a_leaving_last_host_hands_hosting_to_the_longest_standing_member(crew_of_four):
    """As decided in docs/decisions/0003-hosting-terms.md, even mid-rotation."""
    crew, people = crew_of_four
    crew_host_rotate(by=people[0], group=crew)
    crew_host_rotate(by=people[0], group=crew)  # Cai hosts

    membership_leave(person=people[2], group=crew)

    assert _host_names(crew) == ["Hana Host"]
    assert crew_host_rotate(by=people[0], group=crew).person == people[1]


def test_a_leaving_member_leaves_the_host_alone(crew_of_four):
    crew, people = crew_of_four

    membership_leave(person=people[2], group=crew)

    assert _host_names(crew) == ["Hana Host"]


def test_a_leaving_host_with_a_co_host_left_hands_nothing_on(crew_of_four):
    crew, people = crew_of_four
    host_assign(by=people[0], group=crew, person=people[3], role=Role.CO_HOST)

    membership_leave(person=people[0], group=crew)

    assert _host_names(crew) == []
    _forget(people)
    assert access.is_host(people[3], crew)


def test_a_crew_host_role_expires_after_its_term(clock, crew_of_four):
    crew, people = crew_of_four
    host = people[0]
    membership = Membership.objects.get(group=crew, person=host)
    assert membership.role_until == dt.date(2026, 6, 1)

    clock.move_to(dt.datetime(2026, 6, 1, 23, 0, tzinfo=dt.UTC))
    _forget(people)
    assert access.is_host(host, crew)
    assert access.can_manage(host, crew)

    clock.move_to(dt.datetime(2026, 6, 2, 1, 0, tzinfo=dt.UTC))
    _forget(people)
    assert not access.is_host(host, crew)
    assert not access.can_manage(host, crew)
    assert host not in [m.person for m in queries.hosting_members(crew)]


def test_a_group_sets_its_own_term_length(congregation, host, member):
    congregation.host_term_days = 7
    congregation.save(update_fields=["host_term_days"])

    with time_machine.travel(START, tick=False):
        membership = host_assign(by=host, group=congregation, person=member, role=Role.STEWARD)

    assert membership.role == Role.STEWARD
    assert membership.role_until == dt.date(2026, 5, 11)
    term = HostTerm.objects.get(group=congregation, person=member)
    assert (term.role, term.starts_on, term.ends_on) == (
        "steward",
        START.date(),
        dt.date(2026, 5, 11),
    )


def test_only_hosts_share_hosting(congregation, member, make_person):
    with pytest.raises(NotAllowed):
        host_assign(by=member, group=congregation, person=member)


def test_hosting_goes_only_to_active_members_and_only_as_a_hosting_role(
    congregation, host, member, make_person
):
    with pytest.raises(RuleBroken, match="not an active member"):
        host_assign(by=host, group=congregation, person=make_person())
    with pytest.raises(RuleBroken, match="not a hosting role"):
        host_assign(by=host, group=congregation, person=member, role=Role.CALLER)
