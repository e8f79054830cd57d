"""`make run`: the development server with the task worker and the periodic loops beside it.

One command and one Ctrl-C: waitlist promotions, crew-cycle emails and pairing rounds go out
while the site is served, with no `make worker` to remember. Links in emails point at the
address served, unless SITE_URL says otherwise (then a warning says when the two disagree).
"""

import os
import sys

from django.core.management.base import BaseCommand

from microsolidarity.periodic import worker_commands
from microsolidarity.processes import run_together
from microsolidarity.site import served_url, site_url_disagrees


class Command(BaseCommand):
    help = "Serve the site with the task worker and the periodic loops; Ctrl-C stops them all."
    # runserver checks the project itself, once, in its own process.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--noreload", action="store_true", help="Do not restart the server on code changes."
        )

    def handle(self, *args, addrport: str, noreload: bool = False, **options):
        env = dict(os.environ)
        served = served_url(addrport)
        given = os.environ.get("SITE_URL", "")
        if not given:
            env["SITE_URL"] = served
        elif site_url_disagrees(given, addrport):
            self.stderr.write(
                self.style.WARNING(
                    f"SITE_URL is {given}, but the site is served at {served}: links in "
                    "emails and feeds point at SITE_URL. Unset it to use the served address."
                )
            )
        self.stdout.write(f"Links in emails and feeds use {env['SITE_URL']}")
        server = ["runserver", addrport, *(["--noreload"] if noreload else [])]
        sys.exit(run_together([server, *worker_commands()], env=env, out=self.stdout))
