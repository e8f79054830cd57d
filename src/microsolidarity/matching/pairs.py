"""The next round of pairs (dyads): nobody meets twice, every pair shares time and a language.

One round is a maximum-weight matching on the graph of allowed pairs. Small
groups are solved exactly with OR-Tools CP-SAT when it is installed, groups of
up to ALL_PAIRS_LIMIT greedily on every allowed pair. Larger ones (100,000
people in a few seconds) take candidate pairs from sorted buckets of people who
may meet (`candidates.Buckets`), match them greedily by weight in vectorised
rounds, then look wider around whoever is left and pair them up along
augmenting paths. Memory grows with the number of people, never its square.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from .candidates import Buckets, forbidden
from .model import CrewRules, Person
from .profiles import Profiles, build_profiles

EXACT_LIMIT = 120
ALL_PAIRS_LIMIT = 2500
GREEDY_ROUNDS = 64
SEQUENTIAL_TAIL = 2000
RESCUE_WINDOW = 24
SEARCH_BUDGET = 20_000
SEARCH_TOTAL = 60_000
_CHUNK = 4096


@dataclass(frozen=True, slots=True)
class PairRound:
    pairs: tuple[tuple[str, str], ...]
    unpaired: tuple[str, ...]
    weight: float
    exact: bool


def _all_pairs(prof: Profiles) -> tuple[np.ndarray, np.ndarray]:
    """Every allowed pair (small groups): shares time and a language, not forbidden."""
    n = prof.n
    chunks = []
    for lo in range(0, n, 256):
        hi = min(n, lo + 256)
        ok = (prof.avail[lo:hi, None, :] & prof.avail[None, :, :]).any(axis=2)
        ok &= (prof.lang[lo:hi, None, :] & prof.lang[None, :, :]).any(axis=2)
        ok &= np.arange(lo, hi)[:, None] < np.arange(n)[None, :]
        rows, cols = np.nonzero(ok)
        chunks.append((rows + lo).astype(np.int64) * n + cols)
    keys = np.concatenate(chunks) if chunks else np.zeros(0, np.int64)
    keys = keys[~forbidden(prof, keys)]
    return keys // n, keys % n


class _Weigher:
    """Pair weights in float32 (enough to rank pairs; the round's total is recomputed exactly).

    Most people's vectors are mostly zeros (a few interests, a few free hours),
    so when that holds each weight reads only one side's nonzeros and the same
    columns of the other side, instead of two whole rows.
    """

    def __init__(self, prof: Profiles):
        vectors = prof.vectors
        n, d = vectors.shape
        self.offset = np.float32(prof.offset)
        flat = vectors.astype(np.float32).ravel()
        at = np.flatnonzero(flat)
        row = at // max(d, 1)
        column = at - row * d
        width = int(np.bincount(row, minlength=n).max(initial=0))
        self.sparse = 3 * width < d
        if self.sparse:
            # Rows are padded with column 0 and a value of 0, which adds nothing.
            place = np.arange(len(row)) - np.searchsorted(row, np.arange(n))[row]
            self.columns = np.zeros((n, width), np.int64)
            self.columns[row, place] = column
            self.values = np.zeros((n, width), np.float32)
            self.values[row, place] = flat[at] * prof.signs[column].astype(np.float32)
            self.stride = d
            self.flat = flat
        else:
            self.signed = (vectors * prof.signs).astype(np.float32)
            self.plain = flat.reshape(n, d)

    def __call__(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        out = np.empty(len(rows), np.float32)
        for lo in range(0, len(rows), _CHUNK):
            r, c = rows[lo : lo + _CHUNK], cols[lo : lo + _CHUNK]
            if self.sparse:
                other = self.flat[(c * self.stride)[:, None] + self.columns[r]]
                out[lo : lo + _CHUNK] = np.einsum("ij,ij->i", self.values[r], other)
            else:
                out[lo : lo + _CHUNK] = np.einsum("ij,ij->i", self.signed[r], self.plain[c])
        return out + self.offset


def _rank_order(weights: np.ndarray) -> np.ndarray:
    """Edge indexes, heaviest first, ties by index (one sort of packed integers)."""
    m = len(weights)
    if m == 0:
        return np.zeros(0, np.int64)
    index_bits = int(m - 1).bit_length() or 1
    low, spread = float(weights.min()), float(np.ptp(weights))
    scaled = (weights.astype(np.float64) - low) / spread if spread > 0 else np.zeros(m)
    levels = (1 << (62 - index_bits)) - 1
    heavy_first = ((1.0 - scaled) * levels).astype(np.int64)
    packed = (heavy_first << index_bits) | np.arange(m, dtype=np.int64)
    packed.sort()
    return packed & ((1 << index_bits) - 1)


def _greedy(n: int, rows, cols, weights, *, search_far: bool = True) -> np.ndarray:
    """Greedy matching by weight, in rounds: every pair that is both ends' heaviest is taken.

    Taking such locally heaviest pairs gives the same matching as the sequential
    greedy (a 1/2-approximation) in a few vectorised rounds; the long tail is
    finished sequentially. Then who is left is paired along augmenting paths.
    """
    mate = np.full(n, -1, np.int64)
    order = _rank_order(weights)
    r, c = rows[order], cols[order]
    alive = np.arange(len(r))
    for _round in range(GREEDY_ROUNDS):
        if len(alive) <= SEQUENTIAL_TAIL:
            break
        ar, ac = r[alive], c[alive]
        best = np.full(n, len(r), np.int64)
        np.minimum.at(best, ar, alive)
        np.minimum.at(best, ac, alive)
        take = (best[ar] == alive) & (best[ac] == alive)
        mate[ar[take]], mate[ac[take]] = ac[take], ar[take]
        alive = alive[(mate[ar] < 0) & (mate[ac] < 0)]
    for a, b in zip(r[alive].tolist(), c[alive].tolist(), strict=True):
        if mate[a] < 0 and mate[b] < 0:
            mate[a], mate[b] = b, a
    _augment(n, mate, r, c)
    if search_far:
        _augment_far(n, mate, r, c)
    return mate


def _lists(n: int, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each person's partners in the pairs, in the pairs' order: (starts, neighbours)."""
    m = len(rows)
    # Entry 2e is pair e seen from rows[e], entry 2e + 1 the same pair seen from cols[e].
    ends = np.empty(2 * m, np.int64)
    ends[0::2], ends[1::2] = rows, cols
    others = np.empty(2 * m, np.int64)
    others[0::2], others[1::2] = cols, rows
    bits = max(1, int(2 * m - 1).bit_length())
    packed = (ends << bits) | np.arange(2 * m, dtype=np.int64)
    packed.sort()
    neighbours = others[packed & ((1 << bits) - 1)]
    return np.concatenate([[0], np.cumsum(np.bincount(ends, minlength=n))]), neighbours


def _augment_far(n: int, mate: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> None:
    """For the few still unpaired, search further: a breadth-first search for any augmenting path.

    Each search stops after visiting SEARCH_BUDGET people, and all of them after
    SEARCH_TOTAL, so a round with many people left who cannot meet anyone stays fast.
    """
    free = np.nonzero(mate < 0)[0].tolist()
    if not free or not len(rows):
        return
    starts, neighbours = _lists(n, rows, cols)
    partner = mate.tolist()
    visited = 0
    for u in free:
        if visited >= SEARCH_TOTAL:
            break
        if partner[u] >= 0:
            continue
        came_from = {u: -1}
        queue = deque([u])
        end = -1
        limit = min(SEARCH_BUDGET, SEARCH_TOTAL - visited)
        while queue and end < 0 and len(came_from) < limit:
            a = queue.popleft()
            for v in neighbours[starts[a] : starts[a + 1]].tolist():
                if v in came_from:
                    continue
                came_from[v] = a
                if partner[v] < 0:
                    end = v
                    break
                w = partner[v]
                if w not in came_from:
                    came_from[w] = v
                    queue.append(w)
        visited += len(came_from)
        # Flip the path end = v - a = ... - u: each v takes the a it was reached from.
        while end >= 0:
            a = came_from[end]
            after = partner[a]
            partner[end], partner[a] = a, end
            end = after if a != u else -1
    mate[:] = partner


def _augment(n: int, mate: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> None:
    """Pair up who is left along paths u - v = w - x (u and x unpaired), heaviest edges first.

    `rows`, `cols` are sorted heaviest first, so each person's list is too.
    """
    is_free = mate < 0
    if not is_free.any() or not len(rows):
        return
    # Every step looks for someone free: from u, or from w for an x. Nobody is
    # freed on the way, so only the pairs touching someone free now are needed.
    keep = is_free[rows] | is_free[cols]
    rows, cols = rows[keep], cols[keep]
    starts, neighbours = _lists(n, rows, cols)
    starts, neighbours = starts.tolist(), neighbours.tolist()
    partner = mate.tolist()
    for u in np.nonzero(is_free)[0].tolist():
        if partner[u] >= 0:
            continue
        for v in neighbours[starts[u] : starts[u + 1]]:
            if partner[v] < 0:
                partner[u], partner[v] = v, u
                break
            w = partner[v]
            x = next(
                (x for x in neighbours[starts[w] : starts[w + 1]] if partner[x] < 0 and x != u),
                None,
            )
            if x is not None:
                partner[u], partner[v] = v, u
                partner[w], partner[x] = x, w
                break
    mate[:] = partner


def _large_round(prof: Profiles, seed: int) -> np.ndarray:
    """Greedy matching on bucket neighbours, then a wider search around whoever is left."""
    n = prof.n
    buckets = Buckets(prof, seed=seed)
    weigh = _Weigher(prof)
    rows, cols = buckets.pairs()
    weights = weigh(rows, cols)
    mate = _greedy(n, rows, cols, weights, search_far=False)
    free = np.nonzero(mate < 0)[0]
    if len(free) == 0:
        return mate
    more_rows, more_cols = buckets.around(free, RESCUE_WINDOW)
    rows = np.concatenate([rows, more_rows])
    cols = np.concatenate([cols, more_cols])
    weights = np.concatenate([weights, weigh(more_rows, more_cols)])
    order = _rank_order(weights)
    _augment(n, mate, rows[order], cols[order])
    _augment_far(n, mate, rows, cols)
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
    with _cycle_collection_paused(len(people) > ALL_PAIRS_LIMIT):
        return _next_pairs(people, rules, seed, exact)


@contextmanager
def _cycle_collection_paused(pause: bool) -> Iterator[None]:
    """Pause the cyclic garbage collector while a large round runs.

    Building the arrays for 100,000 people allocates millions of small objects
    and no reference cycles, yet each allocation burst sets off a collector pass
    over every live object: a third of the round's time went there.
    """
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _allowed_only(prof: Profiles, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, ...]:
    """The pairs that keep every hard rule: a last check that costs little next to the round."""
    ok = (prof.avail[left] & prof.avail[right]).any(axis=1)
    ok &= (prof.lang[left] & prof.lang[right]).any(axis=1)
    ok &= ~forbidden(prof, left.astype(np.int64) * prof.n + right)
    return left[ok], right[ok]


def _next_pairs(people: list[Person], rules: CrewRules, seed: int, exact: bool) -> PairRound:
    prof = build_profiles(people, rules)
    n = prof.n
    mate = None
    solved_exactly = False
    if n > ALL_PAIRS_LIMIT:
        mate = _large_round(prof, seed)
    else:
        rows, cols = _all_pairs(prof)
        weights = _Weigher(prof)(rows, cols)
        if exact and n <= EXACT_LIMIT and len(rows):
            mate = _exact(n, rows, cols, weights)
            solved_exactly = mate is not None
        if mate is None:
            mate = _greedy(n, rows, cols, weights)
    left = np.nonzero(mate > np.arange(n))[0]
    right = mate[left]
    left, right = _allowed_only(prof, left, right)
    signed = prof.vectors[left] * prof.signs
    total = float(
        np.einsum("ij,ij->i", signed, prof.vectors[right]).sum() + prof.offset * len(left)
    )
    ids = prof.ids
    pairs = tuple((ids[a], ids[b]) for a, b in zip(left.tolist(), right.tolist(), strict=True))
    paired = np.zeros(n, bool)
    paired[left] = paired[right] = True
    unpaired = tuple(ids[a] for a in np.nonzero(~paired)[0].tolist())
    return PairRound(pairs, unpaired, total, solved_exactly)
