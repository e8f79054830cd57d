"""Grouping from a matrix: maximally diverse (or most similar) groups with per-group size bounds.

The search is an iterated tabu search in the manner of the MDGP literature (Gallego et al.
2013; Lai and Hao, EJOR 2016): a person-to-group table T (T[i, g] = sum of d[i, j] over the
members j of group g) prices every move of one item and every swap of two items at once,
as whole numpy arrays, and the best move that is not tabu is made even when it loses,
so the search walks out of local optima. A moved item may not move again for a few
iterations (its tenure). When a round stalls, the best grouping so far is perturbed by
random swaps and the next round starts from there.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable

import numpy as np

from .mdgplib import MatrixInstance
from .model import Grouping, Mode, Progress

NEG = -np.inf
EPS = 1e-9
FULL_SWAP_LIMIT = 400  # above this many items, each iteration prices swaps for a sample of rows
SAMPLE_ROWS = 256


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
    "similar" minimises it. The objective reported is always the plain sum within groups.

    With a time limit the search runs until it (or `rounds` rounds, if given) is spent;
    without one it runs `rounds` rounds (a few by default), so the answer depends only on
    the seed."""
    d = np.asarray(instance.matrix, np.float64)
    d = d if mode == "diverse" else -d
    deadline = _time.monotonic() + time_limit if time_limit else None
    if rounds is None:
        rounds = 10**9 if deadline else max(2, min(10, 1200 // max(instance.n, 1)))
    tick = None
    if progress is not None and deadline is not None and time_limit:
        start = _time.monotonic()

        def tick() -> None:
            progress(min(0.99, (_time.monotonic() - start) / time_limit))

    search = TabuGrouping(d, instance.lower, instance.upper, seed=seed, deadline=deadline)
    group_of = search.run(rounds, tick=tick)
    groups = tuple(
        tuple(int(i) for i in np.flatnonzero(group_of == g)) for g in range(len(instance.lower))
    )
    if progress is not None:
        progress(1.0)
    return Grouping(groups, objective_value(instance.matrix, groups), "iterated tabu search")


def objective_value(matrix: np.ndarray, groups) -> float:
    return float(sum(matrix[np.ix_(g, g)].sum() / 2 for g in groups if len(g)))


class TabuGrouping:
    """Maximise the sum of d within groups, group g holding lower[g]..upper[g] items."""

    def __init__(self, d, lower, upper, *, seed: int = 0, deadline: float | None = None):
        self.d = np.ascontiguousarray(d, np.float64)
        self.n = len(self.d)
        self.lower = np.asarray(lower, np.int64)
        self.upper = np.asarray(upper, np.int64)
        self.groups = len(self.lower)
        self.rng = np.random.default_rng(seed)
        self.deadline = deadline
        self.d2 = 2.0 * self.d
        self.rows = np.arange(self.n)
        self.fixed_sizes = bool(np.all(self.lower == self.upper))
        self.iterations = 0
        if self.n <= FULL_SWAP_LIMIT:
            self._across = np.empty((self.n, self.n))
            self._delta = np.empty((self.n, self.n))
        self.tenure = (4, 4)  # a moved item stays put for 4 + random(0..4) iterations
        self.stall_factor = 20  # a round ends after 20 n iterations without a new best
        self.strength = (40, 12)  # perturbation: between n/40 and n/12 random swaps

    # -- state -------------------------------------------------------------------------
    def load(self, group_of: np.ndarray) -> None:
        """Make `group_of` the current grouping and rebuild the tables."""
        self.group_of = group_of.copy()
        onehot = np.zeros((self.n, self.groups))
        onehot[self.rows, self.group_of] = 1.0
        self.table = self.d @ onehot
        self.size = np.bincount(self.group_of, minlength=self.groups).astype(np.int64)
        self.value = 0.5 * float(self.table[self.rows, self.group_of].sum())
        # swap penalty: -2 d[i, j] across groups, -inf within a group
        self.penalty = np.where(self.group_of[:, None] == self.group_of[None, :], NEG, -self.d2)

    def move(self, u: int, b: int) -> None:
        a = int(self.group_of[u])
        column = self.d[:, u]
        self.value += self.table[u, b] - self.table[u, a]
        self.table[:, a] -= column
        self.table[:, b] += column
        self.group_of[u] = b
        self.size[a] -= 1
        self.size[b] += 1
        row = np.where(self.group_of == b, NEG, -self.d2[u])
        self.penalty[u, :] = row
        self.penalty[:, u] = row

    def swap(self, u: int, v: int) -> None:
        a, b = int(self.group_of[u]), int(self.group_of[v])
        self.move(u, b)
        self.move(v, a)

    def random_start(self) -> np.ndarray:
        group_of = np.repeat(np.arange(self.groups), self.start_sizes())
        return group_of[self.rng.permutation(self.n)]

    def start_sizes(self) -> np.ndarray:
        """Group sizes within the bounds that would be best if every pair weighed the mean:
        with positive weights the sum grows with sum(s * (s - 1) / 2), so some groups are
        filled to their upper bound (a dynamic programme over groups and items placed)."""
        mean = float(self.d.sum()) / max(1, self.n * (self.n - 1))
        lo, hi = self.lower, self.upper
        # best[g][k]: best value of groups g.. holding k items; jitter breaks ties at random
        jitter = self.rng.random((self.groups, self.n + 1)) * 1e-6 * (abs(mean) + 1.0)
        best = np.full((self.groups + 1, self.n + 1), NEG)
        best[self.groups, 0] = 0.0
        pick = np.zeros((self.groups, self.n + 1), np.int64)
        for g in range(self.groups - 1, -1, -1):
            for k in range(self.n + 1):
                for s in range(int(lo[g]), int(min(hi[g], k)) + 1):
                    rest = best[g + 1, k - s]
                    if rest == NEG:
                        continue
                    value = rest + mean * s * (s - 1) / 2 + jitter[g, s]
                    if value > best[g, k]:
                        best[g, k], pick[g, k] = value, s
        sizes, k = np.zeros(self.groups, np.int64), self.n
        for g in range(self.groups):
            sizes[g] = pick[g, k]
            k -= sizes[g]
        return sizes

    def out_of_time(self) -> bool:
        return self.deadline is not None and _time.monotonic() > self.deadline

    # -- search ------------------------------------------------------------------------
    def run(self, rounds: int, *, tick: Callable[[], None] | None = None) -> np.ndarray:
        self.load(self.random_start())
        best, best_value = self.group_of.copy(), self.value
        stall = max(200, self.stall_factor * self.n)
        for _ in range(rounds):
            found, found_value = self.tabu(stall, best_value, tick)
            if found_value > best_value + EPS:
                best, best_value = found, found_value
            if self.out_of_time():
                break
            self.load(best)
            self.perturb()
        return best

    def perturb(self) -> None:
        """Random swaps (and, where sizes may change, random moves) from the best grouping."""
        if self.n < 2:
            return
        low, high = self.n // self.strength[0], self.n // self.strength[1]
        strength = int(self.rng.integers(max(2, low), max(3, high) + 1))
        for _ in range(strength):
            u, v = (int(x) for x in self.rng.choice(self.n, 2, replace=False))
            if self.group_of[u] != self.group_of[v]:
                self.swap(u, v)
            elif not self.fixed_sizes:
                a = int(self.group_of[u])
                open_ = np.flatnonzero(self.size < self.upper)
                if self.size[a] > self.lower[a] and len(open_):
                    b = int(self.rng.choice(open_))
                    if b != a:
                        self.move(u, b)

    def tabu(self, stall: int, target: float, tick) -> tuple[np.ndarray, float]:
        """Best-move tabu search until `stall` iterations pass without a new best of its own.

        A move or swap that would beat `target` (the best known) is taken even if tabu."""
        n = self.n
        tabu_until = np.zeros(n, np.int64)
        base, extra = self.tenure
        best, best_value = self.group_of.copy(), self.value
        since = 0
        it = 0
        sampled = n > FULL_SWAP_LIMIT
        while since < stall:
            it += 1
            self.iterations += 1
            if it % 64 == 0:
                if tick is not None:
                    tick()
                if self.out_of_time():
                    break
            aspire = max(target, best_value) - self.value + EPS
            frozen = np.flatnonzero(tabu_until > it)
            gains = self._gains()
            gain, kind, u, v = self._best_swap(gains, frozen, aspire, sampled)
            if not self.fixed_sizes:
                m_gain, mu, mb = self._best_move(gains, frozen, aspire)
                if m_gain > gain:
                    gain, kind, u, v = m_gain, "move", mu, mb
            if kind == "none":
                if not len(frozen):
                    break  # nothing can move at all (one group, or every size fixed)
                tabu_until[:] = 0
                continue
            if kind == "swap":
                self.swap(u, v)
                tabu_until[u] = it + base + int(self.rng.integers(0, extra + 1))
                tabu_until[v] = it + base + int(self.rng.integers(0, extra + 1))
            else:
                self.move(u, v)
                tabu_until[u] = it + base + int(self.rng.integers(0, extra + 1))
            if self.value > best_value + EPS:
                best_value = self.value
                best = self.group_of.copy()
                since = 0
            else:
                since += 1
        return best, best_value

    def _gains(self) -> np.ndarray:
        """gains[i, b]: what moving item i into group b adds (0 for its own group)."""
        own = self.table[self.rows, self.group_of]
        return self.table - own[:, None]

    def _best_swap(self, gains: np.ndarray, frozen: np.ndarray, aspire: float, sampled: bool):
        if sampled:
            rows = self.rng.choice(self.n, SAMPLE_ROWS, replace=False)
            delta = gains[rows][:, self.group_of] + gains[:, self.group_of[rows]].T
            delta += self.penalty[rows]
        else:
            rows = self.rows
            across = np.take(gains, self.group_of, axis=1, out=self._across)
            delta = np.add(across, across.T, out=self._delta)
            delta += self.penalty
        k = int(delta.argmax())
        top = float(delta.flat[k])
        if top == NEG:
            return NEG, "none", -1, -1
        if top < aspire and len(frozen):
            if sampled:
                delta[np.isin(rows, frozen), :] = NEG
            else:
                delta[frozen, :] = NEG
            delta[:, frozen] = NEG
            k = int(delta.argmax())
            top = float(delta.flat[k])
            if top == NEG:
                return NEG, "none", -1, -1
        i, j = divmod(k, self.n)
        return top, "swap", int(rows[i]), j

    def _best_move(self, gains: np.ndarray, frozen: np.ndarray, aspire: float):
        leave = self.size[self.group_of] > self.lower[self.group_of]
        enter = self.size < self.upper
        gains = np.where(leave[:, None] & enter[None, :], gains, NEG)
        gains[self.rows, self.group_of] = NEG
        k = int(gains.argmax())
        top = float(gains.flat[k])
        if top != NEG and top < aspire and len(frozen):
            gains[frozen, :] = NEG
            k = int(gains.argmax())
            top = float(gains.flat[k])
        if top == NEG:
            return NEG, -1, -1
        u, b = divmod(k, self.groups)
        return top, u, b
