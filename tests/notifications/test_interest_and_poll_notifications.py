"""Callers hear of interest in their call; a group's active members hear of a poll opening."""

from datetime import timedelta

import pytest
from django.utils import timezone

from microsolidarity.crewing.calls import call_post, interest_express, interest_withdraw
from microsolidarity.gatherings.polls import SlotInput, poll_create
from microsolidarity.groups.models import JoinPolicy, Scale, Visibility
from microsolidarity.groups.notify import group_audience
from microsolidarity.groups.services import (
    group_create,
    membership_accept,
    membership_approve,
    membership_invite,
    membership_pause,
    membership_request,
)
from microsolidarity.notifications.models import Kind


def joined(person, group, host):
    membership_approve(
        by=host, membership=membership_request(person=person, group=group).membership
    )
    return person


@pytest.fixture
def caller(congregation, host, make_person):
    return joined(make_person("Cal Caller"), congregation, host)


@pytest.fixture
def call(caller, congregation):
    return call_post(by=caller, congregation=congregation, intention="A crew for parents")


def test_interest_tells_the_caller_and_nobody_else(
    call, caller, congregation, host, member, make_person, told
):
    keen = joined(make_person("Kit Keen"), congregation, host)

    interest_express(person=keen, call=call, message="Count me in")

    assert told(caller, Kind.CALL_INTEREST) == [
        "Kit Keen is interested in your crew call: A crew for parents"
    ]
    assert told(keen, Kind.CALL_INTEREST) == []
    assert told(host, Kind.CALL_INTEREST) == []
    assert told(member, Kind.CALL_INTEREST) == []


def test_interest_again_after_withdrawing_tells_the_caller_again(
    call, caller, congregation, host, make_person, told
):
    keen = joined(make_person("Kit Keen"), congregation, host)
    interest_express(person=keen, call=call)
    interest_withdraw(person=keen, call=call)

    interest_express(person=keen, call=call)

    assert len(told(caller, Kind.CALL_INTEREST)) == 2


def slot_ahead(days: int) -> SlotInput:
    start = (timezone.now() + timedelta(days=days)).replace(tzinfo=None, microsecond=0)
    return SlotInput(starts_at=start, ends_at=start + timedelta(hours=1))


def ask(by, group):
    return poll_create(
        by=by, group=group, title="Monthly call", poll_timezone="UTC", slots=[slot_ahead(3)]
    )


def test_a_poll_tells_the_groups_active_members_but_not_the_asker(
    congregation, host, member, make_person, told
):
    poll = ask(member, congregation)

    assert told(host, Kind.POLL_OPENED) == [
        "Mo Member asks Riverside Congregation for a time: Monthly call"
    ]
    assert told(member, Kind.POLL_OPENED) == []
    notification = host.notifications.get(kind=Kind.POLL_OPENED)
    assert notification.link == poll.get_absolute_url()


def test_a_paused_member_and_people_outside_the_group_hear_nothing_of_a_poll(
    congregation, network, host, member, make_person, told
):
    resting = joined(make_person("Rae Resting"), congregation, host)
    membership_pause(person=resting, group=congregation, paused=True)
    elsewhere = make_person("Eli Elsewhere")

    ask(host, congregation)

    assert told(resting, Kind.POLL_OPENED) == []
    assert told(elsewhere, Kind.POLL_OPENED) == []
    assert told(member, Kind.POLL_OPENED) != []


def test_a_poll_in_a_members_only_crew_reaches_only_its_members(
    congregation, host, member, make_person, told
):
    peer = joined(make_person("Pia Peer"), congregation, host)
    crew = group_create(
        by=member,
        name="Quiet Crew",
        scale=Scale.CREW,
        parent=congregation,
        join_policy=JoinPolicy.INVITATION,
        visibility=Visibility.MEMBERS,
    )
    membership_invite(by=member, group=crew, person=peer)
    membership_accept(person=peer, group=crew)

    ask(member, crew)

    assert told(peer, Kind.POLL_OPENED) == ["Mo Member asks Quiet Crew for a time: Monthly call"]
    assert told(host, Kind.POLL_OPENED) == []


def test_nobody_is_told_of_a_group_hidden_from_them(congregation, member, make_person):
    crew = group_create(
        by=member,
        name="Quiet Crew",
        scale=Scale.CREW,
        parent=congregation,
        join_policy=JoinPolicy.INVITATION,
        visibility=Visibility.MEMBERS,
    )
    stranger = make_person("Sol Stranger")

    assert group_audience(crew, [member, stranger]) == [member]
