"""The engine's plain data: people and rules in, crews and rotation plans out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from .availability import Window

Progress = Callable[[float], None]
"""Called with a fraction in [0, 1] as work advances; must be cheap and must not raise."""

Mode = Literal["similar", "diverse"]


@dataclass(frozen=True, slots=True)
class Person:
    """One person as the engine sees them. `id` is any unique text (a database id works)."""

    id: str
    name: str = ""
    timezone: str = "UTC"
    languages: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    availability: tuple[Window, ...] = ()
    together: frozenset[str] = frozenset()
    apart: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each part of the pair similarity counts; the parts are each in [0, 1]."""

    interests: float = 0.6
    shared_time: float = 0.25
    timezone: float = 0.15


DIVERSE_WEIGHTS = Weights(interests=-0.8, shared_time=0.0, timezone=-0.2)


@dataclass(frozen=True, slots=True)
class CrewRules:
    """Hard rules and preferences for one formation round.

    `history` holds earlier crews (each a collection of ids): no two people who met
    in one of them are put together again. `keep` holds crews to keep as they are.
    `week` is the Monday whose dates turn local windows into UTC (default: the
    coming Monday), so daylight saving lands right.
    """

    min_size: int = 3
    max_size: int = 6
    target_size: int | None = None
    min_common_minutes: int = 60
    week: date | None = None
    history: tuple[tuple[str, ...], ...] = ()
    keep: tuple[tuple[str, ...], ...] = ()
    mode: Mode = "similar"
    weights: Weights | None = None
    require_shared_language: bool = True

    def __post_init__(self) -> None:
        if self.min_size < 2:
            raise ValueError("a crew needs at least 2 people (min_size >= 2)")
        if self.max_size < self.min_size:
            raise ValueError("max_size must be at least min_size")
        if self.target_size is not None and not self.min_size <= self.target_size <= self.max_size:
            raise ValueError("target_size must lie between min_size and max_size")
        if self.min_common_minutes < 0:
            raise ValueError("min_common_minutes cannot be negative")

    @property
    def target(self) -> int:
        if self.target_size is not None:
            return self.target_size
        return max(self.min_size, min(self.max_size, (self.min_size + self.max_size) // 2))

    @property
    def week_monday(self) -> date:
        return self.week if self.week is not None else coming_monday()

    @property
    def pair_weights(self) -> Weights:
        if self.weights is not None:
            return self.weights
        return DIVERSE_WEIGHTS if self.mode == "diverse" else Weights()


def coming_monday(today: date | None = None) -> date:
    """Today when it is a Monday, else the next Monday."""
    today = today or date.today()
    return today + timedelta(days=(7 - today.weekday()) % 7)


@dataclass(frozen=True, slots=True)
class LocalWindow:
    """A shared window shown in one member's own timezone."""

    person: str
    timezone: str
    text: str


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why this crew: what its members share."""

    shared_minutes: int
    longest_shared_minutes: int
    shared_windows_utc: tuple[tuple[int, int], ...]
    local_windows: tuple[LocalWindow, ...]
    languages: tuple[str, ...]
    interests: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "shared_minutes_per_week": self.shared_minutes,
            "longest_shared_minutes": self.longest_shared_minutes,
            "shared_windows_utc": [list(span) for span in self.shared_windows_utc],
            "shared_times_local": {w.person: w.text for w in self.local_windows},
            "timezones": {w.person: w.timezone for w in self.local_windows},
            "languages": list(self.languages),
            "interests": list(self.interests),
        }


@dataclass(frozen=True, slots=True)
class Crew:
    """One formed crew, its score (mean pair similarity) and why it holds together."""

    number: int
    members: tuple[str, ...]
    score: float
    interest_similarity: float
    explanation: Explanation
    kept: bool = False

    def as_dict(self) -> dict:
        return {
            "crew": self.number,
            "members": list(self.members),
            "score": round(self.score, 6),
            "interest_similarity": round(self.interest_similarity, 6),
            "kept": self.kept,
            "why": self.explanation.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class Change:
    """The one change to a person's sign-up or the round's rules that would open a crew to them.

    kind "window": be free for `window_utc` (UTC minutes of the week; `window_local`
    in their own timezone), when `people` possible crew-mates are free. kind
    "language": also speak `language`, as `people` possible crew-mates do who share
    their time. kind "larger_crew": a maximum crew size of `max_size`, since a full
    crew keeps every other rule with them. kind "more_time": a longer time limit.
    """

    kind: Literal["window", "language", "larger_crew", "more_time"]
    people: int = 0
    language: str = ""
    window_utc: tuple[int, int] | None = None
    window_local: str = ""
    max_size: int = 0

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "people": self.people,
            "language": self.language,
            "window_utc": list(self.window_utc) if self.window_utc else None,
            "window_local": self.window_local,
            "max_size": self.max_size,
        }


UnplacedCode = Literal[
    "no_availability",
    "no_long_window",
    "no_language",
    "together_in_kept_crew",
    "together_apart",
    "together_too_many",
    "together_no_time",
    "together_no_language",
    "no_shared_language",
    "no_shared_time",
    "all_met_before",
    "too_few",
    "crews_full",
    "time_limit",
    "broke_rule",
]


@dataclass(frozen=True, slots=True)
class Unplaced:
    """Someone left without a crew, with a reason the engine checked, as a code and its data.

    The words are the caller's to write (the site in the reader's language, the
    command line in English): nothing should parse them back. Codes:

    - no_availability, no_long_window (`minutes`), no_language: their own sign-up
      cannot meet the rules;
    - together_in_kept_crew, together_apart, together_too_many (`count`, `max_size`),
      together_no_time (`minutes`), together_no_language: their must-together group
      (`people`) cannot be one crew;
    - no_shared_language: nobody else speaks a language they speak;
    - no_shared_time: nobody who speaks one of their languages is free for the same
      `minutes` in a row;
    - all_met_before: the `count` people who share both met them before or must be
      kept apart from them;
    - too_few: only `count` people share a language and the time with them and may
      meet them, or no `min_size` of them share one time and language together;
    - crews_full: the exact model, which saw the whole pool, proved that no plan
      places more people (the crews they could join are full);
    - time_limit: a crew could include them but none was found within the time limit
      (`exact` says what the exact model did: "timed out", "proved" on the crews
      around them only, "unavailable", "not run");
    - broke_rule: their crew failed the final check (`detail`); never expected.
    """

    id: str
    code: UnplacedCode
    people: tuple[str, ...] = ()
    count: int = 0
    minutes: int = 0
    min_size: int = 0
    max_size: int = 0
    languages: tuple[str, ...] = ()
    exact: str = ""
    detail: str = ""
    change: Change | None = None

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "code": self.code,
            "people": list(self.people),
            "count": self.count,
            "minutes": self.minutes,
            "min_size": self.min_size,
            "max_size": self.max_size,
            "languages": list(self.languages),
            "exact": self.exact,
            "detail": self.detail,
            "change": self.change.as_dict() if self.change else None,
        }


@dataclass(frozen=True, slots=True)
class CrewPlan:
    """The outcome of `form_crews`.

    `total` is the sum over placed people of their mean similarity to their
    crew-mates; `worst` is the lowest crew score. `upper_bound` bounds the
    pairwise part of `total` from above (each person's best possible crew-mates),
    so `total / upper_bound` says how far from ideal the plan can be at most.
    """

    crews: tuple[Crew, ...]
    unplaced: tuple[Unplaced, ...]
    total: float
    worst: float
    mean_score: float
    upper_bound: float | None
    seed: int
    method: str
    optimal: bool = False

    def as_dict(self) -> dict:
        return {
            "total": round(self.total, 6),
            "worst_crew_score": round(self.worst, 6),
            "mean_crew_score": round(self.mean_score, 6),
            "upper_bound": None if self.upper_bound is None else round(self.upper_bound, 6),
            "method": self.method,
            "optimal": self.optimal,
            "seed": self.seed,
            "crews": [crew.as_dict() for crew in self.crews],
            "unplaced": [u.as_dict() for u in self.unplaced],
        }


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken hard rule, found by `check_crews`."""

    crew: int
    rule: str
    detail: str


@dataclass(frozen=True, slots=True)
class RotationPlan:
    """Rounds of groups (person indexes 0..n-1) in which no pair meets twice."""

    rounds: tuple[tuple[tuple[int, ...], ...], ...]
    people: int
    size: int
    asked: int
    bound: int
    method: str
    known_best: int | None = None

    @property
    def found(self) -> int:
        return len(self.rounds)


@dataclass(frozen=True, slots=True)
class Grouping:
    """Groups of item indexes for a matrix instance, with the objective (sum within groups)."""

    groups: tuple[tuple[int, ...], ...]
    objective: float
    method: str = "local search"


@dataclass(slots=True)
class History:
    """Pairs who met before, as a set of sorted id pairs, built from earlier crews."""

    pairs: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def from_crews(cls, crews: Iterable[Iterable[str]]) -> History:
        pairs: set[tuple[str, str]] = set()
        for crew in crews:
            members = sorted(set(crew))
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    pairs.add((a, b))
        return cls(pairs)

    def met(self, a: str, b: str) -> bool:
        return (min(a, b), max(a, b)) in self.pairs
