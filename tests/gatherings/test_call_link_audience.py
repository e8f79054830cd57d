"""A gathering's call link reaches only who comes: people going (or every member, when the
hosts choose so), never anonymous visitors or people outside the group. On the page, in
calendar files, in emails, in the API and in what federates."""

import json
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from microsolidarity.gatherings.access import can_see_call_link
from microsolidarity.gatherings.feeds import group_ics, occurrence_ics, person_ics
from microsolidarity.gatherings.models import CallLinkAudience, RsvpState
from microsolidarity.gatherings.reminders import reminder_email
from microsolidarity.gatherings.rsvp import rsvp_set
from microsolidarity.gatherings.services import gathering_create, gathering_update
from microsolidarity.network.payloads import event_object

LINK = "https://call.example.org/riverside-secret"


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def call(host, congregation):
    start = timezone.now() + timedelta(days=3)
    return gathering_create(
        by=host,
        group=congregation,
        title="Riverside call",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=1,
        call_link=LINK,
    )


@pytest.fixture
def occurrence(call):
    return call.occurrences.get()


@pytest.fixture
def visitor(make_person):
    """Signed in, but no member of the congregation (it is public, so they see the call)."""
    return make_person("Vi Visitor")


@pytest.fixture
def going(member, occurrence):
    rsvp_set(person=member, occurrence=occurrence, state=RsvpState.GOING)
    return member


def test_by_default_only_people_going_and_hosts_see_the_link(
    occurrence, call, member, visitor, host
):
    from django.contrib.auth.models import AnonymousUser

    assert not can_see_call_link(None, occurrence)
    assert not can_see_call_link(AnonymousUser(), occurrence)
    assert not can_see_call_link(visitor, occurrence)
    assert not can_see_call_link(member, occurrence)
    assert can_see_call_link(host, occurrence)

    rsvp_set(person=member, occurrence=occurrence, state=RsvpState.GOING)

    assert can_see_call_link(member, occurrence)
    assert can_see_call_link(member, call)


def test_a_waitlisted_person_does_not_see_the_link_until_promoted(
    occurrence, going, make_person, congregation, host
):
    from microsolidarity.groups.services import membership_approve, membership_request

    waiting = make_person("Wai Ting")
    membership_approve(
        by=host, membership=membership_request(person=waiting, group=congregation).membership
    )
    assert rsvp_set(person=waiting, occurrence=occurrence, state=RsvpState.GOING).rsvp.state == (
        RsvpState.WAITLISTED
    )

    assert not can_see_call_link(waiting, occurrence)


def test_hosts_can_show_the_link_to_every_member_but_never_to_outsiders(
    call, occurrence, member, visitor, host
):
    gathering_update(by=host, gathering=call, call_link_audience=CallLinkAudience.MEMBERS)
    call.refresh_from_db()

    assert can_see_call_link(member, occurrence)
    assert not can_see_call_link(visitor, occurrence)
    assert not can_see_call_link(None, occurrence)


def test_the_page_shows_the_link_only_to_who_may_see_it(client, occurrence, member, visitor):
    page = occurrence.get_absolute_url()

    assert LINK not in client.get(page).content.decode()
    client.force_login(visitor)
    assert LINK not in client.get(page).content.decode()
    client.force_login(member)
    shown = client.get(page).content.decode()
    assert LINK not in shown
    assert "It shows here once you say you're going." in shown

    rsvp_set(person=member, occurrence=occurrence, state=RsvpState.GOING)

    assert LINK in client.get(page).content.decode()
    assert LINK in client.get(occurrence.gathering.get_absolute_url()).content.decode()


def test_calendar_files_carry_the_link_only_for_who_may_see_it(
    occurrence, going, visitor, congregation, call
):
    assert LINK.encode() in occurrence_ics(occurrence, viewer=going)
    assert LINK.encode() not in occurrence_ics(occurrence, viewer=visitor)
    assert LINK.encode() not in occurrence_ics(occurrence, viewer=None)
    assert LINK.encode() in person_ics(going)
    # The group's feed is read by calendars nobody signed in to.
    assert LINK.encode() not in group_ics(congregation, [call])
    event = icalendar.Calendar.from_ical(occurrence_ics(occurrence, viewer=visitor)).walk("VEVENT")
    assert "URL" not in event[0]


def test_the_download_link_gives_the_link_to_people_going_only(client, occurrence, going, visitor):
    from django.urls import reverse

    address = reverse("occurrence_feed", args=[occurrence.gathering.slug, occurrence.pk])
    client.force_login(visitor)
    assert LINK.encode() not in client.get(address).content
    client.force_login(going)
    assert LINK.encode() in client.get(address).content


def test_a_reminder_carries_the_link_for_someone_going(occurrence, going, visitor):
    mail.outbox.clear()
    reminder_email(occurrence=occurrence, person=going, minutes_before=60)
    reminder_email(occurrence=occurrence, person=visitor, minutes_before=60)

    to_going, to_visitor = mail.outbox
    assert LINK in to_going.body
    assert LINK not in to_visitor.body
    attachment = to_visitor.attachments[0]
    assert LINK not in str(attachment[1] if isinstance(attachment, tuple) else attachment.content)


def test_the_api_gives_the_link_only_to_who_may_see_it(client, call, going, visitor):
    from microsolidarity.people.services import token_create

    def bearer(person) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_create(person=person, name='tests')[1]}"}

    address = f"/api/v1/gatherings/{call.pk}"

    assert client.get(address).json()["call_link"] == ""
    assert client.get(address, headers=bearer(visitor)).json()["call_link"] == ""
    mine = client.get(address, headers=bearer(going)).json()
    assert mine["call_link"] == LINK
    assert mine["call_link_audience"] == "going"
    listed = client.get("/api/v1/gatherings").json()
    assert all(item["call_link"] == "" for item in listed["items"])


def test_the_link_never_federates(occurrence, going):
    assert LINK not in json.dumps(event_object(occurrence))
