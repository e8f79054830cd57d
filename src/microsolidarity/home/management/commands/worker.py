"""`make worker`: the database task worker with the periodic loops beside it (production: cron)."""

import os
import sys

from django.core.management.base import BaseCommand

from microsolidarity.periodic import worker_commands
from microsolidarity.processes import run_together


class Command(BaseCommand):
    help = "Run the task worker and the periodic loops (microsolidarity.periodic.LOOPS)."
    requires_system_checks: list[str] = []

    def handle(self, *args, **options):
        sys.exit(run_together(worker_commands(), env=os.environ, out=self.stdout))
