"""Candidate crew-mates: each unit's most similar others among those it may share a crew with.

A crew must share a language and a run of weekly time, so two units can only
meet if they share a language and a start slot. Bucketing by (language, 2-hour
bin of start slots) keeps every allowed pair together in at least one bucket,
and buckets are small (a few hundred people even at 100,000), so neighbours
inside a bucket are found exactly with one matrix product per chunk of rows.
Buckets larger than `leaf` are cut along random directions first, which makes
them approximate but keeps time and memory linear in the number of people.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .profiles import TIME_BIN_MINUTES

ROW_CHUNK = 512


def _bin_codes(avail: np.ndarray, slot_minutes: int) -> np.ndarray:
    """Per unit and 2-hour bin, the bits of the start slots inside the bin (0: none)."""
    per_bin = max(1, TIME_BIN_MINUTES // slot_minutes)
    n, words = avail.shape
    bits = words * 64
    bins = -(-bits // per_bin)
    codes = np.zeros((n, bins), np.uint32)
    weights = (np.uint32(1) << np.arange(per_bin, dtype=np.uint32)).astype(np.uint32)
    for lo in range(0, n, 8192):
        chunk = np.unpackbits(avail[lo : lo + 8192].view(np.uint8), axis=1, bitorder="little")
        pad = bins * per_bin - chunk.shape[1]
        if pad:
            chunk = np.pad(chunk, ((0, 0), (0, pad)))
        shaped = chunk.reshape(len(chunk), bins, per_bin).astype(np.uint32)
        codes[lo : lo + 8192] = shaped @ weights
    return codes


def _split(points: np.ndarray, members: np.ndarray, leaf: int, rng: np.random.Generator):
    """Cut `members` in halves along the line between two random members until small."""
    if len(members) <= leaf:
        return [members]
    data = points[members]
    i, j = rng.choice(len(members), 2, replace=False)
    order = np.argsort(data @ (data[i] - data[j]), kind="stable")
    half = len(members) // 2
    return _split(points, members[order[:half]], leaf, rng) + _split(
        points, members[order[half:]], leaf, rng
    )


def _buckets(lang: np.ndarray, languages: int, codes: np.ndarray):
    """(members, their codes in the bin) for every (language, bin) with two or more units."""
    lang_bits = np.unpackbits(lang.view(np.uint8), axis=1, bitorder="little")
    lang_bits = lang_bits[:, : max(1, languages)].astype(bool)
    columns = [lang_bits[:, c] for c in range(lang_bits.shape[1])]
    if lang_bits.all():
        columns = [np.ones(len(lang), bool)]
    every_bin = bool((codes != 0).all())
    for speakers in columns:
        for b in range(codes.shape[1]):
            bin_codes = codes[:, b]
            inside = np.nonzero(speakers & (bin_codes != 0))[0]
            if len(inside) > 1:
                yield inside, bin_codes[inside]
            if every_bin:
                # Everyone is free at every slot (no time rule): one bin says it all.
                break


def bucket_neighbours(
    left: np.ndarray,
    right: np.ndarray,
    avail: np.ndarray,
    lang: np.ndarray,
    languages: int,
    slot_minutes: int,
    k: int,
    rng: np.random.Generator,
    leaf: int = 2048,
    tick: Callable[[float], None] | None = None,
) -> np.ndarray:
    """n x k indexes: for each unit, the k others it could share a crew with, most similar first.

    Similarity of i to j is left[i] . right[j]. Rows with fewer than k candidates
    are padded with the unit's own index.
    """
    n = len(left)
    out = np.repeat(np.arange(n, dtype=np.int64)[:, None], k, axis=1)
    if n < 2 or k < 1:
        return out
    left = np.ascontiguousarray(left, np.float32)
    right = np.ascontiguousarray(right, np.float32)
    codes = _bin_codes(avail, slot_minutes)
    found_rows: list[np.ndarray] = []
    found_cols: list[np.ndarray] = []
    found_sims: list[np.ndarray] = []
    buckets = list(_buckets(lang, languages, codes))
    for number, (members, member_codes) in enumerate(buckets):
        if tick is not None and number % 16 == 0:
            tick(number / len(buckets))
        parts = [np.arange(len(members))]
        if len(members) > leaf:
            parts = _split(right[members], parts[0], leaf, rng)
        for part in parts:
            ids, part_codes = members[part], member_codes[part]
            rhs = right[ids].T
            take = min(k, len(ids) - 1)
            if take < 1:
                continue
            for lo in range(0, len(ids), ROW_CHUNK):
                rows = np.arange(lo, min(len(ids), lo + ROW_CHUNK))
                sims = left[ids[rows]] @ rhs
                allowed = (part_codes[rows, None] & part_codes[None, :]) != 0
                allowed[np.arange(len(rows)), rows] = False
                sims[~allowed] = -np.inf
                top = np.argpartition(-sims, take - 1, axis=1)[:, :take]
                top_sims = np.take_along_axis(sims, top, axis=1)
                keep = np.isfinite(top_sims)
                found_rows.append(np.broadcast_to(ids[rows, None], top.shape)[keep])
                found_cols.append(ids[top][keep])
                found_sims.append(top_sims[keep])
    if tick is not None:
        tick(1.0)
    if not found_rows:
        return out
    rows = np.concatenate(found_rows).astype(np.int64)
    cols = np.concatenate(found_cols).astype(np.int64)
    sims = np.concatenate(found_sims)
    _, first = np.unique(rows * n + cols, return_index=True)
    rows, cols, sims = rows[first], cols[first], sims[first]
    order = np.lexsort((-sims, rows))
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(rows, rows, side="left")
    rank = np.arange(len(rows)) - starts
    keep = rank < k
    out[rows[keep], rank[keep]] = cols[keep]
    return out
