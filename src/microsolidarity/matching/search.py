"""Local search for grouping: move one unit, swap two, perturb and repeat (iterated local search).

A "unit" is one person, or several who must stay together. Each group keeps the
sum of its members' vectors (or, for a matrix instance, a column of the
person-to-group table), so a move or swap is scored without touching other
groups, after Lai and Hao (EJOR 2016). Hard rules are checked with bit masks.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable

import numpy as np

from .profiles import and_rows

EPS = 1e-9
ALL_ONES = np.iinfo(np.uint64).max


class VectorOracle:
    """Pair similarity as an inner product: sim(i, j) = (x_i * signs) . x_j + offset."""

    def __init__(self, vectors: np.ndarray, signs: np.ndarray, offset: float, weights: np.ndarray):
        self.x = np.ascontiguousarray(vectors, np.float64)
        self.xs = self.x * signs
        self.offset = offset
        self.k = weights.astype(np.float64)
        self.self_term = np.einsum("ij,ij->i", self.xs, self.x) + offset * self.k * self.k
        self.sums = np.zeros((0, self.x.shape[1]))

    def resize(self, groups: int) -> None:
        self.sums = np.zeros((groups, self.x.shape[1]))

    def add(self, u: int, g: int) -> None:
        self.sums[g] += self.x[u]

    def remove(self, u: int, g: int) -> None:
        self.sums[g] -= self.x[u]

    def affinity(self, u: int, sizes: np.ndarray) -> np.ndarray:
        return self.sums @ self.xs[u] + self.offset * self.k[u] * sizes

    def to_group(self, units: np.ndarray, g: int, size: float) -> np.ndarray:
        return self.xs[units] @ self.sums[g] + self.offset * self.k[units] * size

    def own(self, units: np.ndarray, groups: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        raw = np.einsum("ij,ij->i", self.xs[units], self.sums[groups])
        return raw + self.offset * self.k[units] * sizes[groups] - self.self_term[units]

    def pairs(self, u: int, units: np.ndarray) -> np.ndarray:
        return self.x[units] @ self.xs[u] + self.offset * self.k[u] * self.k[units]


class MatrixOracle:
    """Pair similarity read from a dense matrix (zero diagonal); for instances of a few thousand."""

    def __init__(self, matrix: np.ndarray):
        self.d = np.ascontiguousarray(matrix, np.float64)
        self.self_term = np.zeros(len(matrix))
        self.table = np.zeros((len(matrix), 0))

    def resize(self, groups: int) -> None:
        self.table = np.zeros((len(self.d), groups))

    def add(self, u: int, g: int) -> None:
        self.table[:, g] += self.d[:, u]

    def remove(self, u: int, g: int) -> None:
        self.table[:, g] -= self.d[:, u]

    def affinity(self, u: int, sizes: np.ndarray) -> np.ndarray:
        return self.table[u].copy()

    def to_group(self, units: np.ndarray, g: int, size: float) -> np.ndarray:
        return self.table[units, g]

    def own(self, units: np.ndarray, groups: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        return self.table[units, groups]

    def pairs(self, u: int, units: np.ndarray) -> np.ndarray:
        return self.d[u, units]


class GroupSearch:
    """Groups of units with per-group size bounds, hard rules, and an objective to raise.

    objective "per_person": each member's mean similarity to crew-mates, summed
    (size neutral; used for crews). objective "sum": the sum of pair similarities
    within groups (the MDGP objective).
    """

    def __init__(
        self,
        oracle: VectorOracle | MatrixOracle,
        unit_sizes: np.ndarray,
        internal: np.ndarray,
        *,
        lower: np.ndarray,
        upper: np.ndarray,
        objective: str = "per_person",
        avail: np.ndarray | None = None,
        lang: np.ndarray | None = None,
        forbid: list[np.ndarray] | None = None,
        maximin: bool = True,
        seed: int = 0,
        deadline: float | None = None,
        tick: Callable[[], None] | None = None,
    ):
        self.oracle = oracle
        self.k = np.asarray(unit_sizes, np.int64)
        self.internal = np.asarray(internal, np.float64)
        self.units = len(self.k)
        self.lower = np.asarray(lower, np.int64)
        self.upper = np.asarray(upper, np.int64)
        groups = len(self.lower)
        self.per_person = objective == "per_person"
        self.has_rules = avail is not None
        # Without rules every unit may meet every other: masks of ones keep the types plain.
        everyone = np.full((self.units, 1), ALL_ONES, np.uint64)
        self.avail: np.ndarray = avail if avail is not None else everyone
        self.lang: np.ndarray = lang if lang is not None else everyone
        self.forbid = forbid if forbid is not None else [np.zeros(0, np.int64)] * self.units
        self.maximin = maximin
        self.rng = np.random.default_rng(seed)
        self.deadline = deadline
        self.tick = tick
        self.group_of = np.full(self.units, -1, np.int64)
        self._worst: float | None = None
        self.touched: set[int] = set()
        self.members: list[list[int]] = [[] for _ in range(groups)]
        self.size = np.zeros(groups, np.int64)
        self.w = np.zeros(groups)
        oracle.resize(groups)
        if self.has_rules:
            self.gavail = np.full((groups, self.avail.shape[1]), ALL_ONES, np.uint64)
            self.glang = np.full((groups, self.lang.shape[1]), ALL_ONES, np.uint64)

    # -- bookkeeping -----------------------------------------------------------------
    @property
    def groups(self) -> int:
        return len(self.size)

    def value(self, w: np.ndarray | float, s: np.ndarray | int) -> np.ndarray | float:
        if not self.per_person:
            return w
        if np.ndim(w) == 0 and np.ndim(s) == 0:
            return 2.0 * float(w) / (int(s) - 1) if s > 1 else 0.0
        s_arr = np.asarray(s, np.float64)
        return np.where(s_arr > 1, 2.0 * np.asarray(w) / np.maximum(s_arr - 1, 1), 0.0)

    def score(self, w: np.ndarray | float, s: np.ndarray | int) -> np.ndarray | float:
        """Mean pair similarity of a group (what "worst crew" is measured by)."""
        s_arr = np.asarray(s, np.float64)
        pairs = s_arr * (s_arr - 1) / 2
        return np.where(pairs > 0, np.asarray(w) / np.maximum(pairs, 1), np.inf)

    def total(self) -> float:
        return float(np.sum(self.value(self.w, self.size)))

    def worst(self) -> float:
        if self._worst is None:
            self._worst = self._compute_worst()
        return self._worst

    def _compute_worst(self) -> float:
        live = self.size >= 2
        if not live.any():
            return 0.0
        return float(np.min(self.score(self.w[live], self.size[live])))

    def add_group(self, lower: int, upper: int) -> int:
        """Open one more empty group."""
        self.lower = np.append(self.lower, lower)
        self.upper = np.append(self.upper, upper)
        self.members.append([])
        self.size = np.append(self.size, 0)
        self.w = np.append(self.w, 0.0)
        old = self.oracle
        if isinstance(old, VectorOracle):
            old.sums = np.vstack([old.sums, np.zeros((1, old.sums.shape[1]))])
        else:
            old.table = np.hstack([old.table, np.zeros((old.table.shape[0], 1))])
        if self.has_rules:
            self.gavail = np.vstack([self.gavail, np.full((1, self.gavail.shape[1]), ALL_ONES)])
            self.glang = np.vstack([self.glang, np.full((1, self.glang.shape[1]), ALL_ONES)])
        return self.groups - 1

    def _affinity_one(self, u: int, g: int) -> float:
        return float(self.oracle.to_group(np.array([u]), g, float(self.size[g]))[0])

    def assign(self, u: int, g: int) -> None:
        a_g = self._affinity_one(u, g)
        self.w[g] += a_g + self.internal[u]
        self._worst = None
        self.touched.add(g)
        self.oracle.add(u, g)
        self.members[g].append(u)
        self.size[g] += self.k[u]
        self.group_of[u] = g
        if self.has_rules:
            self.gavail[g] &= self.avail[u]
            self.glang[g] &= self.lang[u]

    def unassign(self, u: int) -> None:
        g = int(self.group_of[u])
        self.oracle.remove(u, g)
        self.members[g].remove(u)
        self.size[g] -= self.k[u]
        self.group_of[u] = -1
        a_g = self._affinity_one(u, g)
        self.w[g] -= a_g + self.internal[u]
        self._worst = None
        self.touched.add(g)
        if not self.members[g]:
            self.w[g] = 0.0
        if self.has_rules:
            self._refresh_masks(g)

    def _refresh_masks(self, g: int) -> None:
        rows = self.members[g]
        self.gavail[g] = and_rows(self.avail[rows])
        self.glang[g] = and_rows(self.lang[rows])

    def snapshot(self) -> np.ndarray:
        return self.group_of.copy()

    def restore(self, group_of: np.ndarray) -> None:
        for u in np.nonzero(self.group_of >= 0)[0]:
            self.unassign(int(u))
        for u in np.nonzero(group_of >= 0)[0]:
            self.assign(int(u), int(group_of[u]))

    # -- rule checks -------------------------------------------------------------------
    def fits(self, u: int, groups: np.ndarray) -> np.ndarray:
        """Which of `groups` unit u may join as they are now (masks and forbidden pairs)."""
        ok = np.ones(len(groups), bool)
        if self.has_rules:
            ok &= (self.gavail[groups] & self.avail[u]).any(axis=1)
            ok &= (self.glang[groups] & self.lang[u]).any(axis=1)
        banned = self.forbid[u]
        if len(banned):
            bad = self.group_of[banned]
            ok &= ~np.isin(groups, bad[bad >= 0])
        return ok

    def fits_without(self, u: int, g: int, leaving: int) -> bool:
        """May unit u join group g once unit `leaving` has left it?"""
        rest = [m for m in self.members[g] if m != leaving]
        if self.has_rules:
            if not (and_rows(self.avail[rest]) & self.avail[u]).any():
                return False
            if not (and_rows(self.lang[rest]) & self.lang[u]).any():
                return False
        banned = self.forbid[u]
        if len(banned):
            bad = self.group_of[banned]
            if np.any((bad == g) & (banned != leaving)):
                return False
        return True

    def _out_of_time(self) -> bool:
        if self.tick is not None:
            self.tick()
        return self.deadline is not None and _time.monotonic() > self.deadline

    # -- moves -------------------------------------------------------------------------
    def try_move(self, u: int, *, lift: bool = False) -> bool:
        a = int(self.group_of[u])
        k = self.k[u]
        if a < 0 or self.size[a] - k < max(self.lower[a], 1):
            return False
        aff = self.oracle.affinity(u, self.size)
        aff[a] -= self.oracle.self_term[u]
        wa_new = self.w[a] - aff[a] - self.internal[u]
        sa_new = self.size[a] - k
        wb_new = self.w + aff + self.internal[u]
        sb_new = self.size + k
        gain_a = self.value(wa_new, sa_new) - self.value(self.w[a], self.size[a])
        delta = gain_a + self.value(wb_new, sb_new) - self.value(self.w, self.size)
        valid = (sb_new <= self.upper) & (self.size > 0)
        valid[a] = False
        if lift:
            floor = self.score(self.w[a], self.size[a])
            key = np.minimum(self.score(wb_new, sb_new), self.score(wa_new, sa_new))
            valid &= key > floor + EPS
            order = np.argsort(-key, kind="stable")
        else:
            valid &= delta > EPS
            order = np.argsort(-delta, kind="stable")
        cands = order[valid[order]][:12]
        if len(cands) == 0:
            return False
        fit = self.fits(u, cands)
        worst = self.worst() if self.maximin and not lift else -np.inf
        for b, ok in zip(cands, fit, strict=True):
            if not ok:
                continue
            if not lift and self.maximin:
                new_a = self.score(wa_new, sa_new)
                new_b = self.score(wb_new[b], sb_new[b])
                if min(new_a, new_b) < worst - EPS:
                    continue
            self.unassign(u)
            self.assign(u, int(b))
            return True
        return False

    def try_swap(self, u: int, *, lift: bool = False, width: int = 6) -> bool:
        a = int(self.group_of[u])
        if a < 0:
            return False
        ku = self.k[u]
        aff = self.oracle.affinity(u, self.size)
        aff[a] -= self.oracle.self_term[u]
        live = self.size > 0
        live[a] = False
        if lift:
            cand_groups = np.nonzero(live)[0]
        else:
            per_member = np.where(live, aff / np.maximum(self.size, 1), -np.inf)
            top = np.argsort(-per_member, kind="stable")[:width]
            cand_groups = top[live[top]]
        if len(cand_groups) == 0:
            return False
        others = np.array([v for g in cand_groups for v in self.members[g]], np.int64)
        if len(others) == 0:
            return False
        kv = self.k[others]
        b = self.group_of[others]
        sa_new = self.size[a] - ku + kv
        sb_new = self.size[b] - kv + ku
        ok = (sa_new >= self.lower[a]) & (sa_new <= self.upper[a])
        ok &= (sb_new >= self.lower[b]) & (sb_new <= self.upper[b])
        if not ok.any():
            return False
        pair = self.oracle.pairs(u, others)
        v_to_a = self.oracle.to_group(others, a, float(self.size[a]))
        v_own = self.oracle.own(others, b, self.size)
        wa_new = self.w[a] - aff[a] - self.internal[u] + (v_to_a - pair) + self.internal[others]
        wb_new = self.w[b] - v_own - self.internal[others] + (aff[b] - pair) + self.internal[u]
        before = self.value(self.w[a], self.size[a]) + self.value(self.w[b], self.size[b])
        delta = self.value(wa_new, sa_new) + self.value(wb_new, sb_new) - before
        new_a = self.score(wa_new, sa_new)
        new_b = self.score(wb_new, sb_new)
        if lift:
            floor = min(self.score(self.w[a], self.size[a]), self.worst())
            key = np.minimum(new_a, new_b)
            ok &= key > floor + EPS
            order = np.argsort(-key, kind="stable")
        else:
            ok &= delta > EPS
            if self.maximin:
                ok &= np.minimum(new_a, new_b) >= self.worst() - EPS
            order = np.argsort(-delta, kind="stable")
        for i in order[ok[order]][:12]:
            v = int(others[i])
            g = int(b[i])
            if self.fits_without(v, a, u) and self.fits_without(u, g, v):
                self.unassign(u)
                self.unassign(v)
                self.assign(u, g)
                self.assign(v, a)
                return True
        return False

    # -- drivers -----------------------------------------------------------------------
    def improve(self, max_passes: int = 50) -> None:
        """Moves and swaps until none helps (first improvement, random order)."""
        focus: set[int] | None = None
        for _ in range(max_passes):
            changed = False
            placed = np.nonzero(self.group_of >= 0)[0]
            if focus is not None:
                # Don't-look bits: after a full pass, revisit only groups that just changed.
                placed = placed[np.isin(self.group_of[placed], list(focus))]
            self.touched = set()
            for u in self.rng.permutation(placed):
                u = int(u)
                if self.try_move(u) or self.try_swap(u):
                    changed = True
            if not changed or self._out_of_time():
                return
            focus = set(self.touched)

    def lift_worst(self, rounds: int | None = None) -> None:
        """Raise the worst group's score by moves and swaps that keep every other above it."""
        if not self.maximin:
            return
        for _ in range(rounds if rounds is not None else self.groups):
            live = np.nonzero(self.size >= 2)[0]
            if len(live) < 2:
                return
            g = int(live[np.argmin(self.score(self.w[live], self.size[live]))])
            moved = False
            for u in list(self.members[g]):
                if self.try_move(u, lift=True) or self.try_swap(u, lift=True):
                    moved = True
                    break
            if not moved or self._out_of_time():
                return

    def perturb(self, strength: int) -> None:
        """Random feasible swaps between groups, to leave a local optimum."""
        placed = np.nonzero(self.group_of >= 0)[0]
        if len(placed) < 2:
            return
        for _ in range(strength):
            u, v = (int(x) for x in self.rng.choice(placed, 2, replace=False))
            a, b = int(self.group_of[u]), int(self.group_of[v])
            if a == b or self.k[u] != self.k[v]:
                continue
            if self.fits_without(v, a, u) and self.fits_without(u, b, v):
                self.unassign(u)
                self.unassign(v)
                self.assign(u, b)
                self.assign(v, a)

    def better(self, total: float, worst: float, best_total: float, best_worst: float) -> bool:
        if not self.maximin:
            return total > best_total + EPS
        slack = 0.01 * abs(best_total)
        return (worst > best_worst + EPS and total >= best_total - slack) or (
            worst >= best_worst - EPS and total > best_total + EPS
        )

    def iterate(self, rounds: int, strength: int | None = None) -> None:
        """Iterated local search: improve, perturb and improve `rounds` times, keep the best."""
        self.improve()
        self.lift_worst()
        best = self.snapshot()
        best_total, best_worst = self.total(), self.worst()
        strength = strength or max(2, self.groups // 4)
        for _ in range(rounds):
            if self._out_of_time():
                break
            self.perturb(strength)
            self.improve()
            self.lift_worst()
            total, worst = self.total(), self.worst()
            if self.better(total, worst, best_total, best_worst):
                best, best_total, best_worst = self.snapshot(), total, worst
            else:
                self.restore(best)
        if not np.array_equal(self.group_of, best):
            self.restore(best)
