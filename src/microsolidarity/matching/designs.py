"""Resolvable designs with a cyclic automorphism or a group of translations, found at
run time from a small base.

The people are Z_n x k columns plus f fixed points (infinity). A plan is made of
base rounds developed under Z_n (adding t to every finite point gives round t) and
of rounds that Z_n maps to themselves. Two pairs that Z_n maps onto each other
meet in the same number of rounds, so "no pair meets twice" becomes "every pair
orbit is used at most once by the base", a search over a few dozen points instead
of the whole plan. This is how design theorists find such designs (difference
families; see Colbourn and Dinitz, Handbook of Combinatorial Designs, 2nd ed.,
VII.6 and the 1-rotational constructions of Buratti): KTS(21), the nearly Kirkman
system NKTS(18) and the resolvable 2-(28, 4, 1) design have such a base. The
10-round plan for 32 people in groups of 4 does not come out of Z_n in reasonable
time; it has a base under the translations of GF(2)^3 instead (TranslationSpec).
"""

from __future__ import annotations

import itertools
import time as _time
from dataclasses import dataclass


@dataclass(frozen=True)
class CyclicSpec:
    """The shape of a design: points Z_n x `columns` plus `fixed` points at infinity.

    `developed` base rounds each give `period` rounds (shifts 0 .. period-1; a base
    with period < n is one that the shift by `period` maps to itself). `transversal`
    rounds are orbits of one group holding a point of every column (so `columns` must
    equal the group size); `column_round` adds the round whose groups are the columns
    (n must equal the size). `rotate_columns` and `multiplier` narrow the search to bases
    that the map (x, c) -> (multiplier * x, c + 1 or c) sends to themselves (a larger
    automorphism group, so a smaller search).
    """

    groups: int
    size: int
    n: int
    columns: int
    fixed: int = 0
    developed: int = 1
    period: int = 0
    transversal: int = 0
    column_round: bool = False
    rotate_columns: bool = False
    multiplier: int = 1

    @property
    def steps(self) -> int:
        return self.period or self.n

    @property
    def rounds(self) -> int:
        return self.developed * self.steps + self.transversal + int(self.column_round)


# Shapes that hold the most rounds known (OEIS A107431) for g groups of s, found by
# trying shapes: the cyclic group, the columns and the extra automorphism decide how
# small the search is (the multiplier and column rotation make 7 x 4 instant).
CYCLIC_SPECS: dict[tuple[int, int], tuple[CyclicSpec, ...]] = {
    # NKTS(18): two base rounds over Z_4, the uncovered pairs are the short orbits.
    (6, 3): (CyclicSpec(6, 3, n=4, columns=4, fixed=2, developed=2),),
    (6, 4): (CyclicSpec(6, 4, n=7, columns=3, fixed=3),),
    (6, 5): (CyclicSpec(6, 5, n=6, columns=5, rotate_columns=True),),
    # KTS(21): one base round over Z_7 and three transversal rounds.
    (7, 3): (CyclicSpec(7, 3, n=7, columns=3, transversal=3, multiplier=2),),
    # The resolvable 2-(28, 4, 1) design, 1-rotational over Z_9 x 3 columns.
    (7, 4): (CyclicSpec(7, 4, n=9, columns=3, fixed=1, multiplier=2, rotate_columns=True),),
}


def cyclic_specs(groups: int, size: int) -> tuple[CyclicSpec, ...]:
    return CYCLIC_SPECS.get((groups, size), ())


def _point(spec: CyclicSpec, x: int, c: int) -> int:
    return c * spec.n + x % spec.n


def _shift(spec: CyclicSpec, p: int, t: int) -> int:
    if p >= spec.n * spec.columns:
        return p
    return _point(spec, p % spec.n + t, p // spec.n)


def _automorphism(spec: CyclicSpec, p: int) -> int:
    if p >= spec.n * spec.columns:
        return p
    column = (p // spec.n + int(spec.rotate_columns)) % spec.columns
    return _point(spec, p % spec.n * spec.multiplier, column)


def _pair_orbit(spec: CyclicSpec, p: int, q: int) -> tuple[tuple, int]:
    """The Z_n orbit of the pair {p, q}: a key and how many pairs it holds."""
    n, finite = spec.n, spec.n * spec.columns
    if p > q:
        p, q = q, p
    if p >= finite:
        return ("fixed pair", p, q), 1
    if q >= finite:
        return ("fixed", q - finite, p // n), n
    (cp, xp), (cq, xq) = divmod(p, n), divmod(q, n)
    if cp == cq:
        d = (xq - xp) % n
        d = min(d, n - d)
        return ("pure", cp, d), (n // 2 if 2 * d == n else n)
    return ("mixed", cp, cq, (xq - xp) % n), n


def develop(spec: CyclicSpec, base: list[list[list[int]]], transversals: list[list[int]]):
    """The whole plan from the base rounds and the transversal groups' offsets."""
    n = spec.n
    rounds = []
    for groups in base:
        for t in range(spec.steps):
            rounds.append([tuple(sorted(_shift(spec, p, t) for p in g)) for g in groups])
    for offsets in transversals:
        rounds.append(
            [tuple(sorted(_point(spec, x + t, c) for c, x in enumerate(offsets))) for t in range(n)]
        )
    if spec.column_round:
        rounds.append([tuple(range(c * n, (c + 1) * n)) for c in range(spec.columns)])
    return rounds


def _luby(i: int) -> int:
    """The i-th term (from 1) of the Luby sequence 1 1 2 1 1 2 4 1 1 2 ..."""
    k = 1
    while (1 << k) - 1 < i:
        k += 1
    if i == (1 << k) - 1:
        return 1 << (k - 1)
    return _luby(i - (1 << (k - 1)) + 1)


def _solve(model, *, time_limit: float, seed: int, unit: float = 0.5, deterministic: bool = False):
    """Solve `model` with restarts; the solver holding a solution, or None.

    Search times vary a lot with the seed (a heavy tail), so restart with fresh seeds
    and growing limits (a Luby sequence of `unit`) until `time_limit` seconds are up.
    With `deterministic`, the limits are CP-SAT's deterministic time, so the same seed
    gives the same answer however busy the machine (until the wall-clock limit).
    """
    from ortools.sat.python import cp_model

    deadline = _time.monotonic() + time_limit
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    for attempt in itertools.count():
        left = deadline - _time.monotonic()
        if left <= 0.05:
            return None
        limit = unit * _luby(attempt + 1)
        if deterministic:
            solver.parameters.max_time_in_seconds = left
            solver.parameters.max_deterministic_time = limit
        else:
            solver.parameters.max_time_in_seconds = min(left, limit)
        solver.parameters.random_seed = seed + attempt
        status = solver.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return solver
        if status == cp_model.INFEASIBLE:
            return None


def cyclic_design(spec: CyclicSpec, *, time_limit: float, seed: int = 0):
    """Search the base of `spec` with CP-SAT; the developed plan, or None (also without OR-Tools).

    A pair orbit of size |O| used by b pairs of a base is met b * steps / |O| times per
    pair, and once by a transversal round: the sum must stay at most 1 for every orbit.
    """
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return None
    n, k, s, g = spec.n, spec.columns, spec.size, spec.groups
    finite = n * k
    m = finite + spec.fixed
    if m != g * s or n % spec.steps:
        raise ValueError(f"{spec} does not describe {g} groups of {s}")
    model = cp_model.CpModel()
    # orbit -> (size, [(coefficient, variable)]); the column round meets every pure pair.
    uses: dict[tuple, tuple[int, list]] = {}
    taken = {("pure", c, d) for c in range(k) for d in range(n)} if spec.column_round else set()

    base_vars = []
    for j in range(spec.developed):
        # z[p, q]: p and q share a group of base round j. Groups are the classes of an
        # equivalence with classes of size s, so no group labels (and no symmetry).
        z: dict[tuple[int, int], cp_model.IntVar] = {}
        for p, q in itertools.combinations(range(m), 2):
            orbit, size = _pair_orbit(spec, p, q)
            if size < spec.steps or orbit in taken:
                continue
            z[p, q] = z[q, p] = model.new_bool_var(f"z{j}_{p}_{q}")
            uses.setdefault(orbit, (size, []))[1].append((spec.steps, z[p, q]))
        for p in range(m):
            model.add(sum(z[p, q] for q in range(m) if (p, q) in z) == s - 1)
        for triangle in itertools.combinations(range(m), 3):
            for a, b, c in ((0, 1, 2), (0, 2, 1), (1, 2, 0)):
                p, q, r = triangle[a], triangle[b], triangle[c]
                # p with q and r puts q with r (or is impossible when q, r may not meet).
                if (p, q) in z and (p, r) in z:
                    third = [z[q, r]] if (q, r) in z else []
                    model.add_bool_or([z[p, q].Not(), z[p, r].Not(), *third])
        for (p, q), var in z.items():
            if p > q:
                continue
            if spec.steps < n:
                model.add(var == z[_shift(spec, p, spec.steps), _shift(spec, q, spec.steps)])
            if spec.rotate_columns or spec.multiplier != 1:
                model.add(var == z[_automorphism(spec, p), _automorphism(spec, q)])
        if j == 0 and spec.fixed:
            # Shifting one column (all of it by the same amount) maps pair orbits onto pair
            # orbits, so the first fixed point may meet (0, c) in any column c it meets: in
            # the only column, or in all of them when it meets s - 1 = k people (one per
            # column, as every pair orbit with it has size n).
            met = range(k) if s - 1 == k else [0] if k == 1 else []
            for c in met:
                model.add(z[finite, _point(spec, 0, c)] == 1)
        base_vars.append(z)

    trans_vars = []
    for t in range(spec.transversal):
        u = [[model.new_bool_var(f"u{t}_{c}_{x}") for x in range(n)] for c in range(k)]
        for c in range(k):
            model.add_exactly_one(u[c])
        model.add(u[0][0] == 1)
        for c, e in itertools.combinations(range(k), 2):
            for d in range(n):
                w = model.new_bool_var(f"w{t}_{c}_{e}_{d}")
                for x in range(n):
                    model.add_bool_or([u[c][x].Not(), u[e][(x + d) % n].Not(), w])
                uses.setdefault(("mixed", c, e, d), (n, []))[1].append((n, w))
        trans_vars.append(u)

    # When the bases need every orbit to the full, say so: it propagates much better.
    demand = (
        spec.developed * g * s * (s - 1) // 2 * spec.steps + spec.transversal * n * s * (s - 1) // 2
    )
    exact = demand == sum(size for size, _ in uses.values())
    for size, terms in uses.values():
        total = sum(coefficient * var for coefficient, var in terms)
        if exact:
            model.add(total == size)
        else:
            model.add(total <= size)
    solver = _solve(model, time_limit=time_limit, seed=seed)
    if solver is None:
        return None
    base = [_groups_of(solver, z, m) for z in base_vars]
    transversals = [
        [next(x for x in range(n) if solver.value(u[c][x])) for c in range(k)] for u in trans_vars
    ]
    return develop(spec, base, transversals)


@dataclass(frozen=True)
class TranslationSpec:
    """A plan invariant under the translations of GF(2)^dimension, found at run time.

    The people are GF(2)^dimension x `columns` (a vector x, XOR as addition, and a
    column c); translating by t maps (x, c) to (x + t, c). Base round j is mapped to
    itself by the translations in the span of `stabilizers[j]` and gives one round per
    coset of that subgroup. The pairs {(x, c), (x + unmet, c)} never meet: one round
    short of everyone meeting everyone once, the pairs left over are a perfect matching,
    so the plan is a resolvable group divisible design with groups of 2 (a 4-RGDD of
    type 2^16 for 8 groups of 4), and the matching is made a translation class here.
    `hyperplanes` adds the round whose groups in column c are the cosets of the
    hyperplane {x : f_c . x = 0} (f_c the c-th functional; none may contain `unmet`).
    The first `transversal` base rounds (stabilised by everything) have one person per
    column in every group; translating the columns one by one makes the first of them
    {(x, 0), (x, 1), ...} for every x, which the search assumes.
    """

    groups: int
    size: int
    dimension: int
    columns: int
    unmet: int
    stabilizers: tuple[tuple[int, ...], ...]
    hyperplanes: tuple[int, ...] = ()
    transversal: int = 0

    @property
    def order(self) -> int:
        return 1 << self.dimension

    @property
    def rounds(self) -> int:
        developed = sum(self.order // len(_span(gens)) for gens in self.stabilizers)
        return developed + int(bool(self.hyperplanes))


def _span(generators: tuple[int, ...]) -> list[int]:
    """The subgroup of GF(2)^d spanned by `generators` (vectors as bit masks)."""
    span = {0}
    for g in generators:
        span |= {x ^ g for x in span}
    return sorted(span)


def _dot(f: int, x: int) -> int:
    return (f & x).bit_count() & 1


# The shape was read off the automorphisms of a published 10-round plan for 32 people
# in groups of 4 (Aguado found the first in 2004; the plan taken apart is the one on
# the Wolfram Demonstrations page "Social Golfer Problem", copied in the
# fpvandoorn/Dagstuhl-tables repository, literature.md): of its 48 automorphisms, the
# 8 that keep its rounds form Z_2^3, acting without fixed points in four orbits of 8. Four
# rounds are fixed by every translation (two have one person per column in every group,
# one splits each column along a different hyperplane avoiding the unmet difference)
# and three pairs of rounds by subgroups of order 4 holding the unmet difference.
# With that shape CP-SAT finds a base in about half a second (without the column round
# and the transversal given, it takes 10 to 60 s).
TRANSLATION_SPECS: dict[tuple[int, int], tuple[TranslationSpec, ...]] = {
    (8, 4): (
        TranslationSpec(
            8,
            4,
            dimension=3,
            columns=4,
            unmet=4,
            stabilizers=((1, 2, 4),) * 3 + ((1, 4),) * 2 + ((2, 4),),
            hyperplanes=(4, 5, 7, 6),
            transversal=2,
        ),
    ),
}


def translation_specs(groups: int, size: int) -> tuple[TranslationSpec, ...]:
    return TRANSLATION_SPECS.get((groups, size), ())


def _translate(spec: TranslationSpec, p: int, t: int) -> int:
    column, x = divmod(p, spec.order)
    return column * spec.order + (x ^ t)


def _translation_orbit(spec: TranslationSpec, p: int, q: int) -> tuple[tuple, int]:
    """The orbit of the pair {p, q} under the translations: a key and how many pairs."""
    (cp, xp), (cq, xq) = divmod(min(p, q), spec.order), divmod(max(p, q), spec.order)
    if cp == cq:
        return ("pure", cp, xp ^ xq), spec.order // 2
    return ("mixed", cp, cq, xp ^ xq), spec.order


def develop_translations(spec: TranslationSpec, base: list[list[list[int]]]):
    """The whole plan: each base round's translates by its stabiliser's cosets, then the
    column round."""
    rounds = []
    for groups, generators in zip(base, spec.stabilizers, strict=True):
        stabilizer = _span(generators)
        cosets = sorted({min(t ^ k for k in stabilizer) for t in range(spec.order)})
        for t in cosets:
            rounds.append([tuple(sorted(_translate(spec, p, t) for p in g)) for g in groups])
    if spec.hyperplanes:
        n = spec.order
        rounds.append(
            [
                tuple(c * n + x for x in range(n) if _dot(f, x) == side)
                for c, f in enumerate(spec.hyperplanes)
                for side in (0, 1)
            ]
        )
    return rounds


def translation_design(spec: TranslationSpec, *, time_limit: float, seed: int = 0):
    """Search the base of `spec` with CP-SAT; the developed plan, or None (also without
    OR-Tools or when the shape has no base).

    Every pair orbit but the unmet one must be met exactly once per pair: a base round
    whose stabiliser has order |K| meets each pair of an orbit O (count in the base) *
    (2^dimension / |K|) / |O| times over its translates.
    """
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return None
    n, k, s = spec.order, spec.columns, spec.size
    m = n * k
    if m != spec.groups * s or spec.rounds * (s - 1) != m - 2:
        raise ValueError(f"{spec} does not describe {spec.groups} groups of {s}")
    if any(_dot(f, spec.unmet) == 0 for f in spec.hyperplanes):
        raise ValueError("a hyperplane of the column round holds the unmet difference")
    taken = {
        ("pure", c, d)
        for c, f in enumerate(spec.hyperplanes)
        for d in range(1, n)
        if not _dot(f, d)
    }
    model = cp_model.CpModel()
    uses: dict[tuple, tuple[int, list]] = {}
    base_vars = []
    for j, generators in enumerate(spec.stabilizers):
        stabilizer = _span(generators)
        copies = n // len(stabilizer)
        # One variable per orbit of pairs under the stabiliser: a round it maps to itself
        # puts p with q exactly when it puts p + t with q + t.
        z: dict[tuple[int, int], cp_model.IntVar] = {}
        for p, q in itertools.combinations(range(m), 2):
            orbit, size = _translation_orbit(spec, p, q)
            if orbit in taken or orbit == ("pure", p // n, spec.unmet):
                continue
            if (p, q) not in z:
                var = model.new_bool_var(f"z{j}_{p}_{q}")
                for t in stabilizer:
                    a, b = _translate(spec, p, t), _translate(spec, q, t)
                    z[a, b] = z[b, a] = var
            uses.setdefault(orbit, (size, []))[1].append((copies, z[p, q]))
        for p in range(m):
            model.add(sum(z[p, q] for q in range(m) if (p, q) in z) == s - 1)
        # p with q and r puts q with r; translates of a clause are the same clause.
        clauses = set()
        for triangle in itertools.combinations(range(m), 3):
            for a, b, c in ((0, 1, 2), (0, 2, 1), (1, 2, 0)):
                p, q, r = triangle[a], triangle[b], triangle[c]
                if (p, q) in z and (p, r) in z:
                    third = z.get((q, r))
                    key = (
                        frozenset((z[p, q].index, z[p, r].index)),
                        None if third is None else third.index,
                    )
                    if key not in clauses:
                        clauses.add(key)
                        model.add_bool_or(
                            [z[p, q].Not(), z[p, r].Not(), *([third] if third is not None else [])]
                        )
        if j < spec.transversal:
            for (p, q), var in z.items():
                if p // n == q // n:
                    model.add(var == 0)
            if j == 0:
                for c in range(1, k):
                    model.add(z[0, c * n] == 1)
        base_vars.append(z)
    for size, terms in uses.values():
        model.add(sum(coefficient * var for coefficient, var in terms) == size)
    solver = _solve(model, time_limit=time_limit, seed=seed, deterministic=True)
    if solver is None:
        return None
    base = [_groups_of(solver, z, m) for z in base_vars]
    return develop_translations(spec, base)


def _groups_of(solver, z: dict, m: int) -> list[list[int]]:
    """The groups of one base round, read from its solved pair variables."""
    groups, placed = [], set()
    for p in range(m):
        if p not in placed:
            group = [p, *(q for q in range(m) if (p, q) in z and solver.value(z[p, q]))]
            placed.update(group)
            groups.append(group)
    return groups
