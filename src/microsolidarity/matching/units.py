"""Must-together people contracted into units, and the reasons someone can never be placed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .model import CrewRules, Person
from .profiles import Profiles, and_rows
from .union_find import UnionFind

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


class Units:
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


def together_components(prof: Profiles, pool: list[int]) -> list[list[int]]:
    """Rows of the pool joined by must-together wishes (within the pool), each sorted."""
    sets: UnionFind[int] = UnionFind(pool)
    for i in pool:
        for j in prof.together[i]:
            if j in sets:
                sets.union(i, j)
    return [sorted(rows) for rows in sets.groups()]


def unit_reasons(prof: Profiles, people: Sequence[Person], rules: CrewRules, kept: set[str]):
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
    components = together_components(prof, pool)
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
