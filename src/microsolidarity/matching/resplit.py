"""Two or three crews taken together and split again in the best way (every split of their members).

Moves and swaps change one or two members at a time; with narrow windows a crew that
sits in a spare window of its members is a local optimum for them, because no single
member can leave (a crew at the minimum) and no one swap finds a member who shares both
crews' hours. Taking two crews (or three that fit in two) together, up to 12 units, and
scoring every split of their members into two crews finds those exchanges, and lets
small crews merge. The subsets are scored by a sweep over their lowest unit, with the
AND of their time and language masks and their forbidden pairs carried along, so one
trial costs a few numpy operations on 2^(m-1) rows. `lift_worst_crews` uses the same
splits to raise the worst crew (the max-min pass)."""

from __future__ import annotations

import time as _time

import numpy as np

from .search import EPS, GroupSearch

MAX_UNITS = 12


def _subset_tables(search: GroupSearch, units: list[int]):
    """For every subset of `units` (bit i = units[i]): size, pair total, rules kept."""
    m = len(units)
    count = 1 << m
    arr = np.array(units, np.int64)
    pair = np.zeros((m, m))
    for i, u in enumerate(units):
        pair[i] = search.oracle.pairs(u, arr)
    np.fill_diagonal(pair, 0.0)
    size = np.zeros(count, np.int64)
    w = np.zeros(count)
    ok = np.ones(count, bool)
    bits = ((np.arange(count)[:, None] >> np.arange(m)[None, :]) & 1).astype(np.float64)
    if search.has_rules:
        avail = np.empty((count, search.avail.shape[1]), np.uint64)
        lang = np.empty((count, search.lang.shape[1]), np.uint64)
        avail[0] = np.iinfo(np.uint64).max
        lang[0] = np.iinfo(np.uint64).max
    position = {u: i for i, u in enumerate(units)}
    for i, u in enumerate(units):
        lo, hi = 1 << i, 1 << (i + 1)
        rest = np.arange(0, lo)
        size[lo:hi] = size[rest] + search.k[u]
        w[lo:hi] = w[rest] + bits[rest] @ pair[i] + search.internal[u]
        clash = 0
        for v in search.forbid[u]:
            j = position.get(int(v))
            if j is not None and j < i:
                clash |= 1 << j
        ok[lo:hi] = ok[rest] & ((rest & clash) == 0)
        if search.has_rules:
            avail[lo:hi] = avail[rest] & search.avail[u]
            lang[lo:hi] = lang[rest] & search.lang[u]
    if search.has_rules:
        ok &= avail.any(axis=1) & lang.any(axis=1)
    return size, w, ok


def _mixable(search: GroupSearch, groups: list[int]) -> bool:
    """Does someone in the first group share time and a language with someone in another?

    If not, no split but the current one keeps the rules (and no merge), so the
    subset tables need not be built.
    """
    mine = search.members[groups[0]]
    theirs = [u for g in groups[1:] for u in search.members[g]]
    if not mine or not theirs:
        return False
    avail = (search.avail[mine][:, None, :] & search.avail[theirs][None, :, :]).any(axis=2)
    lang = (search.lang[mine][:, None, :] & search.lang[theirs][None, :, :]).any(axis=2)
    return bool((avail & lang).any())


def resplit(search: GroupSearch, groups: list[int], *, lift_slack: float | None = None) -> bool:
    """Split the members of two or three groups into two in the best way (or one, if better).

    The members end in the first two groups and any third is left empty, so three small
    crews can become two larger ones and two can merge: the number of crews is free to
    fall where that raises the objective. True if the groups changed.

    With `lift_slack`, the split chosen is the one whose weaker crew is strongest, taken
    only if that crew is above the first group's score (the worst crew, when called from
    `lift_worst_crews`) and the total falls by at most `lift_slack`.
    """
    units = [u for g in groups for u in search.members[g]]
    m = len(units)
    if m > MAX_UNITS or m < 2:
        return False
    a, b = groups[0], groups[1]
    if search.has_rules and not _mixable(search, groups):
        return False
    size, w, ok = _subset_tables(search, units)
    full = (1 << m) - 1
    # Subsets holding the first unit stand for the split; their complement is the other crew.
    subsets = np.arange(1, 1 << m, 2)
    other = full ^ subsets
    lower, upper = max(int(search.lower[a]), 1), int(search.upper[a])
    good = ok[subsets] & ok[other]
    good &= (size[subsets] >= lower) & (size[subsets] <= upper)
    good &= (size[other] == 0) | ((size[other] >= lower) & (size[other] <= upper))
    if not good.any():
        return False
    value = search.value(w[subsets], size[subsets]) + search.value(w[other], size[other])
    sizes = search.size[groups]
    before = float(np.sum(search.value(search.w[groups], sizes)))
    low = np.minimum(search.score(w[subsets], size[subsets]), search.score(w[other], size[other]))
    if lift_slack is not None:
        floor = float(search.score(search.w[a], search.size[a]))
        good &= (low > floor + EPS) & (value >= before - lift_slack)
        if not good.any():
            return False
        best = int(np.argmax(np.where(good, low, -np.inf)))
    else:
        if search.maximin:
            floor = min(search.worst(), float(np.min(search.score(search.w[groups], sizes))))
            good &= low >= floor - EPS
        value = np.where(good, value, -np.inf)
        best = int(np.argmax(value))
        if value[best] <= before + EPS:
            return False
    chosen = int(subsets[best])
    for u in units:
        search.unassign(u)
    for i, u in enumerate(units):
        search.assign(u, a if chosen >> i & 1 else b)
    return True


def _language_union(search: GroupSearch) -> np.ndarray:
    """Per group, the OR of its members' language masks (who it could share a language with)."""
    union = np.zeros((search.groups, search.lang.shape[1]), np.uint64)
    placed = np.nonzero(search.group_of >= 0)[0]
    np.bitwise_or.at(union, search.group_of[placed], search.lang[placed])
    return union


def partner_groups(search: GroupSearch, g: int, width: int, union: np.ndarray | None) -> np.ndarray:
    """The groups whose members fit group g's members best (mean affinity per member pair)."""
    aff = np.zeros(search.groups)
    for u in search.members[g]:
        aff += search.oracle.affinity(u, search.size)
    live = search.size > 0
    live[g] = False
    if union is not None:
        # Only groups that share a language with someone in g can take any of its members.
        live &= (union & union[g]).any(axis=1)
    per_pair = np.where(live, aff / np.maximum(search.size * max(1, search.size[g]), 1), -np.inf)
    order = np.argsort(-per_pair, kind="stable")[:width]
    return order[np.isfinite(per_pair[order])]


def compatible_groups(search: GroupSearch, g: int, width: int) -> np.ndarray:
    """The groups holding someone who shares time and a language with a member of g.

    For the worst crew, the best partners by similarity often share no hour with its
    members; these are the crews a split could actually mix with. Ranked by affinity.
    """
    placed = np.nonzero((search.group_of >= 0) & (search.group_of != g))[0]
    if search.has_rules:
        near = np.zeros(len(placed), bool)
        for u in search.members[g]:
            near |= (search.avail[placed] & search.avail[u]).any(axis=1) & (
                search.lang[placed] & search.lang[u]
            ).any(axis=1)
        placed = placed[near]
    groups = np.unique(search.group_of[placed])
    if len(groups) == 0:
        return groups
    aff = np.zeros(search.groups)
    for u in search.members[g]:
        aff += search.oracle.affinity(u, search.size)
    per_pair = aff[groups] / np.maximum(search.size[groups] * max(1, search.size[g]), 1)
    return groups[np.argsort(-per_pair, kind="stable")[:width]]


def resplit_all(
    search: GroupSearch,
    *,
    width: int = 4,
    deadline: float | None = None,
    dirty: set[int] | None = None,
) -> int:
    """Pass over the groups, each with its `width` best partners, until nothing changes.

    Each group is tried with each partner, then with each two partners whose members
    fit in two crews together.
    """
    changes = 0
    if dirty is None:
        dirty = set(np.nonzero(search.size > 0)[0].tolist())
    while dirty:
        union = _language_union(search) if search.has_rules else None
        next_dirty: set[int] = set()
        for g in search.rng.permutation(sorted(dirty)):
            g = int(g)
            if search.size[g] == 0:
                continue
            if deadline is not None and _time.monotonic() > deadline:
                return changes
            partners = [int(h) for h in partner_groups(search, g, width, union)]
            trials = _trials(search, g, partners)
            for trial in trials:
                if resplit(search, trial):
                    changes += 1
                    next_dirty.update(c for c in trial if search.size[c] > 0)
                    if union is not None:
                        for c in trial:
                            rows = search.members[c]
                            union[c] = (
                                np.bitwise_or.reduce(search.lang[rows], axis=0) if rows else 0
                            )
                    break
        dirty = next_dirty
    return changes


def _trials(search: GroupSearch, g: int, partners: list[int]) -> list[list[int]]:
    """Group g with each partner, then with each two partners that fit in two crews."""
    trials = [[g, h] for h in partners]
    trials += [
        [g, h, j]
        for i, h in enumerate(partners)
        for j in partners[i + 1 :]
        if len(search.members[g]) + len(search.members[h]) + len(search.members[j]) <= MAX_UNITS
        and search.size[g] + search.size[h] + search.size[j] <= 2 * search.upper[g]
    ]
    return trials


def lift_worst_crews(
    search: GroupSearch, *, share: float = 0.005, width: int = 8, deadline: float | None = None
) -> int:
    """Max-min pass: take the worst crew again and again and split it again with partners.

    A split is taken when its weaker crew is above the worst crew's score and the total
    falls by at most 0.1% of it (and by at most `share` of it over the whole pass), so
    the worst crew rises at a small, bounded cost. Stops when the worst crew cannot be
    lifted. Returns the number of lifts.
    """
    if not search.maximin:
        return 0
    budget = share * abs(search.total())
    step = 0.001 * abs(search.total())
    start = search.total()
    lifts = 0
    while deadline is None or _time.monotonic() < deadline:
        live = np.nonzero(search.size >= 2)[0]
        if len(live) < 2:
            break
        g = int(live[np.argmin(search.score(search.w[live], search.size[live]))])
        partners = [int(h) for h in compatible_groups(search, g, width)]
        slack = min(step, budget - (start - search.total()))
        if slack < 0 or not any(
            resplit(search, trial, lift_slack=slack) for trial in _trials(search, g, partners)
        ):
            break
        lifts += 1
    return lifts
