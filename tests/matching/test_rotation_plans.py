"""Rotation plans never repeat a pair, and constructions give their known rounds."""

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microsolidarity.matching import counting_bound, plan_rounds
from microsolidarity.matching.designs import (
    CYCLIC_SPECS,
    TRANSLATION_SPECS,
    cyclic_design,
    translation_design,
)
from microsolidarity.matching.rotations import (
    KNOWN_BEST,
    affine_plane,
    block_construction,
    pairs_met,
    round_robin,
    transversal_construction,
)


def _assert_valid(plan, people, size):
    assert pairs_met(plan.rounds) == []
    for groups in plan.rounds:
        members = sorted(p for group in groups for p in group)
        assert members == list(range(people))
        assert all(size <= len(group) <= size + 1 for group in groups)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(2, 5), st.integers(2, 7), st.integers(0, 2), st.integers(1, 12), st.integers(0, 9)
)
def test_no_rotation_ever_repeats_a_pair(size, groups, extras, rounds, seed):
    extras = min(extras, groups)
    people = groups * size + extras
    plan = plan_rounds(people, size, rounds, seed=seed, time_limit=0.2)
    _assert_valid(plan, people, size)
    assert plan.found <= min(rounds, counting_bound(people, size))


@pytest.mark.parametrize("people", [2, 6, 10, 16])
def test_round_robin_gives_n_minus_one_rounds_of_pairs(people):
    rounds = round_robin(people)
    assert len(rounds) == people - 1
    assert pairs_met(rounds) == []
    assert len({pair for r in rounds for pair in r}) == people * (people - 1) // 2


@pytest.mark.parametrize("q", [2, 3, 4, 5, 7, 8, 9])
def test_affine_planes_give_q_plus_one_rounds(q):
    rounds = affine_plane(q)
    assert len(rounds) == q + 1
    assert pairs_met(rounds) == []


@pytest.mark.parametrize(("groups", "size"), [(5, 4), (7, 5), (11, 6), (7, 7)])
def test_the_block_construction_gives_one_round_per_group(groups, size):
    rounds = block_construction(groups, size)
    assert len(rounds) == groups
    assert pairs_met(rounds) == []


def test_fewer_rounds_than_asked_are_reported_not_faked():
    plan = plan_rounds(36, 6, 5, time_limit=0.5)
    assert plan.found < plan.asked
    assert plan.known_best == 3
    _assert_valid(plan, 36, 6)


def test_asking_more_than_the_counting_bound_stops_at_the_bound():
    plan = plan_rounds(16, 4, 9)
    assert plan.bound == 5
    assert plan.found == 5


def test_groups_that_cannot_be_formed_are_refused():
    with pytest.raises(ValueError, match="groups of"):
        plan_rounds(7, 5, 2)


def test_kirkmans_fifteen_schoolgirls_walk_seven_days():
    plan = plan_rounds(15, 3, 7)
    assert plan.found == 7
    assert plan.method == "Kirkman triple system"
    _assert_valid(plan, 15, 3)


@pytest.mark.parametrize(
    ("groups", "size"),
    [(6, 3), (7, 3), (6, 4), (7, 4), (6, 5)],
)
def test_designs_found_at_run_time_reach_the_known_most_rounds(groups, size):
    best = KNOWN_BEST[(groups, size)]
    plan = plan_rounds(groups * size, size, best, seed=1)
    assert plan.found == best == plan.known_best
    assert plan.method in {"cyclic design", "1-rotational design"}
    _assert_valid(plan, groups * size, size)


@pytest.mark.parametrize("spec", [s for specs in CYCLIC_SPECS.values() for s in specs])
def test_each_cyclic_shape_develops_into_its_rounds(spec):
    rounds = cyclic_design(spec, time_limit=10, seed=0)
    assert rounds is not None
    assert len(rounds) == spec.rounds
    assert pairs_met(rounds) == []
    people = spec.groups * spec.size
    for groups in rounds:
        assert sorted(p for group in groups for p in group) == list(range(people))


def test_thirty_two_people_in_groups_of_four_get_ten_rounds():
    plan = plan_rounds(32, 4, 10)
    assert plan.found == 10 == plan.known_best
    assert plan.method == "translation design"
    _assert_valid(plan, 32, 4)


@pytest.mark.parametrize("spec", [s for specs in TRANSLATION_SPECS.values() for s in specs])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_translation_shape_develops_into_its_rounds(spec, seed):
    rounds = translation_design(spec, time_limit=10, seed=seed)
    assert rounds is not None
    assert len(rounds) == spec.rounds
    assert pairs_met(rounds) == []
    people = spec.groups * spec.size
    for groups in rounds:
        assert sorted(p for group in groups for p in group) == list(range(people))
        assert all(len(group) == spec.size for group in groups)
    met = {pair for groups in rounds for group in groups for pair in combinations(group, 2)}
    unmet = [(p, q) for p, q in combinations(range(people), 2) if (p, q) not in met]
    # The leftover pairs are the matching x ~ x + unmet in every column.
    n = spec.order
    assert unmet == sorted(
        (p, p ^ spec.unmet) for p in range(people) if p % n < (p ^ spec.unmet) % n
    )


@pytest.mark.parametrize(("groups", "size", "rounds"), [(8, 4, 9), (9, 3, 13), (16, 4, 21)])
def test_the_transversal_construction_adds_rounds_inside_the_columns(groups, size, rounds):
    plan = transversal_construction(groups, size)
    assert len(plan) == rounds
    assert pairs_met(plan) == []
    for groups_of_round in plan:
        assert sorted(p for group in groups_of_round for p in group) == list(range(groups * size))
