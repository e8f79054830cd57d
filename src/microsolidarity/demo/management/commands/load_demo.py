"""`microsolidarity load_demo`: load the demo network once (running it again changes nothing)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from microsolidarity.demo.network import (
    DEMO_HOST_EMAIL,
    DEMO_HOST_PASSWORD,
    DEMO_MEMBER_EMAIL,
    DEMO_MEMBER_PASSWORD,
    demo_network_load,
)


class Command(BaseCommand):
    help = "Load the demo network with its local-only demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed: int, **options):
        if not settings.DEMO_ACCOUNTS_ALLOWED:
            raise CommandError(
                "The demo has accounts with published passwords; it loads only when "
                "DEMO_ACCOUNTS_ALLOWED is true (the default with DEBUG on)."
            )
        result = demo_network_load(seed=seed)
        if not result["loaded"]:
            self.stdout.write("The demo network is already loaded; nothing changed.")
            return
        self.stdout.write(
            f"Loaded the demo network: {result['people']} people, {result['groups']} groups.\n"
            f"  host:   {DEMO_HOST_EMAIL} / {DEMO_HOST_PASSWORD}\n"
            f"  member: {DEMO_MEMBER_EMAIL} / {DEMO_MEMBER_PASSWORD}"
        )
