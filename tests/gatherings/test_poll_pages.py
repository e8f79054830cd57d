"""Time-poll pages: ask with times in my own zone, answer, see the best time, close."""

from datetime import UTC, datetime

import pytest

from microsolidarity.gatherings.models import Gathering, PollAnswer, TimePoll

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def slot_rows(*rows, total=3):
    data = {"slots-TOTAL_FORMS": str(total), "slots-INITIAL_FORMS": "0"}
    for index, (day, starts, ends) in enumerate(rows):
        data |= {
            f"slots-{index}-day": day,
            f"slots-{index}-starts": starts,
            f"slots-{index}-ends": ends,
        }
    return data


def test_member_asks_for_a_time_in_their_own_zone(client, congregation, member):
    member.profile.timezone = "America/Los_Angeles"
    member.profile.save(update_fields=["timezone"])
    client.force_login(member)
    url = f"/g/{congregation.slug}/polls/new/"
    page = client.get(url)
    assert page.status_code == 200
    assert '<option value="America/Los_Angeles" selected>' in page.content.decode()

    response = client.post(
        url,
        {"title": "Monthly call", "timezone": "America/Los_Angeles"}
        | slot_rows(("2027-03-10", "09:00", "10:00"), ("2027-03-11", "17:30", "18:30")),
    )
    poll = TimePoll.objects.get()
    assert response.status_code == 302
    assert response.url == f"/polls/{poll.pk}/"
    starts = [s.starts_at for s in poll.slots.all()]
    assert starts == [
        datetime(2027, 3, 10, 17, 0, tzinfo=UTC),
        datetime(2027, 3, 12, 1, 30, tzinfo=UTC),
    ]


def test_add_another_time_shows_one_more_row_and_saves_nothing(client, congregation, member):
    client.force_login(member)
    response = client.post(
        f"/g/{congregation.slug}/polls/new/",
        {"title": "Call", "timezone": "UTC", "add_slot": "1"} | slot_rows(total=3),
    )
    html = response.content.decode()
    assert "slots-3-day" in html
    assert 'value="Call"' in html
    assert not TimePoll.objects.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("2027-02-10", "09:00", "10:00"), "is in the past"),
        (("2027-03-10", "10:00", "09:00"), "ends before it starts"),
        (("2027-03-10", "", "09:00"), "Give a day, a start and an end"),
    ],
)
def test_a_bad_time_is_shown_next_to_its_row_and_nothing_is_saved(
    client, congregation, member, row, message
):
    client.force_login(member)
    response = client.post(
        f"/g/{congregation.slug}/polls/new/",
        {"title": "Call", "timezone": "UTC"} | slot_rows(("2027-03-12", "09:00", "10:00"), row),
    )
    assert response.status_code == 400
    html = response.content.decode()
    row_html = html[html.index("Time 2") : html.index("Time 3")]
    assert message in row_html
    assert not TimePoll.objects.exists()


def test_a_missing_title_is_shown_next_to_the_field(client, congregation, member):
    client.force_login(member)
    response = client.post(
        f"/g/{congregation.slug}/polls/new/",
        {"title": "", "timezone": "UTC"} | slot_rows(("2027-03-12", "09:00", "10:00")),
    )
    assert response.status_code == 400
    assert 'id="id_title_error"' in response.content.decode()
    assert not TimePoll.objects.exists()


def test_no_times_at_all_is_refused_kindly(client, congregation, member):
    client.force_login(member)
    response = client.post(
        f"/g/{congregation.slug}/polls/new/", {"title": "Call", "timezone": "UTC"} | slot_rows()
    )
    assert response.status_code == 400
    assert "Offer at least one time" in response.content.decode()


def test_non_members_cannot_ask_nor_see_polls(client, congregation, member, make_person):
    from microsolidarity.gatherings.polls import SlotInput, poll_create

    poll = poll_create(
        by=member,
        group=congregation,
        title="Call",
        poll_timezone="UTC",
        slots=[SlotInput(datetime(2027, 3, 10, 9), datetime(2027, 3, 10, 10))],
    )
    client.force_login(make_person("Stranger"))
    assert client.get(f"/g/{congregation.slug}/polls/new/").status_code == 403
    assert client.get(f"/polls/{poll.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/polls/{poll.pk}/").status_code == 404


def make_poll(member, congregation):
    from microsolidarity.gatherings.polls import SlotInput, poll_create

    return poll_create(
        by=member,
        group=congregation,
        title="Call",
        poll_timezone="Europe/Lisbon",
        slots=[
            SlotInput(datetime(2027, 3, 10, 18), datetime(2027, 3, 10, 19)),
            SlotInput(datetime(2027, 3, 11, 18), datetime(2027, 3, 11, 19)),
        ],
    )


def test_each_person_sees_the_times_in_their_own_zone_and_the_askers(
    client, congregation, member, host
):
    host.profile.timezone = "America/Los_Angeles"
    host.profile.save(update_fields=["timezone"])
    poll = make_poll(member, congregation)
    client.force_login(host)
    html = client.get(f"/polls/{poll.pk}/").content.decode()
    assert "Wednesday 10 March 2027, 10:00–11:00" in html
    assert "Wednesday 10 March, 18:00 for the asker (Europe/Lisbon)" in html
    assert "Times are shown in your time zone, America/Los_Angeles." in html


def test_answers_are_saved_from_radio_buttons_and_the_best_is_named(client, congregation, member):
    poll = make_poll(member, congregation)
    first, second = poll.slots.all()
    client.force_login(member)
    response = client.post(
        f"/polls/{poll.pk}/", {f"slot-{first.pk}": "if_need_be", f"slot-{second.pk}": "yes"}
    )
    assert response.status_code == 302
    assert dict(PollAnswer.objects.values_list("slot_id", "answer")) == {
        first.pk: "if_need_be",
        second.pk: "yes",
    }
    html = client.get(f"/polls/{poll.pk}/").content.decode()
    assert "Best time so far: <strong>Thursday 11 March, 18:00</strong>" in html
    assert f'name="slot-{second.pk}" value="yes" checked' in html
    assert "1 yes · 0 if need be · 0 no" in html


def test_a_bad_answer_is_refused_and_nothing_saved(client, congregation, member):
    poll = make_poll(member, congregation)
    first = poll.slots.first()
    client.force_login(member)
    response = client.post(f"/polls/{poll.pk}/", {f"slot-{first.pk}": "maybe"})
    assert response.status_code == 400
    assert "Answer yes, if need be or no." in response.content.decode()
    assert not PollAnswer.objects.exists()


def test_the_asker_closes_the_poll_and_finds_the_gathering(client, congregation, member):
    poll = make_poll(member, congregation)
    _first, second = poll.slots.all()
    client.force_login(member)
    response = client.post(
        f"/polls/{poll.pk}/close/", {"slot": second.pk, "capacity": "8"}, follow=True
    )
    gathering = Gathering.objects.get()
    assert gathering.starts_at == second.starts_at
    assert gathering.capacity == 8
    html = response.content.decode()
    assert "The poll is closed and Call is scheduled." in html
    assert "The time is chosen" in html
    assert 'name="slot-' not in html


def test_someone_else_cannot_close_the_poll(client, congregation, member, host, make_person):
    from microsolidarity.groups.services import membership_approve, membership_request

    other = make_person("Other")
    membership_approve(
        by=host, membership=membership_request(person=other, group=congregation).membership
    )
    poll = make_poll(member, congregation)
    client.force_login(other)
    html = client.get(f"/polls/{poll.pk}/").content.decode()
    assert "Close and schedule" not in html
    response = client.post(f"/polls/{poll.pk}/close/", {"slot": poll.slots.first().pk}, follow=True)
    assert "Only the person who asked or a host" in response.content.decode()
    assert not Gathering.objects.exists()


def test_the_group_lists_its_polls(client, congregation, member):
    poll = make_poll(member, congregation)
    client.force_login(member)
    html = client.get(f"/g/{congregation.slug}/polls/").content.decode()
    assert f'href="/polls/{poll.pk}/"' in html


def test_poll_page_queries_do_not_grow_with_answers(
    client, congregation, member, host, make_person, django_assert_max_num_queries
):
    from microsolidarity.gatherings.polls import poll_answer
    from microsolidarity.groups.services import membership_approve, membership_request

    poll = make_poll(member, congregation)
    slots = list(poll.slots.all())
    for n in range(6):
        person = make_person(f"Person {n}")
        membership_approve(
            by=host, membership=membership_request(person=person, group=congregation).membership
        )
        poll_answer(person=person, poll=poll, answers={s.pk: "yes" for s in slots})
    client.force_login(member)
    with django_assert_max_num_queries(14):
        assert client.get(f"/polls/{poll.pk}/").status_code == 200
