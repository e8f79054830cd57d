"""Fixtures for data rights: a leaver with a footprint across every app, and someone waiting."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

LEAVER_EMAIL = "zelda.quill-7731@example.org"
LEAVER_NAME = "Zelda Quillfeather"


@pytest.fixture
def leaver(make_person, congregation, host):
    from microsolidarity.groups.services import membership_approve, membership_request

    person = make_person(
        LEAVER_NAME,
        email=LEAVER_EMAIL,
        town_name="Lisbon, Portugal",
        availability="mon 18:00-20:00",
        interests=["gardening"],
    )
    result = membership_request(person=person, group=congregation)
    membership_approve(by=host, membership=result.membership)
    return person


@pytest.fixture
def footprint(leaver, host, congregation, make_person):
    """The leaver's seat in a full gathering (someone waits), a dyad, a poll, a journal, crewing."""
    from allauth.account.models import EmailAddress

    from microsolidarity.crewing.calls import call_post, interest_express
    from microsolidarity.crewing.models import CrewCycle, Retrospective
    from microsolidarity.dyads.services import checkin_create
    from microsolidarity.gatherings.models import RsvpState
    from microsolidarity.gatherings.polls import SlotInput, poll_answer, poll_create
    from microsolidarity.gatherings.rsvp import rsvp_set
    from microsolidarity.gatherings.services import gathering_create
    from microsolidarity.groups.services import (
        dyad_create,
        membership_approve,
        membership_request,
    )
    from microsolidarity.journal.services import entry_create, part_create
    from microsolidarity.people.services import token_create

    waiting = make_person("Wren Waiting")
    membership_approve(
        by=host, membership=membership_request(person=waiting, group=congregation).membership
    )
    start = timezone.now() + timedelta(days=3)
    gathering = gathering_create(
        by=host,
        group=congregation,
        title="Tiny circle",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=1,
    )
    occurrence = gathering.occurrences.get()
    rsvp_set(person=leaver, occurrence=occurrence, state=RsvpState.GOING)
    rsvp_set(person=waiting, occurrence=occurrence, state=RsvpState.GOING)

    dyad = dyad_create(by=leaver, partner=waiting, parent=congregation)
    checkin_create(
        author=leaver, group=dyad, spoke=3, decided=3, carried=3, felt=4, note="we laughed"
    )
    poll = poll_create(
        by=host,
        group=congregation,
        title="Next call",
        poll_timezone="UTC",
        slots=[SlotInput(starts_at=start, ends_at=start + timedelta(hours=1))],
    )
    poll_answer(person=leaver, poll=poll, answers={poll.slots.get().pk: "yes"})
    part = part_create(author=leaver, name="the planner", notes="keeps lists")
    entry_create(author=leaver, text="a private thought", prompt="", part_ids=[part.pk])
    token_create(person=leaver, name="my script")
    EmailAddress.objects.create(user=leaver, email=LEAVER_EMAIL, verified=True, primary=True)

    call = call_post(by=host, congregation=congregation, intention="A crew for gardeners")
    interest_express(person=leaver, call=call, message=f"Hi, {LEAVER_NAME} here")
    cycle = CrewCycle.objects.create(
        crew=dyad, starts_on=date.today(), ends_on=date.today() + timedelta(days=30)
    )
    Retrospective.objects.create(
        cycle=cycle, person=leaver, worked="listening", did_not="timing", choice="continue"
    )
    return {
        "occurrence": occurrence,
        "waiting": waiting,
        "dyad": dyad,
        "poll": poll,
        "gathering": gathering,
    }
