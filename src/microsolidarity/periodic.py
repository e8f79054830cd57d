"""A management command that does its work once (for cron) or keeps doing it with --every."""

import time

from django.core.management.base import BaseCommand


class PeriodicCommand(BaseCommand):
    """Subclasses implement `run_once()`, returning the line to print after each pass."""

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
            self.stdout.write(self.run_once())
            if every <= 0:
                return
            time.sleep(every)
