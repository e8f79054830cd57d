"""PEOPLE.csv reads back what was written, and points at the cell of a mistake."""

import csv

from hypothesis import given, settings
from hypothesis import strategies as st

from microsolidarity.matching.availability import Window, format_availability
from microsolidarity.matching.csv_io import InputError, read_people

windows = st.lists(
    st.builds(
        lambda day, start, length: Window(day, start, min(1440, start + length)),
        st.integers(0, 6),
        st.integers(0, 1439),
        st.integers(1, 300),
    ),
    max_size=4,
)


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name", "timezone", "languages", "interests", "availability"])
        writer.writerows(rows)


@settings(max_examples=40, deadline=None)
@given(st.lists(windows, min_size=1, max_size=5))
def test_availability_written_to_csv_reads_back_the_same(tmp_path_factory, all_windows):
    path = tmp_path_factory.mktemp("csv") / "people.csv"
    rows = [
        [f"p{i}", f"P {i}", "Europe/Berlin", "en", "music", format_availability(w)]
        for i, w in enumerate(all_windows)
    ]
    _write(path, rows)
    people = read_people(path)
    assert [format_availability(p.availability) for p in people] == [r[5] for r in rows]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["mon 10:00", "funday 10:00-11:00", "mon 10:61-11:00", "tue 12:00-09:00"]))
def test_a_bad_window_in_a_quoted_cell_is_located_inside_the_cell(tmp_path_factory, bad):
    path = tmp_path_factory.mktemp("csv") / "people.csv"
    _write(path, [["a", "A", "UTC", "en", "x", f"wed 07:00-09:30; {bad}"]])
    try:
        read_people(path)
    except InputError as error:
        assert error.line == 2
        line = path.read_text().splitlines()[1]
        assert line.index("wed") + 1 < error.column <= len(line)
    else:
        raise AssertionError("the bad window was accepted")


def test_an_unterminated_quote_on_the_last_line_is_refused_with_its_line_and_column(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "id,name,timezone,languages,interests,availability\n"
        "a,Ana,UTC,en,x,mon 10:00-11:00\n"
        'b,Ben,UTC,en,x,"tue 10:00-11:00\n',
        encoding="utf-8",
    )
    try:
        read_people(path)
    except InputError as error:
        assert (error.line, error.column) == (3, 16)
        assert "never closed" in error.message
    else:
        raise AssertionError("the unterminated quote was accepted")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(alphabet='ab ,;\n"', max_size=8), min_size=1, max_size=4))
def test_a_file_whose_last_closing_quote_is_lost_is_always_refused(tmp_path_factory, cells):
    path = tmp_path_factory.mktemp("csv") / "people.csv"
    rows = [[f"p{i}", f"P {i}", "UTC", "en", "x", "mon 10:00-11:00"] for i in range(len(cells))]
    _write(path, rows)
    text = path.read_text(encoding="utf-8")
    # The last row's name quoted with the hypothesis' text, its closing quote lost.
    last = '"' + cells[-1].replace('"', '""')
    path.write_text(text + f"q,{last}\n", encoding="utf-8")
    try:
        read_people(path)
    except InputError as error:
        assert error.line == len(rows) + 2
        assert error.column == 3
    else:
        raise AssertionError("the unterminated quote was accepted")
