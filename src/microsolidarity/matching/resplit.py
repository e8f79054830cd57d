"""Two crews taken together and split again in the best way (every split of their members).

Moves and swaps change one or two members at a time; with narrow windows a crew that
sits in a spare window of its members is a local optimum for them, because no single
member can leave (a crew at the minimum) and no one swap finds a member who shares both
crews' hours. Taking two crews that share a language and some time together (up to 12
units) and scoring every split of their members into two crews finds those exchanges.
The subsets are scored by a sweep over their lowest unit, with the AND of their
time and language masks and their forbidden pairs carried along, so one pair of
crews costs a few numpy operations on 2^(m-1) rows.
"""

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


def resplit_pair(search: GroupSearch, a: int, b: int) -> bool:
    """Split the members of groups a and b again in the best way; True if it changed them."""
    units = search.members[a] + search.members[b]
    m = len(units)
    if m > MAX_UNITS or m < 2:
        return False
    size, w, ok = _subset_tables(search, units)
    full = (1 << m) - 1
    # Subsets holding the first unit stand for the split; their complement is the other crew.
    subsets = np.arange(1, 1 << m, 2)
    other = full ^ subsets
    lower, upper = max(search.lower[a], 1), search.upper[a]
    lower_b, upper_b = max(search.lower[b], 1), search.upper[b]
    good = ok[subsets] & ok[other]
    good &= (size[subsets] >= lower) & (size[subsets] <= upper)
    good &= (size[other] >= lower_b) & (size[other] <= upper_b)
    if not good.any():
        return False
    value = search.value(w[subsets], size[subsets]) + search.value(w[other], size[other])
    before = search.value(search.w[a], search.size[a]) + search.value(search.w[b], search.size[b])
    if search.maximin:
        floor = min(
            search.worst(),
            float(search.score(search.w[a], search.size[a])),
            float(search.score(search.w[b], search.size[b])),
        )
        low = np.minimum(
            search.score(w[subsets], size[subsets]), search.score(w[other], size[other])
        )
        good &= low >= floor - EPS
    value = np.where(good, value, -np.inf)
    best = int(np.argmax(value))
    if value[best] <= before + EPS:
        return False
    chosen = int(subsets[best])
    current = sum(1 << i for i, u in enumerate(units) if u in search.members[a])
    if chosen == current or (full ^ chosen) == current:
        return False
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


def resplit_all(search: GroupSearch, *, width: int = 4, deadline: float | None = None) -> int:
    """Pass over the groups, each with its `width` best partners, until nothing changes."""
    changes = 0
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
            for h in partner_groups(search, g, width, union):
                h = int(h)
                if resplit_pair(search, g, h):
                    changes += 1
                    next_dirty.update((g, h))
                    if union is not None:
                        for c in (g, h):
                            union[c] = np.bitwise_or.reduce(search.lang[search.members[c]], axis=0)
                    break
        dirty = next_dirty
    return changes
