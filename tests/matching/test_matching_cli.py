"""The command line: exit codes, located errors, no output file on bad input."""

import subprocess
import sys
from pathlib import Path

import pytest

from microsolidarity.matching.cli import main

HEADER = "id,name,timezone,languages,interests,availability,together,apart\n"
GOOD = HEADER + "".join(
    f"p{i},P{i},Europe/Berlin,en,music;books,mon 18:00-20:00,,\n" for i in range(8)
)


def _people(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_form_crews_writes_crews_and_ends_with_the_objective(tmp_path, capsys):
    out = tmp_path / "crews.csv"
    report = tmp_path / "report.json"
    code = main(
        [
            "form_crews",
            str(_people(tmp_path, GOOD)),
            "--out",
            str(out),
            "--week",
            "2026-03-02",
            "--report",
            str(report),
        ]
    )
    assert code == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "crew,id"
    assert len(lines) == 9
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("objective=")
    assert '"shared_times_local"' in report.read_text()


@pytest.mark.parametrize(
    ("row", "where", "words"),
    [
        ("x,X,Mars/Olympus,en,,mon 18:00-20:00,,\n", ":10:5:", "timezone"),
        ("x,X,UTC,en,,mon 18:00-26:00,,\n", ":10:23:", "time of day"),
        ("p1,X,UTC,en,,mon 18:00-20:00,,\n", ":10:1:", "duplicate"),
        ("x,X,UTC,en,,mon 18:00-20:00,nobody,\n", ":10:29:", "unknown id"),
    ],
)
def test_bad_input_names_file_line_and_column_and_writes_nothing(
    tmp_path, capsys, row, where, words
):
    out = tmp_path / "crews.csv"
    people = _people(tmp_path, GOOD + row)
    code = main(["form_crews", str(people), "--out", str(out)])
    error = capsys.readouterr().err
    assert code == 2
    assert f"{people}{where}" in error
    assert words in error
    assert not out.exists()


def test_an_unreadable_file_is_bad_input(tmp_path, capsys):
    out = tmp_path / "crews.csv"
    code = main(["form_crews", str(tmp_path / "missing.csv"), "--out", str(out)])
    assert code == 2
    assert "missing.csv:1:1" in capsys.readouterr().err
    assert not out.exists()


def test_plan_rounds_writes_the_plan(tmp_path):
    out = tmp_path / "rounds.csv"
    assert (
        main(["plan_rounds", "--people", "9", "--size", "3", "--rounds", "4", "--out", str(out)])
        == 0
    )
    lines = out.read_text().splitlines()
    assert lines[0] == "round,group,person"
    assert len(lines) == 1 + 4 * 9


def test_plan_rounds_exits_3_with_the_best_plan_when_rounds_are_missing(tmp_path, capsys):
    out = tmp_path / "rounds.csv"
    code = main(
        [
            "plan_rounds",
            "--people",
            "36",
            "--size",
            "6",
            "--rounds",
            "4",
            "--out",
            str(out),
            "--time-limit",
            "0.5",
        ]
    )
    assert code == 3
    assert "found only 3 of 4" in capsys.readouterr().err
    assert len(out.read_text().splitlines()) == 1 + 3 * 36


def test_plan_rounds_pairs_people_from_a_file(tmp_path):
    out = tmp_path / "rounds.csv"
    code = main(
        [
            "plan_rounds",
            "--people-file",
            str(_people(tmp_path, GOOD)),
            "--size",
            "2",
            "--rounds",
            "3",
            "--out",
            str(out),
            "--week",
            "2026-03-02",
        ]
    )
    assert code == 0
    rows = [line.split(",") for line in out.read_text().splitlines()[1:]]
    assert {row[2] for row in rows} == {f"p{i}" for i in range(8)}


def test_group_matrix_prints_the_objective_last(tmp_path, capsys):
    matrix = tmp_path / "m.txt"
    lines = ["6 2 ss 3 3 3 3"] + [f"{i} {j} {i + j}" for i in range(6) for j in range(i + 1, 6)]
    matrix.write_text("\n".join(lines) + "\n")
    out = tmp_path / "groups.csv"
    assert main(["group_matrix", str(matrix), "--mode", "diverse", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("objective=")
    assert out.read_text().splitlines()[0] == "group,item"


def test_a_bad_matrix_line_is_located(tmp_path, capsys):
    matrix = tmp_path / "m.txt"
    matrix.write_text("4 2 ss 2 2 2 2\n0 1 5\n0 9 3\n")
    out = tmp_path / "groups.csv"
    assert main(["group_matrix", str(matrix), "--mode", "similar", "--out", str(out)]) == 2
    assert "m.txt:3:3:" in capsys.readouterr().err
    assert not out.exists()


def test_the_module_runs_without_django(tmp_path):
    out = tmp_path / "crews.csv"
    script = (
        "import sys, runpy; sys.argv = ['m'] + sys.argv[1:];"
        "runpy.run_module('microsolidarity.matching', run_name='__main__')"
    )
    check = "import sys, microsolidarity.matching.cli; assert 'django' not in sys.modules"
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {"PYTHONPATH": src, "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", check], check=True, env=env)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "form_crews",
            str(_people(tmp_path, GOOD)),
            "--out",
            str(out),
            "--quiet",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert out.exists()


def test_the_progress_bar_draws_on_its_stream_and_ends_at_100_percent():
    import io

    from microsolidarity.matching.progress import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar("form_crews", stream=stream, delay=0.0)
    bar(0.5)
    bar.finish()
    assert "form_crews [" in stream.getvalue()
    assert "100%" in stream.getvalue()
