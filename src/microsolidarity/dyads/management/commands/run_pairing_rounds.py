"""Run the pairing rounds that are due; from cron once a day, or with --every."""

import time

from django.core.management.base import BaseCommand

from microsolidarity.dyads.services import pairing_rounds_run_due


class Command(BaseCommand):
    help = "Start every pairing round that is due today (a round that already ran is skipped)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, checking this often (for a process manager instead of cron).",
        )

    def handle(self, *args, every: int = 0, **options):
        while True:
            ran = pairing_rounds_run_due()
            self.stdout.write(f"{ran} pairing rounds started")
            if every <= 0:
                return
            time.sleep(every)
