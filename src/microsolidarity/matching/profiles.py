"""People turned into arrays: similarity vectors, shared-time and language bit masks.

Pair similarity is an inner product of per-person vectors (plus a constant), so a
crew's total is computed from the sum of its members' vectors and memory stays
linear in the number of people. The "shares enough contiguous time" rule becomes
a bit mask per person: bit t is set when the person is free for the whole run of
slots starting at slot t. A crew keeps the rule exactly when the AND of its
members' masks is not zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from zoneinfo import ZoneInfo

import numpy as np

from .availability import MINUTES_PER_WEEK, week_minutes_utc
from .model import CrewRules, History, Person

TIME_BIN_MINUTES = 120
_CHUNK = 8192


@dataclass(slots=True)
class Profiles:
    """Arrays for n people, row i for `ids[i]`."""

    ids: list[str]
    index: dict[str, int]
    vectors: np.ndarray  # n x d, float64
    signs: np.ndarray  # d, +1 or -1: sim(i, j) = (v_i * signs) . v_j + offset
    offset: float
    interests: np.ndarray  # n x tags, float32, unit rows (zero when none given)
    tags: list[str]
    avail: np.ndarray  # n x words, uint64: runs of min_common_minutes that may start at a slot
    lang: np.ndarray  # n x words, uint64
    languages: list[str]
    spans: list[list[tuple[int, int]]]  # UTC [start, end) minutes in the week
    slot_minutes: int
    forbid: list[np.ndarray]  # per person: indexes never to share a crew with
    together: list[list[int]]
    timezones: list[str]

    @property
    def n(self) -> int:
        return len(self.ids)

    def similarity(self, i: int, j: int) -> float:
        return float((self.vectors[i] * self.signs) @ self.vectors[j]) + self.offset


def _utc_offset_minutes(zone: str, week: date, cache: dict[str, int]) -> int:
    if zone not in cache:
        moment = datetime.combine(week + timedelta(days=2), time(12), tzinfo=ZoneInfo(zone))
        offset = moment.utcoffset() or timedelta(0)
        cache[zone] = int(offset.total_seconds() // 60)
    return cache[zone]


def _pack_bits(matrix: np.ndarray) -> np.ndarray:
    """Rows of booleans as rows of uint64 words (bit t of the row is column t)."""
    packed = np.packbits(matrix, axis=1, bitorder="little")
    pad = (-packed.shape[1]) % 8
    if pad:
        packed = np.concatenate([packed, np.zeros((packed.shape[0], pad), np.uint8)], axis=1)
    return np.ascontiguousarray(packed).view(np.uint64)


def choose_slot_minutes(spans: list[list[tuple[int, int]]]) -> int:
    """The coarsest slot that still lands on every window edge (at least 5 minutes)."""
    step = 60
    for person_spans in spans:
        for start, end in person_spans:
            step = math.gcd(step, start, end)
            if step < 5:
                return 5
    return step


def availability_masks(
    spans: list[list[tuple[int, int]]], slot: int, min_minutes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Start-of-run masks and time-of-week profiles (2-hour bins, unit rows)."""
    n = len(spans)
    slots = MINUTES_PER_WEEK // slot
    run = max(1, math.ceil(min_minutes / slot))
    per_bin = TIME_BIN_MINUTES // slot if TIME_BIN_MINUTES % slot == 0 else None
    words = math.ceil(slots / 64)
    masks = np.zeros((n, words), np.uint64)
    bins = np.zeros((n, MINUTES_PER_WEEK // TIME_BIN_MINUTES), np.float32)
    for lo in range(0, n, _CHUNK):
        hi = min(n, lo + _CHUNK)
        free = np.zeros((hi - lo, slots), bool)
        for row, person_spans in enumerate(spans[lo:hi]):
            for start, end in person_spans:
                first, last = -(-start // slot), end // slot
                if last > first:
                    free[row, first:last] = True
        wrapped = np.concatenate([free, free[:, : run - 1]], axis=1).astype(np.int16)
        totals = np.zeros((hi - lo, wrapped.shape[1] + 1), np.int32)
        np.cumsum(wrapped, axis=1, out=totals[:, 1:])
        starts = (totals[:, run : run + slots] - totals[:, :slots]) == run
        masks[lo:hi] = _pack_bits(starts)
        if per_bin is not None:
            bins[lo:hi] = free.reshape(hi - lo, -1, per_bin).mean(axis=2)
        else:
            for row, person_spans in enumerate(spans[lo:hi]):
                for start, end in person_spans:
                    for minute in range(start, end, 5):
                        bins[lo + row, minute // TIME_BIN_MINUTES] += 5 / TIME_BIN_MINUTES
    norms = np.linalg.norm(bins, axis=1, keepdims=True)
    np.divide(bins, norms, out=bins, where=norms > 0)
    return masks, bins


def build_profiles(people: list[Person], rules: CrewRules) -> Profiles:
    """Arrays for `people` under `rules` (ids must be unique; unknown ids in lists are ignored)."""
    ids = [p.id for p in people]
    index = {pid: i for i, pid in enumerate(ids)}
    week = rules.week_monday
    weights = rules.pair_weights
    n = len(people)

    spans = [week_minutes_utc(p.availability, p.timezone, week) for p in people]
    slot = choose_slot_minutes(spans)
    if rules.min_common_minutes > 0:
        avail, time_bins = availability_masks(spans, slot, rules.min_common_minutes)
    else:
        _, time_bins = availability_masks(spans, slot, 5)
        avail = np.full((n, 1), np.iinfo(np.uint64).max, np.uint64)

    languages = sorted({lang for p in people for lang in p.languages})
    lang_index = {lang: i for i, lang in enumerate(languages)}
    lang_bool = np.zeros((n, max(1, len(languages))), bool)
    for i, p in enumerate(people):
        for lang in p.languages:
            lang_bool[i, lang_index[lang]] = True
    if not rules.require_shared_language:
        lang_bool[:] = True
    lang = _pack_bits(lang_bool)

    tags = sorted({tag for p in people for tag in p.interests})
    tag_index = {tag: i for i, tag in enumerate(tags)}
    interests = np.zeros((n, max(1, len(tags))), np.float32)
    for i, p in enumerate(people):
        if p.interests:
            cols = [tag_index[t] for t in p.interests]
            interests[i, cols] = 1.0 / math.sqrt(len(cols))

    cache: dict[str, int] = {}
    angle = np.array(
        [2 * math.pi * _utc_offset_minutes(p.timezone, week, cache) / 1440 for p in people]
    )
    zone_vectors = np.stack([np.cos(angle), np.sin(angle)], axis=1) if n else np.zeros((0, 2))

    blocks, signs = [], []
    offset = 0.0
    for weight, block in (
        (weights.interests, interests),
        (weights.shared_time, time_bins),
        (weights.timezone / 2, zone_vectors),
    ):
        if weight:
            blocks.append(np.asarray(block, np.float64) * math.sqrt(abs(weight)))
            signs.append(np.full(block.shape[1], 1.0 if weight > 0 else -1.0))
    offset += weights.timezone / 2
    vectors = np.concatenate(blocks, axis=1) if blocks else np.zeros((n, 1))
    sign_vector = np.concatenate(signs) if signs else np.ones(1)

    forbid_sets: list[set[int]] = [set() for _ in range(n)]
    for i, p in enumerate(people):
        for other in p.apart:
            j = index.get(other)
            if j is not None and j != i:
                forbid_sets[i].add(j)
                forbid_sets[j].add(i)
    history = History.from_crews(rules.history)
    for a, b in history.pairs:
        i, j = index.get(a), index.get(b)
        if i is not None and j is not None:
            forbid_sets[i].add(j)
            forbid_sets[j].add(i)
    together: list[list[int]] = [[] for _ in range(n)]
    for i, p in enumerate(people):
        for other in p.together:
            j = index.get(other)
            if j is not None and j != i:
                together[i].append(j)
                together[j].append(i)

    return Profiles(
        ids=ids,
        index=index,
        vectors=vectors,
        signs=sign_vector,
        offset=offset,
        interests=interests,
        tags=tags,
        avail=avail,
        lang=lang,
        languages=languages,
        spans=spans,
        slot_minutes=slot,
        forbid=[np.fromiter(sorted(s), np.int64, len(s)) for s in forbid_sets],
        together=together,
        timezones=[p.timezone for p in people],
    )


def and_rows(rows: np.ndarray) -> np.ndarray:
    """Bitwise AND of mask rows (all ones for no rows)."""
    if len(rows) == 0:
        return np.full(rows.shape[1:], np.iinfo(np.uint64).max, np.uint64)
    return reduce(np.bitwise_and, rows)
