"""Rotations where nobody meets the same person twice: the social golfer problem.

Known constructions first (round robin for pairs, affine planes for q*q people
in groups of q, the block construction of the notes for g groups of s when g's
smallest prime factor is at least s), then designs with a cyclic automorphism
or a group of translations whose small base is searched at run time (designs.py; 10
rounds for 8 groups of 4 this way); local search (tabu, after Dotu and Van
Hentenryck 2005) when the constructions fall short of the rounds asked. People
who do not fill a whole group join groups as an extra member, never repeating a
pair. Every plan is checked before it is returned.
"""

from __future__ import annotations

import itertools
import time as _time
from collections.abc import Sequence

import numpy as np

from .designs import (
    CyclicSpec,
    TranslationSpec,
    cyclic_design,
    cyclic_specs,
    translation_design,
    translation_specs,
)
from .model import Progress, RotationPlan

# OEIS A107431 and the notes: most rounds possible for g groups of s (g, s) -> rounds.
KNOWN_BEST: dict[tuple[int, int], int] = {
    (2, 2): 3,
    (3, 2): 5,
    (3, 3): 4,
    (4, 2): 7,
    (4, 3): 4,
    (4, 4): 5,
    (5, 2): 9,
    (5, 3): 7,
    (5, 4): 5,
    (5, 5): 6,
    (6, 2): 11,
    (6, 3): 8,
    (6, 4): 7,
    (6, 5): 6,
    (6, 6): 3,
    (7, 2): 13,
    (7, 3): 10,
    (7, 4): 9,
    (7, 5): 7,
    (8, 4): 10,
}

_IRREDUCIBLE = {4: (2, (1, 1)), 8: (2, (1, 1, 0)), 9: (3, (1, 0)), 16: (2, (1, 1, 0, 0))}


def counting_bound(people: int, size: int) -> int:
    """Each round brings everyone at least size-1 new people: at most (n-1) // (size-1) rounds."""
    if people <= size:
        return 1
    return (people - 1) // (size - 1)


def known_best(people: int, size: int) -> int | None:
    if people % size:
        return None
    groups = people // size
    if groups < size and groups >= 1:
        return 1 if groups > 1 else None
    return KNOWN_BEST.get((groups, size))


def pairs_met(rounds: Sequence[Sequence[Sequence[int]]]) -> list[tuple[int, int]]:
    """Every pair that meets more than once (empty for a valid plan)."""
    seen: set[tuple[int, int]] = set()
    repeats: list[tuple[int, int]] = []
    for groups in rounds:
        for group in groups:
            for a, b in itertools.combinations(sorted(group), 2):
                if (a, b) in seen:
                    repeats.append((a, b))
                seen.add((a, b))
    return repeats


def round_robin(people: int) -> list[list[tuple[int, ...]]]:
    """The circle method: n-1 rounds of pairs for even n (one person rests each round for odd n)."""
    n = people + (people % 2)
    ring = list(range(n))
    rounds = []
    for _ in range(n - 1):
        pairs = [(ring[i], ring[n - 1 - i]) for i in range(n // 2)]
        rounds.append([tuple(sorted(p)) for p in pairs if max(p) < people])
        ring = [ring[0], ring[-1], *ring[1:-1]]
    return rounds


def _field(q: int):
    """Addition and multiplication tables of GF(q) for q a prime or one of 4, 8, 9, 16."""
    if all(q % d for d in range(2, q)):
        elems = range(q)
        add = [[(a + b) % q for b in elems] for a in elems]
        mul = [[(a * b) % q for b in elems] for a in elems]
        return add, mul
    p, low = _IRREDUCIBLE[q]
    k = len(low)

    def digits(x: int) -> list[int]:
        return [(x // p**i) % p for i in range(k)]

    def number(ds: list[int]) -> int:
        return sum(d * p**i for i, d in enumerate(ds))

    def times(a: int, b: int) -> int:
        prod = [0] * (2 * k)
        for i, x in enumerate(digits(a)):
            for j, y in enumerate(digits(b)):
                prod[i + j] = (prod[i + j] + x * y) % p
        # x^k = -(low polynomial): reduce from the top.
        for top in range(2 * k - 1, k - 1, -1):
            c = prod[top]
            if c:
                prod[top] = 0
                for i, coeff in enumerate(low):
                    prod[top - k + i] = (prod[top - k + i] - c * coeff) % p
        return number(prod[:k])

    add = [
        [number([(x + y) % p for x, y in zip(digits(a), digits(b), strict=True)]) for b in range(q)]
        for a in range(q)
    ]
    mul = [[times(a, b) for b in range(q)] for a in range(q)]
    return add, mul


def affine_plane(q: int) -> list[list[tuple[int, ...]]]:
    """q+1 rounds of q groups of q for q*q people (q a prime, 4, 8, 9 or 16)."""
    add, mul = _field(q)
    rounds = []
    for slope in range(q):
        groups = []
        for intercept in range(q):
            groups.append(tuple(sorted(x * q + add[mul[slope][x]][intercept] for x in range(q))))
        rounds.append(groups)
    rounds.append([tuple(x * q + y for y in range(q)) for x in range(q)])
    return rounds


def block_construction(groups: int, size: int) -> list[list[tuple[int, ...]]]:
    """`groups` rounds: group t of round h takes person (t + i*h) mod g from each block i.

    Valid when the smallest prime factor of g is at least `size`.
    """
    rounds = []
    for h in range(groups):
        rounds.append(
            [
                tuple(sorted(i * groups + (t + i * h) % groups for i in range(size)))
                for t in range(groups)
            ]
        )
    return rounds


def transversal_construction(groups: int, size: int) -> list[list[tuple[int, ...]]]:
    """q rounds for q groups of s (q a prime power, s <= q), plus rounds inside the columns.

    Column i holds people i*q .. i*q + q-1, read as the elements of GF(q); group t of
    round h takes t + h*i from column i (a resolvable transversal design: two people
    in different columns fix h and t). When s divides q, any plan for q/s groups of s
    then runs inside every column at once (8 groups of 4: 8 + 1 rounds; 9 groups of 3:
    9 + 4 rounds, a Kirkman triple system on 27 people).
    """
    q = groups
    add, mul = _field(q)
    rounds = [
        [tuple(i * q + add[t][mul[h][i]] for i in range(size)) for t in range(q)] for h in range(q)
    ]
    if q % size == 0:
        inner = max((plan for _, plan in _constructions(q // size, size)), key=len, default=[])
        for groups_inside in inner:
            rounds.append(
                [tuple(i * q + x for x in group) for group in groups_inside for i in range(size)]
            )
    return rounds


def _prime_power(q: int) -> bool:
    return q in _IRREDUCIBLE or (q > 1 and _smallest_prime_factor(q) == q)


def kirkman_15() -> list[list[tuple[int, ...]]]:
    """Kirkman's fifteen schoolgirls (5 groups of 3, 7 days) from a packing of PG(3, 2).

    The 15 points are the non-zero vectors of GF(2)^4 and the lines are the triples
    {a, b, a xor b}. Seven line-disjoint spreads (each 5 disjoint lines covering
    every point) are the seven days; a short exact-cover search finds them.
    """
    lines = sorted(
        {tuple(sorted((a, b, a ^ b))) for a in range(1, 16) for b in range(1, 16) if a != b}
    )
    spreads = []

    def grow(chosen: list[tuple[int, ...]], used: int) -> None:
        if len(chosen) == 5:
            spreads.append(tuple(chosen))
            return
        point = next(p for p in range(1, 16) if not used >> p & 1)
        for line in lines:
            if point in line and not any(used >> p & 1 for p in line):
                grow([*chosen, line], used | sum(1 << p for p in line))

    grow([], 0)
    spreads = sorted(set(tuple(sorted(s)) for s in spreads))

    def pack(days: list[tuple], covered: set) -> list[tuple] | None:
        if len(days) == 7:
            return days
        first = next(line for line in lines if line not in covered)
        for spread in spreads:
            if first in spread and not covered.intersection(spread):
                found = pack([*days, spread], covered | set(spread))
                if found:
                    return found
        return None

    days = pack([], set()) or []
    return [[tuple(p - 1 for p in line) for line in day] for day in days]


def _smallest_prime_factor(m: int) -> int:
    for d in range(2, int(m**0.5) + 1):
        if m % d == 0:
            return d
    return m


def _constructions(groups: int, size: int) -> list[tuple[str, list[list[tuple[int, ...]]]]]:
    found = []
    people = groups * size
    if size == 2:
        found.append(("round robin", round_robin(people)))
    if groups == size and (groups in _IRREDUCIBLE or _smallest_prime_factor(groups) == groups):
        found.append(("affine plane", affine_plane(groups)))
    if groups >= size and _smallest_prime_factor(groups) >= size:
        found.append(("block construction", block_construction(groups, size)))
    if 2 < size <= groups and _prime_power(groups):
        found.append(("transversal design", transversal_construction(groups, size)))
    if (groups, size) == (5, 3):
        found.append(("Kirkman triple system", kirkman_15()))
    if groups < size or groups == 1:
        found.append(
            ("single round", [[tuple(range(i * size, (i + 1) * size)) for i in range(groups)]])
        )
    return found


class _Tabu:
    """Tabu search over w rounds of g groups of s: swap two people in a round to remove repeats."""

    def __init__(self, groups: int, size: int, rounds: int, rng: np.random.Generator):
        self.g, self.s, self.w = groups, size, rounds
        self.m = groups * size
        self.rng = rng
        self.grp = np.zeros((rounds, self.m), np.int64)
        for r in range(rounds):
            self.grp[r] = self.rng.permutation(self.m) // size
        self.grp[0] = np.arange(self.m) // size
        self.meet = np.zeros((self.m, self.m), np.int64)
        for r in range(rounds):
            self._count(r, 1)

    def _count(self, r: int, sign: int) -> None:
        same = self.grp[r][:, None] == self.grp[r][None, :]
        np.fill_diagonal(same, False)
        self.meet += sign * same

    def conflicts(self) -> int:
        return int(np.triu(np.maximum(self.meet - 1, 0)).sum())

    def run(self, max_steps: int, deadline: float | None) -> bool:
        tabu = np.zeros((self.w, self.m, self.m), np.int64)
        cost = self.conflicts()
        best_cost = cost
        stale = 0
        for step in range(1, max_steps + 1):
            if cost == 0:
                return True
            if deadline is not None and step % 64 == 0 and _time.monotonic() > deadline:
                return False
            bad = np.argwhere(np.triu(self.meet) > 1)
            p, x = bad[self.rng.integers(len(bad))]
            rounds = [r for r in range(1, self.w) if self.grp[r][p] == self.grp[r][x]]
            if not rounds:
                rounds = [r for r in range(self.w) if self.grp[r][p] == self.grp[r][x]]
            r = rounds[self.rng.integers(len(rounds))]
            grp = self.grp[r]
            onehot = np.zeros((self.m, self.g), np.int64)
            onehot[np.arange(self.m), grp] = 1
            twice = (self.meet >= 2).astype(np.int64)
            once = (self.meet >= 1).astype(np.int64)
            best_delta, best_move = None, None
            for mover in (p, x):
                a = grp[mover]
                mates = np.nonzero((grp == a) & (np.arange(self.m) != mover))[0]
                remove_p = twice[mover, mates].sum()
                add_q = once[:, mates].sum(axis=1)
                own = (twice @ onehot)[np.arange(self.m), grp]
                to_b = (once[mover] @ onehot)[grp] - once[mover]
                delta = -remove_p + add_q - own + to_b
                delta = delta.astype(np.float64)
                delta[grp == a] = np.inf
                allowed = tabu[r, mover] < step
                aspiration = cost + delta < best_cost
                delta[~(allowed | aspiration)] = np.inf
                delta += self.rng.random(self.m) * 0.01
                q = int(np.argmin(delta))
                if np.isfinite(delta[q]) and (best_delta is None or delta[q] < best_delta):
                    best_delta, best_move = delta[q], (int(mover), q)
            if best_move is None:
                continue
            mover, q = best_move
            self._count(r, -1)
            grp[mover], grp[q] = grp[q], grp[mover]
            self._count(r, 1)
            tenure = 4 + int(self.rng.integers(0, 6))
            tabu[r, mover, q] = tabu[r, q, mover] = step + tenure
            cost = self.conflicts()
            if cost < best_cost:
                best_cost, stale = cost, 0
            else:
                stale += 1
            if stale > 400:
                for _ in range(2):
                    r2 = 1 + int(self.rng.integers(self.w - 1)) if self.w > 1 else 0
                    i, j = self.rng.choice(self.m, 2, replace=False)
                    if self.grp[r2][i] != self.grp[r2][j]:
                        self._count(r2, -1)
                        self.grp[r2][i], self.grp[r2][j] = self.grp[r2][j], self.grp[r2][i]
                        self._count(r2, 1)
                cost = self.conflicts()
                best_cost, stale = cost, 0
        return cost == 0

    def plan(self) -> list[list[tuple[int, ...]]]:
        return [
            [tuple(int(v) for v in np.nonzero(self.grp[r] == t)[0]) for t in range(self.g)]
            for r in range(self.w)
        ]


def _add_extras(rounds, base: int, extras: int, rng: np.random.Generator):
    """People base.. join groups as an extra member, no pair twice; rounds that fail are cut."""
    if extras == 0:
        return rounds
    met: set[tuple[int, int]] = set()
    out = []
    for groups in rounds:
        groups = [list(g) for g in groups]
        for group in groups:
            met.update(itertools.combinations(sorted(group), 2))
        placed = True
        trial_met = set(met)
        for extra in range(base, base + extras):
            options = [
                i
                for i in rng.permutation(len(groups))
                if len(groups[i]) == len(groups[0]) - 0
                and all((min(extra, v), max(extra, v)) not in trial_met for v in groups[i])
                and not any(v >= base for v in groups[i])
            ]
            if not options:
                placed = False
                break
            group = groups[options[0]]
            trial_met.update((min(extra, v), max(extra, v)) for v in group)
            group.append(extra)
        if not placed:
            break
        met = trial_met
        out.append([tuple(sorted(g)) for g in groups])
    return out


def _design_name(spec: CyclicSpec | TranslationSpec) -> str:
    if isinstance(spec, TranslationSpec):
        return "translation design"
    return "1-rotational design" if spec.fixed == 1 else "cyclic design"


def _find_design(spec: CyclicSpec | TranslationSpec, *, time_limit: float, seed: int):
    if isinstance(spec, TranslationSpec):
        return translation_design(spec, time_limit=time_limit, seed=seed)
    return cyclic_design(spec, time_limit=time_limit, seed=seed)


def plan_rounds(
    people: int,
    size: int,
    rounds: int,
    *,
    seed: int = 0,
    time_limit: float | None = None,
    progress: Progress | None = None,
) -> RotationPlan:
    """Up to `rounds` rounds of groups of `size` (and size+1 for the remainder), no pair twice.

    Returns the most rounds found (maybe fewer than asked: compare `found` with `asked`).
    """
    if size < 2:
        raise ValueError("groups need at least 2 people")
    if people < size:
        raise ValueError(f"{people} people cannot fill a group of {size}")
    groups, extras = divmod(people, size)
    if extras > groups:
        raise ValueError(
            f"{people} people do not split into groups of {size} and {size + 1}; "
            f"try groups of {size + 1}"
        )
    rng = np.random.default_rng(seed)
    deadline = _time.monotonic() + time_limit if time_limit else None
    base = groups * size
    bound = counting_bound(people, size)
    target = min(rounds, bound)
    best_method = "none"
    best: list[list[list[int]]] = []
    for method, plan in _constructions(groups, size):
        plan = _add_extras(plan[:target], base, extras, rng)
        if len(plan) > len(best):
            best_method, best = method, plan
    started = _time.monotonic()
    budget = time_limit if time_limit else 10.0
    specs: list[CyclicSpec | TranslationSpec] = [
        *cyclic_specs(groups, size),
        *translation_specs(groups, size),
    ]
    for spec in specs:
        left = started + 0.6 * budget - _time.monotonic()
        if len(best) >= target or spec.rounds <= len(best) or left <= 0:
            continue
        design = _find_design(spec, time_limit=left, seed=seed)
        if design is not None:
            plan = _add_extras(design[:target], base, extras, rng)
            if len(plan) > len(best):
                best_method, best = _design_name(spec), plan
        if progress is not None:
            progress(min(0.5, len(best) / max(1, target) / 2))
    tabu_until = started + budget / 2
    tries = 0
    width = len(best) + 1
    while len(best) < target and groups > 1 and groups >= size:
        if deadline is None and tries >= 3 * target:
            break
        if _time.monotonic() > tabu_until:
            break
        tries += 1
        search = _Tabu(groups, size, width, rng)
        if search.run(20000 if deadline is None else 10**9, tabu_until):
            plan = _add_extras(search.plan(), base, extras, rng)
            if len(plan) > len(best):
                best_method, best = "tabu search", plan
                width = len(best) + 1
        if progress is not None:
            progress(min(0.5, len(best) / max(1, target) / 2))
    remaining = started + budget - _time.monotonic()
    if len(best) < target and groups >= size > 1 and groups * size <= 40 and remaining > 0.5:
        exact = cp_sat_rounds(groups, size, target, time_limit=remaining, seed=seed)
        if exact is not None:
            plan = _add_extras(exact, base, extras, rng)
            if len(plan) > len(best):
                best_method, best = "CP-SAT", plan
    rounds_found = tuple(tuple(tuple(g) for g in r) for r in best[:rounds])
    assert not pairs_met(rounds_found), "a rotation plan repeated a pair"
    if progress is not None:
        progress(1.0)
    return RotationPlan(
        rounds=rounds_found,
        people=people,
        size=size,
        asked=rounds,
        bound=bound,
        method=best_method,
        known_best=known_best(people, size),
    )


def cp_sat_rounds(
    groups: int, size: int, rounds: int, *, time_limit: float, seed: int = 0, workers: int = 1
) -> list[list[tuple[int, ...]]] | None:
    """An exact search for `rounds` rounds with OR-Tools CP-SAT (None if not found in time)."""
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return None
    m = groups * size
    model = cp_model.CpModel()
    x = [
        [[model.new_bool_var(f"x{r}_{p}_{g}") for g in range(groups)] for p in range(m)]
        for r in range(rounds)
    ]
    for r in range(rounds):
        for p in range(m):
            model.add_exactly_one(x[r][p])
        for g in range(groups):
            model.add(sum(x[r][p][g] for p in range(m)) == size)
    # Symmetry: round 0 is fixed, the first `size` people are apart from round 1 on,
    # and person 0's group is group 0 in every round.
    for p in range(m):
        model.add(x[0][p][p // size] == 1)
    for r in range(1, rounds):
        for i in range(min(size, groups)):
            model.add(x[r][i][i] == 1)
    for p, q in itertools.combinations(range(m), 2):
        together = []
        for r in range(rounds):
            z = model.new_bool_var(f"z{r}_{p}_{q}")
            for g in range(groups):
                model.add_bool_or([x[r][p][g].Not(), x[r][q][g].Not(), z])
            together.append(z)
        model.add_at_most_one(together)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [
        [tuple(p for p in range(m) if solver.value(x[r][p][g])) for g in range(groups)]
        for r in range(rounds)
    ]
