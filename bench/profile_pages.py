"""Every page and API call of a busy evening: SQL queries, server time (wall and CPU), the floor.

python -m bench.profile_pages [--runs 20] [--warmup 3] [--profiles 5] [--postgres] [--redis]
    [--page-cache]

Loads the demo network into a fresh database (SQLite in a temporary folder, or a fresh
PostgreSQL database with --postgres; --redis puts the cache and sessions in Redis, as
production does), then, in this one process, requests each page of the evening through
Django's full middleware stack as the demo host and the demo member: once to count the SQL
queries, `--warmup` times unmeasured, then `--runs` times for the medians of the wall clock
and of this process's CPU time (the database is SQLite in this process, so its work counts;
other work on a shared machine stretches the wall clock far more than the CPU time). The
floor is `/healthz`, a view that does nothing but pass the same middleware with the same
session, requested before each run of each page: the ratio page/floor is what the page
costs beyond the stack, and its floor was measured in the same moments. The slowest
`--profiles` requests are then profiled with pyinstrument (text trees under
var/profile_pages/). Prints a markdown table for docs/benchmarks.md. With --page-cache
(microsolidarity/page_cache.py) each call is measured twice: fresh (the cache off, so the
page is rendered) and kept (the cache on, after a warm-up that kept the page), each with
its floor.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
HOST = "127.0.0.1"


@dataclass
class Call:
    """One request of the evening, made the same way each time it is measured."""

    name: str
    method: str
    path: str
    data: dict | None = None
    api: bool = False
    # A call that writes alternates between these bodies, so each run does real work.
    bodies: list[dict] = field(default_factory=list)


@dataclass
class Result:
    name: str
    role: str
    status: int
    queries: int
    median_ms: float
    # CPU time of this process (SQLite runs inside it): what a busy machine's other work
    # does not inflate, unlike the wall clock.
    cpu_ms: float


def _environment(args) -> tuple[dict[str, str], str | None]:
    env = {
        # Production's code paths (no debug cursor, cached templates), with the
        # finders serving static files so no collectstatic is needed to render.
        "DEBUG": "false",
        "MICROSOLIDARITY_TESTING": "true",
        "SECRET_KEY": "bench-only-" + "q4Wn8Rt2Yx" * 6,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "TASK_BACKEND": "immediate",
        "LOG_LEVEL": "ERROR",
        "DEMO_ACCOUNTS_ALLOWED": "true",
        "DJANGO_SETTINGS_MODULE": "microsolidarity.settings",
        "VAR_DIR": tempfile.mkdtemp(prefix="profile-pages-"),
    }
    database = None
    if args.postgres:
        database = f"microsolidarity_profile_{os.getpid()}"
        env["DATABASE_URL"] = f"{PG_SERVER}/{database}"
        env["DATABASE_CONN_MAX_AGE"] = "60"
    if args.redis:
        env["REDIS_URL"] = args.redis
    # Switched per measurement (settings.PAGE_CACHE); on locmem when there is no --redis.
    env["PAGE_CACHE"] = "true" if args.page_cache else "false"
    return env, database


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def _evening(host, member):
    """The calls of bench/load_evening.py, for one person, on the demo's busiest congregation."""
    from django.db.models import Count, Q

    from microsolidarity.gatherings.models import Gathering, Occurrence, PollSlot, TimePoll
    from microsolidarity.groups.models import Group, Scale

    mine = member.memberships.values("group")
    congregation = (
        Group.objects.filter(scale=Scale.CONGREGATION, pk__in=mine)
        .annotate(active=Count("memberships", filter=Q(memberships__state="active")))
        .order_by("-active", "pk")
        .first()
    )
    crew = Group.objects.filter(scale=Scale.CREW, memberships__person=member).order_by("pk").first()
    gathering = (
        Gathering.objects.filter(group=congregation, status="scheduled").order_by("pk").first()
    )
    occurrence = (
        Occurrence.objects.filter(gathering=gathering).order_by("starts_at").first()
        if gathering
        else None
    )
    poll = TimePoll.objects.filter(group=congregation, closed_at__isnull=True).first()
    if poll is None:
        from datetime import timedelta

        from django.utils import timezone

        poll = TimePoll.objects.create(
            group=congregation,
            title="Profile: when shall we meet?",
            duration=timedelta(hours=2),
            created_by=host,
        )
        start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
        for day in range(5):
            PollSlot.objects.create(
                poll=poll,
                starts_at=start + timedelta(days=day),
                ends_at=start + timedelta(days=day, hours=2),
            )
    slots = list(poll.slots.values_list("pk", flat=True))
    answers = [{f"slot-{slot}": choice for slot in slots} for choice in ("yes", "if_need_be", "no")]
    calls = [
        Call("home", "GET", "/"),
        Call("groups list", "GET", "/groups/"),
        Call("congregation", "GET", f"/g/{congregation.slug}/"),
        Call("gatherings list", "GET", "/gatherings/"),
        Call("dyads", "GET", "/dyads/"),
        Call("polls list", "GET", f"/g/{congregation.slug}/polls/"),
        Call("poll", "GET", f"/polls/{poll.pk}/"),
        Call("poll answer (POST)", "POST", f"/polls/{poll.pk}/", bodies=answers),
        Call("journal", "GET", "/me/journal/"),
        Call(
            "journal write (API)",
            "POST",
            "/api/v1/journal/entries",
            api=True,
            bodies=[{"text": "Tonight the crew listened well. I noticed my tiredness."}],
        ),
    ]
    if crew is not None:
        calls.insert(3, Call("crew", "GET", f"/g/{crew.slug}/"))
    if gathering is not None:
        calls.insert(5, Call("gathering", "GET", f"/gatherings/{gathering.slug}/"))
        calls.append(
            Call(
                "occurrences (API)",
                "GET",
                f"/api/v1/gatherings/{gathering.pk}/occurrences",
                api=True,
            )
        )
        calls.append(
            Call(
                "RSVP (API)",
                "POST",
                f"/api/v1/gatherings/{gathering.pk}/rsvp",
                api=True,
                bodies=[
                    {"occurrence": occurrence.pk, "state": state}
                    for state in ("going", "not_going")
                ],
            )
        )
    return [Call("floor (/healthz)", "GET", "/healthz"), *calls]


class Caller:
    """A signed-in browser and a token for one person, through the whole middleware stack."""

    def __init__(self, person, token: str):
        from django.test import Client

        self.client = Client(HTTP_HOST=HOST)
        self.client.force_login(person)
        self.token = token
        self.turn = 0

    def __call__(self, call: Call):
        kwargs = {}
        if call.api:
            kwargs["headers"] = {"Authorization": f"Bearer {self.token}"}
        if call.method == "GET":
            return self.client.get(call.path, **kwargs)
        body = call.bodies[self.turn % len(call.bodies)]
        self.turn += 1
        if call.api:
            return self.client.post(
                call.path, data=json.dumps(body), content_type="application/json", **kwargs
            )
        return self.client.post(call.path, data=body, **kwargs)


def _timed(caller: Caller, call: Call) -> tuple[float, float]:
    started, started_cpu = time.perf_counter(), time.process_time()
    caller(call)
    return (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000


def _measure(
    caller: Caller, call: Call, role: str, runs: int, warmup: int, floor: Call
) -> tuple[Result, Result]:
    """The call's result, and the floor's measured between its runs (the same moments of a
    busy machine, so the ratio cancels what the machine's other work does to both)."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # Counted after the warm-up, as a returning visitor's request: the first request of a
    # session also stores the viewer's time zone in it.
    for _ in range(warmup):
        caller(call)
    with connection.execute_wrapper(count):
        response = caller(call)
    page, base = [], []
    for _ in range(runs):
        base.append(_timed(caller, floor))
        page.append(_timed(caller, call))
    return (
        Result(
            call.name,
            role,
            response.status_code,
            len(queries),
            statistics.median(wall for wall, _cpu in page),
            statistics.median(cpu for _wall, cpu in page),
        ),
        Result(
            floor.name,
            role,
            200,
            0,
            statistics.median(wall for wall, _cpu in base),
            statistics.median(cpu for _wall, cpu in base),
        ),
    )


def _profile(caller: Caller, call: Call, role: str, out: Path) -> Path:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(5):
        caller(call)
    profiler.stop()
    slug = "".join(c if c.isalnum() else "-" for c in f"{call.name}-{role}").strip("-")
    path = out / f"{slug}.txt"
    path.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--profiles", type=int, default=5)
    parser.add_argument("--postgres", action="store_true", help="a fresh local PostgreSQL database")
    parser.add_argument("--redis", default="", help="a Redis URL for the cache and sessions")
    parser.add_argument("--out", default=str(ROOT / "var" / "profile_pages"))
    parser.add_argument(
        "--page-cache", action="store_true", help="measure each call fresh and kept (cache hit)"
    )
    args = parser.parse_args(argv)

    env, database = _environment(args)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    if database:
        _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{database}"')
    try:
        return _run(args)
    finally:
        if database:
            from django.db import connections

            connections.close_all()
            _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _run(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from microsolidarity.demo.network import DEMO_HOST_EMAIL, DEMO_MEMBER_EMAIL
    from microsolidarity.people.models import Person
    from microsolidarity.people.services import token_create

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    print(f"demo loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    host = Person.objects.get(email=DEMO_HOST_EMAIL)
    member = Person.objects.get(email=DEMO_MEMBER_EMAIL)
    calls = _evening(host, member)
    callers = {
        "host": Caller(host, token_create(person=host, name="profile")[1]),
        "member": Caller(member, token_create(person=member, name="profile")[1]),
    }
    floor_call = calls[0]
    if args.page_cache:
        return _fresh_and_kept(args, calls, callers, floor_call)
    results: list[tuple[Result, Call, str, Result]] = []
    for call in calls:
        for role, caller in callers.items():
            result, floor = _measure(caller, call, role, args.runs, args.warmup, floor_call)
            results.append((result, call, role, floor))
            print(
                f"  {call.name:24} {role:6} {result.status} {result.queries:3} q "
                f"{result.median_ms:7.1f} ms {result.cpu_ms:7.2f} ms CPU",
                file=sys.stderr,
            )

    print(f"\n{_machine()}; load average {os.getloadavg()[0]:.1f}; {args.runs} runs each\n")
    print(
        "| page | as | status | queries | median wall (ms) | median CPU (ms) "
        "| floor wall / CPU (ms) | wall / floor | CPU / floor |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for result, _call, role, base in results:
        print(
            f"| {result.name} | {role} | {result.status} | {result.queries} "
            f"| {result.median_ms:.1f} | {result.cpu_ms:.2f} "
            f"| {base.median_ms:.2f} / {base.cpu_ms:.2f} "
            f"| {result.median_ms / base.median_ms:.1f} | {result.cpu_ms / base.cpu_ms:.1f} |"
        )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    slowest = sorted(
        (item for item in results if item[1].path != "/healthz"),
        key=lambda item: -item[0].cpu_ms,
    )[: args.profiles]
    if slowest:
        print("\nProfiles of the slowest (pyinstrument, five requests each):")
    for _result, call, role, _floor in slowest:
        print(f"- {call.name} as {role}: {_profile(callers[role], call, role, out)}")
    bad = [r for r, _c, _role, _floor in results if r.status >= 400]
    return 1 if bad else 0


def _fresh_and_kept(args, calls, callers, floor_call) -> int:
    """Each call with the page cache off (rendered) and on (kept), each beside its floor."""
    from django.conf import settings

    rows = []
    for call in calls:
        for role, caller in callers.items():
            settings.PAGE_CACHE = False
            fresh, fresh_floor = _measure(caller, call, role, args.runs, args.warmup, floor_call)
            settings.PAGE_CACHE = True
            kept, kept_floor = _measure(caller, call, role, args.runs, args.warmup, floor_call)
            rows.append((fresh, fresh_floor, kept, kept_floor))
            print(
                f"  {call.name:24} {role:6} {fresh.status} {fresh.queries:3} / {kept.queries:3} q "
                f"{fresh.cpu_ms:7.2f} / {kept.cpu_ms:7.2f} ms CPU",
                file=sys.stderr,
            )
    print(f"\n{_machine()}; load average {os.getloadavg()[0]:.1f}; {args.runs} runs each\n")
    print(
        "| page | as | status | queries fresh / kept | median CPU fresh / kept (ms) "
        "| floor CPU (ms) | CPU / floor fresh | CPU / floor kept | kept within 5x |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for fresh, fresh_floor, kept, kept_floor in rows:
        kept_ratio = kept.cpu_ms / kept_floor.cpu_ms
        print(
            f"| {fresh.name} | {fresh.role} | {fresh.status} | {fresh.queries} / {kept.queries} "
            f"| {fresh.cpu_ms:.2f} / {kept.cpu_ms:.2f} "
            f"| {fresh_floor.cpu_ms:.2f} / {kept_floor.cpu_ms:.2f} "
            f"| {fresh.cpu_ms / fresh_floor.cpu_ms:.1f} | {kept_ratio:.1f} "
            f"| {'yes' if kept_ratio <= 5 else 'no'} |"
        )
    bad = [fresh for fresh, _f, _k, _kf in rows if fresh.status >= 400]
    return 1 if bad else 0


def _machine() -> str:
    import platform

    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


if __name__ == "__main__":
    sys.exit(main())
