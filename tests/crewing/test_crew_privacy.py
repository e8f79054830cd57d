"""Privacy: meetings, attendance and retrospectives are the crew's; hosts see what is shared."""

from datetime import timedelta

import pytest
import time_machine
from crew_builders import crew_of, members_of, next_week_at
from django.urls import reverse

from microsolidarity.crewing import access
from microsolidarity.crewing.cycles import attendance_record, cycle_start
from microsolidarity.crewing.models import Choice, Retrospective
from microsolidarity.crewing.retrospectives import retrospective_submit
from microsolidarity.errors import NotAllowed


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def people(congregation, host, make_person):
    return members_of(congregation, host, make_person, ["Ana", "Ben", "Cai", "Outsider"])


@pytest.fixture
def cycle(people, congregation):
    return cycle_start(
        crew=crew_of(people[:3], congregation), by=people[0], first_meeting_at=next_week_at()
    )


def _after(cycle):
    last = cycle.meetings.order_by("-number").first().occurrence.ends_at
    return time_machine.travel(last + timedelta(days=1), tick=False)


@pytest.mark.parametrize("who", ["outsider", "host", "staff"])
def test_cycle_and_meeting_pages_are_not_there_for_others(client, cycle, people, host, staff, who):
    client.force_login({"outsider": people[3], "host": host, "staff": staff}[who])
    assert client.get(cycle.get_absolute_url()).status_code == 404
    assert client.get(cycle.meetings.get(number=1).get_absolute_url()).status_code == 404


def test_attendance_is_recorded_only_by_the_crew(cycle, people, host):
    meeting = cycle.meetings.select_related("occurrence").get(number=1)
    with time_machine.travel(meeting.occurrence.starts_at + timedelta(minutes=5), tick=False):
        with pytest.raises(NotAllowed):
            attendance_record(by=host, meeting=meeting, present_ids=[people[0].pk])
        assert attendance_record(by=people[0], meeting=meeting, present_ids=[])


def test_retrospectives_are_hidden_until_all_have_answered(cycle, people):
    with _after(cycle):
        retrospective_submit(person=people[0], cycle=cycle, choice=Choice.CONTINUE, worked="A")
    mine = Retrospective.objects.get(person=people[0])
    assert access.can_read_retrospective(people[0], mine)
    assert not access.can_read_retrospective(people[1], mine)


def test_hosts_read_only_what_was_shared_once_revealed(client, cycle, people, host, congregation):
    with _after(cycle):
        retrospective_submit(
            person=people[0], cycle=cycle, choice=Choice.SPLIT, worked="Shared words"
        )
        retrospective_submit(person=people[1], cycle=cycle, choice=Choice.SPLIT, worked="Private")
        retrospective_submit(person=people[2], cycle=cycle, choice=Choice.SPLIT)
    shared = Retrospective.objects.get(person=people[0])
    shared.share_with_hosts = True
    shared.save(update_fields=["share_with_hosts"])
    private = Retrospective.objects.get(person=people[1])
    assert access.can_read_retrospective(host, shared)
    assert not access.can_read_retrospective(host, private)
    assert not access.can_read_retrospective(people[3], shared)
    client.force_login(host)
    page = client.get(reverse("congregation_crewing", args=[congregation.slug]))
    assert "Shared words" in page.text and "Private" not in page.text


def test_alumni_of_a_split_crew_still_read_their_retrospective(client, cycle, people):
    with _after(cycle):
        for person in people[:3]:
            retrospective_submit(person=person, cycle=cycle, choice=Choice.SPLIT, worked="Thanks")
    client.force_login(people[1])
    page = client.get(cycle.get_absolute_url())
    assert page.status_code == 200 and "Thanks" in page.text


def test_call_pages_are_for_the_congregations_members(client, congregation, people, make_person):
    from microsolidarity.crewing.calls import call_post

    call = call_post(by=people[0], congregation=congregation, intention="Crew")
    client.force_login(make_person("Stranger"))
    assert client.get(call.get_absolute_url()).status_code == 404
    assert client.get(reverse("congregation_crewing", args=[congregation.slug])).status_code == 404
