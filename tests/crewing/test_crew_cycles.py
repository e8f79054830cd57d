"""Starting a cycle: one meeting per member as focus, rotating hosts, a members-only series."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from crew_builders import crew_of, members_of, next_week_at

from microsolidarity.crewing.cycles import cycle_start, hosts_for
from microsolidarity.crewing.models import CONFIDENTIALITY, CrewCycle, CycleStatus, Rhythm
from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings.models import Audience, Rsvp, RsvpState
from microsolidarity.groups.models import Status


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def people(congregation, host, make_person):
    return members_of(congregation, host, make_person, ["Ana", "Ben", "Cai"])


@pytest.fixture
def crew(people, congregation):
    return crew_of(people, congregation)


def test_a_cycle_has_one_meeting_per_member_each_as_focus_in_join_order(crew, people):
    cycle = cycle_start(crew=crew, by=people[0], first_meeting_at=next_week_at())
    meetings = list(cycle.meetings.order_by("number"))
    assert [m.focus for m in meetings] == people
    assert [m.number for m in meetings] == [1, 2, 3]


def test_each_meeting_is_hosted_by_the_previous_focus_so_everyone_hosts_once(crew, people):
    cycle = cycle_start(crew=crew, by=people[0], first_meeting_at=next_week_at())
    meetings = list(cycle.meetings.order_by("number"))
    assert [m.host for m in meetings] == [people[2], people[0], people[1]]
    assert all(m.host != m.focus for m in meetings)


def test_hosting_order_wraps_round():
    assert hosts_for(["a", "b"]) == ["b", "a"]
    assert hosts_for([]) == []


def test_meetings_follow_the_rhythm_and_the_cycle_ends_on_the_last_one(crew, people):
    first = next_week_at()
    cycle = cycle_start(crew=crew, by=people[0], first_meeting_at=first, rhythm=Rhythm.FORTNIGHTLY)
    starts = [m.occurrence.starts_at for m in cycle.meetings.order_by("number")]
    assert starts[0] == first
    assert [b - a for a, b in itertools.pairwise(starts)] == [timedelta(days=14)] * 2
    assert cycle.ends_on >= starts[-1].date() - timedelta(days=1)
    assert cycle.starts_on <= cycle.ends_on


def test_the_series_is_for_members_and_every_member_is_going(crew, people):
    cycle = cycle_start(
        crew=crew,
        by=people[0],
        first_meeting_at=next_week_at(),
        meeting_minutes=90,
        call_link="https://meet.example.org/crew",
    )
    series = cycle.series
    assert series.audience == Audience.MEMBERS
    assert series.group == crew
    assert series.call_link == "https://meet.example.org/crew"
    first = cycle.meetings.get(number=1).occurrence
    assert first.ends_at - first.starts_at == timedelta(minutes=90)
    going = set(
        Rsvp.objects.filter(occurrence=first, state=RsvpState.GOING).values_list(
            "person", flat=True
        )
    )
    assert going == {p.pk for p in people}


def test_confidentiality_is_the_default_agreement_and_case_clinic_the_format(crew, people):
    cycle = cycle_start(crew=crew, by=people[1], first_meeting_at=next_week_at())
    assert cycle.agreements == str(CONFIDENTIALITY)
    assert cycle.template.name == "Case Clinic"
    assert cycle.status == CycleStatus.RUNNING


def test_members_get_their_cycle_by_email_with_the_first_meeting_attached(
    crew, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cycle_start(crew=crew, by=people[0], first_meeting_at=next_week_at())
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)
    message = mailoutbox[0]
    assert "focus Ana, hosted by Cai" in message.body
    _name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in str(content)


def test_nothing_is_announced_when_the_start_is_refused(crew, people, mailoutbox):
    with pytest.raises(RuleBroken):
        cycle_start(crew=crew, by=people[0], first_meeting_at=datetime(2000, 1, 1, tzinfo=UTC))
    assert mailoutbox == []
    assert not CrewCycle.objects.exists()


def test_a_second_cycle_waits_for_the_first_to_close(crew, people):
    cycle_start(crew=crew, by=people[0], first_meeting_at=next_week_at())
    with pytest.raises(RuleBroken, match="in a cycle already"):
        cycle_start(crew=crew, by=people[0], first_meeting_at=next_week_at(20))


def test_cycles_are_numbered_per_crew(crew, people):
    first = cycle_start(crew=crew, by=people[0], first_meeting_at=next_week_at())
    CrewCycle.objects.filter(pk=first.pk).update(status=CycleStatus.CLOSED)
    second = cycle_start(crew=crew, by=people[0], first_meeting_at=next_week_at(20))
    assert (first.number, second.number) == (1, 2)


def test_a_stranger_cannot_start_a_crews_cycle(crew, make_person):
    with pytest.raises(NotAllowed):
        cycle_start(crew=crew, by=make_person("Stranger"), first_meeting_at=next_week_at())


def test_a_congregation_host_may_start_a_cycle_for_a_crew_they_are_not_in(crew, host, people):
    cycle = cycle_start(crew=crew, by=host, first_meeting_at=next_week_at())
    assert cycle.meetings.count() == 3
    assert host not in {m.focus for m in cycle.meetings.all()}


def test_a_crew_of_one_cannot_start_a_cycle(congregation, host, make_person):
    (alone,) = members_of(congregation, host, make_person, ["Solo"])
    crew = crew_of([alone], congregation)
    with pytest.raises(RuleBroken, match="two or more"):
        cycle_start(crew=crew, by=alone, first_meeting_at=next_week_at())


def test_naive_or_past_times_and_odd_lengths_are_refused(crew, people):
    with pytest.raises(RuleBroken):
        cycle_start(crew=crew, by=people[0], first_meeting_at=datetime(2030, 1, 1, 18))
    with pytest.raises(RuleBroken):
        cycle_start(crew=crew, by=people[0], first_meeting_at=next_week_at(), meeting_minutes=5)
    with pytest.raises(RuleBroken):
        cycle_start(crew=crew, by=people[0], first_meeting_at=next_week_at(), rhythm="daily")


def test_a_forming_crew_becomes_active_when_its_cycle_starts(crew, people):
    crew.status = Status.FORMING
    crew.save(update_fields=["status"])
    cycle_start(crew=crew, by=people[0], first_meeting_at=next_week_at())
    crew.refresh_from_db()
    assert crew.status == Status.ACTIVE
