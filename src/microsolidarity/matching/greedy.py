"""Greedy starts for the crew search: crews grown around the hardest-to-place unit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .search import GroupSearch

if TYPE_CHECKING:
    from .blocks import BlockSolver


def allowed_neighbours(neighbours: np.ndarray, forbid: list[np.ndarray], k: int) -> np.ndarray:
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


def greedy_with_neighbours(solver: BlockSolver, neighbours: np.ndarray, rng: np.random.Generator):
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


def dissolve_worst(search: GroupSearch, tries: int = 3) -> None:
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
