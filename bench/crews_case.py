"""One crew-formation measurement, run in its own process so its peak memory is its own.

Prints one JSON line: engine, random and greedy baselines (and CP-SAT for N <= 30)
on the same seeded congregation with a planted partition, from either family:
`planted` (wide shared windows) or `narrow` (60-90 minute windows, noise, a
history of 1,000 earlier crews, must-together pairs).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time

import numpy as np

from microsolidarity.matching import CrewRules, check_crews, form_crews
from microsolidarity.matching.profiles import build_profiles
from microsolidarity.matching.scores import crew_scores
from microsolidarity.matching.synthetic import narrow_congregation, planted_congregation

FAMILIES = {"planted": planted_congregation, "narrow": narrow_congregation}


def jaccard_interest(people_by_id, crews) -> float:
    """Mean over crews of the mean pairwise Jaccard similarity of interests, as a host reads it."""
    means = []
    for crew in crews:
        tags = [people_by_id[pid].interests for pid in crew]
        pairs = [
            len(a & b) / len(a | b) if a | b else 0.0
            for i, a in enumerate(tags)
            for b in tags[i + 1 :]
        ]
        if pairs:
            means.append(sum(pairs) / len(pairs))
    return float(np.mean(means)) if means else 0.0


def _quality(people, prof, crews, rules, planted_interest, planted_jaccard=None):
    violations = check_crews(people, crews, rules) if crews else []
    broken = {v.crew for v in violations}
    interest = [crew_scores(prof, [prof.index[i] for i in crew])[1] for crew in crews]
    scores = [crew_scores(prof, [prof.index[i] for i in crew])[0] for crew in crews]
    placed = sum(len(c) for c in crews)
    by_id = {p.id: p for p in people}
    jaccard = jaccard_interest(by_id, crews)
    return {
        "jaccard": jaccard,
        "jaccard_ratio": jaccard / planted_jaccard if planted_jaccard else 1.0,
        "crews": len(crews),
        "placed": placed,
        "violations": len(violations),
        "crews_ok": 1 - len(broken) / max(1, len(crews)),
        "interest": float(np.mean(interest)) if interest else 0.0,
        "interest_ratio": (float(np.mean(interest)) / planted_interest) if interest else 0.0,
        "worst": float(min(scores)) if scores else 0.0,
        "total": float(sum(s * len(c) for s, c in zip(scores, crews, strict=True))),
    }


def random_partition(people, rules, seed):
    ids = [p.id for p in people]
    random.Random(seed).shuffle(ids)
    size = rules.target
    crews = [ids[i : i + size] for i in range(0, len(ids), size)]
    if len(crews) > 1 and len(crews[-1]) < rules.min_size:
        tail = crews.pop()
        for i, pid in enumerate(tail):
            crews[i % len(crews)].append(pid)
    return crews


WINDOW = 300


def greedy_first_fit(people, rules, prof, seed):
    """People in random order, each into the first of the last 300 open crews they may join."""
    order = list(range(len(people)))
    random.Random(seed).shuffle(order)
    crews: list[list[int]] = []
    avail: list[np.ndarray] = []
    lang: list[np.ndarray] = []
    open_crews: list[int] = []
    for i in order:
        banned = set(prof.forbid[i].tolist())
        open_crews = [c for c in open_crews[-WINDOW:] if len(crews[c]) < rules.target]
        for c in open_crews:
            crew = crews[c]
            if banned.intersection(crew):
                continue
            a, b = avail[c] & prof.avail[i], lang[c] & prof.lang[i]
            if a.any() and b.any():
                crew.append(i)
                avail[c], lang[c] = a, b
                break
        else:
            open_crews.append(len(crews))
            crews.append([i])
            avail.append(prof.avail[i].copy())
            lang.append(prof.lang[i].copy())
    return [[prof.ids[i] for i in crew] for crew in crews if len(crew) >= rules.min_size]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--exact", action="store_true")
    parser.add_argument("--baselines", action="store_true")
    parser.add_argument("--family", choices=sorted(FAMILIES), default="planted")
    args = parser.parse_args()
    congregation = FAMILIES[args.family](args.n, seed=args.seed)
    people = list(congregation.people)
    rules = CrewRules(week=congregation.week, history=congregation.history)
    started, cpu = time.perf_counter(), time.process_time()
    plan = form_crews(people, rules, seed=0)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    prof = build_profiles(people, rules)
    planted_interest = float(
        np.mean([crew_scores(prof, [prof.index[i] for i in c])[1] for c in congregation.planted])
    )
    by_id = {p.id: p for p in people}
    planted_jaccard = jaccard_interest(by_id, congregation.planted)
    out = {
        "family": args.family,
        "n": args.n,
        "seconds": elapsed,
        # On a shared machine the wall time is mostly waiting; CPU time is the engine's own.
        "cpu_seconds": cpu,
        "peak_mb": peak_mb,
        "unplaced": len(plan.unplaced),
        "planted_interest": planted_interest,
        "engine": _quality(
            people, prof, [c.members for c in plan.crews], rules, planted_interest, planted_jaccard
        ),
        "planted": _quality(
            people, prof, list(congregation.planted), rules, planted_interest, planted_jaccard
        ),
    }
    if args.baselines:
        t = time.perf_counter()
        crews = random_partition(people, rules, args.seed)
        out["random"] = _quality(people, prof, crews, rules, planted_interest, planted_jaccard)
        out["random"]["seconds"] = time.perf_counter() - t
        t = time.perf_counter()
        crews = greedy_first_fit(people, rules, prof, args.seed)
        out["greedy"] = _quality(people, prof, crews, rules, planted_interest, planted_jaccard)
        out["greedy"]["seconds"] = time.perf_counter() - t
    if args.exact:
        t = time.perf_counter()
        exact = form_crews(people, rules, solver="exact", time_limit=120)
        out["cpsat"] = _quality(
            people, prof, [c.members for c in exact.crews], rules, planted_interest, planted_jaccard
        )
        out["cpsat"]["seconds"] = time.perf_counter() - t
        out["cpsat"]["optimal"] = exact.optimal
        out["cpsat"]["method"] = exact.method
        loose = CrewRules(
            week=congregation.week,
            min_common_minutes=0,
            require_shared_language=False,
            history=congregation.history,
        )
        t = time.perf_counter()
        local = form_crews(people, loose, seed=0)
        local_seconds = time.perf_counter() - t
        t = time.perf_counter()
        exact = form_crews(people, loose, solver="exact", time_limit=60)
        out["loose"] = {
            "engine_total": local.total,
            "engine_seconds": local_seconds,
            "cpsat_total": exact.total,
            "cpsat_seconds": time.perf_counter() - t,
            "cpsat_optimal": exact.optimal,
        }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
