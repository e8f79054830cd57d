"""Crewing pages: the congregation's crewing, a call from interest to crew, cycle and meeting."""

from datetime import timedelta

import pytest
import time_machine
from crew_builders import crew_of, members_of, next_week_at
from django.urls import reverse

from microsolidarity.crewing.calls import call_post, interest_express
from microsolidarity.crewing.cycles import cycle_start
from microsolidarity.crewing.models import (
    Attendance,
    CallStatus,
    CrewCall,
    InterestState,
    MeetingTemplate,
)
from microsolidarity.gatherings.models import OccurrenceStatus


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def people(congregation, host, make_person):
    return members_of(
        congregation,
        host,
        make_person,
        ["Ana", "Ben", "Cai"],
        timezone="America/New_York",
        availability="wed 12:00-15:00",
    )


@pytest.fixture
def cycle(people, congregation):
    crew = crew_of(people, congregation)
    return cycle_start(
        crew=crew, by=people[0], first_meeting_at=next_week_at(), call_link="https://x.example/c"
    )


def test_a_member_posts_a_call_and_others_see_it_on_the_crewing_page(client, congregation, people):
    client.force_login(people[0])
    response = client.post(
        reverse("crew_call_create", args=[congregation.slug]),
        {
            "intention": "Founders' support crew",
            "rhythm": "weekly",
            "meeting_minutes": 75,
            "preferred_times": "wed 12:00-15:00",
            "caller_timezone": "America/New_York",
            "size_min": 3,
            "size_max": 4,
            "agreements": "Confidential.",
        },
    )
    call = CrewCall.objects.get()
    assert response.status_code == 302 and response.url == call.get_absolute_url()
    client.force_login(people[1])
    page = client.get(reverse("congregation_crewing", args=[congregation.slug]))
    assert "Founders&#x27; support crew" in page.text


def test_from_interest_to_a_formed_crew_through_the_pages(
    client, congregation, people, mailoutbox, django_capture_on_commit_callbacks
):
    call = call_post(by=people[0], congregation=congregation, intention="Crew", size_min=3)
    for person in people[1:]:
        client.force_login(person)
        client.post(reverse("crew_call_interest", args=[call.pk]), {"message": "Count me in"})
    client.force_login(people[0])
    for interest in call.interests.all():
        client.post(reverse("crew_call_answer", args=[call.pk, interest.pk]), {"answer": "accept"})
    page = client.get(call.get_absolute_url())
    assert "You all share a time" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("crew_call_form", args=[call.pk]), {"call_link": "https://x.example/y"}
        )
    call.refresh_from_db()
    assert call.status == CallStatus.FORMED
    assert response.url == call.crew.crew_cycles.get().get_absolute_url()
    assert len(mailoutbox) == 3


def test_declining_is_one_click_and_not_shown_to_others(client, congregation, people):
    call = call_post(by=people[0], congregation=congregation, intention="Crew")
    interest = interest_express(person=people[1], call=call)
    client.force_login(people[0])
    client.post(reverse("crew_call_answer", args=[call.pk, interest.pk]), {"answer": "decline"})
    interest.refresh_from_db()
    assert interest.state == InterestState.DECLINED
    client.force_login(people[2])
    assert "Ben" not in client.get(call.get_absolute_url()).text
    client.force_login(people[1])
    assert "fit this time" in client.get(call.get_absolute_url()).text


def test_the_cycle_page_names_focus_and_host_in_the_viewers_zone(client, cycle, people):
    client.force_login(people[1])
    page = client.get(cycle.get_absolute_url())
    assert page.status_code == 200
    first = cycle.meetings.get(number=1).occurrence.starts_at
    local = first.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert local.strftime("%H:%M") in page.text
    assert "Ana" in page.text and "Cai" in page.text


def test_the_meeting_page_shows_the_format_with_roles(client, cycle, people):
    client.force_login(people[0])
    meeting = cycle.meetings.get(number=1)
    page = client.get(meeting.get_absolute_url())
    assert "Case Clinic" in page.text and "Mirroring" in page.text
    assert "Host and timekeeper" in page.text


def test_attendance_is_recorded_after_the_start_and_the_journal_is_offered(client, cycle, people):
    meeting = cycle.meetings.select_related("occurrence").get(number=1)
    client.force_login(people[1])
    with time_machine.travel(meeting.occurrence.starts_at + timedelta(minutes=80), tick=False):
        client.post(
            reverse("meeting_attendance", args=[cycle.crew.slug, cycle.number, 1]),
            {"present": [people[0].pk, people[1].pk]},
        )
        page = client.get(meeting.get_absolute_url())
    present = dict(Attendance.objects.filter(meeting=meeting).values_list("person", "present"))
    assert present == {people[0].pk: True, people[1].pk: True, people[2].pk: False}
    assert reverse("journal_entry_create") + "?prompt=after_crew" in page.text


def test_leave_this_crew_button_cancels_my_focus_meeting(client, cycle, people):
    client.force_login(people[2])
    response = client.post(reverse("crew_leave", args=[cycle.crew.slug]))
    assert response.status_code == 302
    third = cycle.meetings.select_related("occurrence").get(number=3)
    assert third.occurrence.status == OccurrenceStatus.CANCELLED


def test_a_host_writes_a_meeting_format(client, congregation, host):
    client.force_login(host)
    client.post(
        reverse("meeting_template_create", args=[congregation.slug]),
        {
            "name": "Troika",
            "steps": "5 | Arrive | everyone | A breath\n20 | Consult | coaches | Think aloud",
            "journal_prompt": "What did I hear?",
        },
    )
    template = MeetingTemplate.objects.get(name="Troika")
    assert template.congregation == congregation
    assert template.total_minutes == 25
    assert template.steps[1]["who"] == "coaches"


def test_a_member_cannot_write_formats(client, congregation, people):
    client.force_login(people[0])
    response = client.get(reverse("meeting_template_create", args=[congregation.slug]))
    assert response.status_code == 404


def test_hosts_see_how_many_have_no_crew(client, congregation, host, cycle, make_person):
    members_of(congregation, host, make_person, ["Lone"])
    client.force_login(host)
    page = client.get(reverse("congregation_crewing", args=[congregation.slug]))
    # The host and Lone have no crew; Ana, Ben and Cai do.
    assert "2 active members have no crew" in page.text


def test_the_crewing_page_has_a_bounded_number_of_queries(
    client, congregation, host, people, django_assert_max_num_queries
):
    for n in range(5):
        call_post(by=people[n % 3], congregation=congregation, intention=f"Call {n}")
    client.force_login(host)
    with django_assert_max_num_queries(30):
        client.get(reverse("congregation_crewing", args=[congregation.slug]))
