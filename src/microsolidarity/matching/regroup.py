"""Several crews pooled and formed again exactly: a large-neighbourhood search after the polish.

Moves, swaps and the splits of two or three crews (resplit.py) stop where lifting a crew
needs four or five crews rearranged at once: with narrow windows each person's best
crew-mates sit in crews that share no hour with the others around them. Here a crew is
pooled with the crews that hold its members' best possible crew-mates (and the crews
around those), every crew the pool's members could form is listed (the sizes, the shared
time and language, the pairs who must stay apart, all exact), and the best partition of
the pool into such crews is solved as a set partitioning problem: each member in exactly
one crew, the sum of the per-person scores as the objective. Branch and bound solves the
many small pools; OR-Tools CP-SAT (when installed) takes over on the worst crew's large
pools when branch and bound reaches its node limit. Crews below a floor are left out of
the list, so the worst crew never falls (and, for the worst crew's pool, must rise).

The work is bounded by counts, never by the clock: at most `MAX_COLUMNS` crews listed per
pool, node limits and CP-SAT's deterministic time, and a budget of listed crews proportional
to the number of people, so the same input and seed give the same plan and the stage
scales with the congregation.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass

import numpy as np

from .search import EPS, GroupSearch

MAX_POOL_UNITS = 26
MAX_POOL_CREWS = 7
# Each unit's best possible crew-mates followed from ring to ring of a pool.
PARTNERS = 3
# The worst crew's pools (units, crews, crew-mates followed per unit), smallest first:
# lifting it can need a chain of many crews, or more than each one's three best mates.
LIFT_POOLS = ((26, 7, 3), (50, 14, 3), (90, 28, 3), (60, 20, 8))
# Deterministic seconds (CP-SAT's own measure of work, the same on every machine) per pool.
EXACT_WORK = 1.0
SCALE = 1_000_000
MAX_LIFTS = 60
# A lift must raise the worst crew's score by at least this much.
LIFT_STEP = 1e-6
# Crews listed per pool: above this the pool's members share too much time for a list of
# every possible crew (wide windows, no time rule), and the pool is made smaller.
MAX_COLUMNS = 6000
# Branch-and-bound nodes per pool: the search stops there with the best partition found.
SOLVER_NODES = 20_000
# Listed crews over the whole pass, per unit: about 2 s of listing at 2,000 people.
COLUMNS_PER_UNIT = 400
# Of the total, what the max-min pass may give up to lift the worst crews: one lift at
# most LIFT_STEP_SHARE, the whole pass LIFT_SHARE. Nobody's crew should be much worse
# than everyone else's, and the pools found before it raised the total by far more.
LIFT_STEP_SHARE = 0.01
LIFT_SHARE = 0.02


@dataclass(frozen=True, slots=True)
class _Column:
    members: int  # bit i = the pool's i-th unit
    value: float  # per-person objective of the crew
    score: float  # mean pair similarity (what "worst crew" is measured by)


class _Budget:
    def __init__(self, columns: int, deadline: float | None):
        self.columns = columns
        self.deadline = deadline

    def spent(self) -> bool:
        if self.columns <= 0:
            return True
        return self.deadline is not None and _time.monotonic() > self.deadline


def _words_as_int(words: np.ndarray) -> int:
    return int.from_bytes(np.ascontiguousarray(words).tobytes(), "little")


def _columns(search: GroupSearch, units: list[int], floor: float, cap: int) -> list[_Column] | None:
    """Every crew the units could form (sizes, time, language, apart), scored; None past cap."""
    m = len(units)
    arr = np.array(units, np.int64)
    pair = [search.oracle.pairs(u, arr).tolist() for u in units]
    k = [int(search.k[u]) for u in units]
    internal = [float(search.internal[u]) for u in units]
    low, high = max(int(search.lower[0]), 1), int(search.upper[0])
    if search.has_rules:
        avail = [_words_as_int(search.avail[u]) for u in units]
        lang = [_words_as_int(search.lang[u]) for u in units]
    else:
        avail = lang = [-1] * m
    position = {u: i for i, u in enumerate(units)}
    compatible = [0] * m
    for i, u in enumerate(units):
        banned = {position[int(v)] for v in search.forbid[u] if int(v) in position}
        for j in range(i + 1, m):
            if j not in banned and avail[i] & avail[j] and lang[i] & lang[j]:
                compatible[i] |= 1 << j
    out: list[_Column] = []
    # Depth-first over subsets in index order: (members, candidates, size, w, time, language).
    stack = [(1 << i, compatible[i], k[i], internal[i], avail[i], lang[i]) for i in range(m)]
    stack.reverse()
    while stack:
        members, cands, size, w, av, la = stack.pop()
        if size >= low:
            pairs = size * (size - 1) / 2
            score = w / pairs
            if score >= floor:
                out.append(_Column(members, 2.0 * w / (size - 1), score))
                if len(out) > cap:
                    return None
        if size >= high:
            continue
        rest = cands
        children = []
        while rest:
            j = (rest & -rest).bit_length() - 1
            rest &= rest - 1
            if size + k[j] > high or not (av & avail[j]) or not (la & lang[j]):
                continue
            row = pair[j]
            gain = internal[j]
            bits = members
            while bits:
                i = (bits & -bits).bit_length() - 1
                bits &= bits - 1
                gain += row[i]
            children.append(
                (
                    members | 1 << j,
                    cands & compatible[j],
                    size + k[j],
                    w + gain,
                    av & avail[j],
                    la & lang[j],
                )
            )
        stack.extend(reversed(children))
    return out


def _solve(
    columns: list[_Column], units: list[int], k: np.ndarray, hint: list[int], limit: int
) -> tuple[list[_Column] | None, bool]:
    """The best partition of the units into listed crews, by branch and bound.

    Branches on the lowest unit not yet in a crew (only crews whose lowest unit it is can
    take it), best crews first; the bound gives each unit left its best share of any
    listed crew's value. Starts from the current crews (`hint`), so the answer is never
    worse than them; past `limit` nodes the best partition found so far is kept. Returns
    it (None if none) and whether the limit cut the search short.
    """
    m = len(units)
    weight = [int(k[u]) for u in units]
    by_low: list[list[int]] = [[] for _ in range(m)]
    share = [-np.inf] * m
    for c, col in enumerate(columns):
        bits = col.members
        size = 0
        while bits:
            i = (bits & -bits).bit_length() - 1
            bits &= bits - 1
            size += weight[i]
        bits = col.members
        by_low[(bits & -bits).bit_length() - 1].append(c)
        while bits:
            i = (bits & -bits).bit_length() - 1
            bits &= bits - 1
            share[i] = max(share[i], col.value * weight[i] / size)
    if any(s == -np.inf for s in share):
        return None, False
    col_share = []
    for col in columns:
        bits, total = col.members, 0.0
        while bits:
            i = (bits & -bits).bit_length() - 1
            bits &= bits - 1
            total += share[i]
        col_share.append(total)
    for low in by_low:
        low.sort(key=lambda c: -columns[c].value)
    full = (1 << m) - 1
    best_value = sum(columns[c].value for c in hint) if hint else -np.inf
    best = list(hint)
    chosen: list[int] = []
    nodes = 0

    def dive(covered: int, value: float, bound_left: float) -> None:
        nonlocal best_value, best, nodes
        if covered == full:
            if value > best_value + EPS:
                best_value, best = value, list(chosen)
            return
        nodes += 1
        if nodes > limit or value + bound_left <= best_value + EPS:
            return
        free = ~covered & full
        i = (free & -free).bit_length() - 1
        for c in by_low[i]:
            col = columns[c]
            if col.members & covered:
                continue
            chosen.append(c)
            dive(covered | col.members, value + col.value, bound_left - col_share[c])
            chosen.pop()

    dive(0, 0.0, sum(share))
    cut = nodes > limit
    if not best:
        return None, cut
    return [columns[c] for c in best], cut


def _solve_exact(columns: list[_Column], m: int, hint: list[int]) -> list[_Column] | None:
    """The same partition by OR-Tools CP-SAT, for the worst crew's large pools.

    On 50-90 units, branch and bound can search long before it finds any partition
    with every crew above the floor; CP-SAT finds and proves one in a fraction of a
    second. One worker and a deterministic time limit, so the answer is reproducible.
    None when OR-Tools is missing or no partition was found.
    """
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return None
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"c{c}") for c in range(len(columns))]
    holding: list[list[int]] = [[] for _ in range(m)]
    for c, col in enumerate(columns):
        bits = col.members
        while bits:
            i = (bits & -bits).bit_length() - 1
            bits &= bits - 1
            holding[i].append(c)
    if any(not cs for cs in holding):
        return None
    for cs in holding:
        model.add_exactly_one(chosen[c] for c in cs)
    model.maximize(sum(round(col.value * SCALE) * chosen[c] for c, col in enumerate(columns)))
    for c in hint:
        model.add_hint(chosen[c], True)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = EXACT_WORK
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [col for c, col in enumerate(columns) if solver.value(chosen[c])]


class Partners:
    """Each unit's best possible crew-mates: the most similar among those who may share a
    crew with it (time, language, not apart). They depend on the units alone, not on the
    crews, so each list is found once, when first asked for."""

    def __init__(self, search: GroupSearch, width: int = PARTNERS):
        self.search = search
        self.width = width
        self._lists: dict[int, list[int]] = {}
        self._others: dict[int, Partners] = {}

    def wider(self, width: int) -> Partners:
        """The same lists, `width` long (kept, so each is found once per width)."""
        if width == self.width:
            return self
        other = self._others.get(width)
        if other is None:
            other = self._others[width] = Partners(self.search, width)
        return other

    def of(self, u: int) -> list[int]:
        found = self._lists.get(u)
        if found is None:
            found = self._lists[u] = self._find(u)
        return found

    def _find(self, u: int) -> list[int]:
        search = self.search
        others = np.arange(search.units)
        others = others[others != u]
        if search.has_rules:
            ok = (search.avail[others] & search.avail[u]).any(axis=1)
            ok &= (search.lang[others] & search.lang[u]).any(axis=1)
            others = others[ok]
        if len(search.forbid[u]):
            others = others[~np.isin(others, search.forbid[u])]
        if len(others) > self.width:
            sims = search.oracle.pairs(u, others)
            others = others[np.argsort(-sims, kind="stable")[: self.width]]
        return [int(v) for v in others]


def pool_around(
    search: GroupSearch, partners: Partners, g: int, max_units: int, max_crews: int
) -> list[int]:
    """Crew g and, ring by ring, the crews holding its members' best possible crew-mates.

    A crew's members' best crew-mates (who share time and a language with them) sit in
    other crews, whose members' best crew-mates sit in yet others: lifting a crew can
    need that chain formed again at once. Up to `max_crews` crews and `max_units` units.
    """
    pool = [g]
    units = len(search.members[g])
    frontier = list(search.members[g])
    while frontier and len(pool) < max_crews:
        ring: list[int] = []
        for u in frontier:
            for v in partners.of(u):
                h = int(search.group_of[v])
                if h >= 0 and h not in pool and h not in ring:
                    ring.append(h)
        frontier = []
        for h in ring:
            if len(pool) >= max_crews:
                break
            if units + len(search.members[h]) > max_units:
                continue
            pool.append(h)
            units += len(search.members[h])
            frontier.extend(search.members[h])
    return pool


def regroup(
    search: GroupSearch,
    pool: list[int],
    *,
    floor: float,
    slack: float,
    budget: _Budget,
    exact: bool = False,
) -> bool:
    """Form the crews of `pool` again in the best way whose every crew scores at least `floor`.

    Taken when the pool's total rises, or, with `slack` > 0 (lifting the worst crew, whose
    score `floor` then exceeds), when it falls by at most `slack`. True if the crews changed.
    """
    units = [u for g in pool for u in search.members[g]]
    m = len(units)
    if m < 2 or len(pool) < 2:
        return False
    while True:
        columns = _columns(search, units, floor, min(MAX_COLUMNS, budget.columns))
        if columns is not None:
            break
        budget.columns -= MAX_COLUMNS
        if len(pool) <= 3 or budget.spent():
            return False
        # Too many possible crews: the pool without its last (outermost) crews.
        pool = pool[: len(pool) - max(1, len(pool) // 4)]
        units = [u for g in pool for u in search.members[g]]
        m = len(units)
    budget.columns -= len(columns)
    local = {u: i for i, u in enumerate(units)}
    now = {sum(1 << local[u] for u in search.members[g]) for g in pool}
    hint = [c for c, col in enumerate(columns) if col.members in now]
    if len(hint) < len(now):
        # The current crews are not all listed (lifting the worst): no start to keep.
        hint = []
    best, cut = _solve(columns, units, search.k, hint, SOLVER_NODES)
    if exact and cut:
        # Branch and bound stopped at its node limit: CP-SAT searches the same list.
        found = _solve_exact(columns, m, hint)
        if found is not None and (
            best is None or sum(c.value for c in found) > sum(c.value for c in best)
        ):
            best = found
    if best is None:
        return False
    sizes = search.size[pool]
    before = float(np.sum(search.value(search.w[pool], sizes)))
    after = sum(col.value for col in best)
    if slack > 0:
        if after < before - slack:
            return False
    elif after <= before + EPS * max(1.0, abs(before)):
        return False
    if {col.members for col in best} == now:
        return False
    for u in units:
        search.unassign(u)
    groups = list(pool)
    while len(groups) < len(best):
        # More, smaller crews than before: the pool's members may form one crew more.
        groups.append(search.add_group(int(search.lower[pool[0]]), int(search.upper[pool[0]])))
    for g, col in zip(groups, best, strict=False):
        for i in range(m):
            if col.members >> i & 1:
                search.assign(units[i], g)
    return True


def regroup_all(search: GroupSearch, *, deadline: float | None = None) -> int:
    """Every crew's pool formed again, worst crews first, then the max-min pass; the changes."""
    budget = _Budget(COLUMNS_PER_UNIT * max(1, search.units), deadline)
    partners = Partners(search)
    changes = 0
    live = np.nonzero(search.size > 0)[0]
    order = live[np.argsort(search.score(search.w[live], search.size[live]), kind="stable")]
    for g in order.tolist():
        if budget.spent():
            break
        if search.size[g] == 0:
            continue
        floor = search.worst() - EPS if search.maximin else -np.inf
        pool = pool_around(search, partners, g, MAX_POOL_UNITS, MAX_POOL_CREWS)
        if regroup(search, pool, floor=floor, slack=0.0, budget=budget):
            changes += 1
    return changes + lift_worst_pools(search, partners, budget)


def lift_worst_pools(search: GroupSearch, partners: Partners, budget: _Budget) -> int:
    """Max-min: the worst crew's pool formed again with every crew above it, while it can be.

    The pools here are larger (`LIFT_POOLS`): lifting the worst crew can need a chain of
    many crews formed again. Each lift may cost at most `LIFT_STEP_SHARE` of the total,
    the pass `LIFT_SHARE` of it, and it stops after `MAX_LIFTS` lifts.
    """
    if not search.maximin:
        return 0
    start = search.total()
    allowed = LIFT_SHARE * abs(start)
    lifts = 0
    while lifts < MAX_LIFTS and not budget.spent():
        live = np.nonzero(search.size >= 2)[0]
        if len(live) < 2:
            break
        g = int(live[np.argmin(search.score(search.w[live], search.size[live]))])
        floor = float(search.score(search.w[g], search.size[g])) + LIFT_STEP
        slack = min(LIFT_STEP_SHARE * abs(start), allowed - (start - search.total()))
        if slack <= 0:
            break
        lifted = False
        for units, crews, width in LIFT_POOLS:
            pool = pool_around(search, partners.wider(width), g, units, crews)
            if regroup(search, pool, floor=floor, slack=slack, budget=budget, exact=True):
                lifted = True
                break
        if not lifted:
            break
        lifts += 1
    return lifts
