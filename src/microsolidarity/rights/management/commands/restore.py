"""`microsolidarity restore PATH [--force]`: put a backup's database and uploads back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from microsolidarity.errors import DomainError
from microsolidarity.rights.backups import backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `microsolidarity backup`. Refuses a non-empty database."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that already holds data."
        )

    def handle(self, *args, path: Path, force: bool, **options):
        try:
            report = backup_restore(path=path, force=force)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Restored the backup of {report.created_at}: database from {report.database} "
            f"({report.rows} rows), {report.media_files} uploaded file(s)."
        )
        for note in report.notes:
            self.stdout.write(note)
