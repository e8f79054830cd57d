"""Weekly availability text: it reads back what it prints, and says where bad input goes wrong."""

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from microsolidarity.matching.availability import (
    DAYS,
    MINUTES_PER_DAY,
    AvailabilityError,
    Window,
    format_availability,
    merge_windows,
    parse_availability,
    week_minutes_utc,
)


@st.composite
def windows(draw):
    day = draw(st.integers(min_value=0, max_value=6))
    start = draw(st.integers(min_value=0, max_value=MINUTES_PER_DAY - 1))
    end = draw(st.integers(min_value=start + 1, max_value=MINUTES_PER_DAY))
    return Window(day, start, end)


@given(st.lists(windows(), max_size=12))
def test_formatted_availability_parses_back_to_the_same_windows(given_windows):
    text = format_availability(given_windows)

    assert parse_availability(text) == merge_windows(given_windows)


@given(st.lists(windows(), max_size=12))
def test_the_canonical_text_is_stable(given_windows):
    text = format_availability(given_windows)

    assert format_availability(parse_availability(text)) == text


_PIECES = st.sampled_from(
    [
        *DAYS,
        "monday",
        "thurs",
        "xyz",
        " ",
        "  ",
        "-",
        ",",
        ";",
        "\n",
        ":",
        "00",
        "7",
        "18:00",
        "24:00",
        "23:59",
        "25:00",
        "09:60",
        "99:99",
        "٣",
    ]
)


@given(st.text(max_size=40) | st.lists(_PIECES, max_size=14).map("".join))
@example("mon-fri-sat 07:00-08:00")
@example("mon 07:00-08:00; tue 25:00-26:00")
@example(";;  wed 12:00-11:00")
def test_any_text_either_parses_or_says_which_column_is_wrong(text):
    try:
        parsed = parse_availability(text)
    except AvailabilityError as error:
        assert 1 <= error.column <= len(text)
        assert error.message
    else:
        assert all(0 <= w.start < w.end <= MINUTES_PER_DAY and 0 <= w.day < 7 for w in parsed)


def test_days_may_be_listed_or_ranged_and_overlaps_merge():
    text = "Mon-Wed 07:00-08:00\nmon 07:30-09:00; sat, sun 10:00-12:00"

    assert parse_availability(text) == (
        Window(0, 420, 540),
        Window(1, 420, 480),
        Window(2, 420, 480),
        Window(5, 600, 720),
        Window(6, 600, 720),
    )


def test_a_day_range_wraps_round_the_weekend():
    assert [w.day for w in parse_availability("fri-mon 09:00-10:00")] == [0, 4, 5, 6]


def test_empty_text_means_no_availability():
    assert parse_availability("") == ()
    assert parse_availability(" ;\n ; ") == ()


def test_24_00_is_allowed_as_an_end():
    assert parse_availability("fri 22:00-24:00") == (Window(4, 22 * 60, MINUTES_PER_DAY),)
    assert format_availability(parse_availability("fri 22:00-24:00")) == "fri 22:00-24:00"


def test_24_00_is_refused_as_a_start():
    with pytest.raises(AvailabilityError, match="not a time of day") as error:
        parse_availability("sat 24:00-24:00")

    assert error.value.column == 5


@pytest.mark.parametrize("text", ["mon 24:30-24:45", "mon 10:00-24:01", "mon 10:60-11:00"])
def test_impossible_times_are_refused(text):
    with pytest.raises(AvailabilityError, match="not a time of day"):
        parse_availability(text)


def test_a_window_crossing_midnight_is_refused_with_a_way_out():
    with pytest.raises(AvailabilityError) as error:
        parse_availability("mon 09:00-10:00; fri 22:00-02:00")

    assert "ends before it starts" in error.value.message
    assert "fri 22:00-24:00; sat 00:00-01:00" in error.value.message
    assert error.value.column == 18


def test_an_unknown_day_is_named_in_the_message():
    with pytest.raises(AvailabilityError, match="'funday' is not a day") as error:
        parse_availability("tue 10:00-11:00\n  funday 10:00-11:00")

    assert error.value.column == 19


def test_a_three_part_day_range_is_refused_with_a_message():
    with pytest.raises(AvailabilityError) as error:
        parse_availability("mon-wed-fri 10:00-11:00")

    assert error.value.column == 1


def test_a_daylight_saving_week_lands_right_in_utc():
    """Berlin springs forward on Sunday 29 March 2026: UTC+1 before, UTC+2 after."""
    windows_ = parse_availability(
        "mon 18:00-20:00; sat 23:00-24:00; sun 00:00-04:00; sun 10:00-12:00"
    )

    spans = week_minutes_utc(windows_, "Europe/Berlin", date(2026, 3, 23))

    monday = (17 * 60, 19 * 60)
    # Saturday 22:00 UTC to Sunday 02:00 UTC is four clock hours but three real ones.
    saturday_night = (5 * MINUTES_PER_DAY + 22 * 60, 6 * MINUTES_PER_DAY + 2 * 60)
    sunday_morning = (6 * MINUTES_PER_DAY + 8 * 60, 6 * MINUTES_PER_DAY + 10 * 60)
    assert spans == [monday, saturday_night, sunday_morning]


def test_the_week_after_daylight_saving_is_an_hour_earlier_in_utc():
    windows_ = parse_availability("mon 18:00-20:00")

    assert week_minutes_utc(windows_, "Europe/Berlin", date(2026, 3, 30)) == [(16 * 60, 18 * 60)]


def test_a_window_before_utc_monday_wraps_to_the_end_of_the_week():
    windows_ = parse_availability("mon 00:00-02:00")

    spans = week_minutes_utc(windows_, "Europe/Berlin", date(2026, 1, 5))

    assert spans == [(0, 60), (7 * MINUTES_PER_DAY - 60, 7 * MINUTES_PER_DAY)]
