"""Coverage first: if a placement of everyone exists the engine finds one, else a checked reason."""

from datetime import date
from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from microsolidarity.matching import (
    CrewRules,
    Person,
    Window,
    check_crews,
    describe_unplaced,
    form_crews,
)
from microsolidarity.matching.coverage import CrewTable, eject_chains
from microsolidarity.matching.profiles import build_profiles
from microsolidarity.matching.synthetic import narrow_congregation, planted_congregation
from microsolidarity.matching.units import Units

WEEK = date(2026, 3, 16)
EVENING = (Window(0, 18 * 60, 20 * 60),)


def _everyone_placed(people, rules, plan) -> None:
    crews = [crew.members for crew in plan.crews]
    assert check_crews(people, crews, rules) == []
    assert [(u.id, u.code) for u in plan.unplaced] == []
    assert sorted(pid for crew in crews for pid in crew) == sorted(p.id for p in people)


@settings(max_examples=12, deadline=None)
@given(st.integers(12, 60), st.integers(0, 10_000))
def test_narrow_windows_and_a_long_history_leave_nobody_out(n, seed):
    congregation = narrow_congregation(n, seed=seed, history_crews=3 * n)
    rules = CrewRules(week=congregation.week, history=congregation.history)
    assert check_crews(congregation.people, congregation.planted, rules) == []
    plan = form_crews(congregation.people, rules, seed=seed % 7)
    _everyone_placed(congregation.people, rules, plan)


@settings(max_examples=8, deadline=None)
@given(st.integers(12, 60), st.integers(0, 10_000))
def test_the_first_planted_family_leaves_nobody_out(n, seed):
    congregation = planted_congregation(n, seed=seed)
    rules = CrewRules(week=congregation.week)
    plan = form_crews(congregation.people, rules, seed=0)
    _everyone_placed(congregation.people, rules, plan)


@st.composite
def tight_congregations(draw):
    """Crews of exactly the minimum and of the maximum, each on an hour nobody else has.

    Everyone in a crew of three has exactly two possible crew-mates, so one wrong
    choice strands someone; decoy pairs share a second, shorter-lived hour with a
    member of another crew (a pairwise overlap that no third person shares).
    """
    sizes = draw(st.lists(st.sampled_from([3, 3, 3, 6]), min_size=2, max_size=7))
    people: list[Person] = []
    planted: list[list[str]] = []
    hours = draw(st.permutations(list(range(7 * 12))))
    for c, size in enumerate(sizes):
        day, hour = divmod(hours[c], 12)
        ids = [f"c{c}m{m}" for m in range(size)]
        planted.append(ids)
        for pid in ids:
            people.append(
                Person(
                    id=pid,
                    languages=frozenset({"en"}),
                    interests=frozenset({f"t{draw(st.integers(0, 5))}"}),
                    availability=(Window(day, (8 + hour) * 60, (9 + hour) * 60),),
                )
            )
    decoys = draw(st.integers(0, len(people) // 2))
    rng = np.random.default_rng(draw(st.integers(0, 1000)))
    for d in range(decoys):
        a, b = rng.choice(len(people), 2, replace=False)
        day, hour = divmod(hours[len(sizes) + d], 12)
        extra = Window(day, (8 + hour) * 60, (9 + hour) * 60)
        for i in (a, b):
            p = people[i]
            people[i] = Person(
                id=p.id,
                languages=p.languages,
                interests=p.interests | {"decoy"},
                availability=tuple(sorted({*p.availability, extra})),
            )
    order = rng.permutation(len(people))
    return [people[i] for i in order], planted


@settings(max_examples=15, deadline=None)
@given(tight_congregations(), st.integers(0, 3))
def test_people_with_exactly_the_minimum_of_partners_are_all_placed(population, seed):
    people, planted = population
    rules = CrewRules(week=WEEK)
    assert check_crews(people, planted, rules) == []
    plan = form_crews(people, rules, seed=seed)
    _everyone_placed(people, rules, plan)


def test_an_ejection_chain_frees_a_seat_in_a_full_crew():
    """x fits only crew A, which is full; a1 can move to crew B, which has room."""
    late = Window(1, 18 * 60, 20 * 60)
    people = [
        Person(id="x", languages=frozenset({"en"}), availability=EVENING),
        Person(id="a1", languages=frozenset({"en"}), availability=(EVENING[0], late)),
        Person(id="a2", languages=frozenset({"en"}), availability=EVENING),
        Person(id="a3", languages=frozenset({"en"}), availability=EVENING),
        Person(id="a4", languages=frozenset({"en"}), availability=EVENING),
        Person(id="b1", languages=frozenset({"en"}), availability=(late,)),
        Person(id="b2", languages=frozenset({"en"}), availability=(late,)),
        Person(id="b3", languages=frozenset({"en"}), availability=(late,)),
    ]
    rules = CrewRules(min_size=3, max_size=4, week=WEEK)
    prof = build_profiles(people, rules)
    units = Units(prof, [[i] for i in range(prof.n)])
    crew_a = [prof.index[p] for p in ("a1", "a2", "a3", "a4")]
    crew_b = [prof.index[p] for p in ("b1", "b2", "b3")]
    table = CrewTable(units, [crew_a, crew_b], 3, 4, prof.signs)
    assert eject_chains(table, [prof.index["x"]], None) == []
    crews = [sorted(prof.ids[u] for u in crew) for crew in table.crews]
    assert check_crews(people, crews, rules) == []
    assert sorted(crews) == [["a1", "b1", "b2", "b3"], ["a2", "a3", "a4", "x"]]


def test_a_crew_is_gathered_from_leftovers_and_spare_members():
    """Two leftovers share an hour with one member of a crew of four, who can be spared."""
    morning = Window(2, 7 * 60, 8 * 60)
    people = [
        Person(id="x", languages=frozenset({"en"}), availability=(morning,)),
        Person(id="y", languages=frozenset({"en"}), availability=(morning,)),
        Person(id="a1", languages=frozenset({"en"}), availability=(EVENING[0], morning)),
        *[Person(id=f"a{i}", languages=frozenset({"en"}), availability=EVENING) for i in (2, 3, 4)],
    ]
    rules = CrewRules(min_size=3, max_size=4, week=WEEK)
    plan = form_crews(people, rules, seed=0)
    _everyone_placed(people, rules, plan)


# --- honest reasons ------------------------------------------------------------------------


def _evening_people(n: int, **extra) -> list[Person]:
    return [
        Person(id=f"p{i}", languages=frozenset({"en"}), availability=EVENING, **extra)
        for i in range(n)
    ]


def test_nobody_shares_their_language():
    loner = Person(id="x", languages=frozenset({"fi"}), availability=EVENING)
    people = [*_evening_people(4), loner]
    plan = form_crews(people, CrewRules(week=WEEK), seed=0)
    (u,) = plan.unplaced
    assert (u.id, u.code) == ("x", "no_shared_language")
    assert u.languages == ("fi",)
    assert u.change is not None and u.change.kind == "language"
    assert (u.change.language, u.change.people) == ("en", 4)
    assert "nobody else speaks a language they speak" in describe_unplaced(u)


def test_nobody_who_speaks_their_language_shares_the_time():
    people = [
        *_evening_people(4),
        Person(
            id="x",
            timezone="Europe/Berlin",
            languages=frozenset({"en"}),
            availability=(Window(6, 3 * 60, 4 * 60),),
        ),
    ]
    plan = form_crews(people, CrewRules(week=WEEK), seed=0)
    (u,) = plan.unplaced
    assert (u.code, u.minutes) == ("no_shared_time", 60)
    # The window offered is the others' Monday 18:00 UTC, shown in x's own timezone.
    assert u.change is not None and u.change.kind == "window"
    assert u.change.window_utc == (18 * 60, 19 * 60)
    assert u.change.window_local == "mon 19:00-20:00"
    assert u.change.people == 4


def test_everyone_they_could_meet_met_them_before():
    met = Person(id="x", languages=frozenset({"en"}), availability=EVENING)
    people = [*_evening_people(4), met]
    history = tuple(("x", f"p{i}") for i in range(4))
    plan = form_crews(people, CrewRules(week=WEEK, history=history), seed=0)
    (u,) = plan.unplaced
    assert (u.id, u.code, u.count) == ("x", "all_met_before", 4)


def test_fewer_than_a_crew_share_time_and_language():
    people = [
        *_evening_people(3),
        Person(id="x", languages=frozenset({"de"}), availability=EVENING),
        Person(id="y", languages=frozenset({"de"}), availability=EVENING),
    ]
    plan = form_crews(people, CrewRules(week=WEEK), seed=0)
    assert sorted((u.id, u.code, u.count) for u in plan.unplaced) == [
        ("x", "too_few", 1),
        ("y", "too_few", 1),
    ]


def test_possible_crew_mates_with_no_hour_in_common_are_too_few():
    """x shares an hour with a and another with b, but a and b share none with x together."""
    mon, tue = Window(0, 9 * 60, 10 * 60), Window(1, 9 * 60, 10 * 60)
    people = [
        Person(id="x", languages=frozenset({"en"}), availability=(mon, tue)),
        Person(id="a", languages=frozenset({"en"}), availability=(mon,)),
        Person(id="b", languages=frozenset({"en"}), availability=(tue,)),
    ]
    plan = form_crews(people, CrewRules(min_size=3, week=WEEK), seed=0)
    reasons = {u.id: (u.code, u.count) for u in plan.unplaced}
    assert reasons["x"] == ("too_few", 2)
    words = describe_unplaced(next(u for u in plan.unplaced if u.id == "x"))
    assert "no 2 of the 2 people who share a language and 60 minutes with them" in words


def test_full_crews_are_proved_full_by_the_exact_model():
    """Seven people, crews of exactly three: one is left, and a crew of four would take them."""
    rules = CrewRules(min_size=3, max_size=3, week=WEEK)
    plan = form_crews(_evening_people(7), rules, seed=0)
    (u,) = plan.unplaced
    assert u.code == "crews_full"
    assert u.change is not None and (u.change.kind, u.change.max_size) == ("larger_crew", 4)
    assert len(plan.crews) == 2


def test_a_timed_out_search_says_so():
    rules = CrewRules(min_size=3, max_size=3, week=WEEK)

    def no_repair(prof, units, rules, crews, leftover, seed, deadline, use_exact):
        return crews, leftover, "timed out"

    with mock.patch("microsolidarity.matching.crews._cover", no_repair):
        plan = form_crews(_evening_people(7), rules, seed=0)
    (u,) = plan.unplaced
    assert (u.code, u.exact) == ("time_limit", "timed out")
    assert "could not be placed within the time limit" in describe_unplaced(u)
    assert u.change is not None and u.change.kind == "larger_crew"
