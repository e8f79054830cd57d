"""The next round of pairs (dyads): nobody meets twice, every pair shares time and a language.

One round is a maximum-weight matching on the graph of allowed pairs. Small
groups are solved exactly with OR-Tools CP-SAT when it is installed; large ones
(up to 100,000 people) use each person's nearest neighbours as candidates, a
greedy matching by weight, then augmenting steps that pair up who is left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .crews import _blocking_points, _neighbours, _Units
from .model import CrewRules, Person
from .profiles import Profiles, build_profiles

EXACT_LIMIT = 120


@dataclass(frozen=True, slots=True)
class PairRound:
    pairs: tuple[tuple[str, str], ...]
    unpaired: tuple[str, ...]
    weight: float
    exact: bool


def _candidate_edges(prof: Profiles, seed: int) -> tuple[np.ndarray, np.ndarray]:
    n = prof.n
    if n <= 2500:
        rows, cols = np.triu_indices(n, 1)
    else:
        units = _Units(prof, [[i] for i in range(n)])
        points = _blocking_points(prof, units)
        near = _neighbours(points, np.random.default_rng(seed), k=10, trees=2, descents=0)
        rows = np.repeat(np.arange(n), near.shape[1])
        cols = near.ravel()
        keep = rows != cols
        rows, cols = np.minimum(rows, cols)[keep], np.maximum(rows, cols)[keep]
        packed = np.unique(rows * n + cols)
        rows, cols = packed // n, packed % n
    ok = (prof.avail[rows] & prof.avail[cols]).any(axis=1)
    ok &= (prof.lang[rows] & prof.lang[cols]).any(axis=1)
    rows, cols = rows[ok], cols[ok]
    banned = {(min(i, int(j)), max(i, int(j))) for i in range(n) for j in prof.forbid[i]}
    if banned:
        keep = np.array(
            [(int(a), int(b)) not in banned for a, b in zip(rows, cols, strict=True)], bool
        )
        rows, cols = rows[keep], cols[keep]
    return rows, cols


def _weights(prof: Profiles, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    out = np.empty(len(rows))
    signed = prof.vectors * prof.signs
    for lo in range(0, len(rows), 200_000):
        r, c = rows[lo : lo + 200_000], cols[lo : lo + 200_000]
        out[lo : lo + 200_000] = np.einsum("ij,ij->i", signed[r], prof.vectors[c]) + prof.offset
    return out


def _greedy(n: int, rows, cols, weights) -> np.ndarray:
    mate = np.full(n, -1, np.int64)
    for e in np.argsort(-weights, kind="stable"):
        a, b = rows[e], cols[e]
        if mate[a] < 0 and mate[b] < 0:
            mate[a], mate[b] = b, a
    adjacency: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(rows.tolist(), cols.tolist(), strict=True):
        adjacency[a].append(b)
        adjacency[b].append(a)
    # Augment along paths of length three: u - v = w - x with u and x unpaired.
    for u in np.nonzero(mate < 0)[0].tolist():
        if mate[u] >= 0:
            continue
        for v in adjacency[u]:
            if mate[v] < 0:
                mate[u], mate[v] = v, u
                break
            w = int(mate[v])
            x = next((x for x in adjacency[w] if mate[x] < 0 and x != u), None)
            if x is not None:
                mate[u], mate[v] = v, u
                mate[w], mate[x] = x, w
                break
    return mate


def _exact(n: int, rows, cols, weights) -> np.ndarray | None:
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return None
    model = cp_model.CpModel()
    take = [model.new_bool_var(f"e{e}") for e in range(len(rows))]
    touching: list[list[int]] = [[] for _ in range(n)]
    for e, (a, b) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        touching[a].append(e)
        touching[b].append(e)
    for edges in touching:
        if edges:
            model.add_at_most_one(take[e] for e in edges)
    big = 10_000
    model.maximize(sum(take[e] * (big + round(weights[e] * 1000)) for e in range(len(rows))))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 10.0
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    mate = np.full(n, -1, np.int64)
    for e in range(len(rows)):
        if solver.value(take[e]):
            mate[rows[e]], mate[cols[e]] = cols[e], rows[e]
    return mate


def next_pairs(
    people: Sequence[Person], rules: CrewRules | None = None, *, seed: int = 0, exact: bool = True
) -> PairRound:
    """Pairs for one round; `rules.history` holds earlier pairs (or crews) not to meet again."""
    rules = rules or CrewRules(min_size=2, max_size=2)
    people = list(people)
    prof = build_profiles(people, rules)
    n = prof.n
    rows, cols = _candidate_edges(prof, seed)
    weights = _weights(prof, rows, cols)
    mate = None
    solved_exactly = False
    if exact and n <= EXACT_LIMIT and len(rows):
        mate = _exact(n, rows, cols, weights)
        solved_exactly = mate is not None
    if mate is None:
        mate = _greedy(n, rows, cols, weights)
    pairs = []
    total = 0.0
    for a in range(n):
        b = int(mate[a])
        if b > a:
            pairs.append((prof.ids[a], prof.ids[b]))
            total += prof.similarity(a, b)
    unpaired = tuple(prof.ids[a] for a in range(n) if mate[a] < 0)
    return PairRound(tuple(pairs), unpaired, total, solved_exactly)
