"""Crews split again after coverage: pairs and triples of crews, and the max-min pass."""

from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from microsolidarity.matching import CrewRules, check_crews, form_crews
from microsolidarity.matching.profiles import and_rows
from microsolidarity.matching.resplit import lift_worst_crews, resplit, resplit_all
from microsolidarity.matching.search import GroupSearch, VectorOracle
from microsolidarity.matching.synthetic import narrow_congregation


def _search(vectors, *, avail=None, lang=None, forbid=None, lower=3, upper=6):
    vectors = np.asarray(vectors, np.float64)
    n = len(vectors)
    oracle = VectorOracle(vectors, np.ones(vectors.shape[1]), 0.0, np.ones(n))
    return GroupSearch(
        oracle,
        np.ones(n, np.int64),
        np.zeros(n),
        lower=np.zeros(0, np.int64),
        upper=np.zeros(0, np.int64),
        avail=None if avail is None else np.asarray(avail, np.uint64).reshape(n, 1),
        lang=None if lang is None else np.asarray(lang, np.uint64).reshape(n, 1),
        forbid=forbid,
    ), (lower, upper)


def _load(search, bounds, crews):
    for crew in crews:
        g = search.add_group(*bounds)
        for u in crew:
            search.assign(u, g)


def _crews(search):
    return sorted(sorted(m) for m in search.members if m)


TWO_THEMES = [[1.0, 0.0]] * 6 + [[0.0, 1.0]] * 6


def test_two_mixed_crews_are_split_by_theme():
    search, bounds = _search(TWO_THEMES)
    _load(search, bounds, [[0, 1, 2, 6, 7, 8], [3, 4, 5, 9, 10, 11]])
    before = search.total()
    assert resplit(search, [0, 1])
    assert _crews(search) == [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]]
    assert search.total() > before


def test_a_split_keeps_the_shared_hour_and_language():
    # People 3 and 9 share no hour with their own theme: the best split that keeps the
    # rule leaves each with the crew it can meet.
    avail = [0b01] * 6 + [0b10] * 6
    avail[3], avail[9] = 0b10, 0b01
    search, bounds = _search(TWO_THEMES, avail=avail, lang=[1] * 12)
    _load(search, bounds, [[0, 1, 2, 6, 7, 8], [3, 4, 5, 9, 10, 11]])
    resplit(search, [0, 1])
    for members in search.members:
        if members:
            assert and_rows(search.avail[members]).any()
    assert _crews(search) == [[0, 1, 2, 4, 5, 9], [3, 6, 7, 8, 10, 11]]


def test_a_forbidden_pair_stays_apart():
    forbid = [np.zeros(0, np.int64) for _ in range(12)]
    forbid[0], forbid[1] = np.array([1]), np.array([0])
    search, bounds = _search(TWO_THEMES, forbid=forbid)
    _load(search, bounds, [[0, 2, 3, 6, 7, 8], [1, 4, 5, 9, 10, 11]])
    resplit(search, [0, 1])
    assert search.group_of[0] != search.group_of[1]


def test_three_small_crews_become_two():
    vectors = [[1.0, 0.0]] * 4 + [[0.0, 1.0]] * 4
    search, bounds = _search(vectors, lower=2, upper=4)
    _load(search, bounds, [[0, 1, 4], [2, 5, 6], [3, 7]])
    assert resplit(search, [0, 1, 2])
    assert _crews(search) == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_nothing_changes_when_no_split_is_better():
    search, bounds = _search(TWO_THEMES)
    _load(search, bounds, [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]])
    assert not resplit(search, [0, 1])
    assert resplit_all(search) == 0


def test_the_max_min_pass_lifts_the_worst_crew_at_a_small_cost():
    # Crew 2 is the worst; trading its odd member with crew 0 lifts it and costs nothing
    # once both are pure, so the pass must take it.
    vectors = [[1.0, 0.0, 0.0]] * 4 + [[0.0, 1.0, 0.0]] * 4 + [[0.0, 0.0, 1.0]] * 4
    search, bounds = _search(vectors, lower=3, upper=4)
    _load(search, bounds, [[0, 1, 2, 8], [4, 5, 6, 7], [3, 9, 10, 11]])
    worst = search.worst()
    assert lift_worst_crews(search) >= 1
    assert search.worst() > worst


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_resplitting_never_breaks_a_rule_or_lowers_the_total(seed):
    rng = np.random.default_rng(seed)
    n = 24
    vectors = rng.random((n, 4))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    avail = rng.integers(1, 8, n)
    lang = rng.integers(1, 4, n)
    forbid = [np.zeros(0, np.int64) for _ in range(n)]
    for a, b in rng.integers(0, n, (6, 2)):
        if a != b:
            forbid[a] = np.append(forbid[a], b)
            forbid[b] = np.append(forbid[b], a)
    search, bounds = _search(vectors, avail=avail, lang=lang, forbid=forbid, lower=3, upper=6)
    # A feasible start: everyone shares hour 1 and language 1 in this instance.
    search.avail[:] |= 1
    search.lang[:] |= 1
    order = rng.permutation(n)
    crews = [order[i : i + 4].tolist() for i in range(0, n, 4)]
    crews = [[u for u in c if not any(v in forbid[u] for v in c)] for c in crews]
    crews = [c for c in crews if len(c) >= 3]
    _load(search, bounds, crews)
    placed = sorted(u for c in crews for u in c)
    total, worst = search.total(), search.worst()
    resplit_all(search)
    assert search.total() >= total - 1e-9
    assert search.worst() >= worst - 1e-9
    lift_worst_crews(search)
    assert search.total() >= total - 0.005 * abs(total) - 1e-9
    assert sorted(u for m in search.members for u in m) == placed
    for members in search.members:
        if not members:
            continue
        assert 3 <= len(members) <= 6
        assert and_rows(search.avail[members]).any()
        assert and_rows(search.lang[members]).any()
        for u in members:
            assert not set(forbid[u].tolist()) & set(members)


@settings(max_examples=6, deadline=None)
@given(st.integers(40, 90), st.integers(0, 10_000))
def test_the_polish_places_the_same_people_and_never_lowers_the_worst_crew(n, seed):
    congregation = narrow_congregation(n, seed=seed, history_crews=2 * n)
    rules = CrewRules(week=congregation.week, history=congregation.history)
    with mock.patch("microsolidarity.matching.blocks.POLISH_MAX_UNITS", 0):
        plain = form_crews(congregation.people, rules, seed=1)
    polished = form_crews(congregation.people, rules, seed=1)
    crews = [crew.members for crew in polished.crews]
    assert check_crews(congregation.people, crews, rules) == []
    placed = sorted(pid for crew in crews for pid in crew)
    assert placed == sorted(pid for crew in plain.crews for pid in crew.members)
    # Every step of the polish keeps the worst crew where it was or lifts it.
    assert polished.worst >= plain.worst - 1e-9
