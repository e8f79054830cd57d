"""People turned into arrays: similarity vectors, shared-time and language bit masks.

Pair similarity is an inner product of per-person vectors (plus a constant), so a
crew's total is computed from the sum of its members' vectors and memory stays
linear in the number of people. The "shares enough contiguous time" rule becomes
a bit mask per person: bit t is set when the person is free for the whole run of
slots starting at slot t. A crew keeps the rule exactly when the AND of its
members' masks is not zero.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from itertools import chain, pairwise
from operator import attrgetter
from zoneinfo import ZoneInfo

import numpy as np

from .availability import MINUTES_PER_WEEK, WeekSpans, many_week_minutes_utc
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


def _slot_of(week: WeekSpans) -> int:
    """`choose_slot_minutes` on the joined span arrays."""
    edges = np.concatenate([week.starts, week.stops])
    step = math.gcd(60, int(np.gcd.reduce(edges))) if len(edges) else 60
    return max(step, 5)


def _masks_of(
    week: WeekSpans, slot: int, min_minutes: int | None
) -> tuple[np.ndarray | None, np.ndarray]:
    """`availability_masks` on the joined span arrays (no masks when `min_minutes` is None).

    Free slots are set from each span's flat slot indexes; the bins are counts of free
    slots over the bin's slots (the same float64 division as the mean of booleans).
    """
    n = len(week.bounds) - 1
    slots = MINUTES_PER_WEEK // slot
    run = max(1, math.ceil((min_minutes or 5) / slot))
    per_bin = TIME_BIN_MINUTES // slot
    bin_count = MINUTES_PER_WEEK // TIME_BIN_MINUTES
    words = math.ceil(slots / 64)
    masks = np.zeros((n, words), np.uint64) if min_minutes is not None else None
    bins = np.zeros((n, bin_count), np.float32)
    first = -(-week.starts // slot)
    last = np.minimum(week.stops // slot, slots)
    lengths = last - first
    keep = lengths > 0
    person = np.repeat(np.arange(n, dtype=np.int64), np.diff(week.bounds))[keep]
    # Span k covers the flat slots head[k] + 0 .. lengths[k] - 1 of its person's row.
    head, lengths = person * slots + first[keep], lengths[keep]
    bounds = np.searchsorted(person, np.arange(0, n + _CHUNK, _CHUNK))
    for lo in range(0, n, _CHUNK):
        hi = min(n, lo + _CHUNK)
        a, b = bounds[lo // _CHUNK], bounds[lo // _CHUNK + 1]
        size = lengths[a:b]
        before = np.cumsum(size) - size
        flat = np.repeat(head[a:b] - lo * slots - before, size) + np.arange(int(size.sum()))
        flat_free = np.zeros((hi - lo) * slots, bool)
        flat_free[flat] = True
        free = flat_free.reshape(hi - lo, slots)
        # Running counts of free slots, the row followed by its first run - 1 slots again
        # (a run may cross Sunday midnight): the run from t is free when it counts `run`.
        extra = min(run - 1, slots) if masks is not None else 0
        totals = np.zeros((hi - lo, slots + extra + 1), np.int32)
        np.cumsum(free, axis=1, out=totals[:, 1 : slots + 1])
        if extra:
            np.cumsum(free[:, :extra], axis=1, out=totals[:, slots + 1 :])
            totals[:, slots + 1 :] += totals[:, slots : slots + 1]
        if masks is not None:
            starts = (totals[:, run : run + slots] - totals[:, :slots]) == run
            masks[lo:hi] = _pack_bits(starts)
        counts = totals[:, per_bin : slots + 1 : per_bin] - totals[:, 0:slots:per_bin]
        bins[lo:hi] = counts / per_bin
    norms = np.linalg.norm(bins, axis=1, keepdims=True)
    np.divide(bins, norms, out=bins, where=norms > 0)
    return masks, bins


@contextmanager
def _no_garbage_collection() -> Iterator[None]:
    """Hold the cyclic collector off while many small acyclic lists are made.

    Each of its full passes walks every live object (100,000 people are millions);
    nothing made here is cyclic, so the pauses are pure cost.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _one_hot(groups: list, n: int) -> tuple[list, np.ndarray, np.ndarray, np.ndarray]:
    """Sorted distinct items of per-person collections, and (row, column) of each."""
    counts = np.fromiter(map(len, groups), np.int64, n)
    flat = list(chain.from_iterable(groups))
    names = sorted(set(flat))
    column = {name: k for k, name in enumerate(names)}
    cols = np.fromiter(map(column.__getitem__, flat), np.intp, len(flat))
    rows = np.repeat(np.arange(n, dtype=np.intp), counts)
    return names, counts, rows, cols


def build_profiles(people: list[Person], rules: CrewRules) -> Profiles:
    """Arrays for `people` under `rules` (ids must be unique; unknown ids in lists are ignored)."""
    with _no_garbage_collection():
        return _build_profiles(people, rules)


def _build_profiles(people: list[Person], rules: CrewRules) -> Profiles:
    ids = list(map(attrgetter("id"), people))
    index = {pid: i for i, pid in enumerate(ids)}
    week = rules.week_monday
    weights = rules.pair_weights
    n = len(people)
    timezones = list(map(attrgetter("timezone"), people))

    week_spans = many_week_minutes_utc(
        list(map(attrgetter("availability"), people)), timezones, week
    )
    slot = _slot_of(week_spans)
    if rules.min_common_minutes > 0:
        avail, time_bins = _masks_of(week_spans, slot, rules.min_common_minutes)
        assert avail is not None
    else:
        _, time_bins = _masks_of(week_spans, slot, None)
        avail = np.full((n, 1), np.iinfo(np.uint64).max, np.uint64)

    languages, _, rows, cols = _one_hot(list(map(attrgetter("languages"), people)), n)
    lang_bool = np.zeros((n, max(1, len(languages))), bool)
    if rules.require_shared_language:
        lang_bool[rows, cols] = True
    else:
        lang_bool[:] = True
    lang = _pack_bits(lang_bool)

    tags, counts, rows, cols = _one_hot(list(map(attrgetter("interests"), people)), n)
    interests = np.zeros((n, max(1, len(tags))), np.float32)
    if len(cols):
        with np.errstate(divide="ignore"):
            share = 1.0 / np.sqrt(counts.astype(np.float64))
        interests[rows, cols] = share[rows]

    zone_of = {name: k for k, name in enumerate(dict.fromkeys(timezones))}
    cache: dict[str, int] = {}
    zone_angle = np.array(
        [2 * math.pi * _utc_offset_minutes(zone, week, cache) / 1440 for zone in zone_of],
        np.float64,
    )
    angle = zone_angle[np.fromiter(map(zone_of.__getitem__, timezones), np.intp, n)]
    zone_vectors = np.stack([np.cos(angle), np.sin(angle)], axis=1) if n else np.zeros((0, 2))

    parts = [
        (weight, block)
        for weight, block in (
            (weights.interests, interests),
            (weights.shared_time, time_bins),
            (weights.timezone / 2, zone_vectors),
        )
        if weight
    ]
    offset = 0.0
    offset += weights.timezone / 2
    if parts:
        vectors = np.empty((n, sum(block.shape[1] for _, block in parts)), np.float64)
        column = 0
        for weight, block in parts:
            width = block.shape[1]
            scale = np.float64(math.sqrt(abs(weight)))
            np.multiply(block, scale, out=vectors[:, column : column + width], dtype=np.float64)
            column += width
        sign_vector = np.concatenate(
            [np.full(block.shape[1], 1.0 if weight > 0 else -1.0) for weight, block in parts]
        )
    else:
        vectors = np.zeros((n, 1))
        sign_vector = np.ones(1)

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
        spans=week_spans.spans,
        slot_minutes=slot,
        forbid=_forbidden(people, rules, index),
        together=_together(people, index),
        timezones=timezones,
    )


def _forbidden(people: list[Person], rules: CrewRules, index: dict[str, int]) -> list[np.ndarray]:
    """Per person, the sorted indexes they are kept apart from (asked, or met before)."""
    n = len(people)
    pairs: list[tuple[int, int]] = []
    for i, apart in enumerate(map(attrgetter("apart"), people)):
        if apart:
            for other in apart:
                j = index.get(other)
                if j is not None and j != i:
                    pairs.append((i, j))
    for a, b in History.from_crews(rules.history).pairs:
        row_a, row_b = index.get(a), index.get(b)
        if row_a is not None and row_b is not None:
            pairs.append((row_a, row_b))
    both = np.array(pairs, np.int64).reshape(-1, 2)
    keys = np.unique(np.concatenate([both[:, 0] * n + both[:, 1], both[:, 1] * n + both[:, 0]]))
    rows, cols = np.divmod(keys, n) if n else (keys, keys)
    bounds = np.searchsorted(rows, np.arange(n + 1)).tolist()
    return [cols[a:b] for a, b in pairwise(bounds)]


def _together(people: list[Person], index: dict[str, int]) -> list[list[int]]:
    together: list[list[int]] = [[] for _ in range(len(people))]
    for i, wanted in enumerate(map(attrgetter("together"), people)):
        if wanted:
            for other in wanted:
                j = index.get(other)
                if j is not None and j != i:
                    together[i].append(j)
                    together[j].append(i)
    return together


def and_rows(rows: np.ndarray) -> np.ndarray:
    """Bitwise AND of mask rows (all ones for no rows)."""
    if len(rows) == 0:
        return np.full(rows.shape[1:], np.iinfo(np.uint64).max, np.uint64)
    return reduce(np.bitwise_and, rows)
