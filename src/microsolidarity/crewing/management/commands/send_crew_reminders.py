"""Send the crew meeting reminders that are due; run from cron, or keep running with --every."""

import time

from django.core.management.base import BaseCommand

from microsolidarity.crewing.reminders import crew_reminders_send


class Command(BaseCommand):
    help = "Remind crews a day before each meeting, naming its host and focus."

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
            sent = crew_reminders_send()
            self.stdout.write(f"{sent} crew reminders sent")
            if every <= 0:
                return
            time.sleep(every)
