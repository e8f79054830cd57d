"""The fair rotation asks whoever did a role least often first."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microsolidarity.matching.volunteering import VolunteerRecord, fair_rotation


def ids(suggestions):
    return [s.person_id for s in suggestions]


def test_least_done_is_asked_first():
    records = [VolunteerRecord(1, 3), VolunteerRecord(2, 0), VolunteerRecord(3, 1)]
    assert ids(fair_rotation(records)) == [2, 3, 1]


def test_a_tie_goes_to_whoever_did_it_longest_ago_and_never_before_any_date():
    records = [
        VolunteerRecord(1, 1, date(2026, 5, 1)),
        VolunteerRecord(2, 1, date(2026, 1, 1)),
        VolunteerRecord(3, 1, None),
    ]
    assert ids(fair_rotation(records)) == [3, 2, 1]


def test_people_already_signed_up_are_left_out_and_the_limit_cuts_the_list():
    records = [VolunteerRecord(n, n) for n in range(1, 6)]
    assert ids(fair_rotation(records, exclude=[1, 2], limit=2)) == [3, 4]


def test_a_person_listed_twice_counts_with_the_larger_count():
    records = [
        VolunteerRecord(1, 0),
        VolunteerRecord(1, 4, date(2026, 2, 2)),
        VolunteerRecord(2, 2),
    ]
    result = fair_rotation(records)
    assert ids(result) == [2, 1]
    assert (result[1].times_done, result[1].last_done) == (4, date(2026, 2, 2))


def test_nobody_gives_an_empty_list_and_bad_numbers_are_refused():
    assert fair_rotation([]) == []
    with pytest.raises(ValueError):
        fair_rotation([VolunteerRecord(1, -1)])
    with pytest.raises(ValueError):
        fair_rotation([VolunteerRecord(1, 0)], limit=-1)


records = st.lists(
    st.builds(
        VolunteerRecord,
        st.integers(1, 30),
        st.integers(0, 20),
        st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2030, 1, 1))),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(records, st.sets(st.integers(1, 30), max_size=10))
def test_the_order_never_puts_someone_who_did_more_before_someone_who_did_less(rows, exclude):
    result = fair_rotation(rows, exclude=exclude)
    counts = [s.times_done for s in result]
    assert counts == sorted(counts)
    assert len(ids(result)) == len(set(ids(result)))
    assert set(ids(result)) == {r.person_id for r in rows} - exclude
