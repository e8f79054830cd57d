"""The availability parser reads what it prints and points at the column of a mistake."""

import itertools
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microsolidarity.matching.availability import (
    AvailabilityError,
    Window,
    format_availability,
    many_week_minutes_utc,
    merge_windows,
    parse_availability,
    week_minutes_utc,
)

windows = st.builds(
    lambda day, start, length: Window(day, start, min(1440, start + length)),
    st.integers(0, 6),
    st.integers(0, 1439),
    st.integers(1, 600),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(windows, max_size=8))
def test_format_then_parse_gives_the_same_windows(items):
    merged = merge_windows(items)
    assert parse_availability(format_availability(items)) == merged


@settings(max_examples=40, deadline=None)
@given(
    st.lists(windows, min_size=1, max_size=4),
    st.sampled_from(["xyz 10:00-11:00", "mon 25:00-26:00", "tue 10:00", "wed 12:00-11:00"]),
)
def test_a_bad_entry_is_reported_at_its_column(items, bad):
    good = format_availability(items)
    text = f"{good}; {bad}"
    with pytest.raises(AvailabilityError) as error:
        parse_availability(text)
    assert error.value.column >= len(good) + 3


def test_the_column_points_at_the_bad_time():
    with pytest.raises(AvailabilityError) as error:
        parse_availability("mon 18:00-20:00; wed 07:00-29:30")
    assert error.value.column == len("mon 18:00-20:00; wed 07:00-") + 1


def test_24_00_is_allowed_as_an_end():
    assert parse_availability("fri 22:00-24:00") == (Window(4, 1320, 1440),)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(windows, max_size=5),
            st.sampled_from(
                [
                    "UTC",
                    "Europe/Berlin",
                    "America/New_York",
                    "America/St_Johns",
                    "Asia/Kathmandu",
                    "Australia/Lord_Howe",
                    "Pacific/Chatham",
                ]
            ),
        ),
        max_size=6,
    ),
    st.sampled_from([date(2026, 3, 2), date(2026, 3, 23), date(2026, 10, 26), date(2026, 4, 6)]),
)
def test_many_people_at_once_give_each_persons_utc_spans(people, week):
    got = many_week_minutes_utc([w for w, _ in people], [z for _, z in people], week)
    want = [week_minutes_utc(w, zone, week) for w, zone in people]
    assert got.spans == want
    assert got.bounds.tolist() == [0, *itertools.accumulate(map(len, want))]
    assert list(zip(got.starts.tolist(), got.stops.tolist(), strict=True)) == [
        span for spans in want for span in spans
    ]
