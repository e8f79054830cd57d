"""The busy evening's mix (bench/load_evening.py), replayed in one process: CPU per call and
how often each page was served kept.

python -m bench.evening_replay [--tasks 1200] [--users 150] [--page-cache] [--seed 1]

Loads the demo into a fresh PostgreSQL database with Redis for the cache and sessions (as
bench.profile_pages --postgres --redis does), signs in up to `--users` members of the
busiest congregation, then picks `--tasks` tasks at random with the locust file's weights,
each for a member picked at random, one request at a time through the full middleware stack.
Nothing queues, so what it prints is what each call costs this process (its CPU time, the
database's work not included) and, with `--page-cache`, how many were served kept: the share
of an evening's CPU each page takes, without the noise of a saturated machine.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import os
import random
import sys
import time
from datetime import timedelta

from bench.profile_pages import ROOT, _admin, _environment, _machine

TASKS = ["browse"] * 6 + ["look"] * 2 + ["rsvp"] * 2 + ["poll"] * 2 + ["floor"] + ["journal"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1200)
    parser.add_argument("--users", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--page-cache", action="store_true")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    args = parser.parse_args(argv)
    args.postgres = True
    env, database = _environment(args)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{database}"')
    try:
        return _run(args)
    finally:
        from django.db import connections

        connections.close_all()
        _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


class Evening:
    """The congregation, its poll and gatherings, and a signed-in browser per member."""

    def __init__(self, users: int):
        from django.core.cache import cache
        from django.db.models import Count, Q
        from django.test import Client
        from django.utils import timezone

        from microsolidarity.gatherings.models import Gathering, PollSlot, TimePoll
        from microsolidarity.groups.models import Group, Membership
        from microsolidarity.people.services import token_create

        cache.clear()
        self.congregation = (
            Group.objects.filter(scale="congregation")
            .annotate(active=Count("memberships", filter=Q(memberships__state="active")))
            .order_by("-active")
            .first()
        )
        people = [
            m.person
            for m in Membership.objects.filter(
                group=self.congregation, state="active"
            ).select_related("person")
        ][:users]
        self.poll = TimePoll.objects.create(
            group=self.congregation,
            title="Replay: when shall we meet?",
            duration=timedelta(hours=2),
            created_by=people[0],
        )
        start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
        for day in range(5):
            PollSlot.objects.create(
                poll=self.poll,
                starts_at=start + timedelta(days=day),
                ends_at=start + timedelta(days=day, hours=2),
            )
        self.slots = list(self.poll.slots.values_list("pk", flat=True))
        self.gatherings = list(
            Gathering.objects.filter(group=self.congregation, status="scheduled").values(
                "pk", "slug"
            )
        )
        self.members = []
        for person in people:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(person)
            client.get("/healthz")  # a session's first request stores its time zone
            token = token_create(person=person, name="replay")[1]
            self.members.append((client, {"Authorization": f"Bearer {token}"}))
        self.cpu: dict[str, list[float]] = collections.defaultdict(list)
        self.kept: collections.Counter = collections.Counter()

    def call(self, name: str, send, *args, **kwargs):
        started = time.process_time()
        response = send(*args, **kwargs)
        self.cpu[name].append(time.process_time() - started)
        if getattr(response, "page_cache_hit", False):
            self.kept[name] += 1
        if response.status_code >= 400:
            raise RuntimeError(f"{name}: {response.status_code}")
        return response

    def task(self, kind: str, client, api) -> None:
        group, poll = self.congregation.slug, f"/polls/{self.poll.pk}/"
        if kind == "browse":
            self.call("home", client.get, "/")
            self.call("congregation", client.get, f"/g/{group}/")
            self.call("gatherings list", client.get, "/gatherings/")
            gathering = random.choice(self.gatherings)
            self.call("gathering", client.get, f"/gatherings/{gathering['slug']}/")
        elif kind == "look":
            self.call("groups list", client.get, "/groups/")
            self.call("dyads", client.get, "/dyads/")
            self.call("polls list", client.get, f"/g/{group}/polls/")
        elif kind == "rsvp":
            gathering = random.choice(self.gatherings)
            url = f"/api/v1/gatherings/{gathering['pk']}"
            found = self.call("occurrences (API)", client.get, f"{url}/occurrences", headers=api)
            items = found.json()["items"] if isinstance(found.json(), dict) else found.json()
            if items:
                state = random.choice(["going", "not_going"])
                body = {"occurrence": items[0]["id"], "state": state}
                self.call(
                    "RSVP (API)",
                    client.post,
                    f"{url}/rsvp",
                    data=json.dumps(body),
                    content_type="application/json",
                    headers=api,
                )
        elif kind == "poll":
            self.call("poll", client.get, poll)
            answers = {f"slot-{s}": random.choice(["yes", "if_need_be", "no"]) for s in self.slots}
            self.call("poll answer (POST)", client.post, poll, answers)
            self.call("poll (after answering)", client.get, poll)
        elif kind == "floor":
            self.call("floor (/healthz)", client.get, "/healthz")
        else:
            self.call(
                "journal write (API)",
                client.post,
                "/api/v1/journal/entries",
                data=json.dumps({"text": "Tonight the crew listened well."}),
                content_type="application/json",
                headers=api,
            )
            self.call("journal", client.get, "/me/journal/")


def _run(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    random.seed(args.seed)
    evening = Evening(args.users)
    for done in range(args.tasks):
        client, api = random.choice(evening.members)
        evening.task(random.choice(TASKS), client, api)
        if done % 200 == 199:
            print(f"  {done + 1} of {args.tasks} tasks", file=sys.stderr)
    total = sum(sum(times) for times in evening.cpu.values())
    count = sum(len(times) for times in evening.cpu.values())
    cache = "on" if args.page_cache else "off"
    print(f"\n{_machine()}; load average {os.getloadavg()[0]:.1f}; page cache {cache}")
    print(f"{count} requests, {total / count * 1000:.2f} ms CPU per request\n")
    print("| call | requests | mean CPU (ms) | share of the CPU | served kept |")
    print("|---|---:|---:|---:|---:|")
    for name, times in sorted(evening.cpu.items(), key=lambda item: -sum(item[1])):
        print(
            f"| {name} | {len(times)} | {sum(times) / len(times) * 1000:.1f} "
            f"| {sum(times) / total * 100:.0f}% | {evening.kept[name] / len(times) * 100:.0f}% |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
