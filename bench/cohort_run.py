"""A cohort from start to crews, timed step by step on a fresh database.

python -m bench.cohort_run [--people 30] [--database sqlite|postgres]

Migrates a new database (a temporary SQLite file, or microsolidarity_bench_cohort on the
local PostgreSQL, dropped afterwards), then times what a host and a cohort do: copy the
Vibes template, start a cohort (one series, five sessions, the group, breakouts), the
sign-ups, a breakout round after each session, and the formation round from opening to
published crews. Prints a markdown table for docs/benchmarks.md. The clock is moved with
time-machine between sessions, as a real cohort would wait days.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "microsolidarity_bench_cohort"


@contextmanager
def _database(kind: str):
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    try:
        yield f"{SERVER}/{DATABASE}"
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def _run(people: int) -> list[tuple[str, float, str]]:
    import django

    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microsolidarity.settings")
    django.setup()
    import time_machine
    from django.core.management import call_command
    from django.test.utils import override_settings
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from microsolidarity.crewing import round_lifecycle, round_publishing
    from microsolidarity.groups.models import JoinPolicy, Scale
    from microsolidarity.groups.services import group_create, membership_join
    from microsolidarity.people.services import person_create
    from microsolidarity.programs.breakouts import breakouts_run
    from microsolidarity.programs.cohorts import cohort_create, sessions_of
    from microsolidarity.programs.formation import formation_open
    from microsolidarity.programs.queries import cohort_crews
    from microsolidarity.programs.seats import seat_request
    from microsolidarity.programs.services import program_copy

    rows: list[tuple[str, float, str]] = []

    @contextmanager
    def timed(step: str, note_of=lambda: ""):
        started = time.perf_counter()
        yield
        rows.append((step, time.perf_counter() - started, note_of()))

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
    ):
        host = person_create(email="host@bench.local", password="x" * 12, display_name="Host")
        congregation = group_create(
            by=host,
            name="Bench Congregation",
            scale=Scale.CONGREGATION,
            join_policy=JoinPolicy.OPEN,
        )
        learners = []
        for n in range(people):
            person = person_create(
                email=f"p{n}@bench.local", password="x" * 12, display_name=f"Learner {n}"
            )
            person.profile.timezone = ("Europe/Berlin", "Europe/Lisbon", "America/New_York")[n % 3]
            person.profile.languages = ["en"]
            person.profile.availability = ("mon-fri 18:00-22:00", "mon-fri 12:00-16:00")[n % 2]
            person.profile.save()
            membership_join(person=person, group=congregation)
            learners.append(person)

        with timed("copy the Vibes template"):
            program = program_copy(by=host, owner=congregation, key="vibes")
        with timed("start a cohort (group, 5 sessions, breakouts)"):
            cohort = cohort_create(
                by=host,
                program=program,
                first_session_at=timezone.now() + timedelta(days=1),
                host_timezone="Europe/Berlin",
                capacity=people,
            )
        with timed(
            f"{people} sign-ups, one after another", lambda: f"{cohort.seats.count()} places"
        ):
            for person in learners:
                seat_request(person=person, cohort=cohort)
        sessions = sessions_of(cohort)
        for session in sessions[:-1]:
            with time_machine.travel(session.starts_at + timedelta(minutes=5), tick=False):
                round_ = None

                def pairs(round_ref=lambda: round_):
                    return f"{round_ref().pairings.count()} pairs" if round_ref() else "none"

                with timed(f"breakout round after session {session.number}", pairs):
                    round_ = breakouts_run(cohort_id=cohort.pk)
        with time_machine.travel(sessions[-1].starts_at + timedelta(minutes=5), tick=False):
            with timed("open the formation round"):
                formation = formation_open(by=host, cohort=cohort)
            with timed(f"{people} crew sign-ups"):
                for person in learners:
                    round_lifecycle.round_opt_in(
                        person=person,
                        formation_round=formation,
                        timezone_name=person.profile.timezone,
                        languages=["en"],
                        interests=[],
                        availability=person.profile.availability,
                    )
            with timed(
                "form crews (engine and proposal)",
                lambda: f"{formation.proposed_crews.count()} crews",
            ):
                formation = round_lifecycle.round_propose(by=host, formation_round=formation)
            with timed(
                "publish: crews, first cycles, emails",
                lambda: (
                    f"{cohort_crews(cohort).count()} crews, "
                    f"{sum(c.memberships.count() for c in cohort_crews(cohort))} people"
                ),
            ):
                round_publishing.round_publish(
                    by=host, formation_round=formation, seen_version=formation.proposal_version
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    with _database(args.database) as url:
        os.environ["DATABASE_URL"] = url
        rows = _run(args.people)
    print(
        f"\nCohort of {args.people} on {args.database}, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}\n"
    )
    print("| step | seconds | result |\n|---|---:|---|")
    for step, seconds, note in rows:
        print(f"| {step} | {seconds:.2f} | {note} |")


if __name__ == "__main__":
    main()
