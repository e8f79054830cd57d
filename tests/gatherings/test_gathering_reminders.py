"""Reminders: a day and an hour before, with the call link, each sent once."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from microsolidarity.gatherings.models import ReminderSent, RsvpState
from microsolidarity.gatherings.reminders import reminders_send
from microsolidarity.gatherings.rsvp import rsvp_set
from microsolidarity.gatherings.services import gathering_create

START = datetime(2027, 5, 20, 18, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def call(host, congregation, member):
    with time_machine.travel(START - timedelta(days=10), tick=False):
        gathering = gathering_create(
            by=host,
            group=congregation,
            title="Crew call",
            starts_at=START,
            ends_at=START + timedelta(hours=1),
            call_link="https://call.example.org/crew",
        )
        rsvp_set(person=member, occurrence=gathering.occurrences.get(), state=RsvpState.GOING)
        rsvp_set(person=host, occurrence=gathering.occurrences.get(), state=RsvpState.NOT_GOING)
    return gathering


def send_at(moment, django_capture_on_commit_callbacks) -> int:
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        return reminders_send()


def test_a_day_before_the_people_going_get_a_reminder_with_the_call_link(
    call, member, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    sent = send_at(START - timedelta(hours=23), django_capture_on_commit_callbacks)

    assert sent == 1
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "https://call.example.org/crew" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Reminder: Crew call"


def test_each_reminder_goes_once_however_often_the_command_runs(
    call, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    moments = [START - timedelta(hours=h) for h in (30, 23, 22, 5, 0.9, 0.5, 0.1)]

    counts = [send_at(moment, django_capture_on_commit_callbacks) for moment in moments]

    assert counts == [0, 1, 0, 0, 1, 0, 0]
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 2


def test_someone_who_says_going_late_gets_one_reminder_not_two(
    call, make_person, django_capture_on_commit_callbacks
):
    late = make_person("Late")
    with time_machine.travel(START - timedelta(minutes=30), tick=False):
        rsvp_set(person=late, occurrence=call.occurrences.get(), state=RsvpState.GOING)
    mail.outbox.clear()

    send_at(START - timedelta(minutes=29), django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox].count([late.email]) == 1
    assert ReminderSent.objects.filter(person=late).count() == 2


def test_a_gathering_can_choose_its_own_reminder_times(
    host, congregation, member, django_capture_on_commit_callbacks
):
    with time_machine.travel(START - timedelta(days=10), tick=False):
        camp = gathering_create(
            by=host,
            group=congregation,
            title="Camp",
            mode="in_person",
            town_name="Leipzig",
            starts_at=START,
            ends_at=START + timedelta(days=3),
            reminder_minutes=[7 * 24 * 60],
        )
        rsvp_set(person=member, occurrence=camp.occurrences.get(), state=RsvpState.GOING)
    mail.outbox.clear()

    sent_week_before = send_at(START - timedelta(days=6), django_capture_on_commit_callbacks)
    sent_hour_before = send_at(START - timedelta(minutes=30), django_capture_on_commit_callbacks)

    assert (sent_week_before, sent_hour_before) == (1, 0)
    assert "Leipzig" in mail.outbox[0].body


def test_the_command_sends_due_reminders(call, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with (
        time_machine.travel(START - timedelta(minutes=50), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_reminders", stdout=io.StringIO())

    assert len(mail.outbox) == 1


def test_cancelled_dates_send_no_reminders(call, host, django_capture_on_commit_callbacks):
    from microsolidarity.gatherings.occurrences import occurrence_cancel

    with time_machine.travel(START - timedelta(days=2), tick=False):
        occurrence_cancel(by=host, occurrence=call.occurrences.get())
    mail.outbox.clear()

    assert send_at(START - timedelta(minutes=50), django_capture_on_commit_callbacks) == 0
