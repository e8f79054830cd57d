"""The caller changes an open call (size, times, text); everyone interested keeps their place."""

from datetime import timedelta

import pytest
from crew_builders import members_of
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from microsolidarity.crewing.calls import (
    call_crew_start,
    call_edit,
    call_post,
    interest_accept,
    interest_express,
    interest_withdraw,
)
from microsolidarity.crewing.models import CallInterest, CrewCall, InterestState
from microsolidarity.errors import NotAllowed, RuleBroken


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
        intention="A crew for parents",
        preferred_times="thu 18:00-20:00",
        caller_timezone="Europe/Berlin",
        size_min=2,
        size_max=5,
    )


def _fields(call: CrewCall, **changes) -> dict:
    fields = {
        "intention": call.intention,
        "description": call.description,
        "rhythm": call.rhythm,
        "meeting_minutes": call.meeting_minutes,
        "preferred_times": call.preferred_times,
        "caller_timezone": call.timezone,
        "cycle_ends_on": call.cycle_ends_on,
        "size_min": call.size_min,
        "size_max": call.size_max,
        "agreements": call.agreements,
        "template": call.template,
    }
    return fields | changes


def test_the_caller_changes_size_times_and_text(call, people):
    edited, changes = call_edit(
        by=people[0],
        call=call,
        **_fields(
            call,
            intention="A crew for parents who garden",
            preferred_times="tue 19:00-21:00",
            size_max=4,
            meeting_minutes=90,
        ),
    )
    edited.refresh_from_db()
    assert (edited.intention, edited.preferred_times) == (
        "A crew for parents who garden",
        "tue 19:00-21:00",
    )
    assert (edited.size_max, edited.meeting_minutes) == (4, 90)
    assert "What it is for: A crew for parents who garden" in changes
    assert "Preferred times: tue 19:00-21:00 (Europe/Berlin)" in changes
    assert "Size: 2 to 4 people" in changes
    assert "Each meeting: 90 minutes" in changes


def test_people_interested_keep_their_place_and_are_told_what_changed(
    call, people, django_capture_on_commit_callbacks
):
    waiting = interest_express(person=people[1], call=call)
    accepted = interest_accept(by=people[0], interest=interest_express(person=people[2], call=call))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_edit(
            by=people[0], call=call, **_fields(call, size_max=3, preferred_times="tue 19:00-21:00")
        )
    waiting.refresh_from_db()
    accepted.refresh_from_db()
    assert (waiting.state, accepted.state) == (InterestState.INTERESTED, InterestState.ACCEPTED)
    by_person = {message.to[0]: message for message in mail.outbox}
    assert set(by_person) == {people[1].email, people[2].email}
    ben = by_person[people[1].email]
    assert ben.subject == "A crew call changed: A crew for parents"
    assert "Caller changed the crew call “A crew for parents”" in ben.body
    assert "- Size: 2 to 3 people" in ben.body
    assert "- Preferred times: tue 19:00-21:00 (Europe/Berlin)" in ben.body
    assert "Your interest stands and the caller still sees it: nothing to do." in ben.body
    assert "withdraw quietly" in ben.body
    cai = by_person[people[2].email]
    assert "You are still in the crew-to-be: there is nothing you need to do." in cai.body


def test_someone_who_withdrew_is_not_written_to(call, people, django_capture_on_commit_callbacks):
    interest_express(person=people[1], call=call)
    interest_withdraw(person=people[1], call=call)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_edit(by=people[0], call=call, **_fields(call, intention="Parents, gardening"))
    assert mail.outbox == []


def test_a_size_below_the_people_already_interested_is_refused(call, people):
    interest_express(person=people[1], call=call)
    interest_accept(by=people[0], interest=interest_express(person=people[2], call=call))
    interest_express(person=people[3], call=call)
    with pytest.raises(
        RuleBroken, match="3 people have shown interest, so with you the crew is 4"
    ) as refused:
        call_edit(by=people[0], call=call, **_fields(call, size_max=3))
    assert refused.value.field == "size_max"
    call.refresh_from_db()
    assert call.size_max == 5
    assert CallInterest.objects.filter(call=call, state__in=("interested", "accepted")).count() == 3


def test_only_the_caller_changes_the_call(call, people, host):
    for someone in (people[1], host):
        with pytest.raises(NotAllowed, match="Only the caller"):
            call_edit(by=someone, call=call, **_fields(call, intention="Mine now"))
    call.refresh_from_db()
    assert call.intention == "A crew for parents"


def test_a_formed_call_stays_as_it_was(call, people):
    interest_accept(by=people[0], interest=interest_express(person=people[1], call=call))
    call_crew_start(by=people[0], call=call, first_meeting_at=timezone.now() + timedelta(days=3))
    call.refresh_from_db()
    with pytest.raises(RuleBroken, match="not open any more"):
        call_edit(by=people[0], call=call, **_fields(call, size_max=4))


def test_the_same_rules_as_posting_apply(call, people):
    with pytest.raises(RuleBroken, match="15 minutes to 6 hours"):
        call_edit(by=people[0], call=call, **_fields(call, meeting_minutes=5))
    with pytest.raises(RuleBroken, match="Write times like"):
        call_edit(by=people[0], call=call, **_fields(call, preferred_times="someday"))
    with pytest.raises(RuleBroken, match="Say what the crew is for"):
        call_edit(by=people[0], call=call, **_fields(call, intention="  "))


def test_nothing_changed_sends_nothing(call, people, django_capture_on_commit_callbacks):
    interest_express(person=people[1], call=call)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _call, changes = call_edit(by=people[0], call=call, **_fields(call))
    assert changes == [] and mail.outbox == []


def _form_data(call, **changes) -> dict:
    data = {
        "intention": call.intention,
        "description": call.description,
        "rhythm": call.rhythm,
        "meeting_minutes": str(call.meeting_minutes),
        "preferred_times": call.preferred_times,
        "caller_timezone": call.timezone,
        "size_min": str(call.size_min),
        "size_max": str(call.size_max),
        "agreements": call.agreements,
    }
    return data | changes


def test_the_caller_edits_on_the_page_and_is_told_who_keeps_their_place(client, call, people):
    interest_express(person=people[1], call=call)
    client.force_login(people[0])
    detail = client.get(call.get_absolute_url()).content.decode()
    assert reverse("crew_call_edit", args=[call.pk]) in detail
    page = client.get(reverse("crew_call_edit", args=[call.pk])).content.decode()
    assert "Change the call" in page and 'value="A crew for parents"' in page
    response = client.post(
        reverse("crew_call_edit", args=[call.pk]), _form_data(call, size_max="4"), follow=True
    )
    assert (
        "The 1 person interested keeps their place and is told what changed."
        in response.content.decode()
    )
    call.refresh_from_db()
    assert call.size_max == 4


def test_a_refused_size_shows_on_the_form_field(client, call, people):
    interest_express(person=people[1], call=call)
    interest_express(person=people[2], call=call)
    client.force_login(people[0])
    response = client.post(
        reverse("crew_call_edit", args=[call.pk]), _form_data(call, size_max="2")
    )
    assert response.status_code == 200
    assert "2 people have shown interest, so with you the crew is 3" in response.content.decode()


def test_others_cannot_reach_the_edit_page(client, call, people):
    client.force_login(people[1])
    assert client.get(reverse("crew_call_edit", args=[call.pk])).status_code == 404
