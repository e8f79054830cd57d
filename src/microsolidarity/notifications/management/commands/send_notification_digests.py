"""Send each person's daily digest when their morning comes; cron hourly, or with --every."""

from microsolidarity.notifications.emails import digests_send
from microsolidarity.periodic import PeriodicCommand


class Command(PeriodicCommand):
    help = "Send the daily notification digests that are due (in each person's own time zone)."

    def run_once(self) -> str:
        return f"{digests_send()} digests sent"
