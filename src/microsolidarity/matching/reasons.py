"""Honest reasons for anyone left without a crew, each one checked, and the change that would help.

A reason is stated only when it is true of the whole pool: "nobody else speaks a
language they speak" is counted over everyone, "too few" means fewer than a crew's
worth of people share time and language with them and may meet them (or no crew's
worth of those share one time and language together, found by a bounded search).
When a crew could include them but the search found no plan placing them, the
reason says so: could not be placed within the time limit.

The engine gives a code and its data (`Unplaced`); `describe_unplaced` is the command
line's English, and the site writes its own words from the same fields.
"""

from __future__ import annotations

import numpy as np

from .explain import local_text
from .model import Change, CrewRules, Unplaced

# Nodes of the "does any crew include them" search before it answers "unknown".
CREW_SEARCH_NODES = 20000


def _others(pool_rows: np.ndarray, rows: list[int]) -> np.ndarray:
    return pool_rows[~np.isin(pool_rows, rows)]


def leftover_reason(
    prof,
    rows: list[int],
    avail: np.ndarray,
    lang: np.ndarray,
    rules: CrewRules,
    pool_rows: np.ndarray,
    exact_state: str,
    full_crews_fit: bool,
) -> dict:
    """The checked reason (as `Unplaced` fields) why the unit of `rows` has no crew."""
    others = _others(pool_rows, rows)
    minutes = rules.min_common_minutes
    lang_ok = (prof.lang[others] & lang).any(axis=1)
    time_ok = (prof.avail[others] & avail).any(axis=1)
    banned = np.unique(np.concatenate([prof.forbid[r] for r in rows]))
    allowed = ~np.isin(others, banned)
    both = lang_ok & time_ok
    need = rules.min_size - len(rows)
    base = {"minutes": minutes, "min_size": rules.min_size, "max_size": rules.max_size}
    if not lang_ok.any():
        return base | {"code": "no_shared_language", "languages": _names(prof, lang)}
    if not both.any():
        return base | {"code": "no_shared_time"}
    if not (both & allowed).any():
        return base | {"code": "all_met_before", "count": int(np.count_nonzero(both))}
    mates = others[both & allowed]
    if len(mates) < need:
        return base | {"code": "too_few", "count": len(mates)}
    if _crew_exists(prof, mates, avail, lang, need) is False:
        return base | {"code": "too_few", "count": len(mates)}
    if exact_state == "proved for everyone":
        # The exact model saw the whole pool and placed as many as can be placed.
        return base | {"code": "crews_full", "count": len(mates), "larger_crew": full_crews_fit}
    return base | {
        "code": "time_limit",
        "count": len(mates),
        "exact": exact_state,
        "larger_crew": full_crews_fit,
    }


def _names(prof, lang: np.ndarray) -> tuple[str, ...]:
    bits = np.unpackbits(lang.view(np.uint8), bitorder="little")[: len(prof.languages)]
    return tuple(prof.languages[i] for i in np.nonzero(bits)[0])


def _crew_exists(prof, mates: np.ndarray, avail, lang, need: int) -> bool | None:
    """Is there a group of `need` mates who share one time and language with the unit?

    Depth-first over mates in order, keeping the AND of the masks; pairs that may not
    meet are skipped. None when the search ran out of nodes before it could say.
    """
    if need <= 0:
        return True
    forbid = {int(m): set(prof.forbid[int(m)].tolist()) for m in mates}
    order = [int(m) for m in mates]
    nodes = 0

    def extend(start: int, chosen: list[int], a, g) -> bool | None:
        nonlocal nodes
        if len(chosen) == need:
            return True
        unknown = False
        for i in range(start, len(order)):
            nodes += 1
            if nodes > CREW_SEARCH_NODES:
                return None
            m = order[i]
            if any(m in forbid[c] for c in chosen):
                continue
            a2, g2 = a & prof.avail[m], g & prof.lang[m]
            if not a2.any() or not g2.any():
                continue
            found = extend(i + 1, [*chosen, m], a2, g2)
            if found:
                return True
            if found is None:
                unknown = True
                break
        return None if unknown else False

    return extend(0, [], avail.copy(), lang.copy())


def change_for(
    prof, rows: list[int], reason: dict, rules: CrewRules, pool_rows: np.ndarray, timezone: str
) -> Change | None:
    """The one change that would give them a crew's worth of possible crew-mates, if any."""
    code = reason["code"]
    if code.startswith("together") or code == "broke_rule":
        return None
    if code in ("time_limit", "crews_full"):
        if reason.get("larger_crew"):
            return Change("larger_crew", max_size=rules.max_size + 1)
        return Change("more_time", people=int(reason.get("count", 0)))
    others = _others(pool_rows, rows)
    banned = np.unique(np.concatenate([prof.forbid[r] for r in rows]))
    others = others[~np.isin(others, banned)]
    if len(others) == 0:
        return None
    need = max(1, rules.min_size - len(rows))
    from .profiles import and_rows

    avail, lang = and_rows(prof.avail[rows]), and_rows(prof.lang[rows])
    best: Change | None = None
    # A second language: the language most spoken by those who share their time.
    if rules.require_shared_language:
        sharing_time = others[(prof.avail[others] & avail).any(axis=1)]
        if len(sharing_time):
            bits = np.unpackbits(prof.lang[sharing_time].view(np.uint8), axis=1, bitorder="little")
            counts = bits[:, : len(prof.languages)].sum(axis=0)
            own = np.unpackbits(lang.view(np.uint8), bitorder="little")[: len(prof.languages)]
            counts[own.astype(bool)] = 0
            if counts.size and counts.max() >= need:
                k = int(np.argmax(counts))
                best = Change("language", people=int(counts[k]), language=prof.languages[k])
    # A window: the start of the shared run that most of those who share a language can make.
    if rules.min_common_minutes > 0:
        speakers = others[(prof.lang[others] & lang).any(axis=1)]
        if len(speakers):
            bits = np.unpackbits(prof.avail[speakers].view(np.uint8), axis=1, bitorder="little")
            counts = bits.sum(axis=0)
            t = int(np.argmax(counts))
            if counts[t] >= need and (best is None or counts[t] > best.people):
                start = t * prof.slot_minutes
                span = (start, start + rules.min_common_minutes)
                text = local_text(_split_week(span), timezone, rules.week_monday)
                best = Change("window", people=int(counts[t]), window_utc=span, window_local=text)
    return best


def _split_week(span: tuple[int, int]) -> list[tuple[int, int]]:
    from .availability import MINUTES_PER_WEEK

    start, end = span
    if end <= MINUTES_PER_WEEK:
        return [span]
    return [(0, end - MINUTES_PER_WEEK), (start, MINUTES_PER_WEEK)]


def describe_unplaced(u: Unplaced) -> str:
    """The reason in plain English (for the command line; the site writes its own words)."""
    names = ", ".join(u.people)
    text = {
        "no_availability": "gave no weekly availability, so no crew can share a time with them",
        "no_long_window": f"has no window of {u.minutes} minutes or more in a row",
        "no_language": "gave no language, so no crew can share one with them",
        "together_in_kept_crew": f"must be together with {names}, who is in a crew kept as it is",
        "together_apart": f"must be together ({names}) but some of them must be apart or met "
        "before",
        "together_too_many": f"must be together ({names}): {u.count} people, more than a "
        f"crew's maximum of {u.max_size}",
        "together_no_time": f"must be together ({names}) but share no {u.minutes} minutes of time",
        "together_no_language": f"must be together ({names}) but share no language",
        "no_shared_language": "nobody else speaks a language they speak",
        "no_shared_time": "nobody who speaks one of their languages is free for the same "
        f"{u.minutes} minutes in a row",
        "all_met_before": f"the {u.count} people who share a language and {u.minutes} minutes "
        "with them all met them before or must be kept apart from them",
        "too_few": f"only {u.count} people share a language and {u.minutes} minutes with them "
        f"and may meet them, too few for a crew of {u.min_size}"
        if u.count < u.min_size - 1
        else f"no {u.min_size - 1} of the {u.count} people who share a language and {u.minutes} "
        "minutes with them share one time and language with them and each other, and may meet",
        "crews_full": "every crew that could take them is full, and no plan places more people "
        "(proved by the exact model)",
        "time_limit": "could not be placed within the time limit (a crew keeping every rule "
        "could include them)",
        "broke_rule": f"could not be placed without breaking a rule ({u.detail})",
    }[u.code]
    change = u.change
    if change is None:
        return text
    if change.kind == "window":
        return (
            f"{text}; being free {change.window_local} would give them {change.people} "
            "possible crew-mates"
        )
    if change.kind == "language":
        return (
            f"{text}; speaking {change.language} would give them {change.people} possible "
            "crew-mates"
        )
    if change.kind == "larger_crew":
        return f"{text}; a maximum crew size of {change.max_size} would place them"
    return f"{text}; a longer time limit may place them"
