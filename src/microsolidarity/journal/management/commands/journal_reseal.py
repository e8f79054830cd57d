"""`microsolidarity journal_reseal`: seal every journal row again under the current key."""

from django.core.management.base import BaseCommand

from microsolidarity.journal.resealing import journal_reseal


class Command(BaseCommand):
    help = (
        "After changing JOURNAL_KEY (the old one in JOURNAL_KEY_FALLBACKS), seal every journal "
        "entry and part again under the new key. Safe to stop and run again: it goes on where "
        "it stopped. Rows no key opens are left as they are and listed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=200, help="Rows per transaction (default 200)."
        )

    def handle(self, *args, batch_size: int, **options):
        def progress(kind: str, done: int, total: int) -> None:
            percent = 100 if total == 0 else round(100 * done / total)
            self.stdout.write(f"{kind}: {done}/{total} ({percent}%)")

        report = journal_reseal(batch_size=max(1, batch_size), progress=progress)
        self.stdout.write(
            f"Re-sealed {report.resealed} of {report.rows} rows; "
            f"{report.already_current} were already under the current key."
        )
        if report.unreadable:
            self.stderr.write(
                f"{report.unreadable} rows can't be opened with JOURNAL_KEY or its fallbacks "
                f"and were left as they are ({', '.join(report.unreadable_ids[:20])}"
                f"{', ...' if report.unreadable > 20 else ''}). Add the key they were sealed "
                "with to JOURNAL_KEY_FALLBACKS and run this again."
            )
