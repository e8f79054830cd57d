"""Crew formation keeps every hard rule, or says who it could not place and why."""

from datetime import date
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_people import people_lists

from microsolidarity.matching import (
    CrewRules,
    Person,
    Window,
    check_crews,
    describe_unplaced,
    form_crews,
)
from microsolidarity.matching.synthetic import planted_congregation

WEEK = date(2026, 3, 30)  # the Monday after Europe's clocks change
ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kathmandu", "UTC"]


@st.composite
def populations(draw):
    ids, people = people_lists(
        draw,
        max_people=16,
        zones=ZONES,
        first_hour=16,
        max_length=3,
        max_windows=3,
        max_apart=2,
        with_together=True,
    )
    history = (
        draw(st.lists(st.lists(st.sampled_from(ids), min_size=2, max_size=3), max_size=3))
        if ids
        else []
    )
    low = draw(st.integers(2, 4))
    high = draw(st.integers(low, 6))
    minutes = draw(st.sampled_from([0, 30, 60, 90]))
    rules = CrewRules(
        min_size=low,
        max_size=high,
        min_common_minutes=minutes,
        week=WEEK,
        history=tuple(tuple(h) for h in history),
    )
    return people, rules


@settings(max_examples=40, deadline=None)
@given(populations(), st.integers(0, 3))
def test_every_person_is_in_one_valid_crew_or_reported_unplaced(population, seed):
    people, rules = population
    plan = form_crews(people, rules, seed=seed)
    crews = [crew.members for crew in plan.crews]
    assert check_crews(people, crews, rules) == []
    placed = [pid for crew in crews for pid in crew]
    unplaced = [u.id for u in plan.unplaced]
    assert len(placed) == len(set(placed))
    assert sorted(placed + unplaced) == sorted(p.id for p in people)
    assert all(u.code and describe_unplaced(u) for u in plan.unplaced)


@settings(max_examples=40, deadline=None)
@given(populations(), st.integers(0, 3))
def test_the_large_congregation_path_keeps_every_rule_too(population, seed):
    """Neighbour lists, crews grown from them and blocks of crews, forced on small inputs."""
    people, rules = population
    with mock.patch("microsolidarity.matching.blocks.BLOCK_UNITS", 4):
        plan = form_crews(people, rules, seed=seed)
    crews = [crew.members for crew in plan.crews]
    assert check_crews(people, crews, rules) == []
    placed = [pid for crew in crews for pid in crew]
    assert len(placed) == len(set(placed))
    assert sorted(placed + [u.id for u in plan.unplaced]) == sorted(p.id for p in people)
    assert all(u.code and describe_unplaced(u) for u in plan.unplaced)


def test_planted_crews_are_found_in_a_small_congregation():
    congregation = planted_congregation(60, seed=3)
    rules = CrewRules(week=congregation.week)
    plan = form_crews(congregation.people, rules, seed=0)
    assert not plan.unplaced
    assert check_crews(congregation.people, [c.members for c in plan.crews], rules) == []
    assert plan.worst > 0


def test_the_same_seed_gives_the_same_crews():
    congregation = planted_congregation(80, seed=5)
    rules = CrewRules(week=congregation.week)
    first = form_crews(congregation.people, rules, seed=11)
    second = form_crews(congregation.people, rules, seed=11)
    assert [c.members for c in first.crews] == [c.members for c in second.crews]


def test_a_large_congregation_goes_through_blocks_and_keeps_the_rules():
    congregation = planted_congregation(900, seed=2)
    rules = CrewRules(week=congregation.week)
    plan = form_crews(congregation.people, rules, seed=0)
    assert check_crews(congregation.people, [c.members for c in plan.crews], rules) == []
    placed = sum(len(c.members) for c in plan.crews)
    assert placed + len(plan.unplaced) == 900


def test_a_large_congregation_keeps_history_and_apart_rules():
    congregation = planted_congregation(600, seed=4)
    people = list(congregation.people)
    by_id = {p.id: p for p in people}
    # Half the planted crews met before, and some planted crew-mates must be apart.
    history = congregation.planted[::2]
    for crew in congregation.planted[1::4]:
        first = by_id[crew[0]]
        by_id[crew[0]] = Person(
            id=first.id,
            timezone=first.timezone,
            languages=first.languages,
            interests=first.interests,
            availability=first.availability,
            apart=frozenset(crew[1:]),
        )
    people = [by_id[p.id] for p in people]
    rules = CrewRules(week=congregation.week, history=history)
    plan = form_crews(people, rules, seed=0)
    assert check_crews(people, [c.members for c in plan.crews], rules) == []
    assert sum(len(c.members) for c in plan.crews) + len(plan.unplaced) == 600


def test_people_who_met_before_are_not_put_together_again():
    congregation = planted_congregation(30, seed=1)
    rules = CrewRules(week=congregation.week, history=congregation.planted)
    plan = form_crews(congregation.people, rules, seed=0)
    assert check_crews(congregation.people, [c.members for c in plan.crews], rules) == []


def test_someone_without_a_shared_language_is_unplaced_with_the_reason():
    evening = (Window(0, 18 * 60, 20 * 60),)
    people = [
        Person(id=f"p{i}", languages=frozenset({"en"}), availability=evening) for i in range(4)
    ]
    people.append(Person(id="x", languages=frozenset({"fi"}), availability=evening))
    plan = form_crews(people, CrewRules(week=WEEK), seed=0)
    assert [u.id for u in plan.unplaced] == ["x"]
    assert plan.unplaced[0].code == "no_shared_language"


def test_must_together_people_share_a_crew():
    evening = (Window(0, 18 * 60, 20 * 60),)
    people = [
        Person(
            id=f"p{i}",
            languages=frozenset({"en"}),
            availability=evening,
            together=frozenset({"p1"}) if i == 0 else frozenset(),
        )
        for i in range(8)
    ]
    plan = form_crews(people, CrewRules(week=WEEK, max_size=4), seed=0)
    crew_of = {pid: c.number for c in plan.crews for pid in c.members}
    assert crew_of["p0"] == crew_of["p1"]


def test_crews_to_keep_come_back_unchanged():
    congregation = planted_congregation(40, seed=4)
    kept = congregation.planted[0]
    rules = CrewRules(week=congregation.week, keep=(kept,))
    plan = form_crews(congregation.people, rules, seed=0)
    assert any(c.kept and set(c.members) == set(kept) for c in plan.crews)
    others = [p for c in plan.crews if not c.kept for p in c.members]
    assert not set(others) & set(kept)


def test_explanations_show_shared_time_in_each_members_own_timezone():
    people = [
        Person(
            id="berlin",
            timezone="Europe/Berlin",
            languages=frozenset({"en"}),
            interests=frozenset({"music"}),
            availability=(Window(0, 19 * 60, 21 * 60),),
        ),
        Person(
            id="london",
            timezone="Europe/London",
            languages=frozenset({"en"}),
            interests=frozenset({"music"}),
            availability=(Window(0, 18 * 60, 20 * 60),),
        ),
        Person(
            id="newyork",
            timezone="America/New_York",
            languages=frozenset({"en", "es"}),
            interests=frozenset({"music"}),
            availability=(Window(0, 13 * 60, 15 * 60),),
        ),
    ]
    plan = form_crews(people, CrewRules(week=WEEK), seed=0)
    (crew,) = plan.crews
    local = {w.person: w.text for w in crew.explanation.local_windows}
    assert local == {
        "berlin": "mon 19:00-21:00",
        "london": "mon 18:00-20:00",
        "newyork": "mon 13:00-15:00",
    }
    assert crew.explanation.languages == ("en",)
    assert crew.explanation.interests == ("music",)


def test_progress_is_reported_from_zero_to_one():
    seen = []
    congregation = planted_congregation(30, seed=1)
    form_crews(congregation.people, CrewRules(week=congregation.week), progress=seen.append)
    assert seen[0] == 0.0
    assert seen[-1] == 1.0


def test_progress_moves_through_the_neighbour_and_greedy_phases_of_a_large_congregation():
    """Issue 20: the bar must not sit still through the long first phase on many people."""
    seen = []
    congregation = planted_congregation(300, seed=1)
    with mock.patch("microsolidarity.matching.blocks.BLOCK_UNITS", 40):
        form_crews(congregation.people, CrewRules(week=congregation.week), progress=seen.append)
    assert seen == sorted(seen)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    before_blocks = {round(f, 3) for f in seen if 0.0 < f < 0.275}
    assert len(before_blocks) >= 4
    assert any(0.95 < f < 1.0 for f in seen)


def test_diverse_mode_keeps_the_hard_rules():
    congregation = planted_congregation(40, seed=6)
    rules = CrewRules(week=congregation.week, mode="diverse", min_common_minutes=0)
    plan = form_crews(congregation.people, rules, seed=0)
    assert check_crews(congregation.people, [c.members for c in plan.crews], rules) == []


def test_local_search_matches_the_cp_sat_optimum_on_a_small_congregation():
    pytest.importorskip("ortools")
    congregation = planted_congregation(12, seed=12)
    rules = CrewRules(week=congregation.week)
    exact = form_crews(congregation.people, rules, solver="exact", time_limit=20)
    local = form_crews(congregation.people, rules, seed=0)
    assert exact.method == "CP-SAT"
    assert check_crews(congregation.people, [c.members for c in exact.crews], rules) == []
    assert local.total >= exact.total * 0.99


def test_a_large_congregation_without_time_or_language_rules_is_formed():
    congregation = planted_congregation(500, seed=1)
    rules = CrewRules(week=congregation.week, min_common_minutes=0, require_shared_language=False)
    plan = form_crews(congregation.people, rules, seed=0)
    assert not plan.unplaced
    assert check_crews(congregation.people, [c.members for c in plan.crews], rules) == []
