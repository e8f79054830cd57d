"""The periodic loops survive one bad item, and nobody is marked reminded before the email went."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone


class Refused(Exception):
    """What a broken mail server (or a broken item) raises."""


@pytest.fixture
def two_gatherings(host, congregation, make_person):
    """Two gatherings due for their day-before reminder, three people going to each."""
    from microsolidarity.gatherings.rsvp import rsvp_set
    from microsolidarity.gatherings.services import gathering_create

    found = []
    for title in ("First circle", "Second circle"):
        starts = timezone.now() + timedelta(hours=20)
        gathering = gathering_create(
            by=host,
            group=congregation,
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )
        people = [make_person(f"{title} guest {n}") for n in range(3)]
        for person in people:
            rsvp_set(person=person, occurrence=gathering.occurrences.get(), state="going")
        found.append((gathering, people))
    return found


@pytest.fixture
def refusing_mail(monkeypatch):
    """Mail to the addresses in the returned set fails as an SMTP refusal would."""
    from django.core.mail import EmailMessage

    refused: set[str] = set()
    send = EmailMessage.send

    def send_or_refuse(message, *args, **kwargs):
        if set(message.to) & refused:
            raise Refused("550 mailbox unavailable")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", send_or_refuse)
    return refused


def test_one_failing_email_stops_no_other_reminder_and_is_not_marked(
    two_gatherings, refusing_mail, mailoutbox
):
    from microsolidarity.gatherings.models import ReminderSent

    (_first, first_people), (_second, second_people) = two_gatherings
    refusing_mail.add(first_people[1].email)

    call_command("send_reminders", stdout=io.StringIO())

    reached = {message.to[0] for message in mailoutbox}
    everyone = {p.email for p in first_people + second_people}
    assert reached == everyone - {first_people[1].email}
    marked = set(ReminderSent.objects.values_list("person__email", flat=True))
    assert marked == reached
    # Once the mail server takes it, the next pass sends the one that failed, and only it.
    refusing_mail.clear()
    mailoutbox.clear()
    call_command("send_reminders", stdout=io.StringIO())
    assert [message.to for message in mailoutbox] == [[first_people[1].email]]


def test_one_failing_crew_nudge_stops_no_other_crew(congregation, host, make_person, refusing_mail):
    from django.core import mail

    from microsolidarity.crewing.models import CrewNudge
    from microsolidarity.crewing.nudges import crew_nudges_send
    from microsolidarity.groups.models import Group, Scale
    from microsolidarity.groups.services import (
        group_create,
        membership_accept,
        membership_approve,
        membership_invite,
        membership_request,
    )

    crews = []
    for name in ("Crew A", "Crew B"):
        founder, peer = make_person(f"{name} founder"), make_person(f"{name} peer")
        for person in (founder, peer):
            asked = membership_request(person=person, group=congregation)
            membership_approve(by=host, membership=asked.membership)
        crew = group_create(by=founder, name=name, scale=Scale.CREW, parent=congregation)
        membership_invite(by=founder, group=crew, person=peer)
        membership_accept(person=peer, group=crew)
        crews.append((crew, founder, peer))
    Group.objects.filter(pk__in=[c.pk for c, _f, _p in crews]).update(
        created_at=timezone.now() - timedelta(days=200)
    )
    refusing_mail.add(crews[0][2].email)
    mail.outbox.clear()

    assert crew_nudges_send() == 1

    assert {m.to[0] for m in mail.outbox} >= {crews[1][1].email, crews[1][2].email}
    # The crew whose email failed is not marked asked: the next pass asks it again.
    assert not CrewNudge.objects.filter(crew=crews[0][0]).exists()
    assert CrewNudge.objects.filter(crew=crews[1][0]).exists()


def test_one_failing_pairing_round_stops_no_other_program(monkeypatch, host, network, congregation):
    from microsolidarity.dyads import services
    from microsolidarity.dyads.models import PairingProgram
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create

    other = group_create(
        by=host, name="Other", scale=Scale.CONGREGATION, parent=network, join_policy=JoinPolicy.OPEN
    )
    programs = [services.program_save(by=host, group=group) for group in (congregation, other)]
    PairingProgram.objects.update(next_round_on=timezone.localdate())
    ran = []
    real = services.pairing_round_run

    def run_or_fail(*, program_id, today=None):
        if program_id == programs[0].pk:
            raise Refused("a broken program")
        ran.append(program_id)
        return real(program_id=program_id, today=today)

    monkeypatch.setattr(services, "pairing_round_run", run_or_fail)

    services.pairing_rounds_run_due()

    assert ran == [programs[1].pk]


def test_the_every_loop_lives_through_a_failed_pass(monkeypatch):
    from microsolidarity import periodic

    passes = []

    class Command(periodic.PeriodicCommand):
        def run_once(self):
            passes.append(1)
            if len(passes) == 1:
                raise Refused("the database went away for a moment")
            return "fine"

    class Stop(BaseException):
        pass

    def sleep(seconds):
        if len(passes) >= 3:
            raise Stop

    monkeypatch.setattr(periodic.time, "sleep", sleep)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(Stop):
        Command(stdout=out, stderr=err).handle(every=5)

    assert len(passes) == 3
    assert "failed" in err.getvalue()
    assert out.getvalue().count("fine") == 2


def test_a_single_failed_pass_exits_with_an_error_for_cron():
    from microsolidarity import periodic

    class Command(periodic.PeriodicCommand):
        def run_once(self):
            raise Refused("broken")

    with pytest.raises(CommandError, match="failed"):
        Command(stdout=io.StringIO(), stderr=io.StringIO()).handle(every=0)
