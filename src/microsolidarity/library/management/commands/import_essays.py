"""Import the essays in a folder of Markdown files; running it again changes only what changed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from microsolidarity.errors import DomainError
from microsolidarity.library.essays import essays_import


class Command(BaseCommand):
    help = "Import essays (Markdown with YAML front matter) from a folder; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace essays edited in the site since their import with the file's text.",
        )

    def handle(self, *args, directory: Path, overwrite: bool, **options):
        try:
            report = essays_import(directory=directory, overwrite=overwrite)
        except DomainError as error:
            raise CommandError(error.message) from error
        for name, reason in report.skipped:
            self.stdout.write(self.style.WARNING(f"skipped {name}: {reason}"))
        for name, reason in report.errors:
            self.stderr.write(self.style.ERROR(f"{name}: {reason}"))
        self.stdout.write(
            f"{len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped, "
            f"{len(report.errors)} with errors"
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)} file(s) could not be imported (see above).")
