"""How good a crew is: its mean pair similarity, its interest similarity, and a bound."""

from __future__ import annotations

import numpy as np

from .profiles import Profiles


def crew_scores(prof: Profiles, rows: list[int]) -> tuple[float, float]:
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
