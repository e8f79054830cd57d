"""Grouping from a matrix: maximally diverse (or most similar) groups with per-group size bounds."""

from __future__ import annotations

import time as _time

import numpy as np

from .mdgplib import MatrixInstance
from .model import Grouping, Mode, Progress
from .search import GroupSearch, MatrixOracle


def group_matrix(
    instance: MatrixInstance,
    *,
    mode: Mode = "diverse",
    seed: int = 0,
    time_limit: float | None = None,
    rounds: int | None = None,
    progress: Progress | None = None,
) -> Grouping:
    """Split items into groups within their bounds; "diverse" maximises the sum within groups,
    "similar" minimises it. The objective reported is always the plain sum within groups."""
    d = instance.matrix if mode == "diverse" else -instance.matrix
    n = instance.n
    lower = np.array(instance.lower, np.int64)
    upper = np.array(instance.upper, np.int64)
    deadline = _time.monotonic() + time_limit if time_limit else None
    search = GroupSearch(
        MatrixOracle(d),
        np.ones(n, np.int64),
        np.zeros(n),
        lower=lower,
        upper=upper,
        objective="sum",
        maximin=False,
        seed=seed,
        deadline=deadline,
        tick=(lambda: progress(_fraction(deadline, time_limit))) if progress and deadline else None,
    )
    order = search.rng.permutation(n)
    sizes = lower.copy()
    spare = n - int(sizes.sum())
    for g in search.rng.permutation(len(sizes)):
        extra = min(spare, int(upper[g] - sizes[g]))
        sizes[g] += extra
        spare -= extra
    start = 0
    for g, size in enumerate(sizes):
        for item in order[start : start + size]:
            search.assign(int(item), g)
        start += size
    budget = rounds if rounds is not None else (10**9 if deadline else max(5, 20000 // max(n, 1)))
    search.iterate(budget, strength=max(2, n // 10))
    groups = tuple(tuple(sorted(int(u) for u in members)) for members in search.members)
    if progress is not None:
        progress(1.0)
    return Grouping(groups, objective_value(instance.matrix, groups), "iterated local search")


def objective_value(matrix: np.ndarray, groups) -> float:
    return float(sum(matrix[np.ix_(g, g)].sum() / 2 for g in groups if len(g)))


def _fraction(deadline: float | None, limit: float | None) -> float:
    if deadline is None or not limit:
        return 0.0
    return min(0.99, 1 - (deadline - _time.monotonic()) / limit)
