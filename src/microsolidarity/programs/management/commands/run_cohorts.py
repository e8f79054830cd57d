"""Run what cohorts need as time passes; from cron every hour, or with --every."""

from microsolidarity.periodic import PeriodicCommand
from microsolidarity.programs.periodic import cohorts_tick


class Command(PeriodicCommand):
    help = "Start due breakout rounds and open due formation rounds of cohorts."

    def run_once(self) -> str:
        ran, opened = cohorts_tick()
        return f"{ran} breakout rounds started, {opened} formation rounds opened"
