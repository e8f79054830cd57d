"""Fifty members RSVP at once through the API on the embedded default (a SQLite file).

Run by test_sqlite_concurrent_rsvps.py in a process of its own, because the suite's SQLite
database lives in memory and one connection cannot show what separate writers do to a file.
VAR_DIR (set by the test) holds the file; settings.py opens it in WAL mode with a busy
timeout and IMMEDIATE transactions, exactly as `make run` does. Prints one JSON line.
"""

import json
import sys
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import django
import django.apps


def main(people: int, seats: int) -> dict:
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.utils import timezone

    from microsolidarity.gatherings.models import Rsvp, RsvpState
    from microsolidarity.gatherings.services import gathering_create
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create, membership_join
    from microsolidarity.people.services import person_create, token_create

    # The tables straight from the models, as pytest-django's --nomigrations makes them:
    # replaying every migration costs seconds, and what is measured here is the writers.
    settings.MIGRATION_MODULES = {app.label: None for app in django.apps.apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    assert connection.vendor == "sqlite", connection.vendor
    journal_mode = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]

    host = person_create(email="host@storm.example.org", password=None, display_name="Host")
    congregation = group_create(
        by=host, name="Storm Congregation", scale=Scale.CONGREGATION, join_policy=JoinPolicy.OPEN
    )
    start = timezone.now() + timedelta(days=3)
    gathering = gathering_create(
        by=host,
        group=congregation,
        title="Few seats",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=seats,
    )
    occurrence = gathering.occurrences.get()
    tokens = []
    for number in range(people):
        person = person_create(
            email=f"racer{number}@storm.example.org", password=None, display_name=f"Racer {number}"
        )
        membership_join(person=person, group=congregation)
        tokens.append(token_create(person=person, name="storm")[1])
    connections.close_all()

    barrier = threading.Barrier(people)
    errors: list[str] = []

    def rsvp(token: str) -> int:
        client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
        try:
            barrier.wait(timeout=60)
            response = client.post(
                f"/api/v1/gatherings/{gathering.pk}/rsvp",
                data=json.dumps({"occurrence": occurrence.pk, "state": "going"}),
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
            if response.status_code != 200:
                errors.append(f"{response.status_code}: {response.content[:300]!r}")
            return response.status_code
        except Exception:  # every failure is reported, none hidden
            errors.append(traceback.format_exc())
            return 0
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=people) as pool:
        statuses = list(pool.map(rsvp, tokens))

    rows = Rsvp.objects.filter(occurrence=occurrence)
    return {
        "journal_mode": journal_mode,
        "statuses": statuses,
        "errors": errors,
        "going": rows.filter(state=RsvpState.GOING).count(),
        "waitlisted": rows.filter(state=RsvpState.WAITLISTED).count(),
        "rows": rows.count(),
        "people": len(set(rows.values_list("person_id", flat=True))),
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
