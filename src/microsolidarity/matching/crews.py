"""Crew formation: people in, crews that keep every hard rule out (or a reason someone is left out).

Pipeline: contract must-together people into units. Up to a few hundred units,
build crews greedily around the hardest-to-place unit and improve them with
iterated local search that never lowers the worst crew. Beyond that, find each
unit's most similar allowed partners (nearby.py), grow crews from those lists,
then improve blocks of neighbouring crews the same way (blocks.py, greedy.py). Put
the leftovers wherever they fit and repair coverage (coverage.py); then split crews
again (resplit.py) and form pools of crews again exactly (regroup.py); verify every
crew to the minute.
"""

from __future__ import annotations

import time as _time
from collections.abc import Sequence

import numpy as np

from . import blocks
from .blocks import BlockSolver, ils_rounds
from .coverage import (
    EXACT_PEOPLE,
    EXACT_SECONDS,
    EXACT_WORK,
    REBUILD_PEOPLE,
    CrewTable,
    eject_chains,
    gather_crew,
    leftover_clusters,
    neighbourhood,
    sub_profiles,
)
from .explain import check_crews, explain_crew
from .model import Crew, CrewPlan, CrewRules, Person, Progress, Unplaced
from .profiles import Profiles, and_rows, build_profiles
from .reasons import change_for, leftover_reason
from .scores import crew_scores, upper_bound
from .search import ALL_ONES
from .units import SIGN_UP_CODES, Units, unit_reasons


def form_crews(
    people: Sequence[Person],
    rules: CrewRules | None = None,
    *,
    seed: int = 0,
    time_limit: float | None = None,
    progress: Progress | None = None,
    solver: str = "auto",
) -> CrewPlan:
    """Form crews that keep every hard rule; report anyone who cannot be placed, with the reason.

    solver: "local" (iterated local search), "exact" (OR-Tools CP-SAT, small N only),
    or "auto" (local search). The result is the same for the same input and seed
    unless `time_limit` cuts the search short.
    """
    rules = rules or CrewRules()
    people = list(people)
    seen: set[str] = set()
    for person in people:
        if person.id in seen:
            raise ValueError(f"duplicate id {person.id!r}")
        seen.add(person.id)
    started = _time.monotonic()
    deadline = started + time_limit if time_limit else None
    if progress is not None:
        progress(0.0)

    kept_ids = {pid for crew in rules.keep for pid in crew}
    pool_people = [p for p in people if p.id not in kept_ids]
    prof = build_profiles(pool_people, rules)
    if progress is not None:
        progress(0.02)
    if solver == "exact":
        from .exact import solve_exact

        result = solve_exact(prof, rules, time_limit=time_limit or 60.0)
        if result is not None:
            crews_rows, optimal = result
            return _assemble(
                people, pool_people, prof, rules, crews_rows, {}, seed, "CP-SAT", optimal
            )

    unit_rows, reasons = unit_reasons(prof, pool_people, rules, kept_ids)
    units = Units(prof, unit_rows)
    solver_state = BlockSolver(prof, units, rules, seed, deadline, progress)
    all_units = np.arange(len(unit_rows))
    if len(all_units) > blocks.BLOCK_UNITS:
        crews_units, leftover = solver_state.solve_large(all_units)
    else:
        crews_units, leftover = solver_state.solve_block(all_units, ils_rounds(len(all_units)))
    if leftover:
        leftover = _place_leftovers(prof, units, rules, crews_units, leftover, seed)
    solver_state.note(0.97)
    exact_state = "not needed"
    if leftover:
        crews_units, leftover, exact_state = _cover(
            prof, units, rules, crews_units, leftover, seed, deadline, solver != "local"
        )
    crews_units = solver_state.polish(crews_units)
    crews_rows = [[r for u in crew for r in units.members[u]] for crew in crews_units]
    pool_rows = np.array([r for rows in unit_rows for r in rows], np.int64)
    table = CrewTable(units, crews_units, rules.min_size, rules.max_size, prof.signs)
    for u in leftover:
        rows = units.members[u]
        full_fit = any(
            table.size[c] + units.k[u] == rules.max_size + 1 and _fits_larger(table, u, c)
            for c in table.candidate_crews(u)
        )
        why = leftover_reason(
            prof, rows, units.avail[u], units.lang[u], rules, pool_rows, exact_state, full_fit
        )
        for r in rows:
            reasons[r] = why
    solver_state.note(0.98)
    plan = _assemble(
        people,
        pool_people,
        prof,
        rules,
        crews_rows,
        reasons,
        seed,
        "local search",
        progress=progress,
    )
    if progress is not None:
        progress(1.0)
    return plan


def _cover(
    prof: Profiles,
    units: Units,
    rules: CrewRules,
    crews_units: list[list[int]],
    leftover: list[int],
    seed: int,
    deadline: float | None,
    use_exact: bool,
) -> tuple[list[list[int]], list[int], str]:
    """Coverage first: every repair of coverage.py in turn, each keeping only gains.

    Returns the crews, the units still left over, and what the exact model said for
    them: "timed out", "proved" (no better plan in the neighbourhoods it saw),
    "unavailable" (OR-Tools missing) or "not run" (the time limit came first).
    """
    table = CrewTable(units, crews_units, rules.min_size, rules.max_size, prof.signs)
    left = eject_chains(table, leftover, deadline)
    pool = set(left)
    for u in left:
        if u in pool and table.crew_of[u] < 0:
            gather_crew(table, u, pool)
    left = eject_chains(table, [u for u in left if table.crew_of[u] < 0], deadline)
    state = "not run"
    for number, cluster in enumerate(leftover_clusters(table, left)):
        if deadline is not None and _time.monotonic() > deadline:
            break
        cluster = [u for u in cluster if table.crew_of[u] < 0]
        if cluster:
            _rebuild(prof, units, rules, table, cluster, seed + number)
        cluster = [u for u in cluster if table.crew_of[u] < 0]
        if cluster and use_exact:
            said = _exact_repair(prof, units, rules, table, cluster, deadline)
            state = said if state in ("not run", "proved", "proved for everyone") else state
    # A rebuild may leave out someone who was placed, as long as it places more in all.
    left = [int(u) for u in np.nonzero(table.crew_of < 0)[0]]
    if left:
        # What the repairs above freed may now take someone they could not before.
        left = eject_chains(table, left, deadline)
    crews = [crew for crew in table.crews if crew]
    return crews, left, state


def _rebuild(
    prof: Profiles, units: Units, rules: CrewRules, table: CrewTable, cluster: list[int], seed: int
) -> None:
    """Take the crews around a cluster of leftovers apart and form them again with them."""
    chosen = neighbourhood(table, cluster, REBUILD_PEOPLE)
    if not chosen:
        return
    block = np.array(sorted(cluster + [u for c in chosen for u in table.crews[c]]), np.int64)
    before = int(units.k[[u for c in chosen for u in table.crews[c]]].sum())
    for attempt in range(3):
        solver = BlockSolver(prof, units, rules, seed * 31 + attempt, None, None)
        crews, _left = solver.solve_block(block, 2)
        if sum(int(units.k[crew].sum()) for crew in crews) > before:
            for c in chosen:
                for u in list(table.crews[c]):
                    table.take(u)
            for crew in crews:
                table.new_crew(crew)
            return


def _exact_repair(
    prof: Profiles,
    units: Units,
    rules: CrewRules,
    table: CrewTable,
    cluster: list[int],
    deadline: float | None,
) -> str:
    """CP-SAT on the leftovers and the crews that could take them; everyone placed stays."""
    from .exact import solve_exact

    chosen = neighbourhood(table, cluster, EXACT_PEOPLE)
    rows = [r for u in cluster for r in units.members[u]]
    rows += [r for c in chosen for u in table.crews[c] for r in units.members[u]]
    if len(rows) > 60:
        return "timed out"
    # Bounded by CP-SAT's deterministic work, not the clock: on a busy machine a 2 s wall
    # limit left people out that a quiet one placed. The wall cap is only a safety net.
    limit = 5 * EXACT_SECONDS
    if deadline is not None:
        limit = min(limit, deadline - _time.monotonic())
        if limit <= 0.05:
            return "not run"
    local = {r: i for i, r in enumerate(rows)}
    optional = np.zeros(len(rows), bool)
    optional[[local[r] for u in cluster for r in units.members[u]]] = True
    hint = [[local[r] for u in table.crews[c] for r in units.members[u]] for c in chosen]
    sub = sub_profiles(prof, rows)
    result = solve_exact(
        sub,
        rules,
        time_limit=limit,
        optional=optional,
        hint=hint,
        coverage_only=True,
        work=EXACT_WORK,
    )
    if result is None:
        try:
            import ortools  # noqa: F401
        except ImportError:
            return "unavailable"
        return "timed out"
    crews_rows, optimal = result
    new_crews = [sorted({int(units.of_person[rows[i]]) for i in crew}) for crew in crews_rows]
    before = sum(len(table.crews[c]) for c in chosen)
    if sum(len(crew) for crew in new_crews) > before:
        for c in chosen:
            for u in list(table.crews[c]):
                table.take(u)
        for crew in new_crews:
            table.new_crew(crew)
    if optimal and len(rows) == int(units.k.sum()):
        # The model saw everyone in the pool: nobody left out can be placed at all.
        return "proved for everyone"
    return "proved" if optimal else "timed out"


def _fits_larger(table: CrewTable, u: int, c: int) -> bool:
    """Would u fit crew c by every rule if crews could be one larger?"""
    table.high += 1
    try:
        return table.fits(u, c)
    finally:
        table.high -= 1


def _place_leftovers(
    prof: Profiles,
    units: Units,
    rules: CrewRules,
    crews_units: list[list[int]],
    leftover: list[int],
    seed: int,
) -> list[int]:
    """Leftovers from the blocks: into any crew with room, else crews of their own."""
    n_crews = len(crews_units)
    crew_of = np.full(len(units.k), -1, np.int64)
    sizes = np.zeros(n_crews, np.int64)
    sums = np.zeros((n_crews, units.x.shape[1]))
    gavail = np.full((n_crews, units.avail.shape[1]), ALL_ONES, np.uint64)
    glang = np.full((n_crews, units.lang.shape[1]), ALL_ONES, np.uint64)
    for c, crew in enumerate(crews_units):
        crew_of[crew] = c
        sizes[c] = units.k[crew].sum()
        sums[c] = units.x[crew].sum(axis=0)
        gavail[c] = and_rows(units.avail[crew])
        glang[c] = and_rows(units.lang[crew])
    still: list[int] = []
    for u in leftover:
        room = np.nonzero(sizes + units.k[u] <= rules.max_size)[0]
        if len(room):
            ok = (gavail[room] & units.avail[u]).any(axis=1) & (glang[room] & units.lang[u]).any(
                axis=1
            )
            banned = crew_of[units.forbid[u]]
            ok &= ~np.isin(room, banned[banned >= 0])
            room = room[ok]
        if len(room) == 0:
            still.append(u)
            continue
        gain = (sums[room] @ (units.x[u] * prof.signs)) / sizes[room]
        c = int(room[int(np.argmax(gain))])
        crews_units[c].append(u)
        crew_of[u] = c
        sizes[c] += units.k[u]
        sums[c] += units.x[u]
        gavail[c] &= units.avail[u]
        glang[c] &= units.lang[u]
    if len(still) < 2:
        return still
    block = np.array(still, np.int64)
    solver = BlockSolver(prof, units, rules, seed + 7, None, None)
    crews, left = solver.solve_block(block, 2)
    crews_units.extend(crews)
    return left


def _assemble(
    people: Sequence[Person],
    pool_people: Sequence[Person],
    prof: Profiles,
    rules: CrewRules,
    crews_rows: list[list[int]],
    reasons: dict[int, dict],
    seed: int,
    method: str,
    optimal: bool = False,
    progress: Progress | None = None,
) -> CrewPlan:
    week = rules.week_monday
    by_id = {p.id: p for p in people}
    crews_rows = [sorted(rows, key=lambda r: prof.ids[r]) for rows in crews_rows if rows]
    member_ids = [[prof.ids[r] for r in rows] for rows in crews_rows]
    broken = {v.crew: v for v in check_crews(pool_people, member_ids, _without_keep(rules))}
    if progress is not None:
        progress(0.985)
    reasons = dict(reasons)
    good: list[list[int]] = []
    for number, rows in enumerate(crews_rows):
        if number in broken:
            for r in rows:
                reasons[r] = {"code": "broke_rule", "detail": broken[number].detail}
        else:
            good.append(rows)
    good.sort(key=lambda rows: prof.ids[rows[0]])
    crews: list[Crew] = []
    for kept in rules.keep:
        members = [by_id[pid] for pid in sorted(kept) if pid in by_id]
        if members:
            crews.append(
                Crew(
                    len(crews) + 1,
                    tuple(p.id for p in members),
                    0.0,
                    0.0,
                    explain_crew(members, week),
                    kept=True,
                )
            )
    total = 0.0
    scores: list[float] = []
    for done, rows in enumerate(good):
        if progress is not None and done % 256 == 0:
            progress(0.985 + 0.01 * done / len(good))
        score, interest = crew_scores(prof, rows)
        scores.append(score)
        total += score * len(rows)
        members = [by_id[prof.ids[r]] for r in rows]
        crews.append(
            Crew(
                len(crews) + 1,
                tuple(p.id for p in members),
                score,
                interest,
                explain_crew(members, week),
            )
        )
    placed = [r for rows in good for r in rows]
    # Possible crew-mates for the suggested change: everyone whose own sign-up can be placed.
    signed_up = {r for r, why in reasons.items() if why["code"] in SIGN_UP_CODES}
    pool_rows = np.array(sorted(set(range(prof.n)) - signed_up), np.int64)
    unplaced = tuple(
        _unplaced(prof, r, reasons[r], rules, pool_rows)
        for r in sorted(reasons, key=lambda r: prof.ids[r])
    )
    bound = upper_bound(prof, sorted(placed), rules.min_size)
    return CrewPlan(
        crews=tuple(crews),
        unplaced=unplaced,
        total=total,
        worst=min(scores) if scores else 0.0,
        mean_score=float(np.mean(scores)) if scores else 0.0,
        upper_bound=bound,
        seed=seed,
        method=method,
        optimal=optimal,
    )


def _unplaced(prof: Profiles, r: int, why: dict, rules: CrewRules, pool_rows) -> Unplaced:
    group = [prof.index[pid] for pid in why.get("people", ()) if pid in prof.index] or [r]
    rows = sorted(set(group) | {r})
    change = change_for(prof, rows, why, rules, pool_rows, prof.timezones[r])
    fields = {k: v for k, v in why.items() if k != "larger_crew"}
    return Unplaced(prof.ids[r], change=change, **fields)


def _without_keep(rules: CrewRules) -> CrewRules:
    from dataclasses import replace

    return replace(rules, keep=())
