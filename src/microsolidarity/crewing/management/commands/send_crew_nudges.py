"""Ask active crews to check in, once per their congregation's period (90 days by default)."""

import time

from django.core.management.base import BaseCommand

from microsolidarity.crewing.nudges import crew_nudges_send


class Command(BaseCommand):
    help = "Send check-in reminders to active crews that are due one."

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
            sent = crew_nudges_send()
            self.stdout.write(f"{sent} crews asked to check in")
            if every <= 0:
                return
            time.sleep(every)
