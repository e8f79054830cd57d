"""A fair rotation for volunteer roles: whoever did a role least often is asked first.

Plain data in, plain data out: the caller counts who did what (from any store) and gets
back the order in which to ask people. Ties go to whoever did it longest ago (never
before first), then to the lower id, so the order is stable and explainable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class VolunteerRecord:
    person_id: int
    times_done: int = 0
    last_done: date | None = None


@dataclass(frozen=True)
class Suggestion:
    person_id: int
    times_done: int
    last_done: date | None


def _key(record: VolunteerRecord) -> tuple:
    # Never done sorts before any date; an earlier date before a later one.
    last = (0, date.min) if record.last_done is None else (1, record.last_done)
    return (record.times_done, last, record.person_id)


def fair_rotation(
    records: Iterable[VolunteerRecord],
    *,
    exclude: Iterable[int] = (),
    limit: int | None = None,
) -> list[Suggestion]:
    """People to ask for a role, least done first; `exclude` (already signed up) is left out.

    A person listed twice is counted once, with the larger count and the later date, so a
    caller merging two sources never makes someone look less busy than they were.
    """
    if limit is not None and limit < 0:
        raise ValueError("limit must not be negative")
    merged: dict[int, VolunteerRecord] = {}
    for record in records:
        if record.times_done < 0:
            raise ValueError("times_done must not be negative")
        seen = merged.get(record.person_id)
        if seen is None:
            merged[record.person_id] = record
            continue
        dates = [d for d in (seen.last_done, record.last_done) if d is not None]
        merged[record.person_id] = VolunteerRecord(
            record.person_id,
            max(seen.times_done, record.times_done),
            max(dates) if dates else None,
        )
    skipped = set(exclude)
    ranked = sorted((r for r in merged.values() if r.person_id not in skipped), key=_key)
    if limit is not None:
        ranked = ranked[:limit]
    return [Suggestion(r.person_id, r.times_done, r.last_done) for r in ranked]
