"""Fixtures for the API: token headers, a second congregation, and a members-only crew."""

import pytest


@pytest.fixture
def bearer():
    """bearer(person) -> headers that authenticate as that person with a fresh token."""
    from microsolidarity.people.services import token_create

    def headers(person) -> dict[str, str]:
        _token, raw = token_create(person=person, name="tests")
        return {"Authorization": f"Bearer {raw}"}

    return headers


@pytest.fixture
def other_congregation(network, staff):
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create

    return group_create(
        by=staff,
        name="Hillside Congregation",
        scale=Scale.CONGREGATION,
        parent=network,
        join_policy=JoinPolicy.OPEN,
    )


@pytest.fixture
def outsider(make_person, other_congregation, network):
    """An active member of the network and of the other congregation, not of `congregation`."""
    from microsolidarity.groups.services import membership_join

    person = make_person("Oda Outsider")
    membership_join(person=person, group=network)
    membership_join(person=person, group=other_congregation)
    return person


@pytest.fixture
def quiet_crew(member, congregation):
    """A members-only crew in `congregation`, started by `member`."""
    from microsolidarity.groups.models import JoinPolicy, Scale, Visibility
    from microsolidarity.groups.services import group_create

    return group_create(
        by=member,
        name="Quiet Crew",
        scale=Scale.CREW,
        parent=congregation,
        join_policy=JoinPolicy.OPEN,
        visibility=Visibility.MEMBERS,
    )
