"""Mark addresses as bounced (from the mail server's bounce reports): they get no more mail."""

import sys

from django.core.management.base import BaseCommand

from microsolidarity.outreach.newsletter import subscription_bounce


class Command(BaseCommand):
    help = "Mark each address given (or one per line on standard input) as bounced."

    def add_arguments(self, parser):
        parser.add_argument("addresses", nargs="*", help="Addresses that bounced.")

    def handle(self, *args, addresses=(), **options):
        given = list(addresses) or [line.strip() for line in sys.stdin if line.strip()]
        marked = sum(subscription_bounce(email=address) for address in given)
        self.stdout.write(f"{marked} subscriptions marked as bounced ({len(given)} addresses read)")
