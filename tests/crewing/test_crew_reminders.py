"""Reminders a day before each crew meeting, once; check-in nudges once per period."""

from datetime import timedelta

import pytest
import time_machine
from crew_builders import crew_of, members_of, next_week_at
from django.core.management import call_command

from microsolidarity.crewing.cycles import cycle_start
from microsolidarity.crewing.models import CrewingSettings, CrewNudge
from microsolidarity.crewing.nudges import crew_nudges_send
from microsolidarity.crewing.reminders import crew_reminders_send
from microsolidarity.gatherings.reminders import reminders_send


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def people(congregation, host, make_person):
    return members_of(congregation, host, make_person, ["Ana", "Ben", "Cai"])


@pytest.fixture
def cycle(people, congregation):
    crew = crew_of(people, congregation)
    return cycle_start(
        crew=crew,
        by=people[0],
        first_meeting_at=next_week_at(),
        call_link="https://meet.example.org/tuesday",
    )


def _first(cycle):
    return cycle.meetings.select_related("occurrence").get(number=1).occurrence.starts_at


def test_a_day_before_members_hear_who_hosts_who_is_focus_and_the_link_once(
    cycle, people, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with (
        time_machine.travel(_first(cycle) - timedelta(hours=24, minutes=30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert crew_reminders_send() == 3
        assert crew_reminders_send() == 0
        assert reminders_send() == 0  # the generic gathering reminder is covered
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)
    body = next(m.body for m in mailoutbox if m.to[0] == people[1].email)
    assert "Focus: Ana. Host and timekeeper: Cai." in body
    assert "https://meet.example.org/tuesday" in body
    assert mailoutbox[0].attachments


def test_an_hour_before_the_generic_reminder_stays_covered(
    cycle, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(_first(cycle) - timedelta(hours=24, minutes=30), tick=False):
        assert crew_reminders_send() == 3
    mailoutbox.clear()
    with (
        time_machine.travel(_first(cycle) - timedelta(minutes=50), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reminders_send() == 0
        assert crew_reminders_send() == 0
    assert mailoutbox == []


def test_nothing_is_sent_two_days_ahead(cycle, mailoutbox):
    with time_machine.travel(_first(cycle) - timedelta(days=2), tick=False):
        assert crew_reminders_send() == 0


def test_the_command_sends_them(cycle, capsys):
    with time_machine.travel(_first(cycle) - timedelta(hours=24), tick=False):
        call_command("send_crew_reminders")
    assert "3 crew reminders sent" in capsys.readouterr().out


def test_active_crews_are_asked_to_check_in_once_per_period(
    cycle, people, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert crew_nudges_send() == 0  # the crew is new
        later = cycle.crew.created_at + timedelta(days=91)
        with time_machine.travel(later, tick=False):
            assert crew_nudges_send() == 1
            assert crew_nudges_send() == 0
        with time_machine.travel(later + timedelta(days=91), tick=False):
            assert crew_nudges_send() == 1
    assert len([m for m in mailoutbox if m.subject.startswith("Time to check in")]) == 6
    assert CrewNudge.objects.get(crew=cycle.crew)


def test_a_congregation_sets_its_own_check_in_period(cycle, congregation):
    CrewingSettings.objects.create(congregation=congregation, check_in_every_days=30)
    with time_machine.travel(cycle.crew.created_at + timedelta(days=31), tick=False):
        assert crew_nudges_send() == 1


def test_the_nudge_command_runs(db, capsys):
    call_command("send_crew_nudges")
    assert "0 crews asked to check in" in capsys.readouterr().out
