"""Join policies, requests, invitations, leaving, and joining a crew through its congregation."""

import pytest

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups import access
from microsolidarity.groups.models import (
    JoinedVia,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
    Scale,
    Status,
)
from microsolidarity.groups.services import (
    dyad_create,
    group_create,
    membership_accept,
    membership_approve,
    membership_decline_invitation,
    membership_decline_request,
    membership_invite,
    membership_join,
    membership_leave,
    membership_pause,
    membership_request,
    membership_withdraw_request,
)


@pytest.fixture
def make_group(host, network):
    def make(join_policy, **extra):
        return group_create(
            by=host,
            name=f"{join_policy.title()} Congregation",
            scale=Scale.CONGREGATION,
            parent=network,
            join_policy=join_policy,
            **extra,
        )

    return make


def _state(person, group):
    membership = Membership.objects.filter(person=person, group=group).first()
    return membership.state if membership else None


def test_an_open_group_is_joined_at_once(make_group, make_person):
    group = make_group(JoinPolicy.OPEN)
    person = make_person()

    result = membership_join(person=person, group=group)

    assert result.membership.state == MembershipState.ACTIVE
    assert result.membership.joined_via == JoinedVia.OPEN
    assert result.membership.started_at is not None
    assert result.membership.tier == "Friend"
    assert access.is_active_member(person, group)


def test_joining_twice_is_refused(make_group, make_person):
    group = make_group(JoinPolicy.OPEN)
    person = make_person()
    membership_join(person=person, group=group)

    with pytest.raises(RuleBroken, match="already a member"):
        membership_join(person=person, group=group)


def test_asking_to_join_an_open_group_joins_it(make_group, make_person):
    group = make_group(JoinPolicy.OPEN)
    person = make_person()

    result = membership_request(person=person, group=group)

    assert result.membership.state == MembershipState.ACTIVE


def test_a_request_waits_for_a_host(congregation, make_person):
    person = make_person()

    result = membership_request(person=person, group=congregation, message="  Hello!  ")

    assert result.membership.state == MembershipState.REQUESTED
    assert result.membership.message == "Hello!"
    assert not access.is_member(person, congregation)


def test_joining_a_group_that_takes_requests_says_to_ask(congregation, make_person):
    with pytest.raises(RuleBroken, match="takes requests: ask to join"):
        membership_join(person=make_person(), group=congregation)


def test_a_second_request_is_refused(congregation, make_person):
    person = make_person()
    membership_request(person=person, group=congregation)

    with pytest.raises(RuleBroken, match="already with the hosts"):
        membership_request(person=person, group=congregation)


def test_a_host_approves_a_request(congregation, host, make_person):
    person = make_person()
    request = membership_request(person=person, group=congregation).membership

    result = membership_approve(by=host, membership=request)

    assert result.membership.state == MembershipState.ACTIVE
    assert result.membership.joined_via == JoinedVia.REQUEST
    assert access.is_active_member(person, congregation)


def test_only_hosts_approve_requests(congregation, member, make_person):
    request = membership_request(person=make_person(), group=congregation).membership

    with pytest.raises(NotAllowed):
        membership_approve(by=member, membership=request)

    request.refresh_from_db()
    assert request.state == MembershipState.REQUESTED


def test_an_answered_request_can_not_be_approved_again(congregation, host, make_person):
    request = membership_request(person=make_person(), group=congregation).membership
    membership_approve(by=host, membership=request)

    with pytest.raises(RuleBroken, match="already answered"):
        membership_approve(by=host, membership=request)


def test_declining_a_request_leaves_no_trace(congregation, host, make_person):
    person = make_person()
    request = membership_request(person=person, group=congregation).membership

    membership_decline_request(by=host, membership=request)

    assert not Membership.objects.filter(person=person, group=congregation).exists()
    # And they may ask again later.
    assert membership_request(person=person, group=congregation).membership.state == "requested"


def test_only_hosts_decline_requests(congregation, member, make_person):
    person = make_person()
    request = membership_request(person=person, group=congregation).membership

    with pytest.raises(NotAllowed):
        membership_decline_request(by=member, membership=request)

    assert _state(person, congregation) == MembershipState.REQUESTED


def test_declining_a_member_by_mistake_removes_nobody(congregation, host, member):
    membership = Membership.objects.get(person=member, group=congregation)

    membership_decline_request(by=host, membership=membership)

    assert _state(member, congregation) == MembershipState.ACTIVE


def test_a_withdrawn_request_leaves_no_trace(congregation, make_person):
    person = make_person()
    membership_request(person=person, group=congregation)

    membership_withdraw_request(person=person, group=congregation)

    assert _state(person, congregation) is None


@pytest.mark.parametrize("action", [membership_join, membership_request])
def test_an_invitation_only_group_refuses_joining_and_asking(make_group, make_person, action):
    group = make_group(JoinPolicy.INVITATION)
    person = make_person()

    with pytest.raises(RuleBroken):
        action(person=person, group=group)

    assert _state(person, group) is None


def test_an_invitation_only_group_accepts_an_invitation(make_group, host, make_person):
    group = make_group(JoinPolicy.INVITATION)
    person = make_person()

    invitation = membership_invite(by=host, group=group, person=person).membership
    assert invitation.state == MembershipState.INVITED
    assert invitation.invited_by == host
    result = membership_accept(person=person, group=group)

    assert result.membership.state == MembershipState.ACTIVE
    assert result.membership.joined_via == JoinedVia.INVITATION


def test_joining_with_an_invitation_accepts_it(make_group, host, make_person):
    group = make_group(JoinPolicy.INVITATION)
    person = make_person()
    membership_invite(by=host, group=group, person=person)

    result = membership_join(person=person, group=group)

    assert result.membership.state == MembershipState.ACTIVE


def test_accepting_without_an_invitation_is_refused(make_group, make_person):
    group = make_group(JoinPolicy.INVITATION)

    with pytest.raises(RuleBroken, match="no invitation for you"):
        membership_accept(person=make_person(), group=group)


def test_declining_an_invitation_leaves_no_trace(make_group, host, make_person):
    group = make_group(JoinPolicy.INVITATION)
    person = make_person()
    membership_invite(by=host, group=group, person=person)

    membership_decline_invitation(person=person, group=group)

    assert _state(person, group) is None


def test_inviting_someone_who_asked_approves_them(congregation, host, make_person):
    person = make_person()
    membership_request(person=person, group=congregation)

    result = membership_invite(by=host, group=congregation, person=person)

    assert result.membership.state == MembershipState.ACTIVE


def test_inviting_twice_or_inviting_a_member_is_refused(congregation, host, member, make_person):
    person = make_person()
    membership_invite(by=host, group=congregation, person=person)

    with pytest.raises(RuleBroken, match="already invited"):
        membership_invite(by=host, group=congregation, person=person)
    with pytest.raises(RuleBroken, match="already a member"):
        membership_invite(by=host, group=congregation, person=member)


def test_a_friend_of_a_congregation_can_not_invite_but_a_partner_can(
    congregation, member, make_person
):
    with pytest.raises(NotAllowed):
        membership_invite(by=member, group=congregation, person=make_person())

    Membership.objects.filter(person=member, group=congregation).update(tier="Partner")
    access.forget_memberships(member)

    assert membership_invite(by=member, group=congregation, person=make_person()).membership


@pytest.mark.parametrize(
    "action",
    [
        lambda group, person, host: membership_join(person=person, group=group),
        lambda group, person, host: membership_request(person=person, group=group),
        lambda group, person, host: membership_invite(by=host, group=group, person=person),
    ],
    ids=["join", "request", "invite"],
)
def test_a_closed_group_refuses_everything(make_group, host, make_person, action):
    group = make_group(JoinPolicy.CLOSED)
    person = make_person()

    with pytest.raises(RuleBroken):
        action(group, person, host)

    assert _state(person, group) is None


def test_a_group_that_has_closed_takes_nobody(make_group, make_person):
    group = make_group(JoinPolicy.OPEN, status=Status.CLOSED)

    with pytest.raises(RuleBroken, match="has closed"):
        membership_join(person=make_person(), group=group)


def test_joining_a_crew_needs_active_membership_of_its_congregation(
    congregation, host, member, make_person
):
    crew = group_create(
        by=host, name="Open Crew", scale=Scale.CREW, parent=congregation, join_policy="open"
    )
    outsider = make_person()

    with pytest.raises(RuleBroken, match="Join Riverside Congregation first"):
        membership_join(person=outsider, group=crew)
    with pytest.raises(RuleBroken, match="not a member of Riverside Congregation"):
        membership_invite(by=host, group=crew, person=outsider)
    membership_pause(person=member, group=congregation, paused=True)
    with pytest.raises(RuleBroken, match="Join Riverside Congregation first"):
        membership_join(person=member, group=crew)
    membership_pause(person=member, group=congregation, paused=False)

    assert membership_join(person=member, group=crew).membership.state == "active"
    assert _state(outsider, crew) is None


def test_asking_to_join_a_crew_needs_membership_of_its_congregation(
    congregation, host, make_person
):
    crew = group_create(by=host, name="Asking Crew", scale=Scale.CREW, parent=congregation)

    with pytest.raises(RuleBroken, match="Join Riverside Congregation first"):
        membership_request(person=make_person(), group=crew)


def test_a_hidden_group_can_not_be_joined(make_group, make_person):
    group = make_group(JoinPolicy.OPEN, visibility="members")

    with pytest.raises(NotAllowed, match="not visible"):
        membership_join(person=make_person(), group=group)


def test_leaving_makes_alumni(congregation, member):
    left = membership_leave(person=member, group=congregation)

    assert left.state == MembershipState.ALUMNI
    assert left.ended_at is not None
    assert not access.is_member(member, congregation)


def test_leaving_a_group_you_are_not_in_is_refused(congregation, make_person):
    with pytest.raises(RuleBroken, match="not a member"):
        membership_leave(person=make_person(), group=congregation)


def test_alumni_may_come_back_to_an_open_group(make_group, make_person):
    group = make_group(JoinPolicy.OPEN)
    person = make_person()
    membership_join(person=person, group=group)
    membership_leave(person=person, group=group)

    result = membership_join(person=person, group=group)

    assert result.membership.state == MembershipState.ACTIVE
    assert result.membership.ended_at is None


def test_leaving_a_dyad_closes_it(host, member):
    dyad = dyad_create(by=host, partner=member)

    membership_leave(person=member, group=dyad)

    dyad.refresh_from_db()
    assert dyad.status == Status.CLOSED


def test_pausing_and_resuming(congregation, member):
    assert membership_pause(person=member, group=congregation, paused=True).state == "paused"
    assert access.is_member(member, congregation)
    assert not access.is_active_member(member, congregation)
    with pytest.raises(RuleBroken, match="Only an active membership"):
        membership_pause(person=member, group=congregation, paused=True)

    assert membership_pause(person=member, group=congregation, paused=False).state == "active"


def test_the_creator_joins_as_host_and_the_highest_tier(make_group, host):
    group = make_group(JoinPolicy.OPEN)
    membership = Membership.objects.get(person=host, group=group)

    assert membership.role == Role.HOST
    assert membership.joined_via == JoinedVia.CREATED
    assert membership.tier == "Partner"
