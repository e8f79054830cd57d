"""Seeded congregations with a hidden feasible partition, for benchmarks, tests and demos.

Two families, so the engine is never tuned to one shape of intake:

- `planted_congregation`: planted crews of 4-5 share a language, a weekly window
  of two to three hours and most of a small set of interests.
- `narrow_congregation`: planted crews of 3-6 share one window of only 60-90
  minutes (the rule's minimum, on a 15-minute grid), people have noise windows at
  other hours and some live in other regions' zones, speak one or two languages,
  come in must-together pairs, and carry a history of 1,000 earlier crews drawn
  among people who could otherwise have met. Most people have only a few
  possible crew-mates, so leaving someone out is easy and wrong.

In both, the planted partition keeps every hard rule, so a good engine places
everyone in crews at least as good as the planted ones.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
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
    history: tuple[tuple[str, ...], ...] = ()


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


def narrow_congregation(
    n: int,
    *,
    seed: int = 0,
    sizes: tuple[int, int] = (3, 6),
    history_crews: int = 1000,
    week: date = date(2026, 3, 16),
) -> Congregation:
    """n people in planted crews of sizes[0]..sizes[1] sharing one narrow window each.

    The history holds `history_crews` crews of four drawn from people of different
    planted crews who speak the planted language of the first one and whose shared
    windows start within three hours of each other: the pairs a search would
    otherwise be tempted by. No planted pair is in it, so the planted partition stays
    feasible; must-together pairs are always two members of one planted crew.
    """
    rng = np.random.default_rng(seed)
    crew_sizes = _crew_sizes(n, sizes, rng)
    zones = [zone for region in REGIONS for zone in region]
    # A few languages are common and the rest rare, as in a real network.
    weights = np.array([0.3, 0.2, 0.12, 0.1, 0.08, 0.06, 0.05, 0.04, 0.03, 0.02])
    weights = weights / weights.sum()
    people: list[Person] = []
    planted: list[tuple[str, ...]] = []
    crew_language: list[int] = []
    crew_start: list[int] = []
    number = 0
    for size in crew_sizes:
        region = REGIONS[int(rng.integers(len(REGIONS)))]
        language = int(rng.choice(len(LANGUAGES), p=weights))
        theme = [TAGS[int(t)] for t in rng.choice(len(TAGS), 4, replace=False)]
        start = int(rng.integers(0, MINUTES_PER_WEEK // 15)) * 15
        shared = _wrap(start, int(rng.choice([60, 75, 90])))
        crew_language.append(language)
        crew_start.append(start)
        ids = []
        for _ in range(size):
            if rng.random() < 0.25:
                zone = zones[int(rng.integers(len(zones)))]
            else:
                zone = region[int(rng.integers(len(region)))]
            spans = list(shared)
            for _ in range(int(rng.integers(1, 4))):
                # Noise at other hours: never touching the shared window, so it stays narrow.
                noise_start = int(rng.integers(0, MINUTES_PER_WEEK // 15)) * 15
                noise = _wrap(noise_start, int(rng.integers(4, 9)) * 15)
                if not any(_overlaps(a, b, 15) for a in noise for b in shared):
                    spans.extend(noise)
            text = local_text(_merge(spans), zone, week)
            langs = {LANGUAGES[language]}
            if rng.random() < 0.35:
                langs.add(LANGUAGES[int(rng.choice(len(LANGUAGES), p=weights))])
            tags = set(rng.choice(theme, 2, replace=False).tolist())
            tags.update(TAGS[int(t)] for t in rng.choice(len(TAGS), int(rng.integers(1, 3))))
            pid = f"q{number:06d}"
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
    people = _with_together_pairs(people, planted, rng)
    history = _tempting_history(planted, crew_language, crew_start, history_crews, rng)
    order = rng.permutation(len(people))
    return Congregation(tuple(people[i] for i in order), tuple(planted), week, history)


def _crew_sizes(n: int, sizes: tuple[int, int], rng: np.random.Generator) -> list[int]:
    """Random sizes in the range that add up to n (n at least sizes[0])."""
    low, high = sizes
    out: list[int] = []
    left = n
    while left > 0:
        if left <= high:
            if left >= low:
                out.append(left)
            else:
                # Too few for a crew: hand them to earlier crews with room.
                for i in range(len(out)):
                    while left and out[i] < high:
                        out[i] += 1
                        left -= 1
            break
        size = int(rng.integers(low, high + 1))
        if 0 < left - size < low:
            size = left - low if left - low <= high else low
        out.append(size)
        left -= size
    return out


def _with_together_pairs(
    people: list[Person], planted: list[tuple[str, ...]], rng: np.random.Generator
) -> list[Person]:
    """Two members of about one planted crew in six must be together."""
    index = {p.id: i for i, p in enumerate(people)}
    people = list(people)
    for crew in planted:
        if len(crew) >= 3 and rng.random() < 1 / 6:
            a, b = (index[pid] for pid in rng.choice(crew, 2, replace=False))
            people[a] = replace(people[a], together=frozenset({people[b].id}))
            people[b] = replace(people[b], together=frozenset({people[a].id}))
    return people


def _tempting_history(
    planted: list[tuple[str, ...]],
    crew_language: list[int],
    crew_start: list[int],
    count: int,
    rng: np.random.Generator,
) -> tuple[tuple[str, ...], ...]:
    """Earlier crews of four from different planted crews that could have met this week."""
    if len(planted) < 2 or count <= 0:
        return ()
    starts = np.array(crew_start)
    languages = np.array(crew_language)
    history: list[tuple[str, ...]] = []
    for _ in range(count):
        first = int(rng.integers(len(planted)))
        gap = np.abs(starts - starts[first])
        gap = np.minimum(gap, MINUTES_PER_WEEK - gap)
        near = np.nonzero((languages == languages[first]) & (gap <= 180))[0]
        near = near[near != first]
        if len(near) < 3:
            near = np.setdiff1d(np.arange(len(planted)), [first])
        chosen = [first, *rng.choice(near, min(3, len(near)), replace=False).tolist()]
        history.append(tuple(str(rng.choice(planted[c])) for c in chosen))
    return tuple(history)


def _overlaps(a: tuple[int, int], b: tuple[int, int], margin: int) -> bool:
    return a[0] < b[1] + margin and b[0] < a[1] + margin


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
