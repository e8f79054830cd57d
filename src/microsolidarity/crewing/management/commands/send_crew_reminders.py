"""Send the crew meeting reminders that are due; run from cron, or keep running with --every."""

from microsolidarity.crewing.reminders import crew_reminders_send
from microsolidarity.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Remind crews a day before each meeting, naming its host and focus."

    def run_once(self) -> str:
        return f"{crew_reminders_send()} crew reminders sent"
