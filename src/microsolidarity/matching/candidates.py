"""Candidate pairs for a large round of dyads, found with sorting instead of a search per person.

Two people may meet when they share a language and a slot where a long enough
run of shared time can start. So each person is put in one bucket per (language,
slot) they have: two people share a bucket exactly when they may meet. A person
free most of the week would sit in hundreds of buckets, so only the few slots
that come first under a random order of the week are kept (a MinHash sketch:
people whose free time overlaps much keep the same slots). Inside a bucket the
people are sorted so that similar ones sit side by side (by the first of their
interests under a random order, then along a random direction of their
vectors), and each is joined to the next few. For the few left unpaired after
that, `Buckets.around` looks wider, in every bucket they have. Everything is
numpy sorts and slices, so memory and time grow with the number of people,
never its square.
"""

from __future__ import annotations

import numpy as np

from .profiles import Profiles

SLOTS_PER_PERSON = 8
ORDERINGS = 2
WINDOW = 1
FINE = 4096
_CHUNK = 16384


_BYTE_BITS = [np.flatnonzero(np.unpackbits(np.uint8(b), bitorder="little")) for b in range(256)]
_BYTE_COUNT = np.array([len(bits) for bits in _BYTE_BITS], np.int64)
_BYTE_START = np.concatenate([[0], np.cumsum(_BYTE_COUNT)[:-1]])
_BYTE_TABLE = np.concatenate(_BYTE_BITS).astype(np.int64)


def _bit_positions(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, bit) of every set bit in rows of uint64 words, by row then bit.

    Read a byte at a time through a table: masks are mostly zero bytes, so this
    is several times faster than unpacking every bit.
    """
    octets = np.ascontiguousarray(words).view(np.uint8)
    row, byte = np.nonzero(octets)
    value = octets[row, byte]
    count = _BYTE_COUNT[value]
    each = np.repeat(np.arange(len(value)), count)
    within = np.arange(len(each)) - np.repeat(np.cumsum(count) - count, count)
    bit = byte[each].astype(np.int64) * 8 + _BYTE_TABLE[_BYTE_START[value[each]] + within]
    return row[each].astype(np.int64), bit


def _sketch(words: np.ndarray, keep: int, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of each row's `keep` set bits of lowest `rank`, by row then column."""
    row, column = _bit_positions(words)
    count = np.bincount(row, minlength=len(words))
    many = count[row] > keep
    if not many.any():
        return row, column
    width = len(rank)
    # In rows with many bits, order the bits by rank and keep the first few.
    ranked = row[many] * width + rank[column[many]]
    ranked.sort()
    cut_row = ranked // width
    place = np.arange(len(ranked)) - np.searchsorted(cut_row, cut_row)
    kept = ranked[place < keep]
    first = np.argsort(rank)[kept % width]
    both = np.concatenate([row[~many] * width + column[~many], kept // width * width + first])
    both.sort()
    return both // width, both % width


def _shared_or_own(words: np.ndarray) -> tuple[np.ndarray, bool]:
    """The masks, or one bit each when everyone has the same mask (any bucket would hold all)."""
    if len(words) and (words == words[0]).all():
        return np.full((len(words), 1), 1 if words[0].any() else 0, np.uint64), True
    return words, False


def _likeness_masks(prof: Profiles) -> np.ndarray:
    """Masks of what adds to a pair's weight (an interest, a 2-hour bin of free time), for when
    any two people may meet: sharing a bucket then means having something in common.

    Features nearly everyone has are left out (they would make one huge bucket), and a
    last column that everyone has keeps nobody out of every bucket.
    """
    has = (prof.vectors != 0) & (prof.signs > 0)
    common = has.sum(axis=0) > len(has) // 2
    features = np.concatenate([has[:, ~common], np.ones((len(has), 1), bool)], axis=1)
    packed = np.packbits(features, axis=1, bitorder="little")
    packed = np.pad(packed, ((0, 0), (0, -packed.shape[1] % 8)))
    return np.ascontiguousarray(packed).view(np.uint64)


def _bucket_entries(
    lang: np.ndarray, avail: np.ndarray, people: np.ndarray, keep: int, rank: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(person, bucket) for each of `people`: every language they speak times each kept slot."""
    lang_row, lang = _bit_positions(lang[people])
    slot_row, slot = _sketch(avail[people], keep, rank)
    slot_count = np.bincount(slot_row, minlength=len(people))
    slot_start = np.concatenate([[0], np.cumsum(slot_count)[:-1]])
    # Each (person, language) entry repeated once per slot of that person.
    per_entry = slot_count[lang_row]
    repeat = np.repeat(np.arange(len(lang_row)), per_entry)
    first = np.repeat(np.cumsum(per_entry) - per_entry, per_entry)
    row = lang_row[repeat]
    chosen = slot_start[row] + np.arange(len(repeat)) - first
    width = avail.shape[1] * 64
    bucket = lang[repeat].astype(np.int64) * width + slot[chosen]
    return people[row], bucket


def _similarity_keys(prof: Profiles, rng: np.random.Generator, count: int) -> list[np.ndarray]:
    """Per ordering, a small sort key per person that puts people with high weight side by side."""
    if prof.n == 0:
        return [np.zeros(0, np.int64) for _ in range(count)]
    positive = (prof.signs > 0).astype(np.float64)
    tags = prof.interests.shape[1]
    interest_person, interest = np.nonzero(prof.interests)
    keys = []
    for _ in range(count):
        if positive.any():
            along = prof.vectors @ (rng.standard_normal(len(positive)) * positive)
            low, spread = along.min(), np.ptp(along)
            scaled = (along - low) / spread if spread > 0 else np.zeros(prof.n)
            fine = np.minimum((scaled * FINE).astype(np.int64), FINE - 1)
        else:
            fine = rng.integers(0, FINE, prof.n)
        rank = rng.permutation(tags)
        first_interest = np.full(prof.n, tags, np.int64)
        np.minimum.at(first_interest, interest_person, rank[interest])
        keys.append(first_interest * FINE + fine)
    return keys


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    values = np.sort(values)
    if len(values) < 2:
        return values
    return values[np.concatenate([[True], values[1:] != values[:-1]])]


class Buckets:
    """People in (language, slot) buckets, sorted so that similar people sit side by side."""

    def __init__(
        self,
        prof: Profiles,
        *,
        seed: int,
        slots_per_person: int = SLOTS_PER_PERSON,
        orderings: int = ORDERINGS,
    ):
        rng = np.random.default_rng(seed)
        self.prof = prof
        # Without a language rule (or a time rule) everyone has the same mask.
        self.lang, _ = _shared_or_own(prof.lang)
        self.avail, anytime = _shared_or_own(prof.avail)
        if anytime and self.avail.any():
            self.avail = _likeness_masks(prof)
        self.slot_rank = rng.permutation(self.avail.shape[1] * 64)
        everyone = np.arange(prof.n, dtype=np.int64)
        self.person, self.bucket = _bucket_entries(
            self.lang, self.avail, everyone, slots_per_person, self.slot_rank
        )
        self.keys = _similarity_keys(prof, rng, orderings)
        self.banned = forbidden_keys(prof)

    def pairs(self, window: int = WINDOW) -> tuple[np.ndarray, np.ndarray]:
        """Unique (row < col) pairs, sorted: each person and the next `window` in each bucket."""
        packed = []
        for key in self.keys:
            p, b = self._sorted(self.person, self.bucket, key)
            for step in range(1, window + 1):
                same = b[step:] == b[:-step]
                packed.append(self._packed(p[:-step][same], p[step:][same]))
        return self._allowed(packed)

    def around(self, people: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
        """Pairs joining each of `people` to up to `window` people either side in every bucket.

        Here everyone enters every bucket they have, not only their sketched
        slots, so someone whose only possible partner shares a rare hour or
        language with them still finds that partner. Only the buckets of `people`
        are kept, a chunk of people at a time, so this stays cheap when few are
        left.
        """
        n = self.prof.n
        chosen = np.zeros(n, bool)
        chosen[people] = True
        everything = len(self.slot_rank)
        _, wanted = _bucket_entries(
            self.lang, self.avail, np.asarray(people, np.int64), everything, self.slot_rank
        )
        wanted = _sorted_unique(wanted)
        persons, buckets = [], []
        for lo in range(0, n, _CHUNK):
            chunk = np.arange(lo, min(n, lo + _CHUNK), dtype=np.int64)
            person, bucket = _bucket_entries(
                self.lang, self.avail, chunk, everything, self.slot_rank
            )
            keep = _member(wanted, bucket)
            persons.append(person[keep])
            buckets.append(bucket[keep])
        person = np.concatenate(persons) if persons else np.zeros(0, np.int64)
        bucket = np.concatenate(buckets) if buckets else np.zeros(0, np.int64)
        p, b = self._sorted(person, bucket, self.keys[0])
        at = np.nonzero(chosen[p])[0]
        packed = []
        for step in range(1, window + 1):
            for there in (at - step, at + step):
                ok = (there >= 0) & (there < len(p))
                here, there = at[ok], there[ok]
                same = b[here] == b[there]
                packed.append(self._packed(p[here][same], p[there][same]))
        return self._allowed(packed)

    def _sorted(self, person, bucket, key) -> tuple[np.ndarray, np.ndarray]:
        """Entries sorted by bucket, then key, then person: (person, bucket) in that order."""
        person_bits = max(1, int(self.prof.n - 1).bit_length())
        key_bits = max(1, int(key.max(initial=0)).bit_length())
        bucket_bits = max(1, int(bucket.max(initial=0)).bit_length())
        if person_bits + key_bits + bucket_bits > 63:
            at = np.lexsort((person, key[person], bucket))
            return person[at], bucket[at]
        # One sort of packed integers is several times faster than lexsort or argsort.
        packed = (bucket << (key_bits + person_bits)) | (key[person] << person_bits) | person
        packed.sort()
        return packed & ((1 << person_bits) - 1), packed >> (key_bits + person_bits)

    def _packed(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.minimum(a, b) * self.prof.n + np.maximum(a, b)

    def _allowed(self, packed: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        n = self.prof.n
        keys = _sorted_unique(np.concatenate(packed)) if packed else np.zeros(0, np.int64)
        keys = keys[(keys // n != keys % n) & ~_member(self.banned, keys)]
        return keys // n, keys % n


def forbidden_keys(prof: Profiles) -> np.ndarray:
    """Sorted packed keys (min * n + max) of every pair who must not meet."""
    n = prof.n
    counts = np.fromiter(map(len, prof.forbid), np.int64, n)
    if not counts.any():
        return np.zeros(0, np.int64)
    rows = np.repeat(np.arange(n, dtype=np.int64), counts)
    cols = np.concatenate(prof.forbid).astype(np.int64)
    return _sorted_unique(np.minimum(rows, cols) * n + np.maximum(rows, cols))


def _member(sorted_values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    if not len(sorted_values) or not len(keys):
        return np.zeros(len(keys), bool)
    at = np.minimum(np.searchsorted(sorted_values, keys), len(sorted_values) - 1)
    return sorted_values[at] == keys


def forbidden(prof: Profiles, keys: np.ndarray) -> np.ndarray:
    """Which packed pair keys (min * n + max) are forbidden."""
    return _member(forbidden_keys(prof), keys)
