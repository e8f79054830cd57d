"""Fixtures for pairing: an open congregation with people who opted in, and a round runner."""

import pytest

EVENINGS = "mon-fri 18:00-21:00"


@pytest.fixture
def circle(host, network):
    """An open congregation hosted by `host`, with pairing every two weeks."""
    from microsolidarity.dyads.services import program_save
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create

    group = group_create(
        by=host,
        name="Pairing Circle",
        scale=Scale.CONGREGATION,
        parent=network,
        join_policy=JoinPolicy.OPEN,
    )
    program_save(by=host, group=group, every_weeks=2, prompts="What is alive for you?")
    return group


@pytest.fixture
def program(circle):
    return circle.pairing_program


@pytest.fixture
def joiner(make_person, circle, program):
    """joiner("Ana", timezone="Europe/Lisbon") -> an active member of `circle`, opted in."""
    from microsolidarity.dyads.services import pairing_join
    from microsolidarity.groups.services import membership_join

    def make(name: str = "", **profile):
        profile.setdefault("availability", EVENINGS)
        profile.setdefault("languages", ["en"])
        person = make_person(name, **profile)
        membership_join(person=person, group=circle)
        pairing_join(person=person, program=program)
        return person

    return make
