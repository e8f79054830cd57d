"""`microsolidarity backup [--output PATH] [--portable]`: database and uploads in one tar.gz."""

from pathlib import Path

from django.core.management.base import BaseCommand

from microsolidarity.rights.backups import NATIVE, PORTABLE, backup_create


class Command(BaseCommand):
    help = "Write a backup (database, uploaded files, manifest with checksums) to a tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path, help="File or directory to write to.")
        parser.add_argument(
            "--portable",
            action="store_true",
            help="Dump the database as Django JSON, restorable into SQLite or PostgreSQL.",
        )

    def handle(self, *args, output: Path | None, portable: bool, **options):
        written = backup_create(output=output, mode=PORTABLE if portable else NATIVE)
        self.stdout.write(f"Backup written to {written} ({written.stat().st_size} bytes).")
