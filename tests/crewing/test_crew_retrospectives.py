"""Retrospectives: revealed together, and the outcome rule applied to the crew."""

from datetime import timedelta

import pytest
import time_machine
from crew_builders import crew_of, members_of, next_week_at

from microsolidarity.crewing.cycles import cycle_start
from microsolidarity.crewing.history import met_groups
from microsolidarity.crewing.models import Choice, CycleStatus
from microsolidarity.crewing.retrospectives import (
    outcome_decide,
    retrospective_close,
    retrospective_submit,
)
from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.groups.models import MembershipState, Status
from microsolidarity.groups.services import dyad_create


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def people(congregation, host, make_person):
    return members_of(congregation, host, make_person, ["Ana", "Ben", "Cai"])


@pytest.fixture
def cycle(people, congregation):
    crew = crew_of(people, congregation)
    return cycle_start(crew=crew, by=people[0], first_meeting_at=next_week_at())


def _after_the_cycle(cycle):
    last = cycle.meetings.order_by("-number").first().occurrence.ends_at
    return time_machine.travel(last + timedelta(days=2), tick=False)


def _answer(cycle, people, choices, **extra):
    for person, choice in zip(people, choices, strict=True):
        retrospective_submit(person=person, cycle=cycle, choice=choice, worked="ok", **extra)
    cycle.refresh_from_db()
    cycle.crew.refresh_from_db()
    return cycle


def _states(crew):
    return {m.person.display_name: m.state for m in crew.memberships.select_related("person")}


def test_the_retrospective_opens_with_the_last_meeting(cycle, people):
    with pytest.raises(RuleBroken, match="opens"):
        retrospective_submit(person=people[0], cycle=cycle, choice=Choice.CONTINUE)


def test_a_split_ends_the_crew_and_everyone_goes_back_to_the_pool(cycle, people):
    with _after_the_cycle(cycle):
        cycle = _answer(cycle, people, [Choice.CONTINUE, Choice.CONTINUE, Choice.SPLIT])
    assert cycle.status == CycleStatus.CLOSED and cycle.outcome["result"] == "ended"
    assert cycle.crew.status == Status.CLOSED
    assert set(_states(cycle.crew).values()) == {MembershipState.ALUMNI}


def test_those_who_continue_start_a_new_cycle_and_re_formers_leave(cycle, people):
    ana, ben, _cai = people
    with _after_the_cycle(cycle):
        cycle = _answer(cycle, people, [Choice.CONTINUE, Choice.CONTINUE, Choice.REFORM])
        following = cycle.crew.crew_cycles.get(number=2)
    assert cycle.outcome["result"] == "continued" and cycle.outcome["next_cycle"] == 2
    assert _states(cycle.crew)["Cai"] == MembershipState.ALUMNI
    assert [m.focus for m in following.meetings.order_by("number")] == [ana, ben]
    first_old = cycle.meetings.get(number=1).occurrence.starts_at
    first_new = following.meetings.get(number=1).occurrence.starts_at
    assert first_new.weekday() == first_old.weekday() and first_new.time() == first_old.time()


def test_a_majority_pausing_pauses_the_crew(cycle, people):
    with _after_the_cycle(cycle):
        cycle = _answer(cycle, people, [Choice.PAUSE, Choice.PAUSE, Choice.CONTINUE])
    assert cycle.outcome["result"] == "paused"
    assert cycle.crew.status == Status.PAUSED
    assert set(_states(cycle.crew).values()) == {MembershipState.ACTIVE}


def test_fewer_than_two_continuing_ends_the_crew(cycle, people):
    with _after_the_cycle(cycle):
        cycle = _answer(cycle, people, [Choice.CONTINUE, Choice.REFORM, Choice.PAUSE])
    assert cycle.outcome["result"] == "ended"
    assert cycle.outcome["why"] == "too_few_continue"


def test_the_rule_on_plain_ids():
    continuing = outcome_decide({1: "continue", 2: "continue", 3: "pause"}, [1, 2, 3, 4])
    assert continuing["continuing"] == [1, 2]
    assert continuing["pausing"] == [3, 4]  # who did not answer stays, paused
    assert outcome_decide({}, [1, 2])["result"] == "ended"


def test_a_member_may_close_after_the_end_without_waiting_for_everyone(cycle, people):
    with _after_the_cycle(cycle):
        _answer(cycle, people[:2], [Choice.CONTINUE, Choice.CONTINUE])
        assert cycle.closed_at is None
        retrospective_close(by=people[0], cycle=cycle)
        cycle.refresh_from_db()
    assert cycle.outcome["result"] == "continued"
    assert cycle.outcome["pausing"] == [people[2].pk]


def test_closing_before_anyone_answered_or_by_a_stranger_is_refused(cycle, people, host):
    with _after_the_cycle(cycle):
        with pytest.raises(RuleBroken, match="first"):
            retrospective_close(by=people[0], cycle=cycle)
        with pytest.raises(NotAllowed):
            retrospective_close(by=host, cycle=cycle)


def test_a_closed_retrospective_takes_no_more_answers(cycle, people):
    with _after_the_cycle(cycle):
        _answer(cycle, people, [Choice.SPLIT, Choice.SPLIT, Choice.SPLIT])
        with pytest.raises(RuleBroken, match="closed"):
            retrospective_submit(person=people[0], cycle=cycle, choice=Choice.CONTINUE)


def test_everyone_is_told_the_results(
    cycle, people, mailoutbox, django_capture_on_commit_callbacks
):
    with _after_the_cycle(cycle), django_capture_on_commit_callbacks(execute=True):
        _answer(cycle, people, [Choice.SPLIT, Choice.CONTINUE, Choice.CONTINUE])
    told = [m.to[0] for m in mailoutbox if m.subject.startswith("Retrospective")]
    assert sorted(told) == sorted(p.email for p in people)


def test_every_pair_who_met_stays_in_the_history_after_a_split(
    cycle, people, congregation, host, make_person
):
    with _after_the_cycle(cycle):
        _answer(cycle, people, [Choice.SPLIT, Choice.SPLIT, Choice.SPLIT])
    (eve,) = members_of(congregation, host, make_person, ["Eve"])
    dyad_create(by=eve, partner=people[0], parent=congregation)
    invited = crew_of(members_of(congregation, host, make_person, ["Gus"]), congregation, "Solo")
    assert invited  # a crew of one met nobody
    pairs = met_groups(congregation)
    assert tuple(sorted(str(p.pk) for p in people)) in pairs
    assert tuple(sorted((str(eve.pk), str(people[0].pk)))) in pairs
    assert len(pairs) == 2
