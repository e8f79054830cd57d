"""Breakout pairs between sessions: a round after each session but the last, never a repeat."""

from datetime import timedelta
from itertools import combinations

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def _at(moment):
    return time_machine.travel(moment, tick=False)


def _pairs_by_round(cohort) -> list[set[tuple[int, int]]]:
    from microsolidarity.dyads.models import PairingMember

    rounds: dict[int, dict[int, list[int]]] = {}
    for number, pairing_id, person_id in PairingMember.objects.filter(
        round__program__group=cohort.group
    ).values_list("round__number", "pairing_id", "person_id"):
        rounds.setdefault(number, {}).setdefault(pairing_id, []).append(person_id)
    return [
        {tuple(sorted(pair)) for group in groups.values() for pair in combinations(group, 2)}
        for _number, groups in sorted(rounds.items())
    ]


def _sign_up(cohort, persons):
    from microsolidarity.programs.seats import seat_request

    for person in persons:
        seat_request(person=person, cohort=cohort)


def test_a_round_follows_each_session_and_runs_once(make_cohort, people):
    from microsolidarity.dyads.models import PairingProgram
    from microsolidarity.programs.breakouts import breakouts_run
    from microsolidarity.programs.cohorts import sessions_of

    cohort = make_cohort(capacity=10)
    _sign_up(cohort, people(6))
    sessions = sessions_of(cohort)
    assert breakouts_run(cohort_id=cohort.pk) is None  # nothing has started yet
    with _at(sessions[0].starts_at + timedelta(minutes=5)):
        first = breakouts_run(cohort_id=cohort.pk)
        assert first is not None and first.pairings.count() == 3
        assert breakouts_run(cohort_id=cohort.pk) is None  # once per session
    program = PairingProgram.objects.get(group=cohort.group)
    # Off between sessions, so the dyads schedule never runs a round of its own.
    assert program.active is False
    assert program.next_round_on == timezone.localtime(sessions[1].starts_at).date()
    with _at(sessions[1].starts_at + timedelta(minutes=5)):
        assert breakouts_run(cohort_id=cohort.pk).number == 2
    # Once the last session has begun nothing is made up for sessions 3 and 4.
    with _at(sessions[-1].starts_at + timedelta(days=2)):
        assert breakouts_run(cohort_id=cohort.pk) is None
    assert program.rounds.count() == 2


def test_everyone_is_paired_every_time_in_a_cohort_of_six(make_cohort, people):
    from microsolidarity.programs.breakouts import breakouts_run
    from microsolidarity.programs.cohorts import sessions_of

    cohort = make_cohort(capacity=10)
    _sign_up(cohort, people(6))
    for session in sessions_of(cohort)[:-1]:
        with _at(session.starts_at + timedelta(minutes=5)):
            breakouts_run(cohort_id=cohort.pk)
    rounds = _pairs_by_round(cohort)
    assert len(rounds) == 4
    assert all(len(pairs) == 3 for pairs in rounds)
    every = [pair for pairs in rounds for pair in pairs]
    assert len(every) == len(set(every)), "a pair met twice"


def test_a_small_cohort_stops_pairing_once_everyone_has_met(make_cohort, people):
    from microsolidarity.programs.breakouts import breakouts_run
    from microsolidarity.programs.cohorts import sessions_of

    cohort = make_cohort(capacity=10)
    _sign_up(cohort, people(3))
    for session in sessions_of(cohort)[:-1]:
        with _at(session.starts_at + timedelta(minutes=5)):
            breakouts_run(cohort_id=cohort.pk)
    rounds = _pairs_by_round(cohort)
    # Three people are one trio: they have all met after the first round.
    assert len(rounds) == 1


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    size=st.integers(2, 8),
    leave_after=st.lists(st.integers(0, 3), max_size=3),
    late=st.integers(0, 2),
)
@pytest.mark.django_db
def test_property_nobody_meets_the_same_partner_twice_in_a_cohort(
    make_cohort, people, size, leave_after, late
):
    from microsolidarity.programs.breakouts import breakouts_run
    from microsolidarity.programs.cohorts import sessions_of
    from microsolidarity.programs.seats import seat_leave

    with transaction.atomic():
        cohort = make_cohort(capacity=20)
        persons = people(size + late)
        _sign_up(cohort, persons[:size])
        sessions = sessions_of(cohort)
        for index, session in enumerate(sessions[:-1]):
            with _at(session.starts_at + timedelta(minutes=5)):
                if index == 1:
                    _sign_up(cohort, persons[size:])  # late joiners
                for position, when in enumerate(leave_after):
                    if when == index and position < len(persons):
                        seat_leave(person=persons[position], cohort=cohort)
                breakouts_run(cohort_id=cohort.pk)
        every = [pair for pairs in _pairs_by_round(cohort) for pair in pairs]
        assert len(every) == len(set(every)), "a pair met twice in one cohort"
        transaction.set_rollback(True)
