"""Agenda pages: propose and show interest from the page, hosts place, print the schedule."""

from datetime import UTC, datetime

import pytest

from microsolidarity.gatherings.models import AgendaSession

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def occurrence(congregation, host):
    from microsolidarity.gatherings.services import gathering_create

    gathering = gathering_create(
        by=host,
        group=congregation,
        title="Summer camp",
        starts_at=datetime(2027, 7, 1, 14, 0, tzinfo=UTC),
        ends_at=datetime(2027, 7, 4, 12, 0, tzinfo=UTC),
        host_timezone="Europe/Lisbon",
        kind="camp",
        mode="in_person",
        place="The old farm",
    )
    gathering.rooms = ["Barn", "Meadow"]
    gathering.save(update_fields=["rooms"])
    return gathering.occurrences.get()


def url(occurrence, rest=""):
    return f"/gatherings/{occurrence.gathering.slug}/{occurrence.pk}/agenda/{rest}"


def test_a_member_proposes_from_the_page_and_shows_interest(client, occurrence, member, host):
    client.force_login(member)
    response = client.post(url(occurrence, "propose/"), {"title": "Songs by the fire"})
    assert response.status_code == 302
    session = AgendaSession.objects.get()
    assert session.title == "Songs by the fire"

    client.force_login(host)
    client.post(url(occurrence, f"{session.pk}/interest/"), {"interested": "1"})
    html = client.get(url(occurrence)).content.decode()
    assert "2 interested" in html
    assert 'aria-pressed="true"' in html


def test_an_empty_title_is_shown_next_to_the_field_and_nothing_saved(client, occurrence, member):
    client.force_login(member)
    response = client.post(url(occurrence, "propose/"), {"title": ""})
    assert response.status_code == 400
    assert 'id="id_title_error"' in response.content.decode()
    assert not AgendaSession.objects.exists()


def test_host_places_a_session_in_local_time_and_a_taken_room_is_explained(
    client, occurrence, member, host
):
    from microsolidarity.gatherings.agenda import session_propose

    songs = session_propose(by=member, occurrence=occurrence, title="Songs")
    tea = session_propose(by=member, occurrence=occurrence, title="Tea")
    client.force_login(host)
    # 10:00 in Lisbon in July is 09:00 UTC.
    client.post(
        url(occurrence, f"{songs.pk}/place/"),
        {
            f"s{songs.pk}-starts": "2027-07-02T10:00",
            f"s{songs.pk}-minutes": "60",
            f"s{songs.pk}-room": "Barn",
        },
    )
    songs.refresh_from_db()
    assert songs.starts_at == datetime(2027, 7, 2, 9, 0, tzinfo=UTC)
    assert songs.room == "Barn"

    response = client.post(
        url(occurrence, f"{tea.pk}/place/"),
        {
            f"s{tea.pk}-starts": "2027-07-02T10:30",
            f"s{tea.pk}-minutes": "30",
            f"s{tea.pk}-room": "Barn",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_s{tea.pk}-room_error"' in html
    assert "Barn is taken then by “Songs” (10:00–11:00)" in html
    tea.refresh_from_db()
    assert tea.starts_at is None


def test_members_do_not_see_the_place_forms_and_cannot_place(client, occurrence, member):
    from microsolidarity.gatherings.agenda import session_propose

    songs = session_propose(by=member, occurrence=occurrence, title="Songs")
    client.force_login(member)
    assert "Place in the schedule" not in client.get(url(occurrence)).content.decode()
    response = client.post(
        url(occurrence, f"{songs.pk}/place/"),
        {
            f"s{songs.pk}-starts": "2027-07-02T10:00",
            f"s{songs.pk}-minutes": "60",
            f"s{songs.pk}-room": "Barn",
        },
        follow=True,
    )
    assert "Only the hosts place sessions" in response.content.decode()
    songs.refresh_from_db()
    assert songs.starts_at is None


def test_the_printable_schedule_uses_its_own_print_stylesheet(client, occurrence, member, host):
    from datetime import timedelta

    from microsolidarity.gatherings.agenda import session_place, session_propose

    songs = session_propose(by=member, occurrence=occurrence, title="Songs")
    starts = datetime(2027, 7, 2, 9, 0, tzinfo=UTC)
    session_place(
        by=host,
        session=songs,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        room="Meadow",
    )
    html = client.get(url(occurrence, "print/")).content.decode()
    assert "microsolidarity/agenda-print.css" in html
    assert "<style" not in html
    assert "<script>" not in html
    assert "Friday 2 July" in html
    assert '<th scope="row">10:00</th>' in html
    assert "<strong>Songs</strong>" in html


def test_the_agenda_of_a_hidden_gathering_is_not_there(client, occurrence, make_person):
    occurrence.gathering.audience = "members"
    occurrence.gathering.save(update_fields=["audience"])
    client.force_login(make_person("Stranger"))
    assert client.get(url(occurrence)).status_code == 404
    assert client.get(url(occurrence, "print/")).status_code == 404


def test_hosts_name_rooms_from_the_page(client, occurrence, host):
    client.force_login(host)
    client.post(url(occurrence, "rooms/"), {"rooms": "Kitchen\nBarn, Meadow"})
    occurrence.gathering.refresh_from_db()
    assert occurrence.gathering.rooms == ["Kitchen", "Barn", "Meadow"]


def test_agenda_page_queries_do_not_grow_with_sessions(
    client, occurrence, member, host, django_assert_max_num_queries
):
    from datetime import timedelta

    from microsolidarity.gatherings.agenda import session_interest, session_place, session_propose

    for n in range(8):
        session = session_propose(by=member, occurrence=occurrence, title=f"Session {n}")
        session_interest(person=host, session=session)
        if n % 2:
            starts = datetime(2027, 7, 2, 9, 0, tzinfo=UTC) + timedelta(hours=n)
            session_place(
                by=host,
                session=session,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                room="Barn",
            )
    client.force_login(host)
    with django_assert_max_num_queries(16):
        assert client.get(url(occurrence)).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url(occurrence, "print/")).status_code == 200
