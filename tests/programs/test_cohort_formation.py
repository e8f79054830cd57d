"""The last module opens a formation round: the cohort ends in crews with a first cycle."""

from datetime import timedelta
from itertools import combinations

import pytest
import time_machine

from microsolidarity.errors import NotAllowed, RuleBroken


def _at(moment):
    return time_machine.travel(moment, tick=False)


def test_the_formation_round_opens_with_the_last_module_only(make_cohort, host, member):
    from microsolidarity.programs.cohorts import sessions_of
    from microsolidarity.programs.formation import formation_open

    cohort = make_cohort()
    with pytest.raises(RuleBroken):
        formation_open(by=host, cohort=cohort)
    last = sessions_of(cohort)[-1]
    with _at(last.starts_at - timedelta(hours=2)):
        with pytest.raises(NotAllowed):
            formation_open(by=member, cohort=cohort)
        round_ = formation_open(by=host, cohort=cohort)
        assert formation_open(by=host, cohort=cohort) == round_  # once
    assert round_.congregation == cohort.group
    assert round_.deadline > last.occurrence.ends_at


def test_the_clock_opens_it_when_the_last_session_starts(make_cohort):
    from microsolidarity.programs.cohorts import sessions_of
    from microsolidarity.programs.periodic import cohorts_tick

    cohort = make_cohort()
    last = sessions_of(cohort)[-1]
    with _at(last.starts_at - timedelta(hours=1)):
        assert cohorts_tick()[1] == 0
    with _at(last.starts_at + timedelta(minutes=1)):
        assert cohorts_tick()[1] == 1
        assert cohorts_tick()[1] == 0
    cohort.refresh_from_db()
    assert cohort.formation_round is not None


def test_a_cohort_ends_in_crews_with_their_first_cycle(make_cohort, people, host):
    from microsolidarity.crewing import round_lifecycle, round_publishing
    from microsolidarity.crewing.models import CrewCycle, RoundStatus
    from microsolidarity.groups.models import Scale
    from microsolidarity.programs.breakouts import breakouts_run
    from microsolidarity.programs.cohorts import sessions_of
    from microsolidarity.programs.formation import formation_open
    from microsolidarity.programs.queries import cohort_crews
    from microsolidarity.programs.seats import seat_request

    cohort = make_cohort(capacity=12)
    learners = people(8)
    for person in learners:
        seat_request(person=person, cohort=cohort)
    sessions = sessions_of(cohort)
    for session in sessions[:2]:
        with _at(session.starts_at + timedelta(minutes=5)):
            breakouts_run(cohort_id=cohort.pk)
    with _at(sessions[-1].starts_at + timedelta(minutes=5)):
        round_ = formation_open(by=host, cohort=cohort)
        for person in learners:
            round_lifecycle.round_opt_in(
                person=person,
                formation_round=round_,
                timezone_name="Europe/Berlin",
                languages=["en"],
                interests=[],
                availability="mon 18:00-21:00; wed 18:00-21:00",
            )
        round_ = round_lifecycle.round_propose(by=host, formation_round=round_)
        assert round_.status == RoundStatus.PREVIEW
        round_publishing.round_publish(
            by=host, formation_round=round_, seen_version=round_.proposal_version
        )

    crews = list(cohort_crews(cohort))
    assert crews and all(crew.scale == Scale.CREW for crew in crews)
    placed = [m.person_id for crew in crews for m in crew.memberships.all()]
    assert len(placed) == len(set(placed))
    for crew in crews:
        cycle = CrewCycle.objects.get(crew=crew)
        assert cycle.meetings.count() == crew.memberships.count()
        assert (
            cycle.series.occurrences.order_by("starts_at").first().starts_at
            > sessions[-1].starts_at
        )
    # Breakout partners are history: no crew puts two of them together again.
    from microsolidarity.dyads.models import PairingProgram
    from microsolidarity.programs.breakouts import cohort_pairs

    met = cohort_pairs(PairingProgram.objects.get(group=cohort.group))
    for crew in crews:
        ids = sorted(str(m.person_id) for m in crew.memberships.all())
        assert not {pair for pair in combinations(ids, 2)} & met
