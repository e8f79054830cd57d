"""Sending a newsletter issue to N confirmed subscribers, in batches, on a fresh SQLite file.

python -m bench.outreach_send [--sizes 1000,10000] [--batch 100]

Mail goes to Django's in-memory backend, so the numbers are the platform's own cost per
recipient (claiming the row, building the mail with its Markdown and headers, recording it),
not a mail server's. Each size also stops the send halfway (the mail backend fails once)
and resumes it, and checks that every subscriber got exactly one mail.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def machine() -> str:
    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _failing_once(send, after: int):
    """The mail backend's send, failing once after `after` mails, as a dropped connection."""
    calls = {"n": 0}

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == after + 1:
            raise ConnectionResetError("the mail server went away")
        return send(self, *args, **kwargs)

    failing.original = send
    return failing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="ms-outreach-bench-")
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "VAR_DIR": folder,
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "TASK_BACKEND": "database",
            "DJANGO_SETTINGS_MODULE": "microsolidarity.settings",
            "LOG_LEVEL": "ERROR",
        }
    )
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.utils import timezone

    from microsolidarity.groups.models import Scale
    from microsolidarity.groups.services import group_create
    from microsolidarity.outreach import newsletter
    from microsolidarity.outreach.models import Subscription
    from microsolidarity.people.services import person_create

    call_command("migrate", verbosity=0)
    host = person_create(email="host@example.org", password=None, display_name="Host")
    host.is_staff = True
    host.save(update_fields=["is_staff"])
    print(f"Machine: {machine()}; batch {args.batch}; in-memory mail backend\n")
    print(
        "| subscribers | start (s) | send (s) | per recipient (ms) | peak memory (MB) "
        "| stopped at, then resumed | each got exactly one |"
    )
    print("|---|---|---|---|---|---|---|")
    for n in [int(size) for size in args.sizes.split(",")]:
        group = group_create(by=host, name=f"Bench {n}", scale=Scale.CONGREGATION)
        now = timezone.now()
        Subscription.objects.bulk_create(
            [
                Subscription(
                    group=group,
                    email=f"r{i}@example.org",
                    state="confirmed",
                    token=f"bench-{n}-{i}",
                    confirmed_at=now,
                )
                for i in range(n)
            ],
            batch_size=1000,
        )
        issue = newsletter.issue_create(
            by=host,
            group=group,
            subject="News",
            body="# Hello\n\nSoup on **Friday**.",
            segment="subscribers",
        )
        mail.outbox = []
        started = time.perf_counter()
        newsletter.issue_send(by=host, issue=issue)
        begun = time.perf_counter()
        stop_at = n // 2
        mail.EmailMessage.send = _failing_once(mail.EmailMessage.send, stop_at)
        try:
            while newsletter.issue_pending(issue.pk):
                with contextlib.suppress(ConnectionResetError):
                    newsletter.issue_batch(issue_id=issue.pk, batch_size=args.batch)
        finally:
            mail.EmailMessage.send = mail.EmailMessage.send.original
        done = time.perf_counter()
        counts = Counter(m.to[0] for m in mail.outbox)
        exact = len(counts) == n and set(counts.values()) == {1}
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"| {n} | {begun - started:.2f} | {done - begun:.2f} | "
            f"{1000 * (done - begun) / n:.2f} | {peak:.0f} | {stop_at} "
            f"| {'yes' if exact else 'NO'} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
