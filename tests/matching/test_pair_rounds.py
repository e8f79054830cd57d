"""The next round of dyads: shared time and language, and nobody meets twice."""

from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_people import people_lists

from microsolidarity.matching import CrewRules, Person, Window, check_crews, next_pairs, pairs
from microsolidarity.matching.candidates import Buckets
from microsolidarity.matching.profiles import build_profiles
from microsolidarity.matching.synthetic import planted_congregation

WEEK = date(2026, 3, 2)


def test_pairs_never_repeat_history_and_share_a_language():
    congregation = planted_congregation(40, seed=2)
    history: list[tuple[str, ...]] = []
    by_id = {p.id: p for p in congregation.people}
    for _round in range(3):
        rules = CrewRules(min_size=2, max_size=2, week=WEEK, history=tuple(history))
        result = next_pairs(congregation.people, rules, seed=1)
        for a, b in result.pairs:
            assert (a, b) not in {tuple(sorted(h)) for h in history}
            assert by_id[a].languages & by_id[b].languages
        history.extend(tuple(sorted(p)) for p in result.pairs)


def test_someone_who_shares_no_time_stays_unpaired():
    evening = (Window(0, 18 * 60, 20 * 60),)
    people = [
        Person(id=f"p{i}", languages=frozenset({"en"}), availability=evening) for i in range(4)
    ]
    people.append(
        Person(id="late", languages=frozenset({"en"}), availability=(Window(3, 60, 120),))
    )
    result = next_pairs(people, CrewRules(min_size=2, max_size=2, week=WEEK))
    assert len(result.pairs) == 2
    assert result.unpaired == ("late",)


def test_the_large_path_pairs_almost_everyone():
    congregation = planted_congregation(3000, seed=1)
    result = next_pairs(
        congregation.people, CrewRules(min_size=2, max_size=2, week=congregation.week)
    )
    assert len(result.pairs) * 2 + len(result.unpaired) == 3000
    assert len(result.unpaired) < 300


ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kathmandu", "UTC"]


@contextmanager
def large_path():
    """Send every group, however small, through the path built for 100,000 people."""
    with patch.object(pairs, "ALL_PAIRS_LIMIT", 0):
        yield


@st.composite
def rounds(draw):
    ids, people = people_lists(
        draw,
        max_people=40,
        zones=ZONES,
        first_hour=14,
        max_length=4,
        max_windows=4,
        max_apart=3,
        with_together=False,
    )
    history = (
        draw(st.lists(st.lists(st.sampled_from(ids), min_size=2, max_size=2), max_size=20))
        if ids
        else []
    )
    rules = CrewRules(
        min_size=2,
        max_size=2,
        min_common_minutes=draw(st.sampled_from([0, 30, 60, 120])),
        require_shared_language=draw(st.booleans()),
        week=WEEK,
        history=tuple(tuple(h) for h in history),
    )
    return people, rules


@settings(max_examples=60, deadline=None)
@given(rounds(), st.integers(0, 3))
def test_the_large_path_only_pairs_people_who_may_meet_and_each_once(round_, seed):
    people, rules = round_
    with large_path():
        result = next_pairs(people, rules, seed=seed)
    assert check_crews(people, result.pairs, rules) == []
    placed = [pid for pair in result.pairs for pid in pair]
    assert len(placed) == len(set(placed))
    assert sorted(placed + list(result.unpaired)) == sorted(p.id for p in people)
    assert not result.exact


@settings(max_examples=40, deadline=None)
@given(rounds(), st.integers(0, 3))
def test_every_candidate_pair_may_meet(round_, seed):
    people, rules = round_
    prof = build_profiles(people, rules)
    buckets = Buckets(prof, seed=seed)
    rows, cols = buckets.pairs()
    more_rows, more_cols = buckets.around(np.arange(prof.n), window=3)
    candidates = [
        (prof.ids[a], prof.ids[b])
        for a, b in zip(
            np.concatenate([rows, more_rows]), np.concatenate([cols, more_cols]), strict=True
        )
    ]
    assert check_crews(people, candidates, rules) == []


def _planted_partners(pairs_count: int) -> list[Person]:
    """Partners who share only each other: a language of their own and one hour.

    Each also has a long week of time nobody shares, so the slots a person is
    sampled into rarely include the hour shared with their partner.
    """
    people = []
    for k in range(pairs_count):
        shared = Window(k % 7, (k % 20) * 60, (k % 20) * 60 + 60)
        for side in range(2):
            own = tuple(
                Window(day, 60 * (2 + 10 * side), 60 * (9 + 10 * side))
                for day in range(7)
                if day != k % 7
            )
            people.append(
                Person(
                    id=f"k{k}-{side}",
                    languages=frozenset({f"lang{k}", "en"} if side else {f"lang{k}"}),
                    interests=frozenset({f"t{k % 5}", f"t{(k + side) % 7}"}),
                    availability=tuple(sorted({shared, *own})),
                )
            )
    return people


def test_the_large_path_pairs_everyone_when_a_perfect_matching_is_planted():
    people = _planted_partners(150)
    rules = CrewRules(min_size=2, max_size=2, week=WEEK)
    with large_path():
        result = next_pairs(people, rules, seed=4)
    assert result.unpaired == ()
    assert sorted(tuple(sorted(pair)) for pair in result.pairs) == [
        (f"k{k}-0", f"k{k}-1") for k in sorted(range(150), key=lambda k: f"k{k}-0")
    ]


def test_the_large_path_pairs_everyone_in_planted_pairs_among_many_who_could_meet():
    congregation = planted_congregation(600, seed=7, sizes=(2, 2))
    rules = CrewRules(min_size=2, max_size=2, week=congregation.week)
    with large_path():
        result = next_pairs(congregation.people, rules, seed=0)
    assert result.unpaired == ()
    assert check_crews(congregation.people, result.pairs, rules) == []


def test_the_large_path_gives_the_same_pairs_for_the_same_seed():
    congregation = planted_congregation(500, seed=8)
    rules = CrewRules(min_size=2, max_size=2, week=congregation.week)
    with large_path():
        first = next_pairs(congregation.people, rules, seed=5)
        second = next_pairs(congregation.people, rules, seed=5)
    assert first == second


def test_the_large_path_never_pairs_people_who_met_before():
    congregation = planted_congregation(400, seed=9, sizes=(2, 2))
    rules = CrewRules(min_size=2, max_size=2, week=congregation.week)
    with large_path():
        first = next_pairs(congregation.people, rules, seed=0)
        again = replace(rules, history=first.pairs)
        second = next_pairs(congregation.people, again, seed=0)
    assert not {frozenset(p) for p in first.pairs} & {frozenset(p) for p in second.pairs}
    assert check_crews(congregation.people, second.pairs, again) == []
