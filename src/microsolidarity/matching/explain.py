"""Why a crew holds together, and an exact check of the hard rules, both to the minute."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .availability import DAYS, MINUTES_PER_WEEK, format_clock, week_minutes_utc
from .model import CrewRules, Explanation, History, LocalWindow, Person, Violation

Spans = list[tuple[int, int]]


def intersect_spans(a: Spans, b: Spans) -> Spans:
    """Intersection of two sorted lists of disjoint [start, end) spans."""
    out: Spans = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def shared_spans(all_spans: Sequence[Spans]) -> Spans:
    if not all_spans:
        return []
    common = list(all_spans[0])
    for spans in all_spans[1:]:
        common = intersect_spans(common, spans)
    return common


def longest_run(spans: Spans) -> int:
    """The longest contiguous stretch, counting a run across Sunday midnight as one."""
    if not spans:
        return 0
    if spans == [(0, MINUTES_PER_WEEK)]:
        return MINUTES_PER_WEEK
    best = max(end - start for start, end in spans)
    if len(spans) > 1 and spans[0][0] == 0 and spans[-1][1] == MINUTES_PER_WEEK:
        best = max(best, spans[0][1] + MINUTES_PER_WEEK - spans[-1][0])
    return best


def local_text(spans: Spans, timezone: str, week_monday: date) -> str:
    """UTC spans of the week shown as local weekly windows, split at local midnight."""
    zone = ZoneInfo(timezone)
    origin = datetime.combine(week_monday, time(0), tzinfo=ZoneInfo("UTC"))
    parts: list[str] = []
    for start, end in spans:
        begin = (origin + timedelta(minutes=start)).astimezone(zone)
        finish = (origin + timedelta(minutes=end)).astimezone(zone)
        while begin < finish:
            midnight = datetime.combine(begin.date() + timedelta(days=1), time(0), tzinfo=zone)
            stop = min(finish, midnight)
            start_min = begin.hour * 60 + begin.minute
            end_min = 1440 if stop == midnight else stop.hour * 60 + stop.minute
            if end_min > start_min:
                parts.append(
                    f"{DAYS[begin.weekday()]} {format_clock(start_min)}-{format_clock(end_min)}"
                )
            begin = stop
    return "; ".join(parts)


def explain_crew(members: Sequence[Person], week_monday: date) -> Explanation:
    spans = [week_minutes_utc(p.availability, p.timezone, week_monday) for p in members]
    common = shared_spans(spans)
    languages = set.intersection(*(set(p.languages) for p in members)) if members else set()
    counts = Counter(tag for p in members for tag in p.interests)
    shared = [
        tag for tag, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if count > 1
    ]
    return Explanation(
        shared_minutes=sum(end - start for start, end in common),
        longest_shared_minutes=longest_run(common),
        shared_windows_utc=tuple(common),
        local_windows=tuple(
            LocalWindow(p.id, p.timezone, local_text(common, p.timezone, week_monday))
            for p in members
        ),
        languages=tuple(sorted(languages)),
        interests=tuple(shared[:8]),
    )


def check_crews(
    people: Sequence[Person], crews: Sequence[Sequence[str]], rules: CrewRules
) -> list[Violation]:
    """Every hard rule each crew breaks, checked to the minute (an empty list means none)."""
    by_id = {p.id: p for p in people}
    crew_of: dict[str, int] = {}
    for number, crew in enumerate(crews):
        for pid in crew:
            crew_of[pid] = number
    history = History.from_crews(rules.history)
    kept = {frozenset(crew) for crew in rules.keep}
    week = rules.week_monday
    found: list[Violation] = []
    for number, crew in enumerate(crews):
        members = [by_id[pid] for pid in crew]
        if frozenset(crew) in kept:
            continue
        if not rules.min_size <= len(crew) <= rules.max_size:
            found.append(Violation(number, "size", f"{len(crew)} people"))
        for person in members:
            for other in person.together:
                if other in by_id and crew_of.get(other) != number:
                    found.append(Violation(number, "together", f"{person.id} without {other}"))
            for other in person.apart:
                if crew_of.get(other) == number:
                    found.append(Violation(number, "apart", f"{person.id} with {other}"))
        ids = sorted(crew)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if history.met(a, b):
                    found.append(Violation(number, "history", f"{a} and {b} met before"))
        if rules.min_common_minutes > 0:
            spans = [week_minutes_utc(p.availability, p.timezone, week) for p in members]
            run = longest_run(shared_spans(spans))
            if run < rules.min_common_minutes:
                found.append(Violation(number, "time", f"longest shared time {run} minutes"))
        if (
            rules.require_shared_language
            and members
            and not set.intersection(*(set(p.languages) for p in members))
        ):
            found.append(Violation(number, "language", "no shared language"))
    return found
