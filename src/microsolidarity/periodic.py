"""The periodic work (reminders, nudges, pairing rounds): commands that run once (for cron) or
keep running with --every, and `each_survives`, which lets one bad item fail alone.

A title that breaks an email, a crew whose data is odd: one such item must never stop the
reminders of everyone else, nor end the `--every` loop. Each is logged with its id (never
its content) and the pass goes on.
"""

import logging
import time
from collections.abc import Callable, Iterable

from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger(__name__)


def each_survives[T](
    items: Iterable[T], work: Callable[[T], int | bool | None], *, what: str
) -> int:
    """`work(item)` for every item, summing what each returns; one that raises is logged
    (as `what` and the item's id) and counts nothing, and the others still run."""
    total = 0
    for item in items:
        try:
            total += int(work(item) or 0)
        except Exception:
            logger.exception("%s %s failed; the others go on", what, getattr(item, "pk", item))
    return total


class PeriodicCommand(BaseCommand):
    """Subclasses implement `run_once()`, returning the line to print after each pass."""

    def run_once(self) -> str:
        raise NotImplementedError

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
            try:
                self.stdout.write(self.run_once())
            except Exception as error:
                # A pass that failed as a whole is logged; the loop tries again next time.
                logger.exception("%s: a pass failed", self.__module__)
                if every <= 0:
                    raise CommandError(f"This pass failed ({type(error).__name__}).") from error
                self.stderr.write(f"This pass failed ({type(error).__name__}); trying again.")
            if every <= 0:
                return
            time.sleep(every)


# The loops that run beside the task worker, each with how often it looks (seconds). `worker`
# and `serve` start them from this list; in production cron runs the same commands once each.
LOOPS: tuple[tuple[str, int], ...] = (
    ("send_reminders", 300),
    ("send_crew_reminders", 300),
    ("send_crew_nudges", 3600),
    ("run_pairing_rounds", 3600),
    ("send_outreach", 300),
    ("run_cohorts", 3600),
    ("federation_deliver", 300),
    ("send_notification_digests", 900),
)


def worker_commands() -> list[list[str]]:
    """The database task worker and every loop, as arguments to the `microsolidarity` command."""
    return [["db_worker"], *([name, "--every", str(every)] for name, every in LOOPS)]
