"""The proven optimum for small crews problems (N up to about 30) with OR-Tools CP-SAT.

Same objective and hard rules as the local search, so it serves as the exact
reference in the benchmarks. OR-Tools is imported only when this runs, so the
engine works without it.
"""

from __future__ import annotations

import numpy as np

from .model import CrewRules
from .profiles import Profiles

SCALE = 1000


def _maximal_patterns(bits: np.ndarray, at_least: int) -> list[np.ndarray]:
    """Distinct columns of a people x slots matrix with enough people, dropping dominated ones."""
    columns = {tuple(np.nonzero(col)[0]) for col in bits.T if col.sum() >= at_least}
    sets = sorted((frozenset(c) for c in columns), key=len, reverse=True)
    kept: list[frozenset[int]] = []
    for s in sets:
        if not any(s <= k for k in kept):
            kept.append(s)
    return [np.array(sorted(s), np.int64) for s in kept]


def _unpack(words: np.ndarray) -> np.ndarray:
    return np.unpackbits(words.view(np.uint8), axis=1, bitorder="little").astype(bool)


def solve_exact(
    prof: Profiles,
    rules: CrewRules,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    optional: np.ndarray | None = None,
    hint: list[list[int]] | None = None,
    coverage_only: bool = False,
    work: float | None = None,
) -> tuple[list[list[int]], bool] | None:
    """Crews (lists of row indexes) placing everyone, and whether optimality was proven.

    With `optional` (a boolean per row), those rows may stay out, and placing one
    more of them always outweighs any gain in similarity (coverage first); the
    others must all be placed. `hint` is a plan to start from (crews of rows).
    None when OR-Tools is missing, the instance is too large, or no plan places
    every row that must be placed. `coverage_only` drops the similarity terms: the
    model then only places as many optional rows as it can, which it proves fast.
    `work` bounds the search by CP-SAT's deterministic time instead, on one worker, so
    the answer is the same on a busy machine as on a quiet one (`time_limit` still caps
    the wall time).
    """
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return None
    n = prof.n
    if n == 0 or n > (60 if coverage_only else 40):
        return None
    low, high = rules.min_size, rules.max_size
    slots = n // low
    if slots == 0:
        return None
    model = cp_model.CpModel()
    # Person p may sit in slot c only if c <= p (symmetry breaking): x[p] maps those slots.
    x = [{c: model.new_bool_var(f"x{p}_{c}") for c in range(min(p + 1, slots))} for p in range(n)]

    def var(p: int, c: int):
        return x[p].get(c, 0)

    used = [model.new_bool_var(f"used{c}") for c in range(slots)]
    for p in range(n):
        row = list(x[p].values())
        if optional is not None and optional[p]:
            model.add_at_most_one(row)
        else:
            model.add_exactly_one(row)
    for c in range(slots):
        size = sum(var(p, c) for p in range(n))
        model.add(size >= low * used[c])
        model.add(size <= high * used[c])
        if c + 1 < slots:
            model.add(used[c] >= used[c + 1])
    for p in range(n):
        for q in prof.forbid[p].tolist():
            if q > p:
                for c in range(slots):
                    model.add(var(p, c) + var(q, c) <= 1)
        for q in prof.together[p]:
            if q > p:
                for c in range(slots):
                    model.add(var(p, c) == var(q, c))
    for words in (prof.avail, prof.lang):
        patterns = _maximal_patterns(_unpack(words), low)
        for c in range(slots):
            chosen = [model.new_bool_var(f"t{c}_{i}") for i in range(len(patterns))]
            model.add(sum(chosen) >= 1).only_enforce_if(used[c])
            for pattern, flag in zip(patterns, chosen, strict=True):
                outside = np.setdiff1d(np.arange(n), pattern)
                for p in outside.tolist():
                    if c in x[p]:
                        model.add_implication(flag, x[p][c].Not())
    sim = (prof.vectors * prof.signs) @ prof.vectors.T + prof.offset
    objective = []
    bound = SCALE * 2 * int(np.abs(sim).max() + 1) * n * n
    for c in range(0 if coverage_only else slots):
        terms = []
        for p in range(c, n):
            for q in range(p + 1, n):
                if c not in x[q]:
                    continue
                y = model.new_bool_var(f"y{p}_{q}_{c}")
                model.add_bool_and([x[p][c], x[q][c]]).only_enforce_if(y)
                model.add_bool_or([x[p][c].Not(), x[q][c].Not()]).only_enforce_if(y.Not())
                terms.append(round(sim[p, q] * SCALE) * y)
        w = model.new_int_var(-bound, bound, f"w{c}")
        model.add(w == sum(terms))
        value = model.new_int_var(-bound, bound, f"v{c}")
        model.add(value == 0).only_enforce_if(used[c].Not())
        sizes = []
        for s in range(low, high + 1):
            z = model.new_bool_var(f"z{c}_{s}")
            sizes.append((s, z))
            model.add((s - 1) * value <= 2 * w).only_enforce_if(z)
        model.add(sum(z for _, z in sizes) == used[c])
        model.add(sum(s * z for s, z in sizes) == sum(var(p, c) for p in range(n)))
        objective.append(value)
    if optional is not None and optional.any():
        # One more person placed beats any plan placing fewer, whatever its similarity.
        weight = 1 if coverage_only else bound + 1
        placed = [v for p in np.nonzero(optional)[0].tolist() for v in x[p].values()]
        objective.append(weight * sum(placed))
    model.maximize(sum(objective))
    if hint:
        # Slot c holds the c-th crew by lowest row, which the symmetry breaking allows.
        start = {p: c for c, crew in enumerate(sorted(hint, key=min)) for p in crew}
        for p in range(n):
            for c, v in x[p].items():
                model.add_hint(v, start.get(p) == c)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    if work is not None:
        solver.parameters.max_deterministic_time = work
        solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    crews = []
    for c in range(slots):
        members = [p for p in range(n) if c in x[p] and solver.value(x[p][c])]
        if members:
            crews.append(members)
    return crews, status == cp_model.OPTIMAL
