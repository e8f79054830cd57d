"""Size guidance: a dyad is two, a crew warns above 6 and stops at 8, and so on."""

import pytest

from microsolidarity.errors import RuleBroken
from microsolidarity.groups.models import JoinPolicy, Membership, MembershipState, Scale
from microsolidarity.groups.services import (
    dyad_create,
    group_create,
    membership_accept,
    membership_approve,
    membership_invite,
    membership_join,
    membership_request,
)
from microsolidarity.groups.sizes import size_refusal, size_rule, size_warning


@pytest.fixture
def join_congregation(congregation, host):
    def join(person):
        result = membership_request(person=person, group=congregation)
        membership_approve(by=host, membership=result.membership)
        return person

    return join


@pytest.fixture
def open_crew(congregation, host):
    return group_create(
        by=host,
        name="Open Crew",
        scale=Scale.CREW,
        parent=congregation,
        join_policy=JoinPolicy.OPEN,
    )


def _fill(crew, join_congregation, make_person, count):
    """Join `count` more people to an open crew; returns the last join's warning."""
    warning = None
    for _ in range(count):
        warning = membership_join(person=join_congregation(make_person()), group=crew).warning
    return warning


def _seats(group):
    return group.memberships.filter(state__in=Membership.SEAT_STATES).count()


def test_a_dyad_is_two_people(host, member):
    dyad = dyad_create(by=host, partner=member)

    assert _seats(dyad) == 2
    assert size_rule(dyad).maximum == 2


def test_a_third_person_is_refused_by_a_dyad(host, member, make_person):
    dyad = dyad_create(by=host, partner=member)
    # Even if its members open it up, a dyad stays two.
    dyad.join_policy = JoinPolicy.OPEN
    dyad.visibility = "public"
    dyad.save(update_fields=["join_policy", "visibility"])

    with pytest.raises(RuleBroken, match="A dyad is two people"):
        membership_join(person=make_person(), group=dyad)

    assert _seats(dyad) == 2


def test_inviting_a_third_into_a_dyad_is_refused(host, member, make_person):
    dyad = dyad_create(by=host, partner=member)

    with pytest.raises(RuleBroken):
        membership_invite(by=host, group=dyad, person=make_person())

    assert _seats(dyad) == 2


def test_a_crew_of_six_has_no_warning(open_crew, join_congregation, make_person):
    warning = _fill(open_crew, join_congregation, make_person, 5)

    assert _seats(open_crew) == 6
    assert warning is None


def test_a_crew_warns_when_a_seventh_joins(open_crew, join_congregation, make_person):
    _fill(open_crew, join_congregation, make_person, 5)

    warning = _fill(open_crew, join_congregation, make_person, 1)

    assert warning == ("Open Crew now has 7 people, more than the 6 that tends to work for a crew.")


def test_a_crew_takes_eight_and_refuses_a_ninth(open_crew, join_congregation, make_person):
    _fill(open_crew, join_congregation, make_person, 7)
    ninth = join_congregation(make_person())

    with pytest.raises(RuleBroken, match=r"holds at most 8\. Consider splitting"):
        membership_join(person=ninth, group=open_crew)

    assert _seats(open_crew) == 8
    assert not Membership.objects.filter(group=open_crew, person=ninth).exists()


def test_a_congregation_sets_its_own_crew_sizes(
    congregation, open_crew, join_congregation, make_person
):
    congregation.crew_warn_above = 2
    congregation.crew_max = 3
    congregation.save(update_fields=["crew_warn_above", "crew_max"])
    open_crew.refresh_from_db()

    assert _fill(open_crew, join_congregation, make_person, 1) is None
    assert "more than the 2" in _fill(open_crew, join_congregation, make_person, 1)
    with pytest.raises(RuleBroken, match="holds at most 3"):
        _fill(open_crew, join_congregation, make_person, 1)


def test_a_crew_maximum_below_the_default_warning_lowers_the_warning(congregation, open_crew):
    congregation.crew_max = 4
    congregation.save(update_fields=["crew_max"])
    open_crew.refresh_from_db()

    assert size_rule(open_crew).warn_above == 4
    assert size_rule(open_crew).maximum == 4


def test_a_congregation_warns_above_150_by_default(congregation):
    assert size_warning(congregation, 150) is None
    assert "more than the 150" in size_warning(congregation, 151)
    assert size_refusal(congregation, 10_000) is None


def test_a_congregation_sets_its_own_warning(congregation, host, join_congregation, make_person):
    congregation.congregation_warn_above = 3
    congregation.save(update_fields=["congregation_warn_above"])
    join_congregation(make_person())
    join_congregation(make_person())
    fourth = membership_request(person=make_person(), group=congregation).membership

    result = membership_approve(by=host, membership=fourth)

    assert _seats(congregation) == 4
    assert result.warning == (
        "Riverside Congregation now has 4 people, more than the 3 that tends to work "
        "for a congregation."
    )


def test_pending_invitations_hold_seats(open_crew, host, join_congregation, make_person):
    _fill(open_crew, join_congregation, make_person, 6)
    invited = join_congregation(make_person())
    membership_invite(by=host, group=open_crew, person=invited)
    late = join_congregation(make_person())

    with pytest.raises(RuleBroken, match="holds at most 8"):
        membership_join(person=late, group=open_crew)

    result = membership_accept(person=invited, group=open_crew)
    assert result.membership.state == MembershipState.ACTIVE
    assert _seats(open_crew) == 8


def test_an_invitation_beyond_the_maximum_is_refused(
    open_crew, host, join_congregation, make_person
):
    _fill(open_crew, join_congregation, make_person, 7)

    with pytest.raises(RuleBroken, match="holds at most 8"):
        membership_invite(by=host, group=open_crew, person=join_congregation(make_person()))


def test_requests_do_not_hold_seats_but_approval_needs_one(congregation, host, make_person):
    crew = group_create(by=host, name="Asking Crew", scale=Scale.CREW, parent=congregation)
    congregation.crew_max = 2
    congregation.save(update_fields=["crew_max"])
    crew.refresh_from_db()
    people = []
    for _ in range(2):
        person = make_person()
        membership_approve(
            by=host, membership=membership_request(person=person, group=congregation).membership
        )
        people.append(person)
    first = membership_request(person=people[0], group=crew).membership
    second = membership_request(person=people[1], group=crew).membership

    membership_approve(by=host, membership=first)

    with pytest.raises(RuleBroken, match="holds at most 2"):
        membership_approve(by=host, membership=second)
    second.refresh_from_db()
    assert second.state == MembershipState.REQUESTED
