"""The crew search itself: one block of units, or many blocks grown from nearest partners."""

from __future__ import annotations

import numpy as np

from .greedy import allowed_neighbours, build_sequential, dissolve_worst, greedy_with_neighbours
from .model import CrewRules, Progress
from .nearby import bucket_neighbours
from .profiles import Profiles
from .regroup import regroup_all
from .resplit import lift_worst_crews, resplit_all
from .scores import crew_scores
from .search import GroupSearch, VectorOracle
from .units import Units

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
# Pools of several crews formed again exactly after the polish (regroup.py).
REGROUP = True


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


def _blocking_points(prof: Profiles, units: Units) -> np.ndarray:
    """Unit positions for blocking: similarity vectors plus languages and time, unit length."""
    lang_bits = np.unpackbits(units.lang.view(np.uint8), axis=1, bitorder="little")
    lang_bits = lang_bits[:, : max(1, len(prof.languages))].astype(np.float64)
    time_bits = np.unpackbits(units.avail.view(np.uint8), axis=1, bitorder="little")
    if time_bits.shape[1] < 84:
        # Without a time rule the mask is one word of ones (64 bits): pad up to 84 bins.
        time_bits = np.pad(time_bits, ((0, 0), (0, 84 - time_bits.shape[1])))
    step = time_bits.shape[1] // 84
    time_bins = time_bits[:, : step * 84].reshape(len(time_bits), 84, step).mean(axis=2)
    parts: list[np.ndarray] = [
        np.abs(units.x) / np.maximum(units.k, 1)[:, None],
        lang_bits,
        time_bins,
    ]
    normed = []
    for part in parts:
        norms = np.linalg.norm(part, axis=1, keepdims=True)
        normed.append(np.divide(part, norms, out=np.zeros_like(part), where=norms > 0))
    return np.concatenate(normed, axis=1).astype(np.float32)


class BlockSolver:
    def __init__(
        self,
        prof: Profiles,
        units: Units,
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
        neighbours = allowed_neighbours(neighbours, un.forbid, NEIGHBOURS)
        self.note(0.17)
        crews, leftover = greedy_with_neighbours(self, neighbours, rng)
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
            [crew_scores(self.prof, [r for u in crew for r in un.members[u]])[0] for crew in crews]
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
        if REGROUP:
            regroup_all(search, deadline=self.deadline)
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
            dissolve_worst(search)
        return [[int(block[u]) for u in members] for members in search.members if members]


def ils_rounds(units: int) -> int:
    return max(2, min(40, 4000 // max(1, units)))
