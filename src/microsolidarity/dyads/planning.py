"""One pairing round as plain data: who meets whom, so that nobody meets a partner twice in a cycle.

This is the glue between a program's history and the matching engine's `next_pairs`,
which pairs by shared time, language and similarity but knows nothing of cycles or
trios. The rules (docs/dyads.md):

- A *cycle* is a run of rounds in which no two people are paired twice.
- A new cycle starts (history resets) when every pair among the people opted in
  now has already met in this cycle.
- Pairs are first sought among people who share 30 minutes a week and a language;
  who is left is then paired with anyone they have not met.
- With an odd count, the one left over joins a pair as its third, when neither of
  the two has met them this cycle: exactly one trio.
- Whoever can't be placed with someone new sits this round out (it happens only late
  in a cycle) and is first in line next time, because a new cycle comes soon.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from microsolidarity.matching import CrewRules, Person, next_pairs
from microsolidarity.matching.availability import week_minutes_utc

MIN_SHARED_MINUTES = 30


@dataclass(frozen=True, slots=True)
class RoundPlan:
    groups: tuple[tuple[str, ...], ...]
    sat_out: tuple[str, ...]
    new_cycle: bool


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def pairs_within(group: Iterable[str]) -> set[tuple[str, str]]:
    return {pair_key(a, b) for a, b in combinations(sorted(set(group)), 2)}


def everyone_has_met(ids: Iterable[str], met: set[tuple[str, str]]) -> bool:
    """True when every pair among `ids` is in `met` (and there is at least one pair)."""
    ids = sorted(set(ids))
    return len(ids) >= 2 and all(pair_key(a, b) in met for a, b in combinations(ids, 2))


def _rules(week: date, history, *, strict: bool) -> CrewRules:
    return CrewRules(
        min_size=2,
        max_size=2,
        week=week,
        history=history,
        min_common_minutes=MIN_SHARED_MINUTES if strict else 0,
        require_shared_language=strict,
    )


def _match(people: list[Person], week: date, history, seed: int) -> tuple[list, list[str]]:
    if len(people) < 2:
        return [], [p.id for p in people]
    strict = next_pairs(people, _rules(week, history, strict=True), seed=seed)
    pairs = list(strict.pairs)
    left = [p for p in people if p.id in set(strict.unpaired)]
    if len(left) >= 2:
        relaxed = next_pairs(left, _rules(week, history, strict=False), seed=seed)
        pairs.extend(relaxed.pairs)
        left = [p for p in left if p.id in set(relaxed.unpaired)]
    if len(left) >= 2:
        # Pairing the easy ones first can strand the rest; take the largest matching then.
        everyone = next_pairs(people, _rules(week, history, strict=False), seed=seed)
        if len(everyone.pairs) > len(pairs):
            return list(everyone.pairs), list(everyone.unpaired)
    return pairs, [p.id for p in left]


def _shared_minutes(a: Person, b: Person, week: date) -> int:
    first = week_minutes_utc(a.availability, a.timezone, week)
    second = week_minutes_utc(b.availability, b.timezone, week)
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in first for s2, e2 in second)


def _third_for(
    pairs: list[tuple[str, str]], extra: Person, by_id: dict[str, Person], met, week: date
) -> int | None:
    """The index of the pair the extra person fits best as a third, among pairs new to them."""
    best, best_score = None, None
    for index, (a, b) in enumerate(pairs):
        if pair_key(extra.id, a) in met or pair_key(extra.id, b) in met:
            continue
        languages = bool(extra.languages & by_id[a].languages & by_id[b].languages)
        shared = min(_shared_minutes(extra, by_id[a], week), _shared_minutes(extra, by_id[b], week))
        score = (languages, shared, -index)
        if best_score is None or score > best_score:
            best, best_score = index, score
    return best


def plan_round(
    people: Sequence[Person], met: Iterable[Iterable[str]], *, week: date, seed: int = 0
) -> RoundPlan:
    """Pairs (and at most one trio) for the people opted in, given the pairs met this cycle."""
    people = sorted(people, key=lambda p: p.id)
    ids = [p.id for p in people]
    by_id = {p.id: p for p in people}
    met_pairs: set[tuple[str, str]] = set()
    for group in met:
        met_pairs |= pairs_within(group)
    met_pairs = {pair for pair in met_pairs if pair[0] in by_id and pair[1] in by_id}
    new_cycle = everyone_has_met(ids, met_pairs)
    if new_cycle:
        met_pairs = set()
    history = tuple(sorted(met_pairs))
    pairs, left = _match(people, week, history, seed)
    groups: list[tuple[str, ...]] = [tuple(sorted(pair)) for pair in pairs]
    sat_out = list(left)
    if sat_out and groups:
        for extra_id in list(sat_out):
            index = _third_for(pairs, by_id[extra_id], by_id, met_pairs, week)
            if index is not None:
                groups[index] = tuple(sorted((*groups[index], extra_id)))
                sat_out.remove(extra_id)
                break
    return RoundPlan(tuple(sorted(groups)), tuple(sorted(sat_out)), new_cycle)
