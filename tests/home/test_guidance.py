"""The home page guides: an empty profile first, then open polls, gatherings in my groups, a due
retrospective and an open crew call that fits my times; a congregation's page shows what is
coming up, its open calls and its members with initials avatars."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _main(client) -> str:
    return client.get("/").content.decode().split("<main", 1)[1]


def test_an_empty_profile_is_the_first_thing_to_do(client, member):
    client.force_login(member)
    page = _main(client)
    assert "Your profile is empty" in page
    assert page.index("Fill in your profile") < page.index("What comes next")


def test_a_filled_profile_is_not_asked_for_again(client, member):
    member.profile.interests = ["gardening"]
    member.profile.save(update_fields=["interests"])
    client.force_login(member)
    assert "Your profile is empty" not in _main(client)


def test_an_open_poll_i_have_not_answered_is_suggested_until_i_answer(
    client, congregation, host, member
):
    from microsolidarity.gatherings.models import PollAnswer, PollSlot, TimePoll

    poll = TimePoll.objects.create(
        group=congregation, title="Spring circle", duration=timedelta(hours=2), created_by=host
    )
    starts = timezone.now() + timedelta(days=4)
    slot = PollSlot.objects.create(poll=poll, starts_at=starts, ends_at=starts + timedelta(hours=2))
    client.force_login(member)
    assert "Answer the time poll “Spring circle”" in _main(client)
    PollAnswer.objects.create(slot=slot, person=member, answer="yes")
    assert "Spring circle" not in _main(client)


def test_a_gathering_in_my_group_is_suggested_with_its_date_block(
    client, congregation, host, member
):
    from microsolidarity.gatherings.services import gathering_create

    start = timezone.now() + timedelta(days=3)
    gathering_create(
        by=host,
        group=congregation,
        title="Seed swap",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    client.force_login(member)
    page = _main(client)
    assert "Coming up in your groups" in page
    assert "Seed swap" in page
    assert 'class="date-block"' in page


def _crew_with(host, congregation, member):
    from microsolidarity.groups.models import Scale
    from microsolidarity.groups.services import group_create, membership_join

    crew = group_create(by=host, name="Willow Crew", scale=Scale.CREW, parent=congregation)
    crew.join_policy = "open"
    crew.save(update_fields=["join_policy"])
    membership_join(person=member, group=crew)
    return crew


def test_a_cycle_that_ended_asks_for_my_retrospective_until_i_write_it(
    client, congregation, host, member
):
    from microsolidarity.crewing.models import CrewCycle, Retrospective

    crew = _crew_with(host, congregation, member)
    today = timezone.localdate()
    cycle = CrewCycle.objects.create(
        crew=crew, number=1, starts_on=today - timedelta(days=60), ends_on=today - timedelta(days=1)
    )
    client.force_login(member)
    assert "Cycle 1 of Willow Crew has ended: write your retrospective" in _main(client)
    Retrospective.objects.create(cycle=cycle, person=member, choice="continue")
    assert "write your retrospective" not in _main(client)


def test_an_open_call_that_fits_my_times_is_suggested_and_one_that_does_not_is_not(
    client, congregation, host, member
):
    from microsolidarity.crewing.calls import call_post

    member.profile.availability = "tue 18:00-21:00"
    member.profile.timezone = "Europe/Lisbon"
    member.profile.save(update_fields=["availability", "timezone"])
    call_post(
        by=host,
        congregation=congregation,
        intention="Evening peer coaching",
        preferred_times="tue 18:30-20:00",
        caller_timezone="Europe/Lisbon",
        meeting_minutes=75,
    )
    call_post(
        by=host,
        congregation=congregation,
        intention="Early birds",
        preferred_times="tue 06:00-08:00",
        caller_timezone="Europe/Lisbon",
        meeting_minutes=75,
    )
    client.force_login(member)
    page = _main(client)
    assert "fits your times: “Evening peer coaching”" in page
    assert "Early birds" not in page


def test_shared_minutes_is_the_longest_common_stretch():
    from microsolidarity.home.dashboard import shared_minutes

    assert shared_minutes([], [(0, 100)]) == 0
    assert shared_minutes([(0, 60)], [(30, 120)]) == 30
    assert shared_minutes([(0, 60), (100, 300)], [(50, 70), (150, 400)]) == 150
    assert shared_minutes([(0, 10)], [(20, 30)]) == 0


def test_a_congregation_page_shows_what_is_coming_its_calls_and_member_avatars(
    client, congregation, host, member
):
    from microsolidarity.crewing.calls import call_post
    from microsolidarity.gatherings.services import gathering_create

    start = timezone.now() + timedelta(days=3)
    gathering_create(
        by=host,
        group=congregation,
        title="Harvest supper",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    call_post(by=host, congregation=congregation, intention="Crew for new parents")
    client.force_login(member)
    page = client.get(f"/g/{congregation.slug}/").content.decode()
    assert "Coming up" in page and "Harvest supper" in page
    assert "Open crew calls" in page and "Crew for new parents" in page
    assert 'class="member-grid"' in page
    assert '<span class="avatar a' in page and ">MM</span>" in page
    assert 'class="scale-badge scale-congregation"' in page


def test_a_visitor_sees_no_crew_calls_on_a_public_congregation(client, congregation, host):
    from microsolidarity.crewing.calls import call_post

    call_post(by=host, congregation=congregation, intention="Crew for new parents")
    page = client.get(f"/g/{congregation.slug}/").content.decode()
    assert "Crew for new parents" not in page


def test_leaving_and_pausing_ask_first_and_still_work_without_javascript(
    client, congregation, member
):
    client.force_login(member)
    page = client.get(f"/g/{congregation.slug}/").content.decode()
    leave = page.index(f'action="/g/{congregation.slug}/leave/"')
    assert page.rfind('<details class="confirm">', 0, leave) > page.rfind("</details>", 0, leave)
    assert "Yes, leave" in page and "Yes, pause" in page
    response = client.post(f"/g/{congregation.slug}/pause/", {"paused": "1"})
    assert response.status_code == 302


def test_initials_come_from_the_first_and_last_names():
    from microsolidarity.home.templatetags.look import avatar, initials

    assert initials("Ana Lúcia Silva") == "AS"
    assert initials("mo") == "M"
    assert initials("  ") == "?"
    assert initials("Jean-Luc") == "JL"
    assert 'aria-hidden="true"' in avatar("Mo Member")
