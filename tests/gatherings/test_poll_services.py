"""Time polls: asking, answering, the best time, and closing into a gathering."""

from datetime import UTC, datetime, timedelta

import pytest

from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.gatherings.models import Answer, Gathering, Occurrence, PollAnswer
from microsolidarity.gatherings.polls import (
    SlotInput,
    poll_answer,
    poll_close,
    poll_create,
    poll_results,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def slot(day: int, hour: int, minutes: int = 60, month: int = 3) -> SlotInput:
    starts = datetime(2027, month, day, hour, 0)
    return SlotInput(starts, starts + timedelta(minutes=minutes))


def ask(by, group, *slots, zone="Europe/Lisbon", title="Monthly call"):
    return poll_create(
        by=by, group=group, title=title, poll_timezone=zone, slots=list(slots or [slot(10, 18)])
    )


def test_slots_given_in_the_askers_time_zone_are_stored_in_utc(congregation, member):
    poll = ask(member, congregation, slot(10, 18), slot(30, 18), zone="Europe/Lisbon")
    first, second = poll.slots.all()
    # Lisbon is on UTC in winter and on UTC+1 after the clocks change on 28 March.
    assert first.starts_at == datetime(2027, 3, 10, 18, 0, tzinfo=UTC)
    assert second.starts_at == datetime(2027, 3, 30, 17, 0, tzinfo=UTC)
    assert second.ends_at - second.starts_at == timedelta(hours=1)
    assert poll.timezone == "Europe/Lisbon"
    assert poll.created_by == member


def test_slots_are_kept_earliest_first_and_the_duration_is_the_longest(congregation, member):
    poll = ask(member, congregation, slot(12, 9, minutes=90), slot(11, 9, minutes=30))
    assert [s.starts_at.day for s in poll.slots.all()] == [11, 12]
    assert poll.duration == timedelta(minutes=90)


def test_aware_slots_are_kept_as_they_are(congregation, member):
    starts = datetime(2027, 3, 10, 18, 0, tzinfo=UTC)
    poll = poll_create(
        by=member,
        group=congregation,
        title="Call",
        poll_timezone="America/Los_Angeles",
        slots=[SlotInput(starts, starts + timedelta(hours=1))],
    )
    assert poll.slots.get().starts_at == starts


def test_someone_outside_the_group_cannot_ask_it(congregation, make_person):
    with pytest.raises(NotAllowed, match="Only members of Riverside"):
        ask(make_person("Stranger"), congregation)


@pytest.mark.parametrize(
    ("slots", "message", "field"),
    [
        ([], "Offer at least one time", "slots"),
        ([slot(1, 9)], "in the past", "slot-0"),
        ([slot(10, 18), slot(10, 18)], "offered twice", "slot-1"),
        ([slot(10, 18, minutes=-30)], "ends before it starts", "slot-0"),
        ([slot(10, 18, minutes=0)], "ends before it starts", "slot-0"),
        ([slot(10, 18, minutes=15 * 24 * 60)], "longer than two weeks", "slot-0"),
        ([slot(10, 18)] * 41, "at most 40", "slots"),
    ],
)
def test_unusable_slots_are_refused_with_a_message_naming_them(
    congregation, member, slots, message, field
):
    with pytest.raises(RuleBroken, match=message) as refusal:
        poll_create(by=member, group=congregation, title="Call", poll_timezone="UTC", slots=slots)
    assert refusal.value.field == field
    assert not congregation.time_polls.exists()


def test_a_time_skipped_by_the_clock_change_is_refused(congregation, member):
    # On 28 March 2027 Lisbon's clocks jump from 01:00 to 02:00.
    with pytest.raises(RuleBroken, match="does not exist in Europe/Lisbon"):
        ask(member, congregation, SlotInput(datetime(2027, 3, 28, 1, 30), datetime(2027, 3, 28, 3)))


def test_a_blank_title_and_an_unknown_time_zone_are_refused(congregation, member):
    with pytest.raises(RuleBroken, match="Say what the time is for") as blank:
        ask(member, congregation, title="  ")
    assert blank.value.field == "title"
    with pytest.raises(RuleBroken, match="not a time zone") as zone:
        ask(member, congregation, zone="Mars/Olympus")
    assert zone.value.field == "timezone"


def test_answering_twice_keeps_one_answer_per_slot(congregation, member):
    poll = ask(member, congregation, slot(10, 18), slot(11, 18))
    first, second = poll.slots.all()
    poll_answer(person=member, poll=poll, answers={first.pk: Answer.YES})
    poll_answer(person=member, poll=poll, answers={first.pk: Answer.YES})
    poll_answer(person=member, poll=poll, answers={first.pk: Answer.NO, second.pk: "if_need_be"})
    answers = dict(PollAnswer.objects.filter(person=member).values_list("slot_id", "answer"))
    assert answers == {first.pk: "no", second.pk: "if_need_be"}


def test_only_members_answer_and_only_with_yes_if_need_be_or_no(congregation, member, make_person):
    poll = ask(member, congregation)
    only = poll.slots.get()
    with pytest.raises(NotAllowed):
        poll_answer(person=make_person("Stranger"), poll=poll, answers={only.pk: "yes"})
    with pytest.raises(RuleBroken, match="Answer yes, if need be or no"):
        poll_answer(person=member, poll=poll, answers={only.pk: "perhaps"})
    with pytest.raises(RuleBroken, match="not part of this poll"):
        poll_answer(person=member, poll=poll, answers={only.pk + 999: "yes"})
    with pytest.raises(RuleBroken, match="at least one time"):
        poll_answer(person=member, poll=poll, answers={})
    assert not PollAnswer.objects.exists()


def test_the_best_slot_has_most_yes_then_most_yes_or_if_need_be_then_is_earliest(
    congregation, host, member, make_person
):
    from microsolidarity.groups.services import membership_approve, membership_request

    third = make_person("Third")
    membership_approve(
        by=host, membership=membership_request(person=third, group=congregation).membership
    )
    poll = ask(member, congregation, slot(10, 18), slot(11, 18), slot(12, 18))
    a, b, c = poll.slots.all()
    assert not any(t.is_best for t in poll_results(poll))

    poll_answer(person=member, poll=poll, answers={a.pk: "if_need_be", b.pk: "yes", c.pk: "yes"})
    poll_answer(person=host, poll=poll, answers={a.pk: "no", b.pk: "no", c.pk: "if_need_be"})
    # b and c both have one yes; c also has an if-need-be.
    assert [t.is_best for t in poll_results(poll)] == [False, False, True]

    poll_answer(person=third, poll=poll, answers={a.pk: "yes", b.pk: "yes", c.pk: "no"})
    # b has two yes now, which beats c's one yes and one if-need-be.
    tallies = poll_results(poll)
    assert [t.is_best for t in tallies] == [False, True, False]
    assert [len(t.yes) for t in tallies] == [1, 2, 1]

    poll_answer(person=host, poll=poll, answers={a.pk: "yes"})
    # a and b both have two yes and two yes-or-if-need-be: the earlier wins.
    assert [t.is_best for t in poll_results(poll)] == [True, False, False]


def test_equal_slots_favour_the_earliest(congregation, member):
    poll = ask(member, congregation, slot(12, 18), slot(11, 18))
    later, earlier = sorted(poll.slots.all(), key=lambda s: -s.starts_at.timestamp())
    poll_answer(person=member, poll=poll, answers={later.pk: "yes", earlier.pk: "yes"})
    best = next(t for t in poll_results(poll) if t.is_best)
    assert best.slot == earlier


def test_closing_makes_a_one_off_gathering_at_the_best_time(congregation, host, member):
    poll = ask(member, congregation, slot(10, 18), slot(11, 19, minutes=90))
    first, second = poll.slots.all()
    poll_answer(person=member, poll=poll, answers={first.pk: "no", second.pk: "yes"})

    gathering = poll_close(by=member, poll=poll)

    poll.refresh_from_db()
    assert poll.closed_at == NOW
    assert poll.chosen_slot == second
    assert poll.gathering == gathering
    assert gathering.group == congregation
    assert gathering.title == "Monthly call"
    assert gathering.timezone == "Europe/Lisbon"
    assert (gathering.starts_at, gathering.ends_at) == (second.starts_at, second.ends_at)
    assert gathering.mode == "online"
    assert list(gathering.hosts.all()) == [member]
    assert gathering.created_by == member
    assert gathering.capacity is None
    occurrence = Occurrence.objects.get(gathering=gathering)
    assert occurrence.starts_at == occurrence.original_starts_at == second.starts_at
    assert occurrence.ends_at == second.ends_at


def test_a_group_host_may_close_with_a_chosen_slot_and_seats(congregation, host, member):
    poll = ask(member, congregation, slot(10, 18), slot(11, 18))
    first, _second = poll.slots.all()
    gathering = poll_close(by=host, poll=poll, slot=first, capacity=12)
    assert gathering.starts_at == first.starts_at
    assert gathering.capacity == 12
    # The person who asked hosts it; the host who closed it made it.
    assert list(gathering.hosts.all()) == [member]
    assert gathering.created_by == host


def test_closing_is_refused_to_others_twice_and_with_nobody_answering(
    congregation, host, member, make_person
):
    from microsolidarity.groups.services import membership_approve, membership_request

    other = make_person("Other")
    membership_approve(
        by=host, membership=membership_request(person=other, group=congregation).membership
    )
    poll = ask(member, congregation)
    with pytest.raises(NotAllowed):
        poll_close(by=other, poll=poll)
    with pytest.raises(RuleBroken, match="Nobody has said yes") as nobody:
        poll_close(by=member, poll=poll)
    assert nobody.value.field == "slot"
    with pytest.raises(RuleBroken, match="Seats"):
        poll_close(by=member, poll=poll, slot=poll.slots.get(), capacity=0)

    poll_close(by=member, poll=poll, slot=poll.slots.get())
    with pytest.raises(RuleBroken, match="already closed"):
        poll_close(by=member, poll=poll, slot=poll.slots.get())
    assert Gathering.objects.count() == 1


def test_a_slot_of_another_poll_cannot_be_chosen(congregation, member):
    poll = ask(member, congregation)
    other = ask(member, congregation, slot(20, 18))
    with pytest.raises(RuleBroken, match="not part of this poll"):
        poll_close(by=member, poll=poll, slot=other.slots.get())


def test_a_time_that_has_passed_cannot_be_chosen(congregation, member, time_machine):
    poll = ask(member, congregation, slot(10, 18), slot(20, 18))
    first, second = poll.slots.all()
    poll_answer(person=member, poll=poll, answers={first.pk: "yes"})
    time_machine.move_to(datetime(2027, 3, 12, tzinfo=UTC), tick=False)
    with pytest.raises(RuleBroken, match="That time has passed"):
        poll_close(by=member, poll=poll)
    assert poll_close(by=member, poll=poll, slot=second).starts_at == second.starts_at


def test_a_closed_poll_takes_no_more_answers(congregation, member):
    poll = ask(member, congregation)
    only = poll.slots.get()
    poll_close(by=member, poll=poll, slot=only)
    with pytest.raises(RuleBroken, match="closed"):
        poll_answer(person=member, poll=poll, answers={only.pk: "yes"})


def test_answers_close_at_the_given_time(congregation, member, time_machine):
    poll = poll_create(
        by=member,
        group=congregation,
        title="Call",
        poll_timezone="UTC",
        slots=[slot(10, 18)],
        closes_at=NOW + timedelta(days=1),
    )
    time_machine.move_to(NOW + timedelta(days=2), tick=False)
    with pytest.raises(RuleBroken, match="Answers to this poll closed"):
        poll_answer(person=member, poll=poll, answers={poll.slots.get().pk: "yes"})


def test_gatherings_from_polls_with_the_same_title_get_their_own_address(congregation, member):
    slugs = set()
    for _ in range(3):
        poll = ask(member, congregation)
        slugs.add(poll_close(by=member, poll=poll, slot=poll.slots.get()).slug)
    assert slugs == {
        "monthly-call-2027-03-10",
        "monthly-call-2027-03-10-2",
        "monthly-call-2027-03-10-3",
    }
