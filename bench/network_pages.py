"""The network's pages and federation at growing sizes, in one process on a throwaway SQLite.

python -m bench.network_pages [--sizes 10,100,400]

For each size: that many listed congregations (each with a public gathering and an open
crew call) and ten members on the map per congregation. Times the directory (unfiltered and
near a town), the map page, one congregation's publish to 50 followers, and one HTTP
signature sign plus verify; the outlines' first decode is timed once. Prints markdown.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOWNS = ("Lisbon, Portugal", "Porto, Portugal", "Berlin, Germany", "Madrid, Spain", "Paris, France")


def _setup(directory: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microsolidarity.settings")
    os.environ["MICROSOLIDARITY_TESTING"] = "true"
    os.environ["TASK_BACKEND"] = "database"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _median_ms(action, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _grow(size: int, state: dict) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from microsolidarity.crewing.calls import call_post
    from microsolidarity.gatherings.services import gathering_create
    from microsolidarity.groups.models import Scale
    from microsolidarity.groups.services import group_create, membership_join
    from microsolidarity.network.models import MapChoice
    from microsolidarity.network.services import listing_save
    from microsolidarity.people.services import person_create, profile_town_set
    from microsolidarity.people.towns import town_resolve

    host, network = state["host"], state["network"]
    start = timezone.now() + timedelta(days=7)
    while state["count"] < size:
        n = state["count"]
        label = TOWNS[n % len(TOWNS)]
        (town,) = town_resolve(label)
        group = group_create(
            by=host,
            name=f"Congregation {n}",
            scale=Scale.CONGREGATION,
            parent=network,
            join_policy="open",
            languages=["en"],
        )
        listing_save(by=host, group=group, listed=True, meets_online=n % 3 == 0, town=town)
        gathering_create(
            by=host,
            group=group,
            title=f"Gathering {n}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        )
        for m in range(10):
            person = person_create(email=f"p{n}-{m}@bench.local", password=None, display_name="P")
            profile_town_set(profile=person.profile, town=town)
            person.profile.save()
            MapChoice.objects.create(person=person)
            membership_join(person=person, group=group)
            if m == 0:
                call_post(by=person, congregation=group, intention=f"Crew {n}")
        state["count"] += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,100,400")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    with tempfile.TemporaryDirectory() as directory:
        _setup(directory)
        from django.db import connection
        from django.test import Client

        from microsolidarity.groups.models import Group, Scale
        from microsolidarity.groups.services import group_create
        from microsolidarity.network import world
        from microsolidarity.network.actors import signing_key
        from microsolidarity.network.models import Follower, FollowState, Published
        from microsolidarity.network.publishing import group_publish
        from microsolidarity.network.remote_actors import server_for
        from microsolidarity.network.signatures import signature_verify, signed_headers
        from microsolidarity.people.services import person_create

        start = time.perf_counter()
        outlines = world.world_outlines()
        decode_ms = (time.perf_counter() - start) * 1000
        key = signing_key(None)
        body = b'{"type": "Create"}' * 20
        url = "https://b.example/federation/inbox"

        def sign_and_verify() -> None:
            headers = signed_headers(
                method="POST", url=url, body=body, key_id="k", private_key_pem=key.private_key_pem
            )
            signature_verify(
                method="POST",
                url=url,
                headers=headers,
                body=body,
                public_key_pem=key.public_key_pem,
            )

        host = person_create(email="host@bench.local", password=None, display_name="Host")
        host.is_staff = True
        host.save(update_fields=["is_staff"])
        network = group_create(
            by=host, name="Bench Network", scale=Scale.NETWORK, join_policy="open"
        )
        state = {"host": host, "network": network, "count": 0}
        client = Client(HTTP_HOST="127.0.0.1")
        print(f"World outlines: {len(outlines)} countries decoded in {decode_ms:.0f} ms (once).")
        print(f"HTTP signature sign + verify: {_median_ms(sign_and_verify, 20):.1f} ms.\n")
        print(
            "| congregations | members on the map | directory (ms) | queries "
            "| directory near a town (ms) | map page (ms) | queries | map page (KB) "
            "| publish to 50 followers (ms) |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

        def queries_of(path: str) -> int:
            count = [0]

            def counting(execute, sql, params, many, context):
                count[0] += 1
                return execute(sql, params, many, context)

            with connection.execute_wrapper(counting):
                client.get(path)
            return count[0]

        for size in sizes:
            _grow(size, state)
            directory_queries = queries_of("/network/")
            map_queries = queries_of("/network/map/")
            map_page = client.get("/network/map/")
            directory_ms = _median_ms(lambda: client.get("/network/"))
            near_ms = _median_ms(
                lambda: client.get("/network/", {"near": "Lisbon, Portugal", "radius": "500"})
            )
            map_ms = _median_ms(lambda: client.get("/network/map/"))
            group = Group.objects.filter(scale=Scale.CONGREGATION).order_by("pk").first()
            if not Follower.objects.filter(group=group).exists():
                from microsolidarity.network.models import RemoteActor

                for f in range(50):
                    actor = RemoteActor.objects.create(
                        uri=f"https://f{f}.example/actor",
                        server=server_for(f"f{f}.example"),
                        actor_type="Group",
                        inbox=f"https://f{f}.example/inbox",
                        key_id=f"https://f{f}.example/actor#key",
                        public_key_pem=key.public_key_pem,
                    )
                    Follower.objects.create(
                        group=group,
                        actor=actor,
                        follow_id=f"{actor.uri}#f",
                        state=FollowState.ACCEPTED,
                    )

            def publish_fresh(group=group) -> None:
                Published.objects.filter(group=group).delete()
                group_publish(group_id=group.pk)

            publish_ms = _median_ms(publish_fresh, 3)
            kilobytes = len(map_page.content) / 1024
            print(
                f"| {size} | {size * 10} | {directory_ms:.0f} | {directory_queries} "
                f"| {near_ms:.0f} | {map_ms:.0f} | {map_queries} | {kilobytes:.0f} "
                f"| {publish_ms:.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
