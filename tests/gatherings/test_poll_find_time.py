"""Find a time: suggestions from members' stored weekly availability, placed in a concrete week."""

from datetime import UTC, date, datetime, timedelta

import pytest

from microsolidarity.gatherings.models import TimePoll
from microsolidarity.gatherings.polls import time_suggest

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)  # a Monday
NEXT_WEEK = date(2027, 3, 8)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def join(congregation, host):
    from microsolidarity.groups.services import membership_approve, membership_request

    def add(person):
        result = membership_request(person=person, group=congregation)
        membership_approve(by=host, membership=result.membership)
        return person

    return add


def available(person, text: str, zone: str) -> None:
    person.profile.availability = text
    person.profile.timezone = zone
    person.profile.save(update_fields=["availability", "timezone"])


def test_the_time_most_members_share_comes_first(congregation, host, member, join, make_person):
    available(host, "tue 18:00-21:00", "Europe/Lisbon")
    available(member, "tue 19:00-22:00", "Europe/Lisbon")
    third = join(make_person("Third", timezone="America/New_York"))
    # 14:00-16:00 in New York is 19:00-21:00 in Lisbon that week (both on winter time).
    available(third, "tue 14:00-16:00; thu 09:00-10:00", "America/New_York")

    suggestions, shared, total = time_suggest(
        group=congregation, week=NEXT_WEEK, duration=timedelta(hours=1)
    )

    assert (shared, total) == (3, 3)
    best = suggestions[0]
    assert best.starts_at == datetime(2027, 3, 9, 19, 0, tzinfo=UTC)
    assert best.ends_at == datetime(2027, 3, 9, 20, 0, tzinfo=UTC)
    assert best.free == 3
    # Suggestions never overlap one another.
    for a in suggestions:
        for b in suggestions:
            assert a is b or a.ends_at <= b.starts_at or b.ends_at <= a.starts_at


def test_a_daylight_saving_change_moves_the_utc_time(congregation, host, member):
    # New York moves to summer time on 14 March 2027; Lisbon only on 28 March.
    available(host, "wed 18:00-19:00", "America/New_York")
    before, _, _ = time_suggest(group=congregation, week=NEXT_WEEK, duration=timedelta(hours=1))
    after, _, _ = time_suggest(
        group=congregation, week=date(2027, 3, 15), duration=timedelta(hours=1)
    )
    assert before[0].starts_at == datetime(2027, 3, 10, 23, 0, tzinfo=UTC)
    assert after[0].starts_at == datetime(2027, 3, 17, 22, 0, tzinfo=UTC)


def test_someone_free_for_only_part_of_the_time_is_not_counted(congregation, host, member):
    available(host, "mon 10:00-12:00", "UTC")
    available(member, "mon 10:00-10:30", "UTC")
    suggestions, _, _ = time_suggest(
        group=congregation, week=NEXT_WEEK, duration=timedelta(hours=1)
    )
    assert {s.free for s in suggestions} == {1}


def test_no_availability_means_no_suggestions(congregation, host, member):
    available(member, "this is not a schedule", "UTC")
    suggestions, shared, total = time_suggest(
        group=congregation, week=NEXT_WEEK, duration=timedelta(hours=1)
    )
    assert suggestions == []
    assert (shared, total) == (0, 2)


def test_times_already_past_are_not_suggested(congregation, host):
    available(host, "mon 09:00-17:00", "UTC")
    suggestions, _, _ = time_suggest(
        group=congregation, week=NOW.date(), duration=timedelta(hours=1)
    )
    assert suggestions
    assert all(s.starts_at > NOW for s in suggestions)


def test_members_who_left_are_not_counted(congregation, host, member):
    from microsolidarity.groups.services import membership_leave

    available(member, "mon 09:00-17:00", "UTC")
    membership_leave(person=member, group=congregation)
    suggestions, shared, total = time_suggest(
        group=congregation, week=NEXT_WEEK, duration=timedelta(hours=1)
    )
    assert (suggestions, shared, total) == ([], 0, 1)


def test_the_page_shows_counts_and_turns_chosen_times_into_a_poll(
    client, congregation, host, member
):
    available(host, "tue 18:00-20:00", "UTC")
    available(member, "tue 18:00-20:00", "UTC")
    member.profile.timezone = "Europe/Berlin"
    member.profile.save(update_fields=["timezone"])
    client.force_login(member)
    page = client.get(
        f"/g/{congregation.slug}/find-a-time/", {"week": "2027-03-10", "duration": "60"}
    )
    html = page.content.decode()
    assert "2 of 2 active members shared their availability." in html
    # Shown in the viewer's zone (Berlin, UTC+1).
    assert "Tuesday 9 March, 19:00–20:00" in html
    assert "Host" not in html.split("Suggestions for")[1].split("</section>")[0]

    response = client.post(
        f"/g/{congregation.slug}/find-a-time/",
        {"title": "Crew call", "duration": "60", "starts": ["2027-03-09T18:00:00+00:00"]},
    )
    poll = TimePoll.objects.get()
    assert response.url == f"/polls/{poll.pk}/"
    assert poll.timezone == "Europe/Berlin"
    only = poll.slots.get()
    assert (only.starts_at, only.ends_at) == (
        datetime(2027, 3, 9, 18, 0, tzinfo=UTC),
        datetime(2027, 3, 9, 19, 0, tzinfo=UTC),
    )


def test_making_a_poll_without_ticking_a_time_saves_nothing(client, congregation, member):
    client.force_login(member)
    response = client.post(
        f"/g/{congregation.slug}/find-a-time/",
        {"title": "Crew call", "duration": "60"},
        follow=True,
    )
    assert "Tick at least one suggested time" in response.content.decode()
    assert not TimePoll.objects.exists()


def test_a_bad_week_is_shown_next_to_the_field(client, congregation, member):
    client.force_login(member)
    response = client.get(f"/g/{congregation.slug}/find-a-time/", {"week": "someday"})
    assert 'id="id_week_error"' in response.content.decode()


def test_find_a_time_queries_do_not_grow_with_members(
    client, congregation, member, join, make_person, django_assert_max_num_queries
):
    for n in range(8):
        available(join(make_person(f"Person {n}")), "tue 18:00-20:00", "Europe/Lisbon")
    client.force_login(member)
    with django_assert_max_num_queries(12):
        assert client.get(f"/g/{congregation.slug}/find-a-time/").status_code == 200
