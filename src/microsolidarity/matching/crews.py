"""Crew formation: people in, crews that keep every hard rule out (or a reason someone is left out).

Pipeline: contract must-together people into units. Up to a few hundred units,
build crews greedily around the hardest-to-place unit and improve them with
iterated local search that never lowers the worst crew. Beyond that, find each
unit's most similar allowed partners (nearby.py), grow crews from those lists,
then improve blocks of neighbouring crews the same way. Put the leftovers
wherever they fit; verify every crew to the minute.
"""

from __future__ import annotations

import time as _time
from collections.abc import Sequence

import numpy as np

from .coverage import (
    EXACT_PEOPLE,
    EXACT_SECONDS,
    REBUILD_PEOPLE,
    CrewTable,
    eject_chains,
    gather_crew,
    leftover_clusters,
    neighbourhood,
    sub_profiles,
)
from .explain import check_crews, explain_crew
from .model import Crew, CrewPlan, CrewRules, Person, Progress, Unplaced
from .nearby import bucket_neighbours
from .profiles import Profiles, and_rows, build_profiles
from .reasons import change_for, leftover_reason
from .resplit import lift_worst_crews, resplit_all
from .search import ALL_ONES, GroupSearch, VectorOracle

BLOCK_UNITS = 400
NEIGHBOURS = 12
# Crews grown from exact neighbours are close to a local optimum already: at 20,000 people
# five perturbation rounds per block raised interest similarity by 0.1% for twice the time.
LARGE_ILS_ROUNDS = 1
# The worst 2% of crews get a second search with the crews around them (up to 30).
REPAIR_SHARE = 0.02
REPAIR_CREWS = 30
# After coverage, every placed unit in one search: crews split again in pairs and triples
# (resplit.py), a few rounds with moves and swaps between them.
POLISH_ROUNDS = 4
# Above this, one search over every crew costs more than the time targets leave (each
# partner lookup is linear in the crews); the blocks and the worst-crew pass stand alone.
POLISH_MAX_UNITS = 6000


SIGN_UP_CODES = frozenset(
    {
        "no_availability",
        "no_long_window",
        "no_language",
        "together_in_kept_crew",
        "together_apart",
        "together_too_many",
        "together_no_time",
        "together_no_language",
    }
)


class _Units:
    """Must-together people contracted into units, with their summed arrays."""

    def __init__(self, prof: Profiles, members: list[list[int]]):
        self.members = members
        n_units = len(members)
        self.of_person = np.full(prof.n, -1, np.int64)
        for u, rows in enumerate(members):
            self.of_person[rows] = u
        self.k = np.array([len(rows) for rows in members], np.int64)
        d = prof.vectors.shape[1]
        self.x = np.zeros((n_units, d))
        self_sq = np.zeros(n_units)
        self.avail = np.empty((n_units, prof.avail.shape[1]), np.uint64)
        self.lang = np.empty((n_units, prof.lang.shape[1]), np.uint64)
        person_sq = np.einsum("ij,ij->i", prof.vectors * prof.signs, prof.vectors)
        for u, rows in enumerate(members):
            if len(rows) == 1:
                r = rows[0]
                self.x[u] = prof.vectors[r]
                self_sq[u] = person_sq[r]
                self.avail[u] = prof.avail[r]
                self.lang[u] = prof.lang[r]
            else:
                self.x[u] = prof.vectors[rows].sum(axis=0)
                self_sq[u] = person_sq[rows].sum()
                self.avail[u] = and_rows(prof.avail[rows])
                self.lang[u] = and_rows(prof.lang[rows])
        cross = np.einsum("ij,ij->i", self.x * prof.signs, self.x)
        self.internal = (cross - self_sq) / 2 + prof.offset * self.k * (self.k - 1) / 2
        self.forbid: list[np.ndarray] = []
        for rows in members:
            banned = [prof.forbid[r] for r in rows]
            joined = np.concatenate(banned) if banned else np.zeros(0, np.int64)
            self.forbid.append(np.unique(self.of_person[joined]) if len(joined) else joined)


def _together_components(prof: Profiles, pool: list[int]) -> list[list[int]]:
    parent = {i: i for i in pool}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in pool:
        for j in prof.together[i]:
            if j in parent:
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in pool:
        groups.setdefault(find(i), []).append(i)
    return [sorted(rows) for rows in groups.values()]


def _bisect(points: np.ndarray, units: np.ndarray, limit: int, rng: np.random.Generator) -> list:
    """Split units into blocks of at most `limit` along the main direction of their points."""
    if len(units) <= limit:
        return [units]
    data = points[units]
    centred = data - data.mean(axis=0)
    direction = rng.standard_normal(data.shape[1])
    for _ in range(8):
        direction = centred.T @ (centred @ direction)
        norm = np.linalg.norm(direction)
        if norm == 0:
            break
        direction /= norm
    order = np.argsort(centred @ direction, kind="stable")
    half = len(units) // 2
    return _bisect(points, units[order[:half]], limit, rng) + _bisect(
        points, units[order[half:]], limit, rng
    )


def _blocking_points(prof: Profiles, units: _Units) -> np.ndarray:
    """Unit positions for blocking: similarity vectors plus languages and time, unit length."""
    lang_bits = np.unpackbits(units.lang.view(np.uint8), axis=1, bitorder="little")
    lang_bits = lang_bits[:, : max(1, len(prof.languages))].astype(np.float64)
    time_bits = np.unpackbits(units.avail.view(np.uint8), axis=1, bitorder="little")
    if time_bits.shape[1] < 84:
        # Without a time rule the mask is one word of ones (64 bits): pad up to 84 bins.
        time_bits = np.pad(time_bits, ((0, 0), (0, 84 - time_bits.shape[1])))
    step = time_bits.shape[1] // 84
    time_bins = time_bits[:, : step * 84].reshape(len(time_bits), 84, step).mean(axis=2)
    parts = [np.abs(units.x) / np.maximum(units.k, 1)[:, None], lang_bits, time_bins]
    normed = []
    for part in parts:
        norms = np.linalg.norm(part, axis=1, keepdims=True)
        normed.append(np.divide(part, norms, out=np.zeros_like(part), where=norms > 0))
    return np.concatenate(normed, axis=1).astype(np.float32)


class _Solver:
    def __init__(
        self,
        prof: Profiles,
        units: _Units,
        rules: CrewRules,
        seed: int,
        deadline: float | None,
        progress: Progress | None,
    ):
        self.prof = prof
        self.units = units
        self.rules = rules
        self.seed = seed
        self.deadline = deadline
        self.progress = progress
        self.done_units = 0
        self.total_units = max(1, len(units.k))

    def _report(self, extra: float = 0.0) -> None:
        if self.progress is not None:
            self.progress(min(0.95, 0.05 + 0.9 * (self.done_units + extra) / self.total_units))

    def note(self, fraction: float) -> None:
        """Progress for the phases around the blocks (neighbours, greedy, the final passes)."""
        if self.progress is not None:
            self.progress(fraction)

    def solve_block(self, block: np.ndarray, ils_rounds: int) -> tuple[list[list[int]], list[int]]:
        """Crews (lists of global unit ids) for one block, and the units left over."""
        rules = self.rules
        un = self.units
        oracle = VectorOracle(un.x[block], self.prof.signs, self.prof.offset, un.k[block])
        local = {int(u): i for i, u in enumerate(block)}
        forbid = []
        for u in block:
            banned = [local[int(v)] for v in un.forbid[u] if int(v) in local]
            forbid.append(np.array(banned, np.int64))
        search = GroupSearch(
            oracle,
            un.k[block],
            un.internal[block],
            lower=np.zeros(0, np.int64),
            upper=np.zeros(0, np.int64),
            avail=un.avail[block],
            lang=un.lang[block],
            forbid=forbid,
            maximin=rules.mode == "similar",
            seed=self.seed + (int(block[0]) if len(block) else 0),
            deadline=self.deadline,
        )
        leftover = build_sequential(search, rules.min_size, rules.max_size, rules.target)
        if search.groups:
            search.iterate(ils_rounds)
        crews = [[int(block[u]) for u in members] for members in search.members if members]
        return crews, [int(block[u]) for u in leftover]

    def solve_large(self, all_units: np.ndarray) -> tuple[list[list[int]], list[int]]:
        """Greedy crews from each unit's nearest allowed partners, then local search on blocks."""
        un = self.units
        rng = np.random.default_rng(self.seed)
        points = _blocking_points(self.prof, un)
        self.note(0.04)
        mean_x = un.x / np.maximum(un.k, 1)[:, None]
        neighbours = bucket_neighbours(
            mean_x * self.prof.signs,
            mean_x,
            un.avail,
            un.lang,
            len(self.prof.languages),
            self.prof.slot_minutes,
            2 * NEIGHBOURS,
            rng,
            tick=lambda done: self.note(0.05 + 0.12 * done),
        )
        neighbours = _allowed_neighbours(neighbours, un.forbid, NEIGHBOURS)
        self.note(0.17)
        crews, leftover = _greedy_with_neighbours(self, neighbours, rng)
        self.done_units = len(all_units) // 4
        self._report()
        if crews:
            centres = np.stack([points[c].mean(axis=0) for c in crews])
            crew_blocks = _bisect(centres, np.arange(len(crews)), BLOCK_UNITS // 4, rng)
        else:
            crew_blocks = []
        improved: list[list[int]] = []
        for crew_block in crew_blocks:
            chosen = [crews[int(c)] for c in crew_block]
            block = np.array(sorted(u for c in chosen for u in c), np.int64)
            improved.extend(self.improve_block(block, chosen, LARGE_ILS_ROUNDS))
            self.done_units += int(len(block) * 0.75)
            self._report()
        return self.repair_worst(improved, neighbours), leftover

    def repair_worst(self, crews: list[list[int]], neighbours: np.ndarray) -> list[list[int]]:
        """A second pass around the worst crews, which blocks cut off from their best partners.

        Each of the worst crews is searched again together with the crews that hold its
        members' nearest allowed partners, wherever the first blocks put them.
        """
        un = self.units
        if not crews:
            return crews
        crew_of = np.full(len(un.k), -1, np.int64)
        for c, crew in enumerate(crews):
            crew_of[crew] = c
        scores = np.array(
            [_crew_scores(self.prof, [r for u in crew for r in un.members[u]])[0] for crew in crews]
        )
        worst = np.argsort(scores, kind="stable")[: max(1, int(len(crews) * REPAIR_SHARE))]
        used = np.zeros(len(crews), bool)
        for done, w in enumerate(worst):
            if done % 16 == 0:
                self.note(0.95 + 0.02 * done / len(worst))
            if used[w]:
                continue
            near = crew_of[neighbours[crews[w]].ravel()]
            near = near[(near >= 0) & ~used[near] & (near != w)]
            chosen = [int(w), *dict.fromkeys(int(c) for c in near).keys()][:REPAIR_CREWS]
            used[chosen] = True
            block = np.array(sorted(u for c in chosen for u in crews[c]), np.int64)
            better = self.improve_block(
                block, [crews[c] for c in chosen], LARGE_ILS_ROUNDS, dissolve=True
            )
            for c, crew in zip(chosen, better + [[]] * (len(chosen) - len(better)), strict=True):
                crews[c] = crew
        return [crew for crew in crews if crew]

    def _search_for(self, block: np.ndarray) -> GroupSearch:
        un = self.units
        oracle = VectorOracle(un.x[block], self.prof.signs, self.prof.offset, un.k[block])
        local = {int(u): i for i, u in enumerate(block)}
        forbid = []
        for u in block:
            banned = [local[int(v)] for v in un.forbid[u] if int(v) in local]
            forbid.append(np.array(banned, np.int64))
        return GroupSearch(
            oracle,
            un.k[block],
            un.internal[block],
            lower=np.zeros(0, np.int64),
            upper=np.zeros(0, np.int64),
            avail=un.avail[block],
            lang=un.lang[block],
            forbid=forbid,
            maximin=self.rules.mode == "similar",
            seed=self.seed + (int(block[0]) if len(block) else 0),
            deadline=self.deadline,
        )

    def polish(self, crews: list[list[int]]) -> list[list[int]]:
        """All placed units in one search: crews split again in pairs and triples (resplit.py).

        Runs after coverage: every split keeps each crew within the size bounds and the
        rules, so nobody placed is lost. Then the max-min pass on the worst crews. The
        work is bounded by rounds, not by the clock, so a seed gives the same plan.
        """
        units = sum(len(c) for c in crews)
        if not crews or units > POLISH_MAX_UNITS:
            return crews
        block = np.array(sorted(u for c in crews for u in c), np.int64)
        search = self._search_for(block)
        local = {int(u): i for i, u in enumerate(block)}
        for crew in crews:
            g = search.add_group(self.rules.min_size, self.rules.max_size)
            for u in crew:
                search.assign(local[u], g)
        dirty = None
        for _ in range(POLISH_ROUNDS):
            changed = resplit_all(search, deadline=self.deadline, dirty=dirty)
            if not changed or search._out_of_time():
                break
            search.touched = set()
            search.improve()
            search.lift_worst()
            # The next round looks again only at the crews that moves and swaps changed.
            dirty = {g for g in search.touched if search.size[g] > 0}
        lift_worst_crews(search, deadline=self.deadline)
        return [[int(block[u]) for u in members] for members in search.members if members]

    def improve_block(
        self, block: np.ndarray, crews: list[list[int]], rounds: int, dissolve: bool = False
    ) -> list[list[int]]:
        search = self._search_for(block)
        local = {int(u): i for i, u in enumerate(block)}
        for crew in crews:
            g = search.add_group(self.rules.min_size, self.rules.max_size)
            for u in crew:
                search.assign(local[u], g)
        search.iterate(rounds)
        if dissolve:
            _dissolve_worst(search)
        return [[int(block[u]) for u in members] for members in search.members if members]


def _allowed_neighbours(neighbours: np.ndarray, forbid: list[np.ndarray], k: int) -> np.ndarray:
    """The first k neighbours of each unit that it may meet (a long history bans many)."""
    n = len(neighbours)
    counts = np.fromiter(map(len, forbid), np.int64, n)
    if not counts.any():
        return neighbours[:, :k].copy()
    banned = np.sort(np.repeat(np.arange(n, dtype=np.int64), counts) * n + np.concatenate(forbid))
    keys = np.arange(n, dtype=np.int64)[:, None] * n + neighbours
    allowed = ~np.isin(keys, banned)
    # Stable sort puts the allowed neighbours first, in their order of similarity.
    order = np.argsort(~allowed, axis=1, kind="stable")
    out = np.take_along_axis(neighbours, order, axis=1)[:, :k]
    ok = np.take_along_axis(allowed, order, axis=1)[:, :k]
    return np.where(ok, out, np.arange(n, dtype=np.int64)[:, None])


def _greedy_with_neighbours(solver: _Solver, neighbours: np.ndarray, rng: np.random.Generator):
    """Open a crew around the hardest unit left, fill it from its members' neighbours.

    The crew's meeting time is chosen first: for each of the few start slots that
    the seed shares with most of its candidates, the crew is grown from those free
    then, and the best of these crews is kept. Growing by similarity alone lets the
    first pick decide the hour, and with narrow windows a pairwise overlap in
    someone's spare window can take a crew to an hour nobody else shares.
    """
    un = solver.units
    rules = solver.rules
    prof = solver.prof
    n = len(un.k)
    cand_ok = (un.avail[neighbours] & un.avail[:, None, :]).any(axis=2)
    cand_ok &= (un.lang[neighbours] & un.lang[:, None, :]).any(axis=2)
    hardness = cand_ok.sum(axis=1) + rng.random(n) * 0.5
    order = np.argsort(hardness, kind="stable")
    in_pool = np.ones(n, bool)
    signed = un.x * prof.signs
    crews: list[list[int]] = []
    short: list[int] = []
    for done, seed_unit in enumerate(order):
        if done % 2048 == 0:
            # Between the neighbour lists (0.17) and the blocks (0.275).
            solver.note(0.17 + 0.1 * done / n)
        if not in_pool[seed_unit]:
            continue
        best_crew: list[int] | None = None
        best_key = None
        for start in _start_masks(un, int(seed_unit), neighbours, in_pool):
            crew, size, pair_sum = _grow(
                un, rules, signed, neighbours, in_pool, int(seed_unit), start
            )
            pairs = size * (size - 1) / 2
            key = (size >= rules.min_size, pair_sum / pairs if pairs else 0.0)
            if best_key is None or key > best_key:
                best_crew, best_key = crew, key
        assert best_crew is not None
        in_pool[best_crew] = False
        if int(un.k[best_crew].sum()) >= rules.min_size:
            crews.append(best_crew)
        else:
            short.extend(best_crew)
    return crews, short


# Start slots tried per seed: on the narrow family at 2,000 people, 8 raised interest
# similarity from 0.85 to 0.88 of the planted partition's (4 gave 0.86, 16 no more).
START_CHOICES = 8


def _start_masks(un, u: int, neighbours: np.ndarray, in_pool: np.ndarray) -> list[np.ndarray]:
    """The seed's whole mask, and masks of single start slots shared by most candidates."""
    masks = [un.avail[u].copy()]
    cands = neighbours[u]
    cands = cands[in_pool[cands] & (cands != u)]
    if len(cands) < 2:
        return masks
    shared = un.avail[cands] & un.avail[u]
    bits = np.unpackbits(shared.view(np.uint8), axis=1, bitorder="little")
    counts = bits.sum(axis=0, dtype=np.int64)
    if np.count_nonzero(counts) <= 1:
        return masks
    words = un.avail.shape[1]
    for t in np.argsort(-counts, kind="stable")[:START_CHOICES].tolist():
        if counts[t] == 0:
            break
        mask = np.zeros(words, np.uint64)
        mask[t // 64] = np.uint64(1) << np.uint64(t % 64)
        masks.append(mask)
    return masks


def _grow(un, rules, signed, neighbours, in_pool, seed_unit: int, avail: np.ndarray):
    """A crew grown from seed_unit's neighbourhood within `avail` (not yet taken from the pool)."""
    crew = [seed_unit]
    size = int(un.k[seed_unit])
    avail = avail.copy()
    lang = un.lang[seed_unit].copy()
    total = un.x[seed_unit].copy()
    banned = set(un.forbid[seed_unit].tolist())
    pair_sum = 0.0
    while size < rules.max_size:
        cands = np.unique(neighbours[crew].ravel())
        cands = cands[in_pool[cands] & (un.k[cands] + size <= rules.max_size)]
        if len(cands):
            cands = cands[~np.isin(cands, crew)]
        if len(cands):
            ok = (un.avail[cands] & avail).any(axis=1) & (un.lang[cands] & lang).any(axis=1)
            cands = cands[ok]
        if banned and len(cands):
            cands = cands[~np.isin(cands, list(banned))]
        if len(cands) == 0:
            break
        gain = signed[cands] @ total / un.k[cands]
        pick = int(np.argmax(gain))
        if size >= rules.target and not _worth_growing(gain[pick], pair_sum, size):
            break
        best = int(cands[pick])
        pair_sum += float(gain[pick]) * un.k[best]
        crew.append(best)
        size += int(un.k[best])
        avail &= un.avail[best]
        lang &= un.lang[best]
        total += un.x[best]
        banned.update(un.forbid[best].tolist())
    return crew, size, pair_sum


def build_sequential(search: GroupSearch, lower: int, upper: int, target: int) -> list[int]:
    """Greedy start: open a crew around the hardest-to-place unit, fill it with the best fits.

    Returns the units that found no crew. Crews that stay below `lower` are
    dissolved and their members offered to crews with room.
    """
    n = search.units
    if n == 0:
        return []
    if search.has_rules:
        ok_time = np.array(
            [np.count_nonzero((search.avail & search.avail[u]).any(axis=1)) for u in range(n)]
        )
        ok_lang = np.array(
            [np.count_nonzero((search.lang & search.lang[u]).any(axis=1)) for u in range(n)]
        )
        hardness = np.minimum(ok_time, ok_lang).astype(np.float64)
    else:
        hardness = np.zeros(n)
    hardness += search.rng.random(n) * 0.5
    order = list(np.argsort(hardness, kind="stable"))
    in_pool = np.ones(n, bool)
    k = search.k
    for u in order:
        if not in_pool[u]:
            continue
        g = search.add_group(lower, upper)
        search.assign(int(u), g)
        in_pool[u] = False
        while search.size[g] < upper:
            pool = np.nonzero(in_pool & (k + search.size[g] <= upper))[0]
            if len(pool) == 0:
                break
            fit = np.ones(len(pool), bool)
            if search.has_rules:
                fit &= (search.avail[pool] & search.gavail[g]).any(axis=1)
                fit &= (search.lang[pool] & search.glang[g]).any(axis=1)
            banned = [search.forbid[m] for m in search.members[g]]
            if banned:
                fit &= ~np.isin(pool, np.concatenate(banned))
            pool = pool[fit]
            if len(pool) == 0:
                break
            aff = search.oracle.to_group(pool, g, float(search.size[g])) / k[pool]
            pick = int(np.argmax(aff))
            if search.size[g] >= target and not _worth_growing(
                aff[pick], search.w[g], int(search.size[g])
            ):
                break
            best = int(pool[pick])
            search.assign(best, g)
            in_pool[best] = False
    leftover: list[int] = []
    for g in range(search.groups):
        if 0 < search.size[g] < lower:
            for u in list(search.members[g]):
                search.unassign(u)
                leftover.append(u)
    still = [u for u in leftover if not _insert(search, u)]
    unplaced: list[int] = []
    while still:
        seed_unit = still.pop(0)
        if not _crew_from_spares(search, seed_unit, still, lower, target):
            unplaced.append(seed_unit)
    return unplaced


def _crew_from_spares(
    search: GroupSearch, seed_unit: int, still: list[int], lower: int, target: int
) -> bool:
    """A new crew around `seed_unit` from other leftovers and members that full crews can spare."""
    g = search.add_group(lower, int(search.upper[0]) if len(search.upper) else target)
    search.assign(seed_unit, g)
    taken: list[tuple[int, int]] = []
    while search.size[g] < target:
        spare = [
            u
            for h in range(search.groups)
            if h != g and search.size[h] > search.lower[h]
            for u in search.members[h]
            if search.size[h] - search.k[u] >= search.lower[h]
        ]
        pool = np.array(still + spare, np.int64)
        if len(pool) == 0:
            break
        pool = pool[search.k[pool] + search.size[g] <= search.upper[g]]
        fit = np.array([bool(search.fits(int(u), np.array([g]))[0]) for u in pool], bool)
        pool = pool[fit] if len(pool) else pool
        if len(pool) == 0:
            break
        aff = search.oracle.to_group(pool, g, float(search.size[g])) / search.k[pool]
        best = int(pool[int(np.argmax(aff))])
        origin = int(search.group_of[best])
        if origin >= 0:
            search.unassign(best)
        else:
            still.remove(best)
        taken.append((best, origin))
        search.assign(best, g)
    if search.size[g] >= lower:
        return True
    for unit, origin in taken:
        search.unassign(unit)
        if origin >= 0:
            search.assign(unit, origin)
        else:
            still.append(unit)
    search.unassign(seed_unit)
    return False


def _worth_growing(gain_per_member: float, pair_sum: float, size: int) -> bool:
    """Past the target size, take someone only if they fit the crew as well as it fits itself."""
    if size < 2:
        return True
    mean_pair = pair_sum / (size * (size - 1) / 2)
    return gain_per_member / size >= 0.9 * mean_pair


def _insert(search: GroupSearch, u: int) -> bool:
    """Put unit u into the open crew where it fits best, if any has room."""
    room = np.nonzero((search.size > 0) & (search.size + search.k[u] <= search.upper))[0]
    if len(room) == 0:
        return False
    room = room[search.fits(u, room)]
    if len(room) == 0:
        return False
    aff = search.oracle.affinity(u, search.size)[room]
    gain = aff / search.size[room]
    search.assign(u, int(room[int(np.argmax(gain))]))
    return True


def _dissolve_worst(search: GroupSearch, tries: int = 3) -> None:
    """Share the worst crew's members out among crews with room, when that lifts the worst.

    A crew at the minimum size cannot lose a member to a move or a swap, so strays
    from three planted crews can sit together even when each one's own crew-mates
    have room for them; only taking the crew apart as a whole frees them.
    """
    for _ in range(tries):
        live = np.nonzero(search.size >= 2)[0]
        if len(live) < 2:
            return
        g = int(live[np.argmin(search.score(search.w[live], search.size[live]))])
        before, total, worst = search.snapshot(), search.total(), search.worst()
        members = list(search.members[g])
        for u in members:
            search.unassign(u)
        if all(_insert(search, u) for u in members) and search.better(
            search.total(), search.worst(), total, worst
        ):
            continue
        search.restore(before)
        return


def _ils_rounds(units: int) -> int:
    return max(2, min(40, 4000 // max(1, units)))


def _unit_reasons(prof: Profiles, people: Sequence[Person], rules: CrewRules, kept: set[str]):
    """Units of must-together people, and a reason (as fields) for each who can never be placed."""
    reasons: dict[int, dict] = {}
    minutes = rules.min_common_minutes
    base = {"minutes": minutes, "min_size": rules.min_size, "max_size": rules.max_size}
    for i, person in enumerate(people):
        if minutes > 0 and not person.availability:
            reasons[i] = base | {"code": "no_availability"}
        elif minutes > 0 and not prof.avail[i].any():
            reasons[i] = base | {"code": "no_long_window"}
        elif rules.require_shared_language and not person.languages:
            reasons[i] = base | {"code": "no_language"}
        else:
            partners = [other for other in person.together if other in kept]
            if partners:
                reasons[i] = base | {
                    "code": "together_in_kept_crew",
                    "people": tuple(sorted(partners)),
                }
    pool = [i for i in range(prof.n) if i not in reasons]
    components = _together_components(prof, pool)
    placed_units: list[list[int]] = []
    for rows in components:
        if len(rows) == 1:
            placed_units.append(rows)
            continue
        group = base | {"people": tuple(prof.ids[r] for r in rows), "count": len(rows)}
        row_set = set(rows)
        why = None
        if any(j in row_set for r in rows for j in prof.forbid[r].tolist()):
            why = group | {"code": "together_apart"}
        elif len(rows) > rules.max_size:
            why = group | {"code": "together_too_many"}
        elif minutes > 0 and not and_rows(prof.avail[rows]).any():
            why = group | {"code": "together_no_time"}
        elif rules.require_shared_language and not and_rows(prof.lang[rows]).any():
            why = group | {"code": "together_no_language"}
        if why is None:
            placed_units.append(rows)
        else:
            for r in rows:
                reasons[r] = why
    return placed_units, reasons


def _crew_scores(prof: Profiles, rows: list[int]) -> tuple[float, float]:
    """Mean pair similarity and mean pair interest similarity of a crew."""
    s = len(rows)
    if s < 2:
        return 0.0, 0.0
    vec = prof.vectors[rows]
    total = vec.sum(axis=0)
    pairs = s * (s - 1) / 2
    signed = prof.signs
    inner = (total * signed) @ total - np.einsum("ij,ij->i", vec * signed, vec).sum()
    score = inner / 2 / pairs + prof.offset
    ints = prof.interests[rows].astype(np.float64)
    tot_i = ints.sum(axis=0)
    interest = (tot_i @ tot_i - np.einsum("ij,ij->i", ints, ints).sum()) / 2 / pairs
    return float(score), float(interest)


def upper_bound(
    prof: Profiles, rows: list[int], min_size: int, max_people: int = 6000
) -> float | None:
    """Sum of each person's mean similarity to their best min_size-1 others (None if large)."""
    n = len(rows)
    if n > max_people or n < 2:
        return None if n > max_people else 0.0
    take = max(1, min(min_size - 1, n - 1))
    vec = prof.vectors[rows]
    signed = vec * prof.signs
    bound = 0.0
    for lo in range(0, n, 512):
        block = signed[lo : lo + 512] @ vec.T + prof.offset
        for r in range(block.shape[0]):
            block[r, lo + r] = -np.inf
        top = np.partition(block, -take, axis=1)[:, -take:]
        bound += float(top.mean(axis=1).sum())
    return bound


def form_crews(
    people: Sequence[Person],
    rules: CrewRules | None = None,
    *,
    seed: int = 0,
    time_limit: float | None = None,
    progress: Progress | None = None,
    solver: str = "auto",
) -> CrewPlan:
    """Form crews that keep every hard rule; report anyone who cannot be placed, with the reason.

    solver: "local" (iterated local search), "exact" (OR-Tools CP-SAT, small N only),
    or "auto" (local search). The result is the same for the same input and seed
    unless `time_limit` cuts the search short.
    """
    rules = rules or CrewRules()
    people = list(people)
    seen: set[str] = set()
    for person in people:
        if person.id in seen:
            raise ValueError(f"duplicate id {person.id!r}")
        seen.add(person.id)
    started = _time.monotonic()
    deadline = started + time_limit if time_limit else None
    if progress is not None:
        progress(0.0)

    kept_ids = {pid for crew in rules.keep for pid in crew}
    pool_people = [p for p in people if p.id not in kept_ids]
    prof = build_profiles(pool_people, rules)
    if progress is not None:
        progress(0.02)
    if solver == "exact":
        from .exact import solve_exact

        result = solve_exact(prof, rules, time_limit=time_limit or 60.0)
        if result is not None:
            crews_rows, optimal = result
            return _assemble(
                people, pool_people, prof, rules, crews_rows, {}, seed, "CP-SAT", optimal
            )

    unit_rows, reasons = _unit_reasons(prof, pool_people, rules, kept_ids)
    units = _Units(prof, unit_rows)
    solver_state = _Solver(prof, units, rules, seed, deadline, progress)
    all_units = np.arange(len(unit_rows))
    if len(all_units) > BLOCK_UNITS:
        crews_units, leftover = solver_state.solve_large(all_units)
    else:
        crews_units, leftover = solver_state.solve_block(all_units, _ils_rounds(len(all_units)))
    if leftover:
        leftover = _place_leftovers(prof, units, rules, crews_units, leftover, seed)
    solver_state.note(0.97)
    exact_state = "not needed"
    if leftover:
        crews_units, leftover, exact_state = _cover(
            prof, units, rules, crews_units, leftover, seed, deadline, solver != "local"
        )
    crews_units = solver_state.polish(crews_units)
    crews_rows = [[r for u in crew for r in units.members[u]] for crew in crews_units]
    pool_rows = np.array([r for rows in unit_rows for r in rows], np.int64)
    table = CrewTable(units, crews_units, rules.min_size, rules.max_size, prof.signs)
    for u in leftover:
        rows = units.members[u]
        full_fit = any(
            table.size[c] + units.k[u] == rules.max_size + 1 and _fits_larger(table, u, c)
            for c in table.candidate_crews(u)
        )
        why = leftover_reason(
            prof, rows, units.avail[u], units.lang[u], rules, pool_rows, exact_state, full_fit
        )
        for r in rows:
            reasons[r] = why
    solver_state.note(0.98)
    plan = _assemble(
        people,
        pool_people,
        prof,
        rules,
        crews_rows,
        reasons,
        seed,
        "local search",
        progress=progress,
    )
    if progress is not None:
        progress(1.0)
    return plan


def _cover(
    prof: Profiles,
    units: _Units,
    rules: CrewRules,
    crews_units: list[list[int]],
    leftover: list[int],
    seed: int,
    deadline: float | None,
    use_exact: bool,
) -> tuple[list[list[int]], list[int], str]:
    """Coverage first: every repair of coverage.py in turn, each keeping only gains.

    Returns the crews, the units still left over, and what the exact model said for
    them: "timed out", "proved" (no better plan in the neighbourhoods it saw),
    "unavailable" (OR-Tools missing) or "not run" (the time limit came first).
    """
    table = CrewTable(units, crews_units, rules.min_size, rules.max_size, prof.signs)
    left = eject_chains(table, leftover, deadline)
    pool = set(left)
    for u in left:
        if u in pool and table.crew_of[u] < 0:
            gather_crew(table, u, pool)
    left = eject_chains(table, [u for u in left if table.crew_of[u] < 0], deadline)
    state = "not run"
    for number, cluster in enumerate(leftover_clusters(table, left)):
        if deadline is not None and _time.monotonic() > deadline:
            break
        cluster = [u for u in cluster if table.crew_of[u] < 0]
        if cluster:
            _rebuild(prof, units, rules, table, cluster, seed + number)
        cluster = [u for u in cluster if table.crew_of[u] < 0]
        if cluster and use_exact:
            said = _exact_repair(prof, units, rules, table, cluster, deadline)
            state = said if state in ("not run", "proved", "proved for everyone") else state
    # A rebuild may leave out someone who was placed, as long as it places more in all.
    left = [int(u) for u in np.nonzero(table.crew_of < 0)[0]]
    if left:
        # What the repairs above freed may now take someone they could not before.
        left = eject_chains(table, left, deadline)
    crews = [crew for crew in table.crews if crew]
    return crews, left, state


def _rebuild(
    prof: Profiles, units: _Units, rules: CrewRules, table: CrewTable, cluster: list[int], seed: int
) -> None:
    """Take the crews around a cluster of leftovers apart and form them again with them."""
    chosen = neighbourhood(table, cluster, REBUILD_PEOPLE)
    if not chosen:
        return
    block = np.array(sorted(cluster + [u for c in chosen for u in table.crews[c]]), np.int64)
    before = int(units.k[[u for c in chosen for u in table.crews[c]]].sum())
    for attempt in range(3):
        solver = _Solver(prof, units, rules, seed * 31 + attempt, None, None)
        crews, _left = solver.solve_block(block, 2)
        if sum(int(units.k[crew].sum()) for crew in crews) > before:
            for c in chosen:
                for u in list(table.crews[c]):
                    table.take(u)
            for crew in crews:
                table.new_crew(crew)
            return


def _exact_repair(
    prof: Profiles,
    units: _Units,
    rules: CrewRules,
    table: CrewTable,
    cluster: list[int],
    deadline: float | None,
) -> str:
    """CP-SAT on the leftovers and the crews that could take them; everyone placed stays."""
    from .exact import solve_exact

    chosen = neighbourhood(table, cluster, EXACT_PEOPLE)
    rows = [r for u in cluster for r in units.members[u]]
    rows += [r for c in chosen for u in table.crews[c] for r in units.members[u]]
    if len(rows) > 60:
        return "timed out"
    limit = EXACT_SECONDS
    if deadline is not None:
        limit = min(limit, deadline - _time.monotonic())
        if limit <= 0.05:
            return "not run"
    local = {r: i for i, r in enumerate(rows)}
    optional = np.zeros(len(rows), bool)
    optional[[local[r] for u in cluster for r in units.members[u]]] = True
    hint = [[local[r] for u in table.crews[c] for r in units.members[u]] for c in chosen]
    sub = sub_profiles(prof, rows)
    result = solve_exact(
        sub, rules, time_limit=limit, optional=optional, hint=hint, coverage_only=True
    )
    if result is None:
        try:
            import ortools  # noqa: F401
        except ImportError:
            return "unavailable"
        return "timed out"
    crews_rows, optimal = result
    new_crews = [sorted({int(units.of_person[rows[i]]) for i in crew}) for crew in crews_rows]
    before = sum(len(table.crews[c]) for c in chosen)
    if sum(len(crew) for crew in new_crews) > before:
        for c in chosen:
            for u in list(table.crews[c]):
                table.take(u)
        for crew in new_crews:
            table.new_crew(crew)
    if optimal and len(rows) == int(units.k.sum()):
        # The model saw everyone in the pool: nobody left out can be placed at all.
        return "proved for everyone"
    return "proved" if optimal else "timed out"


def _fits_larger(table: CrewTable, u: int, c: int) -> bool:
    """Would u fit crew c by every rule if crews could be one larger?"""
    table.high += 1
    try:
        return table.fits(u, c)
    finally:
        table.high -= 1


def _place_leftovers(
    prof: Profiles,
    units: _Units,
    rules: CrewRules,
    crews_units: list[list[int]],
    leftover: list[int],
    seed: int,
) -> list[int]:
    """Leftovers from the blocks: into any crew with room, else crews of their own."""
    n_crews = len(crews_units)
    crew_of = np.full(len(units.k), -1, np.int64)
    sizes = np.zeros(n_crews, np.int64)
    sums = np.zeros((n_crews, units.x.shape[1]))
    gavail = np.full((n_crews, units.avail.shape[1]), ALL_ONES, np.uint64)
    glang = np.full((n_crews, units.lang.shape[1]), ALL_ONES, np.uint64)
    for c, crew in enumerate(crews_units):
        crew_of[crew] = c
        sizes[c] = units.k[crew].sum()
        sums[c] = units.x[crew].sum(axis=0)
        gavail[c] = and_rows(units.avail[crew])
        glang[c] = and_rows(units.lang[crew])
    still: list[int] = []
    for u in leftover:
        room = np.nonzero(sizes + units.k[u] <= rules.max_size)[0]
        if len(room):
            ok = (gavail[room] & units.avail[u]).any(axis=1) & (glang[room] & units.lang[u]).any(
                axis=1
            )
            banned = crew_of[units.forbid[u]]
            ok &= ~np.isin(room, banned[banned >= 0])
            room = room[ok]
        if len(room) == 0:
            still.append(u)
            continue
        gain = (sums[room] @ (units.x[u] * prof.signs)) / sizes[room]
        c = int(room[int(np.argmax(gain))])
        crews_units[c].append(u)
        crew_of[u] = c
        sizes[c] += units.k[u]
        sums[c] += units.x[u]
        gavail[c] &= units.avail[u]
        glang[c] &= units.lang[u]
    if len(still) < 2:
        return still
    block = np.array(still, np.int64)
    solver = _Solver(prof, units, rules, seed + 7, None, None)
    crews, left = solver.solve_block(block, 2)
    crews_units.extend(crews)
    return left


def _assemble(
    people: Sequence[Person],
    pool_people: Sequence[Person],
    prof: Profiles,
    rules: CrewRules,
    crews_rows: list[list[int]],
    reasons: dict[int, str],
    seed: int,
    method: str,
    optimal: bool = False,
    progress: Progress | None = None,
) -> CrewPlan:
    week = rules.week_monday
    by_id = {p.id: p for p in people}
    crews_rows = [sorted(rows, key=lambda r: prof.ids[r]) for rows in crews_rows if rows]
    member_ids = [[prof.ids[r] for r in rows] for rows in crews_rows]
    broken = {v.crew: v for v in check_crews(pool_people, member_ids, _without_keep(rules))}
    if progress is not None:
        progress(0.985)
    reasons = dict(reasons)
    good: list[list[int]] = []
    for number, rows in enumerate(crews_rows):
        if number in broken:
            for r in rows:
                reasons[r] = {"code": "broke_rule", "detail": broken[number].detail}
        else:
            good.append(rows)
    good.sort(key=lambda rows: prof.ids[rows[0]])
    crews: list[Crew] = []
    for rows in [list(c) for c in rules.keep]:
        members = [by_id[pid] for pid in sorted(rows) if pid in by_id]
        if members:
            crews.append(
                Crew(
                    len(crews) + 1,
                    tuple(p.id for p in members),
                    0.0,
                    0.0,
                    explain_crew(members, week),
                    kept=True,
                )
            )
    total = 0.0
    scores: list[float] = []
    for done, rows in enumerate(good):
        if progress is not None and done % 256 == 0:
            progress(0.985 + 0.01 * done / len(good))
        score, interest = _crew_scores(prof, rows)
        scores.append(score)
        total += score * len(rows)
        members = [by_id[prof.ids[r]] for r in rows]
        crews.append(
            Crew(
                len(crews) + 1,
                tuple(p.id for p in members),
                score,
                interest,
                explain_crew(members, week),
            )
        )
    placed = [r for rows in good for r in rows]
    # Possible crew-mates for the suggested change: everyone whose own sign-up can be placed.
    signed_up = {r for r, why in reasons.items() if why["code"] in SIGN_UP_CODES}
    pool_rows = np.array(sorted(set(range(prof.n)) - signed_up), np.int64)
    unplaced = tuple(
        _unplaced(prof, r, reasons[r], rules, pool_rows)
        for r in sorted(reasons, key=lambda r: prof.ids[r])
    )
    bound = upper_bound(prof, sorted(placed), rules.min_size)
    return CrewPlan(
        crews=tuple(crews),
        unplaced=unplaced,
        total=total,
        worst=min(scores) if scores else 0.0,
        mean_score=float(np.mean(scores)) if scores else 0.0,
        upper_bound=bound,
        seed=seed,
        method=method,
        optimal=optimal,
    )


def _unplaced(prof: Profiles, r: int, why: dict, rules: CrewRules, pool_rows) -> Unplaced:
    group = [prof.index[pid] for pid in why.get("people", ()) if pid in prof.index] or [r]
    rows = sorted(set(group) | {r})
    change = change_for(prof, rows, why, rules, pool_rows, prof.timezones[r])
    fields = {k: v for k, v in why.items() if k != "larger_crew"}
    return Unplaced(prof.ids[r], change=change, **fields)


def _without_keep(rules: CrewRules) -> CrewRules:
    from dataclasses import replace

    return replace(rules, keep=())
