"""Crew calls: posting, interest, one-click no, forming a crew at the time everyone shares."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from crew_builders import members_of, next_week_at

from microsolidarity.crewing import access
from microsolidarity.crewing.calls import (
    call_crew_start,
    call_post,
    call_withdraw,
    first_meeting_suggest,
    interest_accept,
    interest_decline,
    interest_express,
    interest_withdraw,
)
from microsolidarity.crewing.models import (
    CallsBy,
    CallStatus,
    CrewingSettings,
    InterestState,
)
from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups.models import JoinedVia, Membership, Role, Scale, Visibility

# A Monday at noon UTC, so "two days' notice" and weekdays are easy to reason about.
MONDAY = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def people(congregation, host, make_person):
    return members_of(
        congregation,
        host,
        make_person,
        ["Caller", "Ben", "Cai", "Dee"],
        timezone="Europe/Berlin",
        availability="thu 18:00-21:00",
    )


@pytest.fixture
def call(people, congregation):
    return call_post(
        by=people[0],
        congregation=congregation,
        intention="A crew for parents who build community",
        size_min=3,
        size_max=4,
    )


def test_a_member_posts_a_call_with_confidentiality_offered(call, people):
    assert call.caller == people[0]
    assert "stays in the crew" in call.agreements
    assert call.timezone == "Europe/Berlin"
    assert call.status == CallStatus.OPEN


def test_someone_outside_the_congregation_cannot_call(congregation, make_person):
    with pytest.raises(NotAllowed):
        call_post(by=make_person("Outsider"), congregation=congregation, intention="Hello")


def test_when_hosts_call_crews_members_cannot(congregation, people, host):
    CrewingSettings.objects.create(congregation=congregation, calls_by=CallsBy.HOSTS)
    with pytest.raises(NotAllowed, match="hosts call crews"):
        call_post(by=people[1], congregation=congregation, intention="Mine")
    assert call_post(by=host, congregation=congregation, intention="Hosted").pk


def test_unreadable_times_and_odd_sizes_are_refused(congregation, people):
    with pytest.raises(RuleBroken) as error:
        call_post(by=people[0], congregation=congregation, intention="x", preferred_times="someday")
    assert error.value.field == "preferred_times"
    with pytest.raises(RuleBroken):
        call_post(by=people[0], congregation=congregation, intention="x", size_min=1)
    with pytest.raises(RuleBroken):
        call_post(by=people[0], congregation=congregation, intention="x", size_max=20)
    with pytest.raises(RuleBroken):
        call_post(by=people[0], congregation=congregation, intention="  ")


def test_interest_then_accept_then_decline_is_seen_only_by_the_two(call, people):
    ben, cai, dee = people[1:]
    interest_accept(by=people[0], interest=interest_express(person=ben, call=call, message="Hi"))
    declined = interest_decline(by=people[0], interest=interest_express(person=cai, call=call))
    assert declined.state == InterestState.DECLINED
    seen_by_dee = {row.person for row in access.interest_rows_for(dee, call)}
    assert seen_by_dee == {ben}
    seen_by_cai = {row.person for row in access.interest_rows_for(cai, call)}
    assert seen_by_cai == {ben, cai}
    seen_by_caller = {row.person for row in access.interest_rows_for(people[0], call)}
    assert seen_by_caller == {ben, cai}


def test_withdrawing_is_one_click_and_hidden_even_from_the_caller(call, people):
    ben = people[1]
    interest_express(person=ben, call=call)
    interest_withdraw(person=ben, call=call)
    assert list(access.interest_rows_for(people[0], call)) == []
    again = interest_express(person=ben, call=call)
    assert again.state == InterestState.INTERESTED


def test_a_declined_person_cannot_press_again(call, people):
    interest_decline(by=people[0], interest=interest_express(person=people[1], call=call))
    with pytest.raises(RuleBroken, match="won't fit"):
        interest_express(person=people[1], call=call)


def test_only_the_caller_answers_and_the_caller_cannot_join_their_own(call, people):
    interest = interest_express(person=people[1], call=call)
    with pytest.raises(NotAllowed):
        interest_accept(by=people[2], interest=interest)
    with pytest.raises(RuleBroken):
        interest_express(person=people[0], call=call)


def test_accepting_stops_at_the_size_wanted(congregation, people):
    call = call_post(
        by=people[0], congregation=congregation, intention="Small", size_min=2, size_max=3
    )
    for person in people[1:3]:
        interest_accept(by=people[0], interest=interest_express(person=person, call=call))
    last = interest_express(person=people[3], call=call)
    with pytest.raises(RuleBroken, match="full"):
        interest_accept(by=people[0], interest=last)


def test_forming_needs_the_smallest_crew(call, people):
    interest_accept(by=people[0], interest=interest_express(person=people[1], call=call))
    with pytest.raises(RuleBroken, match="at least 3"):
        call_crew_start(by=people[0], call=call, first_meeting_at=next_week_at())


def test_the_first_meeting_is_at_the_time_everyone_shares(call, people):
    with time_machine.travel(MONDAY, tick=False):
        for person in people[1:3]:
            interest_accept(by=people[0], interest=interest_express(person=person, call=call))
        suggested = first_meeting_suggest(call)
    # Thursday 18:00 in Berlin in March (winter time) is 17:00 UTC.
    assert suggested == datetime(2031, 3, 6, 17, 0, tzinfo=UTC)


def test_no_shared_time_asks_the_caller_to_pick(call, people):
    for person in people[1:3]:
        interest_accept(by=people[0], interest=interest_express(person=person, call=call))
    people[2].profile.availability = "mon 06:00-07:00"
    people[2].profile.save()
    with pytest.raises(RuleBroken) as error:
        call_crew_start(by=people[0], call=call)
    assert error.value.field == "first_meeting_at"


def test_forming_creates_a_crew_of_the_caller_and_the_accepted_with_a_first_cycle(
    call, people, congregation
):
    for person in people[1:3]:
        interest_accept(by=people[0], interest=interest_express(person=person, call=call))
    interest_express(person=people[3], call=call)
    crew = call_crew_start(by=people[0], call=call, call_link="https://meet.example.org/x")
    call.refresh_from_db()
    assert call.status == CallStatus.FORMED and call.crew == crew
    assert crew.scale == Scale.CREW and crew.parent == congregation
    assert crew.visibility == Visibility.PARENT
    memberships = {m.person: m for m in crew.memberships.all()}
    assert set(memberships) == set(people[:3])
    assert memberships[people[0]].role == Role.HOST
    assert memberships[people[1]].joined_via == JoinedVia.INVITATION
    cycle = crew.crew_cycles.get()
    assert cycle.call == call
    assert [m.focus for m in cycle.meetings.order_by("number")] == people[:3]
    assert cycle.series.call_link == "https://meet.example.org/x"
    assert not Membership.objects.filter(group=crew, person=people[3]).exists()


def test_the_callers_end_date_holds_when_later_than_the_last_meeting(congregation, people):
    ends = (datetime.now(UTC) + timedelta(days=90)).date()
    call = call_post(
        by=people[0], congregation=congregation, intention="Long", cycle_ends_on=ends, size_min=2
    )
    interest_accept(by=people[0], interest=interest_express(person=people[1], call=call))
    crew = call_crew_start(by=people[0], call=call, first_meeting_at=next_week_at())
    assert crew.crew_cycles.get().ends_on == ends


def test_a_withdrawn_call_takes_no_more_interest(call, people):
    call_withdraw(by=people[0], call=call)
    with pytest.raises(RuleBroken, match="not open"):
        interest_express(person=people[1], call=call)
    with pytest.raises(RuleBroken):
        call_crew_start(by=people[0], call=call, first_meeting_at=next_week_at())
