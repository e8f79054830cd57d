"""The vectorised `build_profiles` gives exactly the arrays of a plain per-person version.

The reference below is the straightforward implementation (one person, one window
at a time, with datetime arithmetic per window edge); the fast one must match it
byte for byte: same values, same order, same dtypes, daylight-saving weeks included.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microsolidarity.matching.availability import MINUTES_PER_WEEK, Window, parse_availability
from microsolidarity.matching.model import CrewRules, History, Person, Weights
from microsolidarity.matching.profiles import Profiles, build_profiles
from microsolidarity.matching.synthetic import planted_congregation

ZONES = (
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/St_Johns",
    "America/Sao_Paulo",
    "Asia/Kathmandu",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Australia/Sydney",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
)
# Weeks with daylight-saving changes: US spring (Mar 8) and autumn (Nov 1), Europe
# spring (Mar 29) and autumn (Oct 25), Lord Howe and Sydney (Apr 5, Oct 4), and a plain week.
WEEKS = (
    date(2026, 3, 2),
    date(2026, 3, 9),
    date(2026, 3, 23),
    date(2026, 3, 30),
    date(2026, 9, 28),
    date(2026, 10, 19),
    date(2026, 10, 26),
    date(2026, 6, 15),
)
_TIME_BIN_MINUTES = 120


# ---------------------------------------------------------------- reference


def _ref_window_utc(window: Window, timezone: str, week_monday: date) -> list[tuple[int, int]]:
    zone, utc = ZoneInfo(timezone), ZoneInfo("UTC")
    week_start = datetime.combine(week_monday, time(0), tzinfo=utc)
    local_day = week_monday + timedelta(days=window.day)
    start = datetime.combine(local_day, time(0), tzinfo=zone) + timedelta(minutes=window.start)
    end = datetime.combine(local_day, time(0), tzinfo=zone) + timedelta(minutes=window.end)
    start_min = int((start.astimezone(utc) - week_start).total_seconds() // 60)
    end_min = int((end.astimezone(utc) - week_start).total_seconds() // 60)
    length = end_min - start_min
    start_min %= MINUTES_PER_WEEK
    stop = start_min + length
    if stop <= MINUTES_PER_WEEK:
        return [(start_min, stop)]
    return [(start_min, MINUTES_PER_WEEK), (0, stop - MINUTES_PER_WEEK)]


def _ref_week_minutes(windows, timezone: str, week_monday: date) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for window in windows:
        spans.extend(_ref_window_utc(window, timezone, week_monday))
    spans.sort()
    joined: list[tuple[int, int]] = []
    for start_min, stop in spans:
        if joined and start_min <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], stop))
        else:
            joined.append((start_min, stop))
    return joined


def _ref_pack(matrix: np.ndarray) -> np.ndarray:
    packed = np.packbits(matrix, axis=1, bitorder="little")
    pad = (-packed.shape[1]) % 8
    if pad:
        packed = np.concatenate([packed, np.zeros((packed.shape[0], pad), np.uint8)], axis=1)
    return np.ascontiguousarray(packed).view(np.uint64)


def _ref_masks(spans, slot: int, min_minutes: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(spans)
    slots = MINUTES_PER_WEEK // slot
    run = max(1, math.ceil(min_minutes / slot))
    per_bin = _TIME_BIN_MINUTES // slot
    free = np.zeros((n, slots), bool)
    for row, person_spans in enumerate(spans):
        for start, end in person_spans:
            first, last = -(-start // slot), end // slot
            if last > first:
                free[row, first:last] = True
    wrapped = np.concatenate([free, free[:, : run - 1]], axis=1).astype(np.int16)
    totals = np.zeros((n, wrapped.shape[1] + 1), np.int32)
    np.cumsum(wrapped, axis=1, out=totals[:, 1:])
    starts = (totals[:, run : run + slots] - totals[:, :slots]) == run
    masks = _ref_pack(starts)
    bins = np.zeros((n, MINUTES_PER_WEEK // _TIME_BIN_MINUTES), np.float32)
    if n:
        bins[:] = free.reshape(n, -1, per_bin).mean(axis=2)
    norms = np.linalg.norm(bins, axis=1, keepdims=True)
    np.divide(bins, norms, out=bins, where=norms > 0)
    return masks, bins


def reference_profiles(people: list[Person], rules: CrewRules) -> dict:
    ids = [p.id for p in people]
    index = {pid: i for i, pid in enumerate(ids)}
    week = rules.week_monday
    weights = rules.pair_weights
    n = len(people)
    spans = [_ref_week_minutes(p.availability, p.timezone, week) for p in people]
    slot = 60
    for person_spans in spans:
        for start, end in person_spans:
            slot = math.gcd(slot, start, end)
    slot = max(slot, 5)
    if rules.min_common_minutes > 0:
        avail, time_bins = _ref_masks(spans, slot, rules.min_common_minutes)
    else:
        _, time_bins = _ref_masks(spans, slot, 5)
        avail = np.full((n, 1), np.iinfo(np.uint64).max, np.uint64)

    languages = sorted({lang for p in people for lang in p.languages})
    lang_bool = np.zeros((n, max(1, len(languages))), bool)
    for i, p in enumerate(people):
        for lang in p.languages:
            lang_bool[i, languages.index(lang)] = True
    if not rules.require_shared_language:
        lang_bool[:] = True

    tags = sorted({tag for p in people for tag in p.interests})
    interests = np.zeros((n, max(1, len(tags))), np.float32)
    for i, p in enumerate(people):
        if p.interests:
            cols = [tags.index(t) for t in p.interests]
            interests[i, cols] = 1.0 / math.sqrt(len(cols))

    angles = []
    for p in people:
        moment = datetime.combine(week + timedelta(days=2), time(12), tzinfo=ZoneInfo(p.timezone))
        offset = int((moment.utcoffset() or timedelta(0)).total_seconds() // 60)
        angles.append(2 * math.pi * offset / 1440)
    angle = np.array(angles)
    zone_vectors = np.stack([np.cos(angle), np.sin(angle)], axis=1) if n else np.zeros((0, 2))
    blocks, signs = [], []
    for weight, block in (
        (weights.interests, interests),
        (weights.shared_time, time_bins),
        (weights.timezone / 2, zone_vectors),
    ):
        if weight:
            blocks.append(np.asarray(block, np.float64) * math.sqrt(abs(weight)))
            signs.append(np.full(block.shape[1], 1.0 if weight > 0 else -1.0))
    vectors = np.concatenate(blocks, axis=1) if blocks else np.zeros((n, 1))
    sign_vector = np.concatenate(signs) if signs else np.ones(1)

    forbid: list[set[int]] = [set() for _ in range(n)]
    for i, p in enumerate(people):
        for other in p.apart:
            j = index.get(other)
            if j is not None and j != i:
                forbid[i].add(j)
                forbid[j].add(i)
    for a, b in History.from_crews(rules.history).pairs:
        i, j = index.get(a), index.get(b)
        if i is not None and j is not None:
            forbid[i].add(j)
            forbid[j].add(i)
    together: list[list[int]] = [[] for _ in range(n)]
    for i, p in enumerate(people):
        for other in p.together:
            j = index.get(other)
            if j is not None and j != i:
                together[i].append(j)
                together[j].append(i)
    return {
        "ids": ids,
        "index": index,
        "vectors": vectors,
        "signs": sign_vector,
        "offset": 0.0 + weights.timezone / 2,
        "interests": interests,
        "tags": tags,
        "avail": avail,
        "lang": _ref_pack(lang_bool),
        "languages": languages,
        "spans": spans,
        "slot_minutes": slot,
        "forbid": [np.array(sorted(s), np.int64) for s in forbid],
        "together": together,
        "timezones": [p.timezone for p in people],
    }


# ---------------------------------------------------------------- comparison


def _same_array(a: np.ndarray, b: np.ndarray, name: str) -> None:
    assert isinstance(a, np.ndarray), name
    assert a.dtype == b.dtype, (name, a.dtype, b.dtype)
    assert a.shape == b.shape, (name, a.shape, b.shape)
    assert a.tobytes() == b.tobytes(), name


def assert_same_profiles(got: Profiles, want: dict) -> None:
    fields = {f.name for f in dataclasses.fields(Profiles)}
    assert fields == set(want)
    for name, expected in want.items():
        value = getattr(got, name)
        if isinstance(expected, np.ndarray):
            _same_array(value, expected, name)
        elif name == "forbid":
            assert len(value) == len(expected)
            for row, (a, b) in enumerate(zip(value, expected, strict=True)):
                _same_array(a, b, f"forbid[{row}]")
        elif name == "spans":
            assert value == expected
            assert all(type(x) is int for row in value for span in row for x in span)
        else:
            assert type(value) is type(expected), name
            assert value == expected, name


# ---------------------------------------------------------------- fixed cases


def _odd_people(week: date) -> list[Person]:
    """People in odd zones with windows on and around daylight-saving changes."""
    congregation = planted_congregation(120, seed=3, week=week)
    people = []
    texts = (
        "sun 01:00-04:00",  # the US and European changes
        "sun 02:00-02:30; sat 23:00-24:00",  # inside a spring gap, and up to midnight
        "sun 02:30-03:00",  # a window wholly inside a gap: its UTC end comes before its start
        "mon 00:00-24:00; sun 00:00-24:00",
        "mon-fri 07:07-08:13",  # edges off the five-minute grid
        "wed 10:15-11:45; thu 10:20-10:40",
        "",
    )
    for k, person in enumerate(congregation.people):
        ids = [p.id for p in congregation.people]
        availability = person.availability if k % 3 else parse_availability(texts[k % len(texts)])
        people.append(
            dataclasses.replace(
                person,
                timezone=ZONES[k % len(ZONES)],
                availability=availability,
                languages=person.languages if k % 11 else frozenset(),
                interests=person.interests if k % 7 else frozenset(),
                together=frozenset({ids[(k * 7) % len(ids)], "nobody"})
                if k % 5 == 0
                else frozenset(),
                apart=frozenset({ids[(k * 13) % len(ids)], person.id})
                if k % 4 == 0
                else frozenset(),
            )
        )
    return people


@pytest.mark.parametrize("week", WEEKS)
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"min_common_minutes": 0, "require_shared_language": False},
        {"min_common_minutes": 95, "mode": "diverse"},
        {
            "min_common_minutes": 600,
            "weights": Weights(interests=0.0, shared_time=1.0, timezone=0.0),
        },
    ],
)
def test_odd_timezones_and_daylight_saving_weeks_match_the_reference(week, options):
    people = _odd_people(week)
    history = tuple(tuple(p.id for p in people[k : k + 5]) for k in range(0, 60, 5))
    rules = CrewRules(week=week, history=(*history, ("ghost", people[0].id)), **options)
    assert_same_profiles(build_profiles(people, rules), reference_profiles(people, rules))


@pytest.mark.parametrize("week", [date(2026, 3, 2), date(2026, 10, 26)])
def test_a_planted_congregation_matches_the_reference(week):
    congregation = planted_congregation(2000, seed=1, week=week)
    people = list(congregation.people)
    for rules in (
        CrewRules(week=week),
        CrewRules(week=week, min_common_minutes=0, require_shared_language=False),
        CrewRules(week=week, history=congregation.planted[:50]),
    ):
        assert_same_profiles(build_profiles(people, rules), reference_profiles(people, rules))


def test_no_people_gives_empty_arrays_like_the_reference():
    rules = CrewRules(week=date(2026, 3, 2))
    assert_same_profiles(build_profiles([], rules), reference_profiles([], rules))


# ---------------------------------------------------------------- generated cases

_windows = st.builds(
    lambda day, start, length: Window(day, start, min(1440, start + length)),
    st.integers(0, 6),
    st.one_of(st.integers(0, 1439), st.sampled_from([0, 60, 90, 120, 150, 180, 1380])),
    st.one_of(st.integers(1, 1440), st.sampled_from([30, 60, 120, 1440])),
)
_names = st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "zz"])


@st.composite
def _populations(draw):
    ids = draw(st.lists(_names, max_size=8, unique=True))
    people = [
        Person(
            id=pid,
            timezone=draw(st.sampled_from(ZONES)),
            languages=frozenset(draw(st.lists(st.sampled_from(["en", "de", "fr"]), max_size=2))),
            interests=frozenset(draw(st.lists(st.sampled_from(["x", "y", "z", "w"]), max_size=3))),
            availability=tuple(draw(st.lists(_windows, max_size=4))),
            together=frozenset(draw(st.lists(_names, max_size=2))),
            apart=frozenset(draw(st.lists(_names, max_size=2))),
        )
        for pid in ids
    ]
    rules = CrewRules(
        week=draw(st.sampled_from(WEEKS)),
        min_common_minutes=draw(st.sampled_from([0, 5, 60, 95, 1000])),
        require_shared_language=draw(st.booleans()),
        mode=draw(st.sampled_from(["similar", "diverse"])),
        history=tuple(
            tuple(crew) for crew in draw(st.lists(st.lists(_names, max_size=4), max_size=3))
        ),
    )
    return people, rules


@settings(max_examples=150, deadline=None)
@given(_populations())
def test_generated_people_match_the_reference(population):
    people, rules = population
    assert_same_profiles(build_profiles(people, rules), reference_profiles(people, rules))
