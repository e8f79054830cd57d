"""Run the pairing rounds that are due; from cron once a day, or with --every."""

from microsolidarity.dyads.services import pairing_rounds_run_due
from microsolidarity.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Start every pairing round that is due today (a round that already ran is skipped)."

    def run_once(self) -> str:
        return f"{pairing_rounds_run_due()} pairing rounds started"
