"""Seeded congregations with a hidden feasible partition, for benchmarks, tests and demos.

Every planted crew shares a language, a weekly window of at least two hours and
most of a small set of interests, so a good engine can find crews at least as
good as the planted ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .availability import MINUTES_PER_WEEK, parse_availability
from .explain import local_text
from .model import Person

REGIONS = (
    ("Europe/London", "Europe/Berlin", "Europe/Madrid", "Africa/Lagos"),
    ("America/New_York", "America/Chicago", "America/Toronto", "America/Bogota"),
    ("America/Los_Angeles", "America/Denver", "America/Mexico_City", "America/Phoenix"),
    ("Asia/Kolkata", "Asia/Kathmandu", "Asia/Dubai", "Asia/Karachi"),
    ("Asia/Tokyo", "Australia/Sydney", "Asia/Shanghai", "Pacific/Auckland"),
)
LANGUAGES = ("en", "es", "de", "fr", "pt", "hi", "ja", "sw", "it", "nl")
TAGS = tuple(f"topic{i:03d}" for i in range(120))


@dataclass(frozen=True, slots=True)
class Congregation:
    people: tuple[Person, ...]
    planted: tuple[tuple[str, ...], ...]
    week: date


def planted_congregation(
    n: int, *, seed: int = 0, sizes: tuple[int, int] = (4, 5), week: date = date(2026, 3, 16)
) -> Congregation:
    """n people in planted crews of sizes[0]..sizes[1] (the last crews absorb the remainder).

    The default week has no daylight-saving change in any of the zones used, so
    every planted crew keeps its shared window in UTC and the planted partition is
    feasible. (In a week with a change, a window written in local time can move.)
    """
    rng = np.random.default_rng(seed)
    crew_sizes: list[int] = []
    left = n
    while left > 0:
        size = int(rng.integers(sizes[0], sizes[1] + 1))
        if left - size < sizes[0] and left - size != 0:
            size = left if left <= sizes[1] + sizes[0] - 1 and left <= 2 * sizes[1] else sizes[0]
            if size > sizes[1]:
                first = left // 2
                crew_sizes.extend([first, left - first])
                break
        crew_sizes.append(size)
        left -= size
    people: list[Person] = []
    planted: list[tuple[str, ...]] = []
    number = 0
    for crew_index, size in enumerate(crew_sizes):
        region = REGIONS[int(rng.integers(len(REGIONS)))]
        language = LANGUAGES[int(rng.integers(len(LANGUAGES)))]
        theme = [TAGS[int(t)] for t in rng.choice(len(TAGS), 4, replace=False)]
        start = int(rng.integers(0, MINUTES_PER_WEEK // 30)) * 30
        length = int(rng.integers(4, 7)) * 30
        shared = _wrap(start, length)
        ids = []
        for _ in range(size):
            zone = region[int(rng.integers(len(region)))]
            extra_start = int(rng.integers(0, MINUTES_PER_WEEK // 30)) * 30
            spans = sorted(shared + _wrap(extra_start, int(rng.integers(2, 5)) * 30))
            text = local_text(_merge(spans), zone, week)
            langs = {language}
            if rng.random() < 0.5:
                langs.add(LANGUAGES[int(rng.integers(len(LANGUAGES)))])
            tags = set(rng.choice(theme, 3, replace=False).tolist())
            tags.add(TAGS[int(rng.integers(len(TAGS)))])
            pid = f"p{number:06d}"
            number += 1
            ids.append(pid)
            people.append(
                Person(
                    id=pid,
                    name=f"Person {number}",
                    timezone=zone,
                    languages=frozenset(langs),
                    interests=frozenset(tags),
                    availability=parse_availability(text),
                )
            )
        planted.append(tuple(ids))
        del crew_index
    order = rng.permutation(len(people))
    return Congregation(tuple(people[i] for i in order), tuple(planted), week)


def _wrap(start: int, length: int) -> list[tuple[int, int]]:
    end = start + length
    if end <= MINUTES_PER_WEEK:
        return [(start, end)]
    return [(start, MINUTES_PER_WEEK), (0, end - MINUTES_PER_WEEK)]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
