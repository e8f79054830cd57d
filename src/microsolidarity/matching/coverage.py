"""Coverage first: after the search, place every leftover the hard rules allow.

The search maximises similarity and can leave the hardest people out: someone
whose only possible crew-mates sit in full crews, or in crews that someone else
keeps from taking them. Three repairs run in turn, each only ever adding people:

1. Ejection chains: put a leftover in a crew that shares time and language with
   them, moving a member who is in the way (or one seat's worth, when the crew is
   full) to another crew, which may pass one of its own on, up to three steps.
2. Rebuilding: take the few crews around a cluster of leftovers apart and form
   them again with the leftovers, by the same greedy and local search.
3. An exact CP-SAT model (when OR-Tools is installed) on the small neighbourhood
   of crews that could take them, with a short time limit: everyone already placed
   there stays placed, and as many leftovers as possible join.

A change is kept only when it places more people, so a plan never loses anyone.
"""

from __future__ import annotations

import time as _time

import numpy as np

from .profiles import and_rows
from .union_find import UnionFind

CHAIN_DEPTH = 3
# Candidate crews tried per step of a chain, best first: enough to find the chains
# that exist on the planted families, few enough that a chain costs milliseconds.
CHAIN_WIDTH = 12
REBUILD_PEOPLE = 60
EXACT_PEOPLE = 48
EXACT_SECONDS = 2.0
# CP-SAT's deterministic seconds (one worker) per exact repair: on the narrow family at
# 2,000 (seed 2) one leftover needed between 2 and 4 of them.
EXACT_WORK = 5.0


class CrewTable:
    """Crews of units with their masks, for fast "may this unit join that crew" questions."""

    def __init__(self, units, crews: list[list[int]], low: int, high: int, signs: np.ndarray):
        self.un = units
        self.signs = signs
        self.low, self.high = low, high
        self.crews = [list(crew) for crew in crews]
        self.crew_of = np.full(len(units.k), -1, np.int64)
        for c, crew in enumerate(self.crews):
            self.crew_of[crew] = c
        self.size = np.array([int(units.k[crew].sum()) for crew in self.crews], np.int64)
        words_t, words_l = units.avail.shape[1], units.lang.shape[1]
        self.gavail = np.zeros((len(self.crews), words_t), np.uint64)
        self.glang = np.zeros((len(self.crews), words_l), np.uint64)
        for c in range(len(self.crews)):
            self._refresh(c)

    def _refresh(self, c: int) -> None:
        crew = self.crews[c]
        self.size[c] = int(self.un.k[crew].sum()) if crew else 0
        self.gavail[c] = and_rows(self.un.avail[crew])
        self.glang[c] = and_rows(self.un.lang[crew])

    def new_crew(self, members: list[int]) -> int:
        self.crews.append([])
        self.size = np.append(self.size, 0)
        self.gavail = np.vstack([self.gavail, np.zeros((1, self.gavail.shape[1]), np.uint64)])
        self.glang = np.vstack([self.glang, np.zeros((1, self.glang.shape[1]), np.uint64)])
        c = len(self.crews) - 1
        for u in members:
            self.crews[c].append(u)
            self.crew_of[u] = c
        self._refresh(c)
        return c

    def put(self, u: int, c: int) -> None:
        self.crews[c].append(u)
        self.crew_of[u] = c
        self.size[c] += int(self.un.k[u])
        self.gavail[c] &= self.un.avail[u]
        self.glang[c] &= self.un.lang[u]

    def take(self, u: int) -> int:
        c = int(self.crew_of[u])
        self.crews[c].remove(u)
        self.crew_of[u] = -1
        self._refresh(c)
        return c

    def compatible(self, u: int) -> np.ndarray:
        """Units that share a language and a start of the shared run with u, and may meet u."""
        un = self.un
        ok = (un.avail & un.avail[u]).any(axis=1) & (un.lang & un.lang[u]).any(axis=1)
        ok[u] = False
        if len(un.forbid[u]):
            ok[un.forbid[u]] = False
        return ok

    def fits(self, u: int, c: int, without: int = -1) -> bool:
        """May u join crew c (after `without` has left it), by every rule but the minimum?"""
        un = self.un
        rest = [m for m in self.crews[c] if m != without]
        size = int(un.k[rest].sum()) + int(un.k[u]) if rest else int(un.k[u])
        if size > self.high:
            return False
        if without >= 0:
            avail, lang = and_rows(un.avail[rest]), and_rows(un.lang[rest])
        else:
            avail, lang = self.gavail[c], self.glang[c]
        if not (avail & un.avail[u]).any() or not (lang & un.lang[u]).any():
            return False
        banned = un.forbid[u]
        return not (len(banned) and np.isin(rest, banned).any())

    def candidate_crews(self, u: int, ok: np.ndarray | None = None) -> list[int]:
        """Crews all but at most one of whose members may share a crew with u, most first."""
        if ok is None:
            ok = self.compatible(u)
        near = np.nonzero(ok & (self.crew_of >= 0))[0]
        if len(near) == 0:
            return []
        crews, counts = np.unique(self.crew_of[near], return_counts=True)
        members = np.array([len(self.crews[c]) for c in crews])
        keep = counts >= members - 1
        crews, counts, members = crews[keep], counts[keep], members[keep]
        order = np.lexsort((crews, -(counts - members)))
        return [int(c) for c in crews[order]]

    def gain(self, u: int, c: int) -> float:
        """Mean similarity of unit u to the members of crew c (u itself left out)."""
        rest = [m for m in self.crews[c] if m != u]
        if not rest:
            return 0.0
        return float(self.un.x[rest].sum(axis=0) @ (self.un.x[u] * self.signs)) / len(rest)

    def pair(self, a: int, b: int) -> float:
        return float(self.un.x[a] @ (self.un.x[b] * self.signs))

    def placed_units(self) -> int:
        return int(np.count_nonzero(self.crew_of >= 0))


def eject_chains(
    table: CrewTable,
    leftover: list[int],
    deadline: float | None,
    depth: int = CHAIN_DEPTH,
) -> list[int]:
    """Place leftovers by chains of moves; returns the units still left over."""
    still: list[int] = []
    for u in leftover:
        if deadline is not None and _time.monotonic() > deadline:
            still.append(u)
            continue
        if not _place(table, u, depth, set()):
            still.append(u)
    return still


def _place(table: CrewTable, u: int, depth: int, frozen: set[int]) -> bool:
    """Put unit u somewhere, passing on one member per step; undo everything on failure."""
    crews = [c for c in table.candidate_crews(u) if c not in frozen][: CHAIN_WIDTH * 2]
    direct = [c for c in crews if table.fits(u, c)]
    if direct:
        best = max(direct, key=lambda c: (table.gain(u, c), -c))
        table.put(u, best)
        return True
    if depth == 0:
        return False
    k = int(table.un.k[u])
    tried = 0
    for c in crews:
        if tried >= CHAIN_WIDTH:
            break
        tried += 1
        # The member who fits the crew worst is passed on first.
        members = sorted(table.crews[c], key=lambda v: (table.gain(v, c), v))
        for v in members:
            after = int(table.size[c]) - int(table.un.k[v]) + k
            if not table.low <= after <= table.high:
                continue
            if not table.fits(u, c, without=v):
                continue
            table.take(v)
            table.put(u, c)
            if _place(table, v, depth - 1, frozen | {c}):
                return True
            table.take(u)
            table.put(v, c)
    return False


def leftover_clusters(table: CrewTable, leftover: list[int]) -> list[list[int]]:
    """Leftovers grouped with the other leftovers they could share a crew with."""
    un = table.un
    sets: UnionFind[int] = UnionFind(leftover)
    rows = np.array(leftover, np.int64)
    for u in leftover:
        ok = (un.avail[rows] & un.avail[u]).any(axis=1) & (un.lang[rows] & un.lang[u]).any(axis=1)
        for v in rows[ok].tolist():
            sets.union(u, int(v))
    return sets.groups()


def neighbourhood(table: CrewTable, cluster: list[int], people: int) -> list[int]:
    """Crews that could take someone of the cluster, most promising first, up to `people`."""
    un = table.un
    scored: dict[int, int] = {}
    for u in cluster:
        ok = table.compatible(u)
        near = np.nonzero(ok & (table.crew_of >= 0))[0]
        crews, counts = np.unique(table.crew_of[near], return_counts=True)
        for c, count in zip(crews.tolist(), counts.tolist(), strict=True):
            scored[c] = scored.get(c, 0) + count
    total = int(un.k[cluster].sum())
    chosen: list[int] = []
    for c in sorted(scored, key=lambda c: (-scored[c] / max(1, len(table.crews[c])), c)):
        if total + int(table.size[c]) > people:
            continue
        chosen.append(c)
        total += int(table.size[c])
    # A second ring: crews that could take a member of the first, so that a crew at the
    # minimum can give up someone by passing its others on.
    ring: dict[int, int] = {}
    for c in list(chosen):
        for v in table.crews[c]:
            for d in table.candidate_crews(v)[:CHAIN_WIDTH]:
                if d not in chosen:
                    ring[d] = ring.get(d, 0) + 1
    for d in sorted(ring, key=lambda d: (-ring[d], d)):
        if total + int(table.size[d]) > people:
            continue
        chosen.append(d)
        total += int(table.size[d])
    return chosen


def gather_crew(table: CrewTable, u: int, leftover: set[int]) -> list[int] | None:
    """A new crew around leftover u, from other leftovers and members crews can spare.

    A member is spare when their crew stays at or above the minimum without them.
    Returns the new crew's units (already moved) or None, changing nothing.
    """
    un = table.un
    members = [u]
    size = int(un.k[u])
    avail, lang = un.avail[u].copy(), un.lang[u].copy()
    banned = set(un.forbid[u].tolist())
    moved: list[tuple[int, int]] = []
    while size < table.low:
        ok = (un.avail & avail).any(axis=1) & (un.lang & lang).any(axis=1)
        ok[members] = False
        if banned:
            ok[list(banned)] = False
        cands = np.nonzero(ok)[0]
        best, best_key = -1, None
        for v in cands.tolist():
            c = int(table.crew_of[v])
            if c < 0 and v not in leftover:
                continue
            if c >= 0 and int(table.size[c]) - int(un.k[v]) < table.low:
                continue
            if size + int(un.k[v]) > table.high:
                continue
            # Leftovers first (they need it), then whoever is most similar to the crew so far.
            key = (c < 0, sum(table.pair(v, m) for m in members))
            if best_key is None or key > best_key:
                best, best_key = v, key
        if best < 0:
            for v, c in moved:
                table.put(v, c)
            return None
        c = int(table.crew_of[best])
        if c >= 0:
            table.take(best)
            moved.append((best, c))
        members.append(best)
        size += int(un.k[best])
        avail &= un.avail[best]
        lang &= un.lang[best]
        banned.update(un.forbid[best].tolist())
    for v in members:
        leftover.discard(v)
    table.new_crew(members)
    return members


def sub_profiles(prof, rows: list[int]):
    """The arrays of `prof` for some rows only, indexes renumbered (for the exact model)."""
    from dataclasses import replace

    rows_arr = np.array(rows, np.int64)
    local = {int(r): i for i, r in enumerate(rows)}
    forbid = [
        np.array(sorted(local[int(q)] for q in prof.forbid[r] if int(q) in local), np.int64)
        for r in rows
    ]
    together = [[local[q] for q in prof.together[r] if q in local] for r in rows]
    return replace(
        prof,
        ids=[prof.ids[r] for r in rows],
        index={prof.ids[r]: i for i, r in enumerate(rows)},
        vectors=prof.vectors[rows_arr],
        interests=prof.interests[rows_arr],
        avail=prof.avail[rows_arr],
        lang=prof.lang[rows_arr],
        spans=[prof.spans[r] for r in rows],
        forbid=forbid,
        together=together,
        timezones=[prof.timezones[r] for r in rows],
    )
