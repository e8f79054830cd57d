"""Ask active crews to check in, once per their congregation's period (90 days by default)."""

from microsolidarity.crewing.nudges import crew_nudges_send
from microsolidarity.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Send check-in reminders to active crews that are due one."

    def run_once(self) -> str:
        return f"{crew_nudges_send()} crews asked to check in"
