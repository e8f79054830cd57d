"""Open-space agenda: propose, show interest, place in a time and room, print."""

from datetime import UTC, datetime, timedelta

import pytest

from microsolidarity.errors import Conflict, NotAllowed, RuleBroken
from microsolidarity.gatherings.agenda import (
    agenda_rooms_set,
    agenda_schedule,
    session_interest,
    session_place,
    session_propose,
    session_unplace,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
DAY = datetime(2027, 7, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def camp(congregation, host):
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
        capacity=30,
    )
    gathering.rooms = ["Barn", "Meadow"]
    gathering.save(update_fields=["rooms"])
    return gathering


@pytest.fixture
def occurrence(camp):
    return camp.occurrences.get()


def test_a_member_proposes_a_session_and_is_its_first_interested(occurrence, member):
    session = session_propose(
        by=member, occurrence=occurrence, title="  Rest and play ", description="Bring a mat."
    )
    assert session.title == "Rest and play"
    assert session.proposed_by == member
    assert list(session.interested.all()) == [member]
    assert session.starts_at is None


def test_someone_going_who_is_not_a_member_may_propose(occurrence, make_person):
    from microsolidarity.gatherings.rsvp import rsvp_set

    guest = make_person("Guest")
    with pytest.raises(NotAllowed, match="Say you're going"):
        session_propose(by=guest, occurrence=occurrence, title="Songs")
    rsvp_set(person=guest, occurrence=occurrence, state="going")
    assert session_propose(by=guest, occurrence=occurrence, title="Songs").pk


def test_a_session_needs_a_title(occurrence, member):
    with pytest.raises(RuleBroken, match="Give the session a title") as refusal:
        session_propose(by=member, occurrence=occurrence, title="   ")
    assert refusal.value.field == "title"


def test_interest_toggles_and_can_be_set(occurrence, member, host):
    session = session_propose(by=member, occurrence=occurrence, title="Songs")
    assert session_interest(person=host, session=session) is True
    assert session_interest(person=host, session=session, interested=True) is True
    assert session.interested.count() == 2
    assert session_interest(person=host, session=session) is False
    assert session_interest(person=host, session=session, interested=False) is False
    assert list(session.interested.all()) == [member]


def test_hosts_place_a_session_in_a_time_and_a_room(occurrence, member, host):
    session = session_propose(by=member, occurrence=occurrence, title="Songs")
    session_place(
        by=host, session=session, starts_at=DAY, ends_at=DAY + timedelta(hours=1), room="Barn"
    )
    session.refresh_from_db()
    assert (session.starts_at, session.room) == (DAY, "Barn")


def test_a_room_taken_at_that_time_is_refused_with_who_has_it(occurrence, member, host):
    first = session_propose(by=member, occurrence=occurrence, title="Songs")
    second = session_propose(by=member, occurrence=occurrence, title="Stories")
    session_place(
        by=host, session=first, starts_at=DAY, ends_at=DAY + timedelta(hours=1), room="Barn"
    )
    half_past = DAY + timedelta(minutes=30)
    with pytest.raises(Conflict, match="Barn is taken then by “Songs” \\(10:00–11:00\\)"):
        session_place(
            by=host,
            session=second,
            starts_at=half_past,
            ends_at=half_past + timedelta(hours=1),
            room="Barn",
        )
    # Another room at the same time, or the same room right after, is fine.
    session_place(
        by=host, session=second, starts_at=DAY, ends_at=DAY + timedelta(hours=1), room="Meadow"
    )
    later = DAY + timedelta(hours=1)
    session_place(
        by=host, session=second, starts_at=later, ends_at=later + timedelta(hours=1), room="Barn"
    )
    # Moving a session within its own slot does not collide with itself.
    session_place(
        by=host, session=first, starts_at=DAY, ends_at=DAY + timedelta(minutes=45), room="Barn"
    )


@pytest.mark.parametrize(
    ("starts", "minutes", "room", "message"),
    [
        (DAY, 60, "Kitchen", "Choose one of the rooms: Barn, Meadow"),
        (DAY, 0, "Barn", "ends before it starts"),
        (datetime(2027, 7, 1, 13, 0, tzinfo=UTC), 60, "Barn", "within the gathering's own time"),
        (datetime(2027, 7, 4, 11, 30, tzinfo=UTC), 60, "Barn", "within the gathering's own time"),
    ],
)
def test_places_outside_the_gathering_or_its_rooms_are_refused(
    occurrence, member, host, starts, minutes, room, message
):
    session = session_propose(by=member, occurrence=occurrence, title="Songs")
    with pytest.raises(RuleBroken, match=message):
        session_place(
            by=host,
            session=session,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=minutes),
            room=room,
        )
    session.refresh_from_db()
    assert session.starts_at is None


def test_only_hosts_place_and_unplace(occurrence, member, host):
    session = session_propose(by=member, occurrence=occurrence, title="Songs")
    with pytest.raises(NotAllowed, match="Only the hosts"):
        session_place(
            by=member,
            session=session,
            starts_at=DAY,
            ends_at=DAY + timedelta(hours=1),
            room="Barn",
        )
    session_place(
        by=host, session=session, starts_at=DAY, ends_at=DAY + timedelta(hours=1), room="Barn"
    )
    with pytest.raises(NotAllowed):
        session_unplace(by=member, session=session)
    session_unplace(by=host, session=session)
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at, session.room) == (None, None, "")
    assert list(session.interested.all()) == [member]


def test_rooms_are_named_by_hosts_and_a_room_in_use_stays(camp, occurrence, member, host):
    assert agenda_rooms_set(by=host, gathering=camp, rooms=[" Barn", "Barn", "Kitchen", ""]) == [
        "Barn",
        "Kitchen",
    ]
    session = session_propose(by=member, occurrence=occurrence, title="Songs")
    session_place(
        by=host, session=session, starts_at=DAY, ends_at=DAY + timedelta(hours=1), room="Barn"
    )
    with pytest.raises(RuleBroken, match="still placed in Barn"):
        agenda_rooms_set(by=host, gathering=camp, rooms=["Kitchen"])
    with pytest.raises(NotAllowed):
        agenda_rooms_set(by=member, gathering=camp, rooms=["Kitchen"])
    camp.refresh_from_db()
    assert camp.rooms == ["Barn", "Kitchen"]


def test_without_rooms_sessions_at_one_time_each_get_a_row(camp, occurrence, member, host):
    agenda_rooms_set(by=host, gathering=camp, rooms=[])
    camp.refresh_from_db()
    occurrence.gathering = camp
    for title in ("Songs", "Stories"):
        session = session_propose(by=member, occurrence=occurrence, title=title)
        session_place(by=host, session=session, starts_at=DAY, ends_at=DAY + timedelta(hours=1))
    with pytest.raises(RuleBroken, match="no rooms yet"):
        session_place(
            by=host,
            session=session,
            starts_at=DAY,
            ends_at=DAY + timedelta(hours=1),
            room="Barn",
        )
    columns, rows = agenda_schedule(occurrence)
    assert columns == [""]
    assert [[c.title for c in r.cells] for r in rows] == [["Songs"], ["Stories"]]


def test_the_schedule_is_a_grid_of_times_and_rooms(occurrence, member, host):
    placed = {}
    for title, hour, room in [("Songs", 0, "Meadow"), ("Stories", 0, "Barn"), ("Tea", 2, "Barn")]:
        session = session_propose(by=member, occurrence=occurrence, title=title)
        starts = DAY + timedelta(hours=hour)
        placed[title] = session_place(
            by=host,
            session=session,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            room=room,
        )
    session_propose(by=member, occurrence=occurrence, title="Not yet placed")
    columns, rows = agenda_schedule(occurrence)
    assert columns == ["Barn", "Meadow"]
    assert [(r.starts_at, [c.title if c else None for c in r.cells]) for r in rows] == [
        (DAY, ["Stories", "Songs"]),
        (DAY + timedelta(hours=2), ["Tea", None]),
    ]


def test_a_cancelled_occurrence_takes_no_proposals(occurrence, member):
    occurrence.status = "cancelled"
    occurrence.save(update_fields=["status"])
    with pytest.raises(RuleBroken, match="cancelled"):
        session_propose(by=member, occurrence=occurrence, title="Songs")
