"""The ledger import at size: an Open Collective export of N rows, imported twice.

python -m bench.ledger_import [--rows 1000,10000]

Uses a fresh SQLite database in a temporary folder (or DATABASE_URL when set), times the
first import (all new), the second (all unchanged: the idempotence check reads every row
back) and the fair rotation over as many people, and prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _export(rows: int, rng: random.Random) -> str:
    lines = ["datetime,id,description,type,kind,amount,currency,oppositeAccountName,expenseTags"]
    for n in range(rows):
        credit = rng.random() < 0.7
        amount = rng.choice([5, 10, 20, 50]) * (1 if credit else -1)
        lines.append(
            f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T10:00:00.000Z,tx-{n},Contribution,"
            f"{'CREDIT' if credit else 'DEBIT'},{'CONTRIBUTION' if credit else 'EXPENSE'},"
            f"{amount}.00,EUR,Person {n % 300},{'camp' if n % 10 == 0 else ''}"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="1000,10000")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="ms-bench-ledger-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microsolidarity.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from microsolidarity.groups.models import Group, Scale
    from microsolidarity.matching.volunteering import VolunteerRecord, fair_rotation
    from microsolidarity.participation.ledger import ledger_import

    call_command("migrate", verbosity=0)
    rng = random.Random(18)
    print("| rows | first import (s) | second import (s) | added / unchanged | peak MB |")
    print("|---|---|---|---|---|")
    for rows in [int(r) for r in args.rows.split(",")]:
        group = Group.objects.create(
            name=f"Bench {rows}", slug=f"bench-{rows}", scale=Scale.NETWORK
        )
        text = _export(rows, rng)
        tracemalloc.start()
        started = time.perf_counter()
        first = ledger_import(by=None, group=group, text=text)
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        second = ledger_import(by=None, group=group, text=text)
        second_s = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        print(
            f"| {rows} | {first_s:.2f} | {second_s:.2f} | {first.added} / {second.unchanged} "
            f"| {peak:.0f} |"
        )
    print()
    print("| people | fair rotation (ms) |")
    print("|---|---|")
    for people in (150, 10_000):
        records = [VolunteerRecord(n, rng.randint(0, 20), None) for n in range(people)]
        started = time.perf_counter()
        fair_rotation(records, limit=5)
        print(f"| {people} | {(time.perf_counter() - started) * 1000:.1f} |")


if __name__ == "__main__":
    main()
