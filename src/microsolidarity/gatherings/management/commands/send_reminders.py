"""Send the gathering reminders that are due; run from cron every few minutes, or with --every."""

import time

from django.core.management.base import BaseCommand

from microsolidarity.gatherings.reminders import reminders_send
from microsolidarity.gatherings.services import occurrences_extend_all


class Command(BaseCommand):
    help = "Send due reminders (a day and an hour before, or each gathering's own times)."

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
            # Keep a year of each series ahead, so reminders and feeds always have occurrences.
            made = occurrences_extend_all()
            sent = reminders_send()
            self.stdout.write(f"{sent} reminders sent, {made} occurrences added")
            if every <= 0:
                return
            time.sleep(every)
