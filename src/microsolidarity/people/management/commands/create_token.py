"""`microsolidarity create_token EMAIL`: print a new personal API token for scripts."""

from django.core.management.base import BaseCommand, CommandError

from microsolidarity.people.models import Person
from microsolidarity.people.services import token_create


class Command(BaseCommand):
    help = "Create a personal API token for the person with this email and print it once."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, email: str, name: str, **options):
        person = Person.objects.filter(email__iexact=email.strip()).first()
        if person is None:
            raise CommandError(f"No account has the email {email}.")
        _token, raw = token_create(person=person, name=name)
        self.stdout.write(raw)
