"""Publishing a round emails each member their crew through a real SMTP server, with an .ics."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from round_builders import members_signed_up, open_round

from microsolidarity.crewing.models import CrewCycle
from microsolidarity.crewing.round_lifecycle import round_propose
from microsolidarity.crewing.round_publishing import round_publish


class _Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.recipients.extend(envelope.rcpt_tos)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    try:
        yield inbox
    finally:
        controller.stop()


def test_each_member_gets_their_crew_the_why_and_the_first_meeting_as_ics(
    smtp_inbox, host, congregation, make_person, django_capture_on_commit_callbacks
):
    round_ = open_round(host, congregation, title="Spring crews")
    people = members_signed_up(
        round_,
        congregation,
        host,
        make_person,
        ["Ana", "Bo", "Cy"],
        timezone_name="Europe/Lisbon",
        interests=["gardening", "mutual aid"],
        availability="wed 19:00-21:00",
    )
    formed = round_propose(by=host, formation_round=round_)
    with django_capture_on_commit_callbacks(execute=True):
        round_publish(by=host, formation_round=formed, seen_version=formed.proposal_version)

    ours = [m for m in smtp_inbox.messages if m["Subject"].startswith("Your crew from Spring")]
    assert sorted(m["To"] for m in ours) == sorted(p.email for p in people)
    assert set(smtp_inbox.recipients) >= {p.email for p in people}
    message = next(m for m in ours if m["To"] == people[0].email)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Your crew-mates:" in body
    assert "  - Bo" in body and "  - Cy" in body
    # Names only: no crew-mate's address is in the email.
    assert people[1].email not in body and people[2].email not in body
    assert "in your time (Europe/Lisbon): wed 19:00-21:00" in body
    assert "Interests you share: gardening, mutual aid" in body
    assert "Proposed first meeting: Wednesday" in body and "19:00 (Europe/Lisbon)" in body

    (attachment,) = [part for part in message.iter_attachments()]
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "first-meeting.ics"
    calendar = Calendar.from_ical(attachment.get_content())
    (event,) = calendar.walk("VEVENT")
    cycle = CrewCycle.objects.get(formation_round=formed)
    first = cycle.meetings.order_by("number").first().occurrence
    assert event.decoded("dtstart") == first.starts_at
    assert event.decoded("dtend") == first.ends_at
    assert cycle.crew.name in str(event.get("summary"))


def test_people_left_out_are_told_kindly_why(
    smtp_inbox, host, congregation, make_person, django_capture_on_commit_callbacks
):
    round_ = open_round(host, congregation, title="Spring crews")
    members_signed_up(round_, congregation, host, make_person, ["Ana", "Bo", "Cy"])
    (lone,) = members_signed_up(
        round_, congregation, host, make_person, ["Lone"], availability="sun 03:00-04:00"
    )
    formed = round_propose(by=host, formation_round=round_)
    with django_capture_on_commit_callbacks(execute=True):
        round_publish(by=host, formation_round=formed, seen_version=formed.proposal_version)
    (message,) = [m for m in smtp_inbox.messages if m["To"] == lone.email]
    assert message["Subject"] == f"No crew this round in {congregation.name}"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "could not place you" in body
    assert "Why: Nobody who speaks one of your languages is free at the same time as you" in body
    assert " their " not in body and " them" not in body
