"""Who spent the machine's CPU during a load run: web processes, PostgreSQL, Redis, the task
worker, the load generator, everything else.

    python -m bench.cpu_shares snapshot BEFORE.json
    ... the run ...
    python -m bench.cpu_shares report BEFORE.json --requests N [--seconds S]

CPU seconds per process kind, and per request: unlike latency, these do not depend on what else
the machine was doing, so they say what the evening costs and where, even on a shared machine.
A process that ended during the run is missed (its time is gone with it); the web processes,
PostgreSQL's pooled connections, Redis and the worker live through the run, and the load
generator is counted by the caller as a child (its own line, `--locust-cpu`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import psutil

KINDS = (
    ("web (gunicorn)", ("gunicorn",)),
    ("PostgreSQL", ("postgres",)),
    ("Redis", ("redis-server",)),
    ("task worker", ("rqworker", "db_worker")),
    ("load generator", ("locust",)),
)


def _kind(process: psutil.Process) -> str:
    try:
        words = " ".join(process.cmdline()) or process.name()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return "other"
    for kind, needles in KINDS:
        if any(needle in words for needle in needles):
            return kind
    return "other"


def snapshot() -> dict[str, list]:
    """pid -> [kind, CPU seconds so far, start time] for every process now running."""
    seen = {}
    for process in psutil.process_iter():
        try:
            times = process.cpu_times()
            seen[str(process.pid)] = [
                _kind(process),
                times.user + times.system,
                process.create_time(),
            ]
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return seen


def spent(before: dict[str, list], after: dict[str, list]) -> dict[str, float]:
    """CPU seconds per kind between two snapshots (a pid reused by a new process counts whole)."""
    totals: dict[str, float] = {}
    for pid, (kind, cpu, started) in after.items():
        earlier = before.get(pid)
        used = cpu - earlier[1] if earlier and earlier[2] == started else cpu
        totals[kind] = totals.get(kind, 0.0) + max(used, 0.0)
    return totals


def report(totals: dict[str, float], requests: int, seconds: float | None) -> str:
    rows = ["| process | CPU s | ms per request | cores |", "|---|---:|---:|---:|"]
    order = [kind for kind, _needles in KINDS] + ["other"]
    for kind in sorted(totals, key=lambda k: order.index(k) if k in order else len(order)):
        share = f"{totals[kind] / seconds:.2f}" if seconds else "-"
        per = totals[kind] * 1000 / requests if requests else 0.0
        rows.append(f"| {kind} | {totals[kind]:.1f} | {per:.2f} | {share} |")
    everything = sum(totals.values())
    share = f"{everything / seconds:.2f}" if seconds else "-"
    per = everything * 1000 / requests if requests else 0.0
    rows.append(f"| all | {everything:.1f} | {per:.2f} | {share} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("snapshot")
    take.add_argument("path")
    tell = commands.add_parser("report")
    tell.add_argument("before")
    tell.add_argument("--requests", type=int, required=True)
    tell.add_argument("--seconds", type=float)
    tell.add_argument("--locust-cpu", type=float, default=0.0, help="the load generator's CPU s")
    args = parser.parse_args(argv)
    if args.command == "snapshot":
        Path(args.path).write_text(json.dumps(snapshot()))
        return 0
    totals = spent(json.loads(Path(args.before).read_text()), snapshot())
    if args.locust_cpu:
        totals["load generator"] = totals.get("load generator", 0.0) + args.locust_cpu
    print(report(totals, args.requests, args.seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
