"""Weekly availability: parse `mon 18:00-20:00; wed 07:00-09:30`, print it back, place it in UTC.

Windows are kept in the person's own timezone; a concrete week turns them into
UTC minutes so that daylight-saving changes land right.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import chain, pairwise
from operator import attrgetter
from zoneinfo import ZoneInfo

import numpy as np

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_ALIASES = {
    **{d: i for i, d in enumerate(DAYS)},
    **{
        name: i
        for i, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    "tues": 1,
    "wed": 2,
    "thur": 3,
    "thurs": 3,
}
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

_ENTRY = re.compile(
    r"^(?P<days>[A-Za-z]+(?:\s*[-,]\s*[A-Za-z]+)*)\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$"
)


class AvailabilityError(ValueError):
    """A window could not be read; `column` is 1-based within the text given."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.message = message
        self.column = column


@dataclass(frozen=True, order=True, slots=True)
class Window:
    """One weekly window in local time: a day (0 = Monday) and minutes from midnight."""

    day: int
    start: int
    end: int

    def __str__(self) -> str:
        return f"{DAYS[self.day]} {format_clock(self.start)}-{format_clock(self.end)}"

    @property
    def minutes(self) -> int:
        return self.end - self.start


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _parse_clock(text: str, column: int, *, is_end: bool) -> int:
    hours, minutes = (int(part) for part in text.split(":"))
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not is_end)):
        allowed = "00:00 to 24:00" if is_end else "00:00 to 23:59"
        raise AvailabilityError(f"{text!r} is not a time of day ({allowed})", column)
    return hours * 60 + minutes


def _parse_days(text: str, column: int) -> list[int]:
    days: list[int] = []
    for chunk in re.split(r"\s*,\s*", text):
        ends = re.split(r"\s*-\s*", chunk)
        indexes = []
        for name in ends:
            index = _DAY_ALIASES.get(name.lower())
            if index is None:
                raise AvailabilityError(
                    f"{name!r} is not a day; use mon, tue, wed, thu, fri, sat or sun", column
                )
            indexes.append(index)
        if len(indexes) > 2:
            raise AvailabilityError(
                f"{chunk!r} has too many dashes; a range of days is two, like 'mon-fri'", column
            )
        if len(indexes) == 1:
            days.append(indexes[0])
        else:
            first, last = indexes
            span = (last - first) % 7
            days.extend((first + step) % 7 for step in range(span + 1))
    return days


def parse_availability(text: str) -> tuple[Window, ...]:
    """Read windows separated by `;` or new lines; overlapping windows are merged.

    Days may be listed (`mon,wed 18:00-20:00`) or ranged (`mon-fri 07:00-08:00`).
    An empty text means no availability given.
    """
    windows: list[Window] = []
    offset = 0
    for raw in re.split(r"(;|\n)", text):
        if raw in {";", "\n"}:
            offset += 1
            continue
        column = offset + len(raw) - len(raw.lstrip()) + 1
        offset += len(raw)
        entry = raw.strip()
        if not entry:
            continue
        match = _ENTRY.match(entry)
        if match is None:
            raise AvailabilityError(
                f"{entry!r} should look like 'mon 18:00-20:00' (a day, then start-end)", column
            )
        days = _parse_days(match["days"], column)
        start = _parse_clock(match["start"], column + match.start("start"), is_end=False)
        end = _parse_clock(match["end"], column + match.start("end"), is_end=True)
        if end <= start:
            raise AvailabilityError(
                f"{entry!r} ends before it starts; split a window that crosses midnight, "
                "for example 'fri 22:00-24:00; sat 00:00-01:00'",
                column,
            )
        windows.extend(Window(day, start, end) for day in days)
    return merge_windows(windows)


def merge_windows(windows: list[Window] | tuple[Window, ...]) -> tuple[Window, ...]:
    merged: list[Window] = []
    for window in sorted(windows):
        last = merged[-1] if merged else None
        if last is not None and last.day == window.day and window.start <= last.end:
            merged[-1] = Window(last.day, last.start, max(last.end, window.end))
        else:
            merged.append(window)
    return tuple(merged)


def format_availability(windows: tuple[Window, ...] | list[Window]) -> str:
    """The canonical text, which `parse_availability` reads back to the same windows."""
    return "; ".join(str(window) for window in merge_windows(list(windows)))


@lru_cache(maxsize=1024)
def _zone(name: str) -> ZoneInfo:
    # ZoneInfo keeps only a few zones strongly cached; a congregation spans many.
    return ZoneInfo(name)


def _wall_minute_utc(timezone: str, week_monday: date, day: int, minute: int) -> int:
    """Local wall-clock `minute` after midnight of `day` (0 = the Monday) as UTC minutes from
    the Monday's 00:00 UTC; a time in a daylight-saving gap or fold reads as before the change."""
    utc = _zone("UTC")
    week_start = datetime.combine(week_monday, time(0), tzinfo=utc)
    local_day = week_monday + timedelta(days=day)
    # Aware-datetime arithmetic is wall-clock; each end is converted on its own day.
    moment = datetime.combine(local_day, time(0), tzinfo=_zone(timezone)) + timedelta(
        minutes=minute
    )
    return int((moment.astimezone(utc) - week_start).total_seconds() // 60)


@lru_cache(maxsize=65536)
def _window_utc(window: Window, timezone: str, week_monday: date) -> tuple[tuple[int, int], ...]:
    """One local window as UTC spans of the week (cached: many people share windows and zones)."""
    start_min = _wall_minute_utc(timezone, week_monday, window.day, window.start)
    end_min = _wall_minute_utc(timezone, week_monday, window.day, window.end)
    length = end_min - start_min
    start_min %= MINUTES_PER_WEEK
    stop = start_min + length
    if stop <= MINUTES_PER_WEEK:
        return ((start_min, stop),)
    return ((start_min, MINUTES_PER_WEEK), (0, stop - MINUTES_PER_WEEK))


def week_minutes_utc(
    windows: tuple[Window, ...] | list[Window], timezone: str, week_monday: date
) -> list[tuple[int, int]]:
    """Windows as [start, end) minutes from Monday 00:00 UTC of the given week, wrapped into it."""
    spans: list[tuple[int, int]] = []
    for window in windows:
        spans.extend(_window_utc(window, timezone, week_monday))
    spans.sort()
    joined: list[tuple[int, int]] = []
    for start_min, stop in spans:
        if joined and start_min <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], stop))
        else:
            joined.append((start_min, stop))
    return joined


@dataclass(frozen=True, slots=True)
class WeekSpans:
    """`week_minutes_utc` for many people at once: person i has the joined spans
    `starts[bounds[i]:bounds[i + 1]]`, `stops[...]`, also as lists of tuples in `spans`."""

    bounds: np.ndarray  # n + 1, int64
    starts: np.ndarray  # int64
    stops: np.ndarray  # int64
    spans: list[list[tuple[int, int]]]


def many_week_minutes_utc(
    availabilities: Sequence[Sequence[Window]], timezones: Sequence[str], week_monday: date
) -> WeekSpans:
    """`week_minutes_utc` of every person, the same to the minute, without a loop per person.

    Each distinct (timezone, day, local minute) edge is converted once with the same
    datetime arithmetic; wrapping, sorting and joining are done on arrays.
    """
    n = len(availabilities)
    counts = np.fromiter(map(len, availabilities), np.int64, n)
    m = int(counts.sum())
    if m == 0:
        return WeekSpans(
            np.zeros(n + 1, np.int64),
            np.zeros(0, np.int64),
            np.zeros(0, np.int64),
            [[] for _ in range(n)],
        )
    fields = np.fromiter(
        chain.from_iterable(
            map(attrgetter("day", "start", "end"), chain.from_iterable(availabilities))
        ),
        np.int64,
        3 * m,
    ).reshape(m, 3)
    zone_of = {name: k for k, name in enumerate(dict.fromkeys(timezones))}
    zone_names = list(zone_of)
    person_zone = np.fromiter(map(zone_of.__getitem__, timezones), np.int64, n)
    window_person = np.repeat(np.arange(n, dtype=np.int64), counts)

    # One key per wall-clock edge (zone, day, minute); each distinct key is converted once.
    zone = np.tile(person_zone[window_person], 2)
    day = np.tile(fields[:, 0], 2)
    minute = np.concatenate([fields[:, 1], fields[:, 2]])
    day_low, minute_low = int(day.min()), int(minute.min())
    day_span = int(day.max()) - day_low + 1
    minute_span = int(minute.max()) - minute_low + 1
    if len(zone_names) * day_span * minute_span < 2**62:
        keys = (zone * day_span + (day - day_low)) * minute_span + (minute - minute_low)
        distinct, inverse = np.unique(keys, return_inverse=True)
        points = [
            (
                key // (day_span * minute_span),
                key // minute_span % day_span + day_low,
                key % minute_span + minute_low,
            )
            for key in distinct.tolist()
        ]
    else:  # absurd days or minutes: compare the edges as rows
        rows = np.stack([zone, day, minute], axis=1)
        distinct, inverse = np.unique(rows, axis=0, return_inverse=True)
        points = distinct.tolist()
    converted = np.array(
        [_wall_minute_utc(zone_names[z], week_monday, d, mm) for z, d, mm in points], np.int64
    )
    edges = converted[inverse.reshape(-1)]
    start, end = edges[:m], edges[m:]

    # As `_window_utc`: wrap into the week, splitting a window that crosses its end.
    length = end - start
    start = start % MINUTES_PER_WEEK
    stop = start + length
    wraps = stop > MINUTES_PER_WEEK
    person = np.concatenate([window_person, window_person[wraps]])
    starts = np.concatenate([start, np.zeros(int(wraps.sum()), np.int64)])
    stops = np.concatenate(
        [np.where(wraps, MINUTES_PER_WEEK, stop), stop[wraps] - MINUTES_PER_WEEK]
    )

    # As `week_minutes_utc`: sort each person's spans, then join a span into the one before
    # when it starts no later than the largest end so far (the same test as against the
    # joined span's end: both are below a span's start or neither is).
    low = int(stops.min())
    scale = int(stops.max()) - low + 1
    start_scale = int(starts.max()) + 1  # starts are in [0, MINUTES_PER_WEEK)
    if n * start_scale * scale < 2**62:
        # One int64 key (person, start, stop) sorts faster than three.
        key = np.sort((person * start_scale + starts) * scale + (stops - low))
        rest, stops = np.divmod(key, scale)
        person, starts = np.divmod(rest, start_scale)
        stops += low
    else:
        order = np.lexsort((stops, starts, person))
        person, starts, stops = person[order], starts[order], stops[order]
    reach = np.maximum.accumulate(person * scale + (stops - low)) - person * scale + low
    new = np.ones(len(person), bool)
    new[1:] = (person[1:] != person[:-1]) | (starts[1:] > reach[:-1])
    heads = np.flatnonzero(new)
    joined_starts = starts[heads]
    joined_stops = np.maximum.reduceat(stops, heads)
    bounds = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(person[heads], minlength=n), out=bounds[1:])

    pairs = list(zip(joined_starts.tolist(), joined_stops.tolist(), strict=True))
    edges_list = bounds.tolist()
    spans = [pairs[a:b] for a, b in pairwise(edges_list)]
    return WeekSpans(bounds, joined_starts, joined_stops, spans)
