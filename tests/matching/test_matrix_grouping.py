"""MDGPLIB matrices: read, group within the bounds, report the objective."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from microsolidarity.matching import group_matrix, read_mdgplib
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
