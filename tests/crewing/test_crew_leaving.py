"""Leaving mid-cycle: the focus meeting is cancelled, hosting moves, the others are told."""

from datetime import timedelta

import pytest
import time_machine
from crew_builders import crew_of, members_of, next_week_at

from microsolidarity.crewing.cycles import crew_leave, cycle_start
from microsolidarity.crewing.reminders import crew_reminders_send
from microsolidarity.gatherings.models import OccurrenceStatus, Rsvp, RsvpState
from microsolidarity.groups.models import MembershipState
from microsolidarity.groups.services import membership_leave


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def people(congregation, host, make_person):
    return members_of(congregation, host, make_person, ["Ana", "Ben", "Cai", "Dan"])


@pytest.fixture
def cycle(people, congregation):
    crew = crew_of(people, congregation)
    return cycle_start(crew=crew, by=people[0], first_meeting_at=next_week_at())


def _meetings(cycle):
    return {m.number: m for m in cycle.meetings.select_related("occurrence", "host", "focus")}


def test_leaving_cancels_my_focus_meeting_and_rehosts_mine_and_tells_the_others(
    cycle, people, mailoutbox, django_capture_on_commit_callbacks
):
    ana, ben, cai, dan = people
    # Hosts: 1 by Dan, 2 by Ana, 3 by Ben, 4 by Cai. Ben leaves: focus of 2, host of 3.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership = crew_leave(person=ben, crew=cycle.crew)
    assert membership.state == MembershipState.ALUMNI
    meetings = _meetings(cycle)
    assert meetings[2].occurrence.status == OccurrenceStatus.CANCELLED
    assert meetings[3].host in (ana, dan)  # never Cai, whose focus meeting it is
    assert meetings[3].host != ben
    assert all(meetings[n].occurrence.status == OccurrenceStatus.SCHEDULED for n in (1, 3, 4))
    told = [m for m in mailoutbox if m.subject.startswith("Ben left")]
    assert sorted(m.to[0] for m in told) == sorted(p.email for p in (ana, cai, dan))
    assert "Meeting 2, with Ben as focus, is cancelled." in told[0].body
    assert "now hosts meeting 3" in told[0].body
    going = Rsvp.objects.filter(
        person=ben,
        state=RsvpState.GOING,
        occurrence__gathering=cycle.series,
        occurrence__status=OccurrenceStatus.SCHEDULED,
    )
    assert not going.exists()


def test_leaving_from_the_group_page_is_settled_by_the_next_reminders_run(
    cycle, people, mailoutbox, django_capture_on_commit_callbacks
):
    membership_leave(person=people[3], group=cycle.crew)  # Dan: focus of 4, host of 1
    with django_capture_on_commit_callbacks(execute=True):
        crew_reminders_send()
    meetings = _meetings(cycle)
    assert meetings[4].occurrence.status == OccurrenceStatus.CANCELLED
    assert meetings[1].host in people[1:3]
    assert any(m.subject.startswith("Dan left") for m in mailoutbox)
    # Running again changes nothing and tells nobody again.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        crew_reminders_send()
    assert not any("left" in m.subject for m in mailoutbox)


def test_when_one_remains_the_rest_of_the_cycle_is_called_off(congregation, host, make_person):
    pair = members_of(congregation, host, make_person, ["Eve", "Fay"])
    crew = crew_of(pair, congregation, name="Pair crew")
    cycle = cycle_start(crew=crew, by=pair[0], first_meeting_at=next_week_at())
    crew_leave(person=pair[1], crew=crew)
    statuses = {m.occurrence.status for m in cycle.meetings.select_related("occurrence")}
    assert statuses == {OccurrenceStatus.CANCELLED}


def test_a_past_meeting_stays_as_it_was(cycle, people):
    second = _meetings(cycle)[2].occurrence.starts_at
    with time_machine.travel(second + timedelta(hours=1), tick=False):
        crew_leave(person=people[0], crew=cycle.crew)  # Ana: focus of 1 (past), host of 2 (past)
    meetings = _meetings(cycle)
    assert meetings[1].occurrence.status == OccurrenceStatus.SCHEDULED
    assert meetings[2].host == people[0]
