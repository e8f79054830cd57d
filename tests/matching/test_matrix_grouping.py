"""MDGPLIB matrices: read, group within the bounds, report the objective."""

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microsolidarity.matching import group_matrix, read_mdgplib
from microsolidarity.matching.cli import main
from microsolidarity.matching.diverse import objective_value
from microsolidarity.matching.mdgplib import MatrixInstance, write_mdgplib


@settings(max_examples=40, deadline=None)
@given(
    st.integers(6, 24),
    st.integers(2, 4),
    st.integers(0, 5),
    st.sampled_from(["diverse", "similar"]),
)
def test_groups_respect_the_bounds_and_the_objective_is_the_sum_within(n, groups, seed, mode):
    rng = np.random.default_rng(seed)
    d = rng.integers(0, 100, (n, n)).astype(float)
    d = np.triu(d, 1)
    d = d + d.T
    low = n // groups
    instance = MatrixInstance(d, (low - 1,) * groups, (low + 2,) * groups, "ds")
    grouping = group_matrix(instance, mode=mode, seed=seed, rounds=3)
    assert sorted(i for g in grouping.groups for i in g) == list(range(n))
    assert all(low - 1 <= len(g) <= low + 2 for g in grouping.groups)
    assert grouping.objective == objective_value(d, grouping.groups)


def test_diverse_beats_similar_on_the_same_matrix(tmp_path):
    rng = np.random.default_rng(1)
    d = np.triu(rng.random((30, 30)), 1)
    instance = MatrixInstance(d + d.T, (10, 10, 10), (10, 10, 10), "ss")
    path = tmp_path / "m.txt"
    write_mdgplib(path, instance)
    again = read_mdgplib(path)
    assert np.allclose(again.matrix, instance.matrix, atol=1e-5)
    high = group_matrix(again, mode="diverse", rounds=5).objective
    low = group_matrix(again, mode="similar", rounds=5).objective
    assert high > low


BENCH = Path(__file__).resolve().parents[2] / "bench" / "mdgplib"


@pytest.mark.parametrize("name", ["RanInt_n012_ss_01.txt", "Geo_n012_ds_01.txt"])
def test_a_real_mdgplib_file_is_read_and_grouped_within_its_bounds(name, tmp_path, capsys):
    path = BENCH / name
    instance = read_mdgplib(path)
    assert instance.n == 12 and len(instance.lower) == 4
    assert np.allclose(instance.matrix, instance.matrix.T)
    out = tmp_path / "groups.csv"
    assert main(["group_matrix", str(path), "--mode", "diverse", "--out", str(out), "--quiet"]) == 0
    printed = float(capsys.readouterr().out.strip().splitlines()[-1].removeprefix("objective="))
    rows = list(csv.DictReader(out.read_text().splitlines()))
    groups: dict[int, list[int]] = {g: [] for g in range(len(instance.lower))}
    for row in rows:
        groups[int(row["group"])].append(int(row["item"]))
    assert sorted(i for g in groups.values() for i in g) == list(range(instance.n))
    for g, members in groups.items():
        assert instance.lower[g] <= len(members) <= instance.upper[g]
    recomputed = objective_value(instance.matrix, [sorted(g) for g in groups.values()])
    assert printed == pytest.approx(recomputed, abs=1e-5)


def test_the_small_mdgplib_files_reach_their_proven_optimum():
    known = {
        row["instance"]: float(row["best_known"])
        for row in csv.DictReader((BENCH / "best_known.csv").read_text().splitlines())
        if row["source"].startswith("proven optimum")
    }
    assert len(known) >= 4
    for name, value in known.items():
        grouping = group_matrix(read_mdgplib(BENCH / f"{name}.txt"), mode="diverse", seed=0)
        assert grouping.objective == pytest.approx(value, abs=1e-3), name
