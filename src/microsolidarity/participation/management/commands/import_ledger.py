"""Import an Open Collective transactions export (CSV) into a group's ledger; safe to re-run."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from microsolidarity.errors import DomainError
from microsolidarity.groups.models import Group
from microsolidarity.participation.ledger import ledger_import


class Command(BaseCommand):
    help = (
        "Import Open Collective's transactions CSV into a group's public ledger. Rows are "
        "matched by transaction id, so importing the same export again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("group", help="The group's slug (a congregation or the network).")
        parser.add_argument("csv", help="The CSV file exported from Open Collective.")

    def handle(self, *args, group: str, csv: str, **options):
        target = Group.objects.filter(slug=group).first()
        if target is None:
            raise CommandError(f"No group has the address {group!r}.")
        path = Path(csv)
        if not path.is_file():
            raise CommandError(f"There is no file at {csv}.")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError("The file is not UTF-8 text; export it again as CSV.") from error

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r{done}/{total} rows", ending="")

        try:
            report = ledger_import(by=None, group=target, text=text, progress=progress)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stderr.write("")
        self.stdout.write(
            f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged "
            f"in the ledger of {target.name}."
        )
