"""Send the gathering reminders that are due; run from cron every few minutes, or with --every."""

from microsolidarity.gatherings.reminders import reminders_send
from microsolidarity.gatherings.services import occurrences_extend_all
from microsolidarity.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Send due reminders (a day and an hour before, or each gathering's own times)."

    def run_once(self) -> str:
        # Keep a year of each series ahead, so reminders and feeds always have occurrences.
        made = occurrences_extend_all()
        return f"{reminders_send()} reminders sent, {made} occurrences added"
