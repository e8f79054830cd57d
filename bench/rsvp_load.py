"""500 RSVP attempts at once against one 30-seat gathering, through gunicorn on PostgreSQL.

python -m bench.rsvp_load [--people 500] [--seats 30] [--workers 4] [--clients 50]

Makes a fresh database (microsolidarity_bench) on the local PostgreSQL, migrates it,
creates a gathering and people with API tokens, starts gunicorn on 127.0.0.1, fires
every RSVP at once from a bounded pool of client threads, checks the seats in the
database, prints a markdown table, and drops the database again.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "microsolidarity_bench"
HOST = "127.0.0.1"


def machine() -> str:
    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"{SERVER}/{DATABASE}",
            "DATABASE_CONN_MAX_AGE": "60",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-" + "x7Kq9Lm2Pz" * 6,
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "TASK_BACKEND": "database",
            "LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "microsolidarity.settings",
            # The API serves no static files; an empty directory keeps whitenoise quiet.
            "STATIC_ROOT": tempfile.mkdtemp(prefix="bench-static-"),
        }
    )
    return env


def _prepare(env: dict[str, str], people: int, seats: int) -> tuple[int, int, list[str]]:
    """Migrate and fill the bench database here; returns gathering, occurrence and tokens."""
    os.environ.update(env)
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from microsolidarity.gatherings.services import gathering_create
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create
    from microsolidarity.people.services import person_create, token_create

    call_command("migrate", verbosity=0, interactive=False)
    host = person_create(email="host@bench.example", password=None, display_name="Host")
    group = group_create(
        by=host, name="Bench Congregation", scale=Scale.CONGREGATION, join_policy=JoinPolicy.OPEN
    )
    start = timezone.now() + timedelta(days=7)
    gathering = gathering_create(
        by=host,
        group=group,
        title="Thirty seats",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=seats,
    )
    tokens = []
    for n in range(people):
        person = person_create(email=f"p{n}@bench.example", password=None, display_name=f"P{n}")
        tokens.append(token_create(person=person, name="bench")[1])
    return gathering.pk, gathering.occurrences.get().pk, tokens


def _count(occurrence_id: int) -> dict[str, int]:
    from django.db.models import Count

    from microsolidarity.gatherings.models import Rsvp

    rows = Rsvp.objects.filter(occurrence_id=occurrence_id)
    by_state = dict(rows.values_list("state").annotate(n=Count("pk")))
    people = rows.values("person_id").distinct().count()
    return {**by_state, "rows": rows.count(), "people": people}


def _wait_for(port: int, path: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def _rsvp(port: int, gathering_id: int, token: str) -> tuple[int, float, str]:
    body = json.dumps({"state": "going"})
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(
            "POST",
            f"/api/v1/gatherings/{gathering_id}/rsvp",
            body=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        payload = response.read()
        state = json.loads(payload).get("state", "") if response.status == 200 else ""
        return response.status, time.perf_counter() - started, state
    except OSError:
        return 0, time.perf_counter() - started, ""
    finally:
        connection.close()


def run(people: int, seats: int, workers: int, clients: int) -> dict:
    env = _environment()
    _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    _admin(f"CREATE DATABASE {DATABASE}")
    server = None
    try:
        gathering_id, occurrence_id, tokens = _prepare(env, people, seats)
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 (a fixed command line, no outside input)
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "microsolidarity.wsgi",
                f"--workers={workers}",
                f"--bind={HOST}:{port}",
                "--log-level=warning",
            ],
            env=env,
            cwd=ROOT,
        )
        _wait_for(port, f"/api/v1/gatherings/{gathering_id}")
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            results = list(pool.map(lambda t: _rsvp(port, gathering_id, t), tokens))
        elapsed = time.perf_counter() - started
        counts = _count(occurrence_id)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    latencies = sorted(latency for _status, latency, _state in results)
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "attempts": len(results),
        "seconds": elapsed,
        "per_second": len(results) / elapsed,
        "p50_ms": quantiles[49] * 1000,
        "p95_ms": quantiles[94] * 1000,
        "max_ms": latencies[-1] * 1000,
        "ok": sum(1 for status, _l, _s in results if status == 200),
        "server_errors": sum(1 for status, _l, _s in results if status >= 500 or status == 0),
        "going": counts.get("going", 0),
        "waitlisted": counts.get("waitlisted", 0),
        "duplicates": counts["rows"] - counts["people"],
        "overbooked": max(counts.get("going", 0) - seats, 0),
        "answered_going": sum(1 for _s, _l, state in results if state == "going"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--clients", type=int, default=50, help="client threads at once")
    args = parser.parse_args()
    result = run(args.people, args.seats, args.workers, args.clients)
    print(f"Machine: {machine()}; gunicorn {args.workers} workers, {args.clients} client threads")
    print()
    print(
        "| attempts | seats | time (s) | RSVPs/s | p50 (ms) | p95 (ms) | max (ms) | going "
        "| waitlisted | overbooked | duplicates | server errors |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {result['attempts']} | {args.seats} | {result['seconds']:.2f} "
        f"| {result['per_second']:.0f} | {result['p50_ms']:.0f} | {result['p95_ms']:.0f} "
        f"| {result['max_ms']:.0f} | {result['going']} | {result['waitlisted']} "
        f"| {result['overbooked']} | {result['duplicates']} | {result['server_errors']} |"
    )
    healthy = (
        result["going"] == args.seats
        and result["overbooked"] == 0
        and result["duplicates"] == 0
        and result["server_errors"] == 0
        and result["answered_going"] == args.seats
    )
    if not healthy:
        print("FAILED: seats were overbooked, duplicated, or the server erred", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
